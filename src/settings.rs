//! The polling settings: their names, their values, and the rules that make a set of them valid.
//!
//! A [`Draft`] holds the settings as text, exactly as a form or a file has them. [`validate`]
//! turns it into typed [`Settings`], reporting every problem at once, each naming its setting.

use std::fmt;

use crate::message::Problem;
use crate::rule::{Polling, Rule};

/// One of the six polling settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Enabled,
    Mode,
    Period,
    Time,
    TimeRandEnd,
    RefreshTimer,
}

impl Key {
    pub const ALL: [Key; 6] = [
        Key::Enabled,
        Key::Mode,
        Key::Period,
        Key::Time,
        Key::TimeRandEnd,
        Key::RefreshTimer,
    ];

    /// The element name in a settings file: the one table of them. The window's end is
    /// `prov_polling_time_rand_end`, as a production provisioning server (NethServer's Tancredi)
    /// writes it in its snom and Gigaset P templates; see [`MISNAMED_TIME_RAND_END`].
    pub const fn name(self) -> &'static str {
        match self {
            Key::Enabled => "prov_polling_enabled",
            Key::Mode => "prov_polling_mode",
            Key::Period => "prov_polling_period",
            Key::Time => "prov_polling_time",
            Key::TimeRandEnd => "prov_polling_time_rand_end",
            Key::RefreshTimer => "settings_refresh_timer",
        }
    }

    /// The label the phone's web interface uses.
    pub const fn label(self) -> &'static str {
        match self {
            Key::Enabled => en!("Provisioning polling"),
            Key::Mode => en!("Polling mode"),
            Key::Period => en!("Polling period"),
            Key::Time => en!("Polling Time"),
            Key::TimeRandEnd => en!("Polling Time Random End"),
            Key::RefreshTimer => en!("Settings refresh timer"),
        }
    }

    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|key| key.name() == name)
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// The name provpoll once guessed for the window's end. No phone reads it; a file that holds it
/// gets a warning naming `prov_polling_time_rand_end`, and the element can be renamed.
pub const MISNAMED_TIME_RAND_END: &str = "prov_polling_time_rand";

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `prov_polling_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Every period, counted in elapsed seconds from T0.
    Rel,
    /// Every day at `prov_polling_time`, local.
    Abs,
    /// A random moment: in a daily window (period ≥ 1 day) or within each period (shorter).
    Random,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Rel, Mode::Abs, Mode::Random];

    pub const fn as_str(self) -> &'static str {
        match self {
            Mode::Rel => "rel",
            Mode::Abs => "abs",
            Mode::Random => "random",
        }
    }

    /// Reads a mode as a file may hold it: any case, surrounding whitespace.
    pub fn parse(text: &str) -> Option<Mode> {
        let text = text.trim();
        Mode::ALL
            .into_iter()
            .find(|mode| mode.as_str().eq_ignore_ascii_case(text))
    }
}

/// A wall-clock time of day, `HH:MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    hour: u8,
    minute: u8,
}

impl ClockTime {
    pub fn new(hour: u8, minute: u8) -> Option<ClockTime> {
        (hour < 24 && minute < 60).then_some(ClockTime { hour, minute })
    }

    pub const fn hour(self) -> u8 {
        self.hour
    }

    pub const fn minute(self) -> u8 {
        self.minute
    }

    /// Minutes since midnight.
    pub const fn minutes(self) -> u32 {
        self.hour as u32 * 60 + self.minute as u32
    }

    /// Reads `HH:MM` or `H:MM` (24-hour), with surrounding whitespace.
    pub fn parse(text: &str) -> Option<ClockTime> {
        let (hour, minute) = text.trim().split_once(':')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(hour) && hour.len() <= 2 && digits(minute) && minute.len() == 2) {
            return None;
        }
        ClockTime::new(hour.parse().ok()?, minute.parse().ok()?)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// Who may change a setting, from its `perm` attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// `R`, `&` or one blank: read-only for the user.
    ReadOnly,
    /// `RW`, `$` or empty: the user may change it; the next provisioning overwrites it.
    ReadWrite,
    /// `!`: the user may change it; provisioning keeps a value the user changed.
    KeepUserValue,
}

