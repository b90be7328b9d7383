//! The fleet's load, counted in the page's worker (wasm32 only): what N phones with the form's
//! settings do to the provisioning server beside an alternative, or what the open folder's
//! phones do, as the charts' markup. The page sends what to count and shows what comes back
//! (`crate::app::fleet_view`); counting off the page's thread keeps the page quick, and this
//! code out of the page's bundle.
//!
//! The page asks with a [`FleetRequest`] (or cancels); the worker answers with the progress,
//! then the figures (`crate::web::protocol`).

use std::cell::Cell;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use gloo_timers::callback::Timeout;

use crate::core::fleet::{Alternative, Fleet, FleetProblem, Load, Member, MixedJob, Rules, Spread};
use crate::core::message::Said;
use crate::core::settings::Settings;
use crate::core::vendor::{Reading, Vendor};
use crate::core::zone::Zone;
use crate::text::fleet as fleet_text;
use crate::text::plan::describe as describe_plan;
use crate::text::render::{self, Axes};
use crate::text::summary::describe_in;
use crate::text::timeline::{self, Horizon};
use crate::web::protocol::{FleetRequest, FromWorker};
use crate::words::{Words, decimal};

/// The longest a slice of counting takes before the worker reads its messages again (a newer
/// request or a cancel).
const SLICE_MS: f64 = 12.0;

thread_local! {
    /// The latest request; a run that is not the latest (superseded or cancelled) stops.
    static LATEST: Cell<u32> = const { Cell::new(0) };
}

/// The worker's way to the page.
pub type Post = fn(FromWorker);

/// A group of the open folder: its phones, their settings (if valid) and `timezone` code.
pub struct Group {
    pub phones: u32,
    pub settings: Option<Settings>,
    pub zone_code: Option<String>,
}

/// Another vendor's phones of the open folder with one plan.
pub struct VendorGroup {
    pub vendor: Vendor,
    pub reading: Reading,
    pub phones: u32,
}

/// The open folder's phones, as the fleet counts them.
pub struct FolderPhones {
    pub groups: Vec<Group>,
    /// Other vendors' phones whose polling is read, by vendor and plan.
    pub vendors: Vec<VendorGroup>,
    /// Phones whose settings are unknown (a file they read cannot be read).
    pub unknown: u32,
}

fn millis() -> f64 {
    js_sys::Date::now()
}

/// What a run counts.
enum Kind {
    /// The settings and the alternative, for N phones.
    Compare {
        alt_settings: Settings,
        /// What the alternative changes, in words.
        changes: String,
    },
    /// The open folder's phones, a job per group (its summary and zone); `left_out` phones have
    /// settings that are unknown or invalid.
    Folder { groups: Vec<String>, left_out: u32 },
}

/// A fleet being computed, a slice at a time.
struct Run {
    words: Words,
    post: Post,
    /// What is counted: the settings and the alternative, a job each; or the folder's groups,
    /// one job.
    jobs: Vec<MixedJob<Rc<dyn Zone>>>,
    /// The zone the page shows times in (the buckets lie on its clock).
    zone: Rc<dyn Zone>,
    /// The horizon, for the charts' time axis.
    horizon: Horizon,
    kind: Kind,
    phones: u32,
    boot: bool,
    /// Phones per step, adapted so that a step takes a few milliseconds.
    chunk: u32,
    /// Time spent computing, not counting the pauses for the page between slices.
    millis: f64,
    generation: u32,
}

/// Stops the run under way.
pub fn cancel() {
    LATEST.set(0);
}

