//! The `provpoll` command line: `schedule`, `set` and `check` over the library.
//!
//! [`parse_args`] turns arguments into a [`Command`] without touching anything; [`run`] carries
//! it out against the given streams, so tests and the fuzzer drive both without a process.

use std::fmt::Write as _;
use std::io::{Read, Write};

use chrono::{DateTime, FixedOffset, Utc};

use crate::file::SettingsFile;
use crate::fleet::{self, Fleet, Spread};
use crate::schedule::{Fetch, fetches};
use crate::settings::{self, Draft, Key};
use crate::summary::{describe, duration};
use crate::zone::{self, Zone};

pub const USAGE: &str = "\
provpoll: when snom phones fetch their provisioning files

Usage:
  provpoll schedule FILE --from RFC3339 [--count N] [--tz ZONE] [--seed N] [--format text|json]
  provpoll set FILE [--enabled on|off] [--mode rel|abs|random] [--period SECONDS]
               [--time HH:MM] [--time-rand HH:MM] [--refresh-timer SECONDS] [--perm FLAG]
  provpoll check FILE
  provpoll fleet FILE --phones N --from RFC3339 [--spread SECONDS] [--horizon SECONDS]
               [--bucket SECONDS] [--boot] [--tz ZONE] [--seed N] [--format text|json]
  provpoll --help | --version

FILE is a snom XML settings file, or - for standard input.
schedule  prints the next fetches (default 10, at most 100000). ZONE is an IANA name
          (Europe/Berlin) or a snom code (GER+1); the file's own timezone setting wins, as on
          the phone; without either, UTC. The seed makes random instants reproducible.
set       writes the file with the given settings to standard output; every other byte stays.
          --perm sets the flag (R, RW, !, optionally with V) of each setting given, or of every
          polling setting in the file when none is given.
check     reports problems and warnings as FILE:LINE:COLUMN: message on standard error.
fleet     counts the requests N phones (1 to 100000) with these settings send per bucket
          (default 60 s) over the horizon (default 604800 s, a week) from --from: all take the
          settings at once, or spread evenly over --spread seconds. --boot counts each phone's
          fetch when it takes the settings (its boot, as after a power cut). Buckets start on
          the phone's wall clock (whole minutes for 60 s). Prints the peak, when it is, the
          mean and the share of phones that fetched; JSON adds every bucket.

Exit status: 0 success, 1 bad input file or value, 2 bad usage.
";

const MAX_COUNT: usize = 100_000;
const MAX_FILE: u64 = 64 << 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Schedule {
        file: String,
        from: DateTime<FixedOffset>,
        count: usize,
        tz: Option<String>,
        seed: u64,
        format: Format,
    },
    Set {
        file: String,
        edits: Box<Draft>,
        perm: Option<String>,
    },
    Check {
        file: String,
    },
    Fleet {
        file: String,
        from: DateTime<FixedOffset>,
        fleet: Fleet,
        tz: Option<String>,
        format: Format,
    },
    Help,
    Version,
}

/// Why a command line cannot run: wrong usage (exit 2) or a bad value (exit 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgError {
    Usage(String),
    Value(String),
}

impl ArgError {
    pub fn exit_code(&self) -> i32 {
        match self {
            ArgError::Usage(_) => 2,
            ArgError::Value(_) => 1,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            ArgError::Usage(m) | ArgError::Value(m) => m,
        }
    }
}

fn usage(message: impl Into<String>) -> ArgError {
    ArgError::Usage(message.into())
}

/// Options that are flags: present or not, with no value.
const FLAGS: &[&str] = &["boot"];

