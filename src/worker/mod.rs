//! The page's worker (wasm32 only), for a provisioning folder, the fleet, a server's log and the
//! markup of a file the page opened. It keeps the
//! folder and runs its panel: it reads the files, keeps the selection, the filter and the order,
//! makes the table, the plan and the zip, and writes back into a folder the user opened. The
//! page only forwards the panel's events and the files, and does what the worker asks of the
//! page (`crate::app::panels`). It also counts the fleet ([`crate::worker::fleet_run`]) and
//! reads a server's log against the folder ([`crate::worker::log_run`]). Everything it writes
//! is in the page's language. Off the page's thread, and outside the page's bundle: the worker
//! is loaded when a folder, a file or a log is first opened or the fleet's panel comes into
//! view (`crate::app::worker_link`).
//!
//! The messages both ways are `crate::web::protocol`'s; `handle` gives each its own function.

pub mod fleet_run;
pub mod live_run;
pub mod log_run;

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::core::file::{Located, SettingsFile};
use crate::core::folder::{self, File, Folder, Plan, Target, is_settings_name};
use crate::core::message::Said;
use crate::core::schedule::{fetches, plan_fetches};
use crate::core::settings::Draft;
use crate::core::zone;
use crate::text::folder::{self as folder_text, GroupText, Sort};
use crate::text::plan::describe as describe_plan;
use crate::text::render::escape;
use crate::text::summary::describe_in;
use crate::web::js::{call, get};
use crate::web::protocol::{FromWorker, ToWorker, id};
use crate::words::{Lang, Words};

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
    /// Whether the page's form is editing the selected phones (the plan's controls show).
    editing: bool,
    /// When the settings take effect, now, and the zone chosen on the page.
    clock: Option<(DateTime<Utc>, DateTime<Utc>, String)>,
}

/// What the status line says, made in the language of the moment.
type Status = Box<dyn Fn(&Words) -> String>;

thread_local! {
    /// Each element's latest table of rows put in slices (`rows_in_slices`): an older one's
    /// stop. With how many of its slices are still to come.
    static TABLES: RefCell<Vec<(String, u32, usize)>> = const { RefCell::new(Vec::new()) };

    static WORKER: RefCell<Worker> = RefCell::new(Worker::default());
    /// How many times the folder was reset: a folder still being read when it changes was
    /// replaced or closed meanwhile, and is dropped.
    static RESETS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// The page's words, as the page says (`["lang", …]`).
    static WORDS: RefCell<Words> = RefCell::new(Words::english());
    /// The settings file the page opened last, as read.
    static OPENED: RefCell<Option<SettingsFile>> = const { RefCell::new(None) };
    /// The draft to check that file with, while its check waits ([`edited`]).
    static CHECKING: RefCell<Option<Draft>> = const { RefCell::new(None) };
    /// The problems of that file as the form edits it ([`import_problems`]).
    static IMPORTED: RefCell<Vec<Located>> = const { RefCell::new(Vec::new()) };
    /// The status line's text, so a new language says it again.
    static SAID: RefCell<Option<Status>> = const { RefCell::new(None) };
}

/// The page's words now.
fn words<T>(f: impl FnOnce(&Words) -> T) -> T {
    WORDS.with_borrow(f)
}

fn scope() -> web_sys::DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: FromWorker) {
    let (message, transfer) = message.encode();
    let _ = scope().post_message_with_transfer(&message, &transfer);
}

fn html(id: &str, markup: &str) {
    post(FromWorker::Html {
        id: id.to_owned(),
        markup: markup.to_owned(),
        append: false,
    });
}