/// Starts counting what the page asks, with the open folder's phones if there are any; a newer
/// request or a cancel stops it.
pub fn request(r: &FleetRequest, folder: Option<FolderPhones>, words: Words, post: Post) {
    LATEST.set(r.generation);
    let started = millis();
    let settings = crate::core::check::validate(&r.draft)
        .settings
        .unwrap_or_default();
    let t0 = DateTime::<Utc>::from_timestamp(r.t0, 0).unwrap_or_default();
    let horizon = Horizon::parse(&r.horizon).unwrap_or(Horizon::Week);
    let zone = crate::web::intl::zone_named(&r.zone);
    // "All at once" is a power cut: every phone's boot is a fetch (docs/polling.md).
    let boot = r.spread == 0;
    let fleet = Fleet {
        phones: r.phones,
        spread: Spread::of(r.spread),
        horizon: horizon.span().num_seconds() as u32,
        bucket: 60,
        seed: 1,
        boot,
    };
    let (jobs, kind, phones) = match folder {
        Some(info) => folder_jobs(&info, t0, &zone, &r.choice, &fleet, &words),
        None => compare_jobs(&settings, r, t0, &zone, &fleet, &words),
    };
    let run = Run {
        words,
        post,
        jobs,
        zone,
        horizon,
        kind,
        phones,
        boot,
        chunk: 1,
        millis: millis() - started,
        generation: r.generation,
    };
    slice(run);
}

/// The open folder's real mix: each group by its own settings and zone (its `timezone` code,
/// else the zone `choice`), numbered across the groups so that a spread covers the whole
/// folder; the phones counted.
fn folder_jobs(
    info: &FolderPhones,
    t0: DateTime<Utc>,
    zone: &Rc<dyn Zone>,
    choice: &str,
    fleet: &Fleet,
    words: &Words,
) -> (Vec<MixedJob<Rc<dyn Zone>>>, Kind, u32) {
    let mut members = Vec::new();
    let mut groups = Vec::new();
    for g in &info.groups {
        let Some(settings) = g.settings else { continue };
        let phone = crate::web::intl::phone_zone(g.zone_code.as_deref(), choice, t0);
        groups.push(format!(
            "{} ({})",
            describe_in(&settings, words),
            phone.name
        ));
        members.push(Member {
            rules: Rules::Snom(settings),
            zone: phone.zone,
            phones: g.phones,
        });
    }
    // On the zone chosen: provpoll reads no vendor's zone setting but snom's.
    for g in &info.vendors {
        let phone = crate::web::intl::phone_zone(None, choice, t0);
        groups.push(format!(
            "{}: {} ({})",
            g.vendor.name(),
            describe_plan(g.vendor, &g.reading, words),
            phone.name
        ));
        members.push(Member {
            rules: Rules::Plan(g.reading.plan.clone()),
            zone: phone.zone,
            phones: g.phones,
        });
    }
    let all: u32 = info.groups.iter().map(|g| g.phones).sum::<u32>()
        + info.vendors.iter().map(|g| g.phones).sum::<u32>();
    let counted: u32 = members.iter().map(|m| m.phones).sum();
    let kind = Kind::Folder {
        groups,
        left_out: all - counted + info.unknown,
    };
    let job = MixedJob::new(members, t0, zone.as_ref(), fleet);
    (vec![job], kind, counted)
}

/// The settings and the alternative the page asks for (or the first that changes something),
/// each a job of `fleet.phones` phones.
fn compare_jobs(
    settings: &Settings,
    r: &FleetRequest,
    t0: DateTime<Utc>,
    zone: &Rc<dyn Zone>,
    fleet: &Fleet,
    words: &Words,
) -> (Vec<MixedJob<Rc<dyn Zone>>>, Kind, u32) {
    let alt = Alternative::parse(&r.alternative)
        .unwrap_or_else(|| Alternative::first_differing(settings, r.spread));
    let (alt_settings, alt_spread) = alt.apply(settings, r.spread);
    let job = |settings: Settings, spread: u32| {
        let member = Member {
            rules: Rules::Snom(settings),
            zone: zone.clone(),
            phones: fleet.phones,
        };
        let fleet = Fleet {
            spread: Spread::of(spread),
            ..*fleet
        };
        MixedJob::new(vec![member], t0, zone.as_ref(), &fleet)
    };
    let jobs = vec![job(*settings, r.spread), job(alt_settings, alt_spread)];
    let changes = fleet_text::changes(alt, settings, r.spread, words);
    let kind = Kind::Compare {
        alt_settings,
        changes,
    };
    (jobs, kind, fleet.phones)
}

