//! The schedule: summary, controls, the drawn timeline with a moving "now", and the list.

use leptos::prelude::*;

use super::{State, browser, flag, horizon_options, intl, text, zone_of};
use crate::core::schedule::{Fetch, fetches};
use crate::core::settings::Key;
use crate::core::zone;
use crate::text::render;
use crate::text::summary::describe_in;
use crate::text::timeline::{self, Horizon, countdown, svg_number};

/// Fetches drawn at most; a period of seconds over a month would be millions. A thousand
/// marks already fill the 1000-unit drawing, and each costs the page DOM to parse.
const MAX_DRAWN: usize = 1_000;
/// Upcoming fetches listed at most: parsing a longer list on every edit was half of the edit's
/// cost (BENCHMARKS.md), and the note under the list counts the rest.
const MAX_LISTED: usize = 30;
/// The preview's draws; fixed, so a reload shows the same samples.
const SEED: u64 = 1;

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
            // One more than is drawn, to know that there are more.
            .take(MAX_DRAWN + 1)
            .collect::<Vec<Fetch>>()
    });
    // Changes only when a fetch passes, so the list is not rebuilt every second.
    let upcoming = Memo::new(move |_| {
        let now = state.now.get();
        all.with(|all| {
            all.iter()
                .filter(|f| f.at > now)
                .copied()
                .collect::<Vec<_>>()
        })
    });
    // Only the first MAX_DRAWN fetches are computed: beyond them the count is a lower bound.
    let more = move || {
        let n = upcoming.with(Vec::len);
        if all.with(Vec::len) > MAX_DRAWN {
            let w = super::words();
            tf!(
                "and over {0} more in this horizon; the timeline draws the first {1}",
                w.number(n.saturating_sub(MAX_LISTED + 1) as u64),
                w.number(MAX_DRAWN as u64)
            )
        } else if n > MAX_LISTED {
            tf!(
                "and {0} more in this horizon",
                super::words().number((n - MAX_LISTED) as u64)
            )
        } else {
            String::new()
        }
    };
    let next = move || upcoming.with(|u| u.first().copied());
    let summary = move || state.settings.with(|s| describe_in(s, super::words()));

    view! {
        <section class="panel schedule" aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">"Schedule"</h2>
            <p class="summary" data-testid="summary">{text(summary)}</p>
            <p class="error" data-testid="stale">
                {text(move || if state.report.with(|r| r.errors.is_empty()) { String::new() } else { t!("A field has an error: this summary, the timeline and the fleet show the last valid settings.").to_owned() })}
            </p>
            <div class="warnings" aria-live="polite" data-testid="warnings" inner_html=text(move || super::warnings_html(&state))></div>
            <button
                type="button"
                data-testid="fix-timers"
                class:hidden=flag(move || !state.report.with(|r| r.errors.is_empty()) || !state.settings.with(|s| s.enabled && s.refresh_timer > 0))
                on:click=super::on_click(move |_| state.draft.update(|d| d.set_value(Key::RefreshTimer, Some("0"))))
            >
                "Set settings_refresh_timer to 0 (polling alone)"
            </button>
            <Controls />
            <p class="countdown" data-testid="countdown" aria-live="off">
                {text(move || match next() {
                    Some(f) => {
                        let what = if f.is_window() { t!("Next fetch (sampled)") } else { t!("Next fetch") };
                        format!("{what} {}", countdown((f.at - state.now.get()).num_seconds(), super::words()))
                    }
                    None => t!("No fetch in this horizon.").to_owned(),
                })}
            </p>
            <Drawing all />
            <p class="note" class:hidden=flag(move || !all.with(|a| a.iter().any(Fetch::is_window)))>
                "Random fetches are drawn as bands: the phone picks a moment anywhere in its band; the line in it is one sample. A band is drawn a few pixels wide at least; the list gives its true span. In random mode under a day, each band starts at the sampled fetch before it."
            </p>
            <FetchList upcoming />
            <p class="note">{text(more)}</p>
            <p class="note">
                {text(move || tf!("Times are on the phone's clock ({0}), each with its UTC offset.", state.zone.with(|z| z.name.clone())))}
            </p>
        </section>
    }
}

