//! Poly (Polycom UC Software) polling: attributes `prov.polling.*` of any element
//! (`shared/domain/vendors.md`, "Poly"). The value found first, in `CONFIG_FILES` order, is the
//! one in effect.

use super::reading::{
    Entry, Locator, Note, Reading, VendorFile, at, clock, first_of, number, one_of, xml_elements,
};
use crate::core::message::VendorProblem;
use crate::core::plan::{DaySet, First, Plan, Source, Trigger};
use crate::core::settings::{ClockTime, DAY_SECONDS};

pub const ENABLED: &str = "prov.polling.enabled";
pub const MODE: &str = "prov.polling.mode";
pub const PERIOD: &str = "prov.polling.period";
pub const TIME: &str = "prov.polling.time";
pub const TIME_RANDOM_END: &str = "prov.polling.timeRandomEnd";

/// The settings read, in this order.
pub const KEYS: [&str; 5] = [ENABLED, MODE, PERIOD, TIME, TIME_RANDOM_END];

/// Poly's guides ask for a period over this (the FAQ: at least).
const SHORTEST_PERIOD: i64 = 3600;

/// Reads one Poly file (file index `file`): its polling attributes, and a master file's
/// `CONFIG_FILES`.
pub fn read(bytes: &[u8], file: usize) -> VendorFile {
    let mut out = VendorFile::default();
    let elements = match xml_elements(bytes) {
        Ok(e) => e,
        Err((offset, reason)) => {
            out.notes.push(Note {
                at: at(bytes, file, offset),
                problem: VendorProblem::NotXml { reason },
            });
            return out;
        }
    };
    // Elements close inner first; their attributes stand in the order of their openings.
    out.master = elements.iter().any(|e| e.name == "APPLICATION");
    let mut attributes: Vec<&(String, String, usize)> =
        elements.iter().flat_map(|e| &e.attributes).collect();
    attributes.sort_by_key(|(_, _, offset)| *offset);
    let mut locator = Locator::new(bytes, file);
    for (name, value, offset) in attributes {
        if name == "CONFIG_FILES" {
            out.config_files = value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        } else if let Some(&key) = KEYS.iter().find(|&&k| k == name) {
            out.entries.push(Entry {
                key,
                name: name.clone(),
                value: value.clone(),
                at: locator.at(*offset),
            });
        }
    }
    out
}

/// What the values in effect make the phone do: `entries` in the order the phone reads them
/// (the first of each setting wins).
pub fn reading<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Reading {
    let values = first_of(&KEYS, entries);
    let mut notes = Vec::new();
    let get = |k| values.iter().find(|e: &&Entry| e.key == k);
    let enabled = get(ENABLED).map_or(Some(0), |e| one_of(e, &["0", "1"], &mut notes));
    // **Choice**: `abs` when the mode is not set (the Trio guide and the shipped sip.cfg).
    let mode = get(MODE).map_or(Some(0), |e| {
        one_of(e, &["abs", "rel", "random"], &mut notes)
    });
    let period = get(PERIOD).map_or(Some(i64::from(DAY_SECONDS)), |e| {
        number(e, 1, i64::from(u32::MAX), &mut notes)
    });
    if let (Some(e), Some(p)) = (get(PERIOD), period)
        && p < SHORTEST_PERIOD
    {
        notes.push(Note {
            at: e.at,
            problem: VendorProblem::ShortPeriod {
                name: e.name.clone(),
                text: p.to_string(),
            },
        });
    }
    let three = ClockTime::new(3, 0);
    let time = get(TIME).map_or(three, |e| clock(e, &mut notes));
    let end = match get(TIME_RANDOM_END) {
        Some(e) => clock(e, &mut notes).map(Some),
        None => Some(None),
    };
    let mut plan = Plan::default();
    if let (Some(1), Some(mode), Some(period), Some(time), Some(end)) =
        (enabled, mode, period, time, end)
    {
        let period = u32::try_from(period).unwrap_or(u32::MAX);
        plan.triggers.push(trigger(mode, period, time, end));
    }
    Reading {
        values,
        plan,
        notes,
        ..Reading::default()
    }
}

/// The trigger of mode `mode` (0 abs, 1 rel, 2 random).
fn trigger(mode: usize, period: u32, time: ClockTime, end: Option<ClockTime>) -> Trigger {
    let source = Source::Polling;
    let days = period.div_ceil(DAY_SECONDS).max(1);
    match mode {
        // rel: every period, counted from boot.
        1 => Trigger::Every {
            source,
            step: period,
        },
        // random under a day: the first at a random moment within a period of boot, then
        // every period (the UCS 5.8.1 guide: **Choice** over the FAQ's "any time of the day").
        2 if period < DAY_SECONDS => Trigger::Chained {
            source,
            intervals: vec![(0, period), (period, period)],
        },
        // random of D days: one fetch in each D days, on a day derived from the MAC by a
        // function Poly does not publish: the window from the first day's start to the D-th
        // day's end.
        2 => Trigger::Days {
            source,
            days: DaySet::Every(days),
            first: First::Ahead,
            start: time,
            end: end.unwrap_or(time),
            span: days,
        },
        // abs: every D days at the time.
        _ => Trigger::Days {
            source,
            days: DaySet::Every(days),
            first: First::Ahead,
            start: time,
            end: time,
            span: 1,
        },
    }
}

/// The last segment of a `CONFIG_FILES` name, with `[PHONE_MAC_ADDRESS]` put in (lower case, as
/// Poly's own file names write it).
pub fn listed_name(listed: &str, mac: &str) -> String {
    let name = listed.rsplit(['/', '\\']).next().unwrap_or(listed);
    name.replace("[PHONE_MAC_ADDRESS]", &mac.to_ascii_lowercase())
}
