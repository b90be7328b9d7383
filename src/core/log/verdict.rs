//! Each phone's fetches held against its schedule (`shared/domain/access-log.md`, "Held against
//! the prediction" and "What each phone gets"): one rule for every front end.

use chrono::{DateTime, Utc};

use super::read::Seen;
use crate::core::plan::Plan;
use crate::core::rule::Rule;
use crate::core::schedule::plan_fetches;
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
    /// In the folder, but its polling cannot be read (another vendor's phone, or settings a
    /// phone rejects, or none that say when): it polls, and nothing says when it should.
    NotPredicted,
    /// It missed expected fetches earlier, and polls again now.
    Missed,
    /// It polls at times its settings do not predict.
    Unscheduled,
    Ok,
}

impl Verdict {
    pub const ALL: [Verdict; 8] = [
        Verdict::NeverSeen,
        Verdict::Unknown,
        Verdict::Silent,
        Verdict::Failing,
        Verdict::NotPredicted,
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
            Verdict::NotPredicted => "not-predicted",
            Verdict::Missed => "missed",
            Verdict::Unscheduled => "unscheduled",
            Verdict::Ok => "ok",
        }
    }
}

/// The counts of a phone's fetches against its schedule. A gap of a century at one fetch a
/// second is counted whole, so the counts are 64-bit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub fetches: u64,
    pub failed: u64,
    /// Expected fetches whose time came within the log: met or missed.
    pub expected: u64,
    pub met: u64,
    pub missed: u64,
    pub unscheduled: u64,
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

    /// How many marks a [`walk`] without a limit would tell: each expected fetch, and each
    /// fetch that met none.
    pub fn marks(&self) -> u64 {
        self.expected.saturating_add(self.unscheduled)
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

/// Expected fetches looked at one by one in a gap between two fetches seen (or after the
/// last) before the rest of the gap is counted at once; then the work per fetch seen is the
/// same whatever the gap.
const STEPS: u32 = 16;

/// Holds `seen` (in time order) against the schedule of `settings` in `zone`, up to the log's
/// `end`: each fetch seen restarts the schedule, as one at T0 does.
pub fn tally(settings: &Settings, zone: &dyn Zone, seen: &[Seen], end: DateTime<Utc>) -> Tally {
    walk(&Rule::of(settings).plan(), zone, seen, end, 0, &mut |_| {})
}

/// [`tally`], telling `mark` the first `limit` marks, in time order: each expected fetch met or
/// missed and each fetch that met none ([`Tally::marks`] says how many there are in all). The
/// work grows with the fetches seen and `limit`, never with the gaps between them.
pub fn walk(
    plan: &Plan,
    zone: &dyn Zone,
    seen: &[Seen],
    end: DateTime<Utc>,
    limit: usize,
    mark: &mut dyn FnMut(Mark),
) -> Tally {
    walk_counted(plan, zone, seen, Some(end), limit, mark).0
}

/// The counts of the gaps between `seen`'s fetches only, none after the last: a gap's counts
/// depend on its two fetches alone, so [`walk`] is the sum of this over the closed gaps and
/// of a walk from the last fetch (`provpoll watch` keeps the first, [`super::judged`]).
pub fn walk_closed(plan: &Plan, zone: &dyn Zone, seen: &[Seen]) -> Tally {
    walk_counted(plan, zone, seen, None, 0, &mut |_| {}).0
}

/// The steps a [`tally`] takes: expected fetches looked at one by one, and gaps counted at
/// once. For tests and benchmarks: the work the verdicts cost, counted, not timed.
pub fn steps(settings: &Settings, zone: &dyn Zone, seen: &[Seen], end: DateTime<Utc>) -> u64 {
    walk_counted(
        &Rule::of(settings).plan(),
        zone,
        seen,
        Some(end),
        0,
        &mut |_| {},
    )
    .1
}

/// The walk; without an `end`, the gap after the last fetch is not walked.
fn walk_counted(
    plan: &Plan,
    zone: &dyn Zone,
    seen: &[Seen],
    end: Option<DateTime<Utc>>,
    limit: usize,
    mark: &mut dyn FnMut(Mark),
) -> (Tally, u64) {
    let mut work = 0u64;
    let mut t = Tally {
        fetches: seen.len() as u64,
        failed: seen.iter().filter(|f| !f.ok).count() as u64,
        ..Tally::default()
    };
    let mut marks = Marks { left: limit, mark };
    let tol = TOLERANCE_SECONDS;
    // A fetch seen restarts the schedule, but is no boot.
    let plan = plan.after_fetch();
    let chained = plan
        .chain_limits()
        .map(|(lo, hi)| (i64::from(lo), i64::from(hi)));
    let expects_nothing = !plan.fetches();
    for (i, f) in seen.iter().enumerate() {
        let next = seen.get(i + 1).map(|n| n.at);
        let Some(end) = end.or_else(|| next.and_then(|n| DateTime::from_timestamp(n, 0))) else {
            continue;
        };
        if let Some((shortest, period)) = chained {
            let gap = next.unwrap_or(end.timestamp()).saturating_sub(f.at);
            // A fetch sooner than the shortest interval (Cisco's N of `N+R`), less the
            // tolerance, is none the chain expects.
            if next.is_some() && gap + tol < shortest {
                t.unscheduled += 1;
                marks.tell(Mark::Unscheduled(i + 1));
                work += 1;
                continue;
            }
            // Each interval is at most the period: a gap G means ⌈(G − 2 min) / P⌉ − 1 missed.
            // On the strip, each is the period it was due in.
            let missed = if gap > period + tol {
                (gap - tol).unsigned_abs().div_ceil(period.unsigned_abs()) - 1
            } else {
                0
            };
            let mut from = f.at;
            for _ in 0..missed.min(marks.left as u64) {
                marks.tell(Mark::Missed {
                    from,
                    to: from + period,
                });
                from += period;
            }
            if next.is_some() {
                let from = f
                    .at
                    .saturating_add(period.saturating_mul(missed.try_into().unwrap_or(i64::MAX)));
                marks.tell(Mark::Met {
                    from,
                    to: from.saturating_add(period),
                });
            }
            t.missed += missed;
            t.expected += missed + u64::from(next.is_some());
            t.met += u64::from(next.is_some());
            t.silent |= next.is_none() && missed > 0;
            work += 1;
            continue;
        }
        let Some(from) = DateTime::from_timestamp(f.at, 0) else {
            continue;
        };
        // An expected fetch that begins within the tolerance after F is F itself.
        let floor = f.at + tol;
        let mut expected = plan_fetches(&plan, from, zone, f.at as u64);
        // Every expected fetch that ends more than the tolerance before `until` is missed.
        let until = next.unwrap_or(end.timestamp());
        let mut missed = 0u64;
        let mut met = false;
        let (Some(ended), Some(floor_at)) = (
            DateTime::from_timestamp(until - tol, 0),
            DateTime::from_timestamp(floor, 0),
        ) else {
            continue;
        };
        let mut steps = 0;
        loop {
            if steps >= STEPS && marks.left == 0 {
                missed += expected.skip_ended_before(ended, floor_at);
                work += 1;
            }
            let Some(e) = expected.next() else { break };
            work += 1;
            let (earliest, latest) = (e.earliest.timestamp(), e.latest.timestamp());
            if earliest < floor {
                continue;
            }
            steps += 1;
            if latest + tol < until {
                marks.tell(Mark::Missed {
                    from: earliest,
                    to: latest,
                });
                missed += 1;
                continue;
            }
            // The first expected fetch not yet ended: any other that ended (a refresh instant
            // inside a window drawn late) is missed too, wherever the draws put it.
            missed += expected.skip_ended_before(ended, floor_at);
            work += 1;
            if next.is_some() && earliest - tol <= until {
                marks.tell(Mark::Met {
                    from: earliest,
                    to: latest,
                });
                met = true;
            }
            break;
        }
        t.missed += missed;
        t.expected += missed + u64::from(met);
        t.met += u64::from(met);
        if next.is_none() {
            t.silent = missed > 0;
        } else if !met && !expects_nothing {
            t.unscheduled += 1;
            marks.tell(Mark::Unscheduled(i + 1));
        }
    }
    (t, work)
}

/// The latest moment a phone whose last fetch began at `last` may fetch next and still meet
/// its schedule (seconds since 1970): the end of its next expected fetch, plus the
/// tolerance. `None` where it expects nothing more (polling off, boot only).
pub fn deadline(plan: &Plan, zone: &dyn Zone, last: i64) -> Option<i64> {
    let plan = plan.after_fetch();
    if !plan.fetches() {
        return None;
    }
    let tol = TOLERANCE_SECONDS;
    if let Some((_, longest)) = plan.chain_limits() {
        return Some(last.saturating_add(i64::from(longest)).saturating_add(tol));
    }
    let from = DateTime::from_timestamp(last, 0)?;
    // As the walk does: an expected fetch that begins within the tolerance after the last
    // one is that one.
    let mut next = plan_fetches(&plan, from, zone, last as u64)
        .filter(|e| e.earliest.timestamp() >= last + tol);
    let mut end = next.next()?.latest.timestamp();
    // One that begins later may end sooner (a refresh timer's instant inside a random window):
    // the soonest end of those begun by then. Each looked at begins before that end.
    for e in next {
        if e.earliest.timestamp() > end {
            break;
        }
        end = end.min(e.latest.timestamp());
    }
    Some(end.saturating_add(tol))
}

/// Where the walk tells its marks, and how many more it may.
struct Marks<'a> {
    left: usize,
    mark: &'a mut dyn FnMut(Mark),
}

impl Marks<'_> {
    fn tell(&mut self, m: Mark) {
        if self.left > 0 {
            self.left -= 1;
            (self.mark)(m);
        }
    }
}
