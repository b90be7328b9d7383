//! The page served by `provpoll watch` (wasm32 only): the worker asks the daemon for its
//! verdicts every few seconds (`GET api/report`, the JSON of `provpoll log --format json`) and
//! hands them to the log's view ([`log_run::live`]) to draw, off the page's thread. The daemon
//! judged them: no settings file, and no line of the log, comes to the browser.

use chrono::DateTime;
use js_sys::{Array, Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::log_run::{self, Post};
use crate::core::check::validate;
use crate::core::log::PhoneReport;
use crate::core::log::read::{FileLog, Log, Seen};
use crate::core::log::verdict::{Mark, Tally, Verdict};
use crate::core::mac::Mac;
use crate::core::settings::{Draft, Key};
use crate::core::vendor::Vendor;
use crate::text::summary::describe_in;
use crate::web::js::{call, get};
use crate::web::protocol::id;
use crate::words::Words;

/// How often the daemon is asked (it judges at most every half second while lines come).
const EVERY_MS: i32 = 3_000;

/// Follows the daemon at `base` (`api/`) until another log is opened (`generation` is no
/// longer the reading's); `words` gives the words of the moment.
pub async fn follow(base: String, zone: String, generation: u32, post: Post, words: fn() -> Words) {
    let global = js_sys::global();
    while log_run::reading() == generation {
        match report(&global, &base).await {
            Ok((log, phones, as_of)) => {
                log_run::live(phones, log, as_of, zone.clone(), post, &words());
                // The body was drawn anew: the chosen phone's strip follows.
                if log_run::chosen().is_some() {
                    strip(post, words).await;
                }
            }
            // The last report stays shown; the status says why it is not the newest.
            Err(status) => {
                let w = words();
                let why = match status {
                    Some(status) => w.fill(
                        en!("The server answers {0}; the live view shows its last report and asks again."),
                        &[&status.to_string()],
                    ),
                    None => w
                        .t(en!("The server does not answer; the live view shows its last report and asks again."))
                        .to_owned(),
                };
                post(crate::web::protocol::FromWorker::Html {
                    id: id::LOG_STATUS.to_owned(),
                    markup: crate::text::render::escape(&why),
                    append: false,
                });
            }
        }
        sleep(&global, EVERY_MS).await;
    }
}

/// Draws the chosen phone's strip from `api/phone?mac=…`.
pub async fn strip(post: Post, words: fn() -> Words) {
    let Some(mac) = log_run::chosen() else { return };
    let global = js_sys::global();
    let url = format!("api/phone?mac={mac}");
    let Ok(response) = call(&global, "fetch", &[url.into()]).await else {
        return;
    };
    if get(&response, "status").as_f64() != Some(200.0) {
        return;
    }
    let Ok(text) = call(&response, "text", &[]).await else {
        return;
    };
    let Ok(json) = js_sys::JSON::parse(&text.as_string().unwrap_or_default()) else {
        return;
    };
    let seen: Vec<Seen> = Array::from(&get(&json, "seen"))
        .iter()
        .map(|f| {
            let f = Array::from(&f);
            let n = |i: u32| f.get(i).as_f64().unwrap_or(0.0) as i64;
            Seen {
                at: n(0),
                end: n(1),
                ok: f.get(2).is_truthy(),
                place: 0,
            }
        })
        .collect();
    let marks: Vec<Mark> = Array::from(&get(&json, "marks"))
        .iter()
        .filter_map(|m| {
            let m = Array::from(&m);
            let n = |i: u32| m.get(i).as_f64().unwrap_or(0.0) as i64;
            match m.get(0).as_string().as_deref() {
                Some("met") => Some(Mark::Met {
                    from: n(1),
                    to: n(2),
                }),
                Some("missed") => Some(Mark::Missed {
                    from: n(1),
                    to: n(2),
                }),
                Some("unscheduled") => Some(Mark::Unscheduled(n(1).max(0) as usize)),
                _ => None,
            }
        })
        .collect();
    let w = words();
    // A snom phone's polling settings, said in the page's language; another vendor's schedule
    // as the server said it.
    let polling = get(&json, "polling");
    let said = if polling.is_object() {
        let draft = Array::from(&polling)
            .iter()
            .fold(Draft::default(), |d, pair| {
                let pair = Array::from(&pair);
                match (
                    pair.get(0).as_string().as_deref().and_then(Key::from_name),
                    pair.get(1).as_string(),
                ) {
                    (Some(key), Some(value)) => d.with(key, &value),
                    _ => d,
                }
            });
        match validate(&draft).settings {
            Some(s) => describe_in(&s, &w),
            None => w
                .t(en!("Settings with errors (see the problems)."))
                .to_owned(),
        }
    } else {
        get(&json, "said").as_string().unwrap_or_default()
    };
    let zone = get(&json, "zone")
        .as_string()
        .unwrap_or_else(|| "UTC".to_owned());
    log_run::live_strip(mac, &seen, &marks, &said, &zone, post, &w);
}

async fn sleep(global: &JsValue, ms: i32) {
    let promise = Promise::new(&mut |resolve: Function, _| {
        if let Ok(set) = get(global, "setTimeout").dyn_into::<Function>() {
            let _ = set.call2(global, &resolve, &ms.into());
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// The daemon's report: the log's span and counts, its phones, and when it judged them; else
/// the HTTP status it answered, or none (no answer, or one cut short or not JSON).
async fn report(global: &JsValue, base: &str) -> Result<(Log, Vec<PhoneReport>, i64), Option<u16>> {
    let url = format!("{base}report");
    let response = call(global, "fetch", &[url.into()])
        .await
        .map_err(|_| None)?;
    let status = get(&response, "status").as_f64().unwrap_or(0.0);
    if status != 200.0 {
        return Err(Some(status as u16));
    }
    let headers = get(&response, "headers");
    let as_of = get_header(&headers, "x-provpoll-as-of")
        .and_then(|t| t.parse::<i64>().ok())
        .unwrap_or(0);
    let text = call(&response, "text", &[]).await.map_err(|_| None)?;
    let json = js_sys::JSON::parse(&text.as_string().unwrap_or_default()).map_err(|_| None)?;
    Ok((log_of(&json), phones_of(&json), as_of))
}

fn get_header(headers: &JsValue, name: &str) -> Option<String> {
    let get: Function = get(headers, "get").dyn_into().ok()?;
    get.call1(headers, &name.into()).ok()?.as_string()
}

/// The report's span and each file's counts, as a log without its phones.
fn log_of(json: &JsValue) -> Log {
    let mut log = Log::default();
    let span = get(json, "span");
    let at = |key: &str| {
        get(&span, key)
            .as_string()
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.to_utc())
    };
    log.span = at("from").zip(at("to"));
    log.not_attributed = number(json, "not_attributed");
    log.files = Array::from(&get(json, "files"))
        .iter()
        .map(|f| {
            let mut file = FileLog::default();
            file.path = get(&f, "path").as_string().unwrap_or_default();
            file.lines = number(&f, "lines");
            file.requests = number(&f, "requests");
            file
        })
        .collect();
    log
}

fn number(v: &JsValue, key: &str) -> u64 {
    get(v, key).as_f64().map_or(0, |n| n.max(0.0) as u64)
}

/// Each phone of the report; one the page cannot read is left out.
fn phones_of(json: &JsValue) -> Vec<PhoneReport> {
    Array::from(&get(json, "phones"))
        .iter()
        .filter_map(|p| {
            let text = |key: &str| get(&p, key).as_string();
            let verdict = text("verdict")?;
            let vendor = text("vendor");
            Some(PhoneReport {
                mac: Mac::parse(&text("mac")?)?,
                vendor: Vendor::ALL
                    .into_iter()
                    .find(|v| Some(v.as_str()) == vendor.as_deref()),
                verdict: Verdict::ALL.into_iter().find(|v| v.as_str() == verdict)?,
                in_folder: get(&p, "in_folder").is_truthy(),
                predicted: get(&p, "predicted").is_truthy(),
                model: text("model"),
                firmware: text("firmware"),
                address: text("address"),
                tally: Tally {
                    fetches: number(&p, "fetches"),
                    failed: number(&p, "failed"),
                    expected: number(&p, "expected"),
                    met: number(&p, "met"),
                    missed: number(&p, "missed"),
                    unscheduled: number(&p, "unscheduled"),
                    silent: verdict == Verdict::Silent.as_str(),
                },
                last_seen: text("last_seen")
                    .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                    .map(|t| t.to_utc()),
                deadline: None,
            })
        })
        .collect()
}
