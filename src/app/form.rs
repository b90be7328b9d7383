//! The form: one field per setting, each with its perm flag, help and inline validation.

use leptos::either::Either;
use leptos::prelude::*;

use super::{State, browser, flag, text};
use crate::core::message::Said;
use crate::core::rule::{Rule, Unused};
use crate::core::settings::{Key, Perm};
use crate::text::render;

/// The help text of each setting, from the spec.
fn help(key: Key) -> &'static str {
    match key {
        Key::Enabled => en!(
            "on: the phone fetches its provisioning files on the schedule below. off (the default): no scheduled polling, but the refresh timer still fetches if it is set."
        ),
        Key::Mode => en!(
            "rel: every period, counted from when the settings take effect. abs: every day at the Polling Time. random: in a daily window every day or more (period of 86400 s or more), or at a random moment within each period (shorter periods)."
        ),
        Key::Period => en!(
            "Seconds. rel: the interval. random: 86400 s or more is a number of days (a part day rounds up); less, and each fetch comes at a random moment up to this long after the one before. Not used in abs mode. When not set, provpoll assumes 86400."
        ),
        Key::Time => en!(
            "HH:MM on the phone's clock. abs: the daily time. random (a day or more): the start of the window. A time skipped when clocks go forward means the first moment after the change; a time that happens twice when they go back means the first."
        ),
        Key::TimeRandEnd => en!(
            "HH:MM on the phone's clock: the end of the random window. Before the start, the window runs past midnight; equal to it, the fetch is at that exact minute."
        ),
        Key::RefreshTimer => en!(
            "Seconds, 0 = off. An older, separate timer: the phone fetches every this many seconds after the settings take effect, whether polling is on or off."
        ),
    }
}

const PERM_HELP: &str = en!(
    "perm: who may change a setting on the phone. R: read-only. RW: the user may change it; the next provisioning overwrites it. !: the user may change it and provisioning keeps the user's value. V (with any of them): volatile, reverts at reboot. The file may use the aliases & or one blank (R), $ or empty (RW)."
);

/// The perm flags the form offers, each with what it means (static texts, so the page puts
/// them into its language as a whole).
const PERMS: [(&str, &str); 6] = [
    ("R", en!("R: read-only")),
    ("RW", en!("RW: user may change")),
    ("!", en!("!: user's value kept")),
    ("RV", en!("RV: read-only, volatile")),
    ("RWV", en!("RWV: user may change, volatile")),
    ("!V", en!("!V: user's value kept, volatile")),
];

