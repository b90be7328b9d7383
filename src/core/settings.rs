//! The polling settings: their names, their values, and the rules that make a set of them valid.
//!
//! A [`Draft`] holds the settings as text, exactly as a form or a file has them;
//! [`crate::core::check::validate`] turns it into typed [`Settings`].

use std::fmt;

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

    /// Its place in [`Key::ALL`].
    pub const fn index(self) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
