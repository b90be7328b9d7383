//! A provisioning folder: open it (a folder, or many files), see every phone's effective
//! settings in a table, select phones or groups, edit them with the form, see the plan, and
//! write it back (into the folder where the browser can, else as a zip of the changed files).
//! Beside it, a server's log: open it (or drop it) and the worker holds it against the folder.
//! Both panels are one piece of static markup with one listener per kind of event, which the
//! page's doors share ([`clicked`]).
//!
//! The folder lives in a worker (`crate::worker`), loaded when a folder is first opened: reading
//! 2,000 files never holds the page, and the folder's code stays out of the page's bundle. The
//! panel is static markup ([`PANEL`]); this view forwards its events and files to the worker and
//! does what the worker asks (fill an element, show or hide one, offer a download), plus what
//! only the page can do: ask the user, the form, the fleet. (A panel of Leptos elements and the
//! folder's code in the page cost 15 KB gzipped that the page's budget does not have.)

use js_sys::{Array, Uint8Array};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{State, browser, worker_link};
use crate::core::folder::is_settings_name;
use crate::core::settings::{Draft, Key};
use crate::web::protocol::{FromWorker, ToWorker, id};

/// The panel's markup. Its texts are static, put into the page's language with the rest of the
/// page (`translate_static`); what the worker draws (`data-own-words`) it writes in the page's
/// language itself.
const PANEL: &str = concat!(
    r#"<section class="panel folder" aria-labelledby="folder-heading" data-testid="folder">"#,
    r#"<h2 id="folder-heading">Provisioning folder</h2>"#,
    r#"<p class="help">Open (or drop) the folder your provisioning server serves: every phone with the settings it ends up with. Nothing leaves this browser.</p>"#,
    r#"<div class="buttons"><button type="button" data-action="open-folder">Open a folder…</button>"#,
    r#"<input id="import-folder" class="visually-hidden" type="file" tabindex="-1" multiple webkitdirectory aria-label="Open a folder">"#,
    r#"<button type="button" data-action="open-files">Open files…</button>"#,
    r#"<input id="import-files" data-testid="import-files" class="visually-hidden" type="file" tabindex="-1" multiple accept=".xml,.htm,.cfg" aria-label="Open the files of a folder">"#,
    r#"<button type="button" id="folder-close" data-action="close" hidden>Close the folder</button></div>"#,
    r#"<p class="progress" id="folder-progress" data-testid="folder-progress" hidden><progress id="folder-progress-bar" max="100" aria-label="Reading the folder"></progress> <span>Reading…</span></p>"#,
    r#"<p class="status" role="status" id="folder-status" data-testid="folder-status" data-own-words></p>"#,
    r#"<div id="folder-body" hidden><div class="controls-grid">"#,
    r#"<div class="control"><label for="folder-filter">Filter</label><input id="folder-filter" name="folder-filter" type="search" placeholder="MAC, type or setting"></div>"#,
    r#"<div class="control"><label for="folder-sort">Order</label><select id="folder-sort" name="folder-sort"><option value="group">by group</option><option value="mac">by MAC</option><option value="type">by type</option></select></div></div>"#,
    r#"<div class="table-wrap"><table class="phones" data-testid="phones"><thead><tr><th scope="col"><span class="visually-hidden">Selected</span></th><th scope="col">MAC</th><th scope="col">Type</th><th scope="col">Group</th><th scope="col">Settings (where each comes from)</th><th scope="col">Schedule</th><th scope="col">Next fetch</th></tr></thead><tbody id="folder-rows" data-own-words></tbody></table></div>"#,
    r#"<p class="note" id="folder-note" data-own-words></p>"#,
    r#"<div class="buttons"><button type="button" data-action="edit" data-testid="edit-selected">Edit the selected phones in the form</button><button type="button" data-action="clear">Clear the selection</button></div>"#,
    r#"<div id="folder-editing" hidden><div class="control"><label for="folder-target">Write each setting</label><select id="folder-target" name="folder-target"><option value="source">where the phone's value comes from now</option><option value="own">in each phone's own file</option></select></div>"#,
    r#"<div class="buttons"><button type="button" data-action="plan" data-testid="make-plan">Plan the edit</button><span id="folder-write" hidden><button type="button" data-action="zip" data-testid="download-zip">Download the changed files (.zip)</button> <button type="button" id="folder-write-back" data-action="write" data-testid="write-back" hidden>Write into the folder…</button></span></div>"#,
    r#"<ul class="plan" id="folder-plan" data-testid="plan" data-own-words></ul></div>"#,
    r#"<h3>Not read by any phone here</h3><ul class="unread" id="folder-unread" data-testid="unread" data-own-words></ul>"#,
    r#"<h3>Problems</h3><ul class="findings" id="folder-findings" data-testid="findings" data-own-words></ul></div></section>"#,
    r#"<section class="panel log" aria-labelledby="log-heading">"#,
    r#"<h2 id="log-heading">Server log</h2>"#,
    r#"<p class="help">Your provisioning server's access log (common or combined, gzip too, several files at once), each phone held against the folder. Nothing leaves this browser.</p>"#,
    r#"<div class="buttons"><button type="button" data-action="open-log">Open a server log…</button>"#,
    r#"<input id="import-log" class="visually-hidden" type="file" tabindex="-1" multiple aria-label="Open a server log">"#,
    r#"<button type="button" id="log-close" data-action="log-close" hidden>Close the log</button></div>"#,
    r#"<p class="progress" id="log-progress" hidden><progress id="log-progress-bar" max="100" value="0" aria-label="Reading the log"></progress> <button type="button" data-action="log-cancel">Cancel</button></p>"#,
    r#"<p class="status" role="status" id="log-status" data-own-words></p>"#,
    r#"<ul class="log-files" id="log-files" data-own-words></ul>"#,
    r#"<div id="log-body" data-own-words hidden></div></section>"#,
);