/// Rows of a table put into the page a slice at a time, a frame apart, each slice its own task
/// there with its own layout: 300 rows at once held the page 150–230 ms (their layout, not
/// their parsing); a slice's layout follows its elements, so a slice is about 6 KB of markup
/// (25 of a folder's rows, 26 KB, took 57-80 ms). Slices posted at once would be laid out at
/// once. A new table drops the slices of the one before in the same element.
fn rows_in_slices(id: &str, rows: &str) {
    const SLICE_BYTES: usize = 6 << 10;
    let mut slices: std::collections::VecDeque<String> =
        crate::text::render::row_slices(rows, SLICE_BYTES)
            .into_iter()
            .map(str::to_owned)
            .collect();
    html(id, &slices.pop_front().unwrap_or_default());
    let left = slices.len();
    let table = TABLES.with_borrow_mut(|tables| match tables.iter_mut().find(|t| t.0 == id) {
        Some(t) => {
            t.1 = t.1.wrapping_add(1);
            t.2 = left;
            t.1
        }
        None => {
            tables.push((id.to_owned(), 0, left));
            0
        }
    });
    next_slice(id.to_owned(), slices, table);
}

/// Whether some of the rows put into the element `id` in slices are still to come.
fn slices_to_come(id: &str) -> bool {
    TABLES.with_borrow(|tables| tables.iter().any(|t| t.0 == id && t.2 > 0))
}

/// Posts the next slice of rows after a frame, and the rest after it, while no newer table
/// has begun (as the fleet's slices, each timer is left to end on its own).
fn next_slice(id: String, mut slices: std::collections::VecDeque<String>, table: u32) {
    let Some(markup) = slices.pop_front() else {
        return;
    };
    gloo_timers::callback::Timeout::new(20, move || {
        let current = TABLES.with_borrow_mut(|tables| {
            let t = tables.iter_mut().find(|t| t.0 == id && t.1 == table);
            t.map(|t| t.2 = t.2.saturating_sub(1)).is_some()
        });
        if current {
            post(FromWorker::Html {
                id: id.clone(),
                markup,
                append: true,
            });
            next_slice(id, slices, table);
        }
    })
    .forget();
}

fn show(id: &str, shown: bool) {
    post(FromWorker::Show {
        id: id.to_owned(),
        shown,
    });
}

/// Says `said` on the status line, in the page's language (and again in each new one).
fn status(said: impl Fn(&Words) -> String + 'static) {
    html(id::FOLDER_STATUS, &escape(&words(&said)));
    SAID.set(Some(Box::new(said)));
}

fn text(value: &JsValue) -> String {
    value.as_string().unwrap_or_default()
}

/// Tells the page that a folder is open (read, or read again), with the worker's memory.
fn folder_message() {
    // The worker's memory, for the benchmark (BENCHMARKS.md): the files and all read of them.
    let memory = ::core::arch::wasm32::memory_size(0) as f64 * 65_536.0;
    post(FromWorker::Folder { memory });
}

/// The folder's phones as the fleet counts them: each group by its first phone's settings and
/// zone code, and the phones whose settings are unknown.
fn fleet_phones(folder: &Folder) -> fleet_run::FolderPhones {
    let groups = folder
        .groups
        .iter()
        .map(|g| {
            let e = folder.phones[g.phones[0]].effective.as_ref();
            fleet_run::Group {
                phones: g.phones.len() as u32,
                settings: e.and_then(|e| e.settings()),
                zone_code: e.and_then(|e| e.timezone.as_ref()).map(|(c, _)| c.clone()),
            }
        })
        .collect();
    let mut vendors: Vec<fleet_run::VendorGroup> = Vec::new();
    for p in &folder.phones {
        let (Some(reading), Some(plan)) = (&p.reading, p.plan()) else {
            continue;
        };
        match vendors
            .iter_mut()
            .find(|g| g.vendor == p.vendor && g.reading.plan == plan)
        {
            Some(g) => g.phones += 1,
            None => vendors.push(fleet_run::VendorGroup {
                vendor: p.vendor,
                reading: reading.clone(),
                phones: 1,
            }),
        }
    }
    let unknown = folder
        .phones
        .iter()
        .filter(|p| p.effective.is_none() && p.plan().is_none())
        .count() as u32;
    fleet_run::FolderPhones {
        groups,
        vendors,
        unknown,
    }
}

