//! The `provpoll` command line: `schedule`, `set`, `check`, `fleet`, `scan` and `log` over the
//! library.
//!
//! `args` declares the arguments (clap); [`run`] parses them and carries the command out
//! against the given streams, so tests and the fuzzer drive it without a process.

mod args;
mod folder;
mod log;
mod vendor_file;
mod watch;
mod zones;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use clap::Parser;
use serde::Serialize;

pub use args::{Cli, Command, FleetArgs, Format, SetArgs, When};

use crate::core::file::SettingsFile;
use crate::core::fleet::{self, Fleet, Spread};
use crate::core::folder::Target;
use crate::core::schedule::{Fetch, fetches};
use crate::core::settings::{self, Draft, Key, MISNAMED_TIME_RAND_END};
use crate::core::vendor::{self, Vendor};
use crate::core::zone::{self, Zone, ZoneOrigin};
use crate::text::summary::{describe, duration};

const MAX_FILE: u64 = 64 << 20;

/// Reads the command line `args` (the program's name first), touching nothing.
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    Cli::try_parse_from(args)
}

/// Runs the command line `args` (the program's name first); returns the exit status: 0
/// success, 1 a bad input file or value, 2 bad usage.
pub fn run<I, T>(args: I, stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match parse(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e, out, err),
    };
    let result = match cli.command {
        Command::Schedule { file, when, count } => {
            schedule(&file, &when, count as usize, stdin, out, err)
        }
        Command::Set(args) => set_command(args, stdin, out, err),
        Command::Check { file } => check(&file, stdin, out, err),
        Command::Scan { paths, format } => folder::scan(&paths, format, out, err),
        Command::Fleet(args) => fleet_command(&args, stdin, out, err),
        Command::Log(args) => log::log(&args, stdin, out, err),
        Command::Watch(args) => watch::watch(&args, err),
    };
    match result.and_then(|code| out.flush().map(|_| code)) {
        Ok(code) => code,
        // A closed pipe (provpoll … | head) is not an error of the input.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        // A full disk is: the output is incomplete.
        Err(e) => {
            let _ = writeln!(err, "provpoll: cannot write the output: {e}");
            1
        }
    }
}

/// Prints what clap says (help and version to standard output) and gives the exit status: a
/// value that is given but wrong is a bad value (1); a missing one is bad usage (2).
fn clap_error(e: &clap::Error, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let missing = matches!(
        e.get(ContextKind::InvalidValue),
        Some(ContextValue::String(v)) if v.is_empty()
    );
    let code = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
        ErrorKind::InvalidValue | ErrorKind::ValueValidation if !missing => 1,
        _ => 2,
    };
    let text = e.render().to_string();
    let _ = if code == 0 {
        out.write_all(text.as_bytes())
    } else {
        err.write_all(text.as_bytes())
    };
    code
}

