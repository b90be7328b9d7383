//! The browser's own time zones (`Intl`), checked in headless Chromium against instants worked
//! out by hand: the zone source the app plugs into the scheduling core.

#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, NaiveDate, Utc};
use provpoll::app::IntlZone;
use provpoll::core::check::validate;
use provpoll::core::schedule::fetches;
use provpoll::core::settings::{Draft, Key};
use provpoll::core::zone::{Zone, local, resolve};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn offset(zone: &dyn Zone, at: &str) -> i32 {
    zone.offset_at(utc(at).naive_utc()).local_minus_utc()
}

#[wasm_bindgen_test]
fn offsets_follow_dst_to_the_second() {
    let berlin = IntlZone::get("Europe/Berlin").unwrap();
    assert_eq!(offset(berlin.as_ref(), "2026-01-15T12:00:00Z"), 3600);
    assert_eq!(offset(berlin.as_ref(), "2026-07-15T12:00:00Z"), 7200);
    // The change is at 01:00:00 UTC: the cached 3-hour block around it must not blur it.
    assert_eq!(offset(berlin.as_ref(), "2026-03-29T00:59:59Z"), 3600);
    assert_eq!(offset(berlin.as_ref(), "2026-03-29T01:00:00Z"), 7200);
    assert_eq!(offset(berlin.as_ref(), "2026-10-25T00:59:59Z"), 7200);
    assert_eq!(offset(berlin.as_ref(), "2026-10-25T01:00:00Z"), 3600);
    let kathmandu = IntlZone::get("Asia/Kathmandu").unwrap();
    assert_eq!(
        offset(kathmandu.as_ref(), "2026-06-01T00:00:00Z"),
        5 * 3600 + 45 * 60
    );
}

#[wasm_bindgen_test]
fn gaps_and_overlaps_resolve_as_natively() {
    let ny = IntlZone::get("America/New_York").unwrap();
    let wall = |y, m, d, h, mi| {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    };
    assert_eq!(
        resolve(ny.as_ref(), wall(2026, 3, 8, 2, 30)),
        Some(utc("2026-03-08T07:00:00Z"))
    );
    assert_eq!(
        resolve(ny.as_ref(), wall(2026, 11, 1, 1, 30)),
        Some(utc("2026-11-01T05:30:00Z"))
    );
    assert_eq!(
        local(ny.as_ref(), utc("2026-11-01T06:30:00Z")).to_rfc3339(),
        "2026-11-01T01:30:00-05:00"
    );
}

#[wasm_bindgen_test]
fn the_schedule_runs_on_browser_zones() {
    let berlin = IntlZone::get("Europe/Berlin").unwrap();
    let draft = Draft::default()
        .with(Key::Enabled, "on")
        .with(Key::Mode, "abs")
        .with(Key::Time, "02:30");
    let settings = validate(&draft).settings.unwrap();
    let got: Vec<String> = fetches(&settings, utc("2026-03-27T11:00:00Z"), berlin.as_ref(), 0)
        .take(3)
        .map(|f| local(berlin.as_ref(), f.at).to_rfc3339())
        .collect();
    assert_eq!(
        got,
        [
            "2026-03-28T02:30:00+01:00",
            "2026-03-29T03:00:00+02:00",
            "2026-03-30T02:30:00+02:00"
        ]
    );
}

#[wasm_bindgen_test]
fn unknown_zones_are_refused_not_thrown() {
    assert!(IntlZone::get("Mars/Olympus_Mons").is_none());
    assert!(IntlZone::get("").is_none());
    assert!(IntlZone::get("Europe/Berlin\u{0}").is_none());
    assert!(IntlZone::get("UTC").is_some());
}
