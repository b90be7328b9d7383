//! The fleet model: small fleets worked out by hand, and the same counts as every phone's own
//! schedule for any settings.

#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use provpoll::core::fleet::{
    Alternative, Fleet, Job, Load, Member, Rules, Spread, load, mixed_load,
};
use provpoll::core::schedule::fetches;
use provpoll::core::settings::{ClockTime, Key, Mode, Settings};
use provpoll::core::zone::Zone;

mod common;
use common::{settings, utc};

fn fleet(phones: u32, spread: Spread, horizon: u32, bucket: u32) -> Fleet {
    Fleet {
        phones,
        spread,
        horizon,
        bucket,
        seed: 7,
        boot: false,
    }
}

/// The non-zero buckets as (bucket index, count).
fn nonzero(load: &Load) -> Vec<(usize, u32)> {
    load.counts
        .iter()
        .enumerate()
        .filter(|&(_, &c)| c > 0)
        .map(|(i, &c)| (i, c))
        .collect()
}

const ON: (Key, &str) = (Key::Enabled, "on");

#[test]
fn three_phones_after_a_power_cut_come_back_together() {
    let s = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "3600")]);
    let from = utc("2026-06-10T00:00:00Z");
    let l = load(&s, from, &Utc, &fleet(3, Spread::AtOnce, 3 * 3600, 60)).unwrap();
    // 01:00 and 02:00; 03:00 is the end of the horizon, not in it.
    assert_eq!(nonzero(&l), [(60, 3), (120, 3)]);
    assert_eq!((l.total, l.peak), (6, 3));
    assert_eq!(l.peak_at, utc("2026-06-10T01:00:00Z"));
    assert_eq!(l.mean, 6.0 / 180.0);
    assert_eq!(l.fetched_share, 1.0);
}

#[test]
fn after_a_power_cut_every_phone_fetches_at_boot() {
    // 600 phones, rel 3600, all booting at 12:00:30: the boot minute holds all 600, and so
    // does each whole hour after it (the 13:00:30 fetches fall in the 13:00 minute).
    let s = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "3600")]);
    let from = utc("2026-06-10T12:00:30Z");
    let f = Fleet {
        boot: true,
        ..fleet(600, Spread::AtOnce, 3 * 3600, 60)
    };
    let l = load(&s, from, &Utc, &f).unwrap();
    assert_eq!(nonzero(&l), [(0, 600), (60, 600), (120, 600)]);
    assert_eq!(l.buckets_from, utc("2026-06-10T12:00:00Z"));
    assert_eq!(
        l.counts.len(),
        181,
        "the horizon ends at 15:00:30, in a 181st minute"
    );
    assert_eq!((l.total, l.peak), (1800, 600));
    assert_eq!(
        l.peak_at,
        utc("2026-06-10T12:00:00Z"),
        "the boot minute comes first"
    );
    assert_eq!(l.mean, 1800.0 / 180.0);
    // Without it, the first request comes an hour later.
    let l = load(&s, from, &Utc, &Fleet { boot: false, ..f }).unwrap();
    assert_eq!(nonzero(&l), [(60, 600), (120, 600)]);

    // A random window from 01:00 to 05:00 no longer hides the boot: 600 in the first minute.
    let s = settings(&[
        ON,
        (Key::Mode, "random"),
        (Key::Period, "86400"),
        (Key::Time, "01:00"),
        (Key::TimeRandEnd, "05:00"),
    ]);
    let two_days = Fleet {
        horizon: 2 * 86_400,
        ..f
    };
    // Two days from 12:00:30: the boot, then the windows of the 11th and the 12th.
    let l = load(&s, from, &Utc, &two_days).unwrap();
    assert_eq!((l.counts[0], l.peak, l.total), (600, 600, 1800));
    assert_eq!(l.peak_at, utc("2026-06-10T12:00:00Z"));
    // A phone that never updates asks for nothing, not even at boot.
    let never = Settings {
        never_update: true,
        ..s
    };
    assert_eq!(load(&never, from, &Utc, &two_days).unwrap().total, 0);
}

