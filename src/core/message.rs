//! Messages as values with their data, and the one way they are said ([`Said`]): what is wrong
//! with a file's polling settings or its markup ([`Problem`]), why a file cannot be read
//! ([`Unreadable`]), and what is worth knowing about a folder ([`FolderProblem`]). Each is an
//! English template marked with `en!`; another language's words are in its table
//! ([`crate::words`]). Zone notes and a fleet's numbers are said the same way, beside their
//! rules.

use std::fmt;

use crate::core::settings::{ClockTime, DEFAULT_PERIOD, Key, MAX_SECONDS, Mode};
use crate::words::Words;

/// A message as a value: its words are a template with `{0}`, `{1}`… (English, marked with
/// `en!`) and the data that fills them. [`Said::say`] writes it in a language; `Display`
/// (`display_said!`) in English, for the command line.
pub trait Said {
    /// The words, with `{0}`… where [`Said::args`] go.
    fn template(&self) -> &'static str;
    /// The data the template shows, in its order (`""` past the last).
    fn args(&self) -> Args<'_>;
    /// The message in `w`'s language.
    fn say(&self, w: &Words) -> String {
        w.fill(self.template(), &self.args())
    }
}

/// The data of a message: four at most.
pub type Args<'a> = [&'a dyn fmt::Display; 4];

/// `Display` for each [`Said`] type named: its English words.
macro_rules! display_said {
    ($($said:ty),*) => {
        $(impl ::std::fmt::Display for $said {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::words::fill(f, self.template(), &self.args())
            }
        })*
    };
}
pub(crate) use display_said;

/// What is wrong, or worth a second look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    // Errors: values the phone cannot take.
    Negative {
        key: Key,
        text: String,
    },
    NotSeconds {
        key: Key,
        text: String,
    },
    TooLarge {
        key: Key,
        text: String,
    },
    NotOnOff {
        key: Key,
        text: String,
    },
    NotMode {
        key: Key,
        text: String,
    },
    NotTime {
        key: Key,
        text: String,
    },
    NotPerm {
        key: Key,
        text: String,
    },
    /// A period of 0 in `rel` or `random` while polling is on.
    ZeroPeriod {
        mode: Mode,
    },
    /// An edit that could not be made (cannot happen for canonical values).
    Internal {
        reason: String,
    },

    // Warnings: allowed, but probably not meant.
    NeverUpdate,
    NoMode,
    FrequentRel {
        period: u32,
    },
    FrequentRandom {
        period: u32,
    },
    DefaultPeriod,
    NoTime {
        mode: Mode,
    },
    NoTimeRandEnd {
        start: ClockTime,
    },
    PartDays {
        period: u32,
        days: u32,
    },
    BothTimers {
        refresh: u32,
    },
    FrequentRefresh {
        refresh: u32,
    },
    /// An element named `prov_polling_time_rand`, which no phone reads.
    Misnamed,
    /// The same setting `count` times; the last one, on `winner_line`, wins.
    Repeated {
        key: Key,
        count: usize,
        winner_line: usize,
    },

    // Markup a phone rejects, anywhere in a file.
    UnquotedValue,
    RepeatedAttribute {
        name: String,
    },
    CutShortAttribute,
    UnclosedValue,
    UndefinedEntity {
        name: String,
    },
    BareAmpersand,
}

/// Why a file cannot be read as a settings file (see [`crate::core::file::FileError`], which says
/// where).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// quick-xml could not read on; `detail` is its own description.
    NotWellFormed {
        detail: String,
    },
    SecondRoot,
    NotSettingsRoot {
        name: String,
    },
    NoRoot,
    /// An element inside one of the settings provpoll reads.
    ElementInSetting {
        name: String,
    },
    EndWithoutStart,
    Unclosed,
    TextOutsideRoot,
    NotUtf8,
    /// An entity other than XML's five inside a polling setting: provpoll never expands one.
    ForeignReference {
        name: String,
    },
    MalformedAttribute {
        detail: String,
    },
    PermNotLocated,
    PermNotUtf8,
    PermEscape {
        detail: String,
    },
}