/// Shows a folder just read (or just written): its counts, files no phone reads, problems, and
/// the table; the selection starts empty.
fn opened(w: &mut Worker, folder: Folder) {
    let (files, phones, groups) = (folder.files.len(), folder.phones.len(), folder.groups.len());
    let failed = std::mem::take(&mut w.failed).join(", ");
    status(move |words| {
        let mut said = words.fill(
            en!("Read {0}: {1} in {2} of alike settings."),
            &[
                &words.count(files, en!("{0} file"), en!("{0} files")),
                &words.count(phones, en!("{0} phone"), en!("{0} phones")),
                &words.count(groups, en!("{0} group"), en!("{0} groups")),
            ],
        );
        if !failed.is_empty() {
            said.push(' ');
            said.push_str(
                &words.fill(en!("The browser could not read {0}; left out."), &[&failed]),
            );
        }
        said
    });
    folder_message();
    w.selected = vec![false; folder.phones.len()];
    w.editing = false;
    w.folder = Some(folder);
    w.plan = None;
    redraw(w);
    log_again(None, w.folder.as_ref());
}

/// Draws everything the worker shows, in the page's language: after a folder is read, and when
/// the page's language (and with it its panel) changes.
fn redraw(w: &Worker) {
    if let Some(said) = SAID.with_borrow(|s| s.as_ref().map(|s| words(s))) {
        html(id::FOLDER_STATUS, &escape(&said));
    }
    show(id::FOLDER_PROGRESS, false);
    let Some(folder) = &w.folder else { return };
    let unread: String = folder
        .unread
        .iter()
        .map(|&i| format!("<li>{}</li>", escape(&folder.files[i].path)))
        .collect();
    html(id::FOLDER_UNREAD, &unread);
    html(
        id::FOLDER_FINDINGS,
        &words(|words| folder_text::findings(folder, words)),
    );
    show(id::FOLDER_BODY, true);
    show(id::FOLDER_CLOSE, true);
    show(id::FOLDER_EDITING, w.editing);
    for (id, value) in [
        (id::FOLDER_FILTER, w.filter.as_str()),
        (id::FOLDER_SORT, w.sort.as_str()),
        (
            id::FOLDER_TARGET,
            if w.own_files { "own" } else { "source" },
        ),
    ] {
        if !value.is_empty() {
            post(FromWorker::Value {
                id: id.to_owned(),
                value: value.to_owned(),
            });
        }
    }
    match &w.plan {
        Some(plan) => show_plan(w, folder, plan),
        None => {
            html(id::FOLDER_PLAN, "");
            show(id::FOLDER_WRITE, false);
        }
    }
    // The table waits for the page's clock (its next fetches need it): drawn once, not twice.
    if w.clock.is_some() {
        draw(w);
    }
}

fn drop_plan(w: &mut Worker) {
    w.plan = None;
    html(id::FOLDER_PLAN, "");
    show(id::FOLDER_WRITE, false);
}

/// Shows a plan and the buttons that write it, if it can be written.
fn show_plan(w: &Worker, folder: &Folder, plan: &Plan) {
    html(
        id::FOLDER_PLAN,
        &words(|words| folder_text::plan(folder, plan, &w.selected, words)),
    );
    let writable = !plan.edits.is_empty() && plan.invalid.is_empty();
    show(id::FOLDER_WRITE, writable);
    show(id::FOLDER_WRITE_BACK, writable && w.root.is_some());
}

/// Each group's schedule in words and its next fetch, in its phones' zone.
fn group_texts(w: &Worker, folder: &Folder, words: &Words) -> Vec<GroupText> {
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
            let phone = crate::web::intl::phone_zone(code, choice, *t0);
            let (name, zone) = (phone.name, phone.zone);
            let next = settings
                .as_ref()
                .and_then(|s| fetches(s, *t0, zone.as_ref(), 1).first_after(*now))
                .map_or(words.t(en!("none")).to_owned(), |f| {
                    words.moment(zone::local(zone.as_ref(), f.at), false)
                });
            GroupText {
                summary: settings.as_ref().map_or_else(
                    || {
                        words
                            .t(en!("Settings with errors (see the problems)."))
                            .to_owned()
                    },
                    |s| format!("{} ({name})", describe_in(s, words)),
                ),
                next,
            }
        })
        .collect()
}

