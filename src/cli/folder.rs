//! The command line over a provisioning folder: `scan`, `fleet` over a folder's real mix, and
//! `set` for some phones of a folder. The rules are the core's ([`crate::core::folder`]); this reads
//! the files, prints and writes.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{Format, Io, LoadJson, Peak, When, json, replace, zones};
use crate::core::fleet::{self, Fleet, Member, Rules};
use crate::core::folder::{self, Content, Folder, Phone, Plan, Severity, Target};
use crate::core::plan::Plan as Schedule;
use crate::core::settings::{Draft, Key, MISNAMED_TIME_RAND_END};
use crate::core::vendor::Vendor;
use crate::core::zone::{self, Zone};
use crate::text::folder::no_settings;
use crate::text::plan::describe as describe_plan;
use crate::text::summary::{describe, duration};
use crate::words::Words;

/// A folder's file larger than this is not a settings file and is not read.
const MAX_FILE: u64 = 64 << 20;

/// A folder's files as read: each path within it (or as given) and its bytes.
type Files = Vec<(String, Vec<u8>)>;

/// Reads PATH…: a folder (all of it, below it too; paths relative to it) or files (paths as
/// given). Names that are not settings files, and hidden files and folders, are left out
/// unread. A file that cannot be read is reported; the flag says whether there was one.
///
/// In a folder only regular files are read (through a symbolic link too): a named pipe, a
/// socket or a device is named once, with what it is, and never opened (a pipe would wait
/// forever); one with a settings file's name counts as a file that could not be read. No
/// folder is read twice: the real folders first, then those reached through a link, and a link
/// to a folder already read (a loop such as `loop -> .`) is named and not followed. A file
/// named on the command line is read whatever it is (`<(…)` is a pipe).
pub(super) fn read_paths(paths: &[String], err: &mut dyn Write) -> std::io::Result<(Files, bool)> {
    let mut files = Vec::new();
    let mut failed = false;
    // Reports a file that cannot be read (or is far too large) and gives `None`.
    let read =
        |shown: &str, path: &Path, err: &mut dyn Write| -> std::io::Result<Option<Vec<u8>>> {
            let result = std::fs::File::open(path).and_then(|f| {
                let mut bytes = Vec::new();
                f.take(MAX_FILE + 1).read_to_end(&mut bytes).map(|_| bytes)
            });
            match result {
                Ok(bytes) if bytes.len() as u64 > MAX_FILE => {
                    writeln!(
                        err,
                        "provpoll: {shown} is larger than 64 MiB: not a settings file"
                    )?;
                    Ok(None)
                }
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) => {
                    writeln!(err, "provpoll: cannot read {shown}: {e}")?;
                    Ok(None)
                }
            }
        };
    for path in paths {
        let root = Path::new(path);
        if root.is_dir() {
            let mut visited = std::collections::HashSet::new();
            visited.extend(std::fs::canonicalize(root));
            // Real folders are read before any reached through a link, so a folder is read
            // under its own path when it has one.
            let mut real = vec![(root.to_path_buf(), String::new())];
            let mut linked = Vec::new();
            while let Some((dir, prefix)) = real.pop().or_else(|| linked.pop()) {
                let entries = match std::fs::read_dir(&dir) {
                    Ok(entries) => entries,
                    Err(e) => {
                        writeln!(err, "provpoll: cannot read {}: {e}", dir.display())?;
                        failed = true;
                        continue;
                    }
                };
                for entry in entries {
                    let entry = entry?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.starts_with('.') {
                        continue;
                    }
                    let shown = format!("{prefix}{name}");
                    let path = entry.path();
                    let link = entry.file_type()?.is_symlink();
                    // Through a link, what it points at; a dangling link is read, and fails.
                    let kind = std::fs::metadata(&path).map(|m| m.file_type());
                    match kind {
                        Ok(kind) if kind.is_dir() => {
                            match std::fs::canonicalize(&path).map(|t| visited.insert(t)) {
                                Ok(true) => {
                                    let next = (path, format!("{shown}/"));
                                    if link {
                                        linked.push(next)
                                    } else {
                                        real.push(next)
                                    }
                                }
                                Ok(false) => writeln!(
                                    err,
                                    "provpoll: {shown}: a link to a folder already read, not followed"
                                )?,
                                Err(e) => {
                                    writeln!(err, "provpoll: cannot read {shown}: {e}")?;
                                    failed = true;
                                }
                            }
                        }
                        Ok(kind) if !kind.is_file() => {
                            writeln!(err, "provpoll: {shown}: {}, not read", special(kind))?;
                            failed |= crate::core::folder::is_settings_name(&name);
                        }
                        _ if crate::core::folder::is_settings_name(&name) => {
                            match read(&shown, &path, err)? {
                                Some(bytes) => files.push((shown, bytes)),
                                None => failed = true,
                            }
                        }
                        _ => {}
                    }
                }
            }
        } else {
            match read(path, root, err)? {
                Some(bytes) => files.push((path.clone(), bytes)),
                None => failed = true,
            }
        }
    }
    Ok((files, failed))
}

