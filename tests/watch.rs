//! `provpoll watch` as a server runs it: each rotation of the log (by rename, copytruncate,
//! deletion and re-creation, a file not there yet), a restart over rotated files, the clock
//! judging a phone that stopped, the token, the secrets, and its metrics checked and scraped
//! by Debian's `promtool` and `prometheus`.

#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

const MAC: &str = "000413A1B2C3";
const PASSWORD: &str = "TopSecretSip1";
const TOKEN: &str = "correct-horse-battery-staple";

/// A snom phone polling every 600 s, with a SIP password beside its polling.
fn folder(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join(format!("snomD785-{MAC}.xml")),
        format!(
            "<settings><phone-settings>\n<prov_polling_enabled perm=\"R\">on</prov_polling_enabled>\n<prov_polling_mode perm=\"R\">rel</prov_polling_mode>\n<prov_polling_period perm=\"R\">600</prov_polling_period>\n<user_pass idx=\"1\" perm=\"R\">{PASSWORD}</user_pass>\n<http_pass perm=\"R\">{PASSWORD}</http_pass>\n</phone-settings></settings>\n"
        ),
    )
    .unwrap();
}

/// The phone's request `ago` seconds before now, as nginx writes it.
fn line(ago: u64) -> String {
    let at = SystemTime::now() - Duration::from_secs(ago);
    let at = chrono::DateTime::<chrono::Utc>::from(at);
    format!(
        "10.0.0.5 - - [{}] \"GET /snomD785-{MAC}.xml HTTP/1.1\" 200 512 \"-\" \"Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16)\"\n",
        at.format("%d/%b/%Y:%H:%M:%S %z")
    )
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// A daemon on a free loopback port; ended (SIGTERM) when dropped.
struct Daemon {
    child: Child,
    addr: String,
    err: Arc<Mutex<String>>,
}

impl Daemon {
    fn start(args: &[&str]) -> Daemon {
        let mut child = Command::new(env!("CARGO_BIN_EXE_provpoll"))
            .arg("watch")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let err = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let kept = err.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = line.strip_prefix("provpoll: listening on http://") {
                    let _ = tx.send(addr.to_owned());
                }
                kept.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no address: {}", err.lock().unwrap()));
        Daemon { child, addr, err }
    }

    fn get(&self, path: &str, authorization: Option<&str>) -> (u16, String, String) {
        get(&self.addr, path, authorization)
    }

    /// The metrics once `ready` holds of them (within 15 s).
    fn metrics_when(&self, ready: impl Fn(&str) -> bool) -> String {
        self.metrics_with(None, ready)
    }

    fn metrics_with(&self, authorization: Option<&str>, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (_, _, body) = self.get("/metrics", authorization);
            if ready(&body) {
                return body;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "not reached; metrics:\n{body}\nstderr:\n{}",
                self.err.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn stderr(&self) -> String {
        self.err.lock().unwrap().clone()
    }

    /// Ends it with SIGTERM; its exit status.
    fn stop(&mut self) -> Option<i32> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        None
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.0 GET: status, headers and body.
fn get(addr: &str, path: &str, authorization: Option<&str>) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let auth = authorization.map_or(String::new(), |a| format!("Authorization: {a}\r\n"));
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n{auth}\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

/// A metric's value (the first sample whose line starts with `name`).
fn value(metrics: &str, name: &str) -> Option<f64> {
    metrics
        .lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with([' ', '{']))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

fn counted(lines: u64, requests: u64, rotations: u64) -> impl Fn(&str) -> bool {
    move |m| {
        value(m, "provpoll_log_lines_total") == Some(lines as f64)
            && value(m, "provpoll_log_requests_total") == Some(requests as f64)
            && value(m, "provpoll_log_rotations_total") == Some(rotations as f64)
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    folder: PathBuf,
    log: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("tftp");
    self::folder(&folder);
    let logs = dir.path().join("log");
    std::fs::create_dir_all(&logs).unwrap();
    Setup {
        log: logs.join("access.log"),
        folder,
        _dir: dir,
    }
}

fn start(s: &Setup, more: &[&str]) -> Daemon {
    let mut args = vec![
        "--folder",
        s.folder.to_str().unwrap(),
        "--log",
        s.log.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ];
    args.extend_from_slice(more);
    Daemon::start(&args)
}

#[test]
fn rotation_by_rename_reads_the_old_file_to_its_end_then_the_new_one() {
    let s = setup();
    append(&s.log, &(line(1800) + &line(1200) + &line(600)));
    let d = start(&s, &[]);
    d.metrics_when(counted(3, 3, 0));
    // A line in two writes: never cut, never read twice.
    let half = line(5);
    append(&s.log, &half[..20]);
    std::thread::sleep(Duration::from_millis(600));
    append(&s.log, &half[20..]);
    // logrotate renames; the server writes on into the old file until it reopens its log.
    let rotated = s.log.with_extension("log.1");
    std::fs::rename(&s.log, &rotated).unwrap();
    append(&rotated, &line(4));
    std::thread::sleep(Duration::from_millis(600));
    append(&s.log, &(line(3) + &line(2)));
    std::thread::sleep(Duration::from_millis(600));
    append(&rotated, &line(3));
    let m = d.metrics_when(counted(8, 8, 1));
    assert!(m.contains(&format!("provpoll_phone_verdict{{mac=\"{MAC}\",vendor=\"snom\",model=\"D785\",verdict=\"ok\"}} 1")), "{m}");
}

#[test]
fn copytruncate_starts_again_at_the_start() {
    let s = setup();
    append(&s.log, &(line(1800) + &line(1200) + &line(600)));
    let d = start(&s, &[]);
    d.metrics_when(counted(3, 3, 0));
    std::fs::copy(&s.log, s.log.with_extension("log.1")).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&s.log)
        .unwrap()
        .set_len(0)
        .unwrap();
    std::thread::sleep(Duration::from_millis(600));
    append(&s.log, &(line(2) + &line(1)));
    d.metrics_when(counted(5, 5, 1));
}

#[test]
fn a_file_not_there_yet_is_waited_for_and_one_deleted_and_made_anew_is_read_anew() {
    let s = setup();
    let d = start(&s, &[]);
    d.metrics_when(counted(0, 0, 0));
    assert!(
        d.stderr().contains("waiting for it to exist"),
        "{}",
        d.stderr()
    );
    append(&s.log, &(line(1200) + &line(600)));
    d.metrics_when(counted(2, 2, 0));
    std::fs::remove_file(&s.log).unwrap();
    std::thread::sleep(Duration::from_millis(800));
    append(&s.log, &(line(3) + &line(2) + &line(1)));
    d.metrics_when(counted(5, 5, 1));
}

fn gzip(text: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap()
}

fn dated(path: &Path, bytes: &[u8], ago: u64) {
    std::fs::write(path, bytes).unwrap();
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(ago))
        .unwrap();
}

#[test]
fn a_restart_reads_the_rotated_files_back_as_far_as_the_slowest_phone_needs() {
    let s = setup();
    // The phone polls every 600 s: the daemon reads back 600 s and a day. access.log.3.gz is
    // two days old: unread.
    dated(
        &s.log.with_extension("log.3.gz"),
        &gzip(&line(2 * 86_400)),
        2 * 86_400,
    );
    dated(
        &s.log.with_extension("log.2.gz"),
        &gzip(&(line(2400) + &line(1800))),
        1800,
    );
    dated(&s.log.with_extension("log.1"), line(1200).as_bytes(), 1200);
    append(&s.log, &line(600));
    let mut d = start(&s, &[]);
    let m = d.metrics_when(counted(4, 4, 0));
    assert!(m.contains("provpoll_phones{verdict=\"ok\"} 1"), "{m}");
    assert!(
        m.contains("provpoll_phones{verdict=\"never-seen\"} 0"),
        "{m}"
    );
    let (_, _, report) = d.get("/api/report", None);
    let files: Vec<&str> = ["log.2.gz", "log.1", "access.log\""]
        .into_iter()
        .filter(|f| report.contains(f))
        .collect();
    assert_eq!(files.len(), 3, "{report}");
    assert!(!report.contains("log.3.gz"), "{report}");
    assert_eq!(d.stop(), Some(0));
    assert!(d.stderr().contains("provpoll: stopped"), "{}", d.stderr());
}

#[test]
fn a_rotated_gzip_cut_short_is_said_and_what_it_holds_counts() {
    let s = setup();
    let text: String = (0..2000).map(|i| line(7200 - i)).collect();
    let zipped = gzip(&text);
    dated(
        &s.log.with_extension("log.2.gz"),
        &zipped[..zipped.len() * 2 / 3],
        1800,
    );
    append(&s.log, &line(600));
    let d = start(&s, &[]);
    let m = d.metrics_when(|m| value(m, "provpoll_log_lines_total").is_some_and(|n| n > 1.0));
    let lines = value(&m, "provpoll_log_lines_total").unwrap();
    assert!(lines > 100.0 && lines < 2001.0, "{m}");
    assert!(
        d.stderr().contains("access.log.2.gz: "),
        "said on standard error: {}",
        d.stderr()
    );
    let (_, _, report) = d.get("/api/report", None);
    assert!(report.contains("\"error\":\""), "{report}");
}

#[test]
fn a_phone_that_stopped_polling_is_silent_as_of_the_clock() {
    let s = setup();
    // Every 600 s, last seen an hour ago: as of its last line it was fine.
    append(&s.log, &(line(4800) + &line(4200) + &line(3600)));
    let once = Command::new(env!("CARGO_BIN_EXE_provpoll"))
        .args(["log", s.log.to_str().unwrap(), "--folder"])
        .arg(&s.folder)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&once.stdout);
    assert!(text.contains(&format!("{MAC}  ok ")), "{text}");
    let d = start(&s, &[]);
    let m = d.metrics_when(counted(3, 3, 0));
    assert!(m.contains("provpoll_phones{verdict=\"silent\"} 1"), "{m}");
    let last = value(&m, "provpoll_phone_last_fetch_timestamp_seconds").unwrap();
    let deadline = value(&m, "provpoll_phone_next_fetch_deadline_timestamp_seconds").unwrap();
    assert_eq!(deadline - last, 720.0, "600 s and the 120 s tolerance");
}

#[test]
fn a_phones_strip_is_its_fetches_the_walks_marks_and_its_polling_settings_only() {
    let s = setup();
    append(&s.log, &(line(4800) + &line(4200) + &line(3600)));
    let d = start(&s, &[]);
    d.metrics_when(counted(3, 3, 0));
    let (status, _, body) = d.get(&format!("/api/phone?mac={}", MAC.to_lowercase()), None);
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["mac"], MAC);
    assert_eq!(json["zone"], "UTC");
    assert_eq!(json["seen"].as_array().unwrap().len(), 3);
    assert_eq!(
        json["polling"],
        serde_json::json!([
            ["prov_polling_enabled", "on"],
            ["prov_polling_mode", "rel"],
            ["prov_polling_period", "600"]
        ])
    );
    // Two gaps of 600 s met, then an hour silent: 5 expected fetches missed (10, 20, 30, 40
    // and 50 minutes after the last; the one at 60 is not yet 2 minutes past).
    let kinds: Vec<&str> = json["marks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[0].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "met", "met", "missed", "missed", "missed", "missed", "missed"
        ]
    );
    assert_eq!(d.get("/api/phone?mac=000413FFFFFF", None).0, 404);
    assert_eq!(d.get("/api/phone", None).0, 404);
}

