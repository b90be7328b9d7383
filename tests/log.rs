//! A server's access log held against the prediction: each Choice of
//! `shared/domain/access-log.md` by a hand-worked case, and the rules that hold for every
//! schedule by properties.

#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Europe::{Berlin, Rome};
use proptest::prelude::*;
use provpoll::core::log::read::Seen;
use provpoll::core::log::verdict::{TOLERANCE_SECONDS, Tally, Verdict, tally};
use provpoll::core::rule::Rule;
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
                place: 0,
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
        place: 0,
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
            place: 0,
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
        &Rule::of(&hourly()).plan(),
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
    walk(
        &Rule::of(&s).plan(),
        &Utc,
        &f,
        utc("2026-01-14T03:01:30Z"),
        100,
        &mut |m| marks.push(m),
    );
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

/// The spec's rule read literally, every expected fetch looked at (the walk before it was
/// bounded, but for the refresh timer beside a window): each that ended more than the
/// tolerance before the next fetch seen (or the log's end) is missed; the first, in the
/// schedule's order, that has not ended is met when the next fetch falls on it.
fn reference(s: &Settings, zone: &dyn Zone, seen: &[Seen], end: DateTime<Utc>) -> Tally {
    let tol = TOLERANCE_SECONDS;
    let mut t = Tally {
        fetches: seen.len() as u64,
        failed: seen.iter().filter(|f| !f.ok).count() as u64,
        ..Tally::default()
    };
    for (i, f) in seen.iter().enumerate() {
        let from = DateTime::from_timestamp(f.at, 0).unwrap();
        let next = seen.get(i + 1).map(|n| n.at);
        let until = next.unwrap_or(end.timestamp());
        // Every fetch that could have ended before `until` is drawn by then and a day more.
        let expected: Vec<(i64, i64)> = fetches(s, from, zone, f.at as u64)
            .take_while(|e| e.at.timestamp() < until + 3 * 86_400)
            .map(|e| (e.earliest.timestamp(), e.latest.timestamp()))
            .filter(|&(earliest, _)| earliest - f.at >= tol)
            .collect();
        let missed = expected
            .iter()
            .filter(|&&(_, latest)| latest + tol < until)
            .count() as u64;
        let first_open = expected.iter().find(|&&(_, latest)| latest + tol >= until);
        let met =
            next.is_some() && first_open.is_some_and(|&(earliest, _)| earliest - tol <= until);
        t.missed += missed;
        t.expected += missed + u64::from(met);
        t.met += u64::from(met);
        match next {
            Some(_) => t.unscheduled += u64::from(!met),
            None => t.silent = missed > 0,
        }
    }
    t
}

/// Fetches seen at `start` and then after each of `gaps` (seconds).
fn at_gaps(start: i64, gaps: &[i64]) -> Vec<Seen> {
    let mut at = start;
    let mut out = vec![Seen {
        at,
        end: at,
        ok: true,
        place: 0,
    }];
    for g in gaps {
        at += g;
        out.push(Seen {
            at,
            end: at,
            ok: true,
            place: 0,
        });
    }
    out
}