impl Problem {
    /// Whether it is about a single value (which belongs to the file that has the value),
    /// rather than about what settings mean together.
    pub fn is_value(&self) -> bool {
        use Problem as P;
        matches!(
            self,
            P::Negative { .. }
                | P::NotSeconds { .. }
                | P::TooLarge { .. }
                | P::NotOnOff { .. }
                | P::NotMode { .. }
                | P::NotTime { .. }
                | P::NotPerm { .. }
        )
    }

    /// Whether it is markup a phone rejects (rather than a setting's value).
    pub fn is_markup(&self) -> bool {
        use Problem as P;
        matches!(
            self,
            P::UnquotedValue
                | P::RepeatedAttribute { .. }
                | P::CutShortAttribute
                | P::UnclosedValue
                | P::UndefinedEntity { .. }
                | P::BareAmpersand
        )
    }
}

/// Setting names and values are arguments or literal: they are what a file holds, in every
/// language.
impl Said for Problem {
    fn template(&self) -> &'static str {
        use Problem as P;
        match self {
            P::Negative { .. } => en!("{0} must not be negative (it is {1})"),
            P::NotSeconds { .. } => en!("{0} must be a whole number of seconds, not \"{1}\""),
            P::TooLarge { .. } => en!("{0} is too large: {1} overflows the phone's limit of {2} s"),
            P::NotOnOff { .. } => en!("{0} must be on or off, not \"{1}\""),
            P::NotMode { .. } => en!("{0} must be rel, abs or random, not \"{1}\""),
            P::NotTime { .. } => en!("{0} must be a time HH:MM (00:00 to 23:59), not \"{1}\""),
            P::NotPerm { .. } => en!(
                "the perm flag of {0} must be R, RW, ! (or an alias, optionally with V), not \"{1}\""
            ),
            P::ZeroPeriod { .. } => {
                en!("prov_polling_period must be more than 0 s in {0} mode while polling is on")
            }
            P::Internal { .. } => en!("internal error, the file was not changed: {0}"),
            P::NeverUpdate => en!(
                "update_policy is never_update: the phone loads nothing, so no fetch is scheduled"
            ),
            P::NoMode => en!(
                "prov_polling_mode is not set and the phone's default is not documented: choose rel, abs or random"
            ),
            P::FrequentRel { .. } => en!(
                "polling every {0} s is more often than every 5 minutes: a fleet of phones will load the server heavily"
            ),
            P::FrequentRandom { .. } => {
                en!("random intervals of up to {0} s poll more often than every 5 minutes")
            }
            P::DefaultPeriod => en!(
                "prov_polling_period is not set: provpoll assumes {0} s (one day), as Poly documents"
            ),
            P::NoTime { .. } => en!(
                "prov_polling_time is not set: the phone's time for {0} mode is unknown, so no polling fetch is shown"
            ),
            P::NoTimeRandEnd { .. } => {
                en!("prov_polling_time_rand_end is not set: the window is the single minute {0}")
            }
            P::PartDays { .. } => {
                en!("{0} s is not a whole number of days: the phone rounds it up to {1} days")
            }
            P::BothTimers { .. } => en!(
                "both timers are on: polling and settings_refresh_timer ({0} s) fetch independently"
            ),
            P::FrequentRefresh { .. } => {
                en!("a refresh every {0} s is more often than every 5 minutes")
            }
            P::Misnamed => en!(
                "prov_polling_time_rand is not a setting the phone knows, so it ignores this value: the window's end is prov_polling_time_rand_end"
            ),
            P::Repeated { .. } => en!("{0} appears {1} times; the last one (line {2}) wins"),
            P::UnquotedValue => en!("an attribute value is not in quotes"),
            P::RepeatedAttribute { .. } => en!("the attribute {0} is given twice in one tag"),
            P::CutShortAttribute => {
                en!("an attribute is cut short or has no value (a template leftover?)")
            }
            P::UnclosedValue => en!("an attribute value does not end with its quote"),
            P::UndefinedEntity { .. } => {
                en!("the entity &{0}; is not defined in XML; a phone rejects the file")
            }
            P::BareAmpersand => {
                en!("an & that begins no entity (write &amp;); a phone rejects the file")
            }
        }
    }

    fn args(&self) -> Args<'_> {
        use Problem as P;
        match self {
            P::Negative { key, text }
            | P::NotSeconds { key, text }
            | P::NotOnOff { key, text }
            | P::NotMode { key, text }
            | P::NotTime { key, text }
            | P::NotPerm { key, text } => [key, text, &"", &""],
            P::TooLarge { key, text } => [key, text, &MAX_SECONDS, &""],
            P::ZeroPeriod { mode } | P::NoTime { mode } => [mode, &"", &"", &""],
            P::Internal { reason: text }
            | P::RepeatedAttribute { name: text }
            | P::UndefinedEntity { name: text } => [text, &"", &"", &""],
            P::FrequentRel { period: n }
            | P::FrequentRandom { period: n }
            | P::BothTimers { refresh: n }
            | P::FrequentRefresh { refresh: n } => [n, &"", &"", &""],
            P::DefaultPeriod => [&DEFAULT_PERIOD, &"", &"", &""],
            P::NoTimeRandEnd { start } => [start, &"", &"", &""],
            P::PartDays { period, days } => [period, days, &"", &""],
            P::Repeated {
                key,
                count,
                winner_line,
            } => [key, count, winner_line, &""],
            P::NeverUpdate
            | P::NoMode
            | P::Misnamed
            | P::UnquotedValue
            | P::CutShortAttribute
            | P::UnclosedValue
            | P::BareAmpersand => [&"", &"", &"", &""],
        }
    }
}

