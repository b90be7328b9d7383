//! The fleet: what N phones with these settings do to the provisioning server, beside one
//! alternative the user picks.

use std::rc::Rc;

use leptos::prelude::*;

use gloo_timers::callback::Timeout;

use wasm_bindgen::JsCast;

use super::{State, browser, flag, horizon_options, text, words};
use crate::fleet::{self, Alternative, Fleet, Job, Load, Spread};
use crate::render::{self, Axes};
use crate::settings::Settings;
use crate::summary::describe_in;
use crate::timeline::{self, Horizon, decimal};
use crate::zone::Zone;

/// How long typing must pause before the fleet is recomputed.
const SETTLE_MS: u32 = 150;
/// The longest the fleet holds the page at a time: well inside a frame.
const SLICE_MS: f64 = 12.0;

const SPREADS: [(u32, &str); 5] = [
    (0, en!("all at once (after a power cut)")),
    (600, en!("over 10 minutes")),
    (3_600, en!("over an hour")),
    (21_600, en!("over 6 hours")),
    (86_400, en!("over a day")),
];

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
    let w = words();
    let counted = if run.boot {
        t!(
            "Counted: each phone's fetch when it boots (after a power cut, all in the first minute), then its scheduled fetches."
        )
    } else {
        t!(
            "Counted: the scheduled fetches only, not the fetch that brought each phone the settings."
        )
    };
    let loads: Vec<Result<Load, String>> = run
        .jobs
        .into_iter()
        .map(|(j, _)| j.map(Job::finish))
        .collect();
    // The charts' time axis: the buckets' span, labelled on the phones' clock.
    let ticks = loads
        .iter()
        .find_map(|l| l.as_ref().ok())
        .map(|l| {
            let to = l.bucket_at(l.counts.len());
            timeline::ticks_over(zone, l.buckets_from, to, run.horizon, &w)
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
    let (groups, left_out, horizon) = match run.kind {
        Kind::Folder {
            groups,
            left_out,
            horizon,
        } => (groups, left_out, horizon),
        Kind::Compare {
            alt_settings,
            changes,
        } => {
            let peak = |l: &Result<Load, String>| l.as_ref().map_or(0, |l| l.peak);
            let top = peak(&loads[0]).max(peak(&loads[1]));
            let alt_caption = tf!("{0} Peak", describe_in(&alt_settings, &w));
            return compare(
                &loads,
                &axes(top),
                &alt_caption,
                &changes,
                &counted,
                run.phones,
                run.millis,
            );
        }
    };
    // The folder's phones: the whole fleet, then each group's part.
    let parts: Vec<Load> = loads
        .iter()
        .filter_map(|l| l.as_ref().ok().cloned())
        .collect();
    let total = Load::sum(&parts, horizon)
        .ok_or_else(|| t!("No phone of the folder has valid settings to count.").to_owned());
    let top = total.as_ref().map_or(0, |l| l.peak);
    let mut rows = String::new();
    for (summary, load) in groups.iter().zip(&loads) {
        if let Ok(l) = load {
            rows.push_str(&format!(
                r#"<tr data-testid="fleet-group"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                w.number(l.phones.into()),
                render::escape(summary),
                w.number(l.total),
                w.number(l.peak.into()),
            ));
        }
    }
    format!(
        r#"<div class="fleet-compare">{}</div><table class="figures" data-testid="fleet-groups"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{rows}</tbody></table><p class="note" data-testid="fleet-counted">{counted} {}</p><p class="note" data-testid="fleet-time" data-ms="{ms}">{}</p>"#,
        render::fleet_figure(
            &t!("This folder's phones: peak"),
            "fleet-peak",
            &t!(
                "Requests per minute from the folder's phones; the figures below give the numbers."
            ),
            &total,
            &axes(top),
            &w,
        ),
        t!("Phones").to_owned(),
        t!("Group").to_owned(),
        t!("Requests").to_owned(),
        t!("Peak a minute").to_owned(),
        tf!(
            "Left out: {0} of the folder's phones, whose settings are unknown or invalid.",
            w.number(left_out.into())
        ),
        tf!(
            "Computed in {0} ms for {1} phones of the folder, each by its own settings and zone; buckets start on whole minutes.",
            w.decimal(run.millis, 1),
            w.number(run.phones.into())
        ),
        ms = decimal(run.millis, 1),
    )
}

/// The settings and the alternative side by side.
fn compare(
    loads: &[Result<Load, String>],
    axes: &Axes,
    alt_caption: &str,
    changes: &str,
    counted: &str,
    phones: u32,
    millis: f64,
) -> String {
    let w = words();
    let (current, alt) = (&loads[0], &loads[1]);
    format!(
        r#"<p class="note" data-testid="fleet-changes">{}</p><div class="fleet-compare">{}{}</div><p class="note" data-testid="fleet-counted">{counted}</p><p class="note" data-testid="fleet-time" data-ms="{ms}">{}</p>"#,
        render::escape(changes),
        render::fleet_figure(
            &t!("These settings: peak"),
            "fleet-peak",
            &t!("Requests per minute with these settings; the figures below give the numbers."),
            current,
            axes,
            &w,
        ),
        render::fleet_figure(
            alt_caption,
            "fleet-alt-peak",
            &t!("Requests per minute with the alternative; the figures below give the numbers."),
            alt,
            axes,
            &w,
        ),
        tf!(
            "Computed in {0} ms for {1} phones, each following the single-phone rules; both charts share one scale; buckets start on whole minutes.",
            w.decimal(millis, 1),
            w.number(phones.into())
        ),
        ms = decimal(millis, 1),
    )
}

/// What the alternative changes, in a sentence: `prov_polling_mode random → rel`.
fn changes_text(alt: Alternative, settings: &Settings, spread: u32) -> String {
    let w = words();
    let unset = t!("not set").to_owned();
    let parts: Vec<String> = alt
        .changes(settings, spread)
        .into_iter()
        .map(|c| {
            let (from, to) = (
                c.from.unwrap_or(unset.clone()),
                c.to.unwrap_or(unset.clone()),
            );
            match c.key {
                Some(key) => format!("{} {from} → {to}", key.name()),
                None => {
                    let seconds = |s: String| w.duration(s.parse().unwrap_or(0));
                    tf!("taking effect over {0} → {1}", seconds(from), seconds(to))
                }
            }
        })
        .collect();
    if parts.is_empty() {
        t!("The alternative is the same as these settings: choose another to compare.").to_owned()
    } else {
        tf!("The alternative changes: {0}.", parts.join("; "))
    }
}

/// Shows the column of a chart (`.plot`) under the pointer or the keyboard's: its time and
/// count beside a cursor, and as the slider's value for assistive technology.
fn point(ev: web_sys::Event, zone: &dyn Zone) {
    let Some(plot) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest(".plot").ok().flatten())
    else {
        return;
    };
    let attr = |name: &str| plot.get_attribute(name).unwrap_or_default();
    let counts: Vec<u32> = attr("data-counts")
        .split(' ')
        .filter_map(|c| c.parse().ok())
        .collect();
    let last = counts.len().saturating_sub(1);
    let current: usize = attr("aria-valuenow").parse().unwrap_or(0);
    let kind = ev.type_();
    let column = match kind.as_str() {
        "mousemove" => {
            let (Some(mouse), rect) = (
                ev.dyn_ref::<web_sys::MouseEvent>(),
                plot.get_bounding_client_rect(),
            ) else {
                return;
            };
            let x = (f64::from(mouse.client_x()) - rect.left()) / rect.width().max(1.0);
            ((x * counts.len() as f64).max(0.0) as usize).min(last)
        }
        "keydown" => {
            let key = js_sys::Reflect::get(&ev, &"key".into())
                .ok()
                .and_then(|k| k.as_string())
                .unwrap_or_default();
            let column = match key.as_str() {
                "ArrowLeft" | "ArrowDown" => current.saturating_sub(1),
                "ArrowRight" | "ArrowUp" => current + 1,
                "PageDown" => current.saturating_sub(10),
                "PageUp" => current + 10,
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            ev.prevent_default();
            column.min(last)
        }
        "mouseout" | "focusout" => {
            for class in [".tip", ".cursor"] {
                if let Ok(Some(el)) = plot.query_selector(class) {
                    let _ = el.set_attribute("hidden", "");
                }
            }
            return;
        }
        _ => current.min(last),
    };
    let (Some(&count), Ok(from), Ok(step)) = (
        counts.get(column),
        attr("data-from").parse::<i64>(),
        attr("data-step").parse::<i64>(),
    ) else {
        return;
    };
    let Some(start) = chrono::DateTime::from_timestamp(from + column as i64 * step, 0) else {
        return;
    };
    let said = render::column_text(start, step, count, zone, &words());
    let at = svg_number_percent((column as f64 + 0.5) / counts.len().max(1) as f64);
    let _ = plot.set_attribute("aria-valuenow", &column.to_string());
    let _ = plot.set_attribute("aria-valuetext", &said);
    for (class, style) in [
        (".cursor", format!("left:{at}%")),
        (".tip", format!("left:{at}%;transform:translateX(-{at}%)")),
    ] {
        if let Ok(Some(el)) = plot.query_selector(class) {
            let _ = el.set_attribute("style", &style);
            let _ = el.remove_attribute("hidden");
            if class == ".tip" {
                el.set_text_content(Some(&said));
            }
        }
    }
}

/// A fraction in percent, with one decimal.
fn svg_number_percent(fraction: f64) -> String {
    crate::timeline::svg_number(fraction * 100.0)
}

#[component]
pub fn FleetView() -> impl IntoView {
    let state = expect_context::<State>();
    let super::FleetControls {
        phones: phones_text,
        spread,
        horizon,
        // The alternative's name (`Alternative::as_str`): a String signal costs the bundle
        // nothing more, a signal of its own type about 0.7 KB gzipped.
        alternative: alt_kind,
    } = state.fleet;
    // The alternative compared: the one chosen, else the first that changes something.
    let alt = Memo::new(move |_| {
        alt_kind.with(|a| Alternative::parse(a)).unwrap_or_else(|| {
            state
                .settings
                .with(|s| Alternative::first_differing(s, spread.get()))
        })
    });

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
        // The figures are words too: a new language counts again.
        state.lang.track();
        let settings = state.settings.get();
        let t0 = state.t0.get();
        let zone_name = state.zone.with(|z| z.name.clone());
        let spread_s = spread.get();
        let phones = good_phones.get();
        let horizon_h = horizon.get();
        let horizon_s = horizon_h.span().num_seconds() as u32;
        let alt = alt.get();
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
                            let summary = format!("{} ({})", describe_in(&s, &words()), phone.name);
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
                    let changes = changes_text(alt, &settings, spread_s);
                    (
                        jobs,
                        Kind::Compare {
                            alt_settings,
                            changes,
                        },
                        phones,
                    )
                }
            };
            let generation = sink.generation.get_untracked() + 1;
            sink.generation.set(generation);
            let run = Run {
                jobs,
                zone,
                horizon: horizon_h,
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
            &format!(
                r#"<p class="error">{}</p>"#,
                t!("These figures are for earlier settings.").to_owned()
            )
        };
        sink.figures.with(|f| format!("{stale}{f}"))
    };
    // A chart's columns answer the pointer and the keyboard (see `point`).
    let handles: Vec<WindowListenerHandle> =
        ["mousemove", "mouseout", "keydown", "focusin", "focusout"]
            .into_iter()
            .map(|kind| {
                window_event_listener_untyped(kind, move |ev| {
                    point(ev, super::zone_of(&state).as_ref())
                })
            })
            .collect();
    on_cleanup(move || handles.into_iter().for_each(WindowListenerHandle::remove));

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
                        {text(move || if invalid() { tf!("Phones: a whole number from 1 to {0}.", words().number(fleet::MAX_PHONES.into())) } else { String::new() })}
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
                        prop:value=text(move || alt.get().as_str().to_owned())
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
                {text(move || tf!(" Computing… {0} %", sink.progress.get().unwrap_or_default()))}
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