/// A `perm` flag: an access level, optionally volatile (`V`: not saved, reverts at reboot).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Perm {
    pub access: Access,
    pub volatile: bool,
}

impl Perm {
    /// Reads any documented alias. `V` may stand before or after the access flag. Blanks are
    /// significant here (one blank means read-only), so nothing is trimmed.
    pub fn parse(text: &str) -> Option<Perm> {
        let volatile = text.contains('V');
        let rest: String = text.chars().filter(|&c| c != 'V').collect();
        if text.matches('V').count() > 1 {
            return None;
        }
        let access = match rest.as_str() {
            "R" | "&" | " " => Access::ReadOnly,
            "RW" | "$" | "" => Access::ReadWrite,
            "!" => Access::KeepUserValue,
            _ => return None,
        };
        Some(Perm { access, volatile })
    }

    /// The canonical spelling written to files: `R`, `RW` or `!`, then `V` if volatile.
    pub fn as_str(self) -> &'static str {
        match (self.access, self.volatile) {
            (Access::ReadOnly, false) => "R",
            (Access::ReadWrite, false) => "RW",
            (Access::KeepUserValue, false) => "!",
            (Access::ReadOnly, true) => "RV",
            (Access::ReadWrite, true) => "RWV",
            (Access::KeepUserValue, true) => "!V",
        }
    }

    /// What the flag means, for help texts.
    pub fn meaning(self) -> &'static str {
        match (self.access, self.volatile) {
            (Access::ReadOnly, false) => en!("read-only for the user"),
            (Access::ReadWrite, false) => {
                en!("the user may change it; the next provisioning overwrites it")
            }
            (Access::KeepUserValue, false) => {
                en!("the user may change it; provisioning keeps a value the user changed")
            }
            (Access::ReadOnly, true) => en!("read-only for the user, reverts at reboot"),
            (Access::ReadWrite, true) => en!("the user may change it until the next reboot"),
            (Access::KeepUserValue, true) => {
                en!("the user may change it, kept over provisioning until the next reboot")
            }
        }
    }
}

impl fmt::Display for Perm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The settings as text, one optional value and perm flag per setting, as a form or a file holds
/// them. A blank value counts as not set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    values: [Option<String>; 6],
    perms: [Option<String>; 6],
    /// `update_policy` is `never_update`: the phone loads nothing at all.
    pub never_update: bool,
}

impl Draft {
    pub fn value(&self, key: Key) -> Option<&str> {
        self.values[key.index()].as_deref()
    }

    pub fn perm(&self, key: Key) -> Option<&str> {
        self.perms[key.index()].as_deref()
    }

    pub fn set_value(&mut self, key: Key, value: Option<impl Into<String>>) {
        self.values[key.index()] = value.map(Into::into);
    }

    pub fn set_perm(&mut self, key: Key, perm: Option<impl Into<String>>) {
        self.perms[key.index()] = perm.map(Into::into);
    }

    /// Whether no setting has a value (perm flags alone do not count: they create nothing).
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    /// Builder form of [`Draft::set_value`], handy in tests and examples.
    pub fn with(mut self, key: Key, value: &str) -> Draft {
        self.set_value(key, Some(value));
        self
    }
}

/// The period assumed when a file has none (as Poly documents for its sibling setting).
pub const DEFAULT_PERIOD: u32 = 86_400;
/// The largest period or timer accepted: the phone keeps it in a signed 32-bit integer.
pub const MAX_SECONDS: u32 = i32::MAX as u32;
/// Polling more often than this is warned about.
pub const FREQUENT_SECONDS: u32 = 300;
pub const DAY_SECONDS: u32 = 86_400;

