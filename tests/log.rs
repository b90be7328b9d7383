//! A server's access log held against the prediction: each Choice of
//! `shared/domain/access-log.md` by a hand-worked case, and the rules that hold for every
//! schedule by properties.

#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Europe::{Berlin, Rome};
use proptest::prelude::*;
use provpoll::core::log::read::Seen;
use provpoll::core::log::verdict::{TOLERANCE_SECONDS, Tally, Verdict, tally};
use provpoll::core::schedule::fetches;
use provpoll::core::settings::{Key, Settings};
use provpoll::core::zone::Zone;

mod common;
use common::{settings, utc};

const ON: (Key, &str) = (Key::Enabled, "on");

fn seen(at: &[&str]) -> Vec<Seen> {
    at.iter()
        .map(|t| {
            let at = utc(t).timestamp();
            Seen {
                at,
                end: at,
                ok: true,
            }
        })
        .collect()
}

fn hourly() -> Settings {
    settings(&[ON, (Key::Mode, "rel"), (Key::Period, "3600")])
}

/// The tally and verdict of `fetches` up to `end`, in UTC.
fn judge(s: &Settings, fetches: &[Seen], end: &str) -> (Tally, Verdict) {
    let t = tally(s, &Utc, fetches, utc(end));
    let last_failed = fetches.last().is_some_and(|f| !f.ok);
    (t, t.verdict(last_failed))
}

#[test]
fn a_phone_that_follows_its_schedule_is_ok() {
    let f = seen(&[
        "2026-01-14T00:00:00Z",
        "2026-01-14T01:00:00Z",
        "2026-01-14T02:00:00Z",
    ]);
    let (t, v) = judge(&hourly(), &f, "2026-01-14T02:00:30Z");
    assert_eq!(v, Verdict::Ok);
    assert_eq!(
        (t.fetches, t.expected, t.met, t.missed, t.unscheduled),
        (3, 2, 2, 0, 0)
    );
}

#[test]
fn two_minutes_either_side_meet_an_expected_fetch() {
    // 90 s late meets 01:00; 150 s late does not, and 01:00 is missed.
    let late = seen(&["2026-01-14T00:00:00Z", "2026-01-14T01:01:30Z"]);
    assert_eq!(
        judge(&hourly(), &late, "2026-01-14T01:02:00Z").1,
        Verdict::Ok
    );
    let later = seen(&["2026-01-14T00:00:00Z", "2026-01-14T01:02:30Z"]);
    let (t, v) = judge(&hourly(), &later, "2026-01-14T01:03:00Z");
    assert_eq!((t.missed, t.unscheduled, v), (1, 1, Verdict::Missed));
}

#[test]
fn a_gap_is_missed_and_the_next_fetch_meets_its_own_time() {
    let f = seen(&["2026-01-14T00:00:00Z", "2026-01-14T02:00:00Z"]);
    let (t, v) = judge(&hourly(), &f, "2026-01-14T02:00:30Z");
    assert_eq!((t.expected, t.met, t.missed, v), (2, 1, 1, Verdict::Missed));
}

#[test]
fn after_the_last_fetch_a_missed_one_means_silent() {
    let f = seen(&["2026-01-14T00:00:00Z"]);
    // 01:00, 02:00 and 03:00 ended more than 2 minutes before 03:30; 04:00 not yet.
    let (t, v) = judge(&hourly(), &f, "2026-01-14T03:30:00Z");
    assert_eq!(
        (t.expected, t.missed, t.silent, v),
        (3, 3, true, Verdict::Silent)
    );
    // 01:01 is within the tolerance of 01:00: not yet missed.
    assert_eq!(judge(&hourly(), &f, "2026-01-14T01:01:00Z").1, Verdict::Ok);
}

#[test]
fn a_last_fetch_that_failed_is_failing_unless_silent() {
    let mut f = seen(&["2026-01-14T00:00:00Z", "2026-01-14T01:00:00Z"]);
    f[1].ok = false;
    let (t, v) = judge(&hourly(), &f, "2026-01-14T01:00:30Z");
    assert_eq!((t.failed, v), (1, Verdict::Failing));
    assert_eq!(
        judge(&hourly(), &f, "2026-01-14T05:00:00Z").1,
        Verdict::Silent
    );
}

