//! The command line's arguments, declared with clap: its help, its usage errors (exit 2) and
//! its value errors (exit 1) come from these declarations.

use chrono::{DateTime, FixedOffset};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::core::check;
use crate::core::fleet::MAX_PHONES;
use crate::core::settings::{Key, MAX_SECONDS};

/// At most this many fetches are listed.
const MAX_COUNT: u32 = 100_000;

/// When snom phones fetch their provisioning files.
///
/// FILE is a snom XML settings file, or - for standard input. Exit status: 0 success, 1 a bad
/// input file or value, 2 bad usage.
#[derive(Debug, Parser)]
#[command(name = "provpoll", version, arg_required_else_help = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prints the next fetches, as a table with the schedule in words, or as JSON.
    ///
    /// ZONE is an IANA name (Europe/Berlin) or a snom code (GER+1); the file's own timezone
    /// setting wins, as on the phone; without either, UTC.
    Schedule {
        /// A snom XML settings file, or - for standard input.
        file: String,
        #[command(flatten)]
        when: When,
        /// How many fetches to list.
        #[arg(long, value_name = "N", default_value_t = 10,
              value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_COUNT)),
              allow_negative_numbers = true)]
        count: u32,
    },
    /// Writes the file with the given settings; every other byte stays.
    ///
    /// To standard output, or with --in-place into each FILE where it lies (atomically: a file
    /// that cannot be edited is left as it was and named on standard error).
    ///
    /// On a provisioning folder (PATH a folder, or its files), --phones or --all chooses the
    /// phones, and each setting is written where the phone's value comes from now (a shared
    /// file changes every phone that reads it: the plan says how many), or with --own-files in
    /// each phone's own file. --dry-run prints that plan; --in-place writes it.
    Set(SetArgs),
    /// Reports problems and warnings as FILE:LINE:COLUMN: message on standard error.
    Check {
        /// A snom XML settings file, or - for standard input.
        file: String,
    },
    /// Lists every phone of a provisioning folder with the settings it ends up with.
    ///
    /// PATH is a folder (read with its subfolders) or files. Phones are the MACs in file names
    /// (`<type>-<MAC>.xml`, `<MAC>.xml`); each reads its type's general file, then its own, and
    /// what a `<setting-files>` container lists, in its place (a file reached twice counts once,
    /// at its last place); the last value read wins. Then the
    /// groups of phones with the same settings, the files no phone reads, and every problem as
    /// FILE:LINE:COLUMN. Exit status 1 when a file could not be read.
    Scan {
        /// A provisioning folder, or files of one.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<String>,
        /// text: a table; json: for other tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Holds a provisioning server's access log against the folder's prediction.
    ///
    /// LOG is an access log in NCSA common or combined format (nginx, Apache, wazo-provd),
    /// plain or gzip, today's or rotated; several are one log, in any order. Each phone of the
    /// folder gets a verdict: never-seen, silent (it stopped polling), failing (its last fetch
    /// failed), missed, unscheduled (it polls when its settings do not say), ok; a phone in the
    /// log but not in the folder is unknown. Worst first, with the counts. Exit status 0 when
    /// every phone of the folder is ok, 1 when one is not or a file could not be read, so that a
    /// daily cron job mails the output when it is 1:
    ///
    ///   provpoll log /var/log/nginx/access.log* --folder /srv/tftp/snom --tz Europe/Berlin
    Log(LogArgs),
    /// Counts the requests a fleet of phones with these settings sends per bucket.
    ///
    /// Buckets start on the phone's wall clock (whole minutes for 60 s). Prints the peak, when
    /// it is, the mean and the share of phones that fetched; JSON adds every bucket. With a
    /// folder (or several files), each phone is counted by its own settings and zone, and the
    /// buckets lie on --tz's clock (UTC without it).
    Fleet(FleetArgs),
    /// Follows the log and keeps every phone's verdict current, for Prometheus and the page.
    ///
    /// At start it reads each LOG's rotated files (FILE.1, FILE.2.gz, FILE-20261206.gz) back
    /// as far as the folder's slowest phone needs, plus a day; then it follows each LOG as it
    /// grows, is rotated, truncated or made anew, and reads the folder again when it changes.
    /// Each phone is judged as of the clock: one that stops polling turns silent without a
    /// line to say so. It serves, read only: /metrics (Prometheus), /api/report (the JSON of
    /// log --format json) and, with --page, the page at /. It listens on loopback; any other
    /// address needs --token-file, and then every request needs the token (as
    /// `Authorization: Bearer TOKEN`, or as HTTP Basic's password). SIGTERM or SIGINT end it.
    ///
    ///   provpoll watch --folder /srv/tftp --log /var/log/nginx/access.log --tz Europe/Berlin
    Watch(WatchArgs),
}

/// `log`'s arguments.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Access log files (gzip recognised by its first bytes); - is standard input, one
    /// more file of the log (`journalctl -u nginx -o cat | provpoll log - …`).
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<String>,
    /// The provisioning folder whose phones the log is held against.
    #[arg(long, value_name = "DIR")]
    pub folder: String,
    /// The phones' zone where their files set none: an IANA name or a snom code (UTC
    /// without it).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// text: a line per phone, worst first; json: for other tools; prometheus: metrics
    /// for node_exporter's textfile collector.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub format: LogFormat,
    /// Write to FILE (atomically: a reader sees the old file or the new one whole)
    /// instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<String>,
}