/// `s` with the refresh timer at `refresh` seconds (0: off).
fn with_refresh(s: &Settings, refresh: u32) -> Settings {
    Settings {
        refresh_timer: refresh,
        ..*s
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Counting a gap at once gives what looking at each expected fetch gives, for every
    /// schedule that is not chained, with and without the refresh timer, over gaps of seconds
    /// to weeks; and the marks told are the first of those counted.
    #[test]
    fn the_bounded_walk_counts_what_the_literal_rule_counts(
        s in followable(),
        refresh in prop_oneof![Just(0u32), 600u32..100_000],
        start in 1_767_225_600i64..1_798_761_600,
        gaps in proptest::collection::vec(prop_oneof![1i64..7_200, 7_200i64..3_000_000], 0..6),
        after in 0i64..3_000_000,
        limit in 0usize..40,
    ) {
        use provpoll::core::log::verdict::walk;
        let s = with_refresh(&s, refresh);
        let f = at_gaps(start, &gaps);
        let end = DateTime::from_timestamp(f[f.len() - 1].at + after, 0).unwrap();
        let mut told = 0u64;
        let t = walk(&Rule::of(&s).plan(), &Berlin, &f, end, limit, &mut |_| told += 1);
        prop_assert_eq!(t, reference(&s, &Berlin, &f, end));
        // With the refresh timer beside a window, an instant that ended inside a window drawn
        // late is counted but not marked.
        prop_assert!(told <= t.marks().min(limit as u64));
        if refresh == 0 {
            prop_assert_eq!(told, t.marks().min(limit as u64));
        }
    }

    /// The work grows with the fetches seen, never with the time between them: a log of
    /// twice the fetches costs at most about twice the steps, and one fetch dated decades
    /// later costs a bounded few steps more.
    #[test]
    fn the_work_doubles_at_most_with_the_fetches_and_not_with_the_span(
        s in followable(),
        refresh in prop_oneof![Just(0u32), 1u32..100_000],
        start in 1_767_225_600i64..1_798_761_600,
        gaps in proptest::collection::vec(1i64..1_000_000, 1..20),
    ) {
        use provpoll::core::log::verdict::steps;
        let s = with_refresh(&s, refresh);
        let end_of = |f: &[Seen]| DateTime::from_timestamp(f[f.len() - 1].at + 3_600, 0).unwrap();
        let once = at_gaps(start, &gaps);
        let twice = at_gaps(start, &[gaps.clone(), gaps.clone()].concat());
        let (a, b) = (steps(&s, &Berlin, &once, end_of(&once)), steps(&s, &Berlin, &twice, end_of(&twice)));
        prop_assert!(b <= 2 * a + 300, "{a} steps, then {b} for twice the fetches");
        // The last fetch 70 years later, at a second's granularity of the refresh timer.
        let mut far = once.clone();
        far.last_mut().unwrap().at += 70 * 365 * 86_400;
        far.last_mut().unwrap().end = far.last().unwrap().at;
        let c = steps(&s, &Berlin, &far, end_of(&far));
        prop_assert!(c <= a + 300, "{a} steps, then {c} with a fetch 70 years on");
    }
}

#[test]
fn random_under_a_day_with_the_refresh_timer_chains_the_shorter_period() {
    // random 3600 with a refresh every 1,800 s: the next fetch comes 30 min after the last at
    // most. A gap of 2 h 1 min: ⌈(2:01 − 0:02) / 0:30⌉ − 1 = 3 missed, then met.
    let s = with_refresh(
        &settings(&[ON, (Key::Mode, "random"), (Key::Period, "3600")]),
        1_800,
    );
    let f = seen(&["2026-01-14T00:00:00Z", "2026-01-14T02:01:00Z"]);
    let (t, v) = judge(&s, &f, "2026-01-14T02:01:30Z");
    assert_eq!(
        (t.expected, t.met, t.missed, t.unscheduled, v),
        (4, 1, 3, 0, Verdict::Missed)
    );
    // A fetch 7 min after the last, earlier than any draw: within the period, so ok.
    let f = seen(&["2026-01-14T00:00:00Z", "2026-01-14T00:07:00Z"]);
    assert_eq!(judge(&s, &f, "2026-01-14T00:08:00Z").1, Verdict::Ok);
}

#[test]
fn a_fetch_dated_2099_is_counted_exactly_and_at_once() {
    use provpoll::core::log::verdict::steps;
    // Every 60 s from 00:00; ten fetches, then one on 1 January 2099. From the last regular
    // fetch L (00:09:00), the schedule expects L + 60·k; k = 1 is L itself (under 2 min).
    // The 2099 fetch F lies K = (F − L) / 60 periods on: it meets k = K − 2 (2 min early
    // meets), and k = 2 … K − 3 are missed: K − 4.
    let every_minute = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "60")]);
    let mut f = seen(&[
        "2026-01-14T00:00:00Z",
        "2026-01-14T00:01:00Z",
        "2026-01-14T00:02:00Z",
        "2026-01-14T00:03:00Z",
        "2026-01-14T00:04:00Z",
        "2026-01-14T00:05:00Z",
        "2026-01-14T00:06:00Z",
        "2026-01-14T00:07:00Z",
        "2026-01-14T00:08:00Z",
        "2026-01-14T00:09:00Z",
    ]);
    f.extend(seen(&["2099-01-01T00:00:00Z"]));
    let k = (utc("2099-01-01T00:00:00Z") - utc("2026-01-14T00:09:00Z")).num_seconds() / 60;
    // 26,650 days (73 years, 18 of them leap, less 13 days of January), less 9 minutes.
    assert_eq!(k, 26_650 * 1_440 - 9);
    let end = "2099-01-01T00:00:00Z";
    let (t, v) = judge(&every_minute, &f, end);
    assert_eq!(
        (t.fetches, t.expected, t.met, t.missed, t.unscheduled, v),
        (
            11,
            10 + (k as u64 - 4),
            10,
            k as u64 - 4,
            0,
            Verdict::Missed
        )
    );
    assert!(steps(&every_minute, &Utc, &f, utc(end)) < 200);
    // The same fetch first in the log, dated 1970: every later one follows a gap of 56 years.
    let mut early = seen(&["1970-01-01T00:00:00Z"]);
    early.extend(f[..10].iter().copied());
    let (t, _) = judge(&every_minute, &early, "2026-01-14T00:09:30Z");
    let k = utc("2026-01-14T00:00:00Z").timestamp() / 60;
    assert_eq!((t.met, t.missed), (10, k as u64 - 4));
    // Daily at 02:00 in Berlin, the same two far fetches: a day at a time would be 26,650.
    let daily = settings(&[ON, (Key::Mode, "abs"), (Key::Time, "02:00")]);
    let far = seen(&["2026-01-14T01:00:00Z", "2099-01-01T01:00:00Z"]);
    let t = tally(&daily, &Berlin, &far, utc("2099-01-01T01:00:30Z"));
    let days = (utc("2099-01-01T00:00:00Z") - utc("2026-01-14T00:00:00Z")).num_days() as u64;
    assert_eq!((t.expected, t.met, t.missed), (days, 1, days - 1));
    assert!(steps(&daily, &Berlin, &far, utc("2099-01-01T01:00:30Z")) < 100);
}

