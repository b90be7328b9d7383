//! Yealink auto provisioning: `key = value` lines, with or without `static.`
//! (`shared/domain/vendors.md`, "Yealink"). The MAC file's value wins over the common file's.

use super::reading::{Entry, Locator, Note, Reading, VendorFile, clock, first_of, number, one_of};
use crate::core::message::VendorProblem;
use crate::core::plan::{DaySet, First, Plan, Source, Trigger};
use crate::core::settings::ClockTime;

pub const POWER_ON: &str = "static.auto_provision.power_on";
pub const REPEAT_ENABLE: &str = "static.auto_provision.repeat.enable";
pub const REPEAT_MINUTES: &str = "static.auto_provision.repeat.minutes";
pub const WEEKLY_ENABLE: &str = "static.auto_provision.weekly.enable";
pub const WEEKLY_DAYS: &str = "static.auto_provision.weekly.dayofweek";
pub const WEEKLY_BEGIN: &str = "static.auto_provision.weekly.begin_time";
pub const WEEKLY_END: &str = "static.auto_provision.weekly.end_time";
pub const WEEKLY_INTERVAL: &str = "static.auto_provision.weekly_upgrade_interval";
pub const INACTIVITY: &str = "static.auto_provision.inactivity_time_expire";
pub const FLEXIBLE_ENABLE: &str = "static.auto_provision.flexible.enable";
pub const FLEXIBLE_INTERVAL: &str = "static.auto_provision.flexible.interval";
pub const FLEXIBLE_BEGIN: &str = "static.auto_provision.flexible.begin_time";
pub const FLEXIBLE_END: &str = "static.auto_provision.flexible.end_time";

/// The settings read, in this order.
pub const KEYS: [&str; 13] = [
    POWER_ON,
    REPEAT_ENABLE,
    REPEAT_MINUTES,
    WEEKLY_ENABLE,
    WEEKLY_DAYS,
    WEEKLY_BEGIN,
    WEEKLY_END,
    WEEKLY_INTERVAL,
    INACTIVITY,
    FLEXIBLE_ENABLE,
    FLEXIBLE_INTERVAL,
    FLEXIBLE_BEGIN,
    FLEXIBLE_END,
];

/// Reads one Yealink file (file index `file`). Within a file, the `static.` line wins over the
/// unprefixed one (**Choice**, with a warning where both stand), and of two lines of one name
/// the last (as a file read from the top).
pub fn read(bytes: &[u8], file: usize) -> VendorFile {
    let mut out = VendorFile::default();
    let text = String::from_utf8_lossy(bytes);
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let bom = text.len() - body.len();
    let mut locator = Locator::new(bytes, file);
    if !body.trim_start().starts_with("#!version:") {
        out.notes.push(Note {
            at: locator.at(bom),
            problem: VendorProblem::NoVersionLine,
        });
    }
    let mut offset = bom;
    let mut lines: Vec<(Entry, bool)> = Vec::new();
    for raw in body.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        let indent = raw.len() - raw.trim_start().len();
        // Where, only for the lines kept: a file of a million lines costs one pass.
        let mut where_ = || locator.at(start + indent);
        let prefixed = name.starts_with("static.");
        let bare = name.strip_prefix("static.").unwrap_or(name);
        if bare == "auto_provision.mode" || bare.starts_with("auto_provision.schedule") {
            out.notes.push(Note {
                at: where_(),
                problem: VendorProblem::NotRead {
                    name: name.to_owned(),
                },
            });
            continue;
        }
        let Some(&key) = KEYS
            .iter()
            .find(|k| k.strip_prefix("static.") == Some(bare))
        else {
            continue;
        };
        lines.push((
            Entry {
                key,
                name: name.to_owned(),
                value: value.trim().to_owned(),
                at: where_(),
            },
            prefixed,
        ));
    }
    // One entry per setting: the last `static.` line, else the last bare one.
    for &key in &KEYS {
        let of_key = || lines.iter().filter(|(e, _)| e.key == key);
        let prefixed = of_key().rfind(|(_, p)| *p);
        let bare = of_key().rfind(|(_, p)| !*p);
        if let (Some((p, _)), Some((b, _))) = (prefixed, bare) {
            out.notes.push(Note {
                at: b.at,
                problem: VendorProblem::BothNames {
                    name: p.name.clone(),
                    other: b.name.clone(),
                },
            });
        }
        if let Some((e, _)) = prefixed.or(bare) {
            out.entries.push(e.clone());
        }
    }
    out
}