#[test]
fn a_fetch_at_no_expected_time_is_unscheduled_and_restarts_the_schedule() {
    // 00:30 meets nothing (01:00 begins more than 2 minutes later); from 00:30 the phone is
    // expected at 01:30, which it meets.
    let f = seen(&[
        "2026-01-14T00:00:00Z",
        "2026-01-14T00:30:00Z",
        "2026-01-14T01:30:00Z",
    ]);
    let (t, v) = judge(&hourly(), &f, "2026-01-14T01:30:10Z");
    assert_eq!(
        (t.unscheduled, t.met, t.missed, v),
        (1, 1, 0, Verdict::Unscheduled)
    );
}

#[test]
fn an_expected_fetch_within_two_minutes_after_a_fetch_is_that_fetch() {
    // abs 02:30: a fetch at 02:29:50 has done its 02:30; the next is expected a day later.
    let s = settings(&[ON, (Key::Mode, "abs"), (Key::Time, "02:30")]);
    let f = seen(&["2026-01-14T02:29:50Z", "2026-01-15T02:30:40Z"]);
    let (t, v) = judge(&s, &f, "2026-01-15T02:31:00Z");
    assert_eq!((t.expected, t.met, t.missed, v), (1, 1, 0, Verdict::Ok));
}

#[test]
fn a_random_window_is_met_anywhere_in_it_in_the_phones_zone() {
    // Tancredi's: every day between 01:00 and 04:00 in Rome (UTC+1 in January).
    let s = settings(&[
        ON,
        (Key::Mode, "random"),
        (Key::Period, "86400"),
        (Key::Time, "01:00"),
        (Key::TimeRandEnd, "04:00"),
    ]);
    let f = seen(&[
        "2026-01-14T01:17:00Z",
        "2026-01-15T02:59:00Z",
        "2026-01-16T00:01:00Z",
    ]);
    let t = tally(&s, &Rome, &f, utc("2026-01-16T00:02:00Z"));
    assert_eq!((t.met, t.missed, t.unscheduled), (2, 0, 0));
    // 04:03 local (03:03 UTC) is past the window's end and its tolerance.
    let late = seen(&["2026-01-14T01:17:00Z", "2026-01-15T03:03:00Z"]);
    let t = tally(&s, &Rome, &late, utc("2026-01-15T03:04:00Z"));
    assert_eq!((t.met, t.missed, t.unscheduled), (0, 1, 1));
}

#[test]
fn random_under_a_day_counts_the_intervals_a_gap_must_have_held() {
    let s = settings(&[ON, (Key::Mode, "random"), (Key::Period, "3600")]);
    // A gap of 2 h 10 min: at least ⌈(7800 − 120) / 3600⌉ − 1 = 2 fetches missed.
    let f = seen(&[
        "2026-01-14T00:00:00Z",
        "2026-01-14T00:50:00Z",
        "2026-01-14T03:00:00Z",
    ]);
    let (t, v) = judge(&s, &f, "2026-01-14T03:00:10Z");
    assert_eq!((t.missed, t.met, v), (2, 2, Verdict::Missed));
    // After the last: 1 h 03 min without a fetch is one missed.
    let (t, v) = judge(&s, &f[..1], "2026-01-14T01:03:00Z");
    assert_eq!((t.missed, v), (1, Verdict::Silent));
}

#[test]
fn a_phone_that_expects_nothing_is_fine_whenever_it_fetches() {
    let off = settings(&[(Key::Enabled, "off")]);
    let f = seen(&["2026-01-14T00:00:00Z", "2026-01-14T00:07:00Z"]);
    let (t, v) = judge(&off, &f, "2026-01-15T00:00:00Z");
    assert_eq!((t.expected, t.unscheduled, v), (0, 0, Verdict::Ok));
    assert_eq!(
        judge(&off, &[], "2026-01-15T00:00:00Z").1,
        Verdict::NeverSeen
    );
}

/// Settings whose schedule the properties can follow: `rel`, `abs`, a daily or longer window.
fn followable() -> impl Strategy<Value = Settings> {
    let time = (0u8..24, 0u8..60).prop_map(|(h, m)| format!("{h:02}:{m:02}"));
    prop_oneof![
        (600u32..200_000).prop_map(|p| settings(&[
            ON,
            (Key::Mode, "rel"),
            (Key::Period, &p.to_string())
        ])),
        time.clone()
            .prop_map(|t| settings(&[ON, (Key::Mode, "abs"), (Key::Time, &t)])),
        (1u32..4, time.clone(), time).prop_map(|(d, a, b)| settings(&[
            ON,
            (Key::Mode, "random"),
            (Key::Period, &(d * 86_400).to_string()),
            (Key::Time, &a),
            (Key::TimeRandEnd, &b),
        ])),
    ]
}

