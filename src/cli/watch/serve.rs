//! `provpoll watch`'s HTTP side: what the daemon last judged, read only. `/metrics`
//! (Prometheus), `/api/report` (`provpoll log --format json`'s JSON), and the page's own files
//! (`--page`). Nothing else is served: no path is ever joined to a folder, so neither `..` nor
//! a settings file's name reaches a file, and a settings value is never in what is served.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::Duration;

use base64::Engine as _;
use subtle::ConstantTimeEq;
use tiny_http::{Header, Method, Request, Response, Server};

/// What the daemon judged last, ready to serve.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub metrics: String,
    pub report: String,
    /// The same, gzip'd once for every client that accepts it (Prometheus and browsers do:
    /// 20,000 phones' metrics are 5 MB as text, 0.3 MB so).
    pub metrics_gzip: Vec<u8>,
    pub report_gzip: Vec<u8>,
    /// The instant judged as of (seconds since 1970), sent as `X-Provpoll-As-Of`.
    pub as_of: i64,
}

/// The snapshot the handlers serve, swapped whole by the daemon.
pub type Shared = Arc<RwLock<Arc<Snapshot>>>;

/// Questions about one phone (its MAC as asked) for the daemon, which holds the log, and where
/// each answer goes (`None`: no such phone).
pub type Asks = Arc<Mutex<Vec<(String, mpsc::Sender<Option<String>>)>>>;

/// The page's files (`trunk build`'s `dist/`), read once at start: served by their names
/// only.
#[derive(Debug, Default)]
pub struct Page {
    files: HashMap<String, (Vec<u8>, &'static str)>,
}

impl Snapshot {
    /// A snapshot of these texts, each also gzip'd.
    pub fn new(metrics: String, report: String, as_of: i64) -> Snapshot {
        Snapshot {
            metrics_gzip: gzip(metrics.as_bytes()),
            report_gzip: gzip(report.as_bytes()),
            metrics,
            report,
            as_of,
        }
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = e.write_all(bytes);
    e.finish().unwrap_or_default()
}

impl Page {
    /// The regular files directly in `dir` (Trunk's output has no subfolders).
    pub fn read(dir: &Path) -> std::io::Result<Page> {
        let mut files = HashMap::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if name.starts_with('.') || !entry.file_type()?.is_file() {
                continue;
            }
            let mut bytes = std::fs::read(entry.path())?;
            if name == "index.html" {
                bytes = live(&bytes);
            }
            let kind = content_type(&name);
            files.insert(name, (bytes, kind));
        }
        if !files.contains_key("index.html") {
            return Err(std::io::Error::other("it holds no index.html"));
        }
        Ok(Page { files })
    }
}

/// The page's `index.html`, opening on the server's log live: a line of its own hands the
/// log panel's file input one empty file named for the API (`api/`), once the page has drawn
/// it, as if the user had opened a log (the page itself carries nothing for it: its bundle is
/// at its budget); and the panel's words and buttons for a log opened in the browser ("Nothing
/// leaves this browser", "Open a server log…") are hidden: this log is the server's.
fn live(index: &[u8]) -> Vec<u8> {
    const SCRIPT: &[u8] = b"<script>addEventListener('load',function(){var t=setInterval(function(){var i=document.getElementById('import-log');if(!i)return;clearInterval(t);var d=new DataTransfer();d.items.add(new File([],'api/'));i.files=d.files;i.dispatchEvent(new Event('change',{bubbles:true}))},50)})</script><style>.log>.help,[data-action=open-log]{display:none}</style>";
    let at = index
        .windows(6)
        .position(|w| w == b"<body>")
        .map_or(0, |i| i + 6);
    [&index[..at], SCRIPT, &index[at..]].concat()
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("tsv") => "text/tab-separated-values; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Who may read: anyone on loopback, or whoever holds the token.
#[derive(Debug)]
pub struct Access {
    pub token: Option<Vec<u8>>,
}

impl Access {
    /// Whether a request with this `Authorization` header may read: the token as a bearer
    /// token or as HTTP Basic's password (any user name), compared in constant time.
    pub fn allows(&self, authorization: Option<&str>) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let Some(value) = authorization else {
            return false;
        };
        let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value, ""));
        let given: Vec<u8> = if scheme.eq_ignore_ascii_case("bearer") {
            rest.trim().as_bytes().to_vec()
        } else if scheme.eq_ignore_ascii_case("basic") {
            let Ok(pair) = base64::engine::general_purpose::STANDARD.decode(rest.trim()) else {
                return false;
            };
            match pair.iter().position(|&b| b == b':') {
                Some(colon) => pair[colon + 1..].to_vec(),
                None => return false,
            }
        } else {
            return false;
        };
        bool::from(given.ct_eq(token))
    }
}