impl Said for Unreadable {
    fn template(&self) -> &'static str {
        use Unreadable as U;
        match self {
            U::NotWellFormed { .. } => en!("not well-formed XML: {0}"),
            U::SecondRoot => en!("a second root element"),
            U::NotSettingsRoot { .. } => en!(
                "not a snom settings file: the root element is <{0}>, not <settings> or <phone-settings>"
            ),
            U::NoRoot => {
                en!("not a snom settings file: there is no <settings> or <phone-settings> element")
            }
            U::ElementInSetting { .. } => en!("a setting holds text, not the element <{0}>"),
            U::EndWithoutStart => en!("an end tag with no start tag"),
            U::Unclosed => en!("the file ends before this element is closed"),
            U::TextOutsideRoot => en!("text outside the root element"),
            U::NotUtf8 => en!("the value is not UTF-8"),
            U::ForeignReference { .. } => {
                en!("the reference &{0}; is not one of XML's own; provpoll never expands entities")
            }
            U::MalformedAttribute { .. } => en!("a malformed attribute: {0}"),
            U::PermNotLocated => en!("the perm attribute could not be located"),
            U::PermNotUtf8 => en!("the perm flag is not UTF-8"),
            U::PermEscape { .. } => en!("the perm flag: {0}"),
        }
    }

    fn args(&self) -> Args<'_> {
        use Unreadable as U;
        let arg: &dyn fmt::Display = match self {
            U::NotWellFormed { detail: text }
            | U::NotSettingsRoot { name: text }
            | U::ElementInSetting { name: text }
            | U::ForeignReference { name: text }
            | U::MalformedAttribute { detail: text }
            | U::PermEscape { detail: text } => text,
            U::SecondRoot
            | U::NoRoot
            | U::EndWithoutStart
            | U::Unclosed
            | U::TextOutsideRoot
            | U::PermNotLocated
            | U::PermNotUtf8
            | U::NotUtf8 => &"",
        };
        [arg, &"", &"", &""]
    }
}

/// What is worth knowing about a provisioning folder as a whole (see [`crate::core::folder`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FolderProblem {
    /// A container lists a file the folder does not have.
    MissingListed { url: String },
    /// A container lists itself, directly or through another: it is read once.
    ListedLoop { name: String },
    /// A phone has more than one file of its own (`<MAC>.xml` and `<type>-<MAC>.xml`, say).
    SeveralOwnFiles { mac: String, files: String },
    /// An edit for a phone that has no effective settings.
    PhoneUnreadable { mac: String },
    /// An edit that would have to be written into a phone's own file, which is a container.
    OwnFileIsContainer { mac: String },
    /// An edit for another vendor's phone: provpoll edits snom's settings only.
    OtherVendor { mac: String, vendor: String },
    /// A Yealink phone whose folder holds several models' common files.
    SeveralCommonFiles { mac: String, files: String },
}