/// `provpoll set`: one file to standard output, files in place, or a folder's phones.
fn set_command(a: SetArgs, stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> Io {
    let mut edits = Draft::default();
    for (key, value) in [
        (Key::Enabled, a.enabled),
        (Key::Mode, a.mode),
        (Key::Period, a.period),
        (Key::Time, a.time),
        (Key::TimeRandEnd, a.time_rand_end),
        (Key::RefreshTimer, a.refresh_timer),
    ] {
        edits.set_value(key, value);
    }
    let selection = match (a.phones, a.all) {
        (Some(macs), _) => Some(folder::Selection::Macs(macs)),
        (None, true) => Some(folder::Selection::All),
        (None, false) => None,
    };
    let (files, perm) = (a.files.as_slice(), a.perm.as_deref());
    match (a.in_place, files) {
        _ if perm.is_none() && Key::ALL.iter().all(|&k| edits.value(k).is_none()) => {
            usage(err, "set needs at least one setting to change")
        }
        _ if files.iter().any(|f| f == "-") && (selection.is_some() || a.dry_run) => usage(
            err,
            "a folder's phones are edited in files, not standard input",
        ),
        _ if selection.is_some() && !a.in_place && !a.dry_run => usage(
            err,
            "on a folder, --dry-run prints the plan and --in-place writes it",
        ),
        _ if selection.is_none() && (a.dry_run || a.own_files) => {
            usage(err, "--dry-run and --own-files need --phones or --all")
        }
        _ if selection.is_none() && files.iter().any(|f| Path::new(f).is_dir()) => {
            usage(err, "a folder needs --phones MAC,… or --all")
        }
        (_, files) if let Some(selection) = selection => {
            let change = with_perm(&edits, perm);
            let target = if a.own_files {
                Target::Own
            } else {
                Target::Source
            };
            folder::set(files, &change, &selection, target, a.dry_run, out, err)
        }
        (false, [file]) => set(file, &edits, perm, stdin, out, err),
        (false, _) => usage(err, "one FILE only; --in-place edits several"),
        (true, files) if files.iter().any(|f| f == "-") => {
            usage(err, "--in-place edits files, not standard input")
        }
        (true, files) => set_in_place(files, &edits, perm, err),
    }
}

/// `edits` with the perm flag `flag` on the settings it names, or on all six when it names none
/// (a folder's edit: a flag alone changes every polling setting).
fn with_perm(edits: &Draft, flag: Option<&str>) -> Draft {
    let mut change = edits.clone();
    if let Some(flag) = flag {
        let named: Vec<Key> = Key::ALL
            .into_iter()
            .filter(|&k| edits.value(k).is_some())
            .collect();
        let keys = if named.is_empty() {
            Key::ALL.to_vec()
        } else {
            named
        };
        for key in keys {
            change.set_perm(key, Some(flag));
        }
    }
    change
}

/// `provpoll fleet`: N phones with one file's settings, or a folder's phones.
fn fleet_command(
    a: &FleetArgs,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let one_file = !folder::names_a_folder(&a.paths);
    let fleet = Fleet {
        // A folder's phones are counted from it; 1 stands in for the check.
        phones: a.phones.unwrap_or(1),
        spread: Spread::of(a.spread),
        horizon: a.horizon,
        bucket: a.bucket,
        seed: a.when.seed,
        boot: a.boot,
    };
    match (fleet.check(), a.phones) {
        (Err(e), _) => writeln!(err, "provpoll: {e}").map(|_| 1),
        (Ok(()), Some(_)) if one_file => fleet_load(&a.paths[0], &a.when, &fleet, stdin, out, err),
        (Ok(()), None) if one_file => usage(
            err,
            "--phones N is needed for a single file (a folder counts its phones)",
        ),
        (Ok(()), Some(_)) => usage(
            err,
            "--phones is for a single file: a folder counts its own phones",
        ),
        (Ok(()), None) => folder::fleet(&a.paths, &a.when, &fleet, out, err),
    }
}

type Io = std::io::Result<i32>;

/// A usage error that clap cannot see (it depends on two arguments together).
fn usage(err: &mut dyn Write, message: &str) -> Io {
    writeln!(err, "provpoll: {message}\nTry provpoll --help.")?;
    Ok(2)
}

fn display_name(path: &str) -> &str {
    if path == "-" { "<stdin>" } else { path }
}

/// What FILE holds: snom's settings, or another vendor's whose polling provpoll reads.
enum Input {
    Snom(Vec<u8>),
    Vendor(Vendor, Vec<u8>),
}

/// Reads FILE (or standard input), telling whose it is by its content; a vendor whose polling
/// is not read is named and goes no further.
fn read_input(
    path: &str,
    stdin: &mut dyn Read,
    err: &mut dyn Write,
) -> std::io::Result<Option<Input>> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        stdin.take(MAX_FILE + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut bytes))
    };
    if let Err(e) = read {
        writeln!(err, "provpoll: cannot read {}: {e}", display_name(path))?;
        return Ok(None);
    }
    if bytes.len() as u64 > MAX_FILE {
        writeln!(
            err,
            "provpoll: {} is larger than 64 MiB: not a settings file",
            display_name(path)
        )?;
        return Ok(None);
    }
    Ok(match vendor::of_file(&bytes) {
        None | Some(Vendor::Snom) => Some(Input::Snom(bytes)),
        Some(v) if v.polling_read() => Some(Input::Vendor(v, bytes)),
        Some(v) => {
            writeln!(
                err,
                "provpoll: {} is a {} settings file: its polling settings are not read (no vendor definition of them was found)",
                display_name(path),
                v.name()
            )?;
            None
        }
    })
}

