//! Grandstream automatic provisioning: `<P194>` and kin in a `<gs_provision>`, or their
//! `<item name="provisioning.auto.…">` aliases (`shared/domain/vendors.md`, "Grandstream").

use super::reading::{
    Entry, Locator, Note, Reading, VendorFile, at, first_of, number, one_of, xml_elements,
};
use crate::core::message::VendorProblem;
use crate::core::plan::{DaySet, First, Plan, Source, Trigger};
use crate::core::settings::ClockTime;

pub const MODE: &str = "P194";
pub const MINUTES: &str = "P193";
pub const HOUR: &str = "P285";
pub const RANDOM: &str = "P8458";
pub const END_HOUR: &str = "P8459";
pub const DAYS: &str = "P286";

/// The settings read, in this order, with their aliases.
pub const KEYS: [(&str, &str); 6] = [
    (MODE, "provisioning.auto.mode"),
    (MINUTES, "provisioning.auto.minute"),
    (HOUR, "provisioning.auto.hour"),
    (RANDOM, "provisioning.auto.randomTime.enable"),
    (END_HOUR, "provisioning.auto.endHour"),
    (DAYS, "provisioning.auto.day"),
];

/// `P194`'s aliases, by number.
const MODES: [&str; 4] = [
    "No",
    "YesUpgradeMin",
    "YesUpgradeHourOfDay",
    "YesUpgradeDayOfWeek",
];

/// Reads one Grandstream file (file index `file`): `<Pnnn>` elements and `<item name=…>`
/// aliases, the last of a setting (as a file read from the top).
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
    let mut entries = Vec::new();
    for e in &elements {
        let alias = (e.name == "item")
            .then(|| e.attributes.iter().find(|(k, ..)| k == "name"))
            .flatten()
            .map(|(_, v, _)| v.as_str());
        let found = KEYS.iter().find(|(p, a)| *p == e.name || alias == Some(*a));
        if let Some(&(key, alias_name)) = found {
            entries.push(Entry {
                key,
                name: if alias.is_some() { alias_name } else { key }.to_owned(),
                value: e.text.trim().to_owned(),
                at: locator.at(e.offset),
            });
        }
    }
    let keys = KEYS.map(|(k, _)| k);
    out.entries = first_of(&keys, entries.iter().rev());
    out
}

/// What the values in effect make the phone do (the fetch at boot is T0).
pub fn reading<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Reading {
    let keys = KEYS.map(|(k, _)| k);
    let values = first_of(&keys, entries);
    let mut notes = Vec::new();
    let get = |k| values.iter().find(|e: &&Entry| e.key == k);
    // The phones' numbering (**Choice**: the HT8x1 adapters number them differently).
    let mode = get(MODE).map_or(Some(0), |e| {
        let text = e.value.trim();
        MODES
            .iter()
            .position(|m| m.eq_ignore_ascii_case(text))
            .or_else(|| one_of(e, &["0", "1", "2", "3"], &mut notes))
    });
    let hour = get(HOUR).map_or(Some(1), |e| number(e, 0, 23, &mut notes));
    let random = get(RANDOM).map_or(Some(0), |e| one_of(e, &["0", "1"], &mut notes));
    let end = get(END_HOUR).map(|e| number(e, -1, 23, &mut notes));
    let days = get(DAYS).map_or(Some(0b10), |e| day_mask(e, &mut notes));
    let mut plan = Plan::default();
    let mut untimed = false;
    let clock = |h: Option<i64>| h.and_then(|h| ClockTime::new(u8::try_from(h).ok()?, 0));
    let start = clock(hour);
    // The window's end: its default differs by model, so unset it is unknown.
    let end = match (random, end) {
        (Some(1), Some(Some(h))) if h >= 0 => clock(Some(h)).map(Some),
        (Some(1), _) => {
            if mode.is_some_and(|m| m >= 2) {
                untimed = true;
                let at = get(END_HOUR)
                    .or(get(RANDOM))
                    .map(|e| e.at)
                    .unwrap_or_default();
                notes.push(Note {
                    at,
                    problem: VendorProblem::UnknownDefault {
                        name: END_HOUR.to_owned(),
                    },
                });
            }
            None
        }
        _ => Some(None),
    };
    let source = Source::Polling;
    match (mode, start, end) {
        (Some(1), ..) => {
            // Minutes, 60 at least (the templates' range: 60 to 86400 or 5256000 by model).
            let minutes =
                get(MINUTES).map_or(Some(10080), |e| number(e, 60, 5_256_000, &mut notes));
            if let Some(m) = minutes {
                plan.triggers.push(Trigger::Every {
                    source,
                    step: u32::try_from(m * 60).unwrap_or(u32::MAX),
                });
            }
        }
        (Some(m @ (2 | 3)), Some(start), Some(end)) => {
            let days = match (m, days) {
                (2, _) => Some(DaySet::Every(1)),
                (_, Some(mask)) => Some(DaySet::Week(mask)),
                _ => None,
            };
            if let Some(days) = days {
                plan.triggers.push(Trigger::Days {
                    source,
                    days,
                    first: First::Ahead,
                    start,
                    end: end.unwrap_or(start),
                    span: 1,
                });
            }
        }
        _ => {}
    }
    Reading {
        values,
        plan,
        notes,
        untimed,
        ..Reading::default()
    }
}

/// `P286`: days 0–6 (**Choice**: 0 Sunday), several as `0/1/2`, as a mask, bit 0 Sunday.
fn day_mask(e: &Entry, notes: &mut Vec<Note>) -> Option<u8> {
    let text = e.value.trim();
    let mask = text
        .split(['/', ','])
        .try_fold(0u8, |mask, d| match d.trim().parse::<u8>() {
            Ok(d) if d <= 6 => Some(mask | 1 << d),
            _ => None,
        });
    if mask.is_none_or(|m| m == 0) {
        notes.push(Note {
            at: e.at,
            problem: VendorProblem::NotOneOf {
                name: e.name.clone(),
                text: text.to_owned(),
                allowed: "days 0–6 (0 Sunday), several as 0/1/2".to_owned(),
            },
        });
        return None;
    }
    mask
}
