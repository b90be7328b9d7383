//! The spec's rules and the vendor's examples, with instants worked out by hand.

#![cfg(not(target_arch = "wasm32"))]

use chrono_tz::{America::New_York, Europe::Berlin};
use provpoll::core::schedule::{Fetch, Source, fetches};
use provpoll::core::settings::{Key, Settings};
use provpoll::core::zone::Zone;

mod common;
use common::{settings, utc};

fn take(s: &Settings, t0: &str, zone: &dyn Zone, n: usize) -> Vec<Fetch> {
    fetches(s, utc(t0), zone, 7).take(n).collect()
}

/// The instants of exact fetches, as RFC 3339 in `zone`.
fn instants(fetches: &[Fetch], zone: &dyn Zone) -> Vec<String> {
    fetches
        .iter()
        .map(|f| {
            assert_eq!(f.earliest, f.latest, "an exact fetch");
            assert_eq!(f.at, f.earliest);
            provpoll::core::zone::local(zone, f.at).to_rfc3339()
        })
        .collect()
}

fn windows(fetches: &[Fetch], zone: &dyn Zone) -> Vec<(String, String)> {
    fetches
        .iter()
        .map(|f| {
            assert!(f.earliest <= f.at && f.at <= f.latest, "{f:?}");
            (
                provpoll::core::zone::local(zone, f.earliest).to_rfc3339(),
                provpoll::core::zone::local(zone, f.latest).to_rfc3339(),
            )
        })
        .collect()
}

const ON: (Key, &str) = (Key::Enabled, "on");

#[test]
fn vendor_option_1_relative_every_24_hours() {
    let s = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "86400")]);
    let got = take(&s, "2026-06-10T14:23:05+02:00", &Berlin, 3);
    assert_eq!(
        instants(&got, &Berlin),
        [
            "2026-06-11T14:23:05+02:00",
            "2026-06-12T14:23:05+02:00",
            "2026-06-13T14:23:05+02:00"
        ]
    );
    assert!(got.iter().all(|f| f.source == Source::Polling));
}

#[test]
fn vendor_option_2_refresh_timer_with_polling_off() {
    let s = settings(&[(Key::Enabled, "off"), (Key::RefreshTimer, "86400")]);
    let got = take(&s, "2026-06-10T14:23:05+02:00", &Berlin, 2);
    assert_eq!(
        instants(&got, &Berlin),
        ["2026-06-11T14:23:05+02:00", "2026-06-12T14:23:05+02:00"]
    );
    assert!(got.iter().all(|f| f.source == Source::RefreshTimer));
}

#[test]
fn vendor_example_random_every_day_from_the_next_day() {
    let s = settings(&[
        ON,
        (Key::Mode, "random"),
        (Key::Period, "86400"),
        (Key::Time, "09:00"),
        (Key::TimeRandEnd, "09:10"),
    ]);
    // T0 is before today's window: the first fetch is still tomorrow.
    let got = take(&s, "2026-06-10T07:00:00+02:00", &Berlin, 3);
    assert_eq!(
        windows(&got, &Berlin),
        [
            (
                "2026-06-11T09:00:00+02:00".into(),
                "2026-06-11T09:10:00+02:00".into()
            ),
            (
                "2026-06-12T09:00:00+02:00".into(),
                "2026-06-12T09:10:00+02:00".into()
            ),
            (
                "2026-06-13T09:00:00+02:00".into(),
                "2026-06-13T09:10:00+02:00".into()
            ),
        ]
    );
}

#[test]
fn vendor_example_random_every_3_days() {
    let s = settings(&[
        ON,
        (Key::Mode, "random"),
        (Key::Period, "259200"),
        (Key::Time, "09:00"),
        (Key::TimeRandEnd, "09:10"),
    ]);
    let got = take(&s, "2026-06-10T12:00:00+02:00", &Berlin, 3);
    let starts: Vec<String> = windows(&got, &Berlin).into_iter().map(|w| w.0).collect();
    assert_eq!(
        starts,
        [
            "2026-06-11T09:00:00+02:00",
            "2026-06-14T09:00:00+02:00",
            "2026-06-17T09:00:00+02:00"
        ]
    );
}

#[test]
fn random_part_days_round_up() {
    let s = settings(&[
        ON,
        (Key::Mode, "random"),
        (Key::Period, "100000"),
        (Key::Time, "09:00"),
        (Key::TimeRandEnd, "09:00"),
    ]);
    let got = take(&s, "2026-06-10T12:00:00Z", &chrono::Utc, 2);
    // An end equal to the start is that exact minute.
    assert_eq!(
        instants(&got, &chrono::Utc),
        ["2026-06-11T09:00:00+00:00", "2026-06-13T09:00:00+00:00"]
    );
}