/// What an entry that is neither a file nor a folder is.
fn special(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "not a regular file"
}

/// The folder of `files`, each read on one of the machine's cores.
pub(super) fn read_folder(files: Files) -> Folder {
    Folder::read_by(files, |files| {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut chunks: Vec<Files> = (0..threads).map(|_| Vec::new()).collect();
        for (i, file) in files.into_iter().enumerate() {
            chunks[i % threads].push(file);
        }
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .into_iter()
                            .map(|(path, bytes)| folder::read_file(path, bytes))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("reading a file does not panic"))
                .collect()
        })
    })
}

/// Whether the command line names a folder rather than one file.
pub fn names_a_folder(paths: &[String]) -> bool {
    paths.len() > 1 || paths.iter().any(|p| Path::new(p).is_dir())
}

/// The six settings as the phone reads them: name → value.
fn values(draft: &Draft) -> Map<String, Value> {
    Key::ALL
        .iter()
        .filter_map(|&k| Some((k.name().to_owned(), Value::from(draft.value(k)?))))
        .collect()
}

/// `FILE:LINE:COLUMN: severity: message` for every finding.
pub(super) fn findings_text(folder: &Folder) -> String {
    let mut text = String::new();
    for f in &folder.findings {
        let _ = writeln!(
            text,
            "{}:{}:{}: {}: {}",
            folder.files[f.file].path,
            f.line,
            f.column,
            f.severity.as_str(),
            f.concern
        );
    }
    text
}

/// Whether a file could not be read, by the phone or at all.
fn unreadable(folder: &Folder) -> bool {
    folder.findings.iter().any(|f| {
        f.severity == Severity::Error
            && (matches!(folder.files[f.file].content, Content::Broken { .. })
                || matches!(
                    f.concern,
                    crate::core::folder::Concern::Settings(ref p) if p.is_markup()
                ))
    })
}

/// `provpoll scan PATH…`.
pub fn scan(paths: &[String], format: Format, out: &mut dyn Write, err: &mut dyn Write) -> Io {
    let (files, failed) = read_paths(paths, err)?;
    let folder = read_folder(files);
    let text = match format {
        Format::Json => scan_json(&folder),
        Format::Text => scan_text(&folder),
    };
    out.write_all(text.as_bytes())?;
    Ok(i32::from(failed || unreadable(&folder)))
}

/// Where a value came from, in `scan`'s JSON.
#[derive(Serialize)]
struct FromJson {
    file: String,
    line: usize,
}

#[derive(Serialize)]
struct PhoneJson {
    mac: String,
    vendor: &'static str,
    r#type: Option<String>,
    files: Vec<String>,
    settings: Option<Map<String, Value>>,
    from: Map<String, Value>,
    zone: Option<&'static str>,
}

#[derive(Serialize)]
struct GroupJson {
    phones: Vec<String>,
    settings: Map<String, Value>,
    zone: Option<&'static str>,
    summary: Option<String>,
}

#[derive(Serialize)]
struct ProblemJson {
    file: String,
    line: usize,
    column: usize,
    severity: &'static str,
    message: String,
}

#[derive(Serialize)]
struct ScanJson {
    phones: Vec<PhoneJson>,
    groups: Vec<GroupJson>,
    unread: Vec<String>,
    problems: Vec<ProblemJson>,
}

