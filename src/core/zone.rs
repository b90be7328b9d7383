//! Time zones: the one question the scheduler asks of a zone, and the answers built from it.
//!
//! A [`Zone`] only has to say which UTC offset is in force at an instant. Turning a local
//! wall-clock time into an instant (with the spec's gap and overlap rules) is done here, once, for
//! every zone source: chrono-tz natively, the browser's `Intl` in the app, a fixed offset in tests.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, Utc};

use crate::core::message::{Args, Said, display_said};
use crate::words::offset_text;

/// A source of UTC offsets.
pub trait Zone {
    /// The offset from UTC in force at the instant `utc`.
    fn offset_at(&self, utc: NaiveDateTime) -> FixedOffset;
}

impl Zone for FixedOffset {
    fn offset_at(&self, _: NaiveDateTime) -> FixedOffset {
        *self
    }
}

impl Zone for Utc {
    fn offset_at(&self, _: NaiveDateTime) -> FixedOffset {
        FixedOffset::east_opt(0).expect("zero is a valid offset")
    }
}

/// A shared zone (the browser's zones are looked up once and shared) is the zone.
impl<Z: Zone + ?Sized> Zone for std::rc::Rc<Z> {
    fn offset_at(&self, utc: NaiveDateTime) -> FixedOffset {
        (**self).offset_at(utc)
    }
}

/// `utc` as wall-clock time in `zone`, carrying its offset.
pub fn local(zone: &dyn Zone, utc: DateTime<Utc>) -> DateTime<FixedOffset> {
    utc.with_timezone(&zone.offset_at(utc.naive_utc()))
}

/// The instant at which the wall clock in `zone` shows `wall`.
///
/// A time that occurs twice (fall-back) resolves to its first occurrence; a time that does not
/// occur (spring-forward gap) resolves to the first instant after the gap. `None` only at the
/// edges of chrono's range.
pub fn resolve(zone: &dyn Zone, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
    let day = TimeDelta::days(1);
    // Offsets in force around the wall time; real zones change at most once in a day or so.
    let candidates = [
        wall.checked_sub_signed(day),
        Some(wall),
        wall.checked_add_signed(day),
    ]
    .map(|probe| probe.map(|p| zone.offset_at(p)));
    let candidates = candidates.iter().flatten();

    let instant = |offset: &FixedOffset| {
        wall.checked_sub_signed(TimeDelta::seconds(offset.local_minus_utc().into()))
    };
    // An offset is consistent when it is the one in force at the instant it gives.
    let consistent = candidates
        .clone()
        .filter_map(|o| instant(o).filter(|u| zone.offset_at(*u) == *o))
        .min();
    if let Some(utc) = consistent {
        return Some(utc.and_utc());
    }

    // A gap: with the offset before it, the wall time lands after the change; with the offset
    // after it, before the change. The change itself is the first instant after the gap.
    let smallest = candidates.clone().min_by_key(|o| o.local_minus_utc())?;
    let largest = candidates.max_by_key(|o| o.local_minus_utc())?;
    let (a, b) = (instant(smallest)?, instant(largest)?);
    let (mut early, mut late) = (
        a.min(b).and_utc().timestamp(),
        a.max(b).and_utc().timestamp(),
    );
    let offset =
        |secs: i64| DateTime::from_timestamp(secs, 0).map(|t| zone.offset_at(t.naive_utc()));
    let before = offset(early)?;
    // Invariant: the offset at `early` is the one before the change, at `late` it is not.
    while late - early > 1 {
        let mid = early + (late - early) / 2;
        if offset(mid)? == before {
            early = mid;
        } else {
            late = mid;
        }
    }
    DateTime::from_timestamp(late, 0)
}

/// The instant `time` on local `date` in `zone` (see [`resolve`]).
pub fn at_local(zone: &dyn Zone, date: NaiveDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    resolve(zone, date.and_hms_opt(hour, minute, 0)?)
}

/// A snom `timezone` code and the IANA zone it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnomZone {
    pub code: &'static str,
    /// Empty where the code's meaning is unclear.
    pub iana: &'static str,
    /// The standard offset the code encodes, in seconds east of UTC.
    pub offset: i32,
}

const SNOM_ZONES: &str = include_str!("../../data/snom-timezones.tsv");