/// Each phone of another vendor's schedule and next fetch, on the zone chosen (provpoll reads
/// no vendor's zone setting but snom's); `None` for snom's phones, which their group says.
fn vendor_texts(w: &Worker, folder: &Folder, words: &Words) -> Vec<Option<GroupText>> {
    let Some((t0, now, choice)) = &w.clock else {
        return Vec::new();
    };
    let phone = crate::web::intl::phone_zone(None, choice, *t0);
    let (name, zone) = (phone.name, phone.zone);
    folder
        .phones
        .iter()
        .map(|p| {
            let reading = p.reading.as_ref()?;
            let Some(plan) = p.plan() else {
                // Untimed, it says why; else a file or a value has an error.
                let summary = if reading.untimed {
                    describe_plan(p.vendor, reading, words)
                } else {
                    words
                        .t(en!("Settings with errors (see the problems)."))
                        .to_owned()
                };
                return Some(GroupText {
                    summary,
                    next: String::new(),
                });
            };
            let next = plan_fetches(&plan, *t0, zone.as_ref(), 1)
                .first_after(*now)
                .map_or(words.t(en!("none")).to_owned(), |f| {
                    words.moment(zone::local(zone.as_ref(), f.at), false)
                });
            Some(GroupText {
                summary: format!("{} ({name})", describe_plan(p.vendor, reading, words)),
                next,
            })
        })
        .collect()
}

/// Draws the table of phones, and the edit button's count.
fn draw(w: &Worker) {
    let Some(folder) = &w.folder else { return };
    words(|words| {
        let texts = group_texts(w, folder, words);
        let own = vendor_texts(w, folder, words);
        let rows = folder_text::phone_rows(
            folder,
            &texts,
            &own,
            &w.selected,
            &w.filter,
            Sort::parse(&w.sort),
            ROWS,
            words,
        );
        rows_in_slices(id::FOLDER_ROWS, &rows.html);
        let selected = words.number(w.selected.iter().filter(|&&b| b).count() as u64);
        let (shown, matching) = (
            words.number(rows.shown as u64),
            words.number(rows.matching as u64),
        );
        let note = if rows.shown < rows.matching {
            words.fill(
                en!("{0} of {1} phones shown; the filter finds the others. {2} selected."),
                &[&shown, &matching, &selected],
            )
        } else {
            let shown = words.count(rows.shown, en!("{0} phone"), en!("{0} phones"));
            words.fill(en!("{0} shown; {1} selected."), &[&shown, &selected])
        };
        html(id::FOLDER_NOTE, &escape(&note));
    });
}

