//! The fleet: what N phones with these settings do to the provisioning server, beside one
//! alternative the user picks.

use std::rc::Rc;

use leptos::prelude::*;

use gloo_timers::callback::Timeout;

use super::{State, browser, flag, horizon_options, text};
use crate::fleet::{self, Alternative, Fleet, Job, Load, Spread};
use crate::render;
use crate::settings::Settings;
use crate::summary::describe;
use crate::timeline::{Horizon, decimal};
use crate::zone::Zone;

/// How long typing must pause before the fleet is recomputed.
const SETTLE_MS: u32 = 150;
/// The longest the fleet holds the page at a time: well inside a frame.
const SLICE_MS: f64 = 12.0;

const SPREADS: [(u32, &str); 5] = [
    (0, "all at once (after a power cut)"),
    (600, "over 10 minutes"),
    (3_600, "over an hour"),
    (21_600, "over 6 hours"),
    (86_400, "over a day"),
];

/// What a run counts.
enum Kind {
    /// The settings and the alternative, for N phones.
    Compare { alt_settings: Settings },
    /// The open folder's phones, a job per group (its summary and zone); `left_out` phones have
    /// settings that are unknown or invalid.
    Folder {
        groups: Vec<String>,
        left_out: u32,
        horizon: u32,
    },
}

/// A fleet being computed, a slice at a time.
struct Run {
    /// Each job with the zone its phones keep time in.
    jobs: Vec<(Result<Job, String>, Rc<dyn Zone>)>,
    /// The zone the page shows times in (the buckets lie on its clock).
    zone: Rc<dyn Zone>,
    kind: Kind,
    phones: u32,
    boot: bool,
    /// Phones per step, adapted so that a step takes a few milliseconds.
    chunk: u32,
    /// Time spent computing, not counting the pauses for the page between slices.
    millis: f64,
    generation: u32,
}

/// Where a run reports to.
#[derive(Clone, Copy)]
struct Sink {
    /// The latest run; a run that is not the latest (superseded or cancelled) stops.
    generation: RwSignal<u32>,
    /// The share done of the latest run, in percent, while it runs.
    progress: RwSignal<Option<String>>,
    /// The figures as markup, and the run they came from.
    figures: RwSignal<String>,
    shown: RwSignal<u32>,
}

/// Works on `run` for up to [`SLICE_MS`], then gives the page back and goes on in a new task,
/// until it is done or a newer run replaces it.
fn slice(sink: Sink, mut run: Run) {
    if sink.generation.get_untracked() != run.generation {
        return;
    }
    let start = browser::millis();
    loop {
        let Some((job, zone)) = run
            .jobs
            .iter_mut()
            .filter_map(|(j, z)| Some((j.as_mut().ok()?, z.clone())))
            .find(|(j, _)| !j.done())
        else {
            run.millis += browser::millis() - start;
            sink.figures.set(figures(run));
            sink.shown.set(sink.generation.get_untracked());
            sink.progress.set(None);
            return;
        };
        let before = browser::millis();
        job.step(zone.as_ref(), run.chunk);
        let took = browser::millis() - before;
        if took < 2.0 {
            run.chunk = run.chunk.saturating_mul(2);
        } else if took > 6.0 {
            run.chunk = (run.chunk / 2).max(1);
        }
        if browser::millis() - start > SLICE_MS {
            break;
        }
    }
    run.millis += browser::millis() - start;
    let done: f64 = run
        .jobs
        .iter()
        .map(|(j, _)| j.as_ref().map_or(1.0, Job::progress))
        .sum();
    sink.progress.set(Some(decimal(
        done * 100.0 / run.jobs.len().max(1) as f64,
        0,
    )));
    Timeout::new(0, move || slice(sink, run)).forget();
}