/// Looks up a vendor `timezone` code (`GER+1`, `USA-5`, …), ignoring surrounding whitespace.
pub fn snom_zone(code: &str) -> Option<SnomZone> {
    let code = code.trim();
    SNOM_ZONES.lines().skip(1).find_map(|line| {
        let mut cols = line.split('\t');
        let (c, iana, offset) = (cols.next()?, cols.next()?, cols.next()?);
        if c != code {
            return None;
        }
        let offset = parse_offset(offset)?;
        Some(SnomZone {
            code: c,
            iana,
            offset,
        })
    })
}

/// `+05:30` / `-10:00` as seconds east of UTC.
fn parse_offset(text: &str) -> Option<i32> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = text[1..].split_once(':')?;
    Some(sign * (h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60))
}

/// The zone's standard offset in the year of `at` (the smaller of January's and July's), to
/// compare with the offset a vendor code encodes.
fn standard_offset(zone: &dyn Zone, at: DateTime<Utc>) -> i32 {
    use chrono::Datelike;
    let year = at.year();
    [1, 7]
        .into_iter()
        .filter_map(|month| NaiveDate::from_ymd_opt(year, month, 1)?.and_hms_opt(0, 0, 0))
        .map(|probe| zone.offset_at(probe).local_minus_utc())
        .min()
        .unwrap_or(0)
}

/// Where the phone's zone comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZoneOrigin<'a> {
    /// The file's `timezone` code, as on the phone.
    File { code: &'a str },
    /// The zone the user chose.
    Chosen,
    /// Neither: the fallback.
    Default,
}

/// What the user should know about how the phone's zone was found. Its text is made in one
/// place, its `Display`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ZoneNote<'a> {
    /// The file's code decides the zone.
    FromFile { code: &'a str, zone: &'static str },
    /// The file's code decides the zone, not the zone the user chose.
    OverridesChoice {
        code: &'a str,
        zone: &'static str,
        choice: &'a str,
    },
    /// The offset the code encodes is not the zone's standard offset today.
    StaleOffset {
        code: &'a str,
        zone: &'static str,
        encoded: UtcOffset,
        standard: UtcOffset,
    },
    /// The code stands for no known zone.
    UnknownCode { code: &'a str, using: &'a str },
    /// The code's zone is not known to this source of zones (an old browser, say).
    UnavailableZone {
        code: &'a str,
        zone: &'static str,
        using: &'a str,
    },
    /// The zone the user chose is not known here.
    UnknownChoice { choice: &'a str, using: &'a str },
}

impl ZoneNote<'_> {
    /// Whether it is a warning (a doubt about the zone) rather than where the zone came from.
    pub fn is_warning(&self) -> bool {
        !matches!(self, ZoneNote::FromFile { .. })
    }
}

impl Said for ZoneNote<'_> {
    fn template(&self) -> &'static str {
        match self {
            ZoneNote::FromFile { .. } => en!(
                "the file's timezone {0} puts the phone in {1}; the schedule uses it, as the phone does"
            ),
            ZoneNote::OverridesChoice { .. } => en!(
                "the file's timezone {0} ({1}) overrides the zone chosen, {2}, as it does on the phone"
            ),
            ZoneNote::StaleOffset { .. } => en!(
                "the timezone code {0} stands for UTC{2}, but {1} is now UTC{3}: the phone's clock may differ from local time; the schedule uses {1}"
            ),
            ZoneNote::UnknownCode { .. } => {
                en!("the timezone code \"{0}\" has no known IANA zone; the schedule uses {1}")
            }
            ZoneNote::UnavailableZone { .. } => en!(
                "the file's timezone {0} means {1}, which is not known here; the schedule uses {2}"
            ),
            ZoneNote::UnknownChoice { .. } => {
                en!("the zone \"{0}\" is not known here; the schedule uses {1}")
            }
        }
    }

    fn args(&self) -> Args<'_> {
        match self {
            ZoneNote::FromFile { code, zone } => [code, zone, &"", &""],
            ZoneNote::OverridesChoice {
                code,
                zone,
                choice: other,
            }
            | ZoneNote::UnavailableZone {
                code,
                zone,
                using: other,
            } => [code, zone, other, &""],
            ZoneNote::StaleOffset {
                code,
                zone,
                encoded,
                standard,
            } => [code, zone, encoded, standard],
            ZoneNote::UnknownCode { code, using }
            | ZoneNote::UnknownChoice {
                choice: code,
                using,
            } => [code, using, &"", &""],
        }
    }
}

display_said!(ZoneNote<'_>);

/// An offset from UTC in seconds east, shown as `+05:30` ([`offset_text`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtcOffset(pub i32);

impl std::fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&offset_text(self.0))
    }
}

