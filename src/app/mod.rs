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

/// `english` (a literal, marked for the table of words) in the page's language, as a `String`.
macro_rules! t {
    ($english:literal) => {
        $crate::app::t($crate::en!($english))
    };
}

/// The template `english` in the page's language, with the arguments as `{0}`, `{1}`….
macro_rules! tf {
    ($english:literal, $($arg:expr),+ $(,)?) => {
        $crate::app::words().fill($crate::en!($english), &[$(&$arg),+])
    };
}

mod browser;
mod file_panel;
mod fleet_view;
mod folder_view;
mod form;
mod state;
mod timeline_view;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::store::Saved;
use crate::words::{Lang, Words};

pub use crate::intl::{self, IntlZone};
pub use state::{
    FleetControls, FolderGroup, FolderInfo, Imported, State, ZoneInfo, horizon_options,
    warnings_html, zone_named, zone_of,
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

thread_local! {
    /// The page's words, and the German table's text as served (the folder's worker reads it
    /// too). The view is built anew when the language changes ([`State::lang`]), so every text
    /// takes the words as it is made.
    static WORDS: RefCell<(Rc<Words>, Option<String>)> = RefCell::new((Rc::new(Words::english()), None));
}

/// The page's words now.
pub fn words() -> Rc<Words> {
    WORDS.with_borrow(|w| w.0.clone())
}

/// `english` in the page's language (see the `t!` macro).
pub fn t(english: &'static str) -> String {
    WORDS.with_borrow(|w| w.0.t(english).to_owned())
}

/// The German table's text, once loaded.
pub fn table_text() -> Option<String> {
    WORDS.with_borrow(|w| w.1.clone())
}

/// Makes `lang` the page's language, loading its table the first time (from the page's own
/// origin: it is not in the bundle). `Err` says why it could not.
async fn use_lang(lang: Lang) -> Result<(), String> {
    let text = match lang {
        Lang::En => None,
        Lang::De => match table_text() {
            Some(text) => Some(text),
            None => Some(browser::fetch_text("de.tsv").await?),
        },
    };
    let words = match &text {
        Some(text) => Words::parse(lang, text).map_err(|e| format!("de.tsv, {e}"))?,
        None => Words::english(),
    };
    WORDS.set((Rc::new(words), text.or_else(table_text)));
    browser::set_lang(lang.as_str());
    Ok(())
}

/// Mounts the app on the page's body, in the language the user chose before, else the one
/// the browser prefers. German is loaded first, so the page never shows English before it.
pub fn mount() {
    let chosen = browser::load_saved()
        .and_then(|text| Saved::decode(&text))
        .and_then(|s| s.lang)
        .and_then(|l| Lang::parse(&l));
    let lang =
        chosen.unwrap_or_else(|| Lang::preferred(browser::languages().iter().map(String::as_str)));
    spawn_local(async move {
        let failed = use_lang(lang).await.err();
        leptos::mount::mount_to_body(move || App(failed.clone()));
    });
}

/// The page: its state lives here, and the view below is built anew when the language changes.
#[allow(non_snake_case)]
fn App(lang_error: Option<String>) -> impl IntoView {
    let state = State::load(words().lang);
    provide_context(state);

    // The clock: the now marker and the countdown move with it, for the page's whole life.
    Interval::new(1_000, move || state.now.set(browser::now())).forget();

    // Keep the work over a reload.
    let save_error = RwSignal::new(None::<String>);
    effect(move |_| {
        let text = state.saved().encode();
        save_error.set(browser::save(&text).err());
    });
    let lang_error = RwSignal::new(lang_error);

    move || {
        state.lang.track();
        // The language control keeps the focus it had when the view is built anew.
        let refocus = browser::focused_id().filter(|id| id == "language");
        let view = view! {
            <header class="top">
                <h1>"provpoll"</h1>
                <p class="tagline">
                    {t!("When will your snom phones fetch their provisioning files? Set the polling, see the schedule, download the file.")}
                </p>
                <p class="privacy" data-testid="privacy">
                    {t!("This page makes no network request after it has loaded: your settings files, with their passwords, never leave this browser.")}
                </p>
                <p class="language">
                    <label for="language">{t!("Language")}</label>
                    " "
                    <select
                        id="language"
                        name="language"
                        inner_html=crate::render::options(&Lang::ALL.map(|l| (l.as_str(), l.name())))
                        prop:value=state.lang.get_untracked().as_str()
                        on:change=on_event(move |ev| {
                            let Some(lang) = Lang::parse(&event_target_value(&ev)) else { return };
                            spawn_local(async move {
                                match use_lang(lang).await {
                                    Ok(()) => {
                                        lang_error.set(None);
                                        state.lang.set(lang);
                                    }
                                    Err(e) => {
                                        lang_error.set(Some(e));
                                        browser::field_value("language", Some(state.lang.get_untracked().as_str()));
                                    }
                                }
                            });
                        })
                    ></select>
                </p>
                <p class="note" role="status" data-testid="lang-error">
                    {text(move || lang_error.get().map(|e| format!("Deutsch konnte nicht geladen werden (German could not be loaded): {e}.")).unwrap_or_default())}
                </p>
                <p class="note" role="status">
                    {text(move || save_error.get().map(|e| tf!("Your work is not kept over a reload: {0}.", e)).unwrap_or_default())}
                </p>
            </header>
            <main class="layout">
                <form::SettingsForm />
                <timeline_view::Schedule />
                <fleet_view::FleetView />
                <file_panel::FilePanel />
                <folder_view::FolderView />
            </main>
        };
        if refocus.is_some() {
            request_animation_frame(|| browser::focus("language"));
        }
        view
    }
}