impl Said for FolderProblem {
    fn template(&self) -> &'static str {
        use FolderProblem as F;
        match self {
            F::MissingListed { .. } => en!("the listed file {0} is not in this folder"),
            F::ListedLoop { .. } => {
                en!("{0} lists itself, directly or through another container; it is read once")
            }
            F::SeveralOwnFiles { .. } => en!(
                "the phone {0} has several files of its own ({1}): which it reads depends on its setting server URL; provpoll reads them all, in name order"
            ),
            F::PhoneUnreadable { .. } => en!(
                "the phone {0} is left out: a file it reads cannot be read, so its settings are unknown"
            ),
            F::OwnFileIsContainer { .. } => en!(
                "the phone {0} is left out: its own file is a container, so a setting it lacks has no file to go into"
            ),
            F::OtherVendor { .. } => en!(
                "the phone {0} is left out: it is a {1} phone, and provpoll edits snom settings only"
            ),
            F::SeveralCommonFiles { .. } => en!(
                "the Yealink phone {0} reads its model's common file, and this folder has several ({1}): none is counted, as its model is not known"
            ),
        }
    }

    fn args(&self) -> Args<'_> {
        use FolderProblem as F;
        match self {
            F::MissingListed { url: text }
            | F::ListedLoop { name: text }
            | F::PhoneUnreadable { mac: text }
            | F::OwnFileIsContainer { mac: text } => [text, &"", &"", &""],
            F::SeveralOwnFiles { mac, files } => [mac, files, &"", &""],
            F::OtherVendor { mac, vendor } => [mac, vendor, &"", &""],
            F::SeveralCommonFiles { mac, files } => [mac, files, &"", &""],
        }
    }
}

/// What is wrong with another vendor's polling settings (`shared/domain/vendors.md`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VendorProblem {
    NotNumber {
        name: String,
        text: String,
    },
    OutOfRange {
        name: String,
        text: String,
        range: String,
    },
    NotOneOf {
        name: String,
        text: String,
        allowed: String,
    },
    NotClock {
        name: String,
        text: String,
        form: &'static str,
    },
    /// Markup no parser takes: the phone reads nothing of the file.
    NotXml {
        reason: String,
    },
    /// A Yealink file without its first line `#!version:1.0.0.1`.
    NoVersionLine,
    /// Poly's period under the 3600 s its guides ask for.
    ShortPeriod {
        name: String,
        text: String,
    },
    /// Yealink: a setting both with and without `static.`.
    BothNames {
        name: String,
        other: String,
    },
    /// A setting that holds the fetch back while the phone is in use.
    DependsOnUse {
        name: String,
    },
    /// A setting of early firmware that provpoll does not read.
    NotRead {
        name: String,
    },
    /// A value whose effect the vendor's guides do not agree on.
    Disputed {
        name: String,
        text: String,
    },
    /// A setting whose default differs by model, left unset where it counts.
    UnknownDefault {
        name: String,
    },
}

impl VendorProblem {
    /// Whether the phone cannot take it (else it is a warning).
    pub fn is_error(&self) -> bool {
        use VendorProblem as V;
        matches!(
            self,
            V::NotNumber { .. }
                | V::OutOfRange { .. }
                | V::NotOneOf { .. }
                | V::NotClock { .. }
                | V::NotXml { .. }
                | V::NoVersionLine
        )
    }
}