#[test]
fn vendor_example_3_random_under_a_day_chains_from_each_fetch() {
    let s = settings(&[ON, (Key::Mode, "random"), (Key::Period, "3600")]);
    let t0 = utc("2026-06-10T12:00:00Z");
    let got: Vec<Fetch> = fetches(&s, t0, &chrono::Utc, 42).take(50).collect();
    assert_eq!(got[0].earliest, t0);
    assert_eq!(got[0].latest, utc("2026-06-10T13:00:00Z"));
    for pair in got.windows(2) {
        assert_eq!(pair[1].earliest, pair[0].at);
        assert_eq!((pair[1].latest - pair[1].earliest).num_seconds(), 3600);
    }
    for f in &got {
        assert!(f.earliest < f.at && f.at <= f.latest, "{f:?}");
    }
    // The same seed gives the same preview; another seed another.
    let again: Vec<Fetch> = fetches(&s, t0, &chrono::Utc, 42).take(50).collect();
    assert_eq!(got, again);
    let other: Vec<Fetch> = fetches(&s, t0, &chrono::Utc, 43).take(50).collect();
    assert_ne!(got, other);
}

#[test]
fn absolute_is_the_first_time_strictly_after_t0() {
    let s = settings(&[ON, (Key::Mode, "abs"), (Key::Time, "03:00")]);
    let early = take(&s, "2026-06-10T02:59:59+02:00", &Berlin, 2);
    assert_eq!(
        instants(&early, &Berlin),
        ["2026-06-10T03:00:00+02:00", "2026-06-11T03:00:00+02:00"]
    );
    let exactly = take(&s, "2026-06-10T03:00:00+02:00", &Berlin, 1);
    assert_eq!(instants(&exactly, &Berlin), ["2026-06-11T03:00:00+02:00"]);
}

#[test]
fn absolute_keeps_the_wall_clock_across_dst_in_berlin() {
    let s = settings(&[ON, (Key::Mode, "abs"), (Key::Time, "02:30")]);
    // 2026-03-29 02:30 does not exist: the first instant after the gap is 03:00 CEST.
    let spring = take(&s, "2026-03-27T12:00:00+01:00", &Berlin, 4);
    assert_eq!(
        instants(&spring, &Berlin),
        [
            "2026-03-28T02:30:00+01:00",
            "2026-03-29T03:00:00+02:00",
            "2026-03-30T02:30:00+02:00",
            "2026-03-31T02:30:00+02:00"
        ]
    );
    // 2026-10-25 02:30 happens twice: the first occurrence, still summer time.
    let fall = take(&s, "2026-10-24T12:00:00+02:00", &Berlin, 2);
    assert_eq!(
        instants(&fall, &Berlin),
        ["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"]
    );
}

#[test]
fn relative_counts_elapsed_seconds_across_dst_in_new_york() {
    let s = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "86400")]);
    let got = take(&s, "2026-03-07T09:00:00-05:00", &New_York, 2);
    // 24 hours after 09:00 EST on the day clocks spring forward is 10:00 EDT.
    assert_eq!(
        instants(&got, &New_York),
        ["2026-03-08T10:00:00-04:00", "2026-03-09T10:00:00-04:00"]
    );
    let fall = take(&s, "2026-10-31T09:00:00-04:00", &New_York, 1);
    assert_eq!(instants(&fall, &New_York), ["2026-11-01T08:00:00-05:00"]);
}

#[test]
fn random_windows_keep_wall_clock_in_new_york() {
    let s = settings(&[
        ON,
        (Key::Mode, "random"),
        (Key::Period, "86400"),
        (Key::Time, "01:30"),
        (Key::TimeRandEnd, "02:30"),
    ]);
    let got = take(&s, "2026-10-31T12:00:00-04:00", &New_York, 2);
    // 2026-11-01: 01:30 is its first occurrence (EDT); 02:30 exists once, in EST.
    assert_eq!(
        windows(&got, &New_York),
        [
            (
                "2026-11-01T01:30:00-04:00".into(),
                "2026-11-01T02:30:00-05:00".into()
            ),
            (
                "2026-11-02T01:30:00-05:00".into(),
                "2026-11-02T02:30:00-05:00".into()
            ),
        ]
    );
    // Spring: 02:00–03:00 does not exist on 2026-03-08; 02:30 resolves to 03:00 EDT.
    let spring = take(&s, "2026-03-07T12:00:00-05:00", &New_York, 1);
    assert_eq!(
        windows(&spring, &New_York),
        [(
            "2026-03-08T01:30:00-05:00".into(),
            "2026-03-08T03:00:00-04:00".into()
        )]
    );
}