/// A phone that follows its schedule: each fetch the first one its last fetch's schedule
/// expects (the schedule restarts at every fetch).
fn follow(s: &Settings, zone: &dyn Zone, t0: DateTime<Utc>, n: usize, seed: u64) -> Vec<Seen> {
    let mut at = t0;
    let mut out = vec![Seen {
        at: at.timestamp(),
        end: at.timestamp(),
        ok: true,
    }];
    for _ in 1..n {
        let next = fetches(s, at, zone, seed)
            .find(|e| (e.earliest - at).num_seconds() >= TOLERANCE_SECONDS)
            .expect("a schedule that goes on");
        at = next.at;
        out.push(Seen {
            at: at.timestamp(),
            end: at.timestamp(),
            ok: true,
        });
    }
    out
}

proptest! {
    #[test]
    fn a_phone_that_follows_its_schedule_is_always_ok(
        s in followable(),
        start in 1_767_225_600i64..1_798_761_600,
        n in 2usize..8,
        seed in any::<u64>(),
    ) {
        let t0 = DateTime::from_timestamp(start, 0).unwrap();
        let f = follow(&s, &Berlin, t0, n, seed);
        let end = DateTime::from_timestamp(f[n - 1].at, 0).unwrap() + TimeDelta::seconds(60);
        let t = tally(&s, &Berlin, &f, end);
        prop_assert_eq!(t.verdict(false), Verdict::Ok, "{:?}", t);
        prop_assert_eq!((t.met, t.missed), (n as u64 - 1, 0));
    }

    #[test]
    fn dropping_a_fetch_makes_it_missed(
        s in followable(),
        start in 1_767_225_600i64..1_798_761_600,
        n in 3usize..8,
        drop in 1usize..7,
        seed in any::<u64>(),
    ) {
        let t0 = DateTime::from_timestamp(start, 0).unwrap();
        let mut f = follow(&s, &Berlin, t0, n, seed);
        let end = DateTime::from_timestamp(f[n - 1].at, 0).unwrap() + TimeDelta::seconds(60);
        f.remove(1 + (drop - 1) % (n - 2));
        let t = tally(&s, &Berlin, &f, end);
        prop_assert!(t.missed >= 1, "{:?}", t);
        prop_assert!(matches!(t.verdict(false), Verdict::Missed | Verdict::Silent), "{:?}", t);
    }
}

#[test]
fn the_walk_marks_what_the_strip_draws() {
    use provpoll::core::log::verdict::{Mark, walk};
    // 01:00 missed, 02:00 met; 02:30 meets nothing and restarts the schedule; its 03:30 is
    // missed before the log's end at 04:10 (04:30 is not due yet).
    let f = seen(&[
        "2026-01-14T00:00:00Z",
        "2026-01-14T02:00:00Z",
        "2026-01-14T02:30:00Z",
    ]);
    let mut marks = Vec::new();
    let t = walk(
        &hourly(),
        &Utc,
        &f,
        utc("2026-01-14T04:10:00Z"),
        100,
        &mut |m| marks.push(m),
    );
    let at = |s: &str| utc(s).timestamp();
    let instant = |s: &str| (at(s), at(s));
    let (one, two, half_three) = (
        instant("2026-01-14T01:00:00Z"),
        instant("2026-01-14T02:00:00Z"),
        instant("2026-01-14T03:30:00Z"),
    );
    assert_eq!(
        marks,
        [
            Mark::Missed {
                from: one.0,
                to: one.1
            },
            Mark::Met {
                from: two.0,
                to: two.1
            },
            Mark::Unscheduled(2),
            Mark::Missed {
                from: half_three.0,
                to: half_three.1
            },
        ]
    );
    assert_eq!(
        (t.expected, t.met, t.missed, t.unscheduled, t.silent),
        (3, 1, 2, 1, true)
    );
    assert_eq!(t, tally(&hourly(), &Utc, &f, utc("2026-01-14T04:10:00Z")));
}

#[test]
fn random_under_a_day_marks_each_period_a_gap_held() {
    use provpoll::core::log::verdict::{Mark, walk};
    // Every 3,600 s at most; a gap of 3 h 1 min: ⌈(3:01 − 0:02) / 1 h⌉ − 1 = 2 missed.
    let s = settings(&[ON, (Key::Mode, "random"), (Key::Period, "3600")]);
    let f = seen(&["2026-01-14T00:00:00Z", "2026-01-14T03:01:00Z"]);
    let mut marks = Vec::new();
    walk(&s, &Utc, &f, utc("2026-01-14T03:01:30Z"), 100, &mut |m| {
        marks.push(m)
    });
    let h = |n: i64| f[0].at + n * 3600;
    assert_eq!(
        marks,
        [
            Mark::Missed {
                from: h(0),
                to: h(1)
            },
            Mark::Missed {
                from: h(1),
                to: h(2)
            },
            Mark::Met {
                from: h(2),
                to: h(3)
            },
        ]
    );
}

