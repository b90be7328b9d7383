//! What the timeline draws, as numbers: marks and ticks placed on a 0–1 scale over a span.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};

use crate::core::schedule::{Fetch, Source};
use crate::core::zone::{self, Zone};
use crate::words::{Words, decimal};

/// How far ahead the timeline looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Horizon {
    Day,
    Week,
    Month,
}

impl Horizon {
    pub const ALL: [Horizon; 3] = [Horizon::Day, Horizon::Week, Horizon::Month];

    pub const fn as_str(self) -> &'static str {
        match self {
            Horizon::Day => "day",
            Horizon::Week => "week",
            Horizon::Month => "month",
        }
    }

    pub fn parse(text: &str) -> Option<Horizon> {
        Horizon::ALL.into_iter().find(|h| h.as_str() == text)
    }

    /// The name a picker shows, in English (marked for the page's other languages).
    pub const fn label(self) -> &'static str {
        match self {
            Horizon::Day => en!("day"),
            Horizon::Week => en!("week"),
            Horizon::Month => en!("30 days"),
        }
    }

    pub const fn span(self) -> TimeDelta {
        match self {
            Horizon::Day => TimeDelta::days(1),
            Horizon::Week => TimeDelta::days(7),
            Horizon::Month => TimeDelta::days(30),
        }
    }
}

/// A fetch on the scale: its window from `start` to `end`, and the sampled instant `at`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    pub source: Source,
    pub start: f64,
    pub end: f64,
    pub at: f64,
}

/// Where `t` falls between `from` (0) and `to` (1), clamped.
pub fn position(t: DateTime<Utc>, from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let span = (to - from).num_milliseconds().max(1) as f64;
    ((t - from).num_milliseconds() as f64 / span).clamp(0.0, 1.0)
}

