//! Every error and warning about a file's polling settings as a value with its data
//! ([`Problem`]); the words are made here and nowhere else, so a second language is one more
//! table beside this one.

use std::fmt;

use crate::settings::{ClockTime, DEFAULT_PERIOD, Key, MAX_SECONDS, Mode};

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
    NoTimeRand {
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

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem as P;
        let rejected = "a phone rejects the file";
        match self {
            P::Negative { key, text } => write!(f, "{key} must not be negative (it is {text})"),
            P::NotSeconds { key, text } => {
                write!(f, "{key} must be a whole number of seconds, not \"{text}\"")
            }
            P::TooLarge { key, text } => write!(
                f,
                "{key} is too large: {text} overflows the phone's limit of {MAX_SECONDS} s"
            ),
            P::NotOnOff { key, text } => write!(f, "{key} must be on or off, not \"{text}\""),
            P::NotMode { key, text } => {
                write!(f, "{key} must be rel, abs or random, not \"{text}\"")
            }
            P::NotTime { key, text } => write!(
                f,
                "{key} must be a time HH:MM (00:00 to 23:59), not \"{text}\""
            ),
            P::NotPerm { key, text } => write!(
                f,
                "the perm flag of {key} must be R, RW, ! (or an alias, optionally with V), not \"{text}\""
            ),
            P::ZeroPeriod { mode } => write!(
                f,
                "{} must be more than 0 s in {} mode while polling is on",
                Key::Period,
                mode.as_str()
            ),
            P::Internal { reason } => {
                write!(f, "internal error, the file was not changed: {reason}")
            }
            P::NeverUpdate => f.write_str(
                "update_policy is never_update: the phone loads nothing, so no fetch is scheduled",
            ),
            P::NoMode => write!(
                f,
                "{} is not set and the phone's default is not documented: choose rel, abs or random",
                Key::Mode
            ),
            P::FrequentRel { period } => write!(
                f,
                "polling every {period} s is more often than every 5 minutes: a fleet of phones will load the server heavily"
            ),
            P::FrequentRandom { period } => write!(
                f,
                "random intervals of up to {period} s poll more often than every 5 minutes"
            ),
            P::DefaultPeriod => write!(
                f,
                "{} is not set: provpoll assumes {DEFAULT_PERIOD} s (one day), as Poly documents",
                Key::Period
            ),
            P::NoTime { mode } => write!(
                f,
                "{} is not set: the phone's time for {} mode is unknown, so no polling fetch is shown",
                Key::Time,
                mode.as_str()
            ),
            P::NoTimeRand { start } => write!(
                f,
                "{} is not set: the window is the single minute {start}",
                Key::TimeRand
            ),
            P::PartDays { period, days } => write!(
                f,
                "{period} s is not a whole number of days: the phone rounds it up to {days} days"
            ),
            P::BothTimers { refresh } => write!(
                f,
                "both timers are on: polling and {} ({refresh} s) fetch independently",
                Key::RefreshTimer
            ),
            P::FrequentRefresh { refresh } => write!(
                f,
                "a refresh every {refresh} s is more often than every 5 minutes"
            ),
            P::Repeated {
                key,
                count,
                winner_line,
            } => write!(
                f,
                "{key} appears {count} times; the last one (line {winner_line}) wins"
            ),
            P::UnquotedValue => f.write_str("an attribute value is not in quotes"),
            P::RepeatedAttribute { name } => {
                write!(f, "the attribute {name} is given twice in one tag")
            }
            P::CutShortAttribute => {
                f.write_str("an attribute is cut short or has no value (a template leftover?)")
            }
            P::UnclosedValue => f.write_str("an attribute value does not end with its quote"),
            P::UndefinedEntity { name } => {
                write!(f, "the entity &{name}; is not defined in XML; {rejected}")
            }
            P::BareAmpersand => {
                write!(f, "an & that begins no entity (write &amp;); {rejected}")
            }
        }
    }
}
