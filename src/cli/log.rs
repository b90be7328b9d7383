//! `provpoll log`: a provisioning server's access log held against a folder's prediction. The
//! rules are the core's ([`crate::core::log`]); this reads the files (gzip by their first
//! bytes), a line at a time, and prints.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};

use chrono::{DateTime, Utc};
use flate2::read::MultiGzDecoder;
use serde::Serialize;

use super::folder::{read_folder, read_paths};
use super::{Format, Io, json, zones};
use crate::core::log::read::{FileLog, Log};
use crate::core::log::verdict::Verdict;
use crate::core::log::{PhoneReport, counts, report};
use crate::core::zone::{self, Zone};

/// A line longer than this is not a request: it is counted, and the rest of it skipped.
const MAX_LINE: usize = 64 << 10;

/// `provpoll log LOG… --folder DIR`.
pub fn log(
    logs: &[String],
    folder_dir: &str,
    tz: Option<&str>,
    format: Format,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let Ok(choice) = super::tz_choice(tz, err)? else {
        return Ok(1);
    };
    let (files, folder_failed) = read_paths(&[folder_dir.to_owned()], err)?;
    let folder = read_folder(files);
    let mut log = Log::default();
    for path in logs {
        log.file(path.clone());
        if let Err(e) = read_log(path, &mut log) {
            log.fail(e);
        }
    }
    log.finish();
    let choice_name = choice.map(|tz| tz.name());
    let at = log
        .span
        .map_or(DateTime::<Utc>::UNIX_EPOCH, |(from, _)| from);
    let zone_of = |code: Option<&str>| -> Box<dyn Zone> {
        let lookup = |name: &str| zones::iana(name).map(|tz| Box::new(tz) as Box<dyn Zone>);
        zone::phone_zone(code, choice_name, lookup, ("UTC", Box::new(Utc)), at).zone
    };
    let phones = report(&folder, &log, &zone_of);
    for file in &log.files {
        if let Some(e) = &file.error {
            writeln!(err, "provpoll: {}: {e}", file.path)?;
        }
        for line in &file.named {
            writeln!(err, "provpoll: {}:{line}: not a request", file.path)?;
        }
    }
    let text = match format {
        Format::Text => text(&log, &phones),
        Format::Json => log_json(&log, &phones),
    };
    out.write_all(text.as_bytes())?;
    let unread = folder_failed || log.files.iter().any(|f| f.error.is_some());
    let not_ok = phones
        .iter()
        .any(|p| p.in_folder && p.verdict != Verdict::Ok);
    Ok(i32::from(unread || not_ok))
}

/// Reads a log file a line at a time into `log`; gzip by its magic bytes. A file cut short
/// keeps what was read, and says after how many lines.
fn read_log(path: &str, log: &mut Log) -> Result<(), String> {
    let mut file = File::open(path).map_err(|e| e.to_string())?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(|e| e.to_string())?;
    let file = File::open(path).map_err(|e| e.to_string())?;
    let reader: Box<dyn Read> = if n == 2 && magic == [0x1f, 0x8b] {
        Box::new(MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let gzip = n == 2 && magic == [0x1f, 0x8b];
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line);
        match read {
            Ok(0) => return Ok(()),
            Ok(_) => {
                if line.len() >= MAX_LINE && line.last() != Some(&b'\n') {
                    // The rest of a line far too long for a request.
                    skip_line(&mut reader).map_err(|e| e.to_string())?;
                    log.line("");
                    continue;
                }
                log.line(String::from_utf8_lossy(&line).trim_end_matches(['\n', '\r']));
            }
            Err(e) => {
                let lines = log.files.last().map_or(0, |f| f.lines);
                return Err(if gzip {
                    format!("the file ends inside its gzip stream after {lines} lines ({e})")
                } else {
                    format!("cannot be read after {lines} lines: {e}")
                });
            }
        }
    }
}

/// Reads past the end of the line under way.
fn skip_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|&b| b == b'\n') {
            reader.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        reader.consume(n);
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
        "{:<12}  {:<11}  {:>7} {:>6} {:>8} {:>4} {:>6} {:>11}  {:<25}  {:<10}  {:<14}  address",
        "MAC",
        "verdict",
        "fetches",
        "failed",
        "expected",
        "met",
        "missed",
        "unscheduled",
        "last seen",
        "model",
        "firmware"
    );
    for p in phones {
        let t = &p.tally;
        let _ = writeln!(
            text,
            "{:<12}  {:<11}  {:>7} {:>6} {:>8} {:>4} {:>6} {:>11}  {:<25}  {:<10}  {:<14}  {}",
            p.mac,
            p.verdict.as_str(),
            t.fetches,
            t.failed,
            t.expected,
            t.met,
            t.missed,
            t.unscheduled,
            stamp(p.last_seen),
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
    error: Option<&'a str>,
}

#[derive(Serialize)]
struct PhoneJson<'a> {
    mac: &'a str,
    verdict: &'static str,
    in_folder: bool,
    model: Option<&'a str>,
    firmware: Option<&'a str>,
    address: Option<&'a str>,
    fetches: u32,
    failed: u32,
    expected: u32,
    met: u32,
    missed: u32,
    unscheduled: u32,
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
        error: f.error.as_deref(),
    }
}

/// `log --format json`, as `shared/domain/access-log.md` gives it.
fn log_json(log: &Log, phones: &[PhoneReport]) -> String {
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
                mac: &p.mac,
                verdict: p.verdict.as_str(),
                in_folder: p.in_folder,
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