#[derive(Clone, Copy)]
enum Control {
    Choice(&'static [(&'static str, &'static str)]),
    Text {
        placeholder: &'static str,
        numeric: bool,
    },
}

fn control(key: Key) -> Control {
    match key {
        // The values are the file's; only what stands beside them is translated.
        Key::Enabled => {
            Control::Choice(&[("", en!("not set (off)")), ("on", "on"), ("off", "off")])
        }
        Key::Mode => Control::Choice(&[
            ("", en!("not set")),
            ("rel", en!("rel: relative")),
            ("abs", en!("abs: absolute, daily")),
            ("random", "random"),
        ]),
        Key::Period | Key::RefreshTimer => Control::Text {
            placeholder: en!("not set (seconds)"),
            numeric: true,
        },
        Key::Time | Key::TimeRandEnd => Control::Text {
            placeholder: en!("not set (HH:MM)"),
            numeric: false,
        },
    }
}

#[component]
pub fn SettingsForm() -> impl IntoView {
    let state = expect_context::<State>();
    // One listener for every control: each names its setting.
    let follow = move |ev: web_sys::Event| {
        if let Some((name, value)) = browser::target_name_value(&ev) {
            let value = (!value.is_empty()).then_some(value);
            state.draft.update(|d| {
                if let Some(key) = Key::from_name(&name) {
                    d.set_value(key, value);
                } else if let Some(key) = name.strip_prefix("perm:").and_then(Key::from_name) {
                    d.set_perm(key, value);
                }
            });
        }
    };
    view! {
        <section class="panel settings" aria-labelledby="settings-heading">
            <h2 id="settings-heading">"Polling settings"</h2>
            <p class="help">{PERM_HELP}</p>
            <form
                class="fields"
                on:submit=|ev| ev.prevent_default()
                on:input=super::on_event(follow)
                // Some assistive technology, autofill and automation fire only `change`.
                on:change=super::on_event(follow)
            >
                {Key::ALL.into_iter().map(|key| view! { <Field key /> }).collect_view()}
            </form>
            <details class="other-triggers">
                <summary>"Fetches outside this schedule"</summary>
                <p>
                    "The phone also fetches at every boot, when the PBX sends a SIP NOTIFY check-sync, and after a failed fetch, retrying after a random back-off (prov_back_off_timer, by default 3 to 6 s, doubling up to 3600 s). With update_policy never_update it loads nothing at all."
                </p>
            </details>
        </section>
    }
}

#[component]
fn Field(key: Key) -> impl IntoView {
    let state = expect_context::<State>();
    let name = key.name();
    let id = format!("field-{name}");
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let error = move || {
        state
            .report
            .with(|r| r.error_for(key).map(|e| e.problem.say(super::words())))
    };
    let value = move || {
        state
            .draft
            .with(|d| d.value(key).unwrap_or_default().to_owned())
    };
    let unused = move || state.settings.with(|s| Rule::of(s).unused(key));
    let applies = move || unused().is_none();
    let not_applying = move || match unused() {
        None => String::new(),
        Some(Unused::PollingOff) => t!("Not used while polling is off.").to_owned(),
        Some(Unused::InMode(mode)) => tf!("Not used in {0} mode with this period.", mode.as_str()),
        Some(Unused::NoMode) => t!("Not used until a mode is chosen.").to_owned(),
    };
    let described = format!("{help_id} {error_id}");
    let hint = move || {
        if key != Key::Period && key != Key::RefreshTimer {
            return String::new();
        }
        state.draft.with(|d| {
            d.value(key)
                .and_then(|v| crate::core::check::parse_seconds(key, v).ok())
                .filter(|&n| n >= 60)
                .map(|n| format!("= {}", super::words().duration(n)))
                .unwrap_or_default()
        })
    };

    let invalid = move || error().is_some().to_string();
    let input = match control(key) {
        // A value that is none of the options (from a file) shows as "not set"; the error
        // beside it names the value.
        Control::Choice(options) => Either::Left(view! {
            <select
                id=id.clone()
                name=name
                aria-describedby=described.clone()
                aria-invalid=text(invalid)
                inner_html=render::options(options)
                prop:value=text(value)
            ></select>
        }),
        Control::Text {
            placeholder,
            numeric,
        } => Either::Right(view! {
            <input
                id=id.clone()
                name=name
                type="text"
                autocomplete="off"
                spellcheck="false"
                inputmode=if numeric { "numeric" } else { "text" }
                placeholder=placeholder
                aria-describedby=described.clone()
                aria-invalid=text(invalid)
                prop:value=text(value)
            />
        }),
    };

    view! {
        <div class="field" class:not-applicable=flag(move || !applies()) data-setting=name>
            <label for=id.clone()>
                <span class="label">{key.label()}</span>
                <code class="name">{name}</code>
            </label>
            <div class="controls">
                {input}
                <span class="hint">{text(hint)}</span>
                <PermSelect key />
            </div>
            <p class="applies" aria-live="polite">{text(not_applying)}</p>
            <p class="help" id=help_id>{help(key)}</p>
            <p class="error" id=error_id role="alert">{text(move || error().unwrap_or_default())}</p>
        </div>
    }
}

#[component]
fn PermSelect(key: Key) -> impl IntoView {
    let state = expect_context::<State>();
    let id = format!("perm-{}", key.name());
    let raw = move || state.draft.with(|d| d.perm(key).map(str::to_owned));
    // Aliases (&, $, a blank) show as the flag they mean; the file keeps its spelling until
    // the flag changes.
    let parsed = move || raw().map(|t| Perm::parse(&t));
    let shown = move || match parsed() {
        Some(Some(p)) => p.as_str().to_owned(),
        _ => String::new(),
    };
    let invalid = move || matches!(parsed(), Some(None));
    let meaning = move || {
        super::t(match parsed() {
            Some(Some(p)) => p.meaning(),
            Some(None) => en!("not a valid perm flag"),
            None => en!("no perm flag: the phone's default applies"),
        })
        .to_owned()
    };
    let options: Vec<(&str, &str)> = std::iter::once(("", en!("none"))).chain(PERMS).collect();
    view! {
        <span class="perm">
            <label for=id.clone()>"perm"</label>
            <select
                id=id.clone()
                name=format!("perm:{}", key.name())
                aria-describedby=format!("{id}-meaning")
                aria-invalid=text(move || invalid().to_string())
                inner_html=render::options(&options)
                prop:value=text(shown)
            ></select>
            <span class="hint" id=format!("{id}-meaning")>{text(meaning)}</span>
        </span>
    }
}
