//! The settings file: import (picker, drag and drop, paste), the XML, copy, download, share.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use js_sys::Uint8Array;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::Imported;
use super::{State, browser, flag, text};
use crate::core::file::SettingsFile;
use crate::core::settings::{Draft, Key};
use crate::formats::store;
use crate::text::xml_rows::Rows;
use crate::web::protocol::{FromWorker, ToWorker, id};

/// Settings files are kilobytes; anything near this is something else.
const MAX_IMPORT: usize = 16 << 20;

/// What the last file action did, for the status line.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    Done(String),
    Failed(String),
}

/// A settings file the worker reads for the page, waiting for its answer.
struct Waiting {
    id: u32,
    name: String,
    bytes: Vec<u8>,
    /// Where the import's outcome is said; `None` for the saved file read again at start.
    status: Option<RwSignal<Option<Status>>>,
    pasted: bool,
}

thread_local! {
    /// The latest file asked for: the answer to an earlier one is dropped.
    static WAITING: RefCell<Option<Waiting>> = const { RefCell::new(None) };
    static LAST_ID: Cell<u32> = const { Cell::new(0) };
}

/// Asks the worker to read `array` as a settings file, handing it over (its reader stays out
/// of the page, and a large file never holds it); the page keeps its own copy. `false` where
/// the browser cannot start the worker.
fn request(array: Uint8Array, waiting: impl FnOnce(u32, Vec<u8>) -> Waiting) -> bool {
    if !super::worker_link::start() {
        return false;
    }
    let id = LAST_ID.get().wrapping_add(1);
    LAST_ID.set(id);
    WAITING.set(Some(waiting(id, array.to_vec())));
    super::worker_link::post(ToWorker::Open { id, bytes: array });
    true
}

/// Imports `array` as a settings file: once the worker has read it, the form shows its polling
/// settings. On failure nothing changes.
fn import(status: RwSignal<Option<Status>>, name: String, array: Uint8Array, pasted: bool) {
    if array.length() as usize > MAX_IMPORT {
        return status.set(Some(too_large(&name, array.length() as usize)));
    }
    let said = tf!("Reading {0}…", name);
    let asked = request(array, |id, bytes| Waiting {
        id,
        name,
        bytes,
        status: Some(status),
        pasted,
    });
    status.set(Some(match asked {
        true => Status::Done(said),
        false => Status::Failed(t!("This browser cannot start the folder's worker.").to_owned()),
    }));
}

/// Reads the file kept over a reload again; the form keeps the draft kept with it.
pub fn reopen(state: State, name: String, bytes: Vec<u8>) {
    state.opening.set(Some(name.clone()));
    let array = Uint8Array::from(&bytes[..]);
    let asked = request(array, |id, bytes| Waiting {
        id,
        name,
        bytes,
        status: None,
        pasted: false,
    });
    // A browser without workers cannot read it here: the page starts with a new file.
    if !asked {
        state.opening.set(None);
    }
}

/// The worker's answer to the latest file asked for; `false` for a message not about a file.
pub fn answer(state: State, message: &FromWorker) -> bool {
    let (id, read) = match message {
        FromWorker::Opened { id, index, rows } => (*id, Some((index, rows))),
        FromWorker::Unopened { id, .. } => (*id, None),
        _ => return false,
    };
    let Some(w) = WAITING.with_borrow_mut(|w| w.take_if(|w| w.id == id)) else {
        return true;
    };
    // Any answer ends the kept file's reading: an import while it was read took its place.
    state.opening.set(None);
    let name = w.name;
    let file = read.and_then(|(index, rows)| {
        Some(Imported {
            name: name.clone(),
            file: SettingsFile::with_index(w.bytes, index)?,
            rows: Arc::new(rows.to_vec().into_iter().map(|r| r as usize).collect()),
        })
    });
    let Some(status) = w.status else {
        // The file kept over a reload (forgotten if it no longer reads).
        state.imported.set(file);
        return true;
    };
    status.set(Some(match (file, message) {
        (Some(file), _) => {
            if w.pasted {
                browser::field_value("paste", Some(""));
            }
            opened(state, file)
        }
        (
            None,
            FromWorker::Unopened {
                line, column, why, ..
            },
        ) => Status::Failed(tf!(
            "{0} was not imported: line {1}, column {2}: {3}. Your current work is unchanged.",
            name,
            line,
            column,
            why
        )),
        (None, _) => Status::Failed(tf!("{0}. Your current work is unchanged.", name)),
    }));
    true
}