/// What the form changes against the draft the edit began with: the values and perm flags that
/// differ (a cleared value is not a change: files keep a value the form no longer shows).
fn change(base: &Draft, now: &Draft) -> Draft {
    let mut change = Draft::default();
    for key in Key::ALL {
        change.set_value(key, now.value(key).filter(|&v| Some(v) != base.value(key)));
        change.set_perm(key, now.perm(key).filter(|&p| Some(p) != base.perm(key)));
    }
    change
}

/// Says what the view did, or why it could not.
fn status(text: &str) {
    browser::set_html(id::FOLDER_STATUS, &crate::text::render::escape(text));
}

#[component]
pub fn FolderView() -> impl IntoView {
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

    super::FOLDER_DROP.set(Some(Box::new(move |ev| dropped(state, ev))));
    // The worker writes what it draws in the page's language: it follows each change.
    super::effect(move |_| {
        state.lang.track();
        if worker_link::running() {
            worker_link::send_lang();
        }
    });

    // One listener per kind of event for the whole panel: each control says what it is.
    view! {
        <div
            class="worker-views"
            inner_html=PANEL
            on:click=super::on_click(move |ev| clicked(state, ev))
            on:change=super::on_event(move |ev| changed(state, ev))
            on:input=super::on_event(move |ev| changed(state, ev))
        ></div>
    }
}