/// Settings that passed validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub enabled: bool,
    /// `None`: the file has no mode; the phone's default is not documented.
    pub mode: Option<Mode>,
    /// Seconds; [`DEFAULT_PERIOD`] when not set.
    pub period: u32,
    pub time: Option<ClockTime>,
    pub time_rand_end: Option<ClockTime>,
    /// Seconds; 0 is off.
    pub refresh_timer: u32,
    pub perms: [Option<Perm>; 6],
    pub never_update: bool,
}

impl Default for Settings {
    /// The phone's defaults: polling off, no refresh timer.
    fn default() -> Settings {
        Settings {
            enabled: false,
            mode: None,
            period: DEFAULT_PERIOD,
            time: None,
            time_rand_end: None,
            refresh_timer: 0,
            perms: [None; 6],
            never_update: false,
        }
    }
}

impl Settings {
    pub fn perm(&self, key: Key) -> Option<Perm> {
        self.perms[key.index()]
    }

    pub fn set_perm(&mut self, key: Key, perm: Option<Perm>) {
        self.perms[key.index()] = perm;
    }

    /// The canonical text of each setting, as the exporter writes it; `None` where not set.
    /// The period is always written when polling is on, so the file does not rely on a default.
    pub fn value_text(&self, key: Key) -> Option<String> {
        match key {
            Key::Enabled => Some(if self.enabled { "on" } else { "off" }.to_owned()),
            Key::Mode => self.mode.map(|mode| mode.as_str().to_owned()),
            Key::Period => Some(self.period.to_string()),
            Key::Time => self.time.map(|t| t.to_string()),
            Key::TimeRandEnd => self.time_rand_end.map(|t| t.to_string()),
            Key::RefreshTimer => Some(self.refresh_timer.to_string()),
        }
    }

    /// Back to text, e.g. to fill a form.
    pub fn to_draft(&self) -> Draft {
        let mut draft = Draft {
            never_update: self.never_update,
            ..Draft::default()
        };
        for key in Key::ALL {
            draft.set_value(key, self.value_text(key));
            draft.set_perm(key, self.perm(key).map(|p| p.as_str()));
        }
        draft
    }
}

/// A problem or a warning, naming the setting it is about where there is one. What it says is
/// a value ([`Problem`]); its words are made in [`crate::message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub key: Option<Key>,
    pub problem: Problem,
}

impl Issue {
    fn about(key: Key, problem: Problem) -> Issue {
        Issue {
            key: Some(key),
            problem,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

/// The outcome of [`validate`]: settings when there is no error, and every error and warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub settings: Option<Settings>,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl Report {
    pub fn error_for(&self, key: Key) -> Option<&Issue> {
        self.errors.iter().find(|issue| issue.key == Some(key))
    }
}

fn set(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

/// Reads whole seconds: digits only (after trimming), at most [`MAX_SECONDS`].
pub fn parse_seconds(key: Key, text: &str) -> Result<u32, Issue> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix('-')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        let text = text.to_owned();
        return Err(Issue::about(key, Problem::Negative { key, text }));
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        let text = text.to_owned();
        return Err(Issue::about(key, Problem::NotSeconds { key, text }));
    }
    let digits = text.trim_start_matches('0');
    match digits.parse::<u32>() {
        Ok(n) if n <= MAX_SECONDS => Ok(n),
        _ if digits.is_empty() => Ok(0),
        _ => {
            let text = text.to_owned();
            Err(Issue::about(key, Problem::TooLarge { key, text }))
        }
    }
}

pub fn parse_on_off(key: Key, text: &str) -> Result<bool, Issue> {
    match text.trim().to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => {
            let text = text.trim().to_owned();
            Err(Issue::about(key, Problem::NotOnOff { key, text }))
        }
    }
}

