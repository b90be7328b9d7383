//! A provisioning server's access log held against the prediction
//! (`shared/domain/access-log.md`): [`request`] reads a line and names the phone that asked,
//! [`read`] keeps per phone only its fetches, [`verdict`] holds them against the phone's
//! schedule; [`report`] does it for every phone of a folder and of the log. [`ingest`] is the
//! one way in: bytes of each file as they come.

pub mod ingest;
pub mod judged;
pub mod read;
pub mod request;
pub mod verdict;

use chrono::{DateTime, Utc};

use crate::core::folder::{Folder, Phone};
use crate::core::mac::Mac;
use crate::core::plan::Plan;
use crate::core::vendor::Reading;
use crate::core::vendor::Vendor;
use crate::core::zone::Zone;
use read::{Log, PhoneLog};
use verdict::{Tally, Verdict};

/// A gzip file's first two bytes.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether a file that begins with `head` is a server's log rather than a settings file, by its
/// content (a dropped file's name says nothing): gzip, or a first line (within its first 4 KB)
/// with a request's `[time] "` (**Choice**: a settings file is XML, which begins with `<`, or
/// `name: value` lines, which have neither).
pub fn looks_like_log(head: &[u8]) -> bool {
    if head.starts_with(&GZIP_MAGIC) {
        return true;
    }
    // On bytes, not text: the page calls this, and a text search costs its bundle 850 B.
    let head = &head[..head.len().min(4096)];
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let xml = line.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    !xml && line
        .iter()
        .position(|&b| b == b'[')
        .is_some_and(|open| line[open..].windows(3).any(|w| w == b"] \""))
}

/// What the log says of one phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneReport {
    pub mac: Mac,
    /// Its own file's vendor where it is in the folder, else its user agent's.
    pub vendor: Option<Vendor>,
    pub verdict: Verdict,
    pub in_folder: bool,
    /// Whether its fetches were held against a schedule (a phone of the folder whose polling
    /// provpoll reads); else only what it did is counted.
    pub predicted: bool,
    pub model: Option<String>,
    pub firmware: Option<String>,
    pub address: Option<String>,
    pub tally: Tally,
    pub last_seen: Option<DateTime<Utc>>,
    /// The latest moment its next expected fetch may come ([`verdict::deadline`]).
    pub deadline: Option<i64>,
}

/// Every phone of the folder and of the log, worst first (then by MAC). `zone_of` gives the
/// zone of a phone's `timezone` code (or of none: another vendor's phone is on the zone chosen).
/// Each phone is judged by its vendor's schedule ([`Phone::plan`]); one whose polling cannot be
/// told (a vendor whose polling is not read, settings unknown or with errors, polling on
/// without what says when) is never `ok` by default: it is `not-predicted` when it polls and
/// gets its files (access-log.md).
///
/// [`Phone::plan`]: crate::core::folder::Phone::plan
pub fn report(
    folder: &Folder,
    log: &Log,
    zone_of: &dyn Fn(Option<&str>) -> Box<dyn Zone>,
) -> Vec<PhoneReport> {
    let end = log.span.map_or(DateTime::<Utc>::UNIX_EPOCH, |(_, to)| to);
    report_at(folder, log, zone_of, end)
}

/// [`report`] as of `end` rather than the log's last request: `provpoll watch` judges as of
/// the clock, so a phone that stops polling is silent without a line to say so.
pub fn report_at(
    folder: &Folder,
    log: &Log,
    zone_of: &dyn Fn(Option<&str>) -> Box<dyn Zone>,
    end: DateTime<Utc>,
) -> Vec<PhoneReport> {
    report_with(folder, log, zone_of, end, None)
}