#[test]
fn a_log_is_told_from_a_settings_file_by_its_content() {
    use provpoll::core::log::looks_like_log;
    // Only the first 4 KB are looked at: a first line longer than that is no log.
    let mut long = vec![b'x'; 5000];
    long.extend_from_slice(br#" - - [14/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 1"#);
    assert!(!looks_like_log(&long));
    for log in [
        &br#"203.0.113.7 - - [14/Jan/2026:14:07:53 +0100] "GET /a.xml HTTP/1.1" 200 5 "-" "x""#[..],
        b"2020-01-14 09:07:53,364 [20037] (INFO) (twisted): 10.0.0.5 - - [14/Jan/2020:09:07:53 +0000] \"GET /x HTTP/1.0\" 404 0\n",
        &[0x1f, 0x8b, 8, 0],
    ] {
        assert!(looks_like_log(log), "{}", String::from_utf8_lossy(log));
    }
    for file in [
        &b"<?xml version=\"1.0\"?>\n<settings>"[..],
        b"<settings><phone-settings>",
        b"",
        b"prov_polling_enabled$: on\n",
        b"[section]\nkey = \"value\"",
        b"\xff\xfe binary [",
        // XML on one line whose value looks like a request's time and quote.
        br#"<settings><phone-settings><x>[14/Jan/2026:00:00:00 +0000] "GET</x>"#,
    ] {
        assert!(!looks_like_log(file), "{}", String::from_utf8_lossy(file));
    }
}

/// The lines of a whole file, as the spec reads them: split at `\n` (none after a last `\n`),
/// each without its `\r`, a line over `MAX_LINE` bytes as `None`.
fn whole_lines(bytes: &[u8]) -> Vec<Option<Vec<u8>>> {
    use provpoll::core::log::read::MAX_LINE;
    if bytes.is_empty() {
        return Vec::new();
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    body.split(|&b| b == b'\n')
        .map(|l| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            (l.len() <= MAX_LINE).then(|| l.to_vec())
        })
        .collect()
}

/// A file of short lines and lines about `MAX_LINE` long (a byte or two either side), with
/// `\n` or `\r\n` ends, and where it is cut into pieces: at random, and where asked just
/// before a line's `\n` (between its `\r` and `\n`, where a line end can be misread).
fn file_and_cuts() -> impl Strategy<Value = (Vec<u8>, Vec<usize>)> {
    use provpoll::core::log::read::MAX_LINE;
    let line = prop_oneof![
        3 => proptest::collection::vec(any::<u8>().prop_filter("no line end", |b| *b != b'\n'), 0..40),
        1 => (MAX_LINE - 2..MAX_LINE + 3).prop_map(|n| vec![b'x'; n]),
    ];
    let lines = proptest::collection::vec((line, any::<bool>(), any::<bool>()), 0..6);
    (
        lines,
        any::<bool>(),
        proptest::collection::vec(1usize..100_000, 1..8),
    )
        .prop_map(|(lines, last_end, sizes)| {
            let mut file = Vec::new();
            let mut cuts = Vec::new();
            let n = lines.len();
            for (i, (line, crlf, cut_before_end)) in lines.into_iter().enumerate() {
                file.extend(line);
                if i + 1 < n || last_end {
                    file.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
                    if cut_before_end {
                        cuts.push(file.len() - 1);
                    }
                }
            }
            let mut at = 0;
            for size in sizes.iter().cycle().take(file.len()) {
                at += size;
                if at >= file.len() {
                    break;
                }
                cuts.push(at);
            }
            cuts.sort_unstable();
            cuts.dedup();
            (file, cuts)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// However a file comes in pieces, its lines are the whole file's lines.
    #[test]
    fn lines_are_the_same_however_the_file_is_cut((file, cuts) in file_and_cuts()) {
        use provpoll::core::log::read::Cutter;
        let mut cutter = Cutter::default();
        let mut got = Vec::new();
        let mut take = |l: &[Option<&[u8]>]| got.extend(l.iter().map(|l| l.map(<[u8]>::to_vec)));
        let mut from = 0;
        for &cut in cuts.iter().chain([&file.len()]) {
            cutter.cut(&file[from..cut], false, &mut take);
            from = cut;
        }
        cutter.cut(&[], true, &mut take);
        prop_assert_eq!(got, whole_lines(&file));
    }
}