/// `watch`'s arguments.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The provisioning folder whose phones the log is held against.
    #[arg(long, value_name = "DIR")]
    pub folder: String,
    /// An access log file to follow (several: give it again).
    #[arg(long = "log", value_name = "FILE", required = true)]
    pub logs: Vec<String>,
    /// Where to answer HTTP: loopback unless --token-file is given.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:9797")]
    pub listen: std::net::SocketAddr,
    /// A file whose first line is the token every request must carry (16 characters or
    /// more).
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<String>,
    /// The phones' zone where their files set none: an IANA name or a snom code (UTC
    /// without it).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// The page's built files (trunk build's dist/), served at /.
    #[arg(long, value_name = "DIR")]
    pub page: Option<String>,
}

/// `set`'s arguments.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// A snom XML settings file (- for standard input); with --in-place, any number; with
    /// --phones or --all, a folder or its files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Edit each FILE where it lies instead of writing to standard output.
    #[arg(long)]
    pub in_place: bool,
    /// The phones of the folder to edit, by MAC (any case, with or without separators).
    #[arg(
        long,
        value_name = "MAC,…",
        value_delimiter = ',',
        conflicts_with = "all"
    )]
    pub phones: Option<Vec<String>>,
    /// Edit every phone of the folder.
    #[arg(long)]
    pub all: bool,
    /// Write into each phone's own file, never a shared one.
    #[arg(long)]
    pub own_files: bool,
    /// Print the plan (files, settings, phones each changes) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// prov_polling_enabled: scheduled polling on or off.
    #[arg(long, value_name = "on|off", value_parser = not_blank, allow_hyphen_values = true)]
    pub enabled: Option<String>,
    /// prov_polling_mode: every period (rel), daily at --time (abs), or at random (random:
    /// between --time and --time-rand-end every day or days, or within each period under a
    /// day).
    #[arg(long, value_name = "rel|abs|random", value_parser = not_blank, allow_hyphen_values = true)]
    pub mode: Option<String>,
    /// prov_polling_period: the interval (rel) or the random period (random), in seconds.
    #[arg(long, value_name = "SECONDS", value_parser = not_blank, allow_hyphen_values = true)]
    pub period: Option<String>,
    /// prov_polling_time: the daily time (abs), or the random window's start, on the phone's
    /// clock.
    #[arg(long, value_name = "HH:MM", value_parser = not_blank, allow_hyphen_values = true)]
    pub time: Option<String>,
    /// prov_polling_time_rand_end: the random window's end, on the phone's clock. A file that
    /// holds only the misnamed prov_polling_time_rand has that element renamed (said on
    /// standard error).
    #[arg(long, value_name = "HH:MM", value_parser = not_blank, allow_hyphen_values = true,
          alias = "time-rand")]
    pub time_rand_end: Option<String>,
    /// settings_refresh_timer: the older timer, a fetch every SECONDS (0: off).
    #[arg(long, value_name = "SECONDS", value_parser = not_blank, allow_hyphen_values = true)]
    pub refresh_timer: Option<String>,
    /// The perm flag (R, RW, !, optionally with V) of each setting given, or of every
    /// polling setting in the file when none is given.
    #[arg(long, value_name = "FLAG", value_parser = perm)]
    pub perm: Option<String>,
}

/// `fleet`'s arguments.
#[derive(Debug, Args)]
pub struct FleetArgs {
    /// A snom XML settings file (- for standard input) with --phones; or a folder, or
    /// several files of one.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    #[command(flatten)]
    pub when: When,
    /// How many phones (1 to 100000) have FILE's settings; only for a single file.
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_PHONES)),
          allow_negative_numbers = true)]
    pub phones: Option<u32>,
    /// Spread the phones' T0s evenly over this many seconds (0: all at once).
    #[arg(long, value_name = "SECONDS", default_value_t = 0, value_parser = seconds(0),
          allow_negative_numbers = true)]
    pub spread: u32,
    /// Count this many seconds from --from (a week by default).
    #[arg(long, value_name = "SECONDS", default_value_t = 604_800, value_parser = seconds(1),
          allow_negative_numbers = true)]
    pub horizon: u32,
    /// Seconds per bucket.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = seconds(1),
          allow_negative_numbers = true)]
    pub bucket: u32,
    /// Count each phone's fetch when it takes the settings (its boot, as after a power
    /// cut).
    #[arg(long)]
    pub boot: bool,
}

/// When the settings take effect, in which zone, and how to print.
#[derive(Debug, Args)]
pub struct When {
    /// When the settings take effect, as an RFC 3339 instant (2026-06-10T09:00:00+02:00).
    #[arg(long, value_name = "RFC3339", value_parser = instant)]
    pub from: DateTime<FixedOffset>,
    /// The phone's zone when its file names none: an IANA name or a snom code.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// The seed of the random instants: the same seed gives the same instants.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub seed: u64,
    /// text: a table with the schedule in words; json: for other tools.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// `log`'s formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
    Prometheus,
}

fn instant(text: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(text.trim()).map_err(|e| {
        format!("an RFC 3339 instant such as 2026-06-10T09:00:00+02:00 is needed ({e})")
    })
}

fn not_blank(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        Err("a value is needed".into())
    } else {
        Ok(text.to_owned())
    }
}

fn perm(text: &str) -> Result<String, String> {
    check::parse_perm(Key::Enabled, text)
        .map(|_| text.to_owned())
        .map_err(|_| "R, RW, ! (or &, \" \", $, \"\"), optionally with V, is needed".into())
}

/// Whole seconds from `min` to the phone's limit.
fn seconds(min: u32) -> clap::builder::RangedI64ValueParser<u32> {
    clap::value_parser!(u32).range(i64::from(min)..=i64::from(MAX_SECONDS))
}
