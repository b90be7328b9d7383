//! Each vendor's documented examples (`shared/domain/vendors.md`): their files read, the plan
//! they make, and its fetches, worked out by hand from the vendors' rules.

#![cfg(not(target_arch = "wasm32"))]

use chrono::Utc;
use chrono_tz::Europe::Berlin;
use provpoll::core::message::VendorProblem;
use provpoll::core::plan::{Plan, Source};
use provpoll::core::schedule::{Fetch, plan_fetches};
use provpoll::core::vendor::{self, Reading, Vendor};
use provpoll::core::zone::{self, Zone};

mod common;
use common::utc;

/// The reading of one file, told by its content.
fn read(bytes: &str) -> (Vendor, Reading) {
    let vendor = vendor::of_file(bytes.as_bytes()).expect("a vendor's file");
    let file = vendor.read(bytes.as_bytes(), 0);
    let mut reading = vendor.reading(&file.entries).expect("its polling is read");
    reading.notes.splice(0..0, file.notes);
    (vendor, reading)
}

fn plan(bytes: &str) -> Plan {
    read(bytes).1.plan
}

fn take(plan: &Plan, t0: &str, zone: &dyn Zone, n: usize) -> Vec<Fetch> {
    plan_fetches(plan, utc(t0), zone, 7).take(n).collect()
}

/// Each fetch as its window in `zone` (one instant when exact), with its source.
fn shown(fetches: &[Fetch], zone: &dyn Zone) -> Vec<String> {
    fetches
        .iter()
        .map(|f| {
            assert!(f.earliest <= f.at && f.at <= f.latest, "{f:?}");
            let t = |t| zone::local(zone, t).format("%a %m-%d %H:%M:%S").to_string();
            if f.is_window() {
                format!("{} {} – {}", f.source.as_str(), t(f.earliest), t(f.latest))
            } else {
                format!("{} {}", f.source.as_str(), t(f.at))
            }
        })
        .collect()
}

fn problems(r: &Reading) -> Vec<(usize, String)> {
    r.notes
        .iter()
        .map(|n| (n.at.line, n.problem.to_string()))
        .collect()
}

// 2026-03-01 is a Sunday; T0 10:00 UTC.
const T0: &str = "2026-03-01T10:00:00Z";

fn poly(attributes: &str) -> String {
    format!(
        "<?xml version=\"1.0\" standalone=\"yes\"?>\n<polycomConfig>\n  <prov {attributes}/>\n</polycomConfig>\n"
    )
}

#[test]
fn poly_rel_7200_every_two_hours_from_boot() {
    let p = plan(&poly(
        r#"prov.polling.enabled="1" prov.polling.mode="rel" prov.polling.period="7200""#,
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 3), &Utc),
        [
            "polling Sun 03-01 12:00:00",
            "polling Sun 03-01 14:00:00",
            "polling Sun 03-01 16:00:00"
        ]
    );
}

#[test]
fn poly_abs_0400_every_day_and_the_mode_defaults_to_abs() {
    for mode in [r#"prov.polling.mode="abs" "#, ""] {
        let p = plan(&poly(&format!(
            r#"prov.polling.enabled="1" {mode}prov.polling.time="04:00""#
        )));
        assert_eq!(
            shown(&take(&p, T0, &Utc, 2), &Utc),
            ["polling Mon 03-02 04:00:00", "polling Tue 03-03 04:00:00"],
            "{mode}"
        );
    }
    // A period of two days: every other day; and on Berlin's clock across the spring change.
    let p = plan(&poly(
        r#"prov.polling.enabled="1" prov.polling.period="172800" prov.polling.time="04:00""#,
    ));
    assert_eq!(
        shown(&take(&p, "2026-03-26T10:00:00Z", &Berlin, 3), &Utc),
        [
            "polling Fri 03-27 03:00:00",
            "polling Sun 03-29 02:00:00",
            "polling Tue 03-31 02:00:00"
        ]
    );
}

