//! The schedule: summary, controls, the drawn timeline with a moving "now", and the list.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use leptos::prelude::*;

use super::{IntlZone, State, browser, intl};
use crate::schedule::{Fetch, Source, fetches};
use crate::summary::describe;
use crate::timeline::{self, Horizon, countdown};
use crate::zone::{self, Zone};

/// Fetches drawn at most; a period of seconds over a month would be millions.
const MAX_DRAWN: usize = 2_000;
/// Upcoming fetches listed at most.
const MAX_LISTED: usize = 100;
/// The preview's draws; fixed, so a reload shows the same samples.
const SEED: u64 = 1;

/// `2026-06-11 09:04:31 +02:00 (Thu)`.
pub fn stamp(t: DateTime<FixedOffset>) -> String {
    t.format("%a %Y-%m-%d %H:%M:%S %:z").to_string()
}

fn zone_of(state: &State) -> Box<dyn Zone> {
    let name = state.zone.with(|z| z.name.clone());
    match IntlZone::new(&name) {
        Some(zone) => Box::new(zone),
        None => Box::new(Utc),
    }
}

#[component]
pub fn Schedule() -> impl IntoView {
    let state = expect_context::<State>();

    let all = Memo::new(move |_| {
        let settings = state.settings.get();
        let zone = zone_of(&state);
        let t0 = state.t0.get();
        let end = t0 + state.horizon.get().span();
        fetches(&settings, t0, zone.as_ref(), SEED)
            .take_while(|f| f.earliest <= end)
            .take(MAX_DRAWN)
            .collect::<Vec<Fetch>>()
    });
    let upcoming = move || {
        let now = state.now.get();
        all.with(|all| {
            all.iter()
                .filter(|f| f.at > now)
                .copied()
                .collect::<Vec<_>>()
        })
    };
    let next = move || {
        let now = state.now.get();
        all.with(|all| all.iter().find(|f| f.at > now).copied())
    };
    let summary = move || state.settings.with(describe);

    view! {
        <section class="panel schedule" aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">"Schedule"</h2>
            <p class="summary" data-testid="summary">{summary}</p>
            <Controls />
            <p class="countdown" data-testid="countdown" aria-live="off">
                {move || match next() {
                    Some(f) => {
                        let what = if f.is_window() { "Next fetch (sampled)" } else { "Next fetch" };
                        format!("{what} {}", countdown((f.at - state.now.get()).num_seconds()))
                    }
                    None => "No fetch in this horizon.".to_owned(),
                }}
            </p>
            <Drawing all />
            <Show when=move || all.with(|a| a.iter().any(Fetch::is_window))>
                <p class="note">
                    "Random fetches are drawn as bands: the phone picks a moment anywhere in its band. The dot is one sample; "
                    "in random mode under a day each band starts at the sampled fetch before it."
                </p>
            </Show>
            <FetchList upcoming />
        </section>
    }
}

