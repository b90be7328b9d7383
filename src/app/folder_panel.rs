//! The provisioning folder's panel: open a folder (or many files), see every phone's effective
//! settings in the worker's table, select phones or groups, edit them with the form, see the
//! plan, and write it back (into the folder where the browser can, else as a zip of the changed
//! files). The folder lives in the worker (`crate::worker`): this sends it the files and does
//! what only the page can (ask the user, the form).

use js_sys::{Array, Uint8Array};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{State, browser, worker_link};
use crate::core::folder::is_settings_name;
use crate::core::settings::{Draft, Key};
use crate::web::protocol::{FromWorker, ToWorker, id};

/// The panel's markup (its texts put into the page's language with the rest of the page; what
/// the worker draws, `data-own-words`, it writes in the page's language itself).
pub const MARKUP: &str = concat!(
    r#"<section class="panel folder" aria-labelledby="folder-heading" data-testid="folder">"#,
    r#"<h2 id="folder-heading">Provisioning folder</h2>"#,
    r#"<p class="help">Open (or drop) the folder your provisioning server serves: every phone with the settings it ends up with. Nothing leaves this browser.</p>"#,
    r#"<div class="buttons"><button type="button" data-action="open-folder">Open a folder…</button>"#,
    r#"<input id="import-folder" class="visually-hidden" type="file" tabindex="-1" multiple webkitdirectory aria-label="Open a folder">"#,
    r#"<button type="button" data-action="open-files">Open files…</button>"#,
    r#"<input id="import-files" data-testid="import-files" class="visually-hidden" type="file" tabindex="-1" multiple aria-label="Open the files of a folder">"#,
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
pub fn status(text: &str) {
    browser::set_html(id::FOLDER_STATUS, &crate::text::render::escape(text));
}

/// What the worker asks of the folder's panel; `false` for a message not the folder's.
pub fn answer(state: State, message: &FromWorker) -> bool {
    let base = state.folder_base;
    match message {
        FromWorker::Folder { memory } => {
            // Whole bytes: formatting an f64 would bring float printing into the bundle.
            let memory = *memory as u64;
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
                return true;
            }
            state.imported.set(None);
            state.offer.set(Draft::default());
            // Nothing of an earlier file or form stands in while a field is in error.
            state.forget(false);
            base.set(draft.clone());
            state.draft.set(draft.clone());
            browser::show(id::FOLDER_EDITING, true);
            status(&tf!(
                "The form shows the first selected phone's settings. Change what the selected phones ({0}) should have, then plan the edit.",
                super::words().number((*n).into())
            ));
        }
        FromWorker::Download { name, bytes } => {
            // Only a download that happened makes the folder shown the edited one.
            match browser::download_as(name, &bytes.to_vec(), "application/zip") {
                Ok(()) => worker_link::post(ToWorker::Apply),
                Err(e) => status(&e),
            }
        }
        // The edit is written: what the form shows is the folder's now.
        FromWorker::Applied => base.set(state.draft.get_untracked()),
        _ => return false,
    }
    true
}

/// Starts the worker if it is not running; says so where the browser cannot.
pub fn started() -> bool {
    let ok = worker_link::start();
    if !ok {
        status(t!("This browser cannot start the folder's worker."));
    }
    ok
}

