//! Each phone's fetches held against its schedule (`shared/domain/access-log.md`, "Held against
//! the prediction" and "What each phone gets"): one rule for every front end.

use chrono::{DateTime, Utc};

use super::read::Seen;
use crate::core::rule::{Polling, Rule};
use crate::core::schedule::fetches;
use crate::core::settings::Settings;
use crate::core::zone::Zone;

/// Clocks and servers drift: a fetch this close to an expected one meets it (**Choice**).
pub const TOLERANCE_SECONDS: i64 = 120;

/// What a phone's log says of it, the first that applies (the worst first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// In the folder, not one request in the log.
    NeverSeen,
    /// In the log, not a phone of the folder.
    Unknown,
    /// An expected fetch after its last fetch seen was missed: it stopped polling.
    Silent,
    /// Its last fetch failed.
    Failing,
    /// It missed expected fetches earlier, and polls again now.
    Missed,
    /// It polls at times its settings do not predict.
    Unscheduled,
    Ok,
}

impl Verdict {
    pub const ALL: [Verdict; 7] = [
        Verdict::NeverSeen,
        Verdict::Unknown,
        Verdict::Silent,
        Verdict::Failing,
        Verdict::Missed,
        Verdict::Unscheduled,
        Verdict::Ok,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::NeverSeen => "never-seen",
            Verdict::Unknown => "unknown",
            Verdict::Silent => "silent",
            Verdict::Failing => "failing",
            Verdict::Missed => "missed",
            Verdict::Unscheduled => "unscheduled",
            Verdict::Ok => "ok",
        }
    }
}

/// The counts of a phone's fetches against its schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub fetches: u32,
    pub failed: u32,
    /// Expected fetches whose time came within the log: met or missed.
    pub expected: u32,
    pub met: u32,
    pub missed: u32,
    pub unscheduled: u32,
    /// Missed after the last fetch seen.
    pub silent: bool,
}

impl Tally {
    /// The verdict for a phone of the folder with these counts.
    pub fn verdict(&self, last_failed: bool) -> Verdict {
        if self.fetches == 0 {
            Verdict::NeverSeen
        } else if self.silent {
            Verdict::Silent
        } else if last_failed {
            Verdict::Failing
        } else if self.missed > 0 {
            Verdict::Missed
        } else if self.unscheduled > 0 {
            Verdict::Unscheduled
        } else {
            Verdict::Ok
        }
    }
}

/// What the walk over a phone's fetches found, in time order: an expected fetch (an instant,
/// or a window: from `from` to `to`, seconds since 1970) met or missed, or a fetch seen (by its
/// index) that met none. The page draws them on the phone's time strip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Met { from: i64, to: i64 },
    Missed { from: i64, to: i64 },
    Unscheduled(usize),
}

/// Holds `seen` (in time order) against the schedule of `settings` in `zone`, up to the log's
/// `end`: each fetch seen restarts the schedule, as one at T0 does.
pub fn tally(settings: &Settings, zone: &dyn Zone, seen: &[Seen], end: DateTime<Utc>) -> Tally {
    walk(settings, zone, seen, end, &mut |_| {})
}

/// [`tally`], telling `mark` each expected fetch met or missed and each fetch that met none.
pub fn walk(
    settings: &Settings,
    zone: &dyn Zone,
    seen: &[Seen],
    end: DateTime<Utc>,
    mark: &mut dyn FnMut(Mark),
) -> Tally {
    let mut t = Tally {
        fetches: seen.len() as u32,
        failed: seen.iter().filter(|f| !f.ok).count() as u32,
        ..Tally::default()
    };
    let tol = TOLERANCE_SECONDS;
    let rule = Rule::of(settings);
    let chained = match rule.polling {
        Polling::Chained { period } if !rule.never_update && rule.refresh.is_none() => {
            Some(i64::from(period.max(1)))
        }
        _ => None,
    };
    let expects_nothing = expects_nothing(&rule);
    for (i, f) in seen.iter().enumerate() {
        let next = seen.get(i + 1).map(|n| n.at);
        if let Some(period) = chained {
            // Each interval is at most the period: a gap G means ⌈(G − 2 min) / P⌉ − 1 missed.
            // On the strip, each is the period it was due in.
            let gap = next.unwrap_or(end.timestamp()) - f.at;
            let missed = if gap > period + tol {
                ((gap - tol) as u64).div_ceil(period as u64) as u32 - 1
            } else {
                0
            };
            for k in 0..i64::from(missed) {
                let from = f.at + k * period;
                mark(Mark::Missed {
                    from,
                    to: from + period,
                });
            }
            if next.is_some() {
                let from = f.at + i64::from(missed) * period;
                mark(Mark::Met {
                    from,
                    to: from + period,
                });
            }
            t.missed += missed;
            t.expected += missed + u32::from(next.is_some());
            t.met += u32::from(next.is_some());
            t.silent |= next.is_none() && missed > 0;
            continue;
        }
        let Some(from) = DateTime::from_timestamp(f.at, 0) else {
            continue;
        };
        // An expected fetch that begins within the tolerance after F is F itself.
        let expected = fetches(settings, from, zone, f.at as u64)
            .map(|e| (e.earliest.timestamp(), e.latest.timestamp()))
            .filter(|&(earliest, _)| earliest - f.at >= tol);
        match next {
            Some(next) => {
                let mut passed = 0;
                let mut met = false;
                for (earliest, latest) in expected {
                    if earliest - tol > next {
                        break;
                    }
                    if next <= latest + tol {
                        mark(Mark::Met {
                            from: earliest,
                            to: latest,
                        });
                        met = true;
                        break;
                    }
                    mark(Mark::Missed {
                        from: earliest,
                        to: latest,
                    });
                    passed += 1;
                }
                t.missed += passed;
                t.expected += passed + u32::from(met);
                t.met += u32::from(met);
                if !met && !expects_nothing {
                    t.unscheduled += 1;
                    mark(Mark::Unscheduled(i + 1));
                }
            }
            None => {
                let end = end.timestamp();
                let mut missed = 0;
                for (from, to) in expected.take_while(|&(_, latest)| latest + tol < end) {
                    mark(Mark::Missed { from, to });
                    missed += 1;
                }
                t.missed += missed;
                t.expected += missed;
                t.silent = missed > 0;
            }
        }
    }
    t
}

/// Whether the rule predicts no fetch at all (polling off, or its times unknown, and no refresh
/// timer; or never update): then every fetch is fine.
fn expects_nothing(rule: &Rule) -> bool {
    let polling_none = matches!(
        rule.polling,
        Polling::Off | Polling::NoMode | Polling::Untimed { .. }
    );
    rule.never_update || (polling_none && rule.refresh.is_none())
}