#[test]
fn off_loopback_a_token_is_needed_and_every_request_carries_it() {
    let s = setup();
    append(&s.log, &line(600));
    let out = Command::new(env!("CARGO_BIN_EXE_provpoll"))
        .args(["watch", "--folder"])
        .arg(&s.folder)
        .arg("--log")
        .arg(&s.log)
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a loopback address: give --token-file"),
        "{err}"
    );

    let token_file = s.folder.parent().unwrap().join("token");
    std::fs::write(&token_file, "short\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_provpoll"))
        .args(["watch", "--folder"])
        .arg(&s.folder)
        .arg("--log")
        .arg(&s.log)
        .arg("--token-file")
        .arg(&token_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));

    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let d = start(&s, &["--token-file", token_file.to_str().unwrap()]);
    let bearer = format!("Bearer {TOKEN}");
    d.metrics_with(Some(&bearer), counted(1, 1, 0));
    let (status, head, _) = d.get("/metrics", None);
    assert_eq!(status, 401);
    assert!(
        head.contains("WWW-Authenticate: Basic realm=\"provpoll\""),
        "{head}"
    );
    assert_eq!(
        d.get("/metrics", Some("Bearer wrong-token-wrong-token")).0,
        401
    );
    assert_eq!(
        d.get("/api/report", Some(&format!("Bearer {TOKEN}x"))).0,
        401
    );
    let (status, _, body) = d.get("/metrics", Some(&format!("Bearer {TOKEN}")));
    assert_eq!(status, 200);
    assert!(body.contains("provpoll_build_info"), "{body}");
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("admin:{TOKEN}"));
    assert_eq!(d.get("/api/report", Some(&format!("Basic {basic}"))).0, 200);
}