#[test]
fn buckets_start_on_the_phones_whole_minutes() {
    // abs at 01:00 Berlin time, counting from 00:59:54 Berlin (22:59:54 UTC): the fetch is in
    // the bucket that starts at 01:00:00, not in one that starts at 00:59:54.
    let s = settings(&[ON, (Key::Mode, "abs"), (Key::Time, "01:00")]);
    let from = utc("2026-06-09T22:59:54Z");
    let l = load(
        &s,
        from,
        &chrono_tz::Europe::Berlin,
        &fleet(5, Spread::AtOnce, 3600, 60),
    )
    .unwrap();
    assert_eq!(l.buckets_from, utc("2026-06-09T22:59:00Z"));
    assert_eq!(nonzero(&l), [(1, 5)]);
    assert_eq!(l.peak_at, utc("2026-06-09T23:00:00Z"));
    assert_eq!(l.bucket_at(1), utc("2026-06-09T23:00:00Z"));
    // Hour buckets follow the wall clock too: in Kolkata (+05:30) they start at local :00.
    let l = load(
        &s,
        utc("2026-06-10T00:10:00Z"),
        &chrono_tz::Asia::Kolkata,
        &fleet(1, Spread::AtOnce, 86_400, 3600),
    )
    .unwrap();
    assert_eq!(
        l.buckets_from,
        utc("2026-06-09T23:30:00Z"),
        "05:00 in Kolkata"
    );
    assert_eq!(l.counts.len(), 25);
}

#[test]
fn a_rolling_deployment_spreads_them() {
    let s = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "3600")]);
    let from = utc("2026-06-10T00:00:00Z");
    // T0s at 0, 1200 and 2400 s: fetches at 3600, 4800 and 6000 s.
    let l = load(&s, from, &Utc, &fleet(3, Spread::Uniform(3600), 7200, 600)).unwrap();
    assert_eq!(nonzero(&l), [(6, 1), (8, 1), (10, 1)]);
    assert_eq!((l.total, l.peak), (3, 1));
    assert_eq!(l.peak_at, utc("2026-06-10T01:00:00Z"));
}

#[test]
fn absolute_polling_starts_each_phone_at_its_first_time_after_t0() {
    let s = settings(&[ON, (Key::Mode, "abs"), (Key::Time, "12:00")]);
    let from = utc("2026-06-10T00:00:00Z");
    // T0s at 00:00, 08:00 and 16:00 UTC: two phones at noon on the first day, all three next.
    let l = load(
        &s,
        from,
        &Utc,
        &fleet(3, Spread::Uniform(86_400), 2 * 86_400, 3600),
    )
    .unwrap();
    assert_eq!(nonzero(&l), [(12, 2), (36, 3)]);
    assert_eq!(l.fetched_share, 1.0);
    let one_day = load(
        &s,
        from,
        &Utc,
        &fleet(3, Spread::Uniform(86_400), 86_400, 3600),
    )
    .unwrap();
    assert_eq!(one_day.fetched_share, 2.0 / 3.0);
}

#[test]
fn the_refresh_timer_adds_to_polling() {
    let s = settings(&[
        ON,
        (Key::Mode, "rel"),
        (Key::Period, "3600"),
        (Key::RefreshTimer, "5400"),
    ]);
    let l = load(
        &s,
        utc("2026-06-10T00:00:00Z"),
        &Utc,
        &fleet(2, Spread::AtOnce, 3 * 3600, 1800),
    )
    .unwrap();
    // Polling at 1 h and 2 h, refresh at 1.5 h: buckets of 30 minutes.
    assert_eq!(nonzero(&l), [(2, 2), (3, 2), (4, 2)]);
}

