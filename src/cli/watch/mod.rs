//! `provpoll watch`: the daemon beside a provisioning server. It reads the log back as far as
//! the folder's phones need ([`rotated`]), follows it ([`follow`]), keeps every phone's verdict
//! current as of the clock, and serves it read only ([`serve`]). The rules are the core's,
//! through its one way in for a log ([`Ingest`]).

pub mod follow;
pub mod phone;
pub mod rotated;
pub mod serve;

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};

use super::Io;
use super::args::WatchArgs;
use super::folder::{read_folder, read_paths};
use super::log::{BLOCK, VERSION, counts_of, log_json, read_log, take_lines, zone_of};
use crate::core::folder::Folder;
use crate::core::log::ingest::Ingest;
use crate::core::log::judged::Judged;
use crate::core::log::read::{BURST_SECONDS, Log};
use crate::core::log::report_with;
use crate::text::prometheus;
use follow::Follower;
use serve::{Access, Asks, Page, Shared, Snapshot};

const DAY: i64 = 86_400;
/// The log is read back at most this far, whatever a phone's schedule (**Choice**: a phone
/// that polls less than twice a year is not watched for).
const MAX_WINDOW: i64 = 400 * DAY;
/// How often the files are looked at for new lines.
const TICK: Duration = Duration::from_millis(250);
/// Judged at most this often while lines come, and at least this often for the clock.
const JUDGE_BUSY: Duration = Duration::from_millis(500);
const JUDGE_IDLE: Duration = Duration::from_secs(5);
/// How often the folder is read again to see whether it changed.
const FOLDER_EVERY: Duration = Duration::from_secs(10);

/// Runs the daemon until SIGTERM or SIGINT; 0 when it ended so, 2 for bad usage, 1 when it
/// could not start.
pub fn watch(args: &WatchArgs, err: &mut dyn Write) -> Io {
    let addr: SocketAddr = args.listen;
    let token = match &args.token_file {
        Some(path) => match read_token(Path::new(path)) {
            Ok(token) => Some(token),
            Err(why) => return super::usage(err, &format!("--token-file {path}: {why}")),
        },
        None => None,
    };
    if !addr.ip().is_loopback() && token.is_none() {
        return super::usage(
            err,
            &format!(
                "--listen {addr} is not a loopback address: give --token-file too, so that only who holds the token reads the phones' verdicts"
            ),
        );
    }
    let Ok(choice) = super::tz_choice(args.tz.as_deref(), err)? else {
        return Ok(2);
    };
    let page = match &args.page {
        Some(dir) => {
            if overlaps(Path::new(dir), Path::new(&args.folder)) {
                return super::usage(
                    err,
                    &format!(
                        "--page {dir} and --folder {} overlap: the page's folder is served whole, and the settings files never are",
                        args.folder
                    ),
                );
            }
            match Page::read(Path::new(dir)) {
                Ok(page) => page,
                Err(e) => {
                    writeln!(err, "provpoll: --page {dir}: {e}")?;
                    return Ok(2);
                }
            }
        }
        None => Page::default(),
    };
    let server = match tiny_http::Server::http(addr) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            writeln!(err, "provpoll: cannot listen on {addr}: {e}")?;
            return Ok(1);
        }
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    let shown = server
        .server_addr()
        .to_ip()
        .map_or_else(|| addr.to_string(), |a| a.to_string());
    writeln!(err, "provpoll: listening on http://{shown}")?;
    let shared: Shared = Arc::new(RwLock::new(Arc::new(Snapshot::default())));
    let asks: Asks = Arc::default();
    let handlers = serve::spawn(
        server.clone(),
        shared.clone(),
        asks.clone(),
        Arc::new(Access { token }),
        Arc::new(page),
        stop.clone(),
        2,
    );
    let mut daemon = Daemon::new(args, choice.map(|tz| tz.name()), err)?;
    daemon.run(&shared, &asks, &stop, err)?;
    stop.store(true, Ordering::Relaxed);
    server.unblock();
    for h in handlers {
        let _ = h.join();
    }
    writeln!(err, "provpoll: stopped")?;
    Ok(0)
}

/// The instant a question about one phone is answered as of: the clock, or the newest line.
fn as_of(log: &Log) -> DateTime<Utc> {
    let now = now();
    log.span.map_or(now, |(_, to)| to.max(now))
}