pub fn parse_mode(key: Key, text: &str) -> Result<Mode, Issue> {
    Mode::parse(text).ok_or_else(|| {
        let text = text.trim().to_owned();
        Issue::about(key, Problem::NotMode { key, text })
    })
}

pub fn parse_time(key: Key, text: &str) -> Result<ClockTime, Issue> {
    ClockTime::parse(text).ok_or_else(|| {
        let text = text.trim().to_owned();
        Issue::about(key, Problem::NotTime { key, text })
    })
}

pub fn parse_perm(key: Key, text: &str) -> Result<Perm, Issue> {
    Perm::parse(text).ok_or_else(|| {
        let text = text.to_owned();
        Issue::about(key, Problem::NotPerm { key, text })
    })
}

/// The canonical text of a value as it stands in a file, or `None` if it does not parse. Two
/// texts with the same canonical form mean the same to the phone.
pub fn canonical_value(key: Key, text: &str) -> Option<String> {
    match key {
        Key::Enabled => parse_on_off(key, text)
            .ok()
            .map(|on| if on { "on" } else { "off" }.to_owned()),
        Key::Mode => Mode::parse(text).map(|m| m.as_str().to_owned()),
        Key::Period | Key::RefreshTimer => parse_seconds(key, text).ok().map(|n| n.to_string()),
        Key::Time | Key::TimeRandEnd => ClockTime::parse(text).map(|t| t.to_string()),
    }
}

/// Checks every setting of `draft`; blank values count as not set.
pub fn validate(draft: &Draft) -> Report {
    let mut errors = Vec::new();
    fn check<T>(errors: &mut Vec<Issue>, result: Result<T, Issue>) -> Option<T> {
        result.map_err(|e| errors.push(e)).ok()
    }
    let field = |key: Key| set(draft.value(key));
    let (enabled, mode, period) = (field(Key::Enabled), field(Key::Mode), field(Key::Period));
    let (time, time_rand_end, refresh) = (
        field(Key::Time),
        field(Key::TimeRandEnd),
        field(Key::RefreshTimer),
    );
    let e = &mut errors;
    let enabled = enabled.map(|t| check(e, parse_on_off(Key::Enabled, t)));
    let mode = mode.map(|t| check(e, parse_mode(Key::Mode, t)));
    let period = period.map(|t| check(e, parse_seconds(Key::Period, t)));
    let time = time.map(|t| check(e, parse_time(Key::Time, t)));
    let time_rand_end = time_rand_end.map(|t| check(e, parse_time(Key::TimeRandEnd, t)));
    let refresh = refresh.map(|t| check(e, parse_seconds(Key::RefreshTimer, t)));
    let mut perms = [None; 6];
    for key in Key::ALL {
        if let Some(text) = draft.perm(key) {
            perms[key.index()] = check(e, parse_perm(key, text));
        }
    }

    // A value that failed to parse is `Some(None)`: the rules below skip it.
    let enabled_v = enabled.flatten().unwrap_or(false);
    let mode_v = mode.flatten();
    let period_v = period.flatten().unwrap_or(DEFAULT_PERIOD);
    let refresh_v = refresh.flatten().unwrap_or(0);

    if let Some(mode @ (Mode::Rel | Mode::Random)) = mode_v
        && enabled_v
        && period_v == 0
        && period.flatten().is_some()
    {
        errors.push(Issue::about(Key::Period, Problem::ZeroPeriod { mode }));
    }

    let settings = Settings {
        enabled: enabled_v,
        mode: mode_v,
        period: period_v,
        time: time.flatten(),
        time_rand_end: time_rand_end.flatten(),
        refresh_timer: refresh_v,
        perms,
        never_update: draft.never_update,
    };
    let warnings = if errors.is_empty() {
        warnings(&settings, period.is_some())
    } else {
        Vec::new()
    };
    Report {
        settings: errors.is_empty().then_some(settings),
        errors,
        warnings,
    }
}