/// A time as a log writes it, each part mostly in its range and now and then out of it or not
/// digits (a sign, a leading space, another script's digits), a month in another case or none,
/// an offset's minutes over 59, a leap second. Each field keeps its width: chrono lets the
/// format's one space match a run of them (`00:00:1  +0000`, a one-digit second), a log's
/// times are fixed width, and provpoll reads them so.
fn stamp() -> impl Strategy<Value = String> {
    let two = |valid: std::ops::Range<u32>| {
        prop_oneof![
            6 => valid.prop_map(|n| format!("{n:02}")),
            2 => (0u32..100).prop_map(|n| format!("{n:02}")),
            1 => prop::sample::select(vec!["+1", " 1", "-1", "1a", "ab", "٣", "1:"]).prop_map(str::to_owned),
        ]
    };
    let month = prop::sample::select(vec![
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "jan",
        "JAN", "Jam", "Foo",
    ]);
    let year = prop_oneof![
        8 => (1900u32..2200).prop_map(|n| n.to_string()),
        1 => prop::sample::select(vec!["+202", "0000", "-202", "20 6", " 202", "+ 20"]).prop_map(str::to_owned),
    ];
    let sign = prop::sample::select(vec!['+', '+', '-', '-', ' ', '0']);
    (
        two(1..29),
        month,
        year,
        two(0..24),
        two(0..60),
        two(0..61),
        sign,
        two(0..15),
        two(0..60),
    )
        .prop_map(|(d, mo, y, h, mi, s, sign, oh, om)| {
            format!("{d}/{mo}/{y}:{h}:{mi}:{s} {sign}{oh}{om}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// A request's time is what chrono's `%d/%b/%Y:%H:%M:%S %z` reads, to the second, and
    /// there is none where chrono reads none.
    #[test]
    fn times_read_as_chrono_reads_them(t in stamp()) {
        use provpoll::core::log::request;
        let line = format!(r#"10.0.0.5 - - [{t}] "GET /a.xml HTTP/1.1" 200 1"#);
        let ours = request::parse(&line).map(|r| r.at);
        let chrono = chrono::DateTime::parse_from_str(&t, "%d/%b/%Y:%H:%M:%S %z").ok();
        prop_assert_eq!(ours, chrono, "{}", t);
    }
}

/// A combined line of `mac`'s own file at `time` (UTC) from `address`, answered `status`.
fn request_line(time: &str, address: &str, path: &str, status: u16) -> String {
    format!("{address} - - [{time} +0000] \"GET {path} HTTP/1.1\" {status} 1 \"-\" \"x\"\n")
}

#[test]
fn the_report_joins_each_phone_of_the_folder_and_of_the_log_worst_first() {
    use provpoll::core::folder::Folder;
    use provpoll::core::log::ingest::Ingest;
    use provpoll::core::log::report;
    let own =
        |body: &str| format!("<settings><phone-settings>\n{body}</phone-settings></settings>\n");
    let hourly = "<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>3600</prov_polling_period>\n";
    let folder = Folder::read(vec![
        // Hourly, its file named in lower case and asked for in upper case: one phone.
        ("snomD785-000413a1b2c3.xml".into(), own(hourly).into_bytes()),
        // A period that is not a number: its settings are invalid, it expects nothing.
        ("000413A1B2C4.xml".into(), own("<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>often</prov_polling_period>\n").into_bytes()),
        // Two phones never seen: a tie, in MAC order.
        ("000413A1B2C6.xml".into(), own(hourly).into_bytes()),
        ("000413A1B2C5.xml".into(), own(hourly).into_bytes()),
    ]);
    let mut log = String::new();
    for h in 0..3 {
        log += &request_line(
            &format!("14/Jan/2026:{h:02}:00:00"),
            "10.0.0.3",
            "/snomD785-000413A1B2C3.xml",
            200,
        );
    }
    // The invalid phone at odd times, the last failed: failing, nothing expected.
    log += &request_line("14/Jan/2026:00:17:00", "10.0.0.4", "/000413a1b2c4.xml", 200);
    log += &request_line("14/Jan/2026:01:42:00", "10.0.0.4", "/000413A1B2C4.xml", 404);
    // Two phones not of the folder (a tie, in MAC order), one with a failed fetch.
    log += &request_line("14/Jan/2026:00:30:00", "10.0.0.9", "/000413FFFF02.xml", 404);
    log += &request_line("14/Jan/2026:00:30:00", "10.0.0.8", "/000413FFFF01.xml", 200);
    log += &request_line("14/Jan/2026:01:30:00", "10.0.0.8", "/000413ffff01.xml", 200);
    let mut ingest = Ingest::new(0);
    ingest.file("access.log".into());
    ingest.push(log.as_bytes());
    let log = ingest.finish();
    let phones = report(&folder, &log, &|_| Box::new(Utc));
    type Row<'a> = (&'a str, Verdict, bool, u64, u64, u64, u64, u64);
    let got: Vec<Row> = phones
        .iter()
        .map(|p| {
            let t = &p.tally;
            (
                p.mac.as_str(),
                p.verdict,
                p.in_folder,
                t.fetches,
                t.failed,
                t.expected,
                t.met,
                t.missed,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("000413A1B2C5", Verdict::NeverSeen, true, 0, 0, 0, 0, 0),
            ("000413A1B2C6", Verdict::NeverSeen, true, 0, 0, 0, 0, 0),
            ("000413FFFF01", Verdict::Unknown, false, 2, 0, 0, 0, 0),
            ("000413FFFF02", Verdict::Unknown, false, 1, 1, 0, 0, 0),
            ("000413A1B2C4", Verdict::Failing, true, 2, 1, 0, 0, 0),
            ("000413A1B2C3", Verdict::Ok, true, 3, 0, 2, 2, 0),
        ]
    );
    assert_eq!(phones[5].tally.unscheduled, 0);
    assert_eq!(
        phones[4].tally.unscheduled, 0,
        "an invalid phone expects nothing"
    );
    assert_eq!(phones[5].last_seen, Some(utc("2026-01-14T02:00:00Z")));
}

#[test]
fn never_update_expects_nothing_whatever_else_is_set() {
    // Hourly polling and a refresh timer, but update_policy never_update: the phone loads
    // nothing, so nothing is expected and every fetch is fine.
    let mut s = with_refresh(&hourly(), 600);
    s.never_update = true;
    let f = seen(&["2026-01-14T00:00:00Z", "2026-01-14T05:17:00Z"]);
    let (t, v) = judge(&s, &f, "2026-01-15T00:00:00Z");
    assert_eq!(
        (t.expected, t.missed, t.unscheduled, t.silent, v),
        (0, 0, 0, false, Verdict::Ok)
    );
    // Random under a day, the same.
    let mut r = settings(&[ON, (Key::Mode, "random"), (Key::Period, "3600")]);
    r.never_update = true;
    let (t, v) = judge(&r, &f, "2026-01-15T00:00:00Z");
    assert_eq!((t.expected, t.missed, v), (0, 0, Verdict::Ok));
}

/// One log of `files` (each a list of lines), read in the order given.
fn read_files(files: &[Vec<String>]) -> provpoll::core::log::read::Log {
    use provpoll::core::log::ingest::Ingest;
    let mut ingest = Ingest::new(0);
    for (i, lines) in files.iter().enumerate() {
        ingest.file(format!("access.log.{i}"));
        ingest.push(lines.concat().as_bytes());
    }
    ingest.finish()
}

#[test]
fn two_phones_behind_one_address_within_a_burst() {
    // 10.0.0.1 is a NAT with two phones behind it. A7 fetches at 00:00:00 (its general file,
    // no MAC, then its own at :01); A8 at 00:00:20 (the same, its own at :21); a firmware
    // image without a MAC at :10, 9 s from A7's burst (:00–:01) and 9 s from A8's (:20–:21):
    // a tie, so the lower MAC's (A7's); and one at :40, 19 s after A8's, 39 s after A7's: A8's.
    let at = |s: u32| format!("14/Jan/2026:00:00:{s:02}");
    let lines = vec![
        request_line(&at(0), "10.0.0.1", "/snomD785.xml", 200),
        request_line(&at(1), "10.0.0.1", "/snomD785-000413A11FA7.xml", 200),
        request_line(&at(10), "10.0.0.1", "/fw/snomD785.bin", 200),
        request_line(&at(20), "10.0.0.1", "/snomD785.xml", 404),
        request_line(&at(21), "10.0.0.1", "/snomD785-000413A11FA8.xml", 404),
        request_line(&at(40), "10.0.0.1", "/fw/snomD785.bin", 200),
    ];
    let log = read_files(&[lines]);
    let t = |s: u32| utc(&format!("2026-01-14T00:00:{s:02}Z")).timestamp();
    let fetches = |mac: &str| {
        log.phones[&provpoll::core::mac::Mac::parse(mac).unwrap()]
            .fetches
            .clone()
    };
    // A7: its general file, its own and the tied image: one fetch from :00 to :10.
    assert_eq!(
        fetches("000413A11FA7"),
        [Seen {
            at: t(0),
            end: t(10),
            ok: true,
            place: 0
        }]
    );
    // A8: the general file (00:00:20 is nearer A8's :21 than A7's :01), its own, the image
    // at :40 that got its file: one fetch, not failed.
    assert_eq!(
        fetches("000413A11FA8"),
        [Seen {
            at: t(20),
            end: t(40),
            ok: true,
            place: 0
        }]
    );
    assert_eq!(log.not_attributed, 0);
}

#[test]
fn a_phone_asking_from_two_addresses_in_one_second_reads_the_same_in_any_order() {
    // A7 asks from 10.0.0.1 and 10.0.0.0 in the same second, A8 from 10.0.0.0; a request
    // without a MAC follows at 10.0.0.0. Which address A7's fetch keeps is decided after the
    // addresses are numbered (the lower, 10.0.0.0), never by which file came first: the
    // proptest below found a log whose two orders differed.
    let at = "14/Jan/2026:00:49:45";
    let a = vec![
        request_line(at, "10.0.0.1", "/snomD785-000413A11FA7.xml", 200),
        request_line(at, "10.0.0.0", "/snomD785-000413A11FA8.xml", 200),
        request_line("14/Jan/2026:00:49:46", "10.0.0.0", "/fw/snomD785.bin", 200),
    ];
    let b = vec![request_line(
        at,
        "10.0.0.0",
        "/snomD785-000413A11FA7.xml",
        200,
    )];
    let first = read_files(&[a.clone(), b.clone()]);
    let second = read_files(&[b, a]);
    assert_eq!(first.phones, second.phones);
    let places = |log: &provpoll::core::log::read::Log, mac: &str| {
        log.phones[&provpoll::core::mac::Mac::parse(mac).unwrap()]
            .fetches
            .iter()
            .map(|f| (f.place, f.end - f.at))
            .collect::<Vec<_>>()
    };
    // Both at place 0 (10.0.0.0); the request without a MAC, 1 s later, joins the lower MAC.
    assert_eq!(places(&first, "000413A11FA7"), [(0, 1)]);
    assert_eq!(places(&first, "000413A11FA8"), [(0, 0)]);
}

#[test]
fn a_phone_seen_only_in_the_log_is_its_paths_vendor_where_its_agent_names_none() {
    use provpoll::core::vendor::Vendor;
    let at = |s: u32| format!("14/Jan/2026:00:00:{s:02}");
    let lines = vec![
        // Yealink's common file without a MAC, then its own file, at one address.
        request_line(&at(0), "10.0.0.5", "/y000000000028.cfg", 200),
        request_line(&at(1), "10.0.0.5", "/805ec0123456.cfg", 200),
        request_line(&at(2), "10.0.0.6", "/cfg000b82123456.xml", 200),
        request_line(&at(3), "10.0.0.7", "/spa0002fdff2103.xml", 200),
        request_line(&at(4), "10.0.0.8", "/0004f2a1b2c4.cfg", 200),
    ];
    let log = read_files(&[lines]);
    let vendor = |mac: &str| log.phones[&provpoll::core::mac::Mac::parse(mac).unwrap()].vendor();
    assert_eq!(vendor("805EC0123456"), Some(Vendor::Yealink));
    assert_eq!(vendor("000B82123456"), Some(Vendor::Grandstream));
    assert_eq!(vendor("0002FDFF2103"), Some(Vendor::Cisco));
    // A `<mac>.cfg` alone says nothing of its vendor (Poly's or Yealink's).
    assert_eq!(vendor("0004F2A1B2C4"), None);
}

/// Requests of three phones (and some without a MAC) at two addresses over two hours.
fn nat_requests() -> impl Strategy<Value = Vec<(u32, Option<u8>, u8, bool)>> {
    proptest::collection::vec(
        (0u32..7_200, prop::option::of(0u8..3), 0u8..2, any::<bool>()),
        1..60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The files of a log (each in time order, as a server writes it) give the same phones,
    /// fetches, models, addresses and unattributed requests in any order.
    #[test]
    fn any_order_of_the_files_gives_the_same_log(
        mut requests in nat_requests(),
        split in proptest::collection::vec(0usize..3, 60),
        order in Just([0usize, 1, 2]).prop_shuffle(),
    ) {
        requests.sort();
        let mut files = vec![Vec::new(); 3];
        for (i, &(s, phone, address, ok)) in requests.iter().enumerate() {
            let time = format!("14/Jan/2026:{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
            let path = match phone {
                Some(p) => format!("/snomD785-000413A11FA{p}.xml"),
                None => "/fw/snomD785.bin".to_owned(),
            };
            let line = request_line(&time, &format!("10.0.0.{address}"), &path, if ok { 200 } else { 404 })
                .replace("\"x\"", &format!("\"snomD785-SIP 10.1.{s}.1\""));
            files[split[i]].push(line);
        }
        let first = read_files(&files);
        let other: Vec<Vec<String>> = order.iter().map(|&i| files[i].clone()).collect();
        let second = read_files(&other);
        prop_assert_eq!(&first.phones, &second.phones);
        prop_assert_eq!(first.not_attributed, second.not_attributed);
        prop_assert_eq!(first.span, second.span);
    }
}

/// The latest moment of a phone's next fetch after one at `last`, by hand.
#[test]
fn the_deadline_is_the_next_expected_fetchs_end_and_the_tolerance() {
    use provpoll::core::log::verdict::deadline;
    let last = utc("2026-01-14T09:05:00Z").timestamp();
    let at = |s: &[(Key, &str)]| deadline(&Rule::of(&settings(s)).plan(), &Utc, last);
    let rel = [ON, (Key::Mode, "rel"), (Key::Period, "600")];
    assert_eq!(at(&rel), Some(last + 600 + TOLERANCE_SECONDS));
    // Daily at 09:00: tomorrow's.
    let abs = [ON, (Key::Mode, "abs"), (Key::Time, "09:00")];
    assert_eq!(at(&abs), Some(utc("2026-01-15T09:02:00Z").timestamp()));
    // Daily between 09:00 and 09:10: the end of tomorrow's window.
    let random = [
        ON,
        (Key::Mode, "random"),
        (Key::Period, "86400"),
        (Key::Time, "09:00"),
        (Key::TimeRandEnd, "09:10"),
    ];
    assert_eq!(at(&random), Some(utc("2026-01-15T09:12:00Z").timestamp()));
    // Within each hour at random: at most an hour after the last.
    let hourly = [ON, (Key::Mode, "random"), (Key::Period, "3600")];
    assert_eq!(at(&hourly), Some(last + 3600 + TOLERANCE_SECONDS));
    // In Berlin, daily from 04:31 until midnight, and a refresh timer of 32 h 41 s, after a
    // fetch at 06:09:50 (16 August 2024, summer time): the next day's window begins first
    // (04:31, 02:31 UTC), but the timer's fetch (14:10:31, 12:10:31 UTC) begins inside it
    // and ends sooner than it (midnight).
    let after = utc("2024-08-16T04:09:50Z").timestamp();
    let window_and_timer = [
        ON,
        (Key::Mode, "random"),
        (Key::Period, "86400"),
        (Key::Time, "04:31"),
        (Key::TimeRandEnd, "00:00"),
        (Key::RefreshTimer, "115241"),
    ];
    assert_eq!(
        deadline(
            &Rule::of(&settings(&window_and_timer)).plan(),
            &Berlin,
            after
        ),
        Some(utc("2024-08-17T12:12:31Z").timestamp())
    );
    // Polling off, no refresh timer: nothing more is expected.
    assert_eq!(at(&[(Key::Enabled, "off")]), None);
}

proptest! {
    /// `provpoll watch` reads the log back by `longest_wait` (and a day): a phone's next fetch
    /// after any fetch is never due later than that, whatever its settings and the day; only
    /// the tolerance is added, twice where a step is shorter than it (an expected fetch within
    /// it of the last one is that one).
    #[test]
    fn no_next_fetch_is_due_later_than_the_longest_wait(
        s in common::any_settings(prop_oneof![Just(0u32), 1u32..200_000], prop_oneof![Just(0u32), 60u32..200_000]),
        last in 1_700_000_000i64..1_900_000_000,
    ) {
        use provpoll::core::log::verdict::deadline;
        let plan = Rule::of(&s).plan();
        match (plan.longest_wait(), deadline(&plan, &Berlin, last)) {
            (Some(longest), Some(due)) => {
                prop_assert!(due - last <= longest as i64 + 2 * TOLERANCE_SECONDS, "{due} {last} {longest}");
            }
            (None, Some(due)) => prop_assert!(false, "a fetch due at {due} with no longest wait"),
            (_, None) => {}
        }
    }
}

proptest! {
    /// `provpoll watch` judges again and again, each phone's closed gaps counted once: its
    /// counts are always the whole walk's, as fetches come and old ones are forgotten.
    #[test]
    fn judging_again_counts_what_one_walk_counts(
        s in common::any_settings(prop_oneof![60u32..7200, 7200u32..400_000], prop_oneof![Just(0u32), 300u32..200_000]),
        gaps in prop::collection::vec(1i64..200_000, 1..30),
        cut in 0usize..30,
        drop in 0usize..5,
        after in 0i64..400_000,
    ) {
        use provpoll::core::log::judged::Judged;
        use provpoll::core::log::verdict::walk;
        use provpoll::core::mac::Mac;
        let plan = Rule::of(&s).plan();
        let mut at = 1_780_000_000i64;
        let seen: Vec<Seen> = gaps
            .iter()
            .map(|g| {
                at += g;
                Seen { at, end: at, ok: g % 7 != 0, place: 0 }
            })
            .collect();
        let end_of = |s: &[Seen]| DateTime::from_timestamp(s.last().map_or(at, |f| f.at) + after, 0).unwrap();
        let whole = |s: &[Seen]| walk(&plan, &Berlin, s, end_of(s), 0, &mut |_| {});
        let mac = Mac::parse("000413A1B2C3").unwrap();
        let mut judged = Judged::default();
        let first = &seen[..cut.min(seen.len())];
        prop_assert_eq!(judged.tally(mac, &plan, &Berlin, first, end_of(first)), whole(first));
        prop_assert_eq!(judged.tally(mac, &plan, &Berlin, &seen, end_of(&seen)), whole(&seen));
        let rest = &seen[drop.min(seen.len() - 1)..];
        prop_assert_eq!(judged.tally(mac, &plan, &Berlin, rest, end_of(rest)), whole(rest));
    }
}
