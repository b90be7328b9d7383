//! The browser app (wasm32 only): a thin Leptos shell over the library.
//!
//! All shared state lives in [`State`] (`state.rs`): what the user typed (kept even while
//! invalid), the last valid draft (which drives the XML and the timeline), the imported file
//! and the schedule controls. Every view imports it from here; no view imports another.
//!
//! For the bundle's size, every reactive text and attribute in the views gives a `String` (hence
//! the `to_owned()` and `unwrap_or_default()`): each other value type, `&str` or an `Option`,
//! brings its own copy of Leptos's rendering code, 2.4 KB gzipped in all. Each closure is also a
//! type of its own with its own copy of that code, so reactive texts, class toggles, handlers
//! and effects go through one boxed type per kind ([`text`], [`flag`], [`on_click`],
//! [`on_event`], [`effect`]; 6.2 KB gzipped). For the same reason a choice between two views is
//! an `Either`, not an `AnyView`, and read-only output is markup text from [`crate::render`].

mod browser;
mod file_panel;
mod fleet_view;
mod folder_view;
mod form;
mod state;
mod timeline_view;

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use crate::intl::{self, IntlZone};
pub use state::{
    FolderGroup, FolderInfo, Imported, State, ZoneInfo, horizon_options, warnings_html, zone_named,
    zone_of,
};

/// A reactive text, attribute value or markup. Every one has this one type, so Leptos renders
/// them all with one copy of its code instead of one per closure.
pub type Text = Box<dyn Fn() -> String + Send + Sync>;

pub fn text(f: impl Fn() -> String + Send + Sync + 'static) -> Text {
    Box::new(f)
}

/// A reactive class toggle, with one type for all of them (as [`Text`]).
pub type Flag = Box<dyn Fn() -> bool + Send + Sync>;

pub fn flag(f: impl Fn() -> bool + Send + Sync + 'static) -> Flag {
    Box::new(f)
}

/// A click handler, one type for all of them (as [`Text`]).
pub fn on_click(
    f: impl FnMut(web_sys::MouseEvent) + 'static,
) -> Box<dyn FnMut(web_sys::MouseEvent)> {
    Box::new(f)
}

/// A handler of `input` or `change`, one type for all of them (as [`Text`]).
pub fn on_event(f: impl FnMut(web_sys::Event) + 'static) -> Box<dyn FnMut(web_sys::Event)> {
    Box::new(f)
}

/// An effect, one type for all of them (as [`Text`]).
pub fn effect(f: impl FnMut(Option<()>) + 'static) {
    let f: Box<dyn FnMut(Option<()>)> = Box::new(f);
    Effect::new(f);
}

/// What the folder view does with a folder dropped on the page.
pub type DropHandler = Box<dyn Fn(&web_sys::DragEvent)>;

thread_local! {
    /// The folder view's [`DropHandler`]: the page has one drop listener (a second one cost the
    /// bundle 1 KB), in the file panel, and the folder view sets this.
    pub static FOLDER_DROP: std::cell::RefCell<Option<DropHandler>> =
        const { std::cell::RefCell::new(None) };
}

/// Whether a drop is a provisioning folder (many files, or a folder) rather than one file.
pub fn dropped_folder(ev: &web_sys::DragEvent) -> bool {
    let Some(data) = ev.data_transfer() else {
        return false;
    };
    let many = data.files().is_some_and(|f| f.length() > 1);
    // `webkitGetAsEntry` says whether an item is a folder (a folder's `File` cannot say).
    let items = data.items();
    let folder = (0..items.length()).any(|i| {
        items.get(i).is_some_and(|item| {
            js_sys::Reflect::get(&item, &"webkitGetAsEntry".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .and_then(|f| f.call0(&item).ok())
                .is_some_and(|entry| {
                    js_sys::Reflect::get(&entry, &"isDirectory".into()).is_ok_and(|d| d.is_truthy())
                })
        })
    });
    many || folder
}

/// Mounts the app on the page's body.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let state = State::load();
    provide_context(state);

    // The clock: the now marker and the countdown move with it, for the page's whole life.
    Interval::new(1_000, move || state.now.set(browser::now())).forget();

    // Keep the work over a reload.
    let save_error = RwSignal::new(None::<String>);
    effect(move |_| {
        let text = state.saved().encode();
        save_error.set(browser::save(&text).err());
    });

    view! {
        <header class="top">
            <h1>"provpoll"</h1>
            <p class="tagline">
                "When will your snom phones fetch their provisioning files? Set the polling, see the schedule, download the file."
            </p>
            <p class="privacy" data-testid="privacy">
                "This page makes no network request after it has loaded: your settings files, with their passwords, never leave this browser."
            </p>
            <p class="note" role="status">
                {text(move || save_error.get().map(|e| format!("Your work is not kept over a reload: {e}.")).unwrap_or_default())}
            </p>
        </header>
        <main class="layout">
            <form::SettingsForm />
            <timeline_view::Schedule />
            <fleet_view::FleetView />
            <file_panel::FilePanel />
            <folder_view::FolderView />
        </main>
    }
}