#[test]
fn nothing_loaded_and_bad_fleets() {
    let never = Settings {
        never_update: true,
        ..settings(&[ON, (Key::Mode, "rel"), (Key::Period, "60")])
    };
    let l = load(
        &never,
        utc("2026-06-10T00:00:00Z"),
        &Utc,
        &fleet(10, Spread::AtOnce, 3600, 60),
    )
    .unwrap();
    assert_eq!((l.total, l.fetched_share), (0, 0.0));
    let s = Settings::default();
    let from = utc("2026-06-10T00:00:00Z");
    let err = |f: Fleet| load(&s, from, &Utc, &f).unwrap_err().to_string();
    assert_eq!(
        err(fleet(0, Spread::AtOnce, 60, 60)),
        "the number of phones must be from 1 to 100000, not 0"
    );
    assert_eq!(
        err(fleet(100_001, Spread::AtOnce, 60, 60)),
        "the number of phones must be from 1 to 100000, not 100001"
    );
    assert_eq!(
        err(fleet(1, Spread::AtOnce, 60, 0)),
        "the bucket must be at least 1 second"
    );
    assert_eq!(
        err(fleet(1, Spread::AtOnce, 59, 60)),
        "the horizon (59 s) must be at least one bucket (60 s)"
    );
    assert_eq!(
        err(fleet(1, Spread::AtOnce, 2_000_000, 1)),
        "2000000 buckets are too many: at most 1000000; choose a longer bucket or a shorter horizon"
    );
}

#[test]
fn random_windows_stay_near_the_uniform_expectation() {
    // 10,000 phones, one window a day from 09:00 to 10:00: 3601 possible seconds.
    let s = settings(&[
        ON,
        (Key::Mode, "random"),
        (Key::Period, "86400"),
        (Key::Time, "09:00"),
        (Key::TimeRandEnd, "10:00"),
    ]);
    let from = utc("2026-06-10T00:00:00Z");
    let l = load(
        &s,
        from,
        &Utc,
        &fleet(10_000, Spread::AtOnce, 2 * 86_400, 60),
    )
    .unwrap();
    assert_eq!(l.total, 10_000, "one fetch per phone, on the next day");
    // Each full minute: Binomial(10000, 60/3601), mean 166.6, sd 12.8; 5 sd either side.
    let day2 = 24 * 60;
    for minute in 9 * 60..10 * 60 {
        let c = f64::from(l.counts[day2 + minute]);
        assert!((c - 166.6).abs() < 64.0, "minute {minute}: {c}");
    }
    assert!(
        l.counts[day2 + 10 * 60] < 20,
        "10:00 is one second of the window"
    );
    // Against all at 10:00 the next day, as in rel mode after a power cut: a 60th of the peak.
    assert!(l.peak < 250, "{}", l.peak);
}

#[test]
fn random_intervals_under_a_day_settle_to_an_even_rate() {
    // Intervals uniform in 1..=600 s average 300.5 s: 10,000 phones make 1996.7 a minute.
    let s = settings(&[ON, (Key::Mode, "random"), (Key::Period, "600")]);
    let l = load(
        &s,
        utc("2026-06-10T00:00:00Z"),
        &Utc,
        &fleet(10_000, Spread::AtOnce, 6 * 3600, 60),
    )
    .unwrap();
    // After the first hour the start has worn off. A minute's count sums 10,000 independent
    // phones, each with about 0.2 fetches in it (nearly always 0 or 1): its sd is about 41, and
    // 200 is almost 5 sd.
    for (minute, &c) in l.counts.iter().enumerate().skip(60) {
        assert!(
            (f64::from(c) - 1996.7).abs() < 200.0,
            "minute {minute}: {c}"
        );
    }
}

#[test]
fn alternatives_change_one_thing() {
    let rel = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "172800")]);
    let (random, spread) = Alternative::RandomMode.apply(&rel, 0);
    assert_eq!(random.mode, Some(Mode::Random));
    assert_eq!((random.period, spread), (172_800, 0));
    assert_eq!(
        (random.time, random.time_rand_end),
        (ClockTime::new(0, 0), ClockTime::new(23, 59))
    );
    let (abs, _) = Alternative::AbsMode.apply(&rel, 0);
    assert_eq!(
        (abs.mode, abs.time),
        (Some(Mode::Abs), ClockTime::new(3, 0))
    );
    assert_eq!(Alternative::SpreadOverAnHour.apply(&rel, 0), (rel, 3600));
    let off = Settings {
        enabled: false,
        ..rel
    };
    assert!(Alternative::RelMode.apply(&off, 60).0.enabled);
    for a in Alternative::ALL {
        assert_eq!(Alternative::parse(a.as_str()), Some(a));
    }
}