/// [`report_at`], each phone's closed gaps counted once in `judged` (`provpoll watch` judges
/// every second or so: only what came since is walked).
pub fn report_with(
    folder: &Folder,
    log: &Log,
    zone_of: &dyn Fn(Option<&str>) -> Box<dyn Zone>,
    end: DateTime<Utc>,
    mut judged: Option<&mut judged::Judged>,
) -> Vec<PhoneReport> {
    let mut walk =
        |mac: Mac, plan: &Plan, zone: &dyn Zone, fetches: &[read::Seen]| match &mut judged {
            Some(j) => j.tally(mac, plan, zone, fetches, end),
            None => verdict::walk(plan, zone, fetches, end, 0, &mut |_| {}),
        };
    let mut phones: Vec<PhoneReport> = Vec::new();
    for phone in &folder.phones {
        let mac = phone.mac;
        let seen = log.phones.get(&mac);
        let fetches = seen.map_or(&[][..], |p| p.fetches.as_slice());
        let plan = phone_plan(folder, phone, seen);
        let code = phone
            .effective
            .as_ref()
            .and_then(|e| e.timezone.as_ref())
            .map(|(c, _)| c.as_str());
        let last_failed = fetches.last().is_some_and(|f| !f.ok);
        let zone = zone_of(code);
        let deadline = plan
            .as_ref()
            .zip(fetches.last())
            .and_then(|(plan, last)| verdict::deadline(plan, zone.as_ref(), last.at));
        let (tally, verdict) = match &plan {
            Some(plan) => {
                let tally = walk(mac, plan, zone.as_ref(), fetches);
                (tally, tally.verdict(last_failed))
            }
            None => {
                let tally = seen_only(fetches);
                let verdict = match tally.verdict(last_failed) {
                    Verdict::Ok => Verdict::NotPredicted,
                    v => v,
                };
                (tally, verdict)
            }
        };
        phones.push(PhoneReport {
            mac,
            vendor: Some(phone.vendor),
            predicted: plan.is_some(),
            verdict,
            in_folder: true,
            model: seen
                .and_then(|p| p.model.clone())
                .or_else(|| phone.model.clone()),
            firmware: seen.and_then(|p| p.firmware.clone()),
            address: seen.and_then(|p| p.address.clone()),
            tally,
            last_seen: fetches
                .last()
                .and_then(|f| DateTime::from_timestamp(f.at, 0)),
            deadline,
        });
    }
    let in_folder: std::collections::HashSet<Mac> = phones.iter().map(|p| p.mac).collect();
    let default_reading = folder.default_reader();
    for (mac, seen) in &log.phones {
        if in_folder.contains(mac) {
            continue;
        }
        let fetches = seen.fetches.as_slice();
        // A Poly phone without a file of its own reads the folder's master file (**Choice**).
        let plan = seen
            .vendor()
            .and_then(|v| default_reading(v, *mac))
            .and_then(|r| r.plan_if_known());
        let zone = zone_of(None);
        let deadline = plan
            .as_ref()
            .zip(fetches.last())
            .and_then(|(plan, last)| verdict::deadline(plan, zone.as_ref(), last.at));
        let (tally, verdict) = match &plan {
            Some(plan) => {
                let tally = walk(*mac, plan, zone.as_ref(), fetches);
                let last_failed = fetches.last().is_some_and(|f| !f.ok);
                (tally, tally.verdict(last_failed))
            }
            None => (seen_only(fetches), Verdict::Unknown),
        };
        phones.push(PhoneReport {
            mac: *mac,
            vendor: seen.vendor(),
            predicted: plan.is_some(),
            verdict,
            in_folder: false,
            model: seen.model.clone(),
            firmware: seen.firmware.clone(),
            address: seen.address.clone(),
            tally,
            last_seen: fetches
                .last()
                .and_then(|f| DateTime::from_timestamp(f.at, 0)),
            deadline,
        });
    }
    phones.sort_by(|a, b| (a.verdict, &a.mac).cmp(&(b.verdict, &b.mac)));
    phones
}

/// What a phone of the folder fetches by, as the log knows it: a Yealink phone whose agent
/// names its model reads that model's common file ([`Folder::yealink_by_model`]).
pub fn phone_plan(folder: &Folder, phone: &Phone, seen: Option<&PhoneLog>) -> Option<Plan> {
    phone_reading(folder, phone, seen).map_or_else(|| phone.plan(), |r| r.plan_if_known())
}

/// Another vendor's reading of a phone of the folder, as the log knows it (see
/// [`phone_plan`]); `None` for snom's.
pub fn phone_reading(folder: &Folder, phone: &Phone, seen: Option<&PhoneLog>) -> Option<Reading> {
    seen.and_then(|s| s.model.as_deref())
        .and_then(|model| folder.yealink_by_model(phone, model))
        .or_else(|| phone.reading.clone())
}

/// A tally of what was seen only, where nothing is expected.
fn seen_only(fetches: &[read::Seen]) -> Tally {
    Tally {
        fetches: fetches.len() as u64,
        failed: fetches.iter().filter(|f| !f.ok).count() as u64,
        ..Tally::default()
    }
}

/// How many phones have each verdict, in [`Verdict::ALL`]'s order.
pub fn counts(phones: &[PhoneReport]) -> Vec<(Verdict, usize)> {
    Verdict::ALL
        .into_iter()
        .map(|v| (v, phones.iter().filter(|p| p.verdict == v).count()))
        .collect()
}
