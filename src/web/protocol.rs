//! The one protocol between the page and its worker: each direction is one enum, [`ToWorker`]
//! and [`FromWorker`], written into a message by one function ([`ToWorker::encode`],
//! [`FromWorker::encode`]) and read back by one ([`ToWorker::decode`], [`FromWorker::decode`]).
//! A message is an array whose first item names its kind; bytes travel as `Uint8Array`s, handed
//! over rather than copied where the sender says so. The elements the worker writes into are
//! named once, in `text::ids` ([`id`] here).

use js_sys::{Array, Uint8Array, Uint32Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::settings::{Draft, Key};

/// The page's elements that the worker fills, shows or sets: named once, in `text::ids`.
pub use crate::text::ids as id;

/// What the fleet view asks the worker to count (`worker::fleet_run`).
pub struct FleetRequest {
    /// Each request's number; answers carry it, so the page drops those of an older one.
    pub generation: u32,
    /// The form's last valid settings (values and `never_update`; no perm flags).
    pub draft: Draft,
    /// When the settings take effect, in seconds since 1970.
    pub t0: i64,
    /// The zone the page shows times in, and the zone the user chose (for a folder's phones
    /// without a `timezone` of their own).
    pub zone: String,
    pub choice: String,
    /// Seconds over which the phones take the settings (0: all at once, at boot).
    pub spread: u32,
    pub phones: u32,
    pub horizon: String,
    /// The alternative to compare with; empty for the first one that changes something.
    pub alternative: String,
}

/// A message from the page to the worker.
pub enum ToWorker {
    /// A file of a folder the page reads itself (picked files, or files dropped).
    File {
        path: String,
        bytes: Uint8Array,
    },
    /// A file of that folder that the browser could not read.
    Unread {
        path: String,
    },
    /// Every file of the folder is sent: read it.
    Done,
    /// A folder to read (a `FileSystemDirectoryHandle`), and to write back into if `writable`.
    Dir {
        handle: JsValue,
        writable: bool,
    },
    /// When the settings take effect, now (seconds since 1970) and the zone chosen.
    Clock {
        t0: i64,
        now: i64,
        zone: String,
    },
    /// A control of the folder's or the log's panel changed (`id::FOLDER_FILTER`, `…_SORT`,
    /// `…_TARGET`, the log's filter), or a phone of the log was chosen (`text::log::PHONE`, its
    /// MAC).
    Input {
        id: String,
        value: String,
    },
    /// Phones of the table (their indices, space-separated) checked or not.
    Check {
        phones: String,
        on: bool,
    },
    /// Forget the folder.
    Reset,
    Clear,
    /// Edit the selected phones in the form.
    Edit,
    /// Plan what the form changes (`Draft`'s values and perm flags; unchanged ones unset).
    Plan {
        change: Draft,
    },
    /// Make the zip of the changed files.
    Zip,
    /// The zip was offered: the folder shown becomes the edited one.
    Apply,
    /// Write the changed files into the folder (the user said yes).
    Write,
    Fleet(FleetRequest),
    FleetCancel,
    /// The page's language, with its table of words (none for English).
    Lang {
        tag: String,
        table: Option<String>,
    },
    /// A settings file to read (request `id`), handed over: the worker answers with its index,
    /// or why it cannot be read, and keeps it for [`ToWorker::Edited`].
    Open {
        id: u32,
        bytes: Uint8Array,
    },
    /// The form's last valid settings: check the file opened last as they edit it (its markup,
    /// what a phone rejects).
    Edited {
        draft: Draft,
    },
    /// A server's log to read (an array of `File`s, one log), its phones in the zone chosen
    /// where their files set none.
    Log {
        files: JsValue,
        zone: String,
    },
    /// Stop reading the log (the one shown before stays).
    LogCancel,
    /// Forget the log.
    LogClose,
}

/// A message from the worker to the page.
pub enum FromWorker {
    /// The worker reads messages now.
    Ready,
    /// Fill the element `id` with `markup`, or (`append`) add it at its end: a long table
    /// goes in a slice at a time, each its own task on the page.
    Html {
        id: String,
        markup: String,
        append: bool,
    },
    Show {
        id: String,
        shown: bool,
    },
    /// Set the control `id`'s value.
    Value {
        id: String,
        value: String,
    },
    /// A folder is open (read, or read again), and the worker's memory in bytes.
    Folder {
        memory: f64,
    },
    /// Edit `phones` selected phones in the form, starting from `draft`.
    Edit {
        draft: Draft,
        phones: u32,
    },
    /// Offer `bytes` as a download named `name`.
    Download {
        name: String,
        bytes: Uint8Array,
    },
    /// The changed files are written; the folder shown is the edited one.
    Applied,
    /// The settings file of request `id` is read: its index ([`SettingsFile::index_text`]) and
    /// where each row of the XML view starts (`text::xml_rows::row_starts`), handed over.
    ///
    /// [`SettingsFile::index_text`]: crate::core::file::SettingsFile::index_text
    Opened {
        id: u32,
        index: String,
        rows: Uint32Array,
    },
    /// The settings file of request `id` cannot be read, at `line` and `column`, for `why`.
    Unopened {
        id: u32,
        line: u32,
        column: u32,
        why: String,
    },
    /// How far the latest fleet request is, in percent.
    FleetProgress {
        generation: u32,
        percent: String,
    },
    /// The counted fleet's figures, as markup.
    FleetDone {
        generation: u32,
        markup: String,
    },
}

/// A draft as `[six values, six perm flags, never_update]`, `null` where unset.
fn draft_value(draft: &Draft) -> JsValue {
    let value = |v: Option<&str>| v.map_or(JsValue::NULL, JsValue::from);
    let items: Array = Key::ALL
        .iter()
        .map(|&k| value(draft.value(k)))
        .chain(Key::ALL.iter().map(|&k| value(draft.perm(k))))
        .collect();
    items.push(&draft.never_update.into());
    items.into()
}

fn draft_of(value: &JsValue) -> Draft {
    let items = Array::from(value);
    let mut draft = Draft::default();
    for (i, key) in Key::ALL.into_iter().enumerate() {
        draft.set_value(key, items.get(i as u32).as_string());
        draft.set_perm(key, items.get(6 + i as u32).as_string());
    }
    draft.never_update = items.get(12).is_truthy();
    draft
}

/// Reads the items of a message.
struct Items(Array);

impl Items {
    fn text(&self, i: u32) -> String {
        self.0.get(i).as_string().unwrap_or_default()
    }

    fn number(&self, i: u32) -> f64 {
        self.0.get(i).as_f64().unwrap_or(0.0)
    }

    fn bytes(&self, i: u32) -> Uint8Array {
        self.0
            .get(i)
            .dyn_into()
            .unwrap_or_else(|_| Uint8Array::new_with_length(0))
    }
}

/// The message `items`, and what it hands over (`transfer`): the buffers of its bytes.
fn message(items: &[JsValue], bytes: Option<&Uint8Array>) -> (Array, Array) {
    let transfer = bytes.map_or_else(Array::new, |b| Array::of1(&b.buffer()));
    (items.iter().collect(), transfer)
}

impl ToWorker {
    /// The button of the folder's panel (its `data-action`) that asks for this message alone.
    pub fn of_action(action: &str) -> Option<ToWorker> {
        Some(match action {
            "clear" => ToWorker::Clear,
            "edit" => ToWorker::Edit,
            "zip" => ToWorker::Zip,
            "write" => ToWorker::Write,
            "log-cancel" => ToWorker::LogCancel,
            "log-close" => ToWorker::LogClose,
            _ => return None,
        })
    }

    /// The message, and what it hands over (the file's buffer: the page keeps no copy).
    pub fn encode(&self) -> (Array, Array) {
        use ToWorker as T;
        let kind = |k: &str| JsValue::from(k);
        match self {
            T::File { path, bytes } => {
                message(&[kind("file"), path.into(), bytes.into()], Some(bytes))
            }
            T::Unread { path } => message(&[kind("unread"), path.into()], None),
            T::Done => message(&[kind("done")], None),
            T::Dir { handle, writable } => {
                message(&[kind("dir"), handle.clone(), (*writable).into()], None)
            }
            T::Clock { t0, now, zone } => message(
                &[
                    kind("clock"),
                    (*t0 as f64).into(),
                    (*now as f64).into(),
                    zone.into(),
                ],
                None,
            ),
            T::Input { id, value } => message(&[kind("input"), id.into(), value.into()], None),
            T::Check { phones, on } => message(&[kind("check"), phones.into(), (*on).into()], None),
            T::Reset => message(&[kind("reset")], None),
            T::Clear => message(&[kind("clear")], None),
            T::Edit => message(&[kind("edit")], None),
            T::Plan { change } => message(&[kind("plan"), draft_value(change)], None),
            T::Zip => message(&[kind("zip")], None),
            T::Apply => message(&[kind("apply")], None),
            T::Write => message(&[kind("write")], None),
            T::Fleet(r) => message(
                &[
                    kind("fleet"),
                    r.generation.into(),
                    draft_value(&r.draft),
                    (r.t0 as f64).into(),
                    (&r.zone).into(),
                    (&r.choice).into(),
                    r.spread.into(),
                    r.phones.into(),
                    (&r.horizon).into(),
                    (&r.alternative).into(),
                ],
                None,
            ),
            T::FleetCancel => message(&[kind("fleet-cancel")], None),
            T::Lang { tag, table } => message(
                &[
                    kind("lang"),
                    tag.into(),
                    table.as_deref().map_or(JsValue::NULL, JsValue::from),
                ],
                None,
            ),
            T::Open { id, bytes } => {
                message(&[kind("open"), (*id).into(), bytes.into()], Some(bytes))
            }
            T::Edited { draft } => message(&[kind("edited"), draft_value(draft)], None),
            T::Log { files, zone } => message(&[kind("log"), files.clone(), zone.into()], None),
            T::LogCancel => message(&[kind("log-cancel")], None),
            T::LogClose => message(&[kind("log-close")], None),
        }
    }

    /// The message the page sent; `None` for one of no known kind.
    pub fn decode(message: &JsValue) -> Option<ToWorker> {
        use ToWorker as T;
        let m = Items(Array::from(message));
        Some(match m.text(0).as_str() {
            "file" => T::File {
                path: m.text(1),
                bytes: m.bytes(2),
            },
            "unread" => T::Unread { path: m.text(1) },
            "done" => T::Done,
            "dir" => T::Dir {
                handle: m.0.get(1),
                writable: m.0.get(2).is_truthy(),
            },
            "clock" => T::Clock {
                t0: m.number(1) as i64,
                now: m.number(2) as i64,
                zone: m.text(3),
            },
            "input" => T::Input {
                id: m.text(1),
                value: m.text(2),
            },
            "check" => T::Check {
                phones: m.text(1),
                on: m.0.get(2).is_truthy(),
            },
            "reset" => T::Reset,
            "clear" => T::Clear,
            "edit" => T::Edit,
            "plan" => T::Plan {
                change: draft_of(&m.0.get(1)),
            },
            "zip" => T::Zip,
            "apply" => T::Apply,
            "write" => T::Write,
            "fleet" => T::Fleet(FleetRequest {
                generation: m.number(1) as u32,
                draft: draft_of(&m.0.get(2)),
                t0: m.number(3) as i64,
                zone: m.text(4),
                choice: m.text(5),
                spread: m.number(6) as u32,
                phones: m.number(7) as u32,
                horizon: m.text(8),
                alternative: m.text(9),
            }),
            "fleet-cancel" => T::FleetCancel,
            "lang" => T::Lang {
                tag: m.text(1),
                table: m.0.get(2).as_string(),
            },
            "open" => T::Open {
                id: m.number(1) as u32,
                bytes: m.bytes(2),
            },
            "edited" => T::Edited {
                draft: draft_of(&m.0.get(1)),
            },
            "log" => T::Log {
                files: m.0.get(1),
                zone: m.text(2),
            },
            "log-cancel" => T::LogCancel,
            "log-close" => T::LogClose,
            _ => return None,
        })
    }
}

impl FromWorker {
    /// The message, and what it hands over (a download's buffer).
    pub fn encode(&self) -> (Array, Array) {
        use FromWorker as F;
        let kind = |k: &str| JsValue::from(k);
        match self {
            F::Ready => message(&[kind("ready")], None),
            F::Html { id, markup, append } => message(
                &[kind("html"), id.into(), markup.into(), (*append).into()],
                None,
            ),
            F::Show { id, shown } => message(&[kind("show"), id.into(), (*shown).into()], None),
            F::Value { id, value } => message(&[kind("value"), id.into(), value.into()], None),
            F::Folder { memory } => message(&[kind("folder"), (*memory).into()], None),
            F::Edit { draft, phones } => {
                message(&[kind("edit"), draft_value(draft), (*phones).into()], None)
            }
            F::Download { name, bytes } => {
                message(&[kind("download"), name.into(), bytes.into()], Some(bytes))
            }
            F::Applied => message(&[kind("applied")], None),
            F::Opened { id, index, rows } => {
                let transfer = Array::of1(&rows.buffer());
                let items = [kind("opened"), (*id).into(), index.into(), rows.into()];
                (items.iter().collect(), transfer)
            }
            F::Unopened {
                id,
                line,
                column,
                why,
            } => message(
                &[
                    kind("unopened"),
                    (*id).into(),
                    (*line).into(),
                    (*column).into(),
                    why.into(),
                ],
                None,
            ),
            F::FleetProgress {
                generation,
                percent,
            } => message(
                &[kind("fleet-progress"), (*generation).into(), percent.into()],
                None,
            ),
            F::FleetDone { generation, markup } => message(
                &[kind("fleet-done"), (*generation).into(), markup.into()],
                None,
            ),
        }
    }

    /// The message the worker sent; `None` for one of no known kind.
    pub fn decode(message: &JsValue) -> Option<FromWorker> {
        use FromWorker as F;
        let m = Items(Array::from(message));
        Some(match m.text(0).as_str() {
            "ready" => F::Ready,
            "html" => F::Html {
                id: m.text(1),
                markup: m.text(2),
                append: m.0.get(3).is_truthy(),
            },
            "show" => F::Show {
                id: m.text(1),
                shown: m.0.get(2).is_truthy(),
            },
            "value" => F::Value {
                id: m.text(1),
                value: m.text(2),
            },
            "folder" => F::Folder {
                memory: m.number(1),
            },
            "edit" => F::Edit {
                draft: draft_of(&m.0.get(1)),
                phones: m.number(2) as u32,
            },
            "download" => F::Download {
                name: m.text(1),
                bytes: m.bytes(2),
            },
            "applied" => F::Applied,
            "opened" => F::Opened {
                id: m.number(1) as u32,
                index: m.text(2),
                rows: m
                    .0
                    .get(3)
                    .dyn_into()
                    .unwrap_or_else(|_| Uint32Array::new_with_length(0)),
            },
            "unopened" => F::Unopened {
                id: m.number(1) as u32,
                line: m.number(2) as u32,
                column: m.number(3) as u32,
                why: m.text(4),
            },
            "fleet-progress" => F::FleetProgress {
                generation: m.number(1) as u32,
                percent: m.text(2),
            },
            "fleet-done" => F::FleetDone {
                generation: m.number(1) as u32,
                markup: m.text(2),
            },
            _ => return None,
        })
    }
}
