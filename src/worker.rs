//! The page's worker for a provisioning folder (wasm32 only). It keeps the folder and runs its
//! panel: it reads the files, keeps the selection, the filter and the order, makes the table,
//! the plan and the zip, and writes back into a folder the user opened. The page only forwards
//! the panel's events and the files, and does what the worker asks of the page
//! (`crate::app::folder_view`). Off the page's thread, and outside the page's bundle: the worker
//! is loaded when a folder is first opened.
//!
//! From the page: `["file", path, bytes]` or `["unread", path]` for each file, then `["done"]`;
//! `["dir", handle, writable]` (a folder to read, and to write back into when writable);
//! `["clock", t0, now, zone]`; `["input", id, value]`; `["check", phones, on]`; `["clear"]`;
//! `["edit"]`; `["plan", change]`; `["zip"]`, then `["apply"]` once the page has offered it;
//! `["write"]`; `["reset"]`. To the page:
//! `["ready"]`; `["html", id, markup]`; `["show", id, shown]`;
//! `["folder", …]` (see [`folder_message`]); `["edit", draft, phones]`; `["download", name,
//! bytes]`; `["applied"]`.

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::folder::{self, File, Folder, Plan, Target, is_settings_name};
use crate::js::{call, get};
use crate::render::escape;
use crate::schedule::fetches;
use crate::settings::{Draft, Key};
use crate::summary::describe;
use crate::table::{self, GroupText, Sort};
use crate::timeline::wall_text;
use crate::zone;

/// Rows drawn at most; a filter finds the others.
const ROWS: usize = 300;

#[derive(Default)]
struct Worker {
    /// Files read since the last `reset`, until `done`.
    reading: Vec<File>,
    /// Files the browser could not read for the page, since the last `reset`.
    failed: Vec<String>,
    folder: Option<Folder>,
    plan: Option<Plan>,
    /// The folder to write back into, when the user opened one with the File System Access API.
    root: Option<JsValue>,
    selected: Vec<bool>,
    filter: String,
    sort: String,
    own_files: bool,
    /// When the settings take effect, now, and the zone chosen on the page.
    clock: Option<(DateTime<Utc>, DateTime<Utc>, String)>,
}