/// The zone a phone keeps time in, where it came from, and what to tell the user.
pub struct PhoneZone<'a, Z> {
    pub zone: Z,
    pub name: &'a str,
    pub origin: ZoneOrigin<'a>,
    pub notes: Vec<ZoneNote<'a>>,
}

/// The phone's zone: its file's `timezone` code wins, as on the phone (with a warning when the
/// code's offset is stale); else the zone the user chose; else `fallback`. `lookup` finds a zone
/// by IANA name: chrono-tz on the command line, the browser's `Intl` in the app.
pub fn phone_zone<'a, Z: std::ops::Deref<Target = dyn Zone>>(
    code: Option<&'a str>,
    choice: Option<&'a str>,
    lookup: impl Fn(&str) -> Option<Z>,
    fallback: (&'a str, Z),
    at: DateTime<Utc>,
) -> PhoneZone<'a, Z> {
    let mut notes = Vec::new();
    let chosen = choice.and_then(|c| Some((c, lookup(c)?)));
    let using = chosen.as_ref().map_or(fallback.0, |&(c, _)| c);
    if let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) {
        match snom_zone(code).filter(|z| !z.iana.is_empty()) {
            Some(snom) => match lookup(snom.iana) {
                Some(zone) => {
                    let name = snom.iana;
                    notes.push(ZoneNote::FromFile { code, zone: name });
                    let standard = standard_offset(&*zone, at);
                    if standard != snom.offset {
                        notes.push(ZoneNote::StaleOffset {
                            code,
                            zone: name,
                            encoded: UtcOffset(snom.offset),
                            standard: UtcOffset(standard),
                        });
                    }
                    if let Some(choice) = choice.filter(|&c| c != name) {
                        notes.push(ZoneNote::OverridesChoice {
                            code,
                            zone: name,
                            choice,
                        });
                    }
                    return PhoneZone {
                        zone,
                        name,
                        origin: ZoneOrigin::File { code },
                        notes,
                    };
                }
                None => notes.push(ZoneNote::UnavailableZone {
                    code,
                    zone: snom.iana,
                    using,
                }),
            },
            None => notes.push(ZoneNote::UnknownCode { code, using }),
        }
    }
    match chosen {
        Some((name, zone)) => PhoneZone {
            zone,
            name,
            origin: ZoneOrigin::Chosen,
            notes,
        },
        None => {
            if let Some(choice) = choice {
                notes.push(ZoneNote::UnknownChoice {
                    choice,
                    using: fallback.0,
                });
            }
            PhoneZone {
                zone: fallback.1,
                name: fallback.0,
                origin: ZoneOrigin::Default,
                notes,
            }
        }
    }
}

