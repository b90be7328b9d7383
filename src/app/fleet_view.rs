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

/// A comparison being computed, a slice at a time.
struct Run {
    jobs: [Result<Job, String>; 2],
    zone: Rc<dyn Zone>,
    alt_settings: Settings,
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
        let Some(job) = run
            .jobs
            .iter_mut()
            .filter_map(|j| j.as_mut().ok())
            .find(|j| !j.done())
        else {
            run.millis += browser::millis() - start;
            sink.figures.set(figures(run));
            sink.shown.set(sink.generation.get_untracked());
            sink.progress.set(None);
            return;
        };
        let before = browser::millis();
        job.step(run.zone.as_ref(), run.chunk);
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
        .map(|j| j.as_ref().map_or(1.0, Job::progress))
        .sum();
    sink.progress.set(Some(decimal(done * 50.0, 0)));
    Timeout::new(0, move || slice(sink, run)).forget();
}

/// Everything the fleet shows of a finished run, as one string.
fn figures(run: Run) -> String {
    let zone = run.zone.as_ref();
    let [current, alt] = run.jobs.map(|j| j.map(Job::finish));
    let peak = |l: &Result<Load, String>| l.as_ref().map_or(0, |l| l.peak);
    let top = peak(&current).max(peak(&alt));
    let alt_caption = format!("{} Peak", describe(&run.alt_settings));
    let counted = if run.boot {
        "Counted: each phone's fetch when it boots (after a power cut, all in the first minute), then its scheduled fetches."
    } else {
        "Counted: the scheduled fetches only, not the fetch that brought each phone the settings."
    };
    format!(
        r#"<div class="fleet-compare">{}{}</div><p class="note" data-testid="fleet-counted">{counted}</p><p class="note" data-testid="fleet-time" data-ms="{ms}">Computed in {ms} ms for {} phones, each following the single-phone rules; both charts share one scale; buckets start on whole minutes.</p>"#,
        render::fleet_figure(
            "These settings: peak",
            "fleet-peak",
            "Requests per minute with these settings; the figures below give the numbers.",
            &current,
            top,
            zone
        ),
        render::fleet_figure(
            &alt_caption,
            "fleet-alt-peak",
            "Requests per minute with the alternative; the figures below give the numbers.",
            &alt,
            top,
            zone
        ),
        run.phones,
        ms = decimal(run.millis, 1),
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
        let start = move || {
            let started = browser::millis();
            let zone = super::zone_named(&zone_name);
            // "All at once" is a power cut: every phone's boot is a fetch (docs/polling.md).
            let boot = spread_s == 0;
            let fleet_of = |spread: u32| Fleet {
                phones,
                spread: if spread == 0 {
                    Spread::AtOnce
                } else {
                    Spread::Uniform(spread)
                },
                horizon: horizon_s,
                bucket: 60,
                seed: 1,
                boot,
            };
            let (alt_settings, alt_spread) = alt.apply(&settings, spread_s);
            let jobs = [
                Job::new(&settings, t0, zone.as_ref(), &fleet_of(spread_s)),
                Job::new(&alt_settings, t0, zone.as_ref(), &fleet_of(alt_spread)),
            ];
            let generation = sink.generation.get_untracked() + 1;
            sink.generation.set(generation);
            let run = Run {
                jobs,
                zone,
                alt_settings,
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
                <div class="control">
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
                <div class="control">
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
