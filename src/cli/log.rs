//! `provpoll log`: a provisioning server's access log held against a folder's prediction. The
//! rules are the core's ([`crate::core::log`]); this opens the files, hands their bytes to the
//! core's one way in ([`Ingest`]), and prints.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::args::{LogArgs, LogFormat};
use super::folder::{read_folder, read_paths};
use super::{Io, json, zones};
use crate::core::log::ingest::Ingest;
use crate::core::log::read::{self, FileLog, Log, Parsed, parse};
use crate::core::log::verdict::Verdict;
use crate::core::log::{PhoneReport, counts, report};
use crate::core::zone::{self, Zone};
use crate::text::log as log_text;
use crate::text::prometheus::{self, LogCounts};
use crate::words::Words;

/// `provpoll log LOG… --folder DIR`.
pub fn log(args: &LogArgs, stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> Io {
    let LogArgs {
        logs,
        folder: folder_dir,
        tz,
        format,
        output,
    } = args;
    if logs.iter().filter(|l| *l == "-").count() > 1 {
        return super::usage(
            err,
            "standard input (-) can be one file of the log only once",
        );
    }
    let Ok(choice) = super::tz_choice(tz.as_deref(), err)? else {
        return Ok(1);
    };
    let (files, folder_failed) = read_paths(&[folder_dir.to_owned()], err)?;
    let folder = read_folder(files);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut ingest = Ingest::new(BLOCK);
    for path in logs {
        if path == "-" {
            ingest.file(path.clone());
            read_log(stdin, &mut ingest, threads);
            continue;
        }
        match File::open(path) {
            Ok(mut file) => {
                ingest.file(path.clone());
                read_log(&mut file, &mut ingest, threads);
            }
            Err(e) => ingest.unopened(path.clone(), e.to_string()),
        }
    }
    let log = ingest.finish();
    let choice_name = choice.map(|tz| tz.name());
    let at = log
        .span
        .map_or(DateTime::<Utc>::UNIX_EPOCH, |(from, _)| from);
    let phones = report(&folder, &log, &zone_of(choice_name, at));
    tell_files(&log, err)?;
    let text = match *format {
        LogFormat::Text => text(&log, &phones),
        LogFormat::Json => log_json(&log, &phones),
        LogFormat::Prometheus => prometheus::metrics(&phones, counts_of(&log, 0), VERSION),
    };
    match output.as_deref() {
        Some(path) => {
            if let Err(e) = super::write_atomically(path, text.as_bytes(), 0o644) {
                writeln!(err, "provpoll: {path}: cannot write: {e}")?;
                return Ok(1);
            }
        }
        None => out.write_all(text.as_bytes())?,
    }
    let unread = folder_failed || log.files.iter().any(|f| f.error.is_some());
    let not_ok = phones
        .iter()
        .any(|p| p.in_folder && p.verdict != Verdict::Ok);
    Ok(i32::from(unread || not_ok))
}

/// provpoll's version, as `provpoll_build_info` gives it.
pub(super) const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The zone of a phone's `timezone` code (or of none) as of `at`: `choice` (`--tz`) where the
/// phone names none, else UTC.
pub(super) fn zone_of(
    choice: Option<&str>,
    at: DateTime<Utc>,
) -> impl Fn(Option<&str>) -> Box<dyn Zone> + '_ {
    move |code: Option<&str>| -> Box<dyn Zone> {
        let lookup = |name: &str| zones::iana(name).map(|tz| Box::new(tz) as Box<dyn Zone>);
        zone::phone_zone(code, choice, lookup, ("UTC", Box::new(Utc)), at).zone
    }
}

/// What the log's reading counted, for the metrics.
pub(super) fn counts_of(log: &Log, rotations: u64) -> LogCounts {
    LogCounts {
        lines: log.files.iter().map(|f| f.lines).sum(),
        requests: log.files.iter().map(|f| f.requests).sum(),
        rotations,
        last_request: log.span.map(|(_, to)| to.timestamp()),
    }
}