thread_local! {
    static WORKER: RefCell<Worker> = RefCell::new(Worker::default());
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(items: &[JsValue]) {
    let message: Array = items.iter().collect();
    let _ = scope().post_message(&message);
}

fn html(id: &str, markup: &str) {
    post(&["html".into(), id.into(), markup.into()]);
}

fn show(id: &str, shown: bool) {
    post(&["show".into(), id.into(), shown.into()]);
}

fn status(text: &str) {
    html("folder-status", &escape(text));
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn text(value: &JsValue) -> String {
    value.as_string().unwrap_or_default()
}

fn array(items: &[JsValue]) -> JsValue {
    items.iter().collect::<Array>().into()
}

/// A draft as `[six values, six perm flags, never_update]` (`null` where unset).
fn draft_array(draft: &Draft) -> JsValue {
    let value = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from);
    let items: Array = Key::ALL
        .iter()
        .map(|&k| value(draft.value(k)))
        .chain(Key::ALL.iter().map(|&k| value(draft.perm(k))))
        .collect();
    items.push(&draft.never_update.into());
    items.into()
}

/// `["folder", groups, unknown, memory]`: each group `[phones, draft, zone code]` (the draft
/// of its first phone, see [`draft_array`]), how many phones have unknown settings (for the
/// page's fleet), and the worker's memory in bytes.
fn folder_message(folder: &Folder) {
    let groups: Array = folder
        .groups
        .iter()
        .map(|g| {
            let e = folder.phones[g.phones[0]].effective.as_ref();
            let draft = e.map_or_else(|| draft_array(&Draft::default()), |e| draft_array(&e.draft));
            let code = e
                .and_then(|e| e.timezone.as_ref())
                .map_or(JsValue::NULL, |(code, _)| JsValue::from(code.as_str()));
            array(&[(g.phones.len() as u32).into(), draft, code])
        })
        .collect();
    let unknown = folder
        .phones
        .iter()
        .filter(|p| p.effective.is_none())
        .count();
    // The worker's memory, for the benchmark (BENCHMARKS.md): the files and all read of them.
    let memory = core::arch::wasm32::memory_size(0) as f64 * 65_536.0;
    post(&[
        "folder".into(),
        groups.into(),
        (unknown as u32).into(),
        memory.into(),
    ]);
}

/// Shows a folder just read (or just written): its counts, files no phone reads, problems, and
/// the table; the selection starts empty.
fn opened(w: &mut Worker, folder: Folder) {
    let mut said = format!(
        "Read {} file{}: {} phone{} in {} group{} of alike settings.",
        folder.files.len(),
        plural(folder.files.len()),
        folder.phones.len(),
        plural(folder.phones.len()),
        folder.groups.len(),
        plural(folder.groups.len()),
    );
    if !w.failed.is_empty() {
        said.push_str(&format!(
            " The browser could not read {}; left out.",
            std::mem::take(&mut w.failed).join(", ")
        ));
    }
    status(&said);
    let unread: String = folder
        .unread
        .iter()
        .map(|&i| format!("<li>{}</li>", escape(&folder.files[i].path)))
        .collect();
    html("folder-unread", &unread);
    html("folder-findings", &table::findings(&folder));
    show("folder-progress", false);
    show("folder-body", true);
    show("folder-close", true);
    show("folder-editing", false);
    folder_message(&folder);
    w.selected = vec![false; folder.phones.len()];
    w.folder = Some(folder);
    drop_plan(w);
    draw(w);
}

fn drop_plan(w: &mut Worker) {
    w.plan = None;
    html("folder-plan", "");
    show("folder-write", false);
}

/// Each group's schedule in words and its next fetch, in its phones' zone.
fn group_texts(w: &Worker, folder: &Folder) -> Vec<GroupText> {
    let Some((t0, now, choice)) = &w.clock else {
        return Vec::new();
    };
    folder
        .groups
        .iter()
        .map(|g| {
            let e = folder.phones[g.phones[0]].effective.as_ref();
            let settings = e.and_then(|e| e.settings());
            let code = e.and_then(|e| e.timezone.as_ref()).map(|(c, _)| c.as_str());
            let phone = crate::intl::phone_zone(code, choice, *t0);
            let (name, zone) = (phone.name, phone.zone);
            let next = settings
                .as_ref()
                .and_then(|s| fetches(s, *t0, zone.as_ref(), 1).find(|f| f.at > *now))
                .map_or("none".to_owned(), |f| {
                    wall_text(zone::local(zone.as_ref(), f.at))
                });
            GroupText {
                summary: settings.as_ref().map_or_else(
                    || "Settings with errors (see the problems).".to_owned(),
                    |s| format!("{} ({name})", describe(s)),
                ),
                next,
            }
        })
        .collect()
}

/// Draws the table of phones, and the edit button's count.
fn draw(w: &Worker) {
    let Some(folder) = &w.folder else { return };
    let texts = group_texts(w, folder);
    let rows = table::phone_rows(
        folder,
        &texts,
        &w.selected,
        &w.filter,
        Sort::parse(&w.sort),
        ROWS,
    );
    html("folder-rows", &rows.html);
    let selected = w.selected.iter().filter(|&&b| b).count();
    html(
        "folder-note",
        &if rows.shown < rows.matching {
            format!(
                "{} of {} phones shown; the filter finds the others. {selected} selected.",
                rows.shown, rows.matching
            )
        } else {
            format!("{} phones shown; {selected} selected.", rows.shown)
        },
    );
}

/// Plans what `change` (a [`draft_array`]) sets for the selected phones.
fn plan(w: &mut Worker, change: &Array) {
    let Some(folder) = &w.folder else { return };
    let mut draft = Draft::default();
    for (i, key) in Key::ALL.into_iter().enumerate() {
        draft.set_value(key, change.get(i as u32).as_string());
        draft.set_perm(key, change.get(6 + i as u32).as_string());
    }
    let phones: Vec<usize> = (0..folder.phones.len())
        .filter(|&p| w.selected[p])
        .collect();
    let target = if w.own_files {
        Target::Own
    } else {
        Target::Source
    };
    match folder.plan(&draft, &phones, target) {
        Ok(plan) => {
            html("folder-plan", &table::plan(folder, &plan, &w.selected));
            let writable = !plan.edits.is_empty() && plan.invalid.is_empty();
            show("folder-write", writable);
            show("folder-write-back", writable && w.root.is_some());
            let (files, affected) = (plan.edits.len(), plan.affected().len());
            status(&if plan.invalid.is_empty() {
                format!(
                    "The plan changes {files} file{} and the settings of {affected} phone{}; nothing is written until you say so.",
                    plural(files),
                    plural(affected)
                )
            } else {
                "The plan would leave phones with invalid settings (below): it cannot be written."
                    .to_owned()
            });
            w.plan = Some(plan);
        }
        Err(issues) => {
            let why: Vec<String> = issues.iter().map(ToString::to_string).collect();
            status(&format!("No plan: {}.", why.join("; ")));
            drop_plan(w);
        }
    }
}

/// The changed files of the plan: path and new bytes.
fn edits(w: &Worker) -> Vec<(String, Vec<u8>)> {
    match (&w.folder, &w.plan) {
        (Some(folder), Some(plan)) => plan
            .edits
            .iter()
            .map(|e| (folder.files[e.file].path.clone(), e.bytes.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

/// The folder becomes what the plan made of it.
fn apply(w: &mut Worker) {
    if let Some(plan) = w.plan.take() {
        let selected = std::mem::take(&mut w.selected);
        opened(w, plan.after);
        w.selected = selected;
        draw(w);
        post(&["applied".into()]);
    }
}

/// Reads every settings file below the folder `root` (File System Access API), hidden entries
/// left out.
async fn read_folder(root: JsValue) -> Result<Vec<File>, JsValue> {
    let mut files = Vec::new();
    let mut stack = vec![(root, String::new())];
    while let Some((dir, prefix)) = stack.pop() {
        let entries = js_sys::Reflect::get(&dir, &"values".into())?
            .dyn_into::<js_sys::Function>()?
            .call0(&dir)?;
        loop {
            let next = call(&entries, "next", &[]).await?;
            if get(&next, "done").is_truthy() {
                break;
            }
            let entry = get(&next, "value");
            let name = text(&get(&entry, "name"));
            if name.starts_with('.') {
                continue;
            }
            if text(&get(&entry, "kind")) == "directory" {
                stack.push((entry, format!("{prefix}{name}/")));
            } else if is_settings_name(&name) {
                let file = call(&entry, "getFile", &[]).await?;
                let buffer = call(&file, "arrayBuffer", &[]).await?;
                let bytes = Uint8Array::new(&buffer).to_vec();
                files.push(folder::read_file(format!("{prefix}{name}"), bytes));
                status(&format!("Read {} files…", files.len()));
            }
        }
    }
    Ok(files)
}

/// Replaces each file below `root` with its new bytes; the browser writes a copy and swaps it
/// in when it is complete. Stops at the first failure, naming the file.
async fn write_folder(root: JsValue, files: Vec<(String, Vec<u8>)>) -> Result<(), String> {
    for (path, bytes) in files {
        let fail = |_| format!("{path} could not be written; it is unchanged");
        let mut dir = root.clone();
        let mut parts: Vec<&str> = path.split('/').collect();
        let name = parts.pop().unwrap_or_default();
        for part in parts {
            dir = call(&dir, "getDirectoryHandle", &[part.into()])
                .await
                .map_err(fail)?;
        }
        let file = call(&dir, "getFileHandle", &[name.into()])
            .await
            .map_err(fail)?;
        let writable = call(&file, "createWritable", &[]).await.map_err(fail)?;
        call(
            &writable,
            "write",
            &[Uint8Array::from(bytes.as_slice()).into()],
        )
        .await
        .map_err(fail)?;
        call(&writable, "close", &[]).await.map_err(fail)?;
    }
    Ok(())
}

fn handle(message: Array) {
    let kind = text(&message.get(0));
    match kind.as_str() {
        "dir" => {
            let root = message.get(1);
            // A folder dropped on the page is read, not written: the browser has not asked.
            let writable = message.get(2).is_truthy().then(|| root.clone());
            WORKER.with(|w| w.borrow_mut().root = writable);
            show("folder-progress", true);
            wasm_bindgen_futures::spawn_local(async move {
                match read_folder(root).await {
                    Ok(files) => WORKER.with(|w| {
                        let mut w = w.borrow_mut();
                        opened(&mut w, Folder::from_files(files));
                    }),
                    Err(_) => {
                        show("folder-progress", false);
                        status("The folder could not be read.");
                    }
                }
            });
            return;
        }
        "write" => {
            let (root, files) = WORKER.with(|w| {
                let w = w.borrow();
                (w.root.clone(), edits(&w))
            });
            let Some(root) = root else { return };
            wasm_bindgen_futures::spawn_local(async move {
                let n = files.len();
                match write_folder(root, files).await {
                    Ok(()) => {
                        WORKER.with(|w| apply(&mut w.borrow_mut()));
                        status(&format!("Wrote {n} file{} into the folder.", plural(n)));
                    }
                    Err(e) => status(&format!(
                        "{e}. The files before it were written; open the folder again to see where it stands."
                    )),
                }
            });
            return;
        }
        _ => {}
    }
    WORKER.with(|w| {
        let mut w = w.borrow_mut();
        match kind.as_str() {
            "reset" => {
                let clock = w.clock.take();
                *w = Worker {
                    clock,
                    ..Worker::default()
                };
            }
            "unread" => w.failed.push(text(&message.get(1))),
            "file" => {
                let bytes = Uint8Array::new(&message.get(2)).to_vec();
                w.reading.push(folder::read_file(text(&message.get(1)), bytes));
            }
            "done" => {
                let files = std::mem::take(&mut w.reading);
                opened(&mut w, Folder::from_files(files));
            }
            "clock" => {
                let at = |i: u32| {
                    DateTime::from_timestamp(message.get(i).as_f64().unwrap_or(0.0) as i64, 0)
                        .unwrap_or_default()
                };
                w.clock = Some((at(1), at(2), text(&message.get(3))));
                draw(&w);
            }
            "input" => {
                let value = text(&message.get(2));
                match text(&message.get(1)).as_str() {
                    "folder-filter" => w.filter = value,
                    "folder-sort" => w.sort = value,
                    "folder-target" => {
                        w.own_files = value == "own";
                        drop_plan(&mut w);
                        return;
                    }
                    _ => return,
                }
                draw(&w);
            }
            "check" => {
                let on = message.get(2).is_truthy();
                for p in text(&message.get(1)).split(' ').filter_map(|p| p.parse::<usize>().ok()) {
                    if let Some(slot) = w.selected.get_mut(p) {
                        *slot = on;
                    }
                }
                drop_plan(&mut w);
                draw(&w);
            }
            "clear" => {
                w.selected.iter_mut().for_each(|b| *b = false);
                drop_plan(&mut w);
                draw(&w);
            }
            "edit" => {
                let Some(folder) = &w.folder else { return };
                let Some(first) = w.selected.iter().position(|&b| b) else {
                    status("Select phones or a group first.");
                    return;
                };
                let n = w.selected.iter().filter(|&&b| b).count();
                // The form starts from the first selected phone's settings.
                let draft = folder.phones[first]
                    .effective
                    .as_ref()
                    .map_or_else(Draft::default, |e| e.draft.clone());
                post(&["edit".into(), draft_array(&draft), (n as u32).into()]);
            }
            "plan" => plan(&mut w, &Array::from(&message.get(1))),
            "apply" => {
                let n = w.plan.as_ref().map_or(0, |p| p.edits.len());
                apply(&mut w);
                status(&format!(
                    "Downloaded provisioning-changes.zip with the {n} changed file{}, named as in the folder: unpack it over the folder. The table shows the folder as it will then be.",
                    plural(n)
                ));
            }
            "zip" => {
                let files = edits(&w);
                let entries: Vec<(&str, &[u8])> = files
                    .iter()
                    .map(|(p, b)| (p.as_str(), b.as_slice()))
                    .collect();
                match crate::zip::stored(&entries) {
                    // The page says "apply" once the browser has taken the download.
                    Ok(zip) => post(&[
                        "download".into(),
                        "provisioning-changes.zip".into(),
                        Uint8Array::from(zip.as_slice()).into(),
                    ]),
                    Err(_) => status("The changed files are too large for a zip."),
                }
            }
            _ => {}
        }
    });
}

/// Starts the worker: it answers every message, and says when it is ready.
pub fn start() {
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|ev: web_sys::MessageEvent| {
        handle(Array::from(&ev.data()));
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&["ready".into()]);
}