/// Answers requests on `threads` threads until `stop` is set.
pub fn spawn(
    server: Arc<Server>,
    shared: Shared,
    asks: Asks,
    access: Arc<Access>,
    page: Arc<Page>,
    stop: Arc<AtomicBool>,
    threads: usize,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..threads)
        .map(|_| {
            let (server, shared, asks, access, page, stop) = (
                server.clone(),
                shared.clone(),
                asks.clone(),
                access.clone(),
                page.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match server.recv_timeout(Duration::from_millis(200)) {
                        Ok(Some(request)) => answer(request, &shared, &asks, &access, &page),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            })
        })
        .collect()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

/// What a request gets: status, content type, body, and whether the body is gzip'd (where
/// `gzip_ok`: the client accepts it).
#[allow(clippy::too_many_arguments)]
pub fn route(
    method: &Method,
    url: &str,
    authorization: Option<&str>,
    gzip_ok: bool,
    shared: &Shared,
    asks: &Asks,
    access: &Access,
    page: &Page,
) -> (u16, &'static str, Vec<u8>, bool) {
    const TEXT: &str = "text/plain; charset=utf-8";
    const METRICS: &str = "text/plain; version=0.0.4; charset=utf-8";
    const JSON: &str = "application/json";
    let text = |status: u16, body: &str| (status, TEXT, body.as_bytes().to_vec(), false);
    if !matches!(method, Method::Get | Method::Head) {
        return text(405, "provpoll watch only reads: GET or HEAD\n");
    }
    if !access.allows(authorization) {
        return text(401, "a token is needed\n");
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let snapshot = shared.read().map(|s| s.clone()).unwrap_or_default();
    // Before the first judgement, nothing is known yet: no empty answer that looks like one.
    if snapshot.metrics.is_empty() && ["/metrics", "/api/report", "/api/phone"].contains(&path) {
        return text(503, "reading the log: try again in a moment\n");
    }
    match path {
        "/metrics" if gzip_ok => (200, METRICS, snapshot.metrics_gzip.clone(), true),
        "/metrics" => (200, METRICS, snapshot.metrics.as_bytes().to_vec(), false),
        "/api/report" if gzip_ok => (200, JSON, snapshot.report_gzip.clone(), true),
        "/api/report" => (200, JSON, snapshot.report.as_bytes().to_vec(), false),
        // One phone's strip: `?mac=…`, asked of the daemon, which answers within a tick.
        "/api/phone" => {
            let mac = url
                .split_once('?')
                .map(|(_, q)| q)
                .unwrap_or_default()
                .split('&')
                .find_map(|pair| pair.strip_prefix("mac="))
                .unwrap_or_default();
            let (reply, answer) = mpsc::channel();
            if let Ok(mut a) = asks.lock() {
                a.push((mac.to_owned(), reply));
            }
            match answer.recv_timeout(Duration::from_secs(5)) {
                Ok(Some(json)) => (200, JSON, json.into_bytes(), false),
                Ok(None) => text(404, "no such phone\n"),
                Err(_) => text(503, "busy: try again in a moment\n"),
            }
        }
        "/" if page.files.is_empty() => text(
            200,
            "provpoll watch: /metrics, /api/report (the page: --page DIR)\n",
        ),
        _ => {
            let name = if path == "/" {
                "index.html"
            } else {
                &path[1.min(path.len())..]
            };
            match page.files.get(name) {
                Some((bytes, kind)) => (200, *kind, bytes.clone(), false),
                None => text(404, "not found\n"),
            }
        }
    }
}

fn answer(request: Request, shared: &Shared, asks: &Asks, access: &Access, page: &Page) {
    let header_value = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_owned())
    };
    let authorization = header_value("Authorization");
    let gzip_ok = header_value("Accept-Encoding").is_some_and(|a| {
        a.split(',').any(|e| {
            e.split(';')
                .next()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("gzip"))
        })
    });
    let (status, kind, body, gzipped) = route(
        request.method(),
        request.url(),
        authorization.as_deref(),
        gzip_ok,
        shared,
        asks,
        access,
        page,
    );
    let mut response = Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Vary", "Accept-Encoding"));
    if gzipped {
        response = response.with_header(header("Content-Encoding", "gzip"));
    }
    if status == 401 {
        response = response.with_header(header(
            "WWW-Authenticate",
            "Basic realm=\"provpoll\", charset=\"UTF-8\"",
        ));
    }
    let as_of = shared.read().map_or(0, |s| s.as_of);
    response = response.with_header(header("X-Provpoll-As-Of", &as_of.to_string()));
    if status == 503 {
        response = response.with_header(header("Retry-After", "5"));
    }
    if status == 405 {
        response = response.with_header(header("Allow", "GET, HEAD"));
    }
    // A client gone before its answer is no error of the daemon's.
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(user_pass: &str) -> String {
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(user_pass)
        )
    }

    #[test]
    fn the_token_as_bearer_or_basic_password_and_nothing_else() {
        let access = Access {
            token: Some(b"s3cret-token".to_vec()),
        };
        assert!(access.allows(Some("Bearer s3cret-token")));
        assert!(access.allows(Some("bearer  s3cret-token ")));
        assert!(access.allows(Some(&basic("prometheus:s3cret-token"))));
        assert!(access.allows(Some(&basic(":s3cret-token"))));
        for wrong in [
            None,
            Some(""),
            Some("Bearer"),
            Some("Bearer s3cret-toke"),
            Some("Bearer s3cret-token2"),
            Some("s3cret-token"),
            Some("Token s3cret-token"),
            Some(&basic("s3cret-token")[..]),
            Some(&basic("s3cret-token:x")[..]),
            Some("Basic !!!"),
        ] {
            assert!(!access.allows(wrong), "{wrong:?}");
        }
        assert!(Access { token: None }.allows(None));
    }

    #[test]
    fn only_the_snapshot_and_the_pages_own_files_are_served() {
        let shared: Shared = Arc::new(RwLock::new(Arc::new(Snapshot::new(
            "m\n".into(),
            "{}".into(),
            0,
        ))));
        let access = Access { token: None };
        let mut page = Page::default();
        page.files
            .insert("index.html".into(), (b"<html>".to_vec(), "text/html"));
        let asks = Asks::default();
        let get = |url: &str| {
            let (status, _, body, _) = route(
                &Method::Get,
                url,
                None,
                false,
                &shared,
                &asks,
                &access,
                &page,
            );
            (status, body)
        };
        assert_eq!(get("/metrics").1, b"m\n");
        assert_eq!(get("/metrics?x=1").0, 200);
        assert_eq!(get("/api/report").1, b"{}");
        assert_eq!(get("/").1, b"<html>");
        assert_eq!(get("/index.html").1, b"<html>");
        for url in [
            "/../index.html",
            "/./index.html",
            "//index.html",
            "/x",
            "",
            "/api/",
        ] {
            assert_eq!(get(url).0, 404, "{url}");
        }
        assert_eq!(
            route(
                &Method::Post,
                "/metrics",
                None,
                false,
                &shared,
                &asks,
                &access,
                &page
            )
            .0,
            405
        );
    }
}
