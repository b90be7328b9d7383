//! A server's access log in the page's worker (wasm32 only): read as a stream from the files
//! the user chose (`File.stream()`; a gzip file inflated with flate2 as it comes, as the
//! command line does), with its progress and a way to cancel; then held
//! against the open folder (`crate::core::log`) and drawn (`crate::text::log`). Only the
//! phones' fetches are kept, never a line, so a log of any size fits. The worker's `mod.rs`
//! hands in the folder and the words, so imports flow down.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use chrono::{DateTime, Utc};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::core::folder::Folder;
use crate::core::log::ingest::Ingest;
use crate::core::log::read::Log;
use crate::core::log::verdict::{Mark, Verdict, walk};
use crate::core::log::{PhoneReport, phone_plan, phone_reading, report};
use crate::core::mac::Mac;
use crate::core::vendor::Vendor;
use crate::core::zone::{self, Zone};
use crate::text::folder::no_settings;
use crate::text::log::{self as log_text, StripPhone};
use crate::text::plan::describe as describe_plan;
use crate::text::render::escape;
use crate::text::summary::describe_in;
use crate::web::intl::phone_zone;
use crate::web::js::{self, call, get};
use crate::web::protocol::{FromWorker, id};
use crate::words::Words;

/// Rows drawn at most; the filter finds the others. (Drawing 300 took the page's thread up to
/// 56 ms here, over the 50 ms a task may take; 200 never made a task over 50 ms in 8 runs.)
const ROWS: usize = 200;
/// Bytes read between two looks at the worker's messages (a cancel).
const YIELD_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

/// The worker's way to the page.
pub type Post = fn(FromWorker);

/// The log shown, and how.
#[derive(Default)]
struct View {
    log: Option<Log>,
    /// The files' bytes in all, for the status line.
    bytes: f64,
    phones: Vec<PhoneReport>,
    filter: Option<Verdict>,
    /// The phone on the time strip.
    chosen: Option<Mac>,
    /// The zone chosen on the page, for phones whose files set none.
    zone: String,
    /// Judged by `provpoll watch`, as of this instant (seconds since 1970): the server's
    /// verdicts are shown as they come, never judged here.
    live: Option<i64>,
    /// The counts per verdict last drawn, live: while they stay, only the status and the rows
    /// are drawn again (an open filter is not closed under the user's hand).
    drawn: Vec<(Verdict, usize)>,
    /// The table's rows, its note and the strip as last drawn: live, only what changed is
    /// drawn again.
    drawn_rows: String,
    drawn_note: String,
    drawn_strip: String,
}

thread_local! {
    static VIEW: RefCell<View> = RefCell::new(View::default());
    /// The reading under way (0: none); a reading that is no longer it stops.
    static READING: Cell<u32> = const { Cell::new(0) };
    static COUNT: Cell<u32> = const { Cell::new(0) };
}

/// Starts reading a new log: the one shown stays until this one is read.
pub fn begin(post: Post) -> u32 {
    let generation = COUNT.get() + 1;
    COUNT.set(generation);
    READING.set(generation);
    post(show(id::LOG_PROGRESS, true));
    post(value(id::LOG_PROGRESS_BAR, "0"));
    generation
}

/// The reading under way (0: none).
pub fn reading() -> u32 {
    READING.get()
}

/// Stops the reading under way; the log shown before stays.
pub fn cancel(post: Post, words: &Words) {
    if READING.replace(0) != 0 {
        post(show(id::LOG_PROGRESS, false));
        post(html(
            id::LOG_STATUS,
            &escape(words.t(en!(
                "Reading the log was cancelled; what was shown before is shown still."
            ))),
        ));
    }
}

/// Forgets the log.
pub fn close(post: Post) {
    READING.set(0);
    VIEW.set(View::default());
    for element in [id::LOG_BODY, id::LOG_CLOSE, id::LOG_PROGRESS] {
        post(show(element, false));
    }
    for element in [id::LOG_STATUS, id::LOG_FILES, id::LOG_BODY] {
        post(html(element, ""));
    }
}