/// Reads and parses snom's FILE, reporting a failure as `FILE:LINE:COLUMN: message`, and
/// another vendor's file as such: the commands that edit take snom's only.
fn load(
    path: &str,
    stdin: &mut dyn Read,
    err: &mut dyn Write,
) -> std::io::Result<Option<SettingsFile>> {
    let bytes = match read_input(path, stdin, err)? {
        Some(Input::Snom(bytes)) => bytes,
        Some(Input::Vendor(v, _)) => {
            writeln!(
                err,
                "provpoll: {} is a {} settings file: provpoll edits snom's polling settings only (schedule and check read it)",
                display_name(path),
                v.name()
            )?;
            return Ok(None);
        }
        None => return Ok(None),
    };
    parse_snom(path, bytes, err)
}

/// Parses snom's settings file, reporting a failure as `FILE:LINE:COLUMN: message`.
fn parse_snom(
    path: &str,
    bytes: Vec<u8>,
    err: &mut dyn Write,
) -> std::io::Result<Option<SettingsFile>> {
    let file = match SettingsFile::parse(bytes) {
        Ok(file) => file,
        Err(e) => {
            writeln!(err, "{}:{e}", display_name(path))?;
            return Ok(None);
        }
    };
    // Markup a phone rejects, anywhere in the file: no command goes on with it.
    let problems = file.markup_problems();
    for p in &problems {
        writeln!(
            err,
            "{}:{}:{}: error: {}",
            display_name(path),
            p.line,
            p.column,
            p.what
        )?;
    }
    Ok(problems.is_empty().then_some(file))
}

/// Reports errors and warnings of a file; returns whether it is valid.
fn report(
    path: &str,
    file: &SettingsFile,
    err: &mut dyn Write,
) -> std::io::Result<Option<settings::Settings>> {
    let (report, errors, warnings) = file.check();
    for e in &errors {
        writeln!(
            err,
            "{}:{}:{}: error: {}",
            display_name(path),
            e.line,
            e.column,
            e.what
        )?;
    }
    for w in &warnings {
        writeln!(
            err,
            "{}:{}:{}: warning: {}",
            display_name(path),
            w.line,
            w.column,
            w.what
        )?;
    }
    Ok(report.settings)
}

/// The phone's zone, from chrono-tz.
struct Phone {
    zone: Box<dyn Zone>,
    name: String,
    /// Where the zone came from, in words.
    origin: String,
}

/// A zone named by --tz: an IANA name, or a snom code for one.
fn zone_by_name(name: &str) -> Option<chrono_tz::Tz> {
    let name = name.trim();
    zones::iana(name).or_else(|| zones::iana(zone::snom_zone(name)?.iana))
}

/// The zone --tz names, if given; `Err` (reported) when it names none.
pub(super) fn tz_choice(
    tz: Option<&str>,
    err: &mut dyn Write,
) -> std::io::Result<Result<Option<chrono_tz::Tz>, ()>> {
    let Some(name) = tz else { return Ok(Ok(None)) };
    match zone_by_name(name) {
        Some(tz) => Ok(Ok(Some(tz))),
        None => {
            writeln!(
                err,
                "provpoll: --tz must be an IANA zone such as Europe/Berlin or a snom code such as GER+1, not \"{name}\""
            )?;
            Ok(Err(()))
        }
    }
}

/// A fleet's peak in JSON.
#[derive(Serialize)]
struct Peak {
    requests: u32,
    at: String,
}

/// A fleet's load in JSON, as `fleet` writes it for a file and (with more beside it) for a
/// folder; `stamp` writes an instant on the clock the buckets lie on.
#[derive(Serialize)]
struct LoadJson<'a> {
    phones: u32,
    from: String,
    spread_seconds: u32,
    horizon_seconds: u32,
    bucket_seconds: u32,
    boot: bool,
    buckets_from: String,
    fetches: u64,
    peak: Peak,
    mean_per_bucket: f64,
    fetched_share: f64,
    buckets: &'a [u32],
}