/// What the worker asks of the page.
fn answer(state: State, message: FromWorker) {
    let base = state.folder_base;
    match message {
        FromWorker::Html { id, markup } => browser::set_html(&id, &markup),
        FromWorker::Value { id, value } => {
            browser::field_value(&id, Some(&value));
        }
        FromWorker::Show { id, shown } => browser::show(&id, shown),
        FromWorker::Folder { memory } => {
            // Whole bytes: formatting an f64 would bring float printing into the bundle.
            let memory = memory as u64;
            browser::set_attribute(id::FOLDER_STATUS, "data-worker-memory", &memory.to_string());
            state.folder.set(true);
        }
        FromWorker::Edit { draft, phones: n } => {
            let question = state.imported.with(|f| {
                f.as_ref().map(|f| {
                    tf!(
                        "Close {0}? It stays as it is; the form then edits the selected phones.",
                        f.name
                    )
                })
            });
            if question.is_some_and(|q| !browser::confirm(&q)) {
                return;
            }
            state.imported.set(None);
            state.offer.set(Draft::default());
            // Nothing of an earlier file or form stands in while a field is in error.
            state.forget(false);
            base.set(draft.clone());
            state.draft.set(draft);
            browser::show(id::FOLDER_EDITING, true);
            status(&tf!(
                "The form shows the first selected phone's settings. Change what the selected phones ({0}) should have, then plan the edit.",
                super::words().number(n.into())
            ));
        }
        FromWorker::Download { name, bytes } => {
            // Only a download that happened makes the folder shown the edited one.
            match browser::download_as(&name, &bytes.to_vec(), "application/zip") {
                Ok(()) => worker_link::post(ToWorker::Apply),
                Err(e) => status(&e),
            }
        }
        // The edit is written: what the form shows is the folder's now.
        FromWorker::Applied => base.set(state.draft.get_untracked()),
        _ => {}
    }
}

/// Starts the worker if it is not running; says so where the browser cannot.
fn started() -> bool {
    let ok = worker_link::start();
    if !ok {
        status(t!("This browser cannot start the folder's worker."));
    }
    ok
}

/// Sends files (path in the folder, file) to the worker, a batch at a time as the browser
/// reads them.
fn open_files(files: Vec<(String, web_sys::File)>) {
    if !started() {
        return;
    }
    worker_link::post(ToWorker::Reset);
    browser::show(id::FOLDER_PROGRESS, true);
    spawn_local(async move {
        let total = files.len();
        let mut sent = 0;
        // A batch of files is read at once: one file after the other, the waits added up
        // to most of the time to open 2,000 files.
        for batch in files.chunks(64) {
            let reads: Array = batch
                .iter()
                .map(|(_, file)| JsValue::from(file.array_buffer()))
                .collect();
            let buffers = match JsFuture::from(js_sys::Promise::all_settled(&reads)).await {
                Ok(results) => Array::from(&results),
                Err(_) => Array::new(),
            };
            for (i, (path, _)) in batch.iter().enumerate() {
                let result = buffers.get(i as u32);
                let buffer = js_sys::Reflect::get(&result, &"value".into()).unwrap_or_default();
                let path = path.clone();
                worker_link::post(if buffer.is_instance_of::<js_sys::ArrayBuffer>() {
                    ToWorker::File {
                        path,
                        bytes: Uint8Array::new(&buffer),
                    }
                } else {
                    ToWorker::Unread { path }
                });
            }
            sent += batch.len();
            browser::set_attribute(
                "folder-progress-bar",
                "value",
                &(sent * 100 / total.max(1)).to_string(),
            );
        }
        worker_link::post(ToWorker::Done);
    });
}

/// The folder, files or log picked with an `<input type="file">`.
fn open(state: State, id: &str, ev: &web_sys::Event) {
    let input: web_sys::HtmlInputElement = event_target(ev);
    if id == "import-log" {
        if let Some(files) = input.files() {
            worker_link::open_log(state, &files);
        }
        input.set_value("");
        return;
    }
    let mut files = Vec::new();
    if let Some(list) = input.files() {
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                let path = browser::relative_path(&file);
                if is_settings_name(path.rsplit('/').next().unwrap_or(&path)) {
                    files.push((path, file));
                }
            }
        }
    }
    input.set_value("");
    open_files(files);
}