/// What the values in effect make the phone do: `entries` with the MAC file's first (the first
/// of each setting wins). Each enabled trigger adds its fetches; the fetch at power on is T0.
pub fn reading<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Reading {
    let values = first_of(&KEYS, entries);
    let mut notes = Vec::new();
    let get = |k| values.iter().find(|e: &&Entry| e.key == k);
    let on =
        |k, notes: &mut Vec<Note>| get(k).is_some_and(|e| one_of(e, &["0", "1"], notes) == Some(1));
    let mut plan = Plan::default();
    if let Some(e) = get(POWER_ON) {
        plan.silent_boot = one_of(e, &["0", "1"], &mut notes) == Some(0);
    }
    if on(REPEAT_ENABLE, &mut notes) {
        let minutes = get(REPEAT_MINUTES).map_or(Some(1440), |e| number(e, 1, 43200, &mut notes));
        if let Some(m) = minutes {
            plan.triggers.push(Trigger::Every {
                source: Source::Repeat,
                step: u32::try_from(m * 60).unwrap_or(u32::MAX),
            });
        }
    }
    if on(WEEKLY_ENABLE, &mut notes) {
        let mask = get(WEEKLY_DAYS).map_or(Some(0x7f), |e| day_mask(e, &mut notes));
        let midnight = ClockTime::new(0, 0);
        let begin = get(WEEKLY_BEGIN).map_or(midnight, |e| clock(e, &mut notes));
        let end = get(WEEKLY_END).map_or(midnight, |e| clock(e, &mut notes));
        let weeks = get(WEEKLY_INTERVAL).map_or(Some(0), |e| number(e, 0, 12, &mut notes));
        if let Some(e) = get(INACTIVITY)
            && number(e, 0, 120, &mut notes).is_some_and(|n| n > 0)
        {
            notes.push(Note {
                at: e.at,
                problem: VendorProblem::DependsOnUse {
                    name: e.name.clone(),
                },
            });
        }
        if let (Some(mask), Some(start), Some(end), Some(weeks)) = (mask, begin, end, weeks) {
            let days = match weeks {
                0 => DaySet::Week(mask),
                n => DaySet::Weeks {
                    mask,
                    weeks: u32::try_from(n).unwrap_or(1),
                },
            };
            plan.triggers.push(Trigger::Days {
                source: Source::Weekly,
                days,
                first: First::Ahead,
                start,
                end,
                span: 1,
            });
        }
    }
    if on(FLEXIBLE_ENABLE, &mut notes) {
        let interval = get(FLEXIBLE_INTERVAL).map_or(Some(30), |e| number(e, 1, 1000, &mut notes));
        let begin = get(FLEXIBLE_BEGIN).map_or(ClockTime::new(2, 0), |e| clock(e, &mut notes));
        // An empty end: at the begin time.
        let end = match get(FLEXIBLE_END).filter(|e| !e.value.trim().is_empty()) {
            Some(e) => clock(e, &mut notes).map(Some),
            None => Some(None),
        };
        if let (Some(days), Some(start), Some(end)) = (interval, begin, end) {
            let days = u32::try_from(days).unwrap_or(1);
            // On a day derived from the MAC (not published): the window over the interval.
            plan.triggers.push(Trigger::Days {
                source: Source::Flexible,
                days: DaySet::Every(days),
                first: First::Ahead,
                start,
                end: end.unwrap_or(start),
                span: days,
            });
        }
    }
    Reading {
        values,
        plan,
        notes,
        ..Reading::default()
    }
}