#[test]
fn no_path_serves_a_settings_file_or_a_secret() {
    let s = setup();
    append(&s.log, &(line(1200) + &line(600)));
    let page = s.folder.parent().unwrap().join("dist");
    std::fs::create_dir_all(&page).unwrap();
    std::fs::write(
        page.join("index.html"),
        "<!doctype html><title>provpoll</title>",
    )
    .unwrap();
    // The page's folder may never be the settings' folder, nor hold it.
    let out = Command::new(env!("CARGO_BIN_EXE_provpoll"))
        .args(["watch", "--folder"])
        .arg(&s.folder)
        .arg("--log")
        .arg(&s.log)
        .arg("--page")
        .arg(s.folder.parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let d = start(&s, &["--page", page.to_str().unwrap()]);
    d.metrics_when(counted(2, 2, 0));
    let name = format!("snomD785-{MAC}.xml");
    let mut paths = vec![
        "/".to_owned(),
        "/index.html".to_owned(),
        "/metrics".to_owned(),
        "/api/report".to_owned(),
        format!("/{name}"),
        format!("/tftp/{name}"),
        format!("/../tftp/{name}"),
        format!("/%2e%2e/tftp/{name}"),
        format!("/..%2ftftp%2f{name}"),
        format!("/api/report/../../tftp/{name}"),
        format!("/{}", s.folder.join(&name).display()),
        "/../../../../etc/passwd".to_owned(),
        "/token".to_owned(),
        "/dist/index.html".to_owned(),
        format!("/api/phone?mac={MAC}"),
        format!("/api/phone?mac=../tftp/{name}"),
        "/api/phone?mac=000413FFFFFF".to_owned(),
    ];
    paths.extend(["/api", "/api/", "/metrics/", "//metrics"].map(str::to_owned));
    for path in &paths {
        let (status, _, body) = d.get(path, None);
        assert!(!body.contains(PASSWORD), "{path}: {body}");
        assert!(!body.contains("user_pass"), "{path}: {body}");
        let served = [
            "/",
            "/index.html",
            "/metrics",
            "/api/report",
            &format!("/api/phone?mac={MAC}"),
        ]
        .contains(&path.as_str());
        assert_eq!(status, if served { 200 } else { 404 }, "{path}");
    }
}

/// The metrics, checked by `promtool check metrics`.
fn promtool_check(metrics: &str) {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian's prometheus package: scripts/setup.sh installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(metrics.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool: {}{}\n{metrics}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn promtool_passes_the_metrics_and_prometheus_scrapes_them_with_the_token() {
    let s = setup();
    append(&s.log, &(line(1200) + &line(600)));
    // Another phone, not in the folder, whose agent holds what a label must escape.
    append(
        &s.log,
        "10.0.0.9 - - [07/Dec/2026:10:00:00 +0000] \"GET /000413FFFFFF.xml HTTP/1.1\" 404 0 \"-\" \"snom\\\"7\\\\10 \\\"x\"\n",
    );
    let token_file = s.folder.parent().unwrap().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let d = start(&s, &["--token-file", token_file.to_str().unwrap()]);
    let metrics = d.metrics_with(Some(&format!("Bearer {TOKEN}")), counted(3, 3, 0));
    assert!(
        metrics.contains("provpoll_phones{verdict=\"unknown\"} 1"),
        "{metrics}"
    );
    promtool_check(&metrics);

    // Prometheus itself, with the token as its `authorization` credentials file.
    let dir = s.folder.parent().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::fs::write(
        dir.join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: provpoll\n    authorization:\n      credentials_file: {}\n    static_configs:\n      - targets: ['{}']\n",
            token_file.display(),
            d.addr
        ),
    )
    .unwrap();
    let mut prometheus = Command::new("prometheus")
        .arg(format!(
            "--config.file={}",
            dir.join("prometheus.yml").display()
        ))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("tsdb").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("prometheus (Debian's package: scripts/setup.sh installs it)");
    let start = Instant::now();
    let answer = loop {
        let body = TcpStream::connect(("127.0.0.1", port)).ok().map(|_| {
            get(
                &format!("127.0.0.1:{port}"),
                "/api/v1/query?query=provpoll_phones%7Bverdict%3D%22ok%22%7D",
                None,
            )
            .2
        });
        if let Some(body) = &body
            && body.contains("\"result\":[{")
        {
            break body.clone();
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = prometheus.kill();
            panic!("prometheus scraped nothing: {body:?}");
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    let _ = prometheus.kill();
    let _ = prometheus.wait();
    assert!(answer.contains("\"job\":\"provpoll\""), "{answer}");
    assert!(answer.contains(",\"1\"]"), "one phone ok: {answer}");
}

#[test]
fn the_example_alert_rules_are_rules_promtool_accepts_over_these_metrics() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/alerts.yml");
    let out = Command::new("promtool")
        .args(["check", "rules"])
        .arg(&rules)
        .output()
        .expect("promtool (Debian's prometheus package: scripts/setup.sh installs it)");
    assert!(out.status.success(), "{out:?}");
    // And they fire as they say, over series as the daemon serves them: a phone silent for
    // 15 minutes, the log quiet for an hour (tests/files/prometheus/alerts-test.yml).
    let test = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/files/prometheus/alerts-test.yml");
    let out = Command::new("promtool")
        .args(["test", "rules"])
        .arg(&test)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn log_writes_the_same_metrics_once_for_the_textfile_collector() {
    let s = setup();
    append(&s.log, &(line(1200) + &line(600)));
    let out_file = s.folder.parent().unwrap().join("provpoll.prom");
    let out = Command::new(env!("CARGO_BIN_EXE_provpoll"))
        .args(["log", s.log.to_str().unwrap(), "--folder"])
        .arg(&s.folder)
        .args(["--format", "prometheus", "--output"])
        .arg(&out_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    let metrics = std::fs::read_to_string(&out_file).unwrap();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&out_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644, "readable by node_exporter");
    assert!(
        metrics.contains("provpoll_phones{verdict=\"ok\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("provpoll_log_lines_total 2"), "{metrics}");
    assert!(!metrics.contains(PASSWORD));
    promtool_check(&metrics);
    // Nothing stray left beside it.
    let names: Vec<_> = std::fs::read_dir(out_file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}