/// Everything the fleet shows of a finished run, as one string.
fn figures(run: Run) -> String {
    let zone = run.zone.as_ref();
    let counted = if run.boot {
        "Counted: each phone's fetch when it boots (after a power cut, all in the first minute), then its scheduled fetches."
    } else {
        "Counted: the scheduled fetches only, not the fetch that brought each phone the settings."
    };
    let loads: Vec<Result<Load, String>> = run
        .jobs
        .into_iter()
        .map(|(j, _)| j.map(Job::finish))
        .collect();
    let (groups, left_out, horizon) = match run.kind {
        Kind::Folder {
            groups,
            left_out,
            horizon,
        } => (groups, left_out, horizon),
        Kind::Compare { alt_settings } => {
            let peak = |l: &Result<Load, String>| l.as_ref().map_or(0, |l| l.peak);
            let top = peak(&loads[0]).max(peak(&loads[1]));
            let alt_caption = format!("{} Peak", describe(&alt_settings));
            return compare(
                &loads,
                top,
                &alt_caption,
                counted,
                run.phones,
                run.millis,
                zone,
            );
        }
    };
    // The folder's phones: the whole fleet, then each group's part.
    let parts: Vec<Load> = loads
        .iter()
        .filter_map(|l| l.as_ref().ok().cloned())
        .collect();
    let total = Load::sum(&parts, horizon)
        .ok_or_else(|| "No phone of the folder has valid settings to count.".to_owned());
    let top = total.as_ref().map_or(0, |l| l.peak);
    let mut rows = String::new();
    for (summary, load) in groups.iter().zip(&loads) {
        if let Ok(l) = load {
            rows.push_str(&format!(
                r#"<tr data-testid="fleet-group"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                l.phones,
                render::escape(summary),
                l.total,
                l.peak,
            ));
        }
    }
    format!(
        r#"<div class="fleet-compare">{}</div><table class="figures" data-testid="fleet-groups"><thead><tr><th scope="col">Phones</th><th scope="col">Group</th><th scope="col">Requests</th><th scope="col">Peak a minute</th></tr></thead><tbody>{rows}</tbody></table><p class="note" data-testid="fleet-counted">{counted} Left out: {left_out} of the folder's phones, whose settings are unknown or invalid.</p><p class="note" data-testid="fleet-time" data-ms="{ms}">Computed in {ms} ms for {} phones of the folder, each by its own settings and zone; buckets start on whole minutes.</p>"#,
        render::fleet_figure(
            "This folder's phones: peak",
            "fleet-peak",
            "Requests per minute from the folder's phones; the figures below give the numbers.",
            &total,
            top,
            zone
        ),
        run.phones,
        ms = decimal(run.millis, 1),
    )
}

/// The settings and the alternative side by side.
fn compare(
    loads: &[Result<Load, String>],
    top: u32,
    alt_caption: &str,
    counted: &str,
    phones: u32,
    millis: f64,
    zone: &dyn Zone,
) -> String {
    let (current, alt) = (&loads[0], &loads[1]);
    format!(
        r#"<div class="fleet-compare">{}{}</div><p class="note" data-testid="fleet-counted">{counted}</p><p class="note" data-testid="fleet-time" data-ms="{ms}">Computed in {ms} ms for {} phones, each following the single-phone rules; both charts share one scale; buckets start on whole minutes.</p>"#,
        render::fleet_figure(
            "These settings: peak",
            "fleet-peak",
            "Requests per minute with these settings; the figures below give the numbers.",
            current,
            top,
            zone
        ),
        render::fleet_figure(
            alt_caption,
            "fleet-alt-peak",
            "Requests per minute with the alternative; the figures below give the numbers.",
            alt,
            top,
            zone
        ),
        phones,
        ms = decimal(millis, 1),
    )
}