/// Names on `err` each file that could not be read to its end, and its lines skipped or out
/// of line.
fn tell_files(log: &Log, err: &mut dyn Write) -> std::io::Result<()> {
    let words = Words::english();
    for file in &log.files {
        if let Some(e) = &file.error {
            writeln!(err, "provpoll: {}: {}", file.path, log_text::cut(e, &words))?;
        }
        for line in &file.named {
            writeln!(
                err,
                "provpoll: {}:{line}: not a request that fetches (GET or HEAD), skipped",
                file.path
            )?;
        }
        let more = file.skipped - file.named.len() as u64;
        if more > 0 {
            writeln!(err, "provpoll: {}: {more} more lines skipped", file.path)?;
        }
        for o in &file.out_of_line_named {
            writeln!(
                err,
                "provpoll: {}:{}: dated {}, more than an hour before line {} ({}); counted at its own time",
                file.path,
                o.line,
                o.at.to_rfc3339(),
                o.before_line,
                o.before.to_rfc3339()
            )?;
        }
        let more = file.out_of_line - file.out_of_line_named.len() as u64;
        if more > 0 {
            writeln!(
                err,
                "provpoll: {}: {more} more requests out of line",
                file.path
            )?;
        }
    }
    Ok(())
}

/// Bytes read at once: its lines are parsed on every core, then taken in their order.
pub(super) const BLOCK: usize = 8 << 20;

/// Hands the file being read (a file, `<(…)`, standard input) to `ingest` a block at a time,
/// reading it once; its lines are parsed on `threads` cores.
pub(super) fn read_log(file: &mut dyn Read, ingest: &mut Ingest, threads: usize) {
    let mut take = |log: &mut Log, lines: &[Option<&[u8]>]| take_lines(log, lines, threads);
    let mut block = vec![0; BLOCK];
    loop {
        let (got, error) = match fill(file, &mut block) {
            Ok(n) => (n, None),
            Err((n, e)) => (n, Some(e.to_string())),
        };
        let more = ingest.push_with(&block[..got], &mut take);
        if got == 0 || error.is_some() || !more {
            return ingest.end(error, &mut take);
        }
    }
}

/// Reads until `buf` is full or the file ends; on an error, how much was read.
fn fill(reader: &mut dyn Read, buf: &mut [u8]) -> Result<usize, (usize, std::io::Error)> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err((n, e)),
        }
    }
    Ok(n)
}

/// Parses `lines` on `threads` cores, and gives them to `log` in their order.
pub(super) fn take_lines(log: &mut Log, lines: &[Option<&[u8]>], threads: usize) {
    let chunk = lines.len().div_ceil(threads.max(1)).max(1);
    let texts: Vec<Vec<Option<Cow<str>>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().map(|l| l.map(read::text)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("reading a line does not panic"))
            .collect()
    });
    let parsed: Vec<Vec<Option<Parsed>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = texts
            .iter()
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|t| t.as_deref().and_then(parse))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("parsing a line does not panic"))
            .collect()
    });
    for line in parsed.into_iter().flatten() {
        log.take(line);
    }
}

fn stamp(t: Option<DateTime<Utc>>) -> String {
    t.map_or("-".to_owned(), |t| t.to_rfc3339())
}