/// Plans what `draft` changes (its values and perm flags) for the selected phones.
fn plan(w: &mut Worker, draft: &Draft) {
    let Some(folder) = &w.folder else { return };
    let phones: Vec<usize> = (0..folder.phones.len())
        .filter(|&p| w.selected[p])
        .collect();
    let target = if w.own_files {
        Target::Own
    } else {
        Target::Source
    };
    match folder.plan(draft, &phones, target) {
        Ok(plan) => {
            show_plan(w, folder, &plan);
            let (files, affected) = (plan.edits.len(), plan.affected().len());
            let invalid = !plan.invalid.is_empty();
            status(move |words| {
                if invalid {
                    words
                        .t(en!(
                            "The plan would leave phones with invalid settings (below): it cannot be written."
                        ))
                        .to_owned()
                } else {
                    words.fill(
                        en!(
                            "The plan changes {0} and the settings of {1}; nothing is written until you say so."
                        ),
                        &[
                            &words.count(files, en!("{0} file"), en!("{0} files")),
                            &words.count(affected, en!("{0} phone"), en!("{0} phones")),
                        ],
                    )
                }
            });
            w.plan = Some(plan);
        }
        Err(issues) => {
            status(move |words| {
                let why: Vec<String> = issues.iter().map(|i| i.problem.say(words)).collect();
                words.fill(en!("No plan: {0}."), &[&why.join("; ")])
            });
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
        post(FromWorker::Applied);
    }
}

/// Files of a folder read at once (File System Access API): one after the other, each file's
/// two round trips to the browser made 2,000 files take 6-8 s here.
const READ_AT_ONCE: usize = 64;

/// Reads every settings file below the folder `root` (File System Access API), hidden entries
/// left out.
async fn read_folder(root: JsValue) -> Result<(Vec<File>, Vec<String>), JsValue> {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    // Settings files found and not yet read: their paths and handles.
    let mut found: Vec<(String, JsValue)> = Vec::new();
    // Each folder with the folders above it: one that is the same as any of them (a link back
    // up, where the browser follows links) is not read again.
    let mut stack = vec![(root, String::new(), Vec::<JsValue>::new())];
    while let Some((dir, prefix, above)) = stack.pop() {
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
            let path = format!("{prefix}{name}");
            if text(&get(&entry, "kind")) == "directory" {
                let mut seen = false;
                for folder in above.iter().chain([&dir]) {
                    seen |= call(&entry, "isSameEntry", std::slice::from_ref(folder))
                        .await
                        .is_ok_and(|same| same.is_truthy());
                }
                if seen {
                    failed.push(path);
                } else {
                    let mut up = above.clone();
                    up.push(dir.clone());
                    stack.push((entry, format!("{path}/"), up));
                }
            } else if is_settings_name(&name) {
                found.push((path, entry));
                if found.len() == READ_AT_ONCE {
                    read_found(&mut found, &mut files, &mut failed).await;
                }
            }
        }
    }
    read_found(&mut found, &mut files, &mut failed).await;
    Ok((files, failed))
}

/// Reads the files `found` at once, in their order, into `files`; a file the browser cannot
/// read is left out and named in `failed`, and the rest goes on.
async fn read_found(
    found: &mut Vec<(String, JsValue)>,
    files: &mut Vec<File>,
    failed: &mut Vec<String>,
) {
    if found.is_empty() {
        return;
    }
    // Each settled promise's value, or `None` where it failed.
    async fn settled(promises: js_sys::Array) -> Vec<Option<JsValue>> {
        let all = js_sys::Promise::all_settled(&promises);
        let results = wasm_bindgen_futures::JsFuture::from(all)
            .await
            .map(|r| js_sys::Array::from(&r))
            .unwrap_or_default();
        (0..promises.length())
            .map(|i| {
                let r = results.get(i);
                (text(&get(&r, "status")) == "fulfilled").then(|| get(&r, "value"))
            })
            .collect()
    }
    let promise = |target: &JsValue, name: &str| -> JsValue {
        crate::web::js::promise(target, name, &[])
            .map_or_else(|e| js_sys::Promise::reject(&e).into(), JsValue::from)
    };
    let handles: js_sys::Array = found
        .iter()
        .map(|(_, entry)| promise(entry, "getFile"))
        .collect();
    let got = settled(handles).await;
    let buffers: js_sys::Array = got
        .iter()
        .map(|file| match file {
            Some(file) => promise(file, "arrayBuffer"),
            None => js_sys::Promise::reject(&JsValue::NULL).into(),
        })
        .collect();
    let read = settled(buffers).await;
    for ((path, _), buffer) in found.drain(..).zip(read) {
        match buffer {
            Some(buffer) => files.push(folder::read_file(path, Uint8Array::new(&buffer).to_vec())),
            None => failed.push(path),
        }
    }
    let n = files.len();
    status(move |words| words.fill(en!("Read {0} files…"), &[&words.number(n as u64)]));
}