fn show(id: &str, shown: bool) -> FromWorker {
    FromWorker::Show {
        id: id.to_owned(),
        shown,
    }
}

fn html(id: &str, markup: &str) -> FromWorker {
    FromWorker::Html {
        id: id.to_owned(),
        markup: markup.to_owned(),
        append: false,
    }
}

fn value(id: &str, value: &str) -> FromWorker {
    FromWorker::Value {
        id: id.to_owned(),
        value: value.to_owned(),
    }
}

/// Reads the `files` (a JS array of `File`s) as one log, `generation` of [`begin`]; `None`
/// when it was cancelled. A file that cannot be read to its end is named with why, after how
/// many lines; what was read of it counts.
pub async fn read(files: JsValue, generation: u32, post: Post) -> Option<(Log, f64)> {
    let files: Vec<web_sys::File> = Array::from(&files)
        .iter()
        .filter_map(|f| f.dyn_into().ok())
        .collect();
    let mut reading = Reading {
        done: 0.0,
        total: files.iter().map(|f| f.size()).sum(),
        shown: -1.0,
        generation,
        post,
    };
    let mut ingest = Ingest::new(0);
    for file in &files {
        let before = reading.done;
        let read = read_file(file, &mut ingest, &mut reading).await;
        reading.done = before + file.size();
        if !read {
            return None;
        }
    }
    let log = ingest.finish();
    (READING.get() == generation).then_some((log, reading.total))
}

/// Where a reading stands: bytes read of the files' total, the percent shown.
struct Reading {
    done: f64,
    total: f64,
    shown: f64,
    generation: u32,
    post: Post,
}

impl Reading {
    /// Counts `bytes` more read, and moves the progress bar where it moved a percent.
    fn progress(&mut self, bytes: usize) {
        self.done += bytes as f64;
        let percent = (self.done * 100.0 / self.total.max(1.0)).floor().min(100.0);
        if percent > self.shown {
            self.shown = percent;
            (self.post)(value(id::LOG_PROGRESS_BAR, &(percent as u32).to_string()));
        }
    }
}

/// Hands one file's bytes to `ingest` from `File.stream()`, a chunk at a time. False if the
/// reading was cancelled.
///
/// Gzip is inflated by the core with flate2, not by the browser's `DecompressionStream`,
/// though that would cost the bundle nothing: Chromium's stops at a gzip file's second member
/// ("Junk found after end of compressed data"), which `cat a.gz b.gz` makes and `gzip -d`
/// reads; flate2 reads every member, as the command line does, as fast here (BENCHMARKS.md).
async fn read_file(file: &web_sys::File, ingest: &mut Ingest, r: &mut Reading) -> bool {
    let take = &mut |log: &mut Log, lines: &[Option<&[u8]>]| log.lines(lines);
    let reader = get(file, "stream")
        .dyn_into::<js_sys::Function>()
        .and_then(|f| f.call0(file))
        .and_then(|stream| {
            get(&stream, "getReader")
                .dyn_into::<js_sys::Function>()
                .and_then(|f| f.call0(&stream))
        });
    let reader = match reader {
        Ok(reader) => reader,
        Err(e) => {
            ingest.unopened(file.name(), reason(&e));
            return true;
        }
    };
    ingest.file(file.name());
    let (mut buffer, mut since_yield) = (Vec::new(), 0.0);
    let mut pending = js::start(&reader, "read", &[]);
    loop {
        let next = match pending {
            Ok(read) => read.await,
            Err(e) => Err(e),
        };
        let next = match next {
            Ok(next) => next,
            Err(e) => {
                ingest.end(Some(reason(&e)), take);
                return true;
            }
        };
        if READING.get() != r.generation {
            let _ = call(&reader, "cancel", &[]).await;
            return false;
        }
        if get(&next, "done").is_truthy() {
            ingest.end(None, take);
            return true;
        }
        let chunk: Uint8Array = get(&next, "value").unchecked_into();
        buffer.resize(chunk.length() as usize, 0);
        chunk.copy_to(&mut buffer);
        // The browser reads the next chunk while this one is read here (waiting for each
        // after the one before was read cost a tenth of the log's time).
        pending = js::start(&reader, "read", &[]);
        if !ingest.push(&buffer) {
            // A broken gzip stream, told by the core; the rest of the file is not read.
            let _ = call(&reader, "cancel", &[]).await;
            return true;
        }
        r.progress(buffer.len());
        // The reading's promises may resolve without the worker reading its messages: now and
        // then it waits a moment, so a cancel is heard.
        since_yield += buffer.len() as f64;
        if since_yield > YIELD_BYTES {
            since_yield = 0.0;
            let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |ok, _| {
                let _ = Reflect::apply(
                    &get(&js_sys::global(), "setTimeout").unchecked_into::<js_sys::Function>(),
                    &js_sys::global(),
                    &Array::of1(&ok),
                );
            }))
            .await;
        }
    }
}