#[test]
fn the_comparison_starts_with_the_first_alternative_that_changes_something() {
    use provpoll::core::fleet::Change;
    let change = |key, from: &str, to: &str| Change {
        key,
        from: Some(from.to_owned()),
        to: Some(to.to_owned()),
    };
    // The vendor's example is random already: rel is the first that differs.
    let example = settings(&[
        ON,
        (Key::Mode, "random"),
        (Key::Period, "86400"),
        (Key::Time, "09:00"),
        (Key::TimeRandEnd, "09:10"),
    ]);
    assert!(Alternative::RandomMode.changes(&example, 0).is_empty());
    assert_eq!(
        Alternative::first_differing(&example, 0),
        Alternative::RelMode
    );
    assert_eq!(
        Alternative::RelMode.changes(&example, 0),
        [change(Some(Key::Mode), "random", "rel")]
    );
    // rel: random is first, and says what else it sets (a whole-day window, there being no
    // time).
    let rel = settings(&[ON, (Key::Mode, "rel"), (Key::Period, "172800")]);
    assert_eq!(
        Alternative::first_differing(&rel, 0),
        Alternative::RandomMode
    );
    assert_eq!(
        Alternative::RandomMode.changes(&rel, 0),
        [
            change(Some(Key::Mode), "rel", "random"),
            Change {
                key: Some(Key::Time),
                from: None,
                to: Some("00:00".into()),
            },
            Change {
                key: Some(Key::TimeRandEnd),
                from: None,
                to: Some("23:59".into()),
            },
        ]
    );
    // Polling off: every alternative turns it on (random, with no time, over the whole day).
    let off = settings(&[(Key::Mode, "random"), (Key::Time, "09:00")]);
    assert_eq!(
        Alternative::RandomMode.changes(&off, 600),
        [change(Some(Key::Enabled), "off", "on")]
    );
    // Spread over an hour: only the spread, and nothing when it is an hour already.
    assert_eq!(
        Alternative::SpreadOverAnHour.changes(&rel, 0),
        [change(None, "0", "3600")]
    );
    assert!(Alternative::SpreadOverAnHour.changes(&rel, 3600).is_empty());
}

proptest! {
    /// Whatever the settings and spread, the first alternative that differs changes something,
    /// unless none does; and what it says it changes is what applying it changes.
    #[test]
    fn the_first_differing_alternative_differs(
        mode in 0usize..4,
        enabled in any::<bool>(),
        period in 1u32..400_000,
        spread in prop::sample::select(vec![0u32, 600, 3600, 21_600, 86_400]),
    ) {
        let s = Settings {
            enabled,
            mode: [None, Some(Mode::Rel), Some(Mode::Abs), Some(Mode::Random)][mode],
            period,
            time: ClockTime::new(9, 0),
            ..Settings::default()
        };
        let first = Alternative::first_differing(&s, spread);
        let any_differs = Alternative::ALL.iter().any(|a| a.apply(&s, spread) != (s, spread));
        prop_assert_eq!(!first.changes(&s, spread).is_empty(), any_differs);
        for a in Alternative::ALL {
            let (alt, alt_spread) = a.apply(&s, spread);
            let changed: Vec<Option<Key>> = a.changes(&s, spread).into_iter().map(|c| c.key).collect();
            let expected: Vec<Option<Key>> = Key::ALL
                .into_iter()
                .filter(|&k| alt.value_text(k) != s.value_text(k))
                .map(Some)
                .chain((alt_spread != spread).then_some(None))
                .collect();
            prop_assert_eq!(changed, expected);
        }
    }
}

