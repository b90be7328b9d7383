//! The fleet: what N phones with these settings do to the provisioning server, beside one
//! alternative the user picks; or what the open folder's phones do. The page's worker counts
//! ([`crate::worker::fleet_run`]); this view sends what to count and shows the charts it gets back.

use gloo_timers::callback::Timeout;
use js_sys::Array;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::{State, browser, flag, horizon_options, text, words, worker_link};
use crate::core::fleet::{self, Alternative};
use crate::core::settings::Settings;
use crate::core::zone::Zone;
use crate::text::render;
use crate::text::timeline::Horizon;
use crate::web::protocol::{FleetRequest, FromWorker, ToWorker};

/// How long typing must pause before the fleet is recomputed.
const SETTLE_MS: u32 = 150;
const SPREADS: [(u32, &str); 5] = [
    (0, en!("all at once (after a power cut)")),
    (600, en!("over 10 minutes")),
    (3_600, en!("over an hour")),
    (21_600, en!("over 6 hours")),
    (86_400, en!("over a day")),
];

/// What the page knows of the fleet's counting, which the worker does.
#[derive(Clone, Copy)]
struct Sink {
    /// The latest request; the worker's answers for another are dropped.
    generation: RwSignal<u32>,
    /// The share done of the latest request, in percent, while it is counted.
    progress: RwSignal<Option<String>>,
    /// The figures as markup, and the request they answer.
    figures: RwSignal<String>,
    shown: RwSignal<u32>,
}

impl Sink {
    /// Takes the worker's answer for the fleet (those for an older request are dropped).
    fn take(self, message: FromWorker) {
        let latest = self.generation.get_untracked();
        match message {
            FromWorker::FleetDone { generation, markup } if generation == latest => {
                self.figures.set(markup);
                self.shown.set(generation);
                self.progress.set(None);
            }
            FromWorker::FleetProgress {
                generation,
                percent,
            } if generation == latest => self.progress.set(Some(percent)),
            _ => {}
        }
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
    let said = render::column_text(start, step, count, zone, words());
    let at = render::percent((column as f64 + 0.5) / counts.len().max(1) as f64);
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

#[component]
pub fn FleetView() -> impl IntoView {
    let state = expect_context::<State>();
    // The alternative is kept as its name (`Alternative::as_str`): a String signal costs the
    // bundle nothing more, a signal of its own type about 0.7 KB gzipped.
    let phones_text = state.fleet.phones;
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
    worker_link::listen(true, Box::new(move |message| sink.take(message)));
    // The fleet is counted in the page's worker, made when the panel first comes into view:
    // neither its code nor its work weighs on the page's start.
    let seen = RwSignal::new(false);
    follow(state, sink, good_phones, seen);
    watch_seen(seen);
    answer_pointer(state);
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

    view! {
        <section class="panel fleet" id="fleet" aria-labelledby="fleet-heading" data-testid="fleet">
            <h2 id="fleet-heading">"Fleet: load on the provisioning server"</h2>
            <FleetInputs phones />
            <FleetProgress sink />
            <div inner_html=text(figures)></div>
        </section>
    }
}

/// Counts the fleet again, in the worker, whenever its inputs change and typing pauses, once
/// the panel has been `seen`: keystrokes stay quick, and a new request ends any older one.
fn follow(state: State, sink: Sink, good_phones: Memo<u32>, seen: RwSignal<bool>) {
    let super::FleetControls {
        spread,
        horizon,
        alternative: alt_kind,
        ..
    } = state.fleet;
    let pending = StoredValue::new_local(None::<Timeout>);
    super::effect(move |_| {
        // The figures are words too: a new language counts again.
        state.lang.track();
        state.folder.track();
        let mut request = FleetRequest {
            generation: 0,
            draft: state.settings.with(Settings::to_draft),
            t0: state.t0.get().timestamp(),
            zone: state.zone.with(|z| z.name.clone()),
            choice: state.zone_choice.get(),
            spread: spread.get(),
            phones: good_phones.get(),
            horizon: horizon.get().as_str().to_owned(),
            alternative: alt_kind.get(),
        };
        if !seen.get() {
            return;
        }
        let start = move || {
            if !worker_link::start() {
                sink.progress.set(None);
                return;
            }
            request.generation = sink.generation.get_untracked() + 1;
            sink.generation.set(request.generation);
            worker_link::post(ToWorker::Fleet(request));
        };
        pending.set_value(Some(Timeout::new(SETTLE_MS, start)));
    });
}

/// Sets `seen` once the panel comes into view (or at once where the browser cannot say).
fn watch_seen(seen: RwSignal<bool>) {
    request_animation_frame(move || {
        let seen_now = Closure::<dyn Fn(JsValue)>::new(move |entries: JsValue| {
            let entries = Array::from(&entries);
            if entries.iter().any(|e| {
                js_sys::Reflect::get(&e, &"isIntersecting".into()).is_ok_and(|v| v.is_truthy())
            }) {
                seen.set(true);
            }
        });
        let observed = browser::observe("fleet", seen_now.as_ref());
        seen_now.forget();
        if !observed {
            seen.set(true);
        }
    });
}

/// A chart's columns answer the pointer and the keyboard (see `point`).
fn answer_pointer(state: State) {
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
}

/// The fleet's inputs: how many phones, how they take the settings, over how long, and the
/// alternative compared. `phones` is the number typed, where it is one.
#[component]
fn FleetInputs(phones: Memo<Option<u32>>) -> impl IntoView {
    let state = expect_context::<State>();
    let super::FleetControls {
        phones: phones_text,
        spread,
        horizon,
        alternative: alt_kind,
    } = state.fleet;
    // The alternative compared: the one chosen, else the first that changes something.
    let alt = move || {
        alt_kind.with(|a| Alternative::parse(a)).unwrap_or_else(|| {
            state
                .settings
                .with(|s| Alternative::first_differing(s, spread.get()))
        })
    };
    let invalid = move || phones.get().is_none();
    view! {
        <div class="controls-grid">
            <div class="control" class:hidden=flag(move || state.folder.get())>
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
            <div class="control" class:hidden=flag(move || state.folder.get())>
                <label for="fleet-alt">"Compare with"</label>
                <select
                    id="fleet-alt"
                    name="alternative"
                    inner_html=render::options(&Alternative::ALL.map(|a| (a.as_str(), a.label())))
                    prop:value=text(move || alt().as_str().to_owned())
                    on:change=super::on_event(move |ev| {
                        let a = event_target_value(&ev);
                        if Alternative::parse(&a).is_some() {
                            alt_kind.set(a);
                        }
                    })
                ></select>
            </div>
        </div>
    }
}

/// How far the count is, with its Cancel.
#[component]
fn FleetProgress(sink: Sink) -> impl IntoView {
    view! {
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
                    worker_link::post(ToWorker::FleetCancel);
                })
            >
                "Cancel"
            </button>
        </p>
    }
}