/// A browser's error in words.
fn reason(e: &JsValue) -> String {
    get(e, "message")
        .as_string()
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "error".to_owned())
}

/// Shows the log just read (`bytes` in all), held against `folder` (none: every phone is
/// unknown).
pub fn opened(log: Log, bytes: f64, zone: String, folder: Option<&Folder>, post: Post, w: &Words) {
    READING.set(0);
    VIEW.with_borrow_mut(|v| {
        *v = View {
            log: Some(log),
            bytes,
            zone,
            ..View::default()
        };
        judge(v, folder);
        draw(v, folder, post, w);
    });
    post(show(id::LOG_PROGRESS, false));
}

/// The folder, the zone chosen or the words changed: the verdicts and the drawing follow.
pub fn again(zone: Option<String>, folder: Option<&Folder>, post: Post, w: &Words) {
    VIEW.with_borrow_mut(|v| {
        if v.log.is_none() {
            return;
        }
        if let Some(zone) = zone {
            v.zone = zone;
        }
        judge(v, folder);
        draw(v, folder, post, w);
    });
}

/// The filter of the table changed: its rows and their note follow.
pub fn filter(value: &str, post: Post, w: &Words) {
    VIEW.with_borrow_mut(|v| {
        v.filter = log_text::filter_of(value);
        let Some(log) = &v.log else { return };
        let (rows, note) = rows(v, log, w);
        super::rows_in_slices(log_text::ROWS, &rows.html);
        post(html(log_text::NOTE, &escape(&note)));
        v.drawn_rows = rows.html;
        v.drawn_note = note;
    });
}

/// Puts the phone `mac` on the time strip.
pub fn choose(mac: String, folder: Option<&Folder>, post: Post, w: &Words) {
    VIEW.with_borrow_mut(|v| {
        v.chosen = Mac::parse(&mac);
        // Live, the server draws it ([`live_strip`]).
        if v.live.is_some() {
            return;
        }
        let Some(log) = &v.log else { return };
        let strip = strip(v, log, folder, w).unwrap_or_default();
        post(html(log_text::STRIP, &strip));
        v.drawn_strip = strip;
    });
}

/// The zone of a phone with `timezone` `code` (or none), the zone chosen else.
fn zone_of(code: Option<&str>, choice: &str, at: DateTime<Utc>) -> (String, Rc<dyn Zone>) {
    let phone = phone_zone(code, choice, at);
    (phone.name.to_owned(), phone.zone)
}

fn start(log: &Log) -> DateTime<Utc> {
    log.span
        .map_or(DateTime::<Utc>::UNIX_EPOCH, |(from, _)| from)
}

