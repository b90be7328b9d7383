//! Cisco SPA and MPP (3PCC firmware) resync: elements of a `<flat-profile>`
//! (`shared/domain/vendors.md`, "Cisco").

use super::reading::{
    Entry, Locator, Note, Reading, VendorFile, at, first_of, number, one_of, xml_elements,
};
use crate::core::message::VendorProblem;
use crate::core::plan::{DaySet, First, Plan, Source, Trigger};
use crate::core::settings::ClockTime;

pub const PROVISION_ENABLE: &str = "Provision_Enable";
pub const ON_RESET: &str = "Resync_On_Reset";
pub const RANDOM_DELAY: &str = "Resync_Random_Delay";
pub const PERIODIC: &str = "Resync_Periodic";
pub const AT: &str = "Resync_At__HHmm_";
pub const AT_RANDOM_DELAY: &str = "Resync_At_Random_Delay";
pub const FORCED_DELAY: &str = "Forced_Resync_Delay";
pub const ERROR_RETRY: &str = "Resync_Error_Retry_Delay";

/// The settings read, in this order.
pub const KEYS: [&str; 8] = [
    PROVISION_ENABLE,
    ON_RESET,
    RANDOM_DELAY,
    PERIODIC,
    AT,
    AT_RANDOM_DELAY,
    FORCED_DELAY,
    ERROR_RETRY,
];

/// Reads one Cisco file (file index `file`): each setting's element, the last of a name
/// (as a profile read from the top).
pub fn read(bytes: &[u8], file: usize) -> VendorFile {
    let mut out = VendorFile::default();
    let mut elements = match xml_elements(bytes) {
        Ok(e) => e,
        Err((offset, reason)) => {
            out.notes.push(Note {
                at: at(bytes, file, offset),
                problem: VendorProblem::NotXml { reason },
            });
            return out;
        }
    };
    // In the file's order, for the positions; the last of a name wins.
    elements.sort_by_key(|e| e.offset);
    let mut locator = Locator::new(bytes, file);
    let entries = elements.iter().filter_map(|e| {
        let key = KEYS.iter().find(|&&k| k == e.name)?;
        Some(Entry {
            key,
            name: e.name.clone(),
            value: e.text.trim().to_owned(),
            at: locator.at(e.offset),
        })
    });
    out.entries = first_of(&KEYS, entries.collect::<Vec<_>>().iter().rev());
    out
}

/// What the values in effect make the phone do.
pub fn reading<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Reading {
    let values = first_of(&KEYS, entries);
    let mut notes = Vec::new();
    let get = |k| values.iter().find(|e: &&Entry| e.key == k);
    let yes = |k, notes: &mut Vec<Note>| {
        get(k).map_or(Some(true), |e| {
            one_of(e, &["No", "Yes"], notes).map(|i| i == 1)
        })
    };
    let enabled = yes(PROVISION_ENABLE, &mut notes);
    let on_reset = yes(ON_RESET, &mut notes);
    let random_delay = get(RANDOM_DELAY).map_or(Some(2), |e| number(e, 0, 65535, &mut notes));
    let at_delay = get(AT_RANDOM_DELAY).map_or(Some(600), |e| number(e, 0, 65535, &mut notes));
    for (key, disputed) in [(AT_RANDOM_DELAY, 0..600), (ERROR_RETRY, 0..1)] {
        if let Some(e) = get(key)
            && e.value
                .trim()
                .parse::<i64>()
                .is_ok_and(|n| disputed.contains(&n))
        {
            notes.push(Note {
                at: e.at,
                problem: VendorProblem::Disputed {
                    name: e.name.clone(),
                    text: e.value.trim().to_owned(),
                },
            });
        }
    }
    if let Some(e) = get(FORCED_DELAY) {
        number(e, 0, 65535, &mut notes);
        notes.push(Note {
            at: e.at,
            problem: VendorProblem::DependsOnUse {
                name: e.name.clone(),
            },
        });
    }
    let daily = get(AT)
        .filter(|e| !e.value.trim().is_empty())
        .and_then(|e| {
            let time = hhmm(e.value.trim());
            if time.is_none() {
                notes.push(Note {
                    at: e.at,
                    problem: VendorProblem::NotClock {
                        name: e.name.clone(),
                        text: e.value.trim().to_owned(),
                        form: "HHmm",
                    },
                });
            }
            time
        });
    let periodic = get(PERIODIC).map_or(Some(vec![(3600, 3600)]), |e| intervals(e, &mut notes));
    let mut plan = Plan::default();
    match (enabled, daily) {
        (Some(false) | None, _) => plan.silent_boot = enabled == Some(false),
        // A valid daily time: `Resync_Periodic` is ignored. The resync falls in (HHmm, HHmm +
        // ⌈(delay + 30) / 60⌉ minutes).
        (Some(true), Some(start)) => {
            if let Some(delay) = at_delay {
                let minutes = u32::try_from((delay + 30 + 59) / 60).unwrap_or(0);
                let end = start.minutes() + minutes;
                let end =
                    ClockTime::new(((end / 60) % 24) as u8, (end % 60) as u8).unwrap_or(start);
                plan.triggers.push(Trigger::Days {
                    source: Source::Polling,
                    days: DaySet::Every(1),
                    first: First::Ahead,
                    start,
                    end,
                    span: 1,
                });
            }
        }
        (Some(true), None) => {
            if let (Some(true), Some(delay)) = (on_reset, random_delay) {
                plan.triggers.push(Trigger::Boot {
                    window: u32::try_from(delay * 20).unwrap_or(u32::MAX),
                });
            }
            // Without a resync at boot, the timer waits for the first resync.
            plan.waits = on_reset == Some(false);
            plan.silent_boot = on_reset == Some(false);
            if let Some(intervals) = periodic.filter(|i| !i.is_empty()) {
                plan.triggers.push(Trigger::Chained {
                    source: Source::Polling,
                    intervals,
                });
            }
        }
    }
    Reading {
        values,
        plan,
        notes,
        ..Reading::default()
    }
}

/// `HHmm`, 0000 to 2400 (2400 is midnight).
fn hhmm(text: &str) -> Option<ClockTime> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = (text[..2].parse::<u8>().ok()?, text[2..].parse::<u8>().ok()?);
    match (h, m) {
        (24, 0) => ClockTime::new(0, 0),
        _ => ClockTime::new(h, m),
    }
}

/// `Resync_Periodic`: `0` (off: no interval), `N`, `N+R`, or a list of them.
fn intervals(e: &Entry, notes: &mut Vec<Note>) -> Option<Vec<(u32, u32)>> {
    let text = e.value.trim();
    if text.is_empty() || text == "0" {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    for part in text.split(',') {
        let (n, r) = part.split_once('+').unwrap_or((part, "0"));
        let (Ok(n), Ok(r)) = (n.trim().parse::<u32>(), r.trim().parse::<u32>()) else {
            notes.push(Note {
                at: e.at,
                problem: VendorProblem::NotNumber {
                    name: e.name.clone(),
                    text: text.to_owned(),
                },
            });
            return None;
        };
        if n == 0 {
            return Some(Vec::new());
        }
        out.push((n, n.saturating_add(r)));
    }
    Some(out)
}