/// `scan --format json`: README.md gives its shape.
fn scan_json(folder: &Folder) -> String {
    let path = |i: usize| folder.files[i].path.clone();
    let phones = folder
        .phones
        .iter()
        .map(|p| phone_json(folder, p))
        .collect();
    let groups = folder
        .groups
        .iter()
        .map(|g| {
            let e = folder.phones[g.phones[0]].effective.as_ref();
            GroupJson {
                phones: g
                    .phones
                    .iter()
                    .map(|&i| folder.phones[i].mac.to_string())
                    .collect(),
                settings: e.map(|e| values(&e.draft)).unwrap_or_default(),
                zone: e.and_then(|e| e.zone_name()),
                summary: e.and_then(|e| e.settings()).map(|s| describe(&s)),
            }
        })
        .collect();
    let problems = folder
        .findings
        .iter()
        .map(|f| ProblemJson {
            file: path(f.file),
            line: f.line,
            column: f.column,
            severity: f.severity.as_str(),
            message: f.concern.to_string(),
        })
        .collect();
    json(&ScanJson {
        phones,
        groups,
        unread: folder.unread.iter().map(|&i| path(i)).collect(),
        problems,
    })
}

/// One phone in `scan`'s JSON: its files, settings, where each came from, and zone. Another
/// vendor's settings go by the vendor's own names (as its file writes them).
fn phone_json(folder: &Folder, p: &Phone) -> PhoneJson {
    let path = |i: usize| folder.files[i].path.clone();
    let from = |file: usize, line: usize| {
        serde_json::to_value(FromJson {
            file: path(file),
            line,
        })
        .unwrap_or_default()
    };
    let (settings, from) = match (&p.effective, &p.reading) {
        (_, Some(r)) => (
            Some(
                r.values
                    .iter()
                    .map(|e| (e.name.clone(), Value::from(e.value.as_str())))
                    .collect(),
            ),
            r.values
                .iter()
                .map(|e| (e.name.clone(), from(e.at.file, e.at.line)))
                .collect(),
        ),
        (Some(e), None) => (
            Some(values(&e.draft)),
            Key::ALL
                .iter()
                .filter_map(|&k| {
                    let o = e.origin(k)?;
                    Some((k.name().to_owned(), from(o.file, o.line)))
                })
                .collect(),
        ),
        (None, None) => (None, Map::new()),
    };
    PhoneJson {
        mac: p.mac.to_string(),
        vendor: p.vendor.as_str(),
        r#type: p.model.clone(),
        files: p.reads.iter().map(|&i| path(i)).collect(),
        settings,
        from,
        zone: p.effective.as_ref().and_then(|e| e.zone_name()),
    }
}

/// `scan` as text: a line per phone, the groups, the files no phone reads, the problems.
fn scan_text(folder: &Folder) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{:<12}  {:<12}  {:<16}  settings (the last value read wins)",
        "MAC", "type", "zone"
    );
    for p in &folder.phones {
        let zone = p
            .effective
            .as_ref()
            .and_then(|e| e.zone_name())
            .unwrap_or("-");
        let _ = writeln!(
            text,
            "{:<12}  {:<12}  {:<16}  {}",
            p.mac,
            p.model.as_deref().unwrap_or("-"),
            zone,
            settings_text(p)
        );
    }
    let _ = writeln!(
        text,
        "\n{} phones; {} groups of phones with the same settings:",
        folder.phones.len(),
        folder.groups.len()
    );
    for (n, g) in folder.groups.iter().enumerate() {
        let e = folder.phones[g.phones[0]].effective.as_ref();
        let summary = e
            .and_then(|e| e.settings())
            .map_or("settings with errors (below)".to_owned(), |s| describe(&s));
        let zone = e.and_then(|e| e.zone_name()).unwrap_or("no timezone set");
        let _ = writeln!(
            text,
            "  {}. {} phone{} ({zone}): {summary}",
            n + 1,
            g.phones.len(),
            if g.phones.len() == 1 { "" } else { "s" }
        );
    }
    // Another vendor's phones, in no group: alike by vendor and schedule.
    let mut alike: Vec<(Vendor, String, usize)> = Vec::new();
    for p in folder.phones.iter().filter(|p| p.reading.is_some()) {
        let said = match (&p.reading, p.plan()) {
            (Some(r), Some(_)) => describe_plan(p.vendor, r, &Words::english()),
            _ => "settings with errors (below)".to_owned(),
        };
        match alike
            .iter_mut()
            .find(|(v, s, _)| *v == p.vendor && *s == said)
        {
            Some((.., n)) => *n += 1,
            None => alike.push((p.vendor, said, 1)),
        }
    }
    if !alike.is_empty() {
        let _ = writeln!(
            text,
            "\nOther vendors' phones, each by its own settings (read only):"
        );
        for (vendor, said, n) in alike {
            let _ = writeln!(
                text,
                "  {n} {} phone{}: {said}",
                vendor.name(),
                if n == 1 { "" } else { "s" }
            );
        }
    }
    if !folder.unread.is_empty() {
        let _ = writeln!(text, "\nNot read by any phone here:");
        for &i in &folder.unread {
            let _ = writeln!(text, "  {}", folder.files[i].path);
        }
    }
    if !folder.findings.is_empty() {
        let _ = writeln!(text, "\nProblems:");
        text.push_str(&findings_text(folder));
    }
    text
}