/// The clock.
fn now() -> DateTime<Utc> {
    DateTime::from(SystemTime::now())
}

/// The token in `path`: its first line, without surrounding white space.
fn read_token(path: &Path) -> Result<Vec<u8>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let token = text.lines().next().unwrap_or_default().trim();
    if token.len() < 16 {
        return Err("the token must be at least 16 characters on its first line".into());
    }
    Ok(token.as_bytes().to_vec())
}

/// Whether one of the folders is the other or lies within it.
fn overlaps(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a.starts_with(&b) || b.starts_with(&a),
        _ => false,
    }
}

/// The daemon's state: the folder, the log read so far, the files followed.
struct Daemon {
    folder_dir: String,
    folder: Folder,
    /// The folder's files as last read (a hash of their names and bytes), and when.
    folder_hash: u64,
    folder_read: Instant,
    /// What reading the folder last told (told again only when it changes).
    folder_told: Vec<u8>,
    /// How far back the log is kept, in seconds ([`window`]).
    window: i64,
    ingest: Ingest,
    /// Each phone's closed gaps, counted once.
    judged: Judged,
    followers: Vec<Follower>,
    choice: Option<&'static str>,
    threads: usize,
}

/// How far back the log must reach for `folder`'s phones: the longest any may go between two
/// fetches, plus a day.
fn window(folder: &Folder) -> i64 {
    let longest = folder
        .phones
        .iter()
        .filter_map(|p| p.plan().and_then(|plan| plan.longest_wait()))
        .max()
        .unwrap_or(0);
    i64::try_from(longest)
        .unwrap_or(MAX_WINDOW)
        .saturating_add(DAY)
        .min(MAX_WINDOW)
}

impl Daemon {
    fn new(
        args: &WatchArgs,
        choice: Option<&'static str>,
        err: &mut dyn Write,
    ) -> std::io::Result<Daemon> {
        let mut daemon = Daemon {
            folder_dir: args.folder.clone(),
            folder: read_folder(Vec::new()),
            folder_hash: 0,
            folder_read: Instant::now(),
            folder_told: Vec::new(),
            window: DAY,
            ingest: Ingest::new(BLOCK),
            judged: Judged::default(),
            followers: args
                .logs
                .iter()
                .map(|l| Follower::new(PathBuf::from(l)))
                .collect(),
            choice,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        daemon.read_folder(err)?;
        Ok(daemon)
    }

    /// Reads the folder again; true when it changed.
    fn read_folder(&mut self, err: &mut dyn Write) -> std::io::Result<bool> {
        self.folder_read = Instant::now();
        let mut told = Vec::new();
        let (files, _) = read_paths(std::slice::from_ref(&self.folder_dir), &mut told)?;
        if told != self.folder_told {
            err.write_all(&told)?;
            self.folder_told = told;
        }
        let mut hasher = std::hash::DefaultHasher::new();
        files.hash(&mut hasher);
        let hash = hasher.finish();
        if hash == self.folder_hash {
            return Ok(false);
        }
        self.folder_hash = hash;
        self.folder = read_folder(files);
        self.window = window(&self.folder);
        self.judged.clear();
        Ok(true)
    }

    /// Reads the log back, then follows it until `stop`.
    fn run(
        &mut self,
        shared: &Shared,
        asks: &Asks,
        stop: &AtomicBool,
        err: &mut dyn Write,
    ) -> std::io::Result<()> {
        let started = Instant::now();
        let since = SystemTime::now() - Duration::from_secs(self.window.unsigned_abs());
        let threads = self.threads;
        let mut take = |log: &mut Log, lines: &[Option<&[u8]>]| take_lines(log, lines, threads);
        let paths: Vec<PathBuf> = self.followers.iter().map(|f| f.path.clone()).collect();
        for path in paths {
            let older = rotated::siblings(&path, since).unwrap_or_else(|e| {
                let _ = writeln!(
                    err,
                    "provpoll: {}: cannot list its rotated files: {e}",
                    path.display()
                );
                Vec::new()
            });
            for path in older {
                if stop.load(Ordering::Relaxed) {
                    return Ok(());
                }
                let name = path.display().to_string();
                match std::fs::File::open(&path) {
                    Ok(mut file) => {
                        self.ingest.file(name.clone());
                        read_log(&mut file, &mut self.ingest, threads);
                        // A rotated file cut short (a truncated gzip) is said, and what was
                        // read of it counts.
                        if let Some(cut) = self
                            .ingest
                            .log()
                            .files
                            .last()
                            .and_then(|f| f.error.as_ref())
                        {
                            let words = crate::words::Words::english();
                            writeln!(
                                err,
                                "provpoll: {name}: {}",
                                crate::text::log::cut(cut, &words)
                            )?;
                        }
                    }
                    Err(e) => {
                        writeln!(err, "provpoll: {name}: {e}")?;
                        self.ingest.unopened(name, e.to_string());
                    }
                }
                self.publish(shared, None);
            }
        }
        // Then each file to its end, judged as of its newest line, until nothing waits.
        loop {
            let more = self.poll(&mut take, err)?;
            if !more || stop.load(Ordering::Relaxed) {
                break;
            }
            self.publish(shared, None);
        }
        let lines = counts_of(self.ingest.log(), 0).lines;
        let judged = Instant::now();
        self.publish(shared, Some(now()));
        writeln!(
            err,
            "provpoll: read {lines} lines in {:.1} s; {} phones judged in {} ms",
            judged.duration_since(started).as_secs_f64(),
            self.folder.phones.len(),
            judged.elapsed().as_millis()
        )?;
        let mut last_judged = Instant::now();
        let mut fresh = false;
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(TICK);
            self.answer(asks);
            fresh |= self.poll(&mut take, err)?;
            if self.folder_read.elapsed() >= FOLDER_EVERY && self.read_folder(err)? {
                fresh = true;
            }
            let since = last_judged.elapsed();
            if (fresh && since >= JUDGE_BUSY) || since >= JUDGE_IDLE {
                self.publish(shared, Some(now()));
                last_judged = Instant::now();
                fresh = false;
            }
        }
        Ok(())
    }

