//! What a log that goes on (`provpoll watch`) keeps between two judgements: each phone's
//! counts over its closed gaps (from one fetch to the next), so that a judgement walks only
//! the gaps closed since the last one and each phone's last gap ([`verdict::walk_closed`]):
//! its work grows with the fetches that came, not with those kept.

use std::collections::HashMap;

use super::read::Seen;
use super::verdict::{self, Tally};
use crate::core::mac::Mac;
use crate::core::plan::Plan;
use crate::core::zone::Zone;

/// One phone's closed gaps, counted.
struct Closed {
    plan: Plan,
    /// The first fetch's and the last counted fetch's start: a fetch forgotten or one come
    /// between them (a line out of order) makes them differ, and the phone is counted anew.
    first: i64,
    last: i64,
    /// Fetches counted (gaps: one fewer).
    fetches: usize,
    tally: Tally,
}

/// Each phone's counts over its closed gaps, by MAC.
#[derive(Default)]
pub struct Judged {
    phones: HashMap<Mac, Closed>,
}

impl Judged {
    /// Forgets every count (the folder changed: plans and zones may have).
    pub fn clear(&mut self) {
        self.phones.clear();
    }

    /// The counts of `seen` (in time order) under `plan` up to `end`, as [`verdict::walk`]
    /// gives them, walking only what changed since the last call for `mac`.
    pub fn tally(
        &mut self,
        mac: Mac,
        plan: &Plan,
        zone: &dyn Zone,
        seen: &[Seen],
        end: chrono::DateTime<chrono::Utc>,
    ) -> Tally {
        let Some(last) = seen.len().checked_sub(1) else {
            self.phones.remove(&mac);
            return verdict::walk(plan, zone, seen, end, 0, &mut |_| {});
        };
        let kept = self.phones.get(&mac).filter(|c| {
            c.plan == *plan
                && c.first == seen[0].at
                && c.fetches <= seen.len()
                && seen[c.fetches - 1].at == c.last
        });
        let (from, mut closed) = match kept {
            Some(c) => (c.fetches - 1, c.tally),
            None => (0, Tally::default()),
        };
        let more = verdict::walk_closed(plan, zone, &seen[from..]);
        add(&mut closed, &more);
        self.phones.insert(
            mac,
            Closed {
                plan: plan.clone(),
                first: seen[0].at,
                last: seen[last].at,
                fetches: seen.len(),
                tally: closed,
            },
        );
        let mut tally = verdict::walk(plan, zone, &seen[last..], end, 0, &mut |_| {});
        add(&mut tally, &closed);
        tally.fetches = seen.len() as u64;
        tally.failed = seen.iter().filter(|f| !f.ok).count() as u64;
        tally
    }
}

/// Adds the counts of `more` (gaps elsewhere) to `t`; `silent` is the last gap's alone.
fn add(t: &mut Tally, more: &Tally) {
    t.expected += more.expected;
    t.met += more.met;
    t.missed += more.missed;
    t.unscheduled += more.unscheduled;
}