/// Parses the arguments after the program name.
pub fn parse_args(args: &[String]) -> Result<Command, ArgError> {
    let Some((command, rest)) = args.split_first() else {
        return Err(usage("a command is needed: schedule, set or check"));
    };
    let options: &[&str] = match command.as_str() {
        "-h" | "--help" | "help" => return Ok(Command::Help),
        "-V" | "--version" => return Ok(Command::Version),
        "schedule" => &["from", "count", "tz", "seed", "format"],
        "set" => &[
            "enabled",
            "mode",
            "period",
            "time",
            "time-rand",
            "refresh-timer",
            "perm",
        ],
        "check" => &[],
        "fleet" => &[
            "phones", "from", "spread", "horizon", "bucket", "tz", "seed", "format", "boot",
        ],
        other => return Err(usage(format!("unknown command \"{other}\""))),
    };

    let mut file = None;
    let mut given: Vec<(&'static str, String)> = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let arg = &rest[i];
        i += 1;
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let Some(option) = arg.strip_prefix("--") else {
            if arg.starts_with('-') && arg != "-" {
                return Err(usage(format!("unknown option \"{arg}\"")));
            }
            if file.replace(arg.clone()).is_some() {
                return Err(usage(format!("one FILE only; \"{arg}\" is a second one")));
            }
            continue;
        };
        let (name, inline) = match option.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (option, None),
        };
        let Some(&name) = options.iter().find(|&&o| o == name) else {
            return Err(usage(format!("{command} has no option \"--{name}\"")));
        };
        let value = match inline {
            // A flag takes no value.
            Some(_) if FLAGS.contains(&name) => {
                return Err(usage(format!("--{name} takes no value")));
            }
            None if FLAGS.contains(&name) => String::new(),
            Some(value) => value,
            None => {
                let value = rest
                    .get(i)
                    .ok_or_else(|| usage(format!("--{name} needs a value")))?;
                i += 1;
                value.clone()
            }
        };
        if given.iter().any(|(n, _)| *n == name) {
            return Err(usage(format!("--{name} is given twice")));
        }
        given.push((name, value));
    }
    let file =
        file.ok_or_else(|| usage(format!("{command} needs a FILE (or - for standard input)")))?;
    let get = |name: &str| {
        given
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    };

    match command.as_str() {
        "schedule" => {
            let from = parse_from(get("from"), "schedule")?;
            let count = match get("count") {
                None => 10,
                Some(text) => text
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_COUNT).contains(n))
                    .ok_or_else(|| {
                        ArgError::Value(format!(
                            "--count must be a whole number from 1 to {MAX_COUNT}, not \"{text}\""
                        ))
                    })?,
            };
            let seed = parse_seed(get("seed"))?;
            let format = parse_format(get("format"))?;
            Ok(Command::Schedule {
                file,
                from,
                count,
                tz: get("tz").map(str::to_owned),
                seed,
                format,
            })
        }
        "set" => {
            let mut edits = Draft::default();
            let keys = [
                ("enabled", Key::Enabled),
                ("mode", Key::Mode),
                ("period", Key::Period),
                ("time", Key::Time),
                ("time-rand", Key::TimeRand),
                ("refresh-timer", Key::RefreshTimer),
            ];
            for (option, key) in keys {
                if let Some(value) = get(option) {
                    if value.trim().is_empty() {
                        return Err(ArgError::Value(format!("--{option} needs a value")));
                    }
                    edits.set_value(key, Some(value));
                }
            }
            let perm = get("perm").map(str::to_owned);
            if let Some(flag) = &perm {
                settings::parse_perm(Key::Enabled, flag).map_err(|_| {
                    ArgError::Value(format!(
                        "--perm must be R, RW, ! (or &, \" \", $, \"\"), optionally with V; not \"{flag}\""
                    ))
                })?;
            }
            if perm.is_none() && Key::ALL.iter().all(|&k| edits.value(k).is_none()) {
                return Err(usage("set needs at least one setting to change"));
            }
            Ok(Command::Set {
                file,
                edits: Box::new(edits),
                perm,
            })
        }
        "fleet" => {
            let from = parse_from(get("from"), "fleet")?;
            let phones = get("phones").ok_or_else(|| usage("fleet needs --phones N"))?;
            let phones = number(phones, "--phones", 1, fleet::MAX_PHONES)?;
            let spread = match get("spread") {
                None => 0,
                Some(text) => number(text, "--spread", 0, settings::MAX_SECONDS)?,
            };
            let fleet = Fleet {
                phones,
                spread: if spread == 0 {
                    Spread::AtOnce
                } else {
                    Spread::Uniform(spread)
                },
                horizon: get("horizon").map_or(Ok(7 * 86_400), |t| {
                    number(t, "--horizon", 1, settings::MAX_SECONDS)
                })?,
                bucket: get("bucket")
                    .map_or(Ok(60), |t| number(t, "--bucket", 1, settings::MAX_SECONDS))?,
                seed: parse_seed(get("seed"))?,
                boot: get("boot").is_some(),
            };
            fleet.check().map_err(ArgError::Value)?;
            Ok(Command::Fleet {
                file,
                from,
                fleet,
                tz: get("tz").map(str::to_owned),
                format: parse_format(get("format"))?,
            })
        }
        _ => Ok(Command::Check { file }),
    }
}

