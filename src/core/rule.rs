//! What the phone does for given settings, decided once, as `docs/polling.md` reads the
//! vendor's pages. The schedule, the fleet, the summary, the warnings and the form all match
//! on a [`Rule`]: a change to how the spec is read is a change to [`Rule::of`].

use crate::core::plan::{DaySet, First, Plan, Source, Trigger};
use crate::core::settings::{ClockTime, DAY_SECONDS, Key, Mode, Settings};

/// The polling part of a [`Rule`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Polling {
    /// Polling is off.
    Off,
    /// On, but without a mode: the phone's default is not documented, so nothing is shown.
    NoMode,
    /// `rel`: every `period` seconds after T0, in elapsed time.
    Every { period: u32 },
    /// `abs`: every day at `time` on the phone's clock, from the first one after T0.
    Daily { time: ClockTime },
    /// `random` with a period of a day or more: every `days` days from the day after T0, at a
    /// random moment from `start` to `end` (into the next day when `end` is before `start`).
    Window {
        days: u32,
        start: ClockTime,
        end: ClockTime,
    },
    /// `random` with a period under a day: each fetch at a random moment up to `period` seconds
    /// after the one before.
    Chained { period: u32 },
    /// `abs` (`days` is `None`) or `random` of a day or more (`Some`) without a time: the
    /// phone's time is unknown, so nothing is shown.
    Untimed { days: Option<u32> },
}

/// Everything that makes the phone fetch on a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// `update_policy` is `never_update`: the phone loads nothing, whatever else is set.
    pub never_update: bool,
    pub polling: Polling,
    /// The refresh timer's period in seconds, when it runs.
    pub refresh: Option<u32>,
}

/// Why a setting does not change what the phone does (for the form).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unused {
    PollingOff,
    NoMode,
    /// In this mode, with this period.
    InMode(Mode),
}

impl Rule {
    /// The rule of `s`.
    pub fn of(s: &Settings) -> Rule {
        let polling = match (s.enabled, s.mode) {
            (false, _) => Polling::Off,
            (true, None) => Polling::NoMode,
            (true, Some(Mode::Rel)) => Polling::Every { period: s.period },
            (true, Some(Mode::Abs)) => match s.time {
                Some(time) => Polling::Daily { time },
                None => Polling::Untimed { days: None },
            },
            // A part day rounds up, as Poly documents: 100000 s is 2 days.
            (true, Some(Mode::Random)) if s.period >= DAY_SECONDS => {
                let days = s.period.div_ceil(DAY_SECONDS);
                match s.time {
                    // Without an end, the window is the single minute of the start.
                    Some(start) => Polling::Window {
                        days,
                        start,
                        end: s.time_rand_end.unwrap_or(start),
                    },
                    None => Polling::Untimed { days: Some(days) },
                }
            }
            (true, Some(Mode::Random)) => Polling::Chained { period: s.period },
        };
        Rule {
            never_update: s.never_update,
            polling,
            refresh: (s.refresh_timer > 0).then_some(s.refresh_timer),
        }
    }

    /// Whether the phone fetches on any schedule at all.
    pub fn fetches(&self) -> bool {
        !self.never_update
            && (self.refresh.is_some()
                || matches!(
                    self.polling,
                    Polling::Every { .. }
                        | Polling::Daily { .. }
                        | Polling::Window { .. }
                        | Polling::Chained { .. }
                ))
    }

    /// The mode the polling follows, if any.
    pub fn mode(&self) -> Option<Mode> {
        match self.polling {
            Polling::Off | Polling::NoMode => None,
            Polling::Every { .. } => Some(Mode::Rel),
            Polling::Daily { .. } | Polling::Untimed { days: None } => Some(Mode::Abs),
            Polling::Window { .. }
            | Polling::Chained { .. }
            | Polling::Untimed { days: Some(_) } => Some(Mode::Random),
        }
    }

    /// Why `key` does not change what the phone does with these settings; `None` when it does.
    pub fn unused(&self, key: Key) -> Option<Unused> {
        let p = self.polling;
        let used = match key {
            Key::Enabled | Key::RefreshTimer => true,
            Key::Mode => p != Polling::Off,
            Key::Period => matches!(
                p,
                Polling::Every { .. }
                    | Polling::Window { .. }
                    | Polling::Chained { .. }
                    | Polling::Untimed { days: Some(_) }
            ),
            Key::Time => matches!(
                p,
                Polling::Daily { .. } | Polling::Window { .. } | Polling::Untimed { .. }
            ),
            Key::TimeRandEnd => matches!(
                p,
                Polling::Window { .. } | Polling::Untimed { days: Some(_) }
            ),
        };
        match (used, p, self.mode()) {
            (true, ..) => None,
            (false, Polling::Off, _) => Some(Unused::PollingOff),
            (false, _, Some(mode)) => Some(Unused::InMode(mode)),
            (false, _, None) => Some(Unused::NoMode),
        }
    }
}

impl Rule {
    /// What the phone fetches by, in the schedule every vendor's settings translate into.
    pub fn plan(&self) -> Plan {
        let mut triggers = Vec::new();
        if self.never_update {
            return Plan::default();
        }
        let polling = Source::Polling;
        match self.polling {
            Polling::Off | Polling::NoMode | Polling::Untimed { .. } => {}
            Polling::Every { period } => triggers.push(Trigger::Every {
                source: polling,
                step: period,
            }),
            Polling::Daily { time } => triggers.push(Trigger::Days {
                source: polling,
                days: DaySet::Every(1),
                first: First::Ahead,
                start: time,
                end: time,
                span: 1,
            }),
            Polling::Window { days, start, end } => triggers.push(Trigger::Days {
                source: polling,
                days: DaySet::Every(days),
                first: First::NextDay,
                start,
                end,
                span: 1,
            }),
            Polling::Chained { period } => triggers.push(Trigger::Chained {
                source: polling,
                intervals: vec![(0, period)],
            }),
        }
        if let Some(step) = self.refresh {
            triggers.push(Trigger::Every {
                source: Source::RefreshTimer,
                step,
            });
        }
        Plan {
            triggers,
            ..Plan::default()
        }
    }
}