impl Said for VendorProblem {
    fn template(&self) -> &'static str {
        use VendorProblem as V;
        match self {
            V::NotNumber { .. } => en!("{0} is \"{1}\", not a whole number"),
            V::OutOfRange { .. } => en!("{0} is {1}, outside {2}"),
            V::NotOneOf { .. } => en!("{0} is \"{1}\": it takes {2}"),
            V::NotClock { .. } => en!("{0} is \"{1}\", not a time of day as {2}"),
            V::NotXml { .. } => en!("the phone cannot read this file: {0}"),
            V::NoVersionLine => en!(
                "the first line is not #!version:1.0.0.1: a Yealink phone ignores a file without it"
            ),
            V::ShortPeriod { .. } => {
                en!("{0} is {1} seconds: Poly's guides ask for more than 3600")
            }
            V::BothNames { .. } => {
                en!("{0} and {1} are both set: the one with static. counts")
            }
            V::DependsOnUse { .. } => en!(
                "{0}: the phone holds its fetch back while it is in use, so a fetch can come later than shown"
            ),
            V::NotRead { .. } => {
                en!("{0} is early firmware's setting: provpoll does not read it")
            }
            V::Disputed { .. } => {
                en!("{0} is {1}: the vendor's guides disagree on what the phone does with it")
            }
            V::UnknownDefault { .. } => en!(
                "{0} is not set: its default differs by model, so when the phone fetches is not shown"
            ),
        }
    }

    fn args(&self) -> Args<'_> {
        use VendorProblem as V;
        match self {
            V::NotNumber { name, text }
            | V::ShortPeriod { name, text }
            | V::Disputed { name, text } => [name, text, &"", &""],
            V::OutOfRange { name, text, range } => [name, text, range, &""],
            V::NotOneOf {
                name,
                text,
                allowed,
            } => [name, text, allowed, &""],
            V::NotClock { name, text, form } => [name, text, form, &""],
            V::NotXml { reason } => [reason, &"", &"", &""],
            V::NoVersionLine => [&"", &"", &"", &""],
            V::BothNames { name, other } => [name, other, &"", &""],
            V::DependsOnUse { name } | V::NotRead { name } | V::UnknownDefault { name } => {
                [name, &"", &"", &""]
            }
        }
    }
}