thread_local! {
    /// How many folders were opened or closed: a folder's files still being sent stop there.
    static FOLDERS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Forgets the folder, in the worker and the one still being sent to it: a folder is opened
/// or closed from now on. Returns its number.
pub fn reset_folder() -> u32 {
    FOLDERS.set(FOLDERS.get().wrapping_add(1));
    worker_link::post(ToWorker::Reset);
    FOLDERS.get()
}

/// Sends files (path in the folder, file) to the worker as the browser reads them, a batch at
/// a time: one file after the other, the waits added up to most of the time to open 2,000
/// files. Each batch (32 reads asked: 5 ms) and each file sent is paced ([`browser::Pacer`]):
/// a batch's reads resolve at once, so several batches of 64 ran in one task of 50-70 ms. (A
/// `File` handed to the worker to read costs the page more: 0.45 ms to send, 0.15 ms to read.)
pub fn open_files(files: Vec<(String, web_sys::File)>) {
    if !started() {
        return;
    }
    let this = reset_folder();
    browser::show(id::FOLDER_PROGRESS, true);
    spawn_local(async move {
        let total = files.len();
        let mut sent = 0;
        let mut pacer = browser::Pacer::new();
        for batch in files.chunks(32) {
            pacer.pace().await;
            let reads = Array::new();
            for (_, file) in batch {
                reads.push(&file.array_buffer());
            }
            let buffers = match JsFuture::from(js_sys::Promise::all_settled(&reads)).await {
                Ok(results) => Array::from(&results),
                Err(_) => Array::new(),
            };
            for (i, (path, _)) in batch.iter().enumerate() {
                pacer.pace().await;
                // A folder opened or closed since: its files must not join the new one.
                if FOLDERS.get() != this {
                    return;
                }
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

/// The folder or files picked with the panel's `<input type="file">`.
pub fn picked(state: State, input: &web_sys::HtmlInputElement) {
    if let Some(list) = input.files() {
        open_list(state, &list, false);
    }
    input.set_value("");
}

/// Files picked or dropped, opened as the folder: taken from their list at once (a drop's list
/// is emptied when its event ends), their names read a few milliseconds at a time in later
/// tasks (2,000 names read in the event held the page 53-86 ms). Where none is a settings file
/// by its name, the files are a server's log (`log_if_none`: `access.log`, `access.log.1.gz`).
pub fn open_list(state: State, list: &web_sys::FileList, log_if_none: bool) {
    let all = Array::from(list);
    let this = FOLDERS.get();
    spawn_local(async move {
        let mut files = Vec::new();
        let mut pacer = browser::Pacer::new();
        for file in all.iter() {
            pacer.pace().await;
            // Another folder opened since: this one, older, must not replace it.
            if FOLDERS.get() != this {
                return;
            }
            let Ok(file) = file.dyn_into::<web_sys::File>() else {
                continue;
            };
            let path = browser::relative_path(&file);
            if is_settings_name(path.rsplit('/').next().unwrap_or(&path)) {
                files.push((path, file));
            }
        }
        if files.is_empty() && log_if_none && all.length() > 0 {
            worker_link::open_log(state, &all);
        } else {
            open_files(files);
        }
    });
}

/// A control of the folder's panel, by its `data-action`; `false` for one not the folder's.
pub fn action(state: State, action: &str) -> bool {
    let base = state.folder_base;
    match action {
        // The worker is started as the picker or the file dialog opens: its module compiles
        // while the user picks, not beside the folder's first rows (on two cores, frames of
        // 51-66 ms). If it cannot start, `started` says so and nothing opens.
        "open-folder" | "open-files" if !started() => {}
        "open-folder" if browser::can_pick_folder() => spawn_local(async move {
            match browser::pick_folder().await {
                Ok(root) => {
                    reset_folder();
                    worker_link::post(ToWorker::Dir {
                        handle: root,
                        writable: true,
                    });
                }
                Err(e) => status(&e),
            }
        }),
        "open-folder" => browser::click("import-folder"),
        "open-files" => browser::click("import-files"),
        "close" => {
            reset_folder();
            state.folder.set(false);
            browser::show(id::FOLDER_BODY, false);
            browser::show(id::FOLDER_CLOSE, false);
            status(t!("Closed the folder; its files are not changed."));
        }
        "plan" => match state.blocked() {
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
        "write"
            if !browser::confirm(t!(
                "Write the changed files into the folder? Each is replaced as a whole; the other files are not touched."
            )) => {}
        _ => return false,
    }
    true
}