impl<'a> LoadJson<'a> {
    fn of(
        l: &'a crate::core::fleet::Load,
        fleet: &Fleet,
        stamp: impl Fn(DateTime<Utc>) -> String,
    ) -> Self {
        LoadJson {
            phones: l.phones,
            from: stamp(l.from),
            spread_seconds: fleet.spread.seconds(),
            horizon_seconds: fleet.horizon,
            bucket_seconds: l.bucket,
            boot: fleet.boot,
            buckets_from: stamp(l.buckets_from),
            fetches: l.total,
            peak: Peak {
                requests: l.peak,
                at: stamp(l.peak_at),
            },
            mean_per_bucket: l.mean,
            fetched_share: l.fetched_share,
            buckets: &l.counts,
        }
    }
}

/// When the fleet's phones take the settings, in words: `all at …`, `spread evenly over …`.
fn taking(spread: u32, from: &str) -> String {
    if spread == 0 {
        format!("all at {from}")
    } else {
        format!("spread evenly over {} from {from}", duration(spread))
    }
}

/// The phone's zone by the core's rule ([`zone::phone_zone`]); its warnings are printed at the
/// file's `timezone` setting. `Err` when --tz names no zone.
fn phone_zone(
    path: &str,
    file: &SettingsFile,
    tz: Option<&str>,
    at: DateTime<Utc>,
    err: &mut dyn Write,
) -> std::io::Result<Result<Phone, ()>> {
    let Ok(choice) = tz_choice(tz, err)? else {
        return Ok(Err(()));
    };
    let choice = choice.map(|tz| tz.name());
    let lookup = |name: &str| zones::iana(name).map(|tz| Box::new(tz) as Box<dyn Zone>);
    let phone = zone::phone_zone(file.timezone(), choice, lookup, ("UTC", Box::new(Utc)), at);
    let (line, column) = file.timezone_position().unwrap_or((1, 1));
    for note in phone.notes.iter().filter(|n| n.is_warning()) {
        writeln!(
            err,
            "{}:{line}:{column}: warning: {note}",
            display_name(path)
        )?;
    }
    let origin = match phone.origin {
        ZoneOrigin::File { code } => format!("from the file's timezone {code}"),
        ZoneOrigin::Chosen => "from --tz".to_owned(),
        ZoneOrigin::Default => "the default: neither the file nor --tz names one".to_owned(),
    };
    Ok(Ok(Phone {
        name: phone.name.to_owned(),
        zone: phone.zone,
        origin,
    }))
}

/// Reads FILE, checks its settings and finds the phone's zone, reporting any failure; `None`
/// means exit 1.
fn settings_and_zone(
    path: &str,
    bytes: Vec<u8>,
    tz: Option<&str>,
    at: DateTime<Utc>,
    err: &mut dyn Write,
) -> std::io::Result<Option<(settings::Settings, Phone)>> {
    let Some(file) = parse_snom(path, bytes, err)? else {
        return Ok(None);
    };
    let Some(settings) = report(path, &file, err)? else {
        return Ok(None);
    };
    Ok(phone_zone(path, &file, tz, at, err)?
        .ok()
        .map(|zone| (settings, zone)))
}

fn schedule(
    path: &str,
    when: &When,
    count: usize,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let bytes = match read_input(path, stdin, err)? {
        Some(Input::Snom(bytes)) => bytes,
        Some(Input::Vendor(v, bytes)) => {
            return vendor_file::schedule(path, v, &bytes, when, count, out, err);
        }
        None => return Ok(1),
    };
    let t0 = when.from.to_utc();
    let Some((settings, phone)) = settings_and_zone(path, bytes, when.tz.as_deref(), t0, err)?
    else {
        return Ok(1);
    };
    let zone = phone.zone.as_ref();
    let list: Vec<Fetch> = fetches(&settings, t0, zone, when.seed)
        .take(count)
        .collect();
    let mut head = String::new();
    let _ = writeln!(head, "{}", describe(&settings));
    let _ = writeln!(head, "Phone time zone: {} ({}).", phone.name, phone.origin);
    let text = schedule_text(&head, &list, zone, t0, when);
    out.write_all(text.as_bytes())?;
    Ok(0)
}