/// Opens `file`, read by the worker: the form shows its polling settings.
fn opened(state: State, file: Imported) -> Status {
    let zone = file
        .file
        .timezone()
        .map(|code| format!(" {}", tf!("It sets timezone {0}.", code.trim())))
        .unwrap_or_default();
    let has_polling = file.file.has_polling();
    let name = file.name.clone();
    state.open(file);
    let what = if has_polling {
        t!("its polling settings are in the form")
    } else {
        t!("it has no polling settings, so every field is not set")
    };
    Status::Done(format!(
        "{}{zone}",
        tf!(
            "Imported {0}: {1}; everything else in it is kept as it is.",
            name,
            what
        )
    ))
}

/// "prov_polling_mode random, prov_polling_period 86400, …": what `draft` sets.
fn listed(draft: &Draft) -> String {
    let mut out = String::new();
    for key in Key::ALL {
        if let Some(v) = draft.value(key) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(key.name());
            out.push(' ');
            out.push_str(v);
        }
    }
    out
}

/// The first bytes of `array`: enough to tell a log.
fn head(array: &Uint8Array) -> Vec<u8> {
    array.subarray(0, array.length().min(4096)).to_vec()
}

fn too_large(name: &str, size: usize) -> Status {
    Status::Failed(tf!(
        "{0} was not imported: at {1} MB it is far larger than any settings file (the limit is 16 MB). Your current work is unchanged.",
        name,
        size >> 20
    ))
}

/// Opens a file picked or dropped: a server's log goes to the log's view, anything else is
/// imported as a settings file. A log is told by its first bytes, not its name (it is often
/// `access.log.1` or `provisioning`); of a file too large to be a settings file only those
/// are read.
fn import_file(state: State, status: RwSignal<Option<Status>>, file: web_sys::File) {
    let name = file.name();
    let large = file.size() > MAX_IMPORT as f64;
    spawn_local(async move {
        let read = match large {
            true => file
                .slice_with_i32_and_i32(0, 4096)
                .unwrap_or_else(|_| file.clone().into()),
            false => file.clone().into(),
        };
        let result = match browser::read_array(&read, &name).await {
            Ok(array) if crate::core::log::looks_like_log(&head(&array)) => {
                super::worker_link::open_log(state, &js_sys::Array::of1(&file));
                return;
            }
            Ok(_) if large => too_large(&name, file.size() as usize),
            Ok(array) => return import(status, name, array, false),
            Err(e) => Status::Failed(tf!("{0}. Your current work is unchanged.", e)),
        };
        status.set(Some(result));
    });
}