/// A phone's settings as `name=value` pairs, or why there are none.
fn settings_text(p: &Phone) -> String {
    let set: Vec<String> = match (&p.effective, &p.reading) {
        (_, Some(r)) => r
            .values
            .iter()
            .map(|e| format!("{}={}", e.name, e.value))
            .collect(),
        (Some(e), None) => Key::ALL
            .iter()
            .filter_map(|&k| Some(format!("{}={}", k.name(), e.draft.value(k)?)))
            .collect(),
        (None, None) => return no_settings(p, &Words::english()),
    };
    if set.is_empty() {
        "none set".to_owned()
    } else {
        set.join(" ")
    }
}

/// `provpoll fleet PATH…` over a folder: each phone with effective settings counted by its own
/// settings and zone (its file's code, else --tz, else UTC); buckets on --tz's clock (or UTC).
pub fn fleet(
    paths: &[String],
    when: &When,
    fleet: &Fleet,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let (files, failed) = read_paths(paths, err)?;
    let folder = read_folder(files);
    err.write_all(findings_text(&folder).as_bytes())?;
    let start = when.from.to_utc();
    let Ok(choice) = super::tz_choice(when.tz.as_deref(), err)? else {
        return Ok(1);
    };
    let (grid, grid_name): (Box<dyn Zone>, &str) = match choice {
        Some(tz) => (Box::new(tz), tz.name()),
        None => (Box::new(Utc), "UTC"),
    };
    let (parts, left_out) = fleet_parts(&folder, grid_name, start);
    if parts.is_empty() {
        writeln!(err, "provpoll: no phone here has valid settings to count")?;
        return Ok(1);
    }
    let members: Vec<Member<&dyn Zone>> = parts
        .iter()
        .map(|p| Member {
            rules: p.rules.clone(),
            zone: p.zone.as_ref(),
            phones: p.macs.len() as u32,
        })
        .collect();
    let (total, loads) = match fleet::mixed_load(&members, start, grid.as_ref(), fleet) {
        Ok(l) => l,
        Err(e) => {
            writeln!(err, "provpoll: {e}")?;
            return Ok(1);
        }
    };
    let counted = Counted {
        parts: &parts,
        left_out,
        total: &total,
        loads: &loads,
        grid: grid.as_ref(),
        grid_name,
    };
    let text = match when.format {
        Format::Json => counted.json(fleet),
        Format::Text => counted.text(fleet),
    };
    out.write_all(text.as_bytes())?;
    Ok(i32::from(failed || unreadable(&folder)))
}

/// A group of a folder's phones with valid settings, in its zone by the core's rule.
struct Part {
    macs: Vec<String>,
    summary: String,
    zone_name: String,
    zone: Box<dyn Zone>,
    rules: Rules,
}

/// The folder's groups with valid settings, each in its phones' zone (their file's code, else
/// `grid_name`, else UTC); and how many phones are left out (settings unknown or invalid).
fn fleet_parts(folder: &Folder, grid_name: &str, start: DateTime<Utc>) -> (Vec<Part>, usize) {
    let mut parts = Vec::new();
    let mut left_out = 0;
    for g in &folder.groups {
        let e = folder.phones[g.phones[0]]
            .effective
            .as_ref()
            .expect("grouped phones have settings");
        let Some(settings) = e.settings() else {
            left_out += g.phones.len();
            continue;
        };
        let lookup = |name: &str| zones::iana(name).map(|tz| Box::new(tz) as Box<dyn Zone>);
        let code = e.timezone.as_ref().map(|(c, _)| c.as_str());
        let phone = zone::phone_zone(code, Some(grid_name), lookup, ("UTC", Box::new(Utc)), start);
        parts.push(Part {
            macs: g
                .phones
                .iter()
                .map(|&i| folder.phones[i].mac.to_string())
                .collect(),
            summary: describe(&settings),
            zone_name: phone.name.to_owned(),
            zone: phone.zone,
            rules: Rules::Snom(settings),
        });
    }
    // Another vendor's phones, grouped by vendor and plan, on the clock of --tz (provpoll
    // reads no vendor's zone setting but snom's).
    let mut vendor_parts: Vec<(Vendor, Schedule, Vec<String>, String)> = Vec::new();
    for p in &folder.phones {
        let (Some(r), Some(plan)) = (&p.reading, p.plan()) else {
            continue;
        };
        match vendor_parts
            .iter_mut()
            .find(|(v, s, ..)| *v == p.vendor && *s == plan)
        {
            Some((.., macs, _)) => macs.push(p.mac.to_string()),
            None => vendor_parts.push((
                p.vendor,
                plan,
                vec![p.mac.to_string()],
                format!(
                    "{} phone: {}",
                    p.vendor.name(),
                    describe_plan(p.vendor, r, &Words::english())
                ),
            )),
        }
    }
    for (_, plan, macs, summary) in vendor_parts {
        let zone: Box<dyn Zone> = match zones::iana(grid_name) {
            Some(tz) => Box::new(tz),
            None => Box::new(Utc),
        };
        parts.push(Part {
            macs,
            summary,
            zone_name: grid_name.to_owned(),
            zone,
            rules: Rules::Plan(plan),
        });
    }
    // Phones with neither snom's settings nor a plan: unreadable, or a vendor not read.
    left_out += folder
        .phones
        .iter()
        .filter(|p| p.effective.is_none() && p.plan().is_none())
        .count();
    (parts, left_out)
}