/// A click in the panels (or on the page's doors): each control says what it is
/// (`data-action`), and a door or a link of the page's bar where it leads (`data-view`).
pub fn clicked(state: State, ev: web_sys::MouseEvent) {
    let base = state.folder_base;
    let control = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("[data-action], [data-view]").ok().flatten());
    let data = |name: &str| control.as_ref().and_then(|c| c.get_attribute(name));
    if let Some(view) = data("data-view") {
        browser::scroll_to(&view);
    }
    match data("data-action").as_deref() {
        Some("open-file") => browser::click("import-file"),
        Some("open-log") => browser::click("import-log"),
        Some(crate::text::log::PHONE) => worker_link::post(ToWorker::Input {
            id: crate::text::log::PHONE.to_owned(),
            value: data("data-mac").unwrap_or_default(),
        }),
        Some("open-folder") if browser::can_pick_folder() => spawn_local(async move {
            match browser::pick_folder().await {
                Ok(root) if started() => {
                    worker_link::post(ToWorker::Reset);
                    worker_link::post(ToWorker::Dir {
                        handle: root,
                        writable: true,
                    });
                }
                Ok(_) => {}
                Err(e) => status(&e),
            }
        }),
        Some("open-folder") => browser::click("import-folder"),
        Some("open-files") => browser::click("import-files"),
        Some("close") => {
            worker_link::post(ToWorker::Reset);
            state.folder.set(false);
            browser::show(id::FOLDER_BODY, false);
            browser::show(id::FOLDER_CLOSE, false);
            status(t!("Closed the folder; its files are not changed."));
        }
        Some("plan") => match state.blocked() {
            Some(why) => status(&why),
            None => {
                let change = state.draft.with(|d| base.with(|b| change(b, d)));
                if change == Draft::default() {
                    status(t!(
                        "The form changes nothing yet: there is nothing to plan."
                    ));
                } else {
                    worker_link::post(ToWorker::Plan { change });
                }
            }
        },
        // Writing into the user's folder waits for their yes.
        Some("write")
            if !browser::confirm(t!(
                "Write the changed files into the folder? Each is replaced as a whole; the other files are not touched."
            )) => {}
        Some(other) => {
            if let Some(message) = ToWorker::of_action(other) {
                worker_link::post(message);
            }
        }
        None => {}
    }
}

/// A change in the panels: a file picker, a phone's or group's checkbox, or a control.
fn changed(state: State, ev: web_sys::Event) {
    let Some(target) = ev.target() else { return };
    let get = |key: &str| js_sys::Reflect::get(&target, &key.into()).unwrap_or_default();
    let id = get("id").as_string().unwrap_or_default();
    if id.starts_with("import-") {
        if ev.type_() == "change" {
            open(state, &id, &ev);
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

/// Many files, or a folder, dropped anywhere on the page open as the folder (the page's drop
/// listener, in the file panel, hands them over). A dropped folder is read where the browser
/// can (`getAsFileSystemHandle`), but not written back: the changed files come as a zip. Many
/// files of which none is a settings file by its name (`access.log`, `access.log.1.gz`) are a
/// server's log, read as one; the worker says of each file whether it holds requests.
fn dropped(state: State, ev: &web_sys::DragEvent) {
    if !started() {
        return;
    }
    let Some(data) = ev.data_transfer() else {
        return;
    };
    let items = data.items();
    let handle = (0..items.length()).find_map(|i| {
        let item = items.get(i)?;
        let get = js_sys::Reflect::get(&item, &"getAsFileSystemHandle".into()).ok()?;
        let promise = get.dyn_into::<js_sys::Function>().ok()?.call0(&item).ok()?;
        promise.dyn_into::<js_sys::Promise>().ok()
    });
    match (handle, data.files()) {
        // A folder (the worker says so if the handle is not one).
        (Some(handle), _) if items.length() == 1 => spawn_local(async move {
            if let Ok(root) = JsFuture::from(handle).await {
                worker_link::post(ToWorker::Reset);
                worker_link::post(ToWorker::Dir {
                    handle: root,
                    writable: false,
                });
            }
        }),
        (_, Some(list)) => {
            let files: Vec<_> = (0..list.length())
                .filter_map(|i| list.get(i))
                .filter(|f| is_settings_name(&f.name()))
                .map(|f| (f.name(), f))
                .collect();
            if files.is_empty() && list.length() > 0 {
                worker_link::open_log(state, &list);
            } else {
                open_files(files);
            }
        }
        _ => {}
    }
}