    /// Answers the page's questions about one phone each, as of the last judgement.
    fn answer(&self, asks: &Asks) {
        let asked = asks
            .lock()
            .map(|mut a| std::mem::take(&mut *a))
            .unwrap_or_default();
        if asked.is_empty() {
            return;
        }
        let log = self.ingest.log();
        let end = as_of(log);
        for (mac, reply) in asked {
            let answer = crate::core::mac::Mac::parse(&mac)
                .and_then(|mac| phone::json(&self.folder, log, mac, self.choice, end));
            let _ = reply.send(answer);
        }
    }

    /// Polls every file followed; whether bytes came (or still wait).
    fn poll(
        &mut self,
        take: crate::core::log::ingest::Take,
        err: &mut dyn Write,
    ) -> std::io::Result<bool> {
        let mut any = false;
        for follower in &mut self.followers {
            let polled = follower.poll(&mut self.ingest, take);
            if let Some(problem) = &polled.problem {
                writeln!(err, "provpoll: {}: {problem}", follower.path.display())?;
            }
            any |= polled.bytes > 0 || polled.more;
        }
        Ok(any)
    }

    /// Judges every phone as of `now` (the clock), or of the newest line while the log is
    /// being caught up with (`None`), and hands the handlers what they serve.
    fn publish(&mut self, shared: &Shared, now: Option<DateTime<Utc>>) {
        let snapshot = self.judge(now);
        if let Ok(mut s) = shared.write() {
            *s = Arc::new(snapshot);
        }
    }

    fn judge(&mut self, now: Option<DateTime<Utc>>) -> Snapshot {
        let newest = self.ingest.log().span.map(|(_, to)| to);
        let end = match (now, newest) {
            (Some(now), Some(newest)) => now.max(newest),
            (Some(t), None) | (None, Some(t)) => t,
            (None, None) => self::now(),
        };
        let rotations = self.followers.iter().map(|f| f.rotations).sum();
        let log = self.ingest.log_mut();
        log.settle(end.timestamp() - BURST_SECONDS);
        log.forget_before(end.timestamp() - self.window);
        let zone_of = zone_of(self.choice, end);
        let phones = report_with(&self.folder, log, &zone_of, end, Some(&mut self.judged));
        Snapshot::new(
            prometheus::metrics(&phones, counts_of(log, rotations), VERSION),
            log_json(log, &phones),
            end.timestamp(),
        )
    }
}