#[component]
pub fn FilePanel() -> impl IntoView {
    let state = expect_context::<State>();
    let status = RwSignal::new(None::<Status>);
    let dragging = RwSignal::new(false);

    // The worker checks the file it read as the form edits it, for what the form cannot show
    // (markup a phone rejects, a misnamed window end): its code stays out of the page. A new
    // file has none of these problems.
    super::effect(move |_| {
        let draft = state.good.get();
        if state.imported.with(Option::is_some) && super::worker_link::running() {
            super::worker_link::post(ToWorker::Edited { draft });
        } else {
            browser::set_html(id::FILE_PROBLEMS, "");
            browser::set_html(id::FILE_REJECTED, "");
        }
    });

    // Dropping a file anywhere on the page imports it.
    let over = window_event_listener(leptos::ev::dragover, move |ev| {
        ev.prevent_default();
        dragging.set(true);
    });
    let leave = window_event_listener(leptos::ev::dragleave, move |_| dragging.set(false));
    let drop_ = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        dragging.set(false);
        let files = ev.data_transfer().and_then(|d| d.files());
        // Many files, or a folder, are a provisioning folder: the folder view takes them.
        if super::dropped_folder(&ev) {
            super::FOLDER_DROP.with_borrow(|f| f.as_ref().map(|f| f(&ev)));
            return;
        }
        match files.and_then(|files| files.get(0)) {
            Some(file) => import_file(state, status, file),
            None => status.set(Some(Status::Failed(
                t!("Only files can be dropped here.").to_owned(),
            ))),
        }
    });
    on_cleanup(move || {
        over.remove();
        leave.remove();
        drop_.remove();
    });

    view! {
        <section class="panel file" class:dragging=flag(move || dragging.get()) aria-labelledby="file-heading">
            <h2 id="file-heading">"Settings file"</h2>
            <p class="current">
                {text(move || state.imported.with(|f| match (f, state.opening.get()) {
                    (Some(f), _) => tf!("Editing {0} ({1} bytes): only its polling settings change.", f.name, super::words().number(f.file.bytes().len() as u64)),
                    (None, Some(name)) => tf!("Reading {0}…", name),
                    (None, None) => t!("A new file with the polling settings only.").to_owned(),
                }))}
            </p>
            <FileActions status />
            <FileOffers status />
            <div class="warnings" data-testid="file-warnings" inner_html=text(move || super::warnings_html(&state))></div>
            <PasteImport status />
            <p class="drop-hint">"Or drop a settings file, a folder or a server log anywhere on this page."</p>
            <div data-testid="file-status">
                <p
                    class="status"
                    class:failed=flag(move || matches!(status.get(), Some(Status::Failed(_))))
                    role=text(move || match status.get() {
                        Some(Status::Failed(_)) => "alert".to_owned(),
                        _ => "status".to_owned(),
                    })
                >
                    {text(move || match status.get() {
                        Some(Status::Done(m) | Status::Failed(m)) => m,
                        None => String::new(),
                    })}
                </p>
            </div>
            <p class="note">"In an imported file, the lines your edits change are marked."</p>
            <XmlView />
        </section>
    }
}

/// Pixels a row of the XML view takes (its `line-height` in `style/main.css`).
const ROW_PX: usize = 18;
/// The rows in view (the view is 28rem high), and those drawn above and below them, so a scroll
/// shows drawn rows while the next draw comes.
const IN_VIEW: usize = 25;
const AROUND: usize = 25;

/// The XML file as it would be downloaded, its changed lines marked: only the rows in view are
/// drawn, so a file of megabytes costs what a screenful does.
#[component]
fn XmlView() -> impl IntoView {
    let state = expect_context::<State>();
    let view = NodeRef::<leptos::html::Div>::new();
    // The first row in view.
    let top = RwSignal::new(0usize);
    let rows = Memo::new(move |_| {
        state
            .output
            .with(|splices| state.with_file(|f, _| Rows::new(f.file.bytes(), &f.rows, splices)))
    });
    // The first changed row: when an edit moves it, it comes into view.
    let changed = Memo::new(move |_| {
        rows.with(|r| {
            let first = r.written.first()?;
            state.with_file(|f, marked| marked.then(|| r.row_of(&f.rows, first.start)))
        })
    });
    super::effect(move |_| {
        let (Some(row), Some(view)) = (changed.get(), view.get_untracked()) else {
            return;
        };
        if !(top.get_untracked()..top.get_untracked() + IN_VIEW).contains(&row) {
            // Drawn at once, not at the scroll's event.
            top.set(row.saturating_sub(3));
            view.set_scroll_top((row.saturating_sub(3) * ROW_PX) as i32);
        }
    });
    let first = move || top.get().saturating_sub(AROUND);
    let html = move || {
        let first = first();
        rows.with(|r| {
            state.output.with(|splices| {
                state.with_file(|f, marked| {
                    r.html(
                        f.file.bytes(),
                        &f.rows,
                        splices,
                        first..first + IN_VIEW + 2 * AROUND,
                        marked,
                    )
                })
            })
        })
    };
    view! {
        <div
            class="xml"
            role="region"
            tabindex="0"
            aria-label="The settings file"
            node_ref=view
            on:scroll=move |ev| {
                let view: web_sys::Element = event_target(&ev);
                top.set(view.scroll_top().max(0) as usize / ROW_PX);
            }
        >
            <div
                data-testid="xml-output"
                translate="no"
                style:height=move || format!("{}px", rows.with(Rows::count) * ROW_PX)
                style:padding-top=move || format!("{}px", first() * ROW_PX)
                inner_html=html
            ></div>
        </div>
    }
}

