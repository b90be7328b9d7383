//! The browser app (wasm32 only): a thin Leptos shell over the library.

use leptos::prelude::*;

use crate::settings::{Draft, Key, validate};
use crate::summary::describe;

/// Mounts the app on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let draft = Draft::default()
        .with(Key::Enabled, "on")
        .with(Key::Mode, "random")
        .with(Key::Period, "86400")
        .with(Key::Time, "09:00")
        .with(Key::TimeRand, "09:10");
    let summary = validate(&draft)
        .settings
        .map(|s| describe(&s))
        .unwrap_or_default();
    view! {
        <main>
            <h1>"provpoll"</h1>
            <p>"When your snom phones will fetch their provisioning files."</p>
            <p data-testid="summary">{summary}</p>
        </main>
    }
}
