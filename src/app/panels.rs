//! The worker's two panels, the provisioning folder's ([`folder_panel`]) and the server log's
//! ([`log_panel`]), as one piece of static markup with one listener per kind of event, which
//! the page's doors share ([`clicked`]): each control says what it is, and this routes it.
//!
//! The folder and the log live in a worker (`crate::worker`), loaded when first needed: reading
//! 2,000 files or a log of a million lines never holds the page, and their code stays out of
//! the page's bundle. The panels are static markup; the page forwards their events and files to
//! the worker and does what the worker asks (fill an element, show or hide one, offer a
//! download). (A panel of Leptos elements and the folder's code in the page cost 15 KB gzipped
//! that the page's budget does not have.)

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{State, browser, drop, file_panel, folder_panel, log_panel, worker_link};
use crate::web::protocol::{FromWorker, ToWorker};

#[component]
pub fn Panels() -> impl IntoView {
    let state = expect_context::<State>();
    worker_link::listen(false, Box::new(move |message| answer(state, message)));
    // The worker's table follows when the settings take effect and the zone chosen; its next
    // fetches are as of the folder's opening or the last such change (redrawing 2,000 phones
    // with every tick of the clock would cost more than it tells).
    super::effect(move |_| {
        let (t0, zone) = (state.t0.get(), state.zone_choice.get());
        // A log is read by a running worker, with or without a folder.
        if state.folder.get() || worker_link::running() {
            worker_link::post(ToWorker::Clock {
                t0: t0.timestamp(),
                now: state.now.get_untracked().timestamp(),
                zone,
            });
        }
    });

    super::FOLDER_DROP.set(Some(Box::new(move |ev| drop::dropped(state, ev))));
    // The worker writes what it draws in the page's language: it follows each change.
    super::effect(move |_| {
        state.lang.track();
        if worker_link::running() {
            worker_link::send_lang();
        }
    });

    let markup = [folder_panel::MARKUP, log_panel::MARKUP].concat();
    // One listener per kind of event for both panels: each control says what it is.
    view! {
        <div
            class="worker-views"
            inner_html=markup
            on:click=super::on_click(move |ev| clicked(state, ev))
            on:change=super::on_event(move |ev| changed(state, ev))
            on:input=super::on_event(move |ev| changed(state, ev))
        ></div>
    }
}

/// What the worker asks of the page: an element filled, shown or hidden; else the folder's.
fn answer(state: State, message: FromWorker) {
    match message {
        FromWorker::Html {
            id,
            markup,
            append: false,
        } => browser::set_html(&id, &markup),
        FromWorker::Html { id, markup, .. } => browser::append_html(&id, &markup),
        FromWorker::Value { id, value } => {
            browser::field_value(&id, Some(&value));
        }
        FromWorker::Show { id, shown } => browser::show(&id, shown),
        message => {
            let _ = file_panel::answer(state, &message) || folder_panel::answer(state, &message);
        }
    }
}

/// A click in the panels (or on the page's doors): each control says what it is
/// (`data-action`), and a door or a link of the page's bar where it leads (`data-view`).
pub fn clicked(state: State, ev: web_sys::MouseEvent) {
    let control = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("[data-action], [data-view]").ok().flatten());
    let data = |name: &str| control.as_ref().and_then(|c| c.get_attribute(name));
    if let Some(view) = data("data-view") {
        browser::scroll_to(&view);
    }
    let Some(action) = data("data-action") else {
        return;
    };
    // The settings file's door; else the panel whose control it is; else a message of its own.
    if action == "open-file" {
        browser::click("import-file");
    } else if !folder_panel::action(state, &action)
        && !log_panel::action(&action, &data)
        && let Some(message) = ToWorker::of_action(&action)
    {
        worker_link::post(message);
    }
}

/// A change in the panels: a file picker, a phone's or group's checkbox, or a control.
fn changed(state: State, ev: web_sys::Event) {
    let Some(target) = ev.target() else { return };
    let get = |key: &str| js_sys::Reflect::get(&target, &key.into()).unwrap_or_default();
    let id = get("id").as_string().unwrap_or_default();
    if id.starts_with("import-") {
        if ev.type_() == "change" {
            let input: web_sys::HtmlInputElement = event_target(&ev);
            if id == "import-log" {
                log_panel::picked(state, &input);
            } else {
                folder_panel::picked(state, &input);
            }
        }
        return;
    }
    let dataset = get("dataset");
    let data = |name: &str| {
        js_sys::Reflect::get(&dataset, &name.into())
            .ok()?
            .as_string()
    };
    // A checkbox of the table: a phone, or a group with its phones.
    match data("phone").or_else(|| data("members")) {
        Some(phones) if ev.type_() == "change" => worker_link::post(ToWorker::Check {
            phones,
            on: get("checked").is_truthy(),
        }),
        Some(_) => {}
        None => worker_link::post(ToWorker::Input {
            id,
            value: get("value").as_string().unwrap_or_default(),
        }),
    }
}