#[component]
fn Controls() -> impl IntoView {
    let state = expect_context::<State>();
    // Every zone the browser knows, as options: made once.
    let zone_options = {
        let names = intl::zone_names();
        let list: Vec<(&str, String)> = names
            .iter()
            .map(|n| (n.as_str(), n.replace('_', " ")))
            .collect();
        render::options(&list)
    };
    let browser_zone = intl::browser_zone();
    let zone_differs = move || {
        let name = state.zone.with(|z| z.name.clone());
        (name != browser_zone).then(|| {
            tf!("The phone's zone, {0}, differs from this browser's ({1}): every time below is the phone's, with its offset.", name, browser_zone)
        })
    };
    view! {
        <div class="controls-grid">
            <StartControl />
            <div class="control">
                <label for="zone">"Phone's time zone"</label>
                <select
                    id="zone"
                    name="zone"
                    // Where the file's timezone decides, no choice could apply: the zone is
                    // shown as text instead.
                    class:hidden=flag(move || state.zone.with(|z| z.file_code.is_some()))
                    inner_html=zone_options
                    prop:value=text(move || state.zone.with(|z| z.name.clone()))
                    on:change=super::on_event(move |ev| state.zone_choice.set(event_target_value(&ev)))
                >
                </select>
                <span class="hint" data-testid="zone-from">
                    {text(move || state.zone.with(|z| z.file_code.as_ref().map(|c| tf!("{0}, set by the file's timezone {1}, as on the phone.", z.name, c)).unwrap_or_default()))}
                </span>
            </div>
            <div class="control">
                <label for="horizon">"Show the next"</label>
                <select
                    id="horizon"
                    name="horizon"
                    inner_html=horizon_options()
                    prop:value=text(move || state.horizon.get().as_str().to_owned())
                    on:change=super::on_event(move |ev| {
                        if let Some(h) = Horizon::parse(&event_target_value(&ev)) {
                            state.horizon.set(h);
                        }
                    })
                ></select>
            </div>
        </div>
        <div
            class="zone-notes"
            data-testid="zone-notes"
            aria-live="polite"
            inner_html=text(move || {
                let mut notes = state.zone.with(|z| z.notes.clone());
                notes.extend(zone_differs());
                notes
                    .iter()
                    .map(|n| format!(r#"<p class="note">{}</p>"#, render::escape(n)))
                    .collect::<String>()
            })
        ></div>
    }
}

/// When the settings take effect, on the phone's clock, with "Now".
#[component]
fn StartControl() -> impl IntoView {
    let state = expect_context::<State>();
    let t0_error = RwSignal::new(None::<String>);
    let t0_text = move || {
        let zone = zone_of(&state);
        timeline::input_text(zone::local(zone.as_ref(), state.t0.get()).naive_local())
    };
    let t0_offset = move || {
        let zone = zone_of(&state);
        let offset = zone::local(zone.as_ref(), state.t0.get())
            .offset()
            .local_minus_utc();
        tf!("UTC{0}, phone time", crate::words::offset_text(offset))
    };
    let set_t0 = move |text: String| {
        let zone = zone_of(&state);
        match timeline::parse_input(&text).and_then(|wall| zone::resolve(zone.as_ref(), wall)) {
            Some(t) => {
                t0_error.set(None);
                state.t0.set(t);
                state.t0_pinned.set(true);
            }
            None => t0_error.set(Some(
                t!("Settings take effect at: enter a date and time, such as 2026-06-10 09:00.")
                    .to_owned(),
            )),
        }
    };
    view! {
    <div class="control">
        <label for="t0">"Settings take effect at"</label>
        <div class="row">
            <input
                id="t0"
                name="t0"
                type="datetime-local"
                step="1"
                aria-describedby="t0-offset t0-error"
                aria-invalid=text(move || t0_error.with(Option::is_some).to_string())
                prop:value=text(t0_text)
                on:change=super::on_event(move |ev| set_t0(event_target_value(&ev)))
            />
            <button
                type="button"
                on:click=super::on_click(move |_| {
                    t0_error.set(None);
                    state.t0.set(browser::now());
                    state.t0_pinned.set(false);
                })
            >
                "Now"
            </button>
        </div>
        <span class="hint" id="t0-offset">{text(t0_offset)}</span>
        <p class="error" id="t0-error" role="alert">{text(move || t0_error.get().unwrap_or_default())}</p>
    </div>
    }
}

#[component]
fn Drawing(all: Memo<Vec<Fetch>>) -> impl IntoView {
    let state = expect_context::<State>();
    let span = move || {
        let t0 = state.t0.get();
        (t0, t0 + state.horizon.get().span())
    };
    // Redrawn when the fetches or the span change, not with every tick of the clock: the
    // drawing, and its labels as markup over it (text in the stretched drawing would be
    // stretched too, and too small at 360 px).
    let drawing = Memo::new(move |_| {
        let (from, to) = span();
        let zone = zone_of(&state);
        let w = super::words();
        let ticks = timeline::ticks(zone.as_ref(), from, state.horizon.get(), w);
        all.with(|all| {
            let drawn = &all[..all.len().min(MAX_DRAWN)];
            let marks = timeline::marks(drawn, from, to);
            (
                render::timeline_svg(&marks, &ticks),
                render::timeline_labels(&marks, &ticks, w),
            )
        })
    });
    let now_shown = move || {
        let (from, to) = span();
        (from..=to).contains(&state.now.get())
    };
    // Kept at the edge while hidden, so it is always a valid coordinate.
    let now_at = move || {
        let (from, to) = span();
        timeline::position(state.now.get(), from, to)
    };
    let now_x = move || svg_number(now_at() * render::WIDTH);
    view! {
        <figure class="timeline">
            <div class="drawing">
                <svg
                    data-testid="timeline"
                    viewBox="0 0 1000 140"
                    preserveAspectRatio="none"
                    role="img"
                    aria-label="Timeline of the upcoming fetches; the list below has the same fetches as text."
                    inner_html=text(move || drawing.with(|d| d.0.clone()))
                ></svg>
                <div class="labels" aria-hidden="true" inner_html=text(move || drawing.with(|d| d.1.clone()))></div>
                <svg class="overlay" viewBox="0 0 1000 140" preserveAspectRatio="none" aria-hidden="true">
                    <g
                        class="now"
                        class:hidden=flag(move || !now_shown())
                        data-testid="now-marker"
                        data-x=text(now_x)
                    >
                        <line x1=text(now_x) x2=text(now_x) y1="12" y2="118"></line>
                    </g>
                </svg>
                <span
                    class="now-label"
                    aria-hidden="true"
                    class:hidden=flag(move || !now_shown())
                    style=text(move || format!("left:{}%", svg_number(now_at() * 100.0)))
                >
                    "now"
                </span>
            </div>
            <figcaption class="legend">
                <span class="key polling">"polling"</span>
                <span class="key refresh">"refresh timer (dashed)"</span>
                <span class="key band">"random window"</span>
                <span class="key now">"now"</span>
            </figcaption>
        </figure>
    }
}

#[component]
fn FetchList(upcoming: Memo<Vec<Fetch>>) -> impl IntoView {
    let state = expect_context::<State>();
    let items = Memo::new(move |_| {
        let zone = zone_of(&state);
        let w = super::words();
        upcoming.with(|u| render::fetch_items(&u[..u.len().min(MAX_LISTED)], zone.as_ref(), w))
    });
    view! {
        <h3 id="fetch-list-heading">"Upcoming fetches"</h3>
        <ol class="fetches" aria-labelledby="fetch-list-heading" data-testid="fetch-list" inner_html=items></ol>
    }
}
