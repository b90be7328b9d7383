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
//! an `Either`, not an `AnyView`, and read-only output is markup text from [`crate::text::render`].
//!
//! The page speaks English or German ([`crate::words`]). A view's static texts are English
//! literals, put into the page's language by one walk over the page (`translate_static`); a
//! text made in a reactive closure asks for its words (`t!`, `tf!`, [`words`]) and so follows
//! the language's signal. The German words are loaded from the page's origin when needed.

// The English-only build (see `mount`) leaves the language's helpers unused.
#![cfg_attr(provpoll_english_only, allow(dead_code, unused_imports))]

/// `english` (a literal, marked for the table of words) in the page's language.
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
mod drop;
mod file_panel;
mod fleet_view;
mod folder_panel;
mod form;
mod log_panel;
mod panels;
mod state;
mod timeline_view;
mod worker_link;

use std::cell::{Cell, RefCell};

use gloo_timers::callback::{Interval, Timeout};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::formats::store::{self, Saved};
use crate::words::{Lang, Words};

pub use crate::web::intl::{self, IntlZone};
pub use state::{
    FleetControls, Imported, State, ZoneInfo, horizon_options, warnings_html, zone_of,
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
    // Many files are a folder whatever they are: their items are not asked (asking 2,000 held
    // the page 50-80 ms).
    if data.files().is_some_and(|f| f.length() > 1) {
        return true;
    }
    // `webkitGetAsEntry` says whether an item is a folder (a folder's `File` cannot say).
    let items = data.items();
    (0..items.length()).any(|i| {
        items.get(i).is_some_and(|item| {
            js_sys::Reflect::get(&item, &"webkitGetAsEntry".into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                .and_then(|f| f.call0(&item).ok())
                .is_some_and(|entry| {
                    js_sys::Reflect::get(&entry, &"isDirectory".into()).is_ok_and(|d| d.is_truthy())
                })
        })
    })
}

thread_local! {
    /// The page's words. They live as long as the page, so a text is a `&'static str` as a
    /// literal is.
    static WORDS: Cell<&'static Words> = Cell::new(Box::leak(Box::new(Words::english())));
    /// The page's language as a signal ([`State::lang`]): every text made in a reactive
    /// closure follows it.
    static LANG: Cell<Option<RwSignal<Lang>>> = const { Cell::new(None) };
    /// The German table's text as served, once loaded (the folder's worker reads it too).
    static TABLE: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The static texts and attributes put into another language, with their English, so the
    /// page can be put back (see [`translate_static`]).
    static TRANSLATED: RefCell<Vec<(web_sys::Node, Option<&'static str>, String)>> =
        const { RefCell::new(Vec::new()) };
}

/// The page's words now; a reactive closure that asks follows the page's language.
pub fn words() -> &'static Words {
    if let Some(lang) = LANG.get() {
        lang.track();
    }
    WORDS.get()
}

/// `english` in the page's language (see the `t!` macro).
#[cfg(not(provpoll_english_only))]
pub fn t(english: &'static str) -> &'static str {
    words().t(english)
}

#[cfg(provpoll_english_only)]
pub fn t(english: &'static str) -> &'static str {
    english
}

/// The German table's text, once loaded.
pub fn table_text() -> Option<String> {
    TABLE.with_borrow(Clone::clone)
}

/// Makes `lang` the page's language, loading its table the first time (from the page's own
/// origin: it is not in the bundle). `Err` says why it could not.
#[cfg(not(provpoll_english_only))]
async fn use_lang(lang: Lang) -> Result<(), String> {
    let words = match lang {
        Lang::En => Words::english(),
        Lang::De => {
            let text = match table_text() {
                Some(text) => text,
                None => browser::fetch_text("de.tsv").await?,
            };
            let words = Words::parse(lang, &text).map_err(|e| format!("de.tsv, {e}"))?;
            TABLE.set(Some(text));
            words
        }
    };
    // A switch of language keeps the words it leaves (a few kilobytes, and rare).
    WORDS.set(Box::leak(Box::new(words)));
    browser::set_lang(lang.as_str());
    Ok(())
}

/// Puts the page's static texts (the views' literals, the labels of options, `aria-label`,
/// `placeholder` and `title`) into the page's language: each text node or attribute whose
/// whole text is an English text of the table. Texts made in reactive closures follow the
/// language themselves; an element marked `translate="no"` or `data-own-words` (a file's
/// XML, what the folder's worker draws) is left alone. Walking the page once costs the bundle
/// far less than a reactive closure per static text.
#[cfg(not(provpoll_english_only))]
fn translate_static() {
    const ATTRIBUTES: [&str; 3] = ["aria-label", "placeholder", "title"];
    // Back to English first, so every static text is found by its English.
    for (node, attribute, english) in TRANSLATED.take() {
        match attribute {
            Some(name) => {
                if let Some(el) = node.dyn_ref::<web_sys::Element>() {
                    let _ = el.set_attribute(name, &english);
                }
            }
            None => node.set_node_value(Some(&english)),
        }
    }
    let words = WORDS.get();
    if words.lang == Lang::En {
        return;
    }
    let mut done = Vec::new();
    let mut stack: Vec<web_sys::Node> = leptos::prelude::document()
        .body()
        .map(Into::into)
        .into_iter()
        .collect();
    while let Some(node) = stack.pop() {
        if let Some(el) = node.dyn_ref::<web_sys::Element>() {
            if el.get_attribute("translate").as_deref() == Some("no")
                || el.has_attribute("data-own-words")
            {
                continue;
            }
            for name in ATTRIBUTES {
                if let Some(english) = el.get_attribute(name) {
                    let own = words.t(&english);
                    if own != english {
                        let _ = el.set_attribute(name, own);
                        done.push((node.clone(), Some(name), english));
                    }
                }
            }
            // A file's text (the XML, a pasted file) is the user's, not the page's words.
            if matches!(
                el.tag_name().as_str(),
                "SCRIPT" | "STYLE" | "PRE" | "TEXTAREA"
            ) {
                continue;
            }
        } else if node.node_type() == web_sys::Node::TEXT_NODE {
            if let Some(english) = node.node_value() {
                let own = words.t(&english);
                if own != english {
                    node.set_node_value(Some(own));
                    done.push((node.clone(), None, english));
                }
            }
            continue;
        }
        let mut child = node.first_child();
        while let Some(c) = child {
            child = c.next_sibling();
            stack.push(c);
        }
    }
    TRANSLATED.set(done);
}

/// The page in English alone, without the language control, the table or the walk over the
/// static texts: built with `RUSTFLAGS=--cfg=provpoll_english_only`, it measures what German
/// costs the bundle (BENCHMARKS.md). Never shipped.
#[cfg(provpoll_english_only)]
pub fn mount() {
    start(saved_work(), None);
}

/// Mounts the app on the page's body, in the language the user chose before, else the one
/// the browser prefers. German is loaded first, so the page never shows English before it.
#[cfg(not(provpoll_english_only))]
pub fn mount() {
    let saved = saved_work();
    let chosen = saved.as_ref().and_then(|s| Lang::parse(s.lang.as_deref()?));
    let lang =
        chosen.unwrap_or_else(|| Lang::preferred(browser::languages().iter().map(String::as_str)));
    // Leptos's own executor starts with the mount: the wait for the words uses the browser's.
    wasm_bindgen_futures::spawn_local(async move {
        let failed = use_lang(lang).await.err();
        start(saved, failed);
        translate_static();
    });
}

/// The work kept over a reload: the draft, and the file (kept apart, and within the draft's
/// record by the builds before that).
fn saved_work() -> Option<Saved> {
    let mut saved = Saved::decode(&browser::load_saved(browser::DRAFT_KEY)?)?;
    let file = browser::load_saved(browser::FILE_KEY).and_then(|t| store::decode_file(&t));
    saved.file = file.or(saved.file);
    Some(saved)
}

/// A file larger than this is not kept over a reload: its text would take the
/// page's thread too long to write, and soon reach the browser's quota for local storage.
const KEEP_FILE: usize = 2 << 20;

/// Mounts the page with its state (made inside the mount, where Leptos runs its effects).
fn start(mut saved: Option<Saved>, lang_error: Option<String>) {
    let file = saved.as_mut().and_then(|s| s.file.take());
    leptos::mount::mount_to_body(move || {
        let state = State::load(saved, WORDS.get().lang);
        if let Some((name, bytes)) = file.clone() {
            file_panel::reopen(state, name, bytes);
        }
        LANG.set(Some(state.lang));
        // The clock: the now marker and the countdown move with it, for the page's whole life.
        Interval::new(1_000, move || state.now.set(browser::now())).forget();
        let notes = Notes {
            save_error: RwSignal::new(None),
            file_error: RwSignal::new(None),
            lang_error: RwSignal::new(lang_error),
        };
        // Keep the work over a reload: the draft at each edit, the file when it changes.
        effect(move |_| {
            let text = state.saved().encode();
            notes
                .save_error
                .set(browser::save(browser::DRAFT_KEY, Some(&text)).err());
        });
        effect(move |_| {
            // The saved file stays while the worker reads it again.
            if state.opening.with(Option::is_some) {
                return;
            }
            let (text, large) = state.imported.with(|f| match f {
                Some(f) if f.file.bytes().len() > KEEP_FILE => (None, true),
                Some(f) => (Some(store::encode_file(&f.name, f.file.bytes())), false),
                None => (None, false),
            });
            // In a task of its own: the browser takes tens of milliseconds to keep a megabyte.
            Timeout::new(0, move || {
                let kept = browser::save(browser::FILE_KEY, text.as_deref());
                notes.file_error.set(match large {
                    true => {
                        Some(t!("the file is over 2 MB (the form's settings are kept)").to_owned())
                    }
                    false => kept.err(),
                });
            })
            .forget();
        });
        provide_context(state);
        page(state, notes)
    });
}

/// What the page says about itself: why the work is not kept, why German did not load.
#[derive(Clone, Copy)]
struct Notes {
    save_error: RwSignal<Option<String>>,
    /// Why the imported file is not kept over a reload.
    file_error: RwSignal<Option<String>>,
    lang_error: RwSignal<Option<String>>,
}

/// Makes `lang` the page's language at the user's choice: the reactive texts follow the
/// language's signal, the static ones are put into it; if its words cannot be loaded, says
/// why and stays as it is.
#[cfg(not(provpoll_english_only))]
fn choose_lang(state: State, notes: Notes, lang: Lang) {
    spawn_local(async move {
        match use_lang(lang).await {
            Ok(()) => {
                notes.lang_error.set(None);
                state.lang_chosen.set(true);
                state.lang.set(lang);
                translate_static();
            }
            Err(e) => {
                notes.lang_error.set(Some(e));
                browser::field_value("language", Some(state.lang.get_untracked().as_str()));
            }
        }
    });
}

/// The `language` control: it switches the page's language at once.
#[cfg(not(provpoll_english_only))]
fn language_control(state: State, notes: Notes) -> impl IntoView {
    view! {
        <p class="language">
            <label for="language">"Language"</label>
            " "
            <select
                id="language"
                name="language"
                translate="no"
                inner_html=crate::text::render::options(&Lang::ALL.map(|l| (l.as_str(), l.name())))
                prop:value=state.lang.get_untracked().as_str()
                on:change=on_event(move |ev| {
                    if let Some(lang) = Lang::parse(&event_target_value(&ev)) {
                        choose_lang(state, notes, lang);
                    }
                })
            ></select>
        </p>
    }
}

#[cfg(provpoll_english_only)]
fn language_control(_: State, _: Notes) {}

/// The page's three doors, for what an administrator comes with (a settings file, a
/// provisioning folder, a server's log), and a bar that keeps every view, the form and the
/// schedule among them, one step away. Static markup: its clicks go where the folder's do.
const DOORS: &str = concat!(
    r#"<div class="doors">"#,
    r#"<div class="panel door"><h2>A settings file</h2><p>One phone's file: its schedule, its polling.</p><button data-action="open-file" data-view="file-heading">Open a settings file…</button></div>"#,
    r#"<div class="panel door"><h2>A provisioning folder</h2><p>Every phone your server serves, with its settings.</p><button data-action="open-folder" data-view="folder-heading">Open a folder…</button></div>"#,
    r#"<div class="panel door"><h2>A server log</h2><p>Did the phones poll? The server's log against the folder.</p><button data-action="open-log" data-view="log-heading">Open a server log…</button></div></div>"#,
    r#"<p class="jump"><button data-view="settings-heading">Polling settings</button> <button data-view="schedule-heading">Schedule</button> <button data-view="file-heading">Settings file</button> <button data-view="folder-heading">Provisioning folder</button> <button data-view="log-heading">Server log</button></p>"#,
);

fn page(state: State, notes: Notes) -> impl IntoView {
    view! {
        <header class="top">
            <h1>"provpoll"</h1>
            <p class="tagline">
                "When will your snom phones fetch their provisioning files? Set the polling, see the schedule, download the file."
            </p>
            <p class="privacy" data-testid="privacy">
                "This page makes no network request after it has loaded: your settings files, with their passwords, never leave this browser."
            </p>
            {language_control(state, notes)}
            <p class="note" role="status" data-testid="lang-error">
                {text(move || notes.lang_error.get().map(|e| format!("Deutsch konnte nicht geladen werden (German could not be loaded): {e}.")).unwrap_or_default())}
            </p>
            <p class="note" role="status">
                {text(move || notes.save_error.get().or_else(|| notes.file_error.get()).map(|e| tf!("Your work is not kept over a reload: {0}.", e)).unwrap_or_default())}
            </p>
            <nav aria-label="Start with" inner_html=DOORS on:click=on_click(move |ev| panels::clicked(state, ev))></nav>
        </header>
        <main class="layout">
            <form::SettingsForm />
            <timeline_view::Schedule />
            <panels::Panels />
            <fleet_view::FleetView />
            <file_panel::FilePanel />
        </main>
    }
}