/// A line per phone, worst first, and the counts.
fn text(log: &Log, phones: &[PhoneReport]) -> String {
    let mut text = String::new();
    match log.span {
        Some((from, to)) => {
            let _ = writeln!(
                text,
                "The log runs from {} to {}.",
                from.to_rfc3339(),
                to.to_rfc3339()
            );
        }
        None => {
            let _ = writeln!(text, "The log holds no request.");
        }
    }
    let _ = writeln!(
        text,
        "{:<12}  {:<13}  {:>7} {:>6} {:>8} {:>4} {:>6} {:>11}  {:<25}  {:<11}  {:<10}  {:<14}  address",
        "MAC",
        "verdict",
        "fetches",
        "failed",
        "expected",
        "met",
        "missed",
        "unscheduled",
        "last seen",
        "vendor",
        "model",
        "firmware"
    );
    for p in phones {
        let t = &p.tally;
        let _ = writeln!(
            text,
            "{:<12}  {:<13}  {:>7} {:>6} {:>8} {:>4} {:>6} {:>11}  {:<25}  {:<11}  {:<10}  {:<14}  {}",
            p.mac,
            p.verdict.as_str(),
            t.fetches,
            t.failed,
            t.expected,
            t.met,
            t.missed,
            t.unscheduled,
            stamp(p.last_seen),
            p.vendor.map_or("-", |v| v.as_str()),
            p.model.as_deref().unwrap_or("-"),
            p.firmware.as_deref().unwrap_or("-"),
            p.address.as_deref().unwrap_or("-"),
        );
    }
    let counted: Vec<String> = counts(phones)
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(v, n)| format!("{n} {}", v.as_str()))
        .collect();
    let _ = writeln!(
        text,
        "\n{} phones: {}. Requests no phone could be tied to: {}.",
        phones.len(),
        if counted.is_empty() {
            "none".to_owned()
        } else {
            counted.join(", ")
        },
        log.not_attributed
    );
    text
}

#[derive(Serialize)]
struct SpanJson {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    lines: u64,
    requests: u64,
    skipped: u64,
    uploads: u64,
    out_of_line: u64,
    error: Option<String>,
}

#[derive(Serialize)]
struct PhoneJson<'a> {
    mac: &'a str,
    vendor: Option<&'static str>,
    verdict: &'static str,
    in_folder: bool,
    /// Whether its fetches were held against a schedule.
    predicted: bool,
    model: Option<&'a str>,
    firmware: Option<&'a str>,
    address: Option<&'a str>,
    fetches: u64,
    failed: u64,
    expected: u64,
    met: u64,
    missed: u64,
    unscheduled: u64,
    last_seen: Option<String>,
}

#[derive(Serialize)]
struct LogJson<'a> {
    span: SpanJson,
    files: Vec<FileJson<'a>>,
    not_attributed: u64,
    counts: serde_json::Map<String, serde_json::Value>,
    phones: Vec<PhoneJson<'a>>,
}

fn file_json(f: &FileLog) -> FileJson<'_> {
    FileJson {
        path: f.path.as_str(),
        lines: f.lines,
        requests: f.requests,
        skipped: f.skipped,
        uploads: f.uploads,
        out_of_line: f.out_of_line,
        error: f
            .error
            .as_ref()
            .map(|e| log_text::cut(e, &Words::english())),
    }
}

/// `log --format json`, as `shared/domain/access-log.md` gives it.
pub(super) fn log_json(log: &Log, phones: &[PhoneReport]) -> String {
    json(&LogJson {
        span: SpanJson {
            from: log.span.map(|(from, _)| from.to_rfc3339()),
            to: log.span.map(|(_, to)| to.to_rfc3339()),
        },
        files: log.files.iter().map(file_json).collect(),
        not_attributed: log.not_attributed,
        counts: counts(phones)
            .into_iter()
            .map(|(v, n)| (v.as_str().to_owned(), n.into()))
            .collect(),
        phones: phones
            .iter()
            .map(|p| PhoneJson {
                mac: p.mac.as_str(),
                vendor: p.vendor.map(|v| v.as_str()),
                verdict: p.verdict.as_str(),
                in_folder: p.in_folder,
                predicted: p.predicted,
                model: p.model.as_deref(),
                firmware: p.firmware.as_deref(),
                address: p.address.as_deref(),
                fetches: p.tally.fetches,
                failed: p.tally.failed,
                expected: p.tally.expected,
                met: p.tally.met,
                missed: p.tally.missed,
                unscheduled: p.tally.unscheduled,
                last_seen: p.last_seen.map(|t| t.to_rfc3339()),
            })
            .collect(),
    })
}