/// Import, New file, Copy, Download and Share, and why the last three wait while a field is in
/// error (or what a phone says of the file).
#[component]
fn FileActions(status: RwSignal<Option<Status>>) -> impl IntoView {
    let state = expect_context::<State>();
    view! {
        <div class="buttons">
            <OpenButtons status />
            <SaveButtons status />
        </div>
        <p class="error" id="blocked" data-testid="blocked">{text(move || state.blocked().unwrap_or_default())}</p>
        <p class="error" id=id::FILE_REJECTED data-testid="file-rejected"></p>
    }
}

/// Import a file, or start a new one.
#[component]
fn OpenButtons(status: RwSignal<Option<Status>>) -> impl IntoView {
    let state = expect_context::<State>();
    view! {
        // A real button: the file input itself stays out of the tab order.
        <button type="button" on:click=super::on_click(move |_| browser::click("import-file"))>"Import a file…"</button>
        <input
            id="import-file"
            class="visually-hidden"
            type="file"
            tabindex="-1"
            aria-label="Import a file"
            accept=".xml,.cfg,.txt,application/xml,text/xml"
            on:change=super::on_event(move |ev| {
                let input: web_sys::HtmlInputElement = event_target(&ev);
                if let Some(file) = input.files().and_then(|f| f.get(0)) {
                    import_file(state, status, file);
                }
                input.set_value("");
            })
        />
        <button
            type="button"
            on:click=super::on_click(move |_| {
                let question = state.imported.with(|f| {
                    f.as_ref().map(|f| tf!("Close {0}? A new file keeps only the polling settings in the form; {0} itself is not changed.", f.name))
                });
                if question.is_some_and(|q| !browser::confirm(&q)) {
                    return;
                }
                state.imported.set(None);
                state.offer.set(Draft::default());
                // The old file's update_policy no longer applies.
                state.draft.update(|d| d.never_update = false);
                status.set(Some(Status::Done(t!("Started a new file from the settings in the form.").to_owned())));
            })
        >
            "New file"
        </button>
    }
}

/// The open file's name, which its download takes.
fn file_name(state: State) -> String {
    state.imported.with(|f| {
        f.as_ref()
            .map_or("settings.xml".to_owned(), |f| f.name.clone())
    })
}

/// Copy, Download and Share: they wait while a field is in error.
#[component]
fn SaveButtons(status: RwSignal<Option<Status>>) -> impl IntoView {
    let state = expect_context::<State>();
    let xml_text = move || String::from_utf8_lossy(&state.output_bytes()).into_owned();
    // `aria-disabled` rather than `disabled`: the buttons stay focusable, so the reason beside
    // them is found; each click checks it again.
    let blocked = move || state.blocked().is_some().to_string();
    view! {
        <button
            type="button"
            data-testid="copy"
            aria-describedby="blocked"
            aria-disabled=text(blocked)
            on:click=super::on_click(move |_| {
                if state.blocked().is_some() {
                    return;
                }
                let text = xml_text();
                spawn_local(async move {
                    status.set(Some(match browser::copy_text(&text).await {
                        Ok(()) => Status::Done(t!("Copied the XML.").to_owned()),
                        Err(e) => Status::Failed(e),
                    }));
                });
            })
        >
            "Copy XML"
        </button>
        <button
            type="button"
            data-testid="download"
            aria-describedby="blocked"
            aria-disabled=text(blocked)
            on:click=super::on_click(move |_| {
                if state.blocked().is_some() {
                    return;
                }
                let name = file_name(state);
                status.set(Some(match browser::download(&name, &state.output_bytes()) {
                    Ok(()) => Status::Done(tf!("Downloaded {0}.", name)),
                    Err(e) => Status::Failed(e),
                }));
            })
        >
            {text(move || tf!("Download {0}", file_name(state)))}
        </button>
        <button
            type="button"
            data-testid="share"
            aria-describedby="blocked"
            aria-disabled=text(blocked)
            on:click=super::on_click(move |_| {
                if state.blocked().is_some() {
                    return;
                }
                let link = browser::link_with_fragment(&store::share_fragment(&state.good.get()));
                spawn_local(async move {
                    status.set(Some(match browser::copy_text(&link).await {
                        Ok(()) => Status::Done(t!("Copied a link with the polling settings (and nothing else of the file).").to_owned()),
                        Err(_) => Status::Done(tf!("A link with the polling settings only: {0}", link)),
                    }));
                });
            })
        >
            "Copy share link"
        </button>
    }
}

