//! One rule for every consumer: for each kind of polling, the rule read from the settings, the
//! summary, the schedule and the fleet all say the same thing (worked out by hand).

#![cfg(not(target_arch = "wasm32"))]

use chrono::{TimeDelta, Utc};
use provpoll::core::fleet::{Fleet, Spread, load};
use provpoll::core::rule::{Polling, Rule, Unused};
use provpoll::core::schedule::fetches;
use provpoll::core::settings::{ClockTime, Key, Mode};
use provpoll::text::summary::describe;

mod common;
use common::{settings, utc};

const ON: (Key, &str) = (Key::Enabled, "on");

fn t(h: u8, m: u8) -> ClockTime {
    ClockTime::new(h, m).unwrap()
}

#[test]
fn summary_schedule_and_fleet_agree_for_every_kind_of_polling() {
    // T0: Wednesday 10 June 2026, 12:00:00 UTC; two days counted.
    let t0 = utc("2026-06-10T12:00:00Z");
    let horizon = 2 * 86_400;
    // The settings, the rule read from them, the summary, the fetches in the two days.
    type Case<'a> = (Vec<(Key, &'a str)>, Polling, &'a str, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        (
            vec![(Key::Enabled, "off")],
            Polling::Off,
            "No scheduled fetches: polling is off and the refresh timer is 0.",
            vec![],
        ),
        (
            vec![ON],
            Polling::NoMode,
            "Polling is on, but its mode is not set.",
            vec![],
        ),
        (
            vec![ON, (Key::Mode, "rel"), (Key::Period, "43200")],
            Polling::Every { period: 43_200 },
            "Every 12 hours after the settings take effect.",
            vec![
                "2026-06-11T00:00:00Z",
                "2026-06-11T12:00:00Z",
                "2026-06-12T00:00:00Z",
            ],
        ),
        (
            vec![ON, (Key::Mode, "abs"), (Key::Time, "03:00")],
            Polling::Daily { time: t(3, 0) },
            "Every day at 03:00, phone time, from the next 03:00 on.",
            vec!["2026-06-11T03:00:00Z", "2026-06-12T03:00:00Z"],
        ),
        (
            vec![ON, (Key::Mode, "abs")],
            Polling::Untimed { days: None },
            "Every day, at a time that is not set.",
            vec![],
        ),
        (
            vec![
                ON,
                (Key::Mode, "random"),
                (Key::Period, "86400"),
                (Key::Time, "09:00"),
                (Key::TimeRandEnd, "09:00"),
            ],
            Polling::Window {
                days: 1,
                start: t(9, 0),
                end: t(9, 0),
            },
            "Every day, at 09:00, phone time, from tomorrow on.",
            vec!["2026-06-11T09:00:00Z", "2026-06-12T09:00:00Z"],
        ),
        (
            vec![ON, (Key::Mode, "random"), (Key::Period, "100000")],
            Polling::Untimed { days: Some(2) },
            "Every day or more, at a time that is not set.",
            vec![],
        ),
    ];
    let one_phone = Fleet {
        phones: 1,
        spread: Spread::AtOnce,
        horizon,
        bucket: 60,
        seed: 3,
        boot: false,
    };
    for (pairs, polling, summary, instants) in cases {
        let s = settings(&pairs);
        assert_eq!(Rule::of(&s).polling, polling, "{pairs:?}");
        assert_eq!(describe(&s), summary, "{pairs:?}");
        let end = t0 + TimeDelta::seconds(horizon.into());
        let listed: Vec<String> = fetches(&s, t0, &Utc, 3)
            .take_while(|f| f.at < end)
            .map(|f| f.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .collect();
        assert_eq!(listed, instants, "{pairs:?}");
        assert_eq!(
            load(&s, t0, &Utc, &one_phone).unwrap().total,
            instants.len() as u64,
            "{pairs:?}"
        );
    }

    // Chained random intervals: each fetch within the period of the one before, the same draws
    // in the schedule and the fleet (the seed of phone 0 is the fleet's own rule).
    let s = settings(&[ON, (Key::Mode, "random"), (Key::Period, "3600")]);
    assert_eq!(Rule::of(&s).polling, Polling::Chained { period: 3600 });
    assert_eq!(
        describe(&s),
        "At random, each fetch within 1 hour of the one before."
    );
    let (_, seed) = one_phone.phone(0);
    let end = t0 + TimeDelta::seconds(horizon.into());
    let listed: Vec<_> = fetches(&s, t0, &Utc, seed)
        .take_while(|f| f.at < end)
        .collect();
    let mut previous = t0;
    for f in &listed {
        assert!(f.at > previous && f.at <= previous + TimeDelta::seconds(3600));
        previous = f.at;
    }
    assert!(listed.len() >= 48, "at least one an hour: {}", listed.len());
    assert_eq!(
        load(&s, t0, &Utc, &one_phone).unwrap().total,
        listed.len() as u64
    );

    // The refresh timer beside polling, and nothing at all with never_update.
    let s = settings(&[
        ON,
        (Key::Mode, "rel"),
        (Key::Period, "86400"),
        (Key::RefreshTimer, "43200"),
    ]);
    assert_eq!(Rule::of(&s).refresh, Some(43_200));
    assert_eq!(
        describe(&s),
        "Every 1 day after the settings take effect; and independently every 12 hours after the settings take effect (settings_refresh_timer)."
    );
    // Polling on the 11th at 12:00; the timer at 00:00 and 12:00 on the 11th and 00:00 on the
    // 12th (12:00 on the 12th ends the two days).
    assert_eq!(
        fetches(&s, t0, &Utc, 0).take_while(|f| f.at < end).count(),
        4
    );
    let never = provpoll::core::settings::Settings {
        never_update: true,
        ..s
    };
    assert!(!Rule::of(&never).fetches());
    assert_eq!(fetches(&never, t0, &Utc, 0).count(), 0);
}

#[test]
fn the_form_greys_out_what_the_rule_does_not_use() {
    let unused = |pairs: &[(Key, &str)], key| Rule::of(&settings(pairs)).unused(key);
    assert_eq!(unused(&[], Key::Mode), Some(Unused::PollingOff));
    assert_eq!(unused(&[ON], Key::Period), Some(Unused::NoMode));
    assert_eq!(
        unused(&[ON, (Key::Mode, "abs")], Key::Period),
        Some(Unused::InMode(Mode::Abs))
    );
    assert_eq!(
        unused(&[ON, (Key::Mode, "rel")], Key::Time),
        Some(Unused::InMode(Mode::Rel))
    );
    assert_eq!(
        unused(
            &[ON, (Key::Mode, "random"), (Key::Period, "3600")],
            Key::TimeRandEnd
        ),
        Some(Unused::InMode(Mode::Random))
    );
    for key in Key::ALL {
        assert_eq!(
            unused(
                &[
                    ON,
                    (Key::Mode, "random"),
                    (Key::Period, "86400"),
                    (Key::Time, "09:00")
                ],
                key
            ),
            None,
            "{key}"
        );
    }
    assert_eq!(unused(&[], Key::RefreshTimer), None);
}
