//! The one schedule every vendor's settings translate into (`shared/domain/vendors.md`): a set
//! of triggers, each adding its fetches. snom's [`Rule`](crate::core::rule::Rule) becomes one
//! (`Rule::plan`), and so does each other vendor's reading (`core::vendor`); the schedule
//! (`core::schedule`) and the log's verdicts know only this.

use crate::core::settings::ClockTime;

/// What makes the phone fetch, named as its settings name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    Polling,
    RefreshTimer,
    /// The fetch a phone makes when it starts, where it falls in a window (Cisco's random delay).
    Boot,
    /// Yealink's `repeat`, `weekly` and `flexible` triggers.
    Repeat,
    Weekly,
    Flexible,
}

impl Source {
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Polling => "polling",
            Source::RefreshTimer => "refresh_timer",
            Source::Boot => "boot",
            Source::Repeat => "repeat",
            Source::Weekly => "weekly",
            Source::Flexible => "flexible",
        }
    }

    /// The timeline's lane it is drawn in: the refresh timer's, or polling's for every trigger
    /// a vendor's polling settings make.
    pub const fn lane(self) -> Source {
        match self {
            Source::RefreshTimer => Source::RefreshTimer,
            _ => Source::Polling,
        }
    }
}

/// The days a [`Trigger::Days`] falls on, on the phone's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DaySet {
    /// Every `n` days from the first.
    Every(u32),
    /// The days of the week in the mask (bit 0 Sunday … bit 6 Saturday).
    Week(u8),
    /// Once in each block of `weeks` weeks from the first day, on one of the mask's days the
    /// phone picks (Yealink's `weekly_upgrade_interval`): the expected fetch is the window from
    /// the block's first such day to its last.
    Weeks { mask: u8, weeks: u32 },
}

/// The first day of a [`Trigger::Days`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum First {
    /// The first day whose start is after T0 (today when it is still ahead).
    Ahead,
    /// The day after T0, even when today's start is still ahead (snom's `random`).
    NextDay,
}

/// One way a phone comes to fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// The fetch at boot, at a moment up to `window` seconds after T0. Never after a fetch seen
    /// in a log: that was no boot.
    Boot { window: u32 },
    /// Every `step` seconds after T0, in elapsed time.
    Every { source: Source, step: u32 },
    /// Each fetch from `min` to `max` seconds after the one before (after T0 for the first);
    /// the intervals in turn, the last repeating. `min == 0` is snom's `random` under a day,
    /// whose fetch falls in `(previous, previous + max]`.
    Chained {
        source: Source,
        intervals: Vec<(u32, u32)>,
    },
    /// On the days of `days`, from `start` to `end` on the clock (`end` before `start` ends on
    /// the next day), the window spanning `span` days (1: one day's window; 3: from the first
    /// day's start to the third day's end), never more than the days between turns (windows
    /// that overlap would give fetches out of order). `start == end` on one day is an instant.
    Days {
        source: Source,
        days: DaySet,
        first: First,
        start: ClockTime,
        end: ClockTime,
        span: u32,
    },
}

impl Trigger {
    pub fn source(&self) -> Source {
        match self {
            Trigger::Boot { .. } => Source::Boot,
            Trigger::Every { source, .. }
            | Trigger::Chained { source, .. }
            | Trigger::Days { source, .. } => *source,
        }
    }
}

/// What a phone's settings make it fetch: every trigger's fetches, merged. No trigger: it
/// fetches on no schedule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub triggers: Vec<Trigger>,
    /// Nothing comes until a first fetch is seen (Cisco without a resync at boot: its timer runs
    /// only after a resync).
    pub waits: bool,
    /// The phone fetches nothing when it starts (Cisco without a resync at boot or with
    /// provisioning off, Yealink with `power_on` 0): a fleet's `--boot` counts none for it.
    pub silent_boot: bool,
}