fn parse_from(text: Option<&str>, command: &str) -> Result<DateTime<FixedOffset>, ArgError> {
    let text = text.ok_or_else(|| usage(format!("{command} needs --from RFC3339")))?;
    DateTime::parse_from_rfc3339(text.trim()).map_err(|e| {
        ArgError::Value(format!(
            "--from must be an RFC 3339 instant such as 2026-06-10T09:00:00+02:00, not \"{text}\" ({e})"
        ))
    })
}

fn parse_seed(text: Option<&str>) -> Result<u64, ArgError> {
    text.map_or(Ok(0), |text| {
        text.trim().parse::<u64>().map_err(|_| {
            ArgError::Value(format!(
                "--seed must be a whole number from 0 to {}, not \"{text}\"",
                u64::MAX
            ))
        })
    })
}

fn parse_format(text: Option<&str>) -> Result<Format, ArgError> {
    match text {
        None | Some("text") => Ok(Format::Text),
        Some("json") => Ok(Format::Json),
        Some(other) => Err(ArgError::Value(format!(
            "--format must be text or json, not \"{other}\""
        ))),
    }
}

fn number(text: &str, option: &str, min: u32, max: u32) -> Result<u32, ArgError> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            ArgError::Value(format!(
                "{option} must be a whole number from {min} to {max}, not \"{text}\""
            ))
        })
}

/// Runs the command line `args` (without the program name); returns the exit status.
pub fn run(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let command = match parse_args(args) {
        Ok(command) => command,
        Err(e) => {
            let _ = writeln!(err, "provpoll: {}", e.message());
            if e.exit_code() == 2 {
                let _ = writeln!(err, "Try provpoll --help.");
            }
            return e.exit_code();
        }
    };
    let result = match command {
        Command::Help => write!(out, "{USAGE}").map(|_| 0),
        Command::Version => writeln!(out, "provpoll {}", env!("CARGO_PKG_VERSION")).map(|_| 0),
        Command::Schedule {
            file,
            from,
            count,
            tz,
            seed,
            format,
        } => schedule(
            &file,
            from,
            count,
            tz.as_deref(),
            seed,
            format,
            stdin,
            out,
            err,
        ),
        Command::Set { file, edits, perm } => set(&file, *edits, perm, stdin, out, err),
        Command::Check { file } => check(&file, stdin, out, err),
        Command::Fleet {
            file,
            from,
            fleet,
            tz,
            format,
        } => fleet_load(&file, from, &fleet, tz.as_deref(), format, stdin, out, err),
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

type Io = std::io::Result<i32>;

fn display_name(path: &str) -> &str {
    if path == "-" { "<stdin>" } else { path }
}

/// Reads and parses FILE, reporting a failure as `FILE:LINE:COLUMN: message`.
fn load(
    path: &str,
    stdin: &mut dyn Read,
    err: &mut dyn Write,
) -> std::io::Result<Option<SettingsFile>> {
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
    match SettingsFile::parse(bytes) {
        Ok(file) => Ok(Some(file)),
        Err(e) => {
            writeln!(err, "{}:{e}", display_name(path))?;
            Ok(None)
        }
    }
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
            e.issue
        )?;
    }
    for w in &warnings {
        writeln!(
            err,
            "{}:{}:{}: warning: {}",
            display_name(path),
            w.line,
            w.column,
            w.issue
        )?;
    }
    Ok(report.settings)
}

/// The zone the phone keeps time in, and a sentence saying where it came from.
struct PhoneZone {
    zone: Box<dyn Zone>,
    name: String,
    origin: String,
}