/// Remembers in `last` every value and perm flag of `draft` that `report` (its validation)
/// finds no error in: what a preview shows while a field is in error ([`last_valid`]). A blank
/// field is "not set", not a value, and is not remembered, so clearing a field on the way to
/// typing a new value does not make "not set" its last valid value.
pub fn remember_valid(last: &mut Draft, draft: &Draft, report: &Report) {
    let kept = patched(last, draft, report);
    for key in Key::ALL {
        if set(kept.value(key)).is_some() {
            last.set_value(key, kept.value(key));
        }
        if kept.perm(key).is_some() {
            last.set_perm(key, kept.perm(key));
        }
    }
}

/// The settings a preview shows for `draft`: the draft itself when it is valid; else the draft
/// with each value and perm flag in error at its last valid one in `last` (not set where it
/// had none), when that is valid; else `whole`, the last draft that was valid as a whole
/// (settings can be wrong only together).
pub fn last_valid(last: &Draft, draft: &Draft, report: &Report, whole: &Draft) -> Draft {
    if report.errors.is_empty() {
        return draft.clone();
    }
    let patched = patched(last, draft, report);
    if validate(&patched).errors.is_empty() {
        patched
    } else {
        whole.clone()
    }
}

/// `draft` with each value and perm flag that `report` finds in error taken from `last`.
fn patched(last: &Draft, draft: &Draft, report: &Report) -> Draft {
    let mut out = draft.clone();
    for issue in &report.errors {
        if let Some(key) = issue.key {
            if let Problem::NotPerm { .. } = issue.problem {
                out.set_perm(key, last.perm(key));
            } else {
                out.set_value(key, last.value(key));
            }
        }
    }
    out
}