/// Where the first bucket starts before `from`: buckets lie on the phone's wall clock.
fn lead(from: DateTime<Utc>, zone: &dyn Zone, bucket: u32) -> i64 {
    let offset = zone.offset_at(from.naive_utc()).local_minus_utc();
    (from.timestamp() + i64::from(offset)).rem_euclid(i64::from(bucket))
}

/// Every phone's own schedule, bucketed: what [`load`] must equal. With `f.boot`, each phone's
/// T0 is a fetch too.
fn brute_force(s: &Settings, from: DateTime<Utc>, zone: &dyn Zone, f: &Fleet) -> (Vec<u32>, u32) {
    brute_force_mixed(&|_| (s, zone), from, zone, f)
}

/// The same for phones that differ: `phone(i)` gives phone `i`'s settings and zone; buckets lie
/// on `grid`'s wall clock.
fn brute_force_mixed<'a>(
    phone: &dyn Fn(u32) -> (&'a Settings, &'a dyn Zone),
    from: DateTime<Utc>,
    grid: &dyn Zone,
    f: &Fleet,
) -> (Vec<u32>, u32) {
    let lead = lead(from, grid, f.bucket);
    let b = i64::from(f.bucket);
    let mut counts = vec![0u32; (lead + i64::from(f.horizon) + b - 1) as usize / b as usize];
    let end = from + TimeDelta::seconds(f.horizon.into());
    let mut fetched = 0;
    for i in 0..f.phones {
        let (s, zone) = phone(i);
        let (offset, seed) = f.phone(i);
        let t0 = from + TimeDelta::seconds(offset.into());
        let mut any = false;
        let boot = (f.boot && !s.never_update).then_some(t0);
        let all = boot
            .into_iter()
            .chain(fetches(s, t0, zone, seed).map(|x| x.at))
            .take_while(|&at| at < end);
        for at in all {
            counts[((at - from).num_seconds() + lead) as usize / b as usize] += 1;
            any = true;
        }
        fetched += u32::from(any);
    }
    (counts, fetched)
}

fn zones() -> Vec<Box<dyn Zone>> {
    vec![
        Box::new(Utc),
        Box::new(chrono_tz::Europe::Berlin),
        Box::new(chrono_tz::America::New_York),
        Box::new(chrono_tz::Australia::Lord_Howe),
    ]
}