// The reference zones come from chrono-tz, a native-only dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Every vendor code, in the table's order (west to east).
    fn snom_codes() -> impl Iterator<Item = &'static str> {
        SNOM_ZONES
            .lines()
            .skip(1)
            .filter_map(|line| line.split('\t').next())
    }
    use chrono_tz::{America::New_York, Europe::Berlin};

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn wall(date: (i32, u32, u32), h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(date.0, date.1, date.2)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn ordinary_times() {
        assert_eq!(
            resolve(&Berlin, wall((2026, 1, 15), 9, 0)),
            Some(utc("2026-01-15T08:00:00Z"))
        );
        assert_eq!(
            resolve(&Berlin, wall((2026, 7, 15), 9, 0)),
            Some(utc("2026-07-15T07:00:00Z"))
        );
    }

    #[test]
    fn spring_gap_resolves_to_the_end_of_the_gap() {
        // Berlin 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        for minute in [0, 30, 59] {
            assert_eq!(
                resolve(&Berlin, wall((2026, 3, 29), 2, minute)),
                Some(utc("2026-03-29T01:00:00Z"))
            );
        }
        assert_eq!(
            resolve(&Berlin, wall((2026, 3, 29), 3, 0)),
            Some(utc("2026-03-29T01:00:00Z"))
        );
        // New York 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
        assert_eq!(
            resolve(&New_York, wall((2026, 3, 8), 2, 30)),
            Some(utc("2026-03-08T07:00:00Z"))
        );
    }

    #[test]
    fn fall_overlap_resolves_to_the_first_occurrence() {
        // Berlin 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice.
        assert_eq!(
            resolve(&Berlin, wall((2026, 10, 25), 2, 30)),
            Some(utc("2026-10-25T00:30:00Z"))
        );
        // New York 2026-11-01: 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST).
        assert_eq!(
            resolve(&New_York, wall((2026, 11, 1), 1, 30)),
            Some(utc("2026-11-01T05:30:00Z"))
        );
    }

    #[test]
    fn local_carries_the_offset() {
        let t = local(&Berlin, utc("2026-07-01T12:00:00Z"));
        assert_eq!(t.to_rfc3339(), "2026-07-01T14:00:00+02:00");
    }

    #[test]
    fn edges_of_time_do_not_panic() {
        let _ = resolve(&Berlin, NaiveDateTime::MAX);
        let _ = resolve(&Berlin, NaiveDateTime::MIN);
        let _ = resolve(&Utc, NaiveDateTime::MAX);
        assert_eq!(
            resolve(&Berlin, wall((9999, 12, 31), 23, 59)),
            Some(utc("9999-12-31T22:59:00Z"))
        );
    }

    #[test]
    fn snom_codes_map_to_iana() {
        let ger = snom_zone("GER+1").unwrap();
        assert_eq!((ger.iana, ger.offset), ("Europe/Berlin", 3600));
        assert_eq!(snom_zone(" USA-5 ").unwrap().iana, "America/New_York");
        assert_eq!(snom_zone("VEN-4.5").unwrap().offset, -16200);
        assert_eq!(snom_zone("CAI+1").unwrap().iana, "");
        assert_eq!(snom_zone("UK"), None);
        assert_eq!(snom_codes().count(), 123);
        // Every mapped code names a zone chrono-tz knows.
        for code in snom_codes() {
            let zone = snom_zone(code).unwrap();
            assert!(
                zone.iana.is_empty() || zone.iana.parse::<chrono_tz::Tz>().is_ok(),
                "{code}"
            );
        }
    }

    #[test]
    fn standard_offsets() {
        let t = utc("2026-06-01T00:00:00Z");
        assert_eq!(standard_offset(&Berlin, t), 3600);
        assert_eq!(standard_offset(&New_York, t), -5 * 3600);
        assert_eq!(standard_offset(&chrono_tz::Australia::Sydney, t), 10 * 3600);
        assert_eq!(standard_offset(&chrono_tz::America::Caracas, t), -4 * 3600);
    }

    #[test]
    fn the_phones_zone_is_decided_once() {
        let at = utc("2026-06-10T12:00:00Z");
        let lookup = |name: &str| {
            name.parse::<chrono_tz::Tz>()
                .ok()
                .map(|tz| Box::new(tz) as Box<dyn Zone>)
        };
        let fallback = || ("UTC", Box::new(Utc) as Box<dyn Zone>);
        let p = phone_zone(Some(" GER+1 "), Some("UTC"), lookup, fallback(), at);
        assert_eq!(
            (p.name, &p.origin),
            ("Europe/Berlin", &ZoneOrigin::File { code: "GER+1" })
        );
        assert_eq!(
            p.notes,
            [
                ZoneNote::FromFile {
                    code: "GER+1",
                    zone: "Europe/Berlin"
                },
                ZoneNote::OverridesChoice {
                    code: "GER+1",
                    zone: "Europe/Berlin",
                    choice: "UTC"
                },
            ]
        );
        assert!(!p.notes[0].is_warning() && p.notes[1].is_warning());
        // TUR+2 encodes +02:00; Istanbul keeps +03:00 all year now.
        let p = phone_zone(Some("TUR+2"), None, lookup, fallback(), at);
        assert_eq!(
            p.notes[1].to_string(),
            "the timezone code TUR+2 stands for UTC+02:00, but Europe/Istanbul is now UTC+03:00: the phone's clock may differ from local time; the schedule uses Europe/Istanbul"
        );
        // An unknown code falls back to the choice; an unknown choice to the fallback.
        let p = phone_zone(Some("XYZ+9"), Some("Asia/Tokyo"), lookup, fallback(), at);
        assert_eq!((p.name, &p.origin), ("Asia/Tokyo", &ZoneOrigin::Chosen));
        assert_eq!(
            p.notes,
            [ZoneNote::UnknownCode {
                code: "XYZ+9",
                using: "Asia/Tokyo"
            }]
        );
        let p = phone_zone(None, Some("Nowhere/Void"), lookup, fallback(), at);
        assert_eq!((p.name, &p.origin), ("UTC", &ZoneOrigin::Default));
        assert_eq!(
            p.notes[0].to_string(),
            "the zone \"Nowhere/Void\" is not known here; the schedule uses UTC"
        );
        let p = phone_zone(None, None, lookup, fallback(), at);
        assert_eq!((p.name, p.notes.len()), ("UTC", 0));
    }
}