/// Replaces each file below `root` with its new bytes; the browser writes a copy and swaps it
/// in when it is complete. Stops at the first failure, naming the file.
async fn write_folder(root: JsValue, files: Vec<(String, Vec<u8>)>) -> Result<(), String> {
    for (path, bytes) in files {
        let fail = |_| {
            words(|words| words.fill(en!("{0} could not be written; it is unchanged"), &[&path]))
        };
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

/// What the page's form cannot show of the file it imported: markup a phone rejects, and a
/// misnamed window end, each with its place.
fn import_problems(bytes: &[u8]) -> Vec<Located> {
    let Ok(file) = SettingsFile::parse(bytes) else {
        return Vec::new();
    };
    let mut out = file.markup_problems();
    out.extend(file.misnamed_warnings());
    out
}

/// The imported file's problems on the page (`file-problems`), and beside its download
/// (`file-rejected`) whether a phone rejects it.
fn draw_import() {
    IMPORTED.with_borrow(|problems| {
        words(|words| {
            let items: String = problems
                .iter()
                .map(|l| {
                    let said = words.fill(
                        en!("line {0}, column {1}: {2}"),
                        &[&l.line, &l.column, &l.what.problem.say(words)],
                    );
                    format!("<li>{}</li>", escape(&said))
                })
                .collect();
            let rejected = problems.iter().any(|l| l.what.problem.is_markup());
            html(id::FILE_PROBLEMS, &items);
            html(
                id::FILE_REJECTED,
                if rejected {
                    words.t(en!(
                        "A phone rejects this file until the problems listed under it are fixed."
                    ))
                } else {
                    ""
                },
            );
        })
    });
}

/// Answers a message of the page, each kind with its function.
fn handle(message: ToWorker) {
    use ToWorker as T;
    match message {
        T::Open { id, bytes } => open(id, bytes.to_vec()),
        T::Edited { draft } => edited(draft),
        T::Log { files, zone } => read_log(files, zone),
        T::LogCancel => words(|words| log_run::cancel(post, words)),
        T::LogClose => log_run::close(post),
        T::Dir { handle, writable } => read_dir(handle, writable),
        T::Write => write(),
        T::Fleet(request) => {
            let folder = with(|w| w.folder.as_ref().map(fleet_phones));
            fleet_run::request(&request, folder, words(Words::clone), post);
        }
        T::FleetCancel => fleet_run::cancel(),
        T::Lang { tag, table } => lang(&tag, table.as_deref()),
        T::Reset => {
            with(reset);
            log_again(None, None);
        }
        T::Unread { path } => with(|w| w.failed.push(path)),
        T::File { path, bytes } => {
            let file = folder::read_file(path, bytes.to_vec());
            with(|w| w.reading.push(file));
        }
        T::Done => with(|w| {
            let files = std::mem::take(&mut w.reading);
            opened(w, Folder::from_files(files));
        }),
        T::Clock { t0, now, zone } => with(|w| clock(w, t0, now, zone)),
        T::Input { id, value } => with(|w| input(w, &id, value)),
        T::Check { phones, on } => with(|w| check(w, &phones, on)),
        T::Clear => with(|w| {
            w.selected.iter_mut().for_each(|b| *b = false);
            drop_plan(w);
            draw(w);
        }),
        T::Edit => with(edit),
        T::Plan { change } => with(|w| plan(w, &change)),
        T::Apply => with(applied),
        T::Zip => with(|w| zip(w)),
    }
}

/// `f` with the worker's state.
fn with<T>(f: impl FnOnce(&mut Worker) -> T) -> T {
    WORKER.with(|w| f(&mut w.borrow_mut()))
}

/// The log shown follows the folder, the zone chosen (where `zone`) and the page's words.
fn log_again(zone: Option<String>, folder: Option<&Folder>) {
    words(|words| log_run::again(zone, folder, post, words));
}

/// Reads a server's log (`files`, a JS array), and holds it against the open folder.
fn read_log(files: JsValue, zone: String) {
    let generation = log_run::begin(post);
    // The page of `provpoll watch` hands over its API's address as the name of an empty file
    // (`api/`: no file picked has a `/` in its name), not a log.
    let first = js_sys::Array::from(&files).get(0);
    if let Some(base) = first
        .dyn_ref::<web_sys::File>()
        .map(web_sys::File::name)
        .filter(|name| name.ends_with('/'))
    {
        let words = || WORDS.with_borrow(Words::clone);
        wasm_bindgen_futures::spawn_local(live_run::follow(base, zone, generation, post, words));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Some((log, bytes)) = log_run::read(files, generation, post).await {
            with(|w| {
                WORDS.with_borrow(|words| {
                    log_run::opened(log, bytes, zone, w.folder.as_ref(), post, words)
                })
            });
        }
    });
}

/// Checks the file the page has open, and shows what it found.
/// Reads a settings file the page opens: the page gets its index (and edits it without the
/// reader), or where and why it cannot be read; the worker keeps it to check the edits.
fn open(id: u32, bytes: Vec<u8>) {
    match SettingsFile::parse(bytes) {
        Ok(file) => {
            let index = file.index_text();
            let mut rows = Vec::new();
            crate::text::xml_rows::row_starts(file.bytes(), 0, &mut rows);
            let rows: Vec<u32> = rows.into_iter().map(|r| r as u32).collect();
            let rows = js_sys::Uint32Array::from(&rows[..]);
            OPENED.set(Some(file));
            post(FromWorker::Opened { id, index, rows });
        }
        Err(e) => post(FromWorker::Unopened {
            id,
            line: e.line as u32,
            column: e.column as u32,
            why: words(|w| e.what.say(w)),
        }),
    }
}

/// Checks the file opened last as `draft` edits it: what the page shows of its problems. While
/// the user types, the drafts that come meanwhile are one check: the last one (a file of
/// megabytes takes the worker a tenth of a second to read again).
fn edited(draft: Draft) {
    if CHECKING.replace(Some(draft)).is_some() {
        return;
    }
    gloo_timers::callback::Timeout::new(0, || {
        let Some(draft) = CHECKING.take() else { return };
        let problems = OPENED.with_borrow(|file| {
            let (bytes, _) = file.as_ref()?.edited(&draft).ok()?;
            Some(import_problems(&bytes))
        });
        IMPORTED.set(problems.unwrap_or_default());
        draw_import();
    })
    .forget();
}

/// Reads the folder `root` (writing back into it later where `writable`).
fn read_dir(root: JsValue, writable: bool) {
    // A folder dropped on the page is read, not written: the browser has not asked.
    with(|w| w.root = writable.then(|| root.clone()));
    show(id::FOLDER_PROGRESS, true);
    let resets = RESETS.get();
    wasm_bindgen_futures::spawn_local(async move {
        let read = read_folder(root).await;
        if RESETS.get() != resets {
            return;
        }
        match read {
            Ok((files, failed)) => with(|w| {
                w.failed = failed;
                opened(w, Folder::from_files(files));
            }),
            Err(_) => {
                show(id::FOLDER_PROGRESS, false);
                status(|words| words.t(en!("The folder could not be read.")).to_owned());
            }
        }
    });
}

/// Writes the plan's changed files into the folder opened.
fn write() {
    let (root, files) = with(|w| (w.root.clone(), edits(w)));
    let Some(root) = root else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let n = files.len();
        match write_folder(root, files).await {
            Ok(()) => {
                with(apply);
                status(move |words| {
                    words.fill(
                        en!("Wrote {0} into the folder."),
                        &[&words.count(n, en!("{0} file"), en!("{0} files"))],
                    )
                });
            }
            Err(e) => status(move |words| {
                words.fill(
                    en!(
                        "{0}. The files before it were written; open the folder again to see where it stands."
                    ),
                    &[&e],
                )
            }),
        }
    });
}