/// `weekly.dayofweek`'s digits 0–6 (0 Sunday) as a mask, bit 0 Sunday.
fn day_mask(e: &Entry, notes: &mut Vec<Note>) -> Option<u8> {
    let text = e.value.trim();
    let mut mask = 0u8;
    for b in text.bytes() {
        match b {
            b'0'..=b'6' => mask |= 1 << (b - b'0'),
            _ => mask = 0,
        }
        if mask == 0 {
            break;
        }
    }
    if mask == 0 {
        notes.push(Note {
            at: e.at,
            problem: VendorProblem::NotOneOf {
                name: e.name.clone(),
                text: text.to_owned(),
                allowed: "digits 0–6 (0 Sunday)".to_owned(),
            },
        });
        return None;
    }
    Some(mask)
}

/// The name of a model's common file (`y000000000066.cfg` for `T46S`), by the model as its user
/// agent writes it (`T46S`, `SIP-T46S`, `T19P_E2`, any case). The codes are FusionPBX's
/// template folders' files (fusionpbx/fusionpbx c7a00dc, `resources/templates/provision/yealink/`)
/// checked against wazo-provd-plugins' `COMMON_FILES` (`plugins/wazo_yealink/v8x/entry.py`,
/// before they were removed) and m-dark/sip-phone's table; W80B, T56A, T18, T48U, T44U,
/// CP965 and the AX and T7x/T8x models are from one source only.
pub fn common_file(model: &str) -> Option<String> {
    let model = model.trim().to_ascii_uppercase();
    let model = model.strip_prefix("SIP-").unwrap_or(&model);
    COMMON_CODES
        .iter()
        .find(|(m, _)| *m == model)
        .map(|&(_, code)| format!("y{code:012}.cfg"))
}

/// Models and their common files' codes.
const COMMON_CODES: &[(&str, u16)] = &[
    ("T28P", 0),
    ("T26P", 4),
    ("T22P", 5),
    ("T20P", 7),
    ("T18", 9),
    ("VP530", 23),
    ("VP530P", 23),
    ("W52P", 25),
    ("W56P", 25),
    ("T46G", 28),
    ("T42G", 29),
    ("T32G", 32),
    ("T48G", 35),
    ("T41P", 36),
    ("CP860", 37),
    ("T38G", 38),
    ("T23P", 44),
    ("T23G", 44),
    ("T27P", 45),
    ("T29G", 46),
    ("T49G", 51),
    ("VP-T49G", 51),
    ("T21P_E2", 52),
    ("T19P_E2", 53),
    ("T40P", 54),
    ("T56A", 56),
    ("T58", 58),
    ("T58A", 58),
    ("T58V", 58),
    ("T48S", 65),
    ("T46S", 66),
    ("T42S", 67),
    ("T41S", 68),
    ("T27G", 69),
    ("T54S", 70),
    ("CP960", 73),
    ("T52S", 74),
    ("T40G", 76),
    ("W60B", 77),
    ("CP920", 78),
    ("VP59", 91),
    ("T53", 95),
    ("T53W", 95),
    ("T54W", 96),
    ("T57W", 97),
    ("W80B", 103),
    ("T43U", 107),
    ("T46U", 108),
    ("T48U", 109),
    ("T42U", 116),
    ("T31", 123),
    ("T31G", 123),
    ("T31P", 123),
    ("T33G", 124),
    ("T33P", 124),
    ("T30", 127),
    ("T30P", 127),
    ("CP965", 143),
    ("W70B", 146),
    ("CP925", 148),
    ("T58W", 150),
    ("T34W", 171),
    ("T31W", 172),
    ("T44U", 173),
    ("T44W", 174),
    ("AX83H", 180),
    ("AX86R", 182),
    ("T73W", 183),
    ("T74W", 184),
    ("T73U", 186),
    ("T74U", 187),
    ("T77U", 188),
    ("T88V", 192),
    ("T88W", 192),
    ("T85W", 196),
    ("T87W", 197),
];