/// Shows the verdicts `provpoll watch` judged as of `as_of` (the log's `span` and counts
/// `lines`, `requests`), in place of the last ones; the filter and the phone chosen stay.
pub fn live(phones: Vec<PhoneReport>, log: Log, as_of: i64, zone: String, post: Post, w: &Words) {
    VIEW.with_borrow_mut(|v| {
        let first = v.live.is_none();
        v.log = Some(log);
        v.phones = phones;
        v.live = Some(as_of);
        if first {
            v.zone = zone;
        }
        let counts = crate::core::log::counts(&v.phones);
        if first || counts != v.drawn {
            draw(v, None, post, w);
            v.drawn = counts;
        } else if let Some(log) = &v.log {
            // The status says as of when: it changes each time.
            post(html(id::LOG_STATUS, &escape(&status(v, log, w))));
            let (rows, note) = rows(v, log, w);
            // A row still to come in a slice cannot be changed in the page: then the table is
            // drawn anew.
            let changed = log_text::changed_rows(&v.drawn_rows, &rows.html)
                .filter(|_| !super::slices_to_come(log_text::ROWS));
            match changed {
                Some(changed) => {
                    for (row, cells) in changed {
                        post(html(row, cells));
                    }
                }
                None => super::rows_in_slices(log_text::ROWS, &rows.html),
            }
            v.drawn_rows = rows.html;
            if note != v.drawn_note {
                post(html(log_text::NOTE, &escape(&note)));
                v.drawn_note = note;
            }
        }
        if first {
            post(show(id::LOG_CLOSE, false));
            post(show(id::LOG_PROGRESS, false));
        }
    });
}

/// The phone on the time strip.
pub fn chosen() -> Option<Mac> {
    VIEW.with_borrow(|v| v.chosen)
}

/// Draws the chosen phone's strip from what `provpoll watch` says of it: its fetches `seen`,
/// the walk's `marks`, its schedule in words `said` and its zone.
pub fn live_strip(
    mac: Mac,
    seen: &[crate::core::log::read::Seen],
    marks: &[Mark],
    said: &str,
    zone_name: &str,
    post: Post,
    w: &Words,
) {
    VIEW.with_borrow_mut(|v| {
        let (Some(log), Some(report)) = (&v.log, v.phones.iter().find(|p| p.mac == mac)) else {
            return;
        };
        if v.chosen != Some(mac) {
            return;
        }
        let zone = crate::web::intl::zone_named(zone_name);
        let span = log
            .span
            .map_or((0, 0), |(from, to)| (from.timestamp(), to.timestamp()));
        let strip = log_text::strip(
            &StripPhone {
                report,
                seen,
                marks,
                settings: said,
                zone: zone.as_ref(),
                zone_name,
            },
            span,
            w,
        );
        // Asked again every few seconds: drawn only when it changed.
        if strip != v.drawn_strip {
            post(html(log_text::STRIP, &strip));
            v.drawn_strip = strip;
        }
    });
}

/// Whether the log shown is `provpoll watch`'s, live.
pub fn is_live() -> bool {
    VIEW.with_borrow(|v| v.live.is_some())
}

/// Holds the log against the folder.
fn judge(v: &mut View, folder: Option<&Folder>) {
    let Some(log) = &v.log else { return };
    if v.live.is_some() {
        return;
    }
    let empty;
    let folder = match folder {
        Some(f) => f,
        None => {
            empty = Folder::from_files(Vec::new());
            &empty
        }
    };
    let at = start(log);
    let choice = v.zone.clone();
    let zone =
        move |code: Option<&str>| -> Box<dyn Zone> { Box::new(zone_of(code, &choice, at).1) };
    v.phones = report(folder, log, &zone);
}