/// A folder's fleet as counted: the total and each group's part, on `grid`'s clock.
struct Counted<'a> {
    parts: &'a [Part],
    left_out: usize,
    total: &'a fleet::Load,
    loads: &'a [fleet::Load],
    grid: &'a dyn Zone,
    grid_name: &'a str,
}

#[derive(Serialize)]
struct GroupLoadJson {
    phones: Vec<String>,
    summary: String,
    zone: String,
    fetches: u64,
    peak: Peak,
    buckets: Vec<u32>,
}

/// The folder's load (`LoadJson`), with the phones left out and each group's part.
#[derive(Serialize)]
struct FolderLoadJson<'a> {
    #[serde(flatten)]
    load: LoadJson<'a>,
    left_out: usize,
    groups: Vec<GroupLoadJson>,
}

impl Counted<'_> {
    fn stamp(&self, t: DateTime<Utc>) -> String {
        zone::local(self.grid, t).to_rfc3339()
    }

    fn json(&self, fleet: &Fleet) -> String {
        let groups = self
            .parts
            .iter()
            .zip(self.loads)
            .map(|(p, l)| GroupLoadJson {
                phones: p.macs.clone(),
                summary: p.summary.clone(),
                zone: p.zone_name.clone(),
                fetches: l.total,
                peak: Peak {
                    requests: l.peak,
                    at: self.stamp(l.peak_at),
                },
                buckets: l.counts.clone(),
            })
            .collect();
        json(&FolderLoadJson {
            load: LoadJson::of(self.total, fleet, |t| self.stamp(t)),
            left_out: self.left_out,
            groups,
        })
    }

    fn text(&self, fleet: &Fleet) -> String {
        let mut text = String::new();
        let total = self.total;
        let per = per_bucket(total.bucket);
        let when = super::taking(fleet.spread.seconds(), &self.stamp(total.from));
        let _ = writeln!(
            text,
            "{} phones, each by its own settings and zone, taking them {when}; counted over {} in buckets of {} on the clock of {}.",
            total.phones,
            duration(fleet.horizon),
            duration(total.bucket),
            self.grid_name,
        );
        if self.left_out > 0 {
            let _ = writeln!(
                text,
                "Left out: {} phone{} whose settings are unknown or invalid, or whose polling is not read (see the problems).",
                self.left_out,
                if self.left_out == 1 { "" } else { "s" }
            );
        }
        super::load_lines(&mut text, total, fleet.boot, &per, &|t| self.stamp(t));
        let _ = writeln!(text, "\nBy group:");
        for (n, (p, l)) in self.parts.iter().zip(self.loads).enumerate() {
            let _ = writeln!(
                text,
                "  {}. {} phone{} ({}): {} requests, peak {} per {per} at {}. {}",
                n + 1,
                p.macs.len(),
                if p.macs.len() == 1 { "" } else { "s" },
                p.zone_name,
                l.total,
                l.peak,
                self.stamp(l.peak_at),
                p.summary
            );
        }
        text
    }
}

/// "minute", "5 minutes": the unit of "per".
pub fn per_bucket(seconds: u32) -> String {
    let per = duration(seconds);
    match per.strip_prefix("1 ") {
        Some(unit) if !unit.contains(' ') => unit.to_owned(),
        _ => per,
    }
}