impl Plan {
    /// The plan from a fetch seen in a log rather than a boot: no boot fetch, and a chain of
    /// listed intervals in its repeating stage (**Choice**: a phone polling for longer than the
    /// list's sum has reached its last interval; which interval a phone is at is not logged).
    pub fn after_fetch(&self) -> Plan {
        let triggers = self
            .triggers
            .iter()
            .filter(|t| !matches!(t, Trigger::Boot { .. }))
            .map(|t| match t {
                Trigger::Chained { source, intervals } if intervals.len() > 1 => Trigger::Chained {
                    source: *source,
                    intervals: intervals[intervals.len() - 1..].to_vec(),
                },
                t => t.clone(),
            })
            .collect();
        Plan {
            triggers,
            ..Plan::default()
        }
    }

    /// The longest a phone with this plan may go between two fetches, at most, in seconds
    /// (`provpoll watch` reads the log back that far at start): the soonest of its repeating
    /// triggers' longest waits, each bounded from above. `None` where it expects nothing after
    /// a fetch.
    pub fn longest_wait(&self) -> Option<u64> {
        const DAY: u64 = 86_400;
        self.after_fetch()
            .triggers
            .iter()
            .filter_map(|t| match t {
                Trigger::Boot { .. } => None,
                // A step of 0 fetches nothing (the scheduler skips it).
                Trigger::Every { step, .. } => (*step > 0).then_some(u64::from(*step)),
                Trigger::Chained { intervals, .. } => intervals
                    .iter()
                    .map(|&(_, hi)| u64::from(hi))
                    .max()
                    .filter(|&hi| hi > 0),
                Trigger::Days { days, span, .. } => {
                    let span = u64::from(*span);
                    match *days {
                        DaySet::Every(n) => Some((u64::from(n) + span) * DAY),
                        // The longest run from one of the mask's days to the next, a week
                        // round.
                        DaySet::Week(mask) => {
                            let set = |d: u32| mask & (1 << (d % 7)) != 0;
                            (0..7)
                                .filter(|&d| set(d))
                                .map(|d| (1..=7).find(|&g| set(d + g)).unwrap_or(7))
                                .max()
                                .map(|gap| (u64::from(gap) + span) * DAY)
                        }
                        DaySet::Weeks { weeks, .. } => {
                            Some((2 * 7 * u64::from(weeks) + span) * DAY)
                        }
                    }
                }
            })
            .min()
    }

    /// Whether it predicts any fetch after T0 but the boot's.
    pub fn fetches(&self) -> bool {
        self.triggers
            .iter()
            .any(|t| !matches!(t, Trigger::Boot { .. }))
    }

    /// The shortest and longest a random chain's interval can be, when the plan's fetches
    /// after a fetch seen are a chain whose windows follow its own draws (snom's `random` under
    /// a day, Cisco's `N+R`): the log's verdicts count its gaps by arithmetic. A repeating
    /// trigger beside it restarts at each fetch too (**Choice**), so the next fetch comes at
    /// most the shorter of the two after one, and may come at any time (no shortest).
    pub fn chain_limits(&self) -> Option<(u32, u32)> {
        let after = self.after_fetch();
        let mut chain = None::<(u32, u32)>;
        let mut other = None::<u32>;
        let mut shorter = |step: u32| other = Some(other.map_or(step, |o| o.min(step)));
        for t in &after.triggers {
            match t {
                Trigger::Chained { intervals, .. } => match intervals.last() {
                    Some(&(lo, hi)) if lo < hi => {
                        chain = Some(chain.map_or((lo, hi), |(l, h)| (l.min(lo), h.min(hi))));
                    }
                    Some(&(_, hi)) => shorter(hi),
                    None => {}
                },
                Trigger::Every { step, .. } => shorter(*step),
                // A daily trigger beside a random chain: the chain alone is counted (**Choice**).
                Trigger::Days { .. } | Trigger::Boot { .. } => {}
            }
        }
        let (lo, hi) = chain?;
        Some(match other.filter(|&o| o > 0) {
            Some(o) => (0, o.min(hi).max(1)),
            None => (lo, hi.max(1)),
        })
    }
}