/// Draws the status, the files, and the view: the counts, the filter, the table and the strip.
fn draw(v: &mut View, folder: Option<&Folder>, post: Post, w: &Words) {
    let Some(log) = &v.log else { return };
    post(html(id::LOG_STATUS, &escape(&status(v, log, w))));
    if v.live.is_none() {
        post(html(id::LOG_FILES, &log_text::files(log, w)));
    }
    let (mut rows, note) = rows(v, log, w);
    let strip = match v.live {
        None => strip(v, log, folder, w).unwrap_or_default(),
        Some(_) => String::new(),
    };
    // The table's rows follow the rest a slice at a time: 200 rows in one go held the page
    // for about a tenth of a second beside a folder's table.
    let table = std::mem::take(&mut rows.html);
    let mut body = log_text::body(&v.phones, v.filter, &rows, &note, &strip, w);
    v.drawn_strip = strip;
    v.drawn_note = note;
    // The worker's memory, for the benchmark (BENCHMARKS.md): the phones' fetches kept.
    let memory = ::core::arch::wasm32::memory_size(0) as u64 * 65_536;
    body.push_str(&format!(r#"<p hidden data-worker-memory="{memory}"></p>"#));
    post(html(id::LOG_BODY, &body));
    super::rows_in_slices(log_text::ROWS, &table);
    v.drawn_rows = table;
    post(show(id::LOG_BODY, true));
    post(show(id::LOG_CLOSE, v.live.is_none()));
}

/// What the log is, in the zone chosen on the page (as the table's "last seen").
fn status(v: &View, log: &Log, w: &Words) -> String {
    let (_, zone) = zone_of(None, &v.zone, start(log));
    match v.live {
        Some(as_of) => log_text::live_status(log, as_of, zone.as_ref(), w),
        None => log_text::status(log, v.bytes, zone.as_ref(), w),
    }
}

/// The table's rows, and the note under them.
fn rows(v: &View, log: &Log, w: &Words) -> (log_text::Rows, String) {
    let choice = v.zone.as_str();
    // Each phone's last fetch in the zone the page shows (its own zone is on its strip).
    let (_, zone) = zone_of(None, choice, start(log));
    let seen = |t: DateTime<Utc>| w.moment(zone::local(zone.as_ref(), t), false);
    let rows = log_text::rows(&v.phones, v.filter, ROWS, &seen, w);
    let note = log_text::rows_note(&rows, choice, w);
    (rows, note)
}

/// The chosen phone's time strip, in its own zone.
fn strip(v: &View, log: &Log, folder: Option<&Folder>, w: &Words) -> Option<String> {
    let mac = v.chosen.as_ref()?;
    let report = v.phones.iter().find(|p| p.mac == *mac)?;
    let phone = folder.and_then(|f| f.phones.iter().find(|p| p.mac == *mac));
    let effective = phone.and_then(|p| p.effective.as_ref());
    let settings = effective.and_then(|e| e.settings());
    let code = effective
        .and_then(|e| e.timezone.as_ref())
        .map(|(c, _)| c.as_str());
    let (zone_name, zone) = zone_of(code, &v.zone, start(log));
    let seen = log
        .phones
        .get(mac)
        .map_or(&[][..], |p| p.fetches.as_slice());
    // Another vendor's reading: its phone's, or (Poly seen only in the log) the folder's
    // master file's.
    let logged = log.phones.get(mac);
    let reading = match (phone, folder) {
        (Some(p), Some(f)) => phone_reading(f, p, logged),
        (_, f) => report
            .vendor
            .zip(f)
            .and_then(|(vendor, f)| f.default_reader()(vendor, *mac)),
    };
    let plan = match (phone, folder, &reading) {
        (Some(p), Some(f), _) => phone_plan(f, p, logged),
        (_, _, Some(r)) => r.plan_if_known(),
        _ => None,
    };
    let mut marks = Vec::new();
    let end = log.span.map_or(DateTime::<Utc>::UNIX_EPOCH, |(_, to)| to);
    if let Some(plan) = plan.filter(|_| report.predicted) {
        walk(
            &plan,
            zone.as_ref(),
            seen,
            end,
            log_text::DRAWN,
            &mut |m: Mark| marks.push(m),
        );
    }
    let said = match (phone, &settings, &reading) {
        (_, _, Some(r)) => describe_plan(report.vendor.unwrap_or(Vendor::Snom), r, w),
        (Some(p), _, None) if !p.vendor.polling_read() => no_settings(p, w),
        (_, Some(s), None) => describe_in(s, w),
        (Some(_), None, None) => w
            .t(en!("Settings with errors (see the problems)."))
            .to_owned(),
        (None, None, None) => w
            .t(en!("none: no file of its own in the folder."))
            .to_owned(),
    };
    let span = log
        .span
        .map_or((0, 0), |(from, to)| (from.timestamp(), to.timestamp()));
    Some(log_text::strip(
        &StripPhone {
            report,
            seen,
            marks: &marks,
            settings: &said,
            zone: zone.as_ref(),
            zone_name: &zone_name,
        },
        span,
        w,
    ))
}