/// The fetches as `schedule` prints them: JSON, or `head` and a table.
fn schedule_text(
    head: &str,
    list: &[Fetch],
    zone: &dyn Zone,
    t0: DateTime<Utc>,
    when: &When,
) -> String {
    let stamp = |t: DateTime<Utc>| zone::local(zone, t).to_rfc3339();
    let seed = when.seed;
    let mut text = String::new();
    match when.format {
        Format::Json => {
            #[derive(Serialize)]
            struct Item {
                source: &'static str,
                earliest: String,
                latest: String,
                at: String,
            }
            #[derive(Serialize)]
            struct Schedule {
                fetches: Vec<Item>,
            }
            let fetches = list
                .iter()
                .map(|f| Item {
                    source: f.source.as_str(),
                    earliest: stamp(f.earliest),
                    latest: stamp(f.latest),
                    at: stamp(f.at),
                })
                .collect();
            text = json(&Schedule { fetches });
        }
        Format::Text => {
            text.push_str(head);
            let _ = writeln!(text, "Settings take effect at {}.", stamp(t0));
            if list.is_empty() {
                let _ = writeln!(text, "No fetches.");
            } else {
                let _ = writeln!(
                    text,
                    "\n{:>5}  {:<13}  {:<25}  {:<25}  latest",
                    "#", "source", "at (sampled)", "earliest"
                );
                for (i, f) in list.iter().enumerate() {
                    let _ = writeln!(
                        text,
                        "{:>5}  {:<13}  {:<25}  {:<25}  {}",
                        i + 1,
                        f.source.as_str(),
                        stamp(f.at),
                        stamp(f.earliest),
                        stamp(f.latest)
                    );
                }
                if list.iter().any(Fetch::is_window) {
                    let _ = writeln!(
                        text,
                        "\nA random fetch can fall anywhere in its window; \"at\" is one sample (seed {seed})."
                    );
                }
            }
        }
    }
    text
}

/// `set` to standard output.
fn set(
    path: &str,
    edits: &Draft,
    perm: Option<&str>,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let Some(mut file) = load(path, stdin, err)? else {
        return Ok(1);
    };
    if !edit(path, &mut file, edits, perm, err)? {
        return Ok(1);
    }
    out.write_all(file.bytes())?;
    Ok(0)
}

/// `set --in-place`: each file edited where it lies; one that cannot be is left as it was.
fn set_in_place(files: &[String], edits: &Draft, perm: Option<&str>, err: &mut dyn Write) -> Io {
    let mut failed = false;
    for path in files {
        let Some(mut file) = load(path, &mut std::io::empty(), err)? else {
            failed = true;
            continue;
        };
        let before = file.bytes().to_vec();
        if !edit(path, &mut file, edits, perm, err)? {
            failed = true;
            continue;
        }
        if file.bytes() == before {
            continue;
        }
        if let Err(e) = replace(Path::new(path), file.bytes()) {
            writeln!(err, "provpoll: cannot write {path}: {e}; it is unchanged")?;
            failed = true;
        }
    }
    Ok(i32::from(failed))
}

