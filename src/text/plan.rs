//! Another vendor's schedule in one sentence, for people: each trigger of its [`Plan`] in
//! words, with what a vendor does not publish said as such.
//!
//! [`Plan`]: crate::core::plan::Plan

use crate::core::plan::{DaySet, Source, Trigger};
use crate::core::settings::ClockTime;
use crate::core::vendor::{Reading, Vendor};
use crate::words::{WEEKDAYS, Words};

/// "Every day at a random time from 01:00 to 05:00, phone time." in `w`'s language.
pub fn describe(vendor: Vendor, reading: &Reading, w: &Words) -> String {
    let plan = &reading.plan;
    if reading.untimed {
        return w
            .t(en!(
                "Polling is on, but when is not known: a setting it needs is not set (see the problems)."
            ))
            .to_owned();
    }
    if plan.waits {
        let chain = plan
            .triggers
            .iter()
            .map(|t| trigger(vendor, t, w))
            .collect::<Vec<_>>()
            .join("; ");
        return w.fill(
            en!("Nothing until a first fetch (there is none at boot); from it: {0}."),
            &[&chain],
        );
    }
    if !plan.fetches() && plan.silent_boot {
        return w
            .t(en!(
                "No fetches: none on a schedule, and none when the phone starts."
            ))
            .to_owned();
    }
    if !plan.fetches() {
        return w
            .t(en!("No scheduled fetches: only when the phone starts."))
            .to_owned();
    }
    let parts: Vec<String> = plan
        .triggers
        .iter()
        .map(|t| trigger(vendor, t, w))
        .collect();
    let text = parts.join("; ");
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    format!("{}{}.", first.unwrap_or_default(), chars.as_str())
}

/// One trigger in words, named by its setting where a vendor has several (Yealink's).
fn trigger(vendor: Vendor, t: &Trigger, w: &Words) -> String {
    let text = match t {
        Trigger::Boot { window: 0 } => w.t(en!("at boot")).to_owned(),
        Trigger::Boot { window } => w.fill(en!("at boot, within {0}"), &[&w.duration(*window)]),
        Trigger::Every { step, .. } => w.fill(
            en!("every {0} after the phone starts"),
            &[&w.duration(*step)],
        ),
        Trigger::Chained { intervals, .. } => chain(intervals, w),
        Trigger::Days {
            days,
            start,
            end,
            span,
            ..
        } => days_words(vendor, *days, *start, *end, *span, w),
    };
    match t.source() {
        s @ (Source::Repeat | Source::Weekly | Source::Flexible) => {
            format!("{}: {text}", s.as_str())
        }
        _ => text,
    }
}

fn chain(intervals: &[(u32, u32)], w: &Words) -> String {
    let one = |&(lo, hi): &(u32, u32)| {
        if lo == hi {
            w.duration(hi)
        } else if lo == 0 {
            w.fill(en!("up to {0}"), &[&w.duration(hi)])
        } else {
            w.fill(en!("{0} to {1}"), &[&w.duration(lo), &w.duration(hi)])
        }
    };
    match intervals {
        [only] => w.fill(en!("each {0} after the one before"), &[&one(only)]),
        [first @ .., last] => {
            let first: Vec<String> = first.iter().map(one).collect();
            w.fill(
                en!("after {0}, then every {1}"),
                &[&first.join(", "), &one(last)],
            )
        }
        [] => String::new(),
    }
}

fn days_words(
    vendor: Vendor,
    days: DaySet,
    start: ClockTime,
    end: ClockTime,
    span: u32,
    w: &Words,
) -> String {
    let at = if start == end {
        w.fill(en!("at {0}"), &[&start])
    } else {
        w.fill(en!("at a random time from {0} to {1}"), &[&start, &end])
    };
    match days {
        DaySet::Every(n) if span > 1 => w.fill(
            en!("once every {0} days, on a day derived from the MAC that {1} does not publish: any time from {2} on the first day to {3} on the last"),
            &[&n, &vendor.name(), &start, &end],
        ),
        DaySet::Every(1) => w.fill(en!("every day {0}, phone time"), &[&at]),
        DaySet::Every(n) => w.fill(en!("every {0} days {1}, phone time"), &[&n, &at]),
        DaySet::Week(mask) => w.fill(
            en!("every {0} {1}, phone time"),
            &[&weekdays(mask, w), &at],
        ),
        DaySet::Weeks { mask, weeks } => w.fill(
            en!("once every {0} weeks on one of {1} {2}, phone time"),
            &[&weeks, &weekdays(mask, w), &at],
        ),
    }
}

/// The mask's days (bit 0 Sunday), Sunday first: `Mon, Fri`.
fn weekdays(mask: u8, w: &Words) -> String {
    (0..7)
        .filter(|d| mask & (1 << d) != 0)
        // `WEEKDAYS` begins on Monday.
        .map(|d| w.t(WEEKDAYS[(d + 6) % 7]))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(file: &str) -> String {
        let vendor = crate::core::vendor::of_file(file.as_bytes()).unwrap();
        let f = vendor.read(file.as_bytes(), 0);
        describe(
            vendor,
            &vendor.reading(&f.entries).unwrap(),
            &Words::english(),
        )
    }

    #[test]
    fn each_trigger_in_words() {
        assert_eq!(
            said(
                "<p prov.polling.enabled=\"1\" prov.polling.mode=\"random\" prov.polling.period=\"259200\" prov.polling.time=\"01:00\" prov.polling.timeRandomEnd=\"05:00\"/>"
            ),
            "Once every 3 days, on a day derived from the MAC that Poly does not publish: any time from 01:00 on the first day to 05:00 on the last."
        );
        assert_eq!(
            said(
                "#!version:1.0.0.1\nstatic.auto_provision.repeat.enable = 1\nstatic.auto_provision.weekly.enable = 1\nstatic.auto_provision.weekly.dayofweek = 15\nstatic.auto_provision.weekly.begin_time = 02:00\nstatic.auto_provision.weekly.end_time = 04:00\n"
            ),
            "Repeat: every 1 day after the phone starts; weekly: every Mon, Fri at a random time from 02:00 to 04:00, phone time."
        );
        assert_eq!(
            said("<flat-profile><Resync_Periodic>60,3600+600</Resync_Periodic></flat-profile>"),
            "At boot, within 40 seconds; after 1 minute, then every 1 hour to 1 hour 10 minutes."
        );
        assert_eq!(
            said("<flat-profile><Resync_On_Reset>No</Resync_On_Reset></flat-profile>"),
            "Nothing until a first fetch (there is none at boot); from it: each 1 hour after the one before."
        );
        assert_eq!(
            said("<gs_provision><config><P194>2</P194><P285>23</P285></config></gs_provision>"),
            "Every day at 23:00, phone time."
        );
        assert_eq!(
            said("<gs_provision><config><P193>60</P193></config></gs_provision>"),
            "No scheduled fetches: only when the phone starts."
        );
    }
}