/// The marks of the fetches whose window meets `[from, to]`.
pub fn marks(fetches: &[Fetch], from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Mark> {
    fetches
        .iter()
        .filter(|f| f.latest >= from && f.earliest <= to)
        .map(|f| Mark {
            source: f.source,
            start: position(f.earliest, from, to),
            end: position(f.latest, from, to),
            at: position(f.at, from, to),
        })
        .collect()
}

/// A labelled line on the scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// Ticks at local wall-clock boundaries in `zone`: every 3 hours over a day, every midnight over
/// a week, every midnight (labelled every 5th day) over a month.
pub fn ticks(zone: &dyn Zone, from: DateTime<Utc>, horizon: Horizon, w: &Words) -> Vec<Tick> {
    ticks_over(zone, from, from + horizon.span(), horizon, w)
}

/// Ticks as [`ticks`] makes them for `horizon`, placed over `from` to `to` (a fleet's buckets
/// may start before its horizon and end after it).
pub fn ticks_over(
    zone: &dyn Zone,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    horizon: Horizon,
    w: &Words,
) -> Vec<Tick> {
    let start = zone::local(zone, from);
    let mut out = Vec::new();
    let mut day = start.date_naive();
    // 32 days cover the longest horizon; each step is bounded, so this always ends.
    for _ in 0..32 {
        let hours: &[u32] = match horizon {
            Horizon::Day => &[0, 3, 6, 9, 12, 15, 18, 21],
            _ => &[0],
        };
        for &hour in hours {
            let Some(t) = zone::at_local(zone, day, hour, 0) else {
                continue;
            };
            if t < from || t > to {
                continue;
            }
            let label = match horizon {
                Horizon::Day => format!("{:02}:00", zone::local(zone, t).hour()),
                Horizon::Week => w.short_date(day, true),
                Horizon::Month if day.ordinal0().is_multiple_of(5) => w.short_date(day, false),
                Horizon::Month => String::new(),
            };
            out.push(Tick {
                at: position(t, from, to),
                label,
            });
        }
        match day.checked_add_days(Days::new(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// A wall-clock time as an `<input type="datetime-local">` holds it: `2026-06-11T09:04:31`.
pub fn input_text(t: NaiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Reads `YYYY-MM-DDTHH:MM` with optional `:SS` (a space may stand for the `T`).
pub fn parse_input(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = text.trim().split_once(['T', ' '])?;
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok())?
    };
    let mut d = date.split('-');
    let (y, mo, da) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() {
        return None;
    }
    let mut t = time.split(':');
    let (h, mi, se) = (t.next()?, t.next()?, t.next().unwrap_or("00"));
    if t.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(number(y, 4)? as i32, number(mo, 2)?, number(da, 2)?)?.and_hms_opt(
        number(h, 2)?,
        number(mi, 2)?,
        number(se, 2)?,
    )
}

/// An SVG coordinate, with one decimal.
pub fn svg_number(x: f64) -> String {
    decimal(x, 1)
}

/// Time left until a fetch, in words: `in 2 h 03 min 12 s`, `in 45 s`, `in 3 d 4 h`.
pub fn countdown(seconds: i64, w: &Words) -> String {
    if seconds <= 0 {
        return w.t(en!("now")).to_owned();
    }
    let (d, h, m, s) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
        seconds % 60,
    );
    let (m, s) = (format!("{m:02}"), format!("{s:02}"));
    if d > 0 {
        w.fill(en!("in {0} d {1} h {2} min"), &[&d, &h, &m])
    } else if h > 0 {
        w.fill(en!("in {0} h {1} min {2} s"), &[&h, &m, &s])
    } else if m != "00" {
        w.fill(en!("in {0} min {1} s"), &[&m.trim_start_matches('0'), &s])
    } else {
        w.fill(en!("in {0} s"), &[&s.trim_start_matches('0')])
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn positions_are_clamped_fractions() {
        let (a, b) = (utc("2026-06-10T00:00:00Z"), utc("2026-06-11T00:00:00Z"));
        assert_eq!(position(utc("2026-06-10T06:00:00Z"), a, b), 0.25);
        assert_eq!(position(utc("2026-06-09T06:00:00Z"), a, b), 0.0);
        assert_eq!(position(utc("2026-06-12T06:00:00Z"), a, b), 1.0);
        assert_eq!(position(a, a, a), 0.0);
    }

    #[test]
    fn marks_keep_windows_that_meet_the_span() {
        let (a, b) = (utc("2026-06-10T00:00:00Z"), utc("2026-06-11T00:00:00Z"));
        let f = |e: &str, l: &str, at: &str| Fetch {
            source: Source::Polling,
            earliest: utc(e),
            latest: utc(l),
            at: utc(at),
        };
        let fetches = [
            f(
                "2026-06-10T12:00:00Z",
                "2026-06-10T18:00:00Z",
                "2026-06-10T15:00:00Z",
            ),
            f(
                "2026-06-10T21:00:00Z",
                "2026-06-11T03:00:00Z",
                "2026-06-11T01:00:00Z",
            ),
            f(
                "2026-06-11T06:00:00Z",
                "2026-06-11T07:00:00Z",
                "2026-06-11T06:30:00Z",
            ),
        ];
        assert_eq!(
            marks(&fetches, a, b),
            [
                Mark {
                    source: Source::Polling,
                    start: 0.5,
                    end: 0.75,
                    at: 0.625
                },
                Mark {
                    source: Source::Polling,
                    start: 0.875,
                    end: 1.0,
                    at: 1.0
                },
            ]
        );
    }

    #[test]
    fn ticks_follow_the_local_clock_across_dst() {
        let en = Words::english();
        // The day clocks spring forward in Berlin has 23 hours: 03:00 is 2 hours after 00:00.
        let from = utc("2026-03-28T23:00:00Z"); // 00:00 CET
        let t = ticks(&Berlin, from, Horizon::Day, &en);
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        // 24 hours reach past the next midnight.
        assert_eq!(
            labels,
            [
                "00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00", "00:00"
            ]
        );
        assert_eq!(t[1].at, 2.0 / 24.0);
        let week = ticks(&Berlin, utc("2026-06-10T10:00:00Z"), Horizon::Week, &en);
        let labels: Vec<&str> = week.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Thu 11", "Fri 12", "Sat 13", "Sun 14", "Mon 15", "Tue 16", "Wed 17"
            ]
        );
        let month = ticks(&Berlin, utc("2026-06-10T10:00:00Z"), Horizon::Month, &en);
        assert_eq!(month.len(), 30);
        let labels: Vec<&str> = month
            .iter()
            .map(|t| t.label.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        // Every 5th day of the year, counted from 0: 15 June is 151 + 15 - 1 = 165.
        assert_eq!(
            labels,
            ["15 Jun", "20 Jun", "25 Jun", "30 Jun", "5 Jul", "10 Jul"]
        );
    }

    #[test]
    fn texts_for_the_page() {
        let t = DateTime::parse_from_rfc3339("2026-06-11T09:04:31+02:00").unwrap();
        let ny = DateTime::parse_from_rfc3339("2026-01-01T00:00:00-05:30").unwrap();
        let en = Words::english();
        assert_eq!(en.moment(t, true), "Thu 11 Jun, 09:04:31 +02:00");
        assert_eq!(en.moment(ny, false), "Thu 1 Jan, 00:00 -05:30");
        assert_eq!(input_text(t.naive_local()), "2026-06-11T09:04:31");
        assert_eq!(parse_input("2026-06-11T09:04:31"), Some(t.naive_local()));
        assert_eq!(
            parse_input(" 2026-06-11 09:04 "),
            t.naive_local().with_second(0)
        );
        for bad in [
            "",
            "2026-06-11",
            "2026-6-11T09:04",
            "2026-06-11T9:04",
            "2026-02-30T10:00",
            "2026-06-11T24:00",
            "2026-06-11T10:00:00:00",
            "x026-06-11T10:00",
        ] {
            assert_eq!(parse_input(bad), None, "{bad}");
        }
        assert_eq!(svg_number(0.0), "0.0");
        assert_eq!(svg_number(123.456), "123.5");
        assert_eq!(svg_number(-0.04), "0.0");
        assert_eq!(svg_number(-2.25), "-2.3");
        assert_eq!(svg_number(1000.0), "1000.0");
        assert_eq!(decimal(4.6296, 2), "4.63");
        assert_eq!(decimal(0.05, 2), "0.05");
        assert_eq!(decimal(-1.5, 0), "-2");
        assert_eq!(decimal(99.95, 1), "100.0");
    }

    #[test]
    fn countdowns() {
        assert_eq!(countdown(0, &Words::english()), "now");
        assert_eq!(countdown(45, &Words::english()), "in 45 s");
        assert_eq!(countdown(125, &Words::english()), "in 2 min 05 s");
        assert_eq!(countdown(7_392, &Words::english()), "in 2 h 03 min 12 s");
        assert_eq!(
            countdown(3 * 86_400 + 4 * 3_600 + 60, &Words::english()),
            "in 3 d 4 h 01 min"
        );
    }
}