#[component]
pub fn FleetView() -> impl IntoView {
    let state = expect_context::<State>();
    let phones_text = RwSignal::new("10000".to_owned());
    let spread = RwSignal::new(0u32);
    let horizon = RwSignal::new(Horizon::Week);
    // The alternative's name (`Alternative::as_str`): a String signal costs the bundle nothing
    // more, a signal of its own type about 0.7 KB gzipped.
    let alt_kind = RwSignal::new(Alternative::RandomMode.as_str().to_owned());

    let phones = Memo::new(move |_| {
        phones_text.with(|t| {
            t.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=fleet::MAX_PHONES).contains(n))
        })
    });
    // The last valid number of phones drives the figures while the field is being edited.
    let good_phones =
        Memo::new(move |prev: Option<&u32>| phones.get().or(prev.copied()).unwrap_or(10_000));

    let sink = Sink {
        generation: RwSignal::new(0),
        progress: RwSignal::new(None),
        figures: RwSignal::new(String::new()),
        shown: RwSignal::new(0),
    };
    // The fleet follows its inputs once typing pauses, so keystrokes stay quick; then a new run
    // starts, which ends any older one.
    let pending = StoredValue::new_local(None::<Timeout>);
    super::effect(move |_| {
        let settings = state.settings.get();
        let t0 = state.t0.get();
        let zone_name = state.zone.with(|z| z.name.clone());
        let spread_s = spread.get();
        let phones = good_phones.get();
        let horizon_s = horizon.get().span().num_seconds() as u32;
        let alt = alt_kind.with(|a| Alternative::parse(a).unwrap_or(Alternative::RandomMode));
        let folder = state.folder.get();
        let choice = state.zone_choice.get();
        let start = move || {
            let started = browser::millis();
            let zone = super::zone_named(&zone_name);
            // "All at once" is a power cut: every phone's boot is a fetch (docs/polling.md).
            let boot = spread_s == 0;
            let fleet_of = |spread: u32| Fleet {
                phones,
                spread: Spread::of(spread),
                horizon: horizon_s,
                bucket: 60,
                seed: 1,
                boot,
            };
            let (jobs, kind, phones) = match folder {
                // The open folder's real mix: each group by its own settings and zone, numbered
                // across the groups so that a spread covers the whole folder.
                Some(info) => {
                    let valid: Vec<(Settings, u32, String, Rc<dyn Zone>)> = info
                        .groups
                        .iter()
                        .filter_map(|g| {
                            let s = crate::settings::validate(&g.draft).settings?;
                            let phone =
                                crate::intl::phone_zone(g.zone_code.as_deref(), &choice, t0);
                            let summary = format!("{} ({})", describe(&s), phone.name);
                            Some((s, g.phones, summary, phone.zone))
                        })
                        .collect();
                    let all: u32 = info.groups.iter().map(|g| g.phones).sum();
                    let counted: u32 = valid.iter().map(|v| v.1).sum();
                    let fleet = Fleet {
                        phones: counted.max(1),
                        ..fleet_of(spread_s)
                    };
                    let mut first = 0;
                    let mut jobs = Vec::new();
                    let mut groups = Vec::new();
                    for (s, n, summary, group_zone) in valid {
                        let job = Job::part(
                            &s,
                            t0,
                            group_zone.as_ref(),
                            zone.as_ref(),
                            &fleet,
                            first..first + n,
                        );
                        jobs.push((job, group_zone));
                        groups.push(summary);
                        first += n;
                    }
                    let left_out = all - counted + info.unknown;
                    let kind = Kind::Folder {
                        groups,
                        left_out,
                        horizon: horizon_s,
                    };
                    (jobs, kind, counted)
                }
                None => {
                    let (alt_settings, alt_spread) = alt.apply(&settings, spread_s);
                    let jobs = vec![
                        (
                            Job::new(&settings, t0, zone.as_ref(), &fleet_of(spread_s)),
                            zone.clone(),
                        ),
                        (
                            Job::new(&alt_settings, t0, zone.as_ref(), &fleet_of(alt_spread)),
                            zone.clone(),
                        ),
                    ];
                    (jobs, Kind::Compare { alt_settings }, phones)
                }
            };
            let generation = sink.generation.get_untracked() + 1;
            sink.generation.set(generation);
            let run = Run {
                jobs,
                zone,
                kind,
                phones,
                boot,
                chunk: 1,
                millis: browser::millis() - started,
                generation,
            };
            slice(sink, run);
        };
        pending.set_value(Some(Timeout::new(SETTLE_MS, start)));
    });
    let figures = move || {
        let stale = if sink.shown.get() == sink.generation.get() || sink.shown.get() == 0 {
            ""
        } else {
            "<p class=\"error\">These figures are for earlier settings.</p>"
        };
        sink.figures.with(|f| format!("{stale}{f}"))
    };

    let invalid = move || phones.get().is_none();

    view! {
        <section class="panel fleet" aria-labelledby="fleet-heading" data-testid="fleet">
            <h2 id="fleet-heading">"Fleet: load on the provisioning server"</h2>
            <div class="controls-grid">
                <div class="control" class:hidden=flag(move || state.folder.with(Option::is_some))>
                    <label for="fleet-phones">"Phones"</label>
                    <input
                        id="fleet-phones"
                        name="phones"
                        type="text"
                        inputmode="numeric"
                        aria-describedby="fleet-phones-error"
                        aria-invalid=text(move || invalid().to_string())
                        prop:value=text(move || phones_text.get())
                        on:input=super::on_event(move |ev| phones_text.set(event_target_value(&ev)))
                    />
                    <p class="error" id="fleet-phones-error" role="alert">
                        {text(move || if invalid() { "Phones: a whole number from 1 to 100000.".to_owned() } else { String::new() })}
                    </p>
                </div>
                <div class="control">
                    <label for="fleet-spread">"They take the settings"</label>
                    <select
                        id="fleet-spread"
                        name="spread"
                        inner_html=render::options(&SPREADS.map(|(v, l)| (v.to_string(), l)))
                        prop:value=text(move || spread.get().to_string())
                        on:change=super::on_event(move |ev| spread.set(event_target_value(&ev).parse().unwrap_or(0)))
                    ></select>
                </div>
                <div class="control">
                    <label for="fleet-horizon">"Over the next"</label>
                    <select
                        id="fleet-horizon"
                        name="fleet-horizon"
                        inner_html=horizon_options()
                        prop:value=text(move || horizon.get().as_str().to_owned())
                        on:change=super::on_event(move |ev| {
                            if let Some(h) = Horizon::parse(&event_target_value(&ev)) {
                                horizon.set(h);
                            }
                        })
                    ></select>
                </div>
                <div class="control" class:hidden=flag(move || state.folder.with(Option::is_some))>
                    <label for="fleet-alt">"Compare with"</label>
                    <select
                        id="fleet-alt"
                        name="alternative"
                        inner_html=render::options(&Alternative::ALL.map(|a| (a.as_str(), a.label())))
                        prop:value=text(move || alt_kind.get())
                        on:change=super::on_event(move |ev| {
                            let a = event_target_value(&ev);
                            if Alternative::parse(&a).is_some() {
                                alt_kind.set(a);
                            }
                        })
                    ></select>
                </div>
            </div>
            <p class="progress" data-testid="fleet-progress" class:hidden=flag(move || sink.progress.with(Option::is_none))>
                <progress
                    max="100"
                    aria-label="Computing the fleet"
                    value=text(move || sink.progress.get().unwrap_or_default())
                ></progress>
                {text(move || format!(" Computing… {} %", sink.progress.get().unwrap_or_default()))}
                <button
                    type="button"
                    on:click=super::on_click(move |_| {
                        sink.generation.update(|g| *g += 1);
                        sink.progress.set(None);
                    })
                >
                    "Cancel"
                </button>
            </p>
            <div inner_html=text(figures)></div>
        </section>
    }
}
