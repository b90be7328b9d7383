//! One phone's time strip for the page (`GET /api/phone?mac=…`): its fetches kept, the expected
//! fetches met or missed and the fetches that met none (the walk's marks), its zone, and what
//! it fetches by: a snom phone's six polling settings (the page says them in its language), or
//! another vendor's schedule in words. Never another value of its files.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::super::zones;
use crate::core::folder::Folder;
use crate::core::log::read::Log;
use crate::core::log::verdict::{Mark, walk};
use crate::core::log::{phone_plan, phone_reading};
use crate::core::mac::Mac;
use crate::core::settings::Key;
use crate::core::vendor::Vendor;
use crate::core::zone::{self, Zone};
use crate::text::log::DRAWN;
use crate::text::plan::describe as describe_plan;
use crate::words::Words;

/// The strip's facts as JSON; `None` for a phone neither in the folder nor in the log.
pub fn json(
    folder: &Folder,
    log: &Log,
    mac: Mac,
    choice: Option<&str>,
    end: DateTime<Utc>,
) -> Option<String> {
    let logged = log.phones.get(&mac);
    let phone = folder.phones.iter().find(|p| p.mac == mac);
    if logged.is_none() && phone.is_none() {
        return None;
    }
    let seen = logged.map_or(&[][..], |p| p.fetches.as_slice());
    let effective = phone.and_then(|p| p.effective.as_ref());
    let code = effective
        .and_then(|e| e.timezone.as_ref())
        .map(|(c, _)| c.as_str());
    let lookup = |name: &str| zones::iana(name).map(|tz| Box::new(tz) as Box<dyn Zone>);
    let zone = zone::phone_zone(code, choice, lookup, ("UTC", Box::new(Utc)), end);
    let reading = match phone {
        Some(p) => phone_reading(folder, p, logged),
        None => logged
            .and_then(|l| l.vendor())
            .and_then(|v| folder.default_reader()(v, mac)),
    };
    let plan = match (phone, &reading) {
        (Some(p), _) => phone_plan(folder, p, logged),
        (None, Some(r)) => r.plan_if_known(),
        (None, None) => None,
    };
    let mut marks: Vec<Value> = Vec::new();
    if let Some(plan) = &plan {
        walk(plan, zone.zone.as_ref(), seen, end, DRAWN, &mut |m| {
            marks.push(match m {
                Mark::Met { from, to } => json!(["met", from, to]),
                Mark::Missed { from, to } => json!(["missed", from, to]),
                Mark::Unscheduled(i) => json!(["unscheduled", i]),
            })
        });
    }
    // A snom phone's polling settings, for the page to say in its language; another vendor's
    // schedule, said here.
    let polling: Option<Vec<(&str, &str)>> = effective.filter(|_| reading.is_none()).map(|e| {
        Key::ALL
            .into_iter()
            .filter_map(|k| Some((k.name(), e.draft.value(k)?)))
            .collect()
    });
    let said = reading.as_ref().map(|r| {
        let vendor = phone
            .map(|p| p.vendor)
            .or_else(|| logged.and_then(|l| l.vendor()));
        describe_plan(vendor.unwrap_or(Vendor::Snom), r, &Words::english())
    });
    let value = json!({
        "mac": mac.as_str(),
        "zone": zone.name,
        "seen": seen.iter().map(|f| json!([f.at, f.end, f.ok])).collect::<Vec<_>>(),
        "marks": marks,
        "polling": polling,
        "said": said,
    });
    Some(value.to_string())
}