/// Takes the page's language (`tag`) and its table of words, and draws everything again.
fn lang(tag: &str, table: Option<&str>) {
    let lang = Lang::parse(tag).unwrap_or_default();
    let new = match lang {
        Lang::En => Words::english(),
        _ => Words::parse(lang, table.unwrap_or_default()).unwrap_or_else(|_| Words::english()),
    };
    WORDS.set(new);
    with(|w| {
        redraw(w);
        log_again(None, w.folder.as_ref());
    });
    draw_import();
}

/// Forgets the folder (the clock stays: it is the page's).
fn reset(w: &mut Worker) {
    RESETS.set(RESETS.get().wrapping_add(1));
    let clock = w.clock.take();
    *w = Worker {
        clock,
        ..Worker::default()
    };
    SAID.set(None);
}

/// When the settings take effect, now (seconds since 1970), and the zone chosen on the page.
fn clock(w: &mut Worker, t0: i64, now: i64, zone: String) {
    let at = |t| DateTime::from_timestamp(t, 0).unwrap_or_default();
    let moved = w.clock.as_ref().is_none_or(|(_, _, z)| *z != zone);
    if moved {
        log_again(Some(zone.clone()), w.folder.as_ref());
    }
    w.clock = Some((at(t0), at(now), zone));
    draw(w);
}