/// Which phones `set` edits in a folder.
pub enum Selection {
    All,
    Macs(Vec<String>),
}

/// `provpoll set PATH… --phones MAC,…|--all`: plans the edit, prints it with --dry-run, or
/// writes each changed file atomically with --in-place.
pub fn set(
    paths: &[String],
    change: &Draft,
    selection: &Selection,
    target: Target,
    dry_run: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let (files, failed) = read_paths(paths, err)?;
    if failed {
        writeln!(err, "provpoll: nothing was changed")?;
        return Ok(1);
    }
    let folder = read_folder(files);
    let selected: Vec<usize> = match selection {
        Selection::All => (0..folder.phones.len()).collect(),
        Selection::Macs(macs) => {
            let mut selected = Vec::new();
            for mac in macs {
                match folder.phone(mac) {
                    Some(i) => selected.push(i),
                    None => {
                        writeln!(
                            err,
                            "provpoll: no phone {mac} in this folder; nothing was changed"
                        )?;
                        return Ok(1);
                    }
                }
            }
            selected
        }
    };
    let plan = match folder.plan(change, &selected, target) {
        Ok(plan) => plan,
        Err(issues) => {
            for issue in issues {
                writeln!(err, "provpoll: {issue}; nothing was changed")?;
            }
            return Ok(1);
        }
    };
    for (p, why) in &plan.refused {
        let _ = p;
        writeln!(err, "provpoll: warning: {why}")?;
    }
    if !plan.invalid.is_empty() {
        for (p, issues) in &plan.invalid {
            for issue in issues {
                writeln!(
                    err,
                    "provpoll: phone {} would have invalid settings: {issue}",
                    folder.phones[*p].mac
                )?;
            }
        }
        writeln!(err, "provpoll: nothing was changed")?;
        return Ok(1);
    }
    write_plan(&folder, &plan, &selected, out)?;
    if dry_run {
        return Ok(i32::from(!plan.refused.is_empty()));
    }
    let mut failed = false;
    for edit in &plan.edits {
        let path = &folder.files[edit.file].path;
        let on_disk = real_path(paths, path);
        if let Err(e) = replace(&on_disk, &edit.bytes) {
            writeln!(err, "provpoll: cannot write {path}: {e}; it is unchanged")?;
            failed = true;
        }
    }
    Ok(i32::from(failed || !plan.refused.is_empty()))
}

/// Where a file of the folder lies: below the one folder given, or as given.
fn real_path(paths: &[String], shown: &str) -> std::path::PathBuf {
    match paths {
        [dir] if Path::new(dir).is_dir() => Path::new(dir).join(shown),
        _ => Path::new(shown).to_path_buf(),
    }
}

/// The plan in words: each file, what is written into it, and the phones it changes.
fn write_plan(folder: &Folder, plan: &Plan, selected: &[usize], out: &mut dyn Write) -> Io {
    let mut text = String::new();
    if plan.edits.is_empty() {
        let _ = writeln!(
            text,
            "Nothing to change: the phones already have these settings."
        );
    }
    for edit in &plan.edits {
        let written: Vec<String> = Key::ALL
            .iter()
            .filter_map(|&k| {
                let value = edit.draft.value(k);
                let perm = edit.draft.perm(k);
                (value.is_some() || perm.is_some()).then(|| match (value, perm) {
                    (Some(v), Some(p)) => format!("{}={v} (perm {p})", k.name()),
                    (Some(v), None) => format!("{}={v}", k.name()),
                    (None, Some(p)) => format!("{} perm {p}", k.name()),
                    (None, None) => unreachable!(),
                })
            })
            .collect();
        let others = edit
            .affected
            .iter()
            .filter(|p| !selected.contains(p))
            .count();
        let _ = writeln!(
            text,
            "{}: {}; changes {} phone{}{}",
            folder.files[edit.file].path,
            written.join(", "),
            edit.affected.len(),
            if edit.affected.len() == 1 { "" } else { "s" },
            if others > 0 {
                format!(", {others} of them not selected")
            } else {
                String::new()
            }
        );
        if let Content::Settings(f) = &folder.files[edit.file].content
            && let Some((line, _)) = f.renames_misnamed(&edit.draft)
        {
            let _ = writeln!(
                text,
                "  line {line}: {MISNAMED_TIME_RAND_END} renamed to {}, the name the phone reads",
                Key::TimeRandEnd
            );
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(0)
}
