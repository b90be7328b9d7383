//! `schedule` and `check` on another vendor's file (Poly, Yealink, Cisco, Grandstream), told
//! by its content: its reader's problems as `FILE:LINE:COLUMN`, its plan in words and its
//! fetches, as for snom's.

use std::fmt::Write as _;
use std::io::Write;

use chrono::{DateTime, Utc};

use super::{Io, When, display_name, schedule_text, tz_choice};
use crate::core::schedule::{Fetch, plan_fetches};
use crate::core::vendor::{Reading, Vendor};
use crate::core::zone::Zone;
use crate::text::plan::describe;
use crate::words::Words;

/// The file's reading, its problems printed; `None` when one is an error (exit 1).
fn reading(
    path: &str,
    vendor: Vendor,
    bytes: &[u8],
    err: &mut dyn Write,
) -> std::io::Result<Option<Reading>> {
    let file = vendor.read(bytes, 0);
    let Some(mut reading) = vendor.reading(&file.entries) else {
        return Ok(None);
    };
    let mut notes = file.notes;
    notes.append(&mut reading.notes);
    notes.sort_by_key(|n| (!n.is_error(), n.at));
    for n in &notes {
        let severity = if n.is_error() { "error" } else { "warning" };
        writeln!(
            err,
            "{}:{}:{}: {severity}: {}",
            display_name(path),
            n.at.line,
            n.at.column,
            n.problem
        )?;
    }
    let errors = notes.iter().any(|n| n.is_error());
    reading.notes = notes;
    Ok((!errors).then_some(reading))
}

/// The phone's zone, its name and where it came from.
type Clock = (Box<dyn Zone>, String, String);

/// The phone's zone: --tz, else UTC (provpoll reads no vendor's zone setting but snom's).
fn zone(vendor: Vendor, tz: Option<&str>, err: &mut dyn Write) -> std::io::Result<Option<Clock>> {
    let Ok(choice) = tz_choice(tz, err)? else {
        return Ok(None);
    };
    Ok(Some(match choice {
        Some(tz) => (Box::new(tz), tz.name().to_owned(), "from --tz".to_owned()),
        None => (
            Box::new(Utc),
            "UTC".to_owned(),
            format!(
                "the default: provpoll does not read {}'s time zone settings, and --tz names none",
                vendor.name()
            ),
        ),
    }))
}

pub(super) fn schedule(
    path: &str,
    vendor: Vendor,
    bytes: &[u8],
    when: &When,
    count: usize,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let Some(reading) = reading(path, vendor, bytes, err)? else {
        return Ok(1);
    };
    let Some((zone, name, origin)) = zone(vendor, when.tz.as_deref(), err)? else {
        return Ok(1);
    };
    let t0: DateTime<Utc> = when.from.to_utc();
    let list: Vec<Fetch> = plan_fetches(&reading.plan, t0, zone.as_ref(), when.seed)
        .take(count)
        .collect();
    let mut head = String::new();
    let _ = writeln!(
        head,
        "{} phone: {}",
        vendor.name(),
        describe(vendor, &reading, &Words::english())
    );
    let _ = writeln!(head, "Phone time zone: {name} ({origin}).");
    let text = schedule_text(&head, &list, zone.as_ref(), t0, when);
    out.write_all(text.as_bytes())?;
    Ok(0)
}

pub(super) fn check(
    path: &str,
    vendor: Vendor,
    bytes: &[u8],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let Some(reading) = reading(path, vendor, bytes, err)? else {
        return Ok(1);
    };
    writeln!(
        out,
        "{}: {} phone: {}",
        display_name(path),
        vendor.name(),
        describe(vendor, &reading, &Words::english())
    )?;
    Ok(0)
}