#[component]
fn Controls() -> impl IntoView {
    let state = expect_context::<State>();
    let names = StoredValue::new(intl::zone_names());
    let browser_zone = intl::browser_zone();
    let t0_error = RwSignal::new(None::<String>);
    let t0_text = move || {
        let zone = zone_of(&state);
        zone::local(zone.as_ref(), state.t0.get())
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    };
    let t0_offset = move || {
        let zone = zone_of(&state);
        format!(
            "UTC{}, phone time",
            zone::local(zone.as_ref(), state.t0.get()).format("%:z")
        )
    };
    let set_t0 = move |text: String| {
        let zone = zone_of(&state);
        let parsed = NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M"));
        match parsed
            .ok()
            .and_then(|wall| zone::resolve(zone.as_ref(), wall))
        {
            Some(t) => {
                t0_error.set(None);
                state.t0.set(t);
                state.t0_pinned.set(true);
            }
            None => t0_error.set(Some(
                "Settings take effect at: enter a date and time, such as 2026-06-10 09:00.".into(),
            )),
        }
    };
    let zone_differs = move || {
        let name = state.zone.with(|z| z.name.clone());
        (name != browser_zone).then(|| {
            format!("The phone's zone, {name}, differs from this browser's ({browser_zone}): every time below is the phone's, with its offset.")
        })
    };
    view! {
        <div class="controls-grid">
            <div class="control">
                <label for="t0">"Settings take effect at"</label>
                <div class="row">
                    <input
                        id="t0"
                        name="t0"
                        type="datetime-local"
                        step="1"
                        aria-describedby="t0-offset t0-error"
                        aria-invalid=move || if t0_error.get().is_some() { "true" } else { "false" }
                        prop:value=t0_text
                        on:change=move |ev| set_t0(event_target_value(&ev))
                    />
                    <button
                        type="button"
                        on:click=move |_| {
                            t0_error.set(None);
                            state.t0.set(browser::now());
                            state.t0_pinned.set(false);
                        }
                    >
                        "Now"
                    </button>
                </div>
                <span class="hint" id="t0-offset">{t0_offset}</span>
                <p class="error" id="t0-error" role="alert">{move || t0_error.get()}</p>
            </div>
            <div class="control">
                <label for="zone">"Phone's time zone"</label>
                <select
                    id="zone"
                    name="zone"
                    prop:value=move || state.zone_choice.get()
                    on:change=move |ev| state.zone_choice.set(event_target_value(&ev))
                >
                    {names
                        .get_value()
                        .into_iter()
                        .map(|n| view! { <option value=n.clone()>{n.replace('_', " ")}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="control">
                <label for="horizon">"Show the next"</label>
                <select
                    id="horizon"
                    name="horizon"
                    prop:value=move || state.horizon.get().as_str()
                    on:change=move |ev| {
                        if let Some(h) = Horizon::parse(&event_target_value(&ev)) {
                            state.horizon.set(h);
                        }
                    }
                >
                    <option value="day">"day"</option>
                    <option value="week">"week"</option>
                    <option value="month">"30 days"</option>
                </select>
            </div>
        </div>
        <div class="zone-notes" data-testid="zone-notes" aria-live="polite">
            {move || state.zone.with(|z| z.notes.iter().map(|n| view! { <p class="note">{n.clone()}</p> }).collect_view())}
            {move || zone_differs().map(|n| view! { <p class="note">{n}</p> })}
        </div>
    }
}

const W: f64 = 1000.0;
const POLL_Y: f64 = 28.0;
const REFRESH_Y: f64 = 78.0;
const LANE_H: f64 = 34.0;

#[component]
fn Drawing(all: Memo<Vec<Fetch>>) -> impl IntoView {
    let state = expect_context::<State>();
    let span = move || {
        let t0 = state.t0.get();
        (t0, t0 + state.horizon.get().span())
    };
    let marks = move || {
        let (from, to) = span();
        all.with(|all| timeline::marks(all, from, to))
    };
    let ticks = move || {
        let zone = zone_of(&state);
        timeline::ticks(zone.as_ref(), state.t0.get(), state.horizon.get())
    };
    let now_x = move || {
        let (from, to) = span();
        let now = state.now.get();
        (now >= from && now <= to).then(|| timeline::position(now, from, to) * W)
    };
    let has_refresh = move || all.with(|a| a.iter().any(|f| f.source == Source::RefreshTimer));
    view! {
        <figure class="timeline">
            <svg
                data-testid="timeline"
                viewBox="0 0 1000 140"
                preserveAspectRatio="none"
                role="img"
                aria-label="Timeline of the upcoming fetches; the list below has the same fetches as text."
            >
                <rect class="lane" x="0" y=POLL_Y width=W height=LANE_H></rect>
                <text class="lane-label" x="4" y=POLL_Y - 6.0>"polling"</text>
                <Show when=has_refresh>
                    <rect class="lane" x="0" y=REFRESH_Y width=W height=LANE_H></rect>
                    <text class="lane-label" x="4" y=REFRESH_Y - 6.0>"refresh timer"</text>
                </Show>
                {move || ticks().into_iter().map(|t| {
                    let x = t.at * W;
                    view! {
                        <line class="tick" x1=x x2=x y1="20" y2="118"></line>
                        <text class="tick-label" x=x + 3.0 y="134">{t.label}</text>
                    }
                }).collect_view()}
                {move || marks().into_iter().map(|m| {
                    let (y, class) = match m.source {
                        Source::Polling => (POLL_Y, "fetch polling"),
                        Source::RefreshTimer => (REFRESH_Y, "fetch refresh"),
                    };
                    let band = (m.end > m.start).then(|| view! {
                        <rect class="band" x=m.start * W y=y + 4.0 width=((m.end - m.start) * W).max(2.0) height=LANE_H - 8.0></rect>
                    });
                    view! {
                        <g class=class>
                            {band}
                            <line class="at" x1=m.at * W x2=m.at * W y1=y y2=y + LANE_H></line>
                        </g>
                    }
                }).collect_view()}
                {move || now_x().map(|x| view! {
                    <g class="now" data-testid="now-marker" data-x=format!("{x:.3}")>
                        <line x1=x x2=x y1="12" y2="118"></line>
                        <text x=x + 3.0 y="11">"now"</text>
                    </g>
                })}
            </svg>
            <figcaption class="legend">
                <span class="key polling">"polling"</span>
                <span class="key refresh">"refresh timer"</span>
                <span class="key band">"random window"</span>
                <span class="key now">"now"</span>
            </figcaption>
        </figure>
    }
}

#[component]
fn FetchList(upcoming: impl Fn() -> Vec<Fetch> + Send + Sync + Copy + 'static) -> impl IntoView {
    let state = expect_context::<State>();
    let shown = move || upcoming().into_iter().take(MAX_LISTED).collect::<Vec<_>>();
    let more = move || {
        let n = upcoming().len();
        (n > MAX_LISTED).then(|| format!("and {} more in this horizon", n - MAX_LISTED))
    };
    view! {
        <h3 id="fetch-list-heading">"Upcoming fetches"</h3>
        <ol class="fetches" aria-labelledby="fetch-list-heading" data-testid="fetch-list">
            <For each=shown key=|f| (f.earliest, f.latest, f.at, f.source) let:f>
                {
                    let zone = zone_of(&state);
                    let show = |t| stamp(zone::local(zone.as_ref(), t));
                    let rfc = |t| zone::local(zone.as_ref(), t).to_rfc3339();
                    let source = match f.source {
                        Source::Polling => "polling",
                        Source::RefreshTimer => "refresh timer",
                    };
                    let text = if f.is_window() {
                        format!("{source}: between {} and {}, sampled {}", show(f.earliest), show(f.latest), show(f.at))
                    } else {
                        format!("{source}: {}", show(f.at))
                    };
                    view! {
                        <li
                            data-testid="fetch"
                            data-source=f.source.as_str()
                            data-earliest=rfc(f.earliest)
                            data-latest=rfc(f.latest)
                            data-at=rfc(f.at)
                        >
                            {text}
                        </li>
                    }
                }
            </For>
        </ol>
        <p class="note">{more}</p>
        <p class="note">
            {move || format!("Times are on the phone's clock ({}), each with its UTC offset.", state.zone.with(|z| z.name.clone()))}
        </p>
    }
}