/// Works on `run` for up to [`SLICE_MS`], then reads the worker's messages and goes on in a
/// new task, until it is done or a newer request replaces it.
fn slice(mut run: Run) {
    if LATEST.get() != run.generation {
        return;
    }
    let start = millis();
    loop {
        let Some(job) = run.jobs.iter_mut().find(|j| !j.done()) else {
            run.millis += millis() - start;
            let (post, generation) = (run.post, run.generation);
            post(FromWorker::FleetDone {
                generation,
                markup: figures(run),
            });
            return;
        };
        let before = millis();
        job.step(run.chunk);
        let took = millis() - before;
        if took < 2.0 {
            run.chunk = run.chunk.saturating_mul(2);
        } else if took > 6.0 {
            run.chunk = (run.chunk / 2).max(1);
        }
        if millis() - start > SLICE_MS {
            break;
        }
    }
    run.millis += millis() - start;
    let done: f64 = run.jobs.iter().map(MixedJob::progress).sum();
    let percent = decimal(done * 100.0 / run.jobs.len().max(1) as f64, 0);
    (run.post)(FromWorker::FleetProgress {
        generation: run.generation,
        percent,
    });
    Timeout::new(0, move || slice(run)).forget();
}

/// Everything the fleet shows of a finished run, as one string (its words and markup:
/// `text::fleet`).
fn figures(run: Run) -> String {
    let zone = run.zone.as_ref();
    let w = &run.words;
    // The folder's one job gives its total and each group's part; the comparison's two jobs,
    // one load each. A load that could not be counted says why, in the page's words.
    let said = |l: Result<Load, FleetProblem>| l.map_err(|e| e.say(w));
    let mut finished: Vec<_> = run.jobs.into_iter().map(MixedJob::finish).collect();
    let (total, loads): (Option<Load>, Vec<Result<Load, String>>) = match run.kind {
        Kind::Folder { .. } => {
            let (total, parts) = finished.pop().unwrap_or_default();
            (total, parts.into_iter().map(said).collect())
        }
        Kind::Compare { .. } => (
            None,
            finished
                .into_iter()
                .map(|(_, parts)| {
                    let first = parts.into_iter().next();
                    first.map_or_else(|| Err(String::new()), said)
                })
                .collect(),
        ),
    };
    // The charts' time axis: the buckets' span, labelled on the phones' clock.
    let ticks = loads
        .iter()
        .find_map(|l| l.as_ref().ok())
        .map(|l| {
            let to = l.bucket_at(l.counts.len());
            timeline::ticks_over(zone, l.buckets_from, to, run.horizon, w)
        })
        .unwrap_or_default();
    let axes = |top: u32| {
        let (max, step) = render::round_scale(top);
        Axes {
            max,
            step,
            ticks: &ticks,
            zone,
        }
    };
    let timing = (run.phones, run.millis);
    match run.kind {
        Kind::Folder { groups, left_out } => {
            let total = total.ok_or_else(|| {
                w.t(en!("No phone of the folder has valid settings to count."))
                    .to_owned()
            });
            let top = total.as_ref().map_or(0, |l| l.peak);
            fleet_text::folder(
                &total,
                &groups,
                &loads,
                &axes(top),
                (run.boot, left_out),
                timing,
                w,
            )
        }
        Kind::Compare {
            alt_settings,
            changes,
        } => {
            let peak = |l: &Result<Load, String>| l.as_ref().map_or(0, |l| l.peak);
            let top = peak(&loads[0]).max(peak(&loads[1]));
            let alt_caption = w.fill(en!("{0} Peak"), &[&describe_in(&alt_settings, w)]);
            fleet_text::compare(
                &loads,
                &axes(top),
                &alt_caption,
                &changes,
                run.boot,
                timing,
                w,
            )
        }
    }
}