/// Periods and timers short enough for the brute force to stay quick.
fn any_settings() -> impl Strategy<Value = Settings> {
    common::any_settings(
        prop_oneof![60u32..7200, 7200u32..400_000],
        prop_oneof![Just(0u32), 300u32..200_000],
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_fleet_counts_every_phones_own_fetches(
        s in any_settings(),
        from in 1_700_000_000i64..1_900_000_000,
        zone in 0usize..4,
        phones in 1u32..25,
        spread in prop_oneof![Just(Spread::AtOnce), (1u32..200_000).prop_map(Spread::Uniform)],
        horizon in 3_600u32..400_000,
        bucket in prop::sample::select(vec![1u32, 60, 300, 3600]),
        seed in any::<u64>(),
        boot in any::<bool>(),
        slice in 1u32..30,
    ) {
        let zones = zones();
        let zone = zones[zone].as_ref();
        let from = DateTime::from_timestamp(from, 0).unwrap();
        let f = Fleet { phones, spread, horizon, bucket, seed, boot };
        let l = load(&s, from, zone, &f).unwrap();
        // A job run in slices of any size counts the same.
        let mut job = Job::new(&s, from, zone, &f).unwrap();
        while !job.step(zone, slice) {}
        prop_assert_eq!(&job.finish(), &l);
        let (counts, fetched) = brute_force(&s, from, zone, &f);
        prop_assert_eq!(&l.counts, &counts);
        prop_assert_eq!(l.total, counts.iter().map(|&c| u64::from(c)).sum::<u64>());
        prop_assert_eq!(l.fetched_share, f64::from(fetched) / f64::from(phones));
        prop_assert_eq!(l.peak, counts.iter().copied().max().unwrap_or(0));
    }

    /// A fleet of phones that differ (a folder's real mix) counts each phone by its own
    /// settings and zone, on one grid of buckets; its parts add up to the whole.
    #[test]
    fn a_mixed_fleet_counts_every_phone_by_its_own_settings(
        members in prop::collection::vec((any_settings(), 0usize..4, 0u32..8), 1..4),
        grid in 0usize..4,
        from in 1_700_000_000i64..1_900_000_000,
        spread in prop_oneof![Just(Spread::AtOnce), (1u32..200_000).prop_map(Spread::Uniform)],
        horizon in 3_600u32..300_000,
        bucket in prop::sample::select(vec![60u32, 300, 3600]),
        seed in any::<u64>(),
        boot in any::<bool>(),
    ) {
        let zones = zones();
        let phones: u32 = members.iter().map(|m| m.2).sum();
        prop_assume!(phones > 0);
        let from = DateTime::from_timestamp(from, 0).unwrap();
        let f = Fleet { phones, spread, horizon, bucket, seed, boot };
        let mix: Vec<Member<&dyn provpoll::core::zone::Zone>> = members
            .iter()
            .map(|(s, z, n)| Member { rules: Rules::Snom(*s), zone: zones[*z].as_ref(), phones: *n })
            .collect();
        let (total, parts) = mixed_load(&mix, from, zones[grid].as_ref(), &f).unwrap();
        // Phone i belongs to the member whose range holds it, in the members' order.
        let owner = |i: u32| {
            let mut first = 0;
            for (s, z, n) in &members {
                if i < first + n {
                    return (s, zones[*z].as_ref());
                }
                first += n;
            }
            unreachable!()
        };
        let (counts, fetched) = brute_force_mixed(&owner, from, zones[grid].as_ref(), &f);
        prop_assert_eq!(&total.counts, &counts);
        prop_assert_eq!(total.phones, phones);
        prop_assert_eq!(total.fetched_share, f64::from(fetched) / f64::from(phones));
        prop_assert_eq!(total.peak, counts.iter().copied().max().unwrap_or(0));
        let mut added = vec![0u32; counts.len()];
        for part in &parts {
            prop_assert_eq!(part.buckets_from, total.buckets_from);
            for (a, c) in added.iter_mut().zip(&part.counts) {
                *a += c;
            }
        }
        prop_assert_eq!(added, counts);
    }

    /// `load` relies on it: phones are numbered in the order of their T0s.
    #[test]
    fn phones_are_numbered_by_t0(
        phones in 1u32..=100_000,
        span in 1u32..=86_400,
        seed in any::<u64>(),
    ) {
        let f = Fleet { phones, spread: Spread::Uniform(span), horizon: 3600, bucket: 60, seed, boot: false };
        let offsets: Vec<u32> = (0..phones).map(|i| f.phone(i).0).collect();
        prop_assert!(offsets.is_sorted());
        prop_assert_eq!(offsets[0], 0);
        prop_assert!(offsets[phones as usize - 1] < span);
    }

    #[test]
    fn with_one_t0_in_rel_mode_the_whole_fleet_shares_each_bucket(
        phones in 1u32..5_000,
        period in 60u32..100_000,
        bucket in prop::sample::select(vec![1u32, 60, 3600]),
    ) {
        let s = Settings { enabled: true, mode: Some(Mode::Rel), period, ..Settings::default() };
        let f = Fleet { phones, spread: Spread::AtOnce, horizon: 7 * 86_400, bucket, seed: 1, boot: false };
        let l = load(&s, DateTime::from_timestamp(1_781_000_000, 0).unwrap(), &Utc, &f).unwrap();
        prop_assert!(l.counts.iter().all(|&c| c % phones == 0));
        if period >= bucket {
            prop_assert!(l.counts.iter().all(|&c| c == 0 || c == phones));
        }
        prop_assert_eq!(l.total, u64::from(phones) * u64::from((7 * 86_400 - 1) / period));
    }
}