fn zone_by_name(name: &str) -> Option<(Box<dyn Zone>, String)> {
    let name = name.trim();
    if let Some(tz) = zone::iana(name) {
        return Some((Box::new(tz), tz.name().to_owned()));
    }
    let code = zone::snom_zone(name)?;
    let tz = zone::iana(code.iana)?;
    Some((Box::new(tz), tz.name().to_owned()))
}

fn phone_zone(
    path: &str,
    file: &SettingsFile,
    tz: Option<&str>,
    at: DateTime<Utc>,
    err: &mut dyn Write,
) -> std::io::Result<Result<PhoneZone, ()>> {
    let chosen = match tz {
        Some(name) => match zone_by_name(name) {
            Some(found) => Some(found),
            None => {
                writeln!(
                    err,
                    "provpoll: --tz must be an IANA zone such as Europe/Berlin or a snom code such as GER+1, not \"{name}\""
                )?;
                return Ok(Err(()));
            }
        },
        None => None,
    };
    if let Some(code) = file.timezone().map(str::trim).filter(|c| !c.is_empty()) {
        match zone::snom_zone(code).and_then(|z| Some((z, zone::iana(z.iana)?))) {
            Some((snom, tz)) => {
                let mut origin = format!("from the file's timezone {code}");
                let standard = zone::standard_offset(&tz, at);
                if standard != snom.offset {
                    writeln!(
                        err,
                        "{}: warning: the timezone code {code} stands for UTC{}, but {} is now UTC{}: the phone's clock may differ from local time; the schedule uses {}",
                        display_name(path),
                        zone::offset_text(snom.offset),
                        tz.name(),
                        zone::offset_text(standard),
                        tz.name()
                    )?;
                    origin.push_str(", whose offset has changed since");
                }
                if let Some((_, name)) = &chosen
                    && name != tz.name()
                {
                    writeln!(
                        err,
                        "{}: warning: the file's timezone {code} ({}) overrides --tz {name}, as it does on the phone",
                        display_name(path),
                        tz.name()
                    )?;
                }
                return Ok(Ok(PhoneZone {
                    zone: Box::new(tz),
                    name: tz.name().to_owned(),
                    origin,
                }));
            }
            None => writeln!(
                err,
                "{}: warning: the timezone code \"{code}\" has no known IANA zone; using {}",
                display_name(path),
                chosen.as_ref().map_or("UTC", |(_, n)| n.as_str())
            )?,
        }
    }
    Ok(Ok(match chosen {
        Some((zone, name)) => PhoneZone {
            zone,
            name,
            origin: "from --tz".into(),
        },
        None => PhoneZone {
            zone: Box::new(Utc),
            name: "UTC".into(),
            origin: "the default: neither the file nor --tz names one".into(),
        },
    }))
}

/// Reads FILE, checks its settings and finds the phone's zone, reporting any failure; `None`
/// means exit 1.
fn settings_and_zone(
    path: &str,
    tz: Option<&str>,
    at: DateTime<Utc>,
    stdin: &mut dyn Read,
    err: &mut dyn Write,
) -> std::io::Result<Option<(settings::Settings, PhoneZone)>> {
    let Some(file) = load(path, stdin, err)? else {
        return Ok(None);
    };
    let Some(settings) = report(path, &file, err)? else {
        return Ok(None);
    };
    Ok(phone_zone(path, &file, tz, at, err)?
        .ok()
        .map(|zone| (settings, zone)))
}