/// What is allowed but probably not meant.
fn warnings(s: &Settings, period_given: bool) -> Vec<Issue> {
    let mut out = Vec::new();
    let mut warn = |key: Option<Key>, problem: Problem| out.push(Issue { key, problem });
    if s.never_update {
        warn(None, Problem::NeverUpdate);
    }
    if s.enabled {
        match s.mode {
            None => warn(Some(Key::Mode), Problem::NoMode),
            Some(Mode::Rel) if s.period < FREQUENT_SECONDS => {
                warn(Some(Key::Period), Problem::FrequentRel { period: s.period })
            }
            Some(Mode::Random) if s.period < FREQUENT_SECONDS => warn(
                Some(Key::Period),
                Problem::FrequentRandom { period: s.period },
            ),
            _ => {}
        }
        if !period_given && matches!(s.mode, Some(Mode::Rel | Mode::Random)) {
            warn(Some(Key::Period), Problem::DefaultPeriod);
        }
        let rule = Rule::of(s);
        if let (Polling::Untimed { .. }, Some(mode)) = (rule.polling, s.mode) {
            warn(Some(Key::Time), Problem::NoTime { mode });
        }
        if let Polling::Window { days, .. } | Polling::Untimed { days: Some(days) } = rule.polling {
            if let (Some(start), None) = (s.time, s.time_rand_end) {
                warn(Some(Key::TimeRandEnd), Problem::NoTimeRandEnd { start });
            }
            if !s.period.is_multiple_of(DAY_SECONDS) {
                warn(
                    Some(Key::Period),
                    Problem::PartDays {
                        period: s.period,
                        days,
                    },
                );
            }
        }
        if s.refresh_timer > 0 {
            warn(
                Some(Key::RefreshTimer),
                Problem::BothTimers {
                    refresh: s.refresh_timer,
                },
            );
        }
    }
    if s.refresh_timer > 0 && s.refresh_timer < FREQUENT_SECONDS {
        warn(
            Some(Key::RefreshTimer),
            Problem::FrequentRefresh {
                refresh: s.refresh_timer,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(pairs: &[(Key, &str)]) -> Draft {
        pairs
            .iter()
            .fold(Draft::default(), |d, &(key, value)| d.with(key, value))
    }

    #[test]
    fn element_names_round_trip() {
        for key in Key::ALL {
            assert_eq!(Key::from_name(key.name()), Some(key));
        }
        assert_eq!(Key::from_name("prov_polling"), None);
    }

    #[test]
    fn clock_times() {
        assert_eq!(ClockTime::parse("09:05"), ClockTime::new(9, 5));
        assert_eq!(ClockTime::parse(" 9:05 "), ClockTime::new(9, 5));
        assert_eq!(ClockTime::parse("23:59"), ClockTime::new(23, 59));
        for bad in [
            "24:00", "12:60", "9:5", "009:05", "12", "12:00:00", "-1:00", "", "a:bc",
        ] {
            assert_eq!(ClockTime::parse(bad), None, "{bad}");
        }
        assert_eq!(ClockTime::new(7, 3).unwrap().to_string(), "07:03");
    }

    #[test]
    fn perm_aliases() {
        use Access::*;
        let p = |a, v| {
            Some(Perm {
                access: a,
                volatile: v,
            })
        };
        assert_eq!(Perm::parse("R"), p(ReadOnly, false));
        assert_eq!(Perm::parse("&"), p(ReadOnly, false));
        assert_eq!(Perm::parse(" "), p(ReadOnly, false));
        assert_eq!(Perm::parse("RW"), p(ReadWrite, false));
        assert_eq!(Perm::parse("$"), p(ReadWrite, false));
        assert_eq!(Perm::parse(""), p(ReadWrite, false));
        assert_eq!(Perm::parse("!"), p(KeepUserValue, false));
        assert_eq!(Perm::parse("V"), p(ReadWrite, true));
        assert_eq!(Perm::parse("RV"), p(ReadOnly, true));
        assert_eq!(Perm::parse("V!"), p(KeepUserValue, true));
        for bad in ["r", "W", "  ", "RR", "VV", "R!", "x"] {
            assert_eq!(Perm::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn seconds() {
        let k = Key::Period;
        assert_eq!(parse_seconds(k, " 3600 "), Ok(3600));
        assert_eq!(parse_seconds(k, "000"), Ok(0));
        assert_eq!(parse_seconds(k, "2147483647"), Ok(2_147_483_647));
        let msg = |t| parse_seconds(k, t).unwrap_err().to_string();
        assert_eq!(
            msg("2147483648"),
            "prov_polling_period is too large: 2147483648 overflows the phone's limit of 2147483647 s"
        );
        assert_eq!(
            msg("99999999999999999999999"),
            "prov_polling_period is too large: 99999999999999999999999 overflows the phone's limit of 2147483647 s"
        );
        assert_eq!(
            msg("-5"),
            "prov_polling_period must not be negative (it is -5)"
        );
        assert_eq!(
            msg("1.5"),
            "prov_polling_period must be a whole number of seconds, not \"1.5\""
        );
        assert!(parse_seconds(k, "+5").is_err());
        assert!(parse_seconds(k, "1e3").is_err());
    }

    #[test]
    fn every_error_at_once_each_naming_its_setting() {
        let report = validate(&draft(&[
            (Key::Enabled, "yes"),
            (Key::Mode, "sometimes"),
            (Key::Period, "-1"),
            (Key::Time, "25:00"),
            (Key::TimeRandEnd, "9"),
            (Key::RefreshTimer, "x"),
        ]));
        assert_eq!(report.settings, None);
        let keys: Vec<_> = report.errors.iter().map(|e| e.key.unwrap()).collect();
        assert_eq!(keys, Key::ALL.to_vec());
        assert!(
            report
                .errors
                .iter()
                .all(|e| e.to_string().contains(e.key.unwrap().name()))
        );
    }

    #[test]
    fn import_is_case_insensitive_and_trims() {
        let report = validate(&draft(&[
            (Key::Enabled, " ON "),
            (Key::Mode, "Random\n"),
            (Key::Period, "\t86400 "),
            (Key::Time, " 9:00"),
            (Key::TimeRandEnd, "09:10"),
        ]));
        let s = report.settings.unwrap();
        assert!(s.enabled);
        assert_eq!(s.mode, Some(Mode::Random));
        assert_eq!(s.time, ClockTime::new(9, 0));
        assert_eq!(s.value_text(Key::Mode).as_deref(), Some("random"));
        assert_eq!(report.warnings, vec![]);
    }

    #[test]
    fn zero_period_is_valid_while_polling_is_off() {
        let off = validate(&draft(&[
            (Key::Enabled, "off"),
            (Key::Mode, "rel"),
            (Key::Period, "0"),
        ]));
        assert!(off.settings.is_some());
        let on = validate(&draft(&[
            (Key::Enabled, "on"),
            (Key::Mode, "rel"),
            (Key::Period, "0"),
        ]));
        assert_eq!(
            on.errors,
            vec![Issue::about(
                Key::Period,
                Problem::ZeroPeriod { mode: Mode::Rel }
            )]
        );
        assert_eq!(
            on.errors[0].to_string(),
            "prov_polling_period must be more than 0 s in rel mode while polling is on"
        );
        let abs = validate(&draft(&[
            (Key::Enabled, "on"),
            (Key::Mode, "abs"),
            (Key::Period, "0"),
            (Key::Time, "03:00"),
        ]));
        assert!(abs.settings.is_some(), "abs ignores the period");
    }

    #[test]
    fn warnings_name_their_setting() {
        let keys = |pairs: &[(Key, &str)]| -> Vec<Option<Key>> {
            validate(&draft(pairs))
                .warnings
                .iter()
                .map(|w| w.key)
                .collect()
        };
        let on = (Key::Enabled, "on");
        assert_eq!(
            keys(&[on, (Key::Mode, "rel"), (Key::Period, "60")]),
            [Some(Key::Period)]
        );
        assert_eq!(keys(&[on, (Key::Mode, "rel"), (Key::Period, "300")]), []);
        assert_eq!(keys(&[on, (Key::Mode, "abs")]), [Some(Key::Time)]);
        assert_eq!(
            keys(&[on, (Key::Mode, "random"), (Key::Period, "86400")]),
            [Some(Key::Time)]
        );
        assert_eq!(
            keys(&[
                on,
                (Key::Mode, "random"),
                (Key::Period, "100000"),
                (Key::Time, "09:00"),
                (Key::TimeRandEnd, "09:10")
            ]),
            [Some(Key::Period)]
        );
        assert_eq!(
            keys(&[
                on,
                (Key::Mode, "rel"),
                (Key::Period, "3600"),
                (Key::RefreshTimer, "86400")
            ]),
            [Some(Key::RefreshTimer)]
        );
        assert_eq!(keys(&[on]), [Some(Key::Mode)]);
        assert_eq!(keys(&[on, (Key::Mode, "rel")]), [Some(Key::Period)]);
        assert_eq!(
            keys(&[(Key::RefreshTimer, "20")]),
            [Some(Key::RefreshTimer)]
        );
    }

    #[test]
    fn warnings_are_values_with_their_data() {
        let report = validate(&draft(&[
            (Key::Enabled, "on"),
            (Key::Mode, "random"),
            (Key::Period, "100000"),
            (Key::Time, "09:00"),
            (Key::RefreshTimer, "60"),
        ]));
        let problems: Vec<&Problem> = report.warnings.iter().map(|w| &w.problem).collect();
        assert_eq!(
            problems,
            [
                &Problem::NoTimeRandEnd {
                    start: ClockTime::new(9, 0).unwrap()
                },
                &Problem::PartDays {
                    period: 100_000,
                    days: 2
                },
                &Problem::BothTimers { refresh: 60 },
                &Problem::FrequentRefresh { refresh: 60 },
            ]
        );
        assert_eq!(
            report.warnings[1].to_string(),
            "100000 s is not a whole number of days: the phone rounds it up to 2 days"
        );
    }

    #[test]
    fn random_days_round_up() {
        use crate::rule::{Polling, Rule};
        let days = |period| match Rule::of(&Settings {
            enabled: true,
            mode: Some(Mode::Random),
            period,
            ..Settings::default()
        })
        .polling
        {
            Polling::Untimed { days } => days,
            _ => None,
        };
        assert_eq!(days(86_399), None);
        assert_eq!(days(86_400), Some(1));
        assert_eq!(days(100_000), Some(2));
        assert_eq!(days(259_200), Some(3));
    }

    /// The draft a preview shows after each of `steps`, as a form sends them.
    fn preview(steps: &[(Key, &str)]) -> Draft {
        let (mut last, mut whole) = (Draft::default(), Draft::default());
        let mut draft = Draft::default();
        for &(key, value) in steps {
            draft.set_value(key, (!value.is_empty()).then_some(value));
            let report = validate(&draft);
            remember_valid(&mut last, &draft, &report);
            if report.errors.is_empty() {
                whole = draft.clone();
            }
        }
        last_valid(&last, &draft, &validate(&draft), &whole)
    }

    #[test]
    fn an_invalid_field_keeps_its_last_valid_value() {
        let rel = [
            (Key::Enabled, "on"),
            (Key::Mode, "rel"),
            (Key::Period, "3600"),
        ];
        let expected = draft(&rel);
        // Typed over, or cleared on the way: the period stays 3600, never "not set".
        for typing in [
            &[(Key::Period, "abc")][..],
            &[(Key::Period, ""), (Key::Period, "abc")],
        ] {
            assert_eq!(preview(&[&rel[..], typing].concat()), expected);
        }
        // Each field at its own last valid value: a later valid edit of another field counts.
        let got = preview(
            &[
                &rel[..],
                &[
                    (Key::Time, "09:00"),
                    (Key::Time, "9"),
                    (Key::Period, "7200"),
                ],
            ]
            .concat(),
        );
        assert_eq!(
            got,
            draft(&rel)
                .with(Key::Period, "7200")
                .with(Key::Time, "09:00")
        );
        // A field that never had a valid value is not set.
        assert_eq!(
            preview(&[&rel[..], &[(Key::RefreshTimer, "x")]].concat()),
            expected
        );
        // A perm flag in error keeps its own last valid flag, and the value stays.
        let mut d = draft(&rel);
        d.set_perm(Key::Period, Some("R"));
        let mut last = Draft::default();
        remember_valid(&mut last, &d, &validate(&d));
        d.set_perm(Key::Period, Some("x"));
        d.set_value(Key::Period, Some("600"));
        let mut kept = draft(&rel).with(Key::Period, "600");
        kept.set_perm(Key::Period, Some("R"));
        assert_eq!(
            last_valid(&last, &d, &validate(&d), &Draft::default()),
            kept
        );
    }

    #[test]
    fn settings_wrong_only_together_fall_back_to_the_last_valid_whole() {
        // A period of 0 is valid while polling is off; turning polling on makes it an error
        // whose last valid value is 0 again: the whole last valid draft stands in.
        let got = preview(&[(Key::Mode, "rel"), (Key::Period, "0"), (Key::Enabled, "on")]);
        assert_eq!(got, draft(&[(Key::Mode, "rel"), (Key::Period, "0")]));
        assert!(validate(&got).errors.is_empty());
    }

    #[test]
    fn draft_round_trip() {
        let report = validate(&draft(&[
            (Key::Enabled, "on"),
            (Key::Mode, "abs"),
            (Key::Time, "3:00"),
        ]));
        let s = report.settings.unwrap();
        assert_eq!(validate(&s.to_draft()).settings, Some(s));
        assert_eq!(s.to_draft().value(Key::Time), Some("03:00"));
    }
}