/// A control of the panel changed.
fn input(w: &mut Worker, control: &str, value: String) {
    match control {
        id::FOLDER_FILTER => w.filter = value,
        id::FOLDER_SORT => w.sort = value,
        id::FOLDER_TARGET => {
            w.own_files = value == "own";
            drop_plan(w);
            return;
        }
        crate::text::log::FILTER => {
            return words(|words| log_run::filter(&value, post, words));
        }
        crate::text::log::PHONE if log_run::is_live() => {
            log_run::choose(value, None, post, &WORDS.with_borrow(Words::clone));
            wasm_bindgen_futures::spawn_local(live_run::strip(post, || {
                WORDS.with_borrow(Words::clone)
            }));
            return;
        }
        crate::text::log::PHONE => {
            return words(|words| log_run::choose(value, w.folder.as_ref(), post, words));
        }
        _ => return,
    }
    draw(w);
}

/// Phones of the table (indices, space-separated) checked or not.
fn check(w: &mut Worker, phones: &str, on: bool) {
    for p in phones.split(' ').filter_map(|p| p.parse::<usize>().ok()) {
        if let Some(slot) = w.selected.get_mut(p) {
            *slot = on;
        }
    }
    drop_plan(w);
    draw(w);
}

/// The form edits the selected phones, from the first one's settings.
fn edit(w: &mut Worker) {
    let Some(folder) = &w.folder else { return };
    let Some(first) = w.selected.iter().position(|&b| b) else {
        status(|words| words.t(en!("Select phones or a group first.")).to_owned());
        return;
    };
    let phones = w.selected.iter().filter(|&&b| b).count() as u32;
    let draft = folder.phones[first]
        .effective
        .as_ref()
        .map_or_else(Draft::default, |e| e.draft.clone());
    post(FromWorker::Edit { draft, phones });
    w.editing = true;
}

/// The zip was offered: the folder shown becomes the edited one.
fn applied(w: &mut Worker) {
    let n = w.plan.as_ref().map_or(0, |p| p.edits.len());
    apply(w);
    status(move |words| {
        words.fill(
            en!(
                "Downloaded provisioning-changes.zip with {0}, named as in the folder: unpack it over the folder. The table shows the folder as it will then be."
            ),
            &[&words.count(n, en!("the {0} changed file"), en!("the {0} changed files"))],
        )
    });
}

/// Offers the plan's changed files as one zip; the page says when it has.
fn zip(w: &Worker) {
    let files = edits(w);
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    match crate::formats::zip::stored(&entries) {
        Ok(zip) => post(FromWorker::Download {
            name: "provisioning-changes.zip".to_owned(),
            bytes: Uint8Array::from(zip.as_slice()),
        }),
        Err(_) => status(|words| {
            words
                .t(en!("The changed files are too large for a zip."))
                .to_owned()
        }),
    }
}

/// Starts the worker: it answers every message, and says when it is ready.
pub fn start() {
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(|ev: web_sys::MessageEvent| {
        if let Some(message) = ToWorker::decode(&ev.data()) {
            handle(message);
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(FromWorker::Ready);
}