#[allow(clippy::too_many_arguments)]
fn schedule(
    path: &str,
    from: DateTime<FixedOffset>,
    count: usize,
    tz: Option<&str>,
    seed: u64,
    format: Format,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let t0 = from.to_utc();
    let Some((settings, phone)) = settings_and_zone(path, tz, t0, stdin, err)? else {
        return Ok(1);
    };
    let zone = phone.zone.as_ref();
    let list: Vec<Fetch> = fetches(&settings, t0, zone, seed).take(count).collect();
    let stamp = |t: DateTime<Utc>| zone::local(zone, t).to_rfc3339();
    let mut text = String::new();
    match format {
        Format::Json => {
            text.push_str("{\"fetches\":[");
            for (i, f) in list.iter().enumerate() {
                let comma = if i == 0 { "" } else { "," };
                let _ = write!(
                    text,
                    "{comma}{{\"source\":\"{}\",\"earliest\":\"{}\",\"latest\":\"{}\",\"at\":\"{}\"}}",
                    f.source.as_str(),
                    stamp(f.earliest),
                    stamp(f.latest),
                    stamp(f.at)
                );
            }
            text.push_str("]}\n");
        }
        Format::Text => {
            let _ = writeln!(text, "{}", describe(&settings));
            let _ = writeln!(text, "Phone time zone: {} ({}).", phone.name, phone.origin);
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
    out.write_all(text.as_bytes())?;
    Ok(0)
}

fn set(
    path: &str,
    edits: Draft,
    perm: Option<String>,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let Some(mut file) = load(path, stdin, err)? else {
        return Ok(1);
    };
    let mut draft = file.draft();
    let named: Vec<Key> = Key::ALL
        .into_iter()
        .filter(|&k| edits.value(k).is_some())
        .collect();
    for &key in &named {
        draft.set_value(key, edits.value(key));
    }
    if let Some(flag) = &perm {
        let targets: Vec<Key> = if named.is_empty() {
            Key::ALL
                .into_iter()
                .filter(|&k| file.position(k).is_some())
                .collect()
        } else {
            named
        };
        for key in targets {
            draft.set_perm(key, Some(flag.as_str()));
        }
    }
    if let Err(errors) = file.apply(&draft) {
        for e in errors {
            let (line, column) = e.key.and_then(|k| file.position(k)).unwrap_or((1, 1));
            writeln!(err, "{}:{line}:{column}: error: {e}", display_name(path))?;
        }
        return Ok(1);
    }
    out.write_all(file.bytes())?;
    Ok(0)
}

fn check(path: &str, stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> Io {
    let Some(file) = load(path, stdin, err)? else {
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

#[allow(clippy::too_many_arguments)]
fn fleet_load(
    path: &str,
    from: DateTime<FixedOffset>,
    fleet: &Fleet,
    tz: Option<&str>,
    format: Format,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Io {
    let start = from.to_utc();
    let Some((settings, phone)) = settings_and_zone(path, tz, start, stdin, err)? else {
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
    let spread = match fleet.spread {
        Spread::AtOnce => 0,
        Spread::Uniform(s) => s,
    };
    let mut text = String::new();
    match format {
        Format::Json => {
            let _ = write!(
                text,
                "{{\"phones\":{},\"from\":\"{}\",\"spread_seconds\":{spread},\"horizon_seconds\":{},\"bucket_seconds\":{},\"boot\":{},\"buckets_from\":\"{}\",\"fetches\":{},\"peak\":{{\"requests\":{},\"at\":\"{}\"}},\"mean_per_bucket\":{},\"fetched_share\":{},\"buckets\":[",
                l.phones,
                stamp(l.from),
                fleet.horizon,
                l.bucket,
                fleet.boot,
                stamp(l.buckets_from),
                l.total,
                l.peak,
                stamp(l.peak_at),
                l.mean,
                l.fetched_share
            );
            for (i, c) in l.counts.iter().enumerate() {
                let _ = write!(text, "{}{c}", if i == 0 { "" } else { "," });
            }
            text.push_str("]}\n");
        }
        Format::Text => {
            let per = duration(l.bucket);
            // "per minute", "per 5 minutes"
            let per = match per.strip_prefix("1 ") {
                Some(unit) if !unit.contains(' ') => unit.to_owned(),
                _ => per,
            };
            let _ = writeln!(text, "{}", describe(&settings));
            let when = if spread == 0 {
                format!("all at {}", stamp(l.from))
            } else {
                format!(
                    "spread evenly over {} from {}",
                    duration(spread),
                    stamp(l.from)
                )
            };
            let _ = writeln!(
                text,
                "{} phones taking the settings {when}; counted over {} in buckets of {}; phone time zone {} ({}).",
                l.phones,
                duration(fleet.horizon),
                duration(l.bucket),
                phone.name,
                phone.origin
            );
            let _ = writeln!(
                text,
                "{}",
                if fleet.boot {
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