/// What an opened file can be given, each by a button that says so: the earlier form's
/// settings, its own settings back, the window end's right name; and what is wrong in it.
#[component]
fn FileOffers(status: RwSignal<Option<Status>>) -> impl IntoView {
    let state = expect_context::<State>();
    // The form differs from the imported file's own settings.
    let edited = move || {
        state.imported.with(|f| {
            f.as_ref()
                .is_some_and(|f| state.draft.with(|d| *d != f.file.draft()))
        })
    };
    // The misnamed window end's value and perm flag, while the form does not set the window's
    // end: giving the form that value renames the element (an edit, marked in the XML).
    let misnamed = move || {
        state.imported.with(|f| {
            let (value, perm) = f.as_ref()?.file.misnamed()?;
            let unset = state.draft.with(|d| d.value(Key::TimeRandEnd).is_none());
            unset.then(|| (value.to_owned(), perm.map(str::to_owned)))
        })
    };
    view! {
        <div class="buttons">
            <button
                type="button"
                data-testid="add-offer"
                class:hidden=flag(move || state.offer.with(Draft::is_empty))
                on:click=super::on_click(move |_| {
                    let offer = state.offer.get();
                    state.offer.set(Draft::default());
                    state.draft.update(|d| {
                        for key in Key::ALL {
                            if let Some(v) = offer.value(key) {
                                d.set_value(key, Some(v));
                                d.set_perm(key, offer.perm(key));
                            }
                        }
                    });
                })
            >
                {text(move || state.offer.with(|o| tf!("Add the earlier form's settings to this file: {0}", listed(o))))}
            </button>
            <button
                type="button"
                data-testid="revert"
                class:hidden=flag(move || !edited())
                on:click=super::on_click(move |_| {
                    state.revert();
                    status.set(Some(Status::Done(tf!("Reverted to {0}.", file_name(state)))));
                })
            >
                {text(move || tf!("Revert to {0}", file_name(state)))}
            </button>
        </div>
        <ul class="warnings" id=id::FILE_PROBLEMS data-testid="file-problems"></ul>
        <button
            type="button"
            data-testid="rename"
            class:hidden=flag(move || misnamed().is_none())
            on:click=super::on_click(move |_| {
                if let Some((value, perm)) = misnamed() {
                    state.draft.update(|d| {
                        d.set_value(Key::TimeRandEnd, Some(value));
                        d.set_perm(Key::TimeRandEnd, perm);
                    });
                }
            })
        >
            "Rename to prov_polling_time_rand_end"
        </button>
    }
}

/// A settings file pasted as text.
#[component]
fn PasteImport(status: RwSignal<Option<Status>>) -> impl IntoView {
    view! {
        <details class="paste">
            <summary>"Paste a file instead"</summary>
            <label for="paste">"Settings file as text"</label>
            <textarea
                id="paste"
                rows="6"
                spellcheck="false"
            ></textarea>
            <button
                type="button"
                on:click=super::on_click(move |_| {
                    // Read from the box when asked: a signal per keystroke would cost the
                    // bundle more than it gives.
                    let text = browser::field_value("paste", None);
                    let array = Uint8Array::from(text.as_bytes());
                    import(status, "pasted.xml".into(), array, true);
                })
            >
                "Import pasted text"
            </button>
        </details>
    }
}