/// Replaces the file at `path` (through a symbolic link, its target) with `bytes`, all at
/// once: a temporary file beside it, flushed to disk, then renamed over it, with its
/// permissions. The temporary file never outlives a failure.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let path = std::fs::canonicalize(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&path)?.permissions();
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `bytes` to `path` atomically (a new file beside it, renamed over it), readable as
/// `mode` says: node_exporter's textfile collector must never read half a file.
fn write_atomically(path: &str, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let path = Path::new(path);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Applies the edits (with `perm` on each setting given, or on every polling setting the file
/// has); reports errors as FILE:LINE:COLUMN and returns false on any.
fn edit(
    path: &str,
    file: &mut SettingsFile,
    edits: &Draft,
    perm: Option<&str>,
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    let mut draft = file.draft();
    let named: Vec<Key> = Key::ALL
        .into_iter()
        .filter(|&k| edits.value(k).is_some())
        .collect();
    for &key in &named {
        draft.set_value(key, edits.value(key));
    }
    if let Some(flag) = perm {
        let targets: Vec<Key> = if named.is_empty() {
            Key::ALL
                .into_iter()
                .filter(|&k| file.position(k).is_some())
                .collect()
        } else {
            named
        };
        for key in targets {
            draft.set_perm(key, Some(flag));
        }
    }
    let renamed = file.renames_misnamed(&draft);
    if let Err(errors) = file.apply(&draft) {
        for e in errors {
            let (line, column) = e.key.and_then(|k| file.position(k)).unwrap_or((1, 1));
            writeln!(err, "{}:{line}:{column}: error: {e}", display_name(path))?;
        }
        return Ok(false);
    }
    if let Some((line, column)) = renamed {
        writeln!(
            err,
            "{}:{line}:{column}: note: {MISNAMED_TIME_RAND_END} renamed to {}, the name the phone reads",
            display_name(path),
            Key::TimeRandEnd
        )?;
    }
    Ok(true)
}

/// `value` as JSON, with a line break.
fn json(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string(value).unwrap_or_default();
    text.push('\n');
    text
}

fn check(path: &str, stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> Io {
    let file = match read_input(path, stdin, err)? {
        Some(Input::Snom(bytes)) => parse_snom(path, bytes, err)?,
        Some(Input::Vendor(v, bytes)) => return vendor_file::check(path, v, &bytes, out, err),
        None => return Ok(1),
    };
    let Some(file) = file else {
        return Ok(1);
    };
    let Some(settings) = report(path, &file, err)? else {
        return Ok(1);
    };
    if phone_zone(path, &file, None, std::time::SystemTime::now().into(), err)?.is_err() {
        return Ok(1);
    }
    writeln!(out, "{}: {}", display_name(path), describe(&settings))?;
    Ok(0)
}

/// What was counted, the requests, the peak and the mean of a fleet's load, a line each.
fn load_lines(
    text: &mut String,
    l: &fleet::Load,
    boot: bool,
    per: &str,
    stamp: &dyn Fn(DateTime<Utc>) -> String,
) {
    let _ = writeln!(
        text,
        "{}",
        if boot {
            "Counted: each phone's fetch when it takes the settings (at boot), then its scheduled fetches."
        } else {
            "Counted: the scheduled fetches only, not the fetch that brought the settings (--boot counts it)."
        }
    );
    let _ = writeln!(
        text,
        "Requests: {} in all; {:.1} % of the phones fetched within the horizon.",
        l.total,
        l.fetched_share * 100.0
    );
    let _ = writeln!(
        text,
        "Peak: {} requests per {per}, at {}.",
        l.peak,
        stamp(l.peak_at)
    );
    let _ = writeln!(text, "Mean: {:.2} requests per {per}.", l.mean);
}

fn fleet_load(
    path: &str,
    when: &When,
    fleet: &Fleet,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let start = when.from.to_utc();
    let bytes = match read_input(path, stdin, err)? {
        Some(Input::Snom(bytes)) => bytes,
        Some(Input::Vendor(v, _)) => {
            writeln!(
                err,
                "provpoll: {} is a {} settings file: fleet of one file takes snom's settings; give it the folder",
                display_name(path),
                v.name()
            )?;
            return Ok(1);
        }
        None => return Ok(1),
    };
    let Some((settings, phone)) = settings_and_zone(path, bytes, when.tz.as_deref(), start, err)?
    else {
        return Ok(1);
    };
    let zone = phone.zone.as_ref();
    let l = match fleet::load(&settings, start, zone, fleet) {
        Ok(l) => l,
        Err(e) => {
            writeln!(err, "provpoll: {e}")?;
            return Ok(1);
        }
    };
    let stamp = |t: DateTime<Utc>| zone::local(zone, t).to_rfc3339();
    let spread = fleet.spread.seconds();
    let mut text = String::new();
    match when.format {
        Format::Json => {
            text = json(&LoadJson::of(&l, fleet, stamp));
        }
        Format::Text => {
            // "per minute", "per 5 minutes"
            let per = folder::per_bucket(l.bucket);
            let _ = writeln!(text, "{}", describe(&settings));
            let when = taking(spread, &stamp(l.from));
            let _ = writeln!(
                text,
                "{} phones taking the settings {when}; counted over {} in buckets of {}; phone time zone {} ({}).",
                l.phones,
                duration(fleet.horizon),
                duration(l.bucket),
                phone.name,
                phone.origin
            );
            load_lines(&mut text, &l, fleet.boot, &per, &stamp);
            let mut busiest: Vec<(usize, u32)> = l
                .counts
                .iter()
                .copied()
                .enumerate()
                .filter(|&(_, c)| c > 0)
                .collect();
            busiest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            if !busiest.is_empty() {
                let _ = writeln!(text, "\nBusiest buckets:");
                for (i, c) in busiest.into_iter().take(5) {
                    let _ = writeln!(text, "  {}  {c:>6}", stamp(l.bucket_at(i)));
                }
            }
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(0)
}