#[test]
fn poly_random_0100_to_0500_and_across_midnight() {
    let p = plan(&poly(
        r#"prov.polling.enabled="1" prov.polling.mode="random" prov.polling.time="01:00" prov.polling.timeRandomEnd="05:00""#,
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        [
            "polling Mon 03-02 01:00:00 – Mon 03-02 05:00:00",
            "polling Tue 03-03 01:00:00 – Tue 03-03 05:00:00"
        ]
    );
    // The FAQ's 23:00–03:00: today's window is still ahead at 10:00.
    let p = plan(&poly(
        r#"prov.polling.enabled="1" prov.polling.mode="random" prov.polling.time="23:00" prov.polling.timeRandomEnd="03:00""#,
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        [
            "polling Sun 03-01 23:00:00 – Mon 03-02 03:00:00",
            "polling Mon 03-02 23:00:00 – Tue 03-03 03:00:00"
        ]
    );
}

#[test]
fn poly_random_of_three_days_is_a_window_over_the_three() {
    let p = plan(&poly(
        r#"prov.polling.enabled="1" prov.polling.mode="random" prov.polling.period="259200" prov.polling.time="01:00" prov.polling.timeRandomEnd="05:00""#,
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        [
            "polling Mon 03-02 01:00:00 – Wed 03-04 05:00:00",
            "polling Thu 03-05 01:00:00 – Sat 03-07 05:00:00"
        ]
    );
}

#[test]
fn poly_random_under_a_day_first_within_a_period_then_every_period() {
    let (_, r) = read(&poly(
        r#"prov.polling.enabled="1" prov.polling.mode="random" prov.polling.period="1800""#,
    ));
    let f = take(&r.plan, T0, &Utc, 3);
    assert_eq!(
        (f[0].earliest, f[0].latest),
        (utc(T0), utc("2026-03-01T10:30:00Z"))
    );
    assert!(f[0].at > f[0].earliest);
    for w in f.windows(2) {
        assert_eq!((w[1].at - w[0].at).num_seconds(), 1800);
        assert!(!w[1].is_window());
    }
    assert_eq!(
        problems(&r),
        [(
            3,
            "prov.polling.period is 1800 seconds: Poly's guides ask for more than 3600".to_owned()
        )]
    );
}

#[test]
fn poly_off_by_default_and_bad_values_named() {
    assert!(
        plan(&poly(r#"prov.polling.period="7200""#))
            .triggers
            .is_empty()
    );
    let (_, r) = read(&poly(
        r#"prov.polling.enabled="yes" prov.polling.mode="sometimes" prov.polling.time="25:00""#,
    ));
    assert!(r.plan.triggers.is_empty());
    assert_eq!(
        problems(&r),
        [
            (
                3,
                "prov.polling.enabled is \"yes\": it takes 0, 1".to_owned()
            ),
            (
                3,
                "prov.polling.mode is \"sometimes\": it takes abs, rel, random".to_owned()
            ),
            (
                3,
                "prov.polling.time is \"25:00\", not a time of day as hh:mm".to_owned()
            ),
        ]
    );
    // Where each value is: its attribute's line and column.
    let bytes = "<polycomConfig>\n<prov\n  prov.polling.enabled=\"1\"\n  prov.polling.period=\"99\"/>\n</polycomConfig>";
    let file = Vendor::Poly.read(bytes.as_bytes(), 0);
    let at: Vec<_> = file
        .entries
        .iter()
        .map(|e| (e.key, e.at.line, e.at.column))
        .collect();
    assert_eq!(
        at,
        [
            ("prov.polling.enabled", 3, 3),
            ("prov.polling.period", 4, 3)
        ]
    );
}

#[test]
fn poly_the_value_found_first_in_config_files_order_wins() {
    let first = Vendor::Poly.read(poly(r#"prov.polling.period="7200""#).as_bytes(), 0);
    let second = Vendor::Poly.read(
        poly(r#"prov.polling.enabled="1" prov.polling.mode="rel" prov.polling.period="3600""#)
            .as_bytes(),
        1,
    );
    let r = Vendor::Poly
        .reading(first.entries.iter().chain(&second.entries))
        .unwrap();
    assert_eq!(r.value("prov.polling.period").unwrap().value, "7200");
    assert_eq!(r.value("prov.polling.period").unwrap().at.file, 0);
    assert_eq!(r.value("prov.polling.enabled").unwrap().at.file, 1);
    assert_eq!(
        shown(&take(&r.plan, T0, &Utc, 1), &Utc),
        ["polling Sun 03-01 12:00:00"]
    );
}

fn yealink(lines: &str) -> String {
    format!("#!version:1.0.0.1\n## the common file\n{lines}")
}

#[test]
fn yealink_repeat_every_60_minutes() {
    let p = plan(&yealink(
        "static.auto_provision.repeat.enable = 1\nstatic.auto_provision.repeat.minutes = 60\n",
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        ["repeat Sun 03-01 11:00:00", "repeat Sun 03-01 12:00:00"]
    );
}

#[test]
fn yealink_weekly_on_monday_and_friday_in_a_window() {
    let p = plan(&yealink(
        "static.auto_provision.weekly.enable = 1\nstatic.auto_provision.weekly.dayofweek = 15\nstatic.auto_provision.weekly.begin_time = 02:00\nstatic.auto_provision.weekly.end_time = 04:00\n",
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 3), &Utc),
        [
            "weekly Mon 03-02 02:00:00 – Mon 03-02 04:00:00",
            "weekly Fri 03-06 02:00:00 – Fri 03-06 04:00:00",
            "weekly Mon 03-09 02:00:00 – Mon 03-09 04:00:00"
        ]
    );
    // Every two weeks on one of those days: the window over the block's listed days.
    let p = plan(&yealink(
        "static.auto_provision.weekly.enable = 1\nstatic.auto_provision.weekly.dayofweek = 15\nstatic.auto_provision.weekly.begin_time = 02:00\nstatic.auto_provision.weekly.end_time = 04:00\nstatic.auto_provision.weekly_upgrade_interval = 2\n",
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        [
            "weekly Mon 03-02 02:00:00 – Fri 03-13 04:00:00",
            "weekly Mon 03-16 02:00:00 – Fri 03-27 04:00:00"
        ]
    );
}

#[test]
fn yealink_unprefixed_names_of_v7x_and_both_names() {
    // Older firmware's names, and an instant where begin and end are equal.
    let p = plan(&yealink(
        "auto_provision.weekly.enable = 1\nauto_provision.weekly.begin_time = 03:00\nauto_provision.weekly.end_time = 03:00\n",
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        ["weekly Mon 03-02 03:00:00", "weekly Tue 03-03 03:00:00"]
    );
    let (_, r) = read(&yealink(
        "static.auto_provision.repeat.enable = 1\nauto_provision.repeat.minutes = 30\nstatic.auto_provision.repeat.minutes = 120\n",
    ));
    assert_eq!(
        r.value("static.auto_provision.repeat.minutes")
            .unwrap()
            .value,
        "120"
    );
    assert_eq!(
        problems(&r),
        [(4, "static.auto_provision.repeat.minutes and auto_provision.repeat.minutes are both set: the one with static. counts".to_owned())]
    );
}

#[test]
fn yealink_flexible_window_over_the_interval() {
    let p = plan(&yealink(
        "static.auto_provision.flexible.enable = 1\nstatic.auto_provision.flexible.interval = 7\nstatic.auto_provision.flexible.begin_time = 02:00\nstatic.auto_provision.flexible.end_time = 05:00\n",
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        [
            "flexible Mon 03-02 02:00:00 – Sun 03-08 05:00:00",
            "flexible Mon 03-09 02:00:00 – Sun 03-15 05:00:00"
        ]
    );
}

#[test]
fn yealink_problems_named_at_their_lines() {
    let (_, r) = read(
        "static.auto_provision.repeat.enable = 1\nstatic.auto_provision.repeat.minutes = 0\nauto_provision.mode = 6\nstatic.auto_provision.weekly.enable = 1\nstatic.auto_provision.inactivity_time_expire = 30\n",
    );
    assert_eq!(
        problems(&r),
        [
            (1, "the first line is not #!version:1.0.0.1: a Yealink phone ignores a file without it".to_owned()),
            (3, "auto_provision.mode is early firmware's setting: provpoll does not read it".to_owned()),
            (2, "static.auto_provision.repeat.minutes is 0, outside 1–43200".to_owned()),
            (5, "static.auto_provision.inactivity_time_expire: the phone holds its fetch back while it is in use, so a fetch can come later than shown".to_owned()),
        ]
    );
}

fn cisco(elements: &str) -> String {
    format!("<flat-profile>\n{elements}\n</flat-profile>\n")
}

#[test]
fn cisco_3600_plus_600_after_the_boot_resync() {
    let p = plan(&cisco(
        r#"<Resync_Periodic ua="na">3600+600</Resync_Periodic>"#,
    ));
    let f = take(&p, T0, &Utc, 3);
    // The boot resync within 20 s × 2 of T0; then each 3600 to 4200 s after the one before.
    assert_eq!(f[0].source, Source::Boot);
    assert_eq!(
        (f[0].earliest, f[0].latest),
        (utc(T0), utc("2026-03-01T10:00:40Z"))
    );
    for w in f.windows(2) {
        assert_eq!((w[1].earliest - w[0].at).num_seconds(), 3600);
        assert_eq!((w[1].latest - w[0].at).num_seconds(), 4200);
    }
    // The default: every 3600 s.
    let p = plan(&cisco(
        r#"<Resync_Random_Delay ua="na">0</Resync_Random_Delay>"#,
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 3), &Utc),
        [
            "boot Sun 03-01 10:00:00",
            "polling Sun 03-01 11:00:00",
            "polling Sun 03-01 12:00:00"
        ]
    );
}

#[test]
fn cisco_a_list_of_intervals_the_last_repeating() {
    let p = plan(&cisco(
        "<Resync_Random_Delay>0</Resync_Random_Delay><Resync_Periodic>60,120,3600</Resync_Periodic>",
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 5), &Utc),
        [
            "boot Sun 03-01 10:00:00",
            "polling Sun 03-01 10:01:00",
            "polling Sun 03-01 10:03:00",
            "polling Sun 03-01 11:03:00",
            "polling Sun 03-01 12:03:00"
        ]
    );
    // Without a resync at boot, nothing until one: in a log, from a fetch seen, every 3600.
    let p = plan(&cisco(
        "<Resync_On_Reset>No</Resync_On_Reset><Resync_Periodic>60,120,3600</Resync_Periodic>",
    ));
    assert!(take(&p, T0, &Utc, 1).is_empty());
    assert_eq!(
        shown(&take(&p.after_fetch(), T0, &Utc, 2), &Utc),
        ["polling Sun 03-01 11:00:00", "polling Sun 03-01 12:00:00"]
    );
}

#[test]
fn cisco_resync_at_hhmm_with_its_random_delay_replaces_the_periodic() {
    let p = plan(&cisco(
        "<Resync_Periodic>3600</Resync_Periodic><Resync_At__HHmm_>0230</Resync_At__HHmm_>",
    ));
    // (600 + 30) / 60 rounded up: 11 minutes.
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        [
            "polling Mon 03-02 02:30:00 – Mon 03-02 02:41:00",
            "polling Tue 03-03 02:30:00 – Tue 03-03 02:41:00"
        ]
    );
    let (_, r) = read(&cisco(
        "<Resync_At__HHmm_>2:30</Resync_At__HHmm_>\n<Provision_Enable>maybe</Provision_Enable>\n<Forced_Resync_Delay>14400</Forced_Resync_Delay>",
    ));
    assert_eq!(
        problems(&r),
        [
            (3, "Provision_Enable is \"maybe\": it takes No, Yes".to_owned()),
            (4, "Forced_Resync_Delay: the phone holds its fetch back while it is in use, so a fetch can come later than shown".to_owned()),
            (2, "Resync_At__HHmm_ is \"2:30\", not a time of day as HHmm".to_owned()),
        ]
    );
    assert!(
        plan(&cisco("<Provision_Enable>No</Provision_Enable>"))
            .triggers
            .is_empty()
    );
}

fn grandstream(config: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<gs_provision version=\"1\">\n<config version=\"1\">\n{config}\n</config>\n</gs_provision>\n"
    )
}

#[test]
fn grandstream_every_p193_minutes() {
    let p = plan(&grandstream("<P194>1</P194><P193>60</P193>"));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        ["polling Sun 03-01 11:00:00", "polling Sun 03-01 12:00:00"]
    );
    // Off by default.
    assert!(plan(&grandstream("<P193>60</P193>")).triggers.is_empty());
}

#[test]
fn grandstream_hour_of_day_and_a_random_window_across_midnight() {
    let p = plan(&grandstream("<P194>2</P194><P285>3</P285>"));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        ["polling Mon 03-02 03:00:00", "polling Tue 03-03 03:00:00"]
    );
    let p = plan(&grandstream(
        "<P194>2</P194><P285>23</P285><P8458>1</P8458><P8459>1</P8459>",
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 2), &Utc),
        [
            "polling Sun 03-01 23:00:00 – Mon 03-02 01:00:00",
            "polling Mon 03-02 23:00:00 – Tue 03-03 01:00:00"
        ]
    );
    // Without its end hour, whose default differs by model: nothing shown, and why.
    let (_, r) = read(&grandstream("<P194>2</P194><P8458>1</P8458>"));
    assert!(r.untimed && r.plan.triggers.is_empty());
    assert_eq!(
        problems(&r),
        [(4, "P8459 is not set: its default differs by model, so when the phone fetches is not shown".to_owned())]
    );
}

#[test]
fn grandstream_aliases_and_days_of_the_week() {
    let p = plan(&grandstream(
        "<item name=\"provisioning.auto.mode\">YesUpgradeDayOfWeek</item>\n<item name=\"provisioning.auto.hour\">2</item>\n<item name=\"provisioning.auto.day\">1/5</item>",
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 3), &Utc),
        [
            "polling Mon 03-02 02:00:00",
            "polling Fri 03-06 02:00:00",
            "polling Mon 03-09 02:00:00"
        ]
    );
    let (_, r) = read(&grandstream("<P194>3</P194><P286>7</P286>"));
    assert_eq!(r.value("P286").unwrap().name, "P286");
    assert_eq!(
        problems(&r),
        [(
            4,
            "P286 is \"7\": it takes days 0–6 (0 Sunday), several as 0/1/2".to_owned()
        )]
    );
}

#[test]
fn unreadable_markup_is_named_with_its_line() {
    let (_, r) = read("<flat-profile>\n<Resync_Periodic>3600</Resync_Periodic>\n<oops>\n");
    assert!(
        matches!(r.notes[0].problem, VendorProblem::NotXml { .. }),
        "{r:?}"
    );
    assert!(r.plan.triggers.is_empty() || r.values.is_empty());
}

#[test]
fn a_blank_value_is_the_phones_default() {
    let p = plan(&yealink(
        "static.auto_provision.repeat.enable = 1\nstatic.auto_provision.repeat.minutes =\n",
    ));
    assert_eq!(
        shown(&take(&p, T0, &Utc, 1), &Utc),
        ["repeat Mon 03-02 10:00:00"]
    );
}

#[test]
fn cisco_n_plus_r_is_judged_early_and_late() {
    use provpoll::core::log::read::Seen;
    use provpoll::core::log::verdict::{Verdict, walk};
    let p = plan(&cisco("<Resync_Periodic>3600+600</Resync_Periodic>"));
    let seen = |gaps: &[i64]| {
        let mut at = utc(T0).timestamp();
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
    };
    let judge = |gaps: &[i64]| {
        let s = seen(gaps);
        let end = chrono::DateTime::from_timestamp(s.last().unwrap().at + 60, 0).unwrap();
        let t = walk(&p, &Utc, &s, end, 0, &mut |_| {});
        (t.verdict(false), t.unscheduled, t.missed)
    };
    // Within 3600 to 4200 s of the one before: ok; every 60 s: too soon, each; a gap of
    // three intervals: two missed.
    assert_eq!(judge(&[3700, 4100, 3600]), (Verdict::Ok, 0, 0));
    assert_eq!(judge(&[60, 60]), (Verdict::Unscheduled, 2, 0));
    assert_eq!(judge(&[3700, 12_000]), (Verdict::Missed, 0, 2));
}

#[test]
fn a_window_of_weeks_never_divides_by_zero_weeks() {
    use provpoll::core::plan::{DaySet, First, Trigger};
    use provpoll::core::settings::ClockTime;
    let p = Plan {
        triggers: vec![Trigger::Days {
            source: Source::Weekly,
            days: DaySet::Weeks {
                mask: 0b10,
                weeks: 0,
            },
            first: First::Ahead,
            start: ClockTime::new(2, 0).unwrap(),
            end: ClockTime::new(2, 0).unwrap(),
            span: 0,
        }],
        ..Plan::default()
    };
    let mut f = plan_fetches(&p, utc(T0), &Utc, 7);
    f.skip_ended_before(utc("2027-03-01T00:00:00Z"), utc(T0));
    // Read as one week: a Monday of a week's block.
    assert_eq!(
        shown(&f.take(1).collect::<Vec<_>>(), &Utc),
        ["weekly Mon 03-01 02:00:00"]
    );
}

mod skipping {
    use super::*;
    use chrono::TimeDelta;
    use proptest::prelude::*;
    use provpoll::core::plan::{DaySet, First, Trigger};
    use provpoll::core::settings::ClockTime;

    fn clock() -> impl Strategy<Value = ClockTime> {
        (0u8..24, 0u8..60).prop_map(|(h, m)| ClockTime::new(h, m).unwrap())
    }

    fn trigger() -> impl Strategy<Value = Trigger> {
        let source = Just(Source::Polling);
        prop_oneof![
            (0u32..200).prop_map(|window| Trigger::Boot { window }),
            (source, 1u32..200_000).prop_map(|(source, step)| Trigger::Every { source, step }),
            (
                source,
                proptest::collection::vec((1u32..5000, 0u32..600), 1..4)
            )
                .prop_map(|(source, v)| Trigger::Chained {
                    source,
                    // Exact intervals where R is 0: the chain a division can skip.
                    intervals: v
                        .into_iter()
                        .map(|(n, r)| (n, n + r * u32::from(r % 2 == 0)))
                        .collect(),
                }),
            (
                source,
                prop_oneof![
                    (1u32..40).prop_map(DaySet::Every),
                    (1u8..128).prop_map(DaySet::Week),
                    ((1u8..128), (1u32..13))
                        .prop_map(|(mask, weeks)| DaySet::Weeks { mask, weeks }),
                ],
                prop_oneof![Just(First::Ahead), Just(First::NextDay)],
                clock(),
                clock(),
                1u32..10,
            )
                .prop_map(|(source, days, first, start, end, span)| Trigger::Days {
                    source,
                    days,
                    first,
                    start,
                    end,
                    // Windows that never overlap, as every vendor's do: a span of at most
                    // the days between turns.
                    span: match days {
                        DaySet::Every(n) => span.min(n),
                        _ => 1,
                    },
                }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Skipping what ends before x leaves the stream where stepping through it does, and
        /// counts what stepping counts: for every kind of trigger, in Berlin (DST) too.
        #[test]
        fn skipping_is_stepping(
            triggers in proptest::collection::vec(trigger(), 1..4),
            days in 0i64..200,
            seconds in 0i64..86_400,
            floor in 0i64..400,
            berlin in any::<bool>(),
        ) {
            let p = Plan { triggers, ..Plan::default() };
            let zone: &dyn Zone = if berlin { &Berlin } else { &Utc };
            let t0 = utc(T0);
            let x = t0 + TimeDelta::days(days) + TimeDelta::seconds(seconds);
            let floor = t0 + TimeDelta::seconds(floor);
            let mut stepped = plan_fetches(&p, t0, zone, 7);
            let mut counted = 0u64;
            // Each stream skips its own ended fetches: step each the same way, by stream.
            let mut all: Vec<Fetch> = Vec::new();
            let mut after = 0;
            for f in plan_fetches(&p, t0, zone, 7).take(200_000) {
                after += usize::from(f.latest >= x);
                all.push(f);
                // Streams overlap: well past the fifth that has not ended, the rest is later.
                if after >= 5 && f.earliest > x + TimeDelta::days(400) {
                    break;
                }
            }
            prop_assume!(all.len() < 200_000);
            for f in &all {
                if f.latest < x && f.earliest >= floor {
                    counted += 1;
                }
            }
            // The first fetch after x, found by skipping, is the one stepping finds.
            let first = all.iter().find(|f| f.at > x).copied();
            prop_assert_eq!(plan_fetches(&p, t0, zone, 7).first_after(x), first);
            let skipped = stepped.skip_ended_before(x, floor);
            prop_assert_eq!(skipped, counted);
            let rest: Vec<Fetch> = stepped.take(5).collect();
            let expected: Vec<Fetch> = all.into_iter().filter(|f| f.latest >= x).take(5).collect();
            prop_assert_eq!(rest, expected);
        }
    }
}

mod folders {
    use super::*;
    use provpoll::core::folder::Folder;

    fn folder(files: &[(&str, &str)]) -> Folder {
        Folder::read(
            files
                .iter()
                .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
                .collect(),
        )
    }

    fn reads(f: &Folder, mac: &str) -> Vec<String> {
        let p = &f.phones[f.phone(mac).unwrap()];
        p.reads.iter().map(|&i| f.files[i].path.clone()).collect()
    }

    const MASTER: &str = r#"<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="[PHONE_MAC_ADDRESS]-phone.cfg, sip.cfg"/>"#;

    #[test]
    fn a_file_the_phone_cannot_take_leaves_it_unpredicted() {
        let f = folder(&[
            // No first line: the phone ignores it, so nothing is known of what it applied.
            (
                "805ec0123456.cfg",
                "static.auto_provision.repeat.enable = 1\n",
            ),
            (
                "spa0002fdff2103.xml",
                "<flat-profile>\n<Resync_Periodic>60</Resync_Periodic>\n",
            ),
            (
                "cfg000b82123456.xml",
                "<gs_provision><config><P194>1</P194><P193>60</P193></config></gs_provision>",
            ),
        ]);
        let plan = |mac: &str| f.phones[f.phone(mac).unwrap()].plan();
        assert_eq!(plan("805EC0123456"), None);
        assert_eq!(plan("0002FDFF2103"), None);
        assert!(plan("000B82123456").is_some());
    }

    #[test]
    fn poly_reads_its_own_master_file_by_its_exact_name_and_the_masters_beside_it() {
        let f = folder(&[
            // An old master beside the phone's own sorts first by name: it is not read.
            (
                "a/0004f2a1b2c3-old.cfg",
                r#"<APPLICATION CONFIG_FILES="old.cfg"/>"#,
            ),
            ("a/0004f2a1b2c3.cfg", MASTER),
            (
                "a/0004f2a1b2c3-phone.cfg",
                r#"<c prov.polling.period="7200"/>"#,
            ),
            (
                "a/sip.cfg",
                r#"<c prov.polling.enabled="1" prov.polling.mode="rel" prov.polling.period="3600"/>"#,
            ),
            // Two sites, each with its own default master: each phone reads its own site's.
            (
                "b/000000000000.cfg",
                r#"<APPLICATION CONFIG_FILES="sip.cfg"/>"#,
            ),
            ("b/0004f2a1b2c4-x.cfg", r#"<c reg.1.address="x"/>"#),
            (
                "b/sip.cfg",
                r#"<c prov.polling.enabled="1" prov.polling.mode="rel" prov.polling.period="1800"/>"#,
            ),
            ("c/000000000000.cfg", MASTER),
            (
                "c/0004f2a1b2c5-phone.cfg",
                r#"<c prov.polling.enabled="0"/>"#,
            ),
        ]);
        assert_eq!(
            reads(&f, "0004F2A1B2C3"),
            [
                "a/0004f2a1b2c3.cfg",
                "a/0004f2a1b2c3-phone.cfg",
                "a/sip.cfg"
            ]
        );
        let period = |mac: &str| {
            let p = &f.phones[f.phone(mac).unwrap()];
            p.reading
                .as_ref()
                .unwrap()
                .value("prov.polling.period")
                .map(|e| e.value.clone())
        };
        // The value found first in the listed order.
        assert_eq!(period("0004F2A1B2C3").as_deref(), Some("7200"));
        assert_eq!(
            reads(&f, "0004F2A1B2C4"),
            ["b/000000000000.cfg", "b/sip.cfg"]
        );
        assert_eq!(period("0004F2A1B2C4").as_deref(), Some("1800"));
        // c's master lists sip.cfg, which c lacks: the first by path elsewhere is read (a's).
        assert_eq!(
            reads(&f, "0004F2A1B2C5"),
            [
                "c/000000000000.cfg",
                "c/0004f2a1b2c5-phone.cfg",
                "a/sip.cfg"
            ]
        );
        assert!(
            f.findings
                .iter()
                .all(|x| !x.concern.to_string().contains("is not in this folder"))
        );
    }

    #[test]
    fn a_warning_about_a_shared_file_is_said_once() {
        let f = folder(&[
            ("000000000000.cfg", MASTER),
            (
                "0004f2a1b2c4-phone.cfg",
                r#"<c prov.polling.enabled="1" prov.polling.period="60"/>"#,
            ),
            ("0004f2a1b2c5-phone.cfg", r#"<c prov.polling.enabled="1"/>"#),
            ("0004f2a1b2c6-phone.cfg", r#"<c prov.polling.enabled="1"/>"#),
        ]);
        let said: Vec<String> = f
            .findings
            .iter()
            .map(|x| format!("{}:{}: {}", f.files[x.file].path, x.line, x.concern))
            .collect();
        assert_eq!(
            said,
            [
                "000000000000.cfg:1: the listed file sip.cfg is not in this folder",
                "0004f2a1b2c4-phone.cfg:1: prov.polling.period is 60 seconds: Poly's guides ask for more than 3600",
            ]
        );
    }

    #[test]
    fn a_fleet_counts_a_boot_fetch_only_for_a_phone_that_makes_one() {
        use provpoll::core::fleet::{Fleet, Member, Rules, Spread, mixed_load};
        let fleet = |boot| Fleet {
            phones: 10,
            spread: Spread::AtOnce,
            horizon: 3600,
            bucket: 60,
            boot,
            seed: 1,
        };
        let count = |file: &str, boot: bool| {
            let p = plan(file);
            let members = [Member {
                rules: Rules::Plan(p),
                zone: &Utc as &dyn Zone,
                phones: 10,
            }];
            mixed_load(&members, utc(T0), &Utc, &fleet(boot))
                .unwrap()
                .0
                .total
        };
        // Yealink with power_on 0: none at boot; Grandstream every 60 minutes: its boot fetch.
        let quiet = yealink("static.auto_provision.power_on = 0\n");
        let hourly = grandstream("<P194>1</P194><P193>60</P193>");
        assert_eq!((count(&quiet, false), count(&quiet, true)), (0, 0));
        assert_eq!((count(&hourly, false), count(&hourly, true)), (0, 10));
        // Cisco: the boot resync is the fetch that brings the settings.
        let cisco = cisco("<Resync_Periodic>1800</Resync_Periodic>");
        assert_eq!((count(&cisco, false), count(&cisco, true)), (10, 20));
    }
}

/// The fixtures in the shapes of the public templates (`tests/files/vendors/`: FusionPBX's
/// Polycom master and `site.cfg`, Tancredi's `yealink.tmpl`, Wazo's Cisco `spa-phone.xml` and
/// `model.cfg.tpl`, FusionPBX's GRP26xx `{$mac}.xml`; the files are ours): each read, its
/// values with their lines, its schedule in words.
#[test]
fn the_template_shaped_fixtures_read_as_their_vendors_phones() {
    use provpoll::words::Words;
    let fixture = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/tests/files/vendors/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let said = |name: &str| {
        let (vendor, r) = read(&fixture(name));
        assert!(r.notes.is_empty(), "{name}: {:?}", r.notes);
        let values: Vec<String> = r
            .values
            .iter()
            .map(|e| format!("{}={}@{}", e.name, e.value, e.at.line))
            .collect();
        (
            vendor,
            values,
            provpoll::text::plan::describe(vendor, &r, &Words::english()),
        )
    };
    let (vendor, values, words) = said("poly-sip.cfg");
    assert_eq!(vendor, Vendor::Poly);
    assert_eq!(
        values,
        [
            "prov.polling.enabled=1@17",
            "prov.polling.mode=random@17",
            "prov.polling.period=86400@17",
            "prov.polling.time=01:00@17",
            "prov.polling.timeRandomEnd=05:00@17"
        ]
    );
    assert_eq!(
        words,
        "Every day at a random time from 01:00 to 05:00, phone time."
    );
    let (vendor, values, words) = said("yealink-y000000000028.cfg");
    assert_eq!(vendor, Vendor::Yealink);
    assert_eq!(
        values,
        [
            "static.auto_provision.power_on=1@36",
            "static.auto_provision.repeat.enable=0@30",
            "static.auto_provision.repeat.minutes=1440@31",
            "static.auto_provision.weekly.enable=1@22",
            "static.auto_provision.weekly.dayofweek=15@23",
            "static.auto_provision.weekly.begin_time=02:00@24",
            "static.auto_provision.weekly.end_time=04:00@25"
        ]
    );
    assert_eq!(
        words,
        "Weekly: every Mon, Fri at a random time from 02:00 to 04:00, phone time."
    );
    let (vendor, values, words) = said("cisco-spa-phone.xml");
    assert_eq!(vendor, Vendor::Cisco);
    assert_eq!(
        values,
        [
            "Provision_Enable=Yes@9",
            "Resync_On_Reset=Yes@10",
            "Resync_Random_Delay=2@11",
            "Resync_Periodic=3600+600@13"
        ]
    );
    assert_eq!(
        words,
        "At boot, within 40 seconds; each 1 hour to 1 hour 10 minutes after the one before."
    );
    let (vendor, values, words) = said("grandstream-cfg.xml");
    assert_eq!(vendor, Vendor::Grandstream);
    assert_eq!(
        values,
        [
            "P194=2@46",
            "P193=1440@51",
            "P285=23@60",
            "P8458=1@56",
            "P8459=1@64"
        ]
    );
    assert_eq!(
        words,
        "Every day at a random time from 23:00 to 01:00, phone time."
    );
    // The master file lists the phone's file and sip.cfg, in that order.
    let master = Vendor::Poly.read(fixture("poly-000000000000.cfg").as_bytes(), 0);
    assert!(master.master);
    assert_eq!(
        master.config_files,
        ["phone[PHONE_MAC_ADDRESS].cfg", "sip.cfg"]
    );
}

#[test]
fn a_yealink_phone_reads_the_common_file_of_the_model_its_agent_names() {
    use provpoll::core::folder::Folder;
    use provpoll::core::log::ingest::Ingest;
    use provpoll::core::log::{phone_plan, report};
    let files: Vec<(String, Vec<u8>)> = [
        ("805ec0123456.cfg", "#!version:1.0.0.1\naccount.1.label = 101\n"),
        (
            "y000000000028.cfg",
            "#!version:1.0.0.1\nstatic.auto_provision.repeat.enable = 1\nstatic.auto_provision.repeat.minutes = 60\n",
        ),
        (
            "y000000000066.cfg",
            "#!version:1.0.0.1\nstatic.auto_provision.repeat.enable = 1\nstatic.auto_provision.repeat.minutes = 120\n",
        ),
    ]
    .iter()
    .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
    .collect();
    let folder = Folder::read(files);
    let phone = &folder.phones[0];
    // The folder alone: two models' common files, none counted, and a warning says so.
    assert_eq!(phone.plan().map(|p| p.triggers.len()), Some(0));
    assert!(
        folder.findings[0]
            .concern
            .to_string()
            .contains("this folder has several")
    );
    // With the log: a T46S reads y000000000066.cfg (every 120 minutes); it fetched every 2
    // hours, so it is ok.
    let line = |h: u32| {
        format!(
            "10.0.0.5 - - [14/Jan/2026:{h:02}:20:00 +0000] \"GET /805ec0123456.cfg HTTP/1.1\" 200 1 \"-\" \"Yealink SIP-T46S 66.86.0.15 80:5e:c0:12:34:56\"\n"
        )
    };
    let mut ingest = Ingest::new(0);
    ingest.file("access.log".into());
    ingest.push(format!("{}{}", line(0), line(2)).as_bytes());
    let log = ingest.finish();
    let plan = phone_plan(&folder, phone, log.phones.values().next()).unwrap();
    assert_eq!(
        shown(&take(&plan, T0, &Utc, 1), &Utc),
        ["repeat Sun 03-01 12:00:00"]
    );
    let zone = |_: Option<&str>| Box::new(Utc) as Box<dyn Zone>;
    let r = report(&folder, &log, &zone);
    assert_eq!((r[0].verdict.as_str(), r[0].tally.met), ("ok", 1));
    // The common file's name by each agent's model, the codes of three digits too.
    use provpoll::core::vendor::yealink::common_file;
    assert_eq!(common_file("T46S").as_deref(), Some("y000000000066.cfg"));
    assert_eq!(
        common_file("SIP-T19P_E2").as_deref(),
        Some("y000000000053.cfg")
    );
    assert_eq!(common_file("t31g").as_deref(), Some("y000000000123.cfg"));
    assert_eq!(common_file("T99X"), None);
    assert!(provpoll::core::vendor::is_yealink_common(
        "y000000000123.cfg"
    ));
}