#[test]
fn a_window_across_midnight() {
    let s = settings(&[
        ON,
        (Key::Mode, "random"),
        (Key::Period, "86400"),
        (Key::Time, "23:30"),
        (Key::TimeRandEnd, "00:30"),
    ]);
    let got = take(&s, "2026-06-10T23:45:00+02:00", &Berlin, 2);
    assert_eq!(
        windows(&got, &Berlin),
        [
            (
                "2026-06-11T23:30:00+02:00".into(),
                "2026-06-12T00:30:00+02:00".into()
            ),
            (
                "2026-06-12T23:30:00+02:00".into(),
                "2026-06-13T00:30:00+02:00".into()
            ),
        ]
    );
}

#[test]
fn both_timers_run_independently_in_time_order() {
    let s = settings(&[
        ON,
        (Key::Mode, "rel"),
        (Key::Period, "3600"),
        (Key::RefreshTimer, "5400"),
    ]);
    let got = take(&s, "2026-06-10T00:00:00Z", &chrono::Utc, 5);
    let got: Vec<(Source, String)> = got
        .iter()
        .map(|f| (f.source, f.at.format("%H:%M").to_string()))
        .collect();
    use Source::*;
    assert_eq!(
        got,
        [
            (Polling, "01:00".into()),
            (RefreshTimer, "01:30".into()),
            (Polling, "02:00".into()),
            (Polling, "03:00".into()),
            (RefreshTimer, "03:00".into()),
        ]
    );
}

#[test]
fn nothing_scheduled() {
    let never = Settings {
        never_update: true,
        ..settings(&[
            ON,
            (Key::Mode, "rel"),
            (Key::Period, "60"),
            (Key::RefreshTimer, "60"),
        ])
    };
    assert_eq!(take(&never, "2026-06-10T00:00:00Z", &Berlin, 5), []);
    assert_eq!(
        take(&Settings::default(), "2026-06-10T00:00:00Z", &Berlin, 5),
        []
    );
    let no_time = settings(&[ON, (Key::Mode, "abs")]);
    assert_eq!(take(&no_time, "2026-06-10T00:00:00Z", &Berlin, 5), []);
    let no_mode = settings(&[ON, (Key::RefreshTimer, "60")]);
    assert_eq!(take(&no_mode, "2026-06-10T00:00:00Z", &Berlin, 5).len(), 5);
}

#[test]
fn extremes_end_without_panic() {
    let huge = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "2147483647")]);
    // Stops where chrono's calendar ends (year 262143), after about 3,850 periods.
    let n = fetches(&huge, utc("2026-01-01T00:00:00Z"), &Berlin, 0).count();
    assert!(n > 3_800 && n < 3_900, "{n}");

    let late = settings(&[ON, (Key::Mode, "abs"), (Key::Time, "23:59")]);
    let got = take(&late, "9999-12-31T23:58:00Z", &chrono::Utc, 2);
    assert_eq!(
        instants(&got, &chrono::Utc),
        ["9999-12-31T23:59:00+00:00", "+10000-01-01T23:59:00+00:00"]
    );

    let every_second = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "1")]);
    let got = take(&every_second, "2026-06-10T00:00:00.75Z", &chrono::Utc, 3);
    assert_eq!(
        instants(&got, &chrono::Utc),
        [
            "2026-06-10T00:00:01+00:00",
            "2026-06-10T00:00:02+00:00",
            "2026-06-10T00:00:03+00:00"
        ]
    );
}

proptest::proptest! {
    /// Skipping n draws at once leaves the generator where n draws leave it.
    #[test]
    fn the_generator_skips_draws_at_once(seed in proptest::prelude::any::<u64>(), n in 0u64..2_000) {
        use provpoll::core::schedule::SplitMix64;
        let (mut drawn, mut skipped) = (SplitMix64::new(seed), SplitMix64::new(seed));
        for _ in 0..n {
            drawn.next_u64();
        }
        skipped.skip(n);
        proptest::prop_assert_eq!(drawn.next_u64(), skipped.next_u64());
    }
}