display_said!(Problem, Unreadable, FolderProblem, VendorProblem);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::{ClockTime, Key, Mode};
    use crate::words::fill;

    struct Filled(&'static str, Vec<String>);

    impl fmt::Display for Filled {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let args: Vec<&dyn fmt::Display> = self.1.iter().map(|a| a as _).collect();
            fill(f, self.0, &args)
        }
    }

    fn filled(template: &'static str, args: &[&str]) -> String {
        Filled(template, args.iter().map(|a| a.to_string()).collect()).to_string()
    }

    #[test]
    fn placeholders_take_their_argument_in_any_order() {
        assert_eq!(filled("{1} after {0}.", &["a", "b"]), "b after a.");
        assert_eq!(filled("{0}{0}", &["x"]), "xx");
        assert_eq!(filled("", &[]), "");
    }

    /// One of each message, with data that shows in its text.
    fn every_problem() -> Vec<Problem> {
        use Problem as P;
        let (key, text) = (Key::Period, "x1".to_owned());
        let all = vec![
            P::Negative {
                key,
                text: text.clone(),
            },
            P::NotSeconds {
                key,
                text: text.clone(),
            },
            P::TooLarge {
                key,
                text: text.clone(),
            },
            P::NotOnOff {
                key,
                text: text.clone(),
            },
            P::NotMode {
                key,
                text: text.clone(),
            },
            P::NotTime {
                key,
                text: text.clone(),
            },
            P::NotPerm {
                key,
                text: text.clone(),
            },
            P::ZeroPeriod { mode: Mode::Rel },
            P::Internal {
                reason: text.clone(),
            },
            P::NeverUpdate,
            P::NoMode,
            P::FrequentRel { period: 61 },
            P::FrequentRandom { period: 61 },
            P::DefaultPeriod,
            P::NoTime { mode: Mode::Abs },
            P::NoTimeRandEnd {
                start: ClockTime::parse("09:05").unwrap(),
            },
            P::PartDays {
                period: 90_000,
                days: 2,
            },
            P::BothTimers { refresh: 61 },
            P::FrequentRefresh { refresh: 61 },
            P::Repeated {
                key,
                count: 2,
                winner_line: 7,
            },
            P::Misnamed,
            P::UnquotedValue,
            P::RepeatedAttribute { name: text.clone() },
            P::CutShortAttribute,
            P::UnclosedValue,
            P::UndefinedEntity { name: text },
            P::BareAmpersand,
        ];
        // A new variant fails to compile here until it is added above.
        for p in &all {
            match p {
                P::Negative { .. }
                | P::NotSeconds { .. }
                | P::TooLarge { .. }
                | P::NotOnOff { .. }
                | P::NotMode { .. }
                | P::NotTime { .. }
                | P::NotPerm { .. }
                | P::ZeroPeriod { .. }
                | P::Internal { .. }
                | P::NeverUpdate
                | P::NoMode
                | P::FrequentRel { .. }
                | P::FrequentRandom { .. }
                | P::DefaultPeriod
                | P::NoTime { .. }
                | P::NoTimeRandEnd { .. }
                | P::PartDays { .. }
                | P::BothTimers { .. }
                | P::FrequentRefresh { .. }
                | P::Repeated { .. }
                | P::Misnamed
                | P::UnquotedValue
                | P::RepeatedAttribute { .. }
                | P::CutShortAttribute
                | P::UnclosedValue
                | P::UndefinedEntity { .. }
                | P::BareAmpersand => {}
            }
        }
        all
    }

    #[test]
    fn every_template_is_filled_with_its_own_data() {
        for p in every_problem() {
            let text = p.to_string();
            for placeholder in ["{0}", "{1}", "{2}", "{3}"] {
                assert!(!text.contains(placeholder), "{text}");
            }
            // Each argument the template names shows; none is named that the message lacks.
            let shown = [
                "x1",
                "prov_polling_period",
                "61",
                "rel",
                "abs",
                "09:05",
                "90000",
                "2",
                "7",
            ];
            let expected = match &p {
                Problem::NeverUpdate
                | Problem::NoMode
                | Problem::Misnamed
                | Problem::UnquotedValue
                | Problem::CutShortAttribute
                | Problem::UnclosedValue
                | Problem::BareAmpersand => 0,
                _ => 1,
            };
            assert!(
                shown.iter().filter(|s| text.contains(*s)).count() >= expected,
                "{text}"
            );
        }
        assert_eq!(
            Problem::ZeroPeriod { mode: Mode::Random }.to_string(),
            format!(
                "{} must be more than 0 s in random mode while polling is on",
                Key::Period
            )
        );
        assert_eq!(
            Problem::TooLarge {
                key: Key::RefreshTimer,
                text: "9".repeat(12)
            }
            .to_string(),
            format!(
                "settings_refresh_timer is too large: 999999999999 overflows the phone's limit of {MAX_SECONDS} s"
            )
        );
        assert_eq!(
            Problem::DefaultPeriod.to_string(),
            format!(
                "{} is not set: provpoll assumes {DEFAULT_PERIOD} s (one day), as Poly documents",
                Key::Period
            )
        );
        for (problem, key) in [
            (Problem::NoMode, Key::Mode),
            (Problem::NoTime { mode: Mode::Abs }, Key::Time),
            (
                Problem::NoTimeRandEnd {
                    start: ClockTime::parse("09:05").unwrap(),
                },
                Key::TimeRandEnd,
            ),
            (Problem::BothTimers { refresh: 61 }, Key::RefreshTimer),
        ] {
            assert!(problem.to_string().contains(key.name()), "{problem}");
        }
        assert_eq!(
            Problem::Repeated {
                key: Key::Mode,
                count: 3,
                winner_line: 12
            }
            .to_string(),
            "prov_polling_mode appears 3 times; the last one (line 12) wins"
        );
    }

    #[test]
    fn unreadable_files_name_what_they_found() {
        assert_eq!(
            Unreadable::NotSettingsRoot {
                name: "config".into()
            }
            .to_string(),
            "not a snom settings file: the root element is <config>, not <settings> or <phone-settings>"
        );
        assert_eq!(
            Unreadable::ForeignReference { name: "m".into() }.to_string(),
            "the reference &m; is not one of XML's own; provpoll never expands entities"
        );
        assert_eq!(
            Unreadable::Unclosed.to_string(),
            "the file ends before this element is closed"
        );
    }

    #[test]
    fn a_brace_that_is_no_placeholder_stays_text() {
        assert_eq!(filled("{a} {5} {0", &["x"]), "{a} {5} {0");
        assert_eq!(filled("{{0}}", &["x"]), "{x}");
        assert_eq!(filled("ends with {", &[]), "ends with {");
    }
}
