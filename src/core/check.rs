//! Checking the polling settings: each value read as the phone reads it ([`parse_seconds`] and
//! the others), every setting of a [`Draft`] validated at once ([`validate`]), each problem a
//! value that names its setting ([`Issue`]), and what a preview keeps while a field is in error
//! ([`last_valid`]).

use std::fmt;

use crate::core::message::Problem;
use crate::core::rule::{Polling, Rule};
use crate::core::settings::{
    ClockTime, DAY_SECONDS, DEFAULT_PERIOD, Draft, FREQUENT_SECONDS, Key, MAX_SECONDS, Mode, Perm,
    Settings,
};

/// A problem or a warning, naming the setting it is about where there is one. What it says is
/// a value ([`Problem`]); its words are made in [`crate::core::message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub key: Option<Key>,
    pub problem: Problem,
}

impl Issue {
    fn about(key: Key, problem: Problem) -> Issue {
        Issue {
            key: Some(key),
            problem,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

/// The outcome of [`validate`]: settings when there is no error, and every error and warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub settings: Option<Settings>,
    pub errors: Vec<Issue>,
    pub warnings: Vec<Issue>,
}

impl Report {
    pub fn error_for(&self, key: Key) -> Option<&Issue> {
        self.errors.iter().find(|issue| issue.key == Some(key))
    }
}

fn set(text: Option<&str>) -> Option<&str> {
    text.filter(|t| !t.trim().is_empty())
}

/// Reads whole seconds: digits only (after trimming), at most [`MAX_SECONDS`].
pub fn parse_seconds(key: Key, text: &str) -> Result<u32, Issue> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix('-')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        let text = text.to_owned();
        return Err(Issue::about(key, Problem::Negative { key, text }));
    }
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        let text = text.to_owned();
        return Err(Issue::about(key, Problem::NotSeconds { key, text }));
    }
    let digits = text.trim_start_matches('0');
    match digits.parse::<u32>() {
        Ok(n) if n <= MAX_SECONDS => Ok(n),
        _ if digits.is_empty() => Ok(0),
        _ => {
            let text = text.to_owned();
            Err(Issue::about(key, Problem::TooLarge { key, text }))
        }
    }
}

fn parse_on_off(key: Key, text: &str) -> Result<bool, Issue> {
    match text.trim().to_ascii_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => {
            let text = text.trim().to_owned();
            Err(Issue::about(key, Problem::NotOnOff { key, text }))
        }
    }
}

fn parse_mode(key: Key, text: &str) -> Result<Mode, Issue> {
    Mode::parse(text).ok_or_else(|| {
        let text = text.trim().to_owned();
        Issue::about(key, Problem::NotMode { key, text })
    })
}

fn parse_time(key: Key, text: &str) -> Result<ClockTime, Issue> {
    ClockTime::parse(text).ok_or_else(|| {
        let text = text.trim().to_owned();
        Issue::about(key, Problem::NotTime { key, text })
    })
}

pub fn parse_perm(key: Key, text: &str) -> Result<Perm, Issue> {
    Perm::parse(text).ok_or_else(|| {
        let text = text.to_owned();
        Issue::about(key, Problem::NotPerm { key, text })
    })
}

/// The canonical text of a value as it stands in a file, or `None` if it does not parse. Two
/// texts with the same canonical form mean the same to the phone.
pub fn canonical_value(key: Key, text: &str) -> Option<String> {
    match key {
        Key::Enabled => parse_on_off(key, text)
            .ok()
            .map(|on| if on { "on" } else { "off" }.to_owned()),
        Key::Mode => Mode::parse(text).map(|m| m.as_str().to_owned()),
        Key::Period | Key::RefreshTimer => parse_seconds(key, text).ok().map(|n| n.to_string()),
        Key::Time | Key::TimeRandEnd => ClockTime::parse(text).map(|t| t.to_string()),
    }
}

/// Checks every setting of `draft`; blank values count as not set.
pub fn validate(draft: &Draft) -> Report {
    let mut errors = Vec::new();
    fn check<T>(errors: &mut Vec<Issue>, result: Result<T, Issue>) -> Option<T> {
        result.map_err(|e| errors.push(e)).ok()
    }
    let field = |key: Key| set(draft.value(key));
    let (enabled, mode, period) = (field(Key::Enabled), field(Key::Mode), field(Key::Period));
    let (time, time_rand_end, refresh) = (
        field(Key::Time),
        field(Key::TimeRandEnd),
        field(Key::RefreshTimer),
    );
    let e = &mut errors;
    let enabled = enabled.map(|t| check(e, parse_on_off(Key::Enabled, t)));
    let mode = mode.map(|t| check(e, parse_mode(Key::Mode, t)));
    let period = period.map(|t| check(e, parse_seconds(Key::Period, t)));
    let time = time.map(|t| check(e, parse_time(Key::Time, t)));
    let time_rand_end = time_rand_end.map(|t| check(e, parse_time(Key::TimeRandEnd, t)));
    let refresh = refresh.map(|t| check(e, parse_seconds(Key::RefreshTimer, t)));
    let mut perms = [None; 6];
    for key in Key::ALL {
        if let Some(text) = draft.perm(key) {
            perms[key.index()] = check(e, parse_perm(key, text));
        }
    }

    // A value that failed to parse is `Some(None)`: the rules below skip it.
    let enabled_v = enabled.flatten().unwrap_or(false);
    let mode_v = mode.flatten();
    let period_v = period.flatten().unwrap_or(DEFAULT_PERIOD);
    let refresh_v = refresh.flatten().unwrap_or(0);

    if let Some(mode @ (Mode::Rel | Mode::Random)) = mode_v
        && enabled_v
        && period_v == 0
        && period.flatten().is_some()
    {
        errors.push(Issue::about(Key::Period, Problem::ZeroPeriod { mode }));
    }

    let settings = Settings {
        enabled: enabled_v,
        mode: mode_v,
        period: period_v,
        time: time.flatten(),
        time_rand_end: time_rand_end.flatten(),
        refresh_timer: refresh_v,
        perms,
        never_update: draft.never_update,
    };
    let warnings = if errors.is_empty() {
        warnings(&settings, period.is_some())
    } else {
        Vec::new()
    };
    Report {
        settings: errors.is_empty().then_some(settings),
        errors,
        warnings,
    }
}

/// Remembers in `last` every value and perm flag of `draft` that `report` (its validation)
/// finds no error in: what a preview shows while a field is in error ([`last_valid`]). A blank
/// field is "not set", not a value, and is not remembered, so clearing a field on the way to
/// typing a new value does not make "not set" its last valid value.
pub fn remember_valid(last: &mut Draft, draft: &Draft, report: &Report) {
    let kept = patched(last, draft, report);
    for key in Key::ALL {
        if set(kept.value(key)).is_some() {
            last.set_value(key, kept.value(key));
        }
        if kept.perm(key).is_some() {
            last.set_perm(key, kept.perm(key));
        }
    }
}

/// The settings a preview shows for `draft`: the draft itself when it is valid; else the draft
/// with each value and perm flag in error at its last valid one in `last` (not set where it
/// had none), when that is valid; else `whole`, the last draft that was valid as a whole
/// (settings can be wrong only together).
pub fn last_valid(last: &Draft, draft: &Draft, report: &Report, whole: &Draft) -> Draft {
    if report.errors.is_empty() {
        return draft.clone();
    }
    let patched = patched(last, draft, report);
    if validate(&patched).errors.is_empty() {
        patched
    } else {
        whole.clone()
    }
}

/// `draft` with each value and perm flag that `report` finds in error taken from `last`.
fn patched(last: &Draft, draft: &Draft, report: &Report) -> Draft {
    let mut out = draft.clone();
    for issue in &report.errors {
        if let Some(key) = issue.key {
            if let Problem::NotPerm { .. } = issue.problem {
                out.set_perm(key, last.perm(key));
            } else {
                out.set_value(key, last.value(key));
            }
        }
    }
    out
}

/// What is allowed but probably not meant.
fn warnings(s: &Settings, period_given: bool) -> Vec<Issue> {
    let mut out = Vec::new();
    let mut warn = |key: Option<Key>, problem: Problem| out.push(Issue { key, problem });
    if s.never_update {
        warn(None, Problem::NeverUpdate);
    }
    if s.enabled {
        match s.mode {
            None => warn(Some(Key::Mode), Problem::NoMode),
            Some(Mode::Rel) if s.period < FREQUENT_SECONDS => {
                warn(Some(Key::Period), Problem::FrequentRel { period: s.period })
            }
            Some(Mode::Random) if s.period < FREQUENT_SECONDS => warn(
                Some(Key::Period),
                Problem::FrequentRandom { period: s.period },
            ),
            _ => {}
        }
        if !period_given && matches!(s.mode, Some(Mode::Rel | Mode::Random)) {
            warn(Some(Key::Period), Problem::DefaultPeriod);
        }
        let rule = Rule::of(s);
        if let (Polling::Untimed { .. }, Some(mode)) = (rule.polling, s.mode) {
            warn(Some(Key::Time), Problem::NoTime { mode });
        }
        if let Polling::Window { days, .. } | Polling::Untimed { days: Some(days) } = rule.polling {
            if let (Some(start), None) = (s.time, s.time_rand_end) {
                warn(Some(Key::TimeRandEnd), Problem::NoTimeRandEnd { start });
            }
            if !s.period.is_multiple_of(DAY_SECONDS) {
                warn(
                    Some(Key::Period),
                    Problem::PartDays {
                        period: s.period,
                        days,
                    },
                );
            }
        }
        if s.refresh_timer > 0 {
            warn(
                Some(Key::RefreshTimer),
                Problem::BothTimers {
                    refresh: s.refresh_timer,
                },
            );
        }
    }
    if s.refresh_timer > 0 && s.refresh_timer < FREQUENT_SECONDS {
        warn(
            Some(Key::RefreshTimer),
            Problem::FrequentRefresh {
                refresh: s.refresh_timer,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(pairs: &[(Key, &str)]) -> Draft {
        pairs
            .iter()
            .fold(Draft::default(), |d, &(key, value)| d.with(key, value))
    }

    #[test]
    fn seconds() {
        let k = Key::Period;
        assert_eq!(parse_seconds(k, " 3600 "), Ok(3600));
        assert_eq!(parse_seconds(k, "000"), Ok(0));
        assert_eq!(parse_seconds(k, "2147483647"), Ok(2_147_483_647));
        let msg = |t| parse_seconds(k, t).unwrap_err().to_string();
        assert_eq!(
            msg("2147483648"),
            "prov_polling_period is too large: 2147483648 overflows the phone's limit of 2147483647 s"
        );
        assert_eq!(
            msg("99999999999999999999999"),
            "prov_polling_period is too large: 99999999999999999999999 overflows the phone's limit of 2147483647 s"
        );
        assert_eq!(
            msg("-5"),
            "prov_polling_period must not be negative (it is -5)"
        );
        assert_eq!(
            msg("1.5"),
            "prov_polling_period must be a whole number of seconds, not \"1.5\""
        );
        assert!(parse_seconds(k, "+5").is_err());
        assert!(parse_seconds(k, "1e3").is_err());
    }

    #[test]
    fn every_error_at_once_each_naming_its_setting() {
        let report = validate(&draft(&[
            (Key::Enabled, "yes"),
            (Key::Mode, "sometimes"),
            (Key::Period, "-1"),
            (Key::Time, "25:00"),
            (Key::TimeRandEnd, "9"),
            (Key::RefreshTimer, "x"),
        ]));
        assert_eq!(report.settings, None);
        let keys: Vec<_> = report.errors.iter().map(|e| e.key.unwrap()).collect();
        assert_eq!(keys, Key::ALL.to_vec());
        assert!(
            report
                .errors
                .iter()
                .all(|e| e.to_string().contains(e.key.unwrap().name()))
        );
    }

    #[test]
    fn import_is_case_insensitive_and_trims() {
        let report = validate(&draft(&[
            (Key::Enabled, " ON "),
            (Key::Mode, "Random\n"),
            (Key::Period, "\t86400 "),
            (Key::Time, " 9:00"),
            (Key::TimeRandEnd, "09:10"),
        ]));
        let s = report.settings.unwrap();
        assert!(s.enabled);
        assert_eq!(s.mode, Some(Mode::Random));
        assert_eq!(s.time, ClockTime::new(9, 0));
        assert_eq!(s.value_text(Key::Mode).as_deref(), Some("random"));
        assert_eq!(report.warnings, vec![]);
    }

    #[test]
    fn zero_period_is_valid_while_polling_is_off() {
        let off = validate(&draft(&[
            (Key::Enabled, "off"),
            (Key::Mode, "rel"),
            (Key::Period, "0"),
        ]));
        assert!(off.settings.is_some());
        let on = validate(&draft(&[
            (Key::Enabled, "on"),
            (Key::Mode, "rel"),
            (Key::Period, "0"),
        ]));
        assert_eq!(
            on.errors,
            vec![Issue::about(
                Key::Period,
                Problem::ZeroPeriod { mode: Mode::Rel }
            )]
        );
        assert_eq!(
            on.errors[0].to_string(),
            "prov_polling_period must be more than 0 s in rel mode while polling is on"
        );
        let abs = validate(&draft(&[
            (Key::Enabled, "on"),
            (Key::Mode, "abs"),
            (Key::Period, "0"),
            (Key::Time, "03:00"),
        ]));
        assert!(abs.settings.is_some(), "abs ignores the period");
    }

    #[test]
    fn warnings_name_their_setting() {
        let keys = |pairs: &[(Key, &str)]| -> Vec<Option<Key>> {
            validate(&draft(pairs))
                .warnings
                .iter()
                .map(|w| w.key)
                .collect()
        };
        let on = (Key::Enabled, "on");
        assert_eq!(
            keys(&[on, (Key::Mode, "rel"), (Key::Period, "60")]),
            [Some(Key::Period)]
        );
        assert_eq!(keys(&[on, (Key::Mode, "rel"), (Key::Period, "300")]), []);
        assert_eq!(keys(&[on, (Key::Mode, "abs")]), [Some(Key::Time)]);
        assert_eq!(
            keys(&[on, (Key::Mode, "random"), (Key::Period, "86400")]),
            [Some(Key::Time)]
        );
        assert_eq!(
            keys(&[
                on,
                (Key::Mode, "random"),
                (Key::Period, "100000"),
                (Key::Time, "09:00"),
                (Key::TimeRandEnd, "09:10")
            ]),
            [Some(Key::Period)]
        );
        assert_eq!(
            keys(&[
                on,
                (Key::Mode, "rel"),
                (Key::Period, "3600"),
                (Key::RefreshTimer, "86400")
            ]),
            [Some(Key::RefreshTimer)]
        );
        assert_eq!(keys(&[on]), [Some(Key::Mode)]);
        assert_eq!(keys(&[on, (Key::Mode, "rel")]), [Some(Key::Period)]);
        assert_eq!(
            keys(&[(Key::RefreshTimer, "20")]),
            [Some(Key::RefreshTimer)]
        );
    }

    #[test]
    fn warnings_are_values_with_their_data() {
        let report = validate(&draft(&[
            (Key::Enabled, "on"),
            (Key::Mode, "random"),
            (Key::Period, "100000"),
            (Key::Time, "09:00"),
            (Key::RefreshTimer, "60"),
        ]));
        let problems: Vec<&Problem> = report.warnings.iter().map(|w| &w.problem).collect();
        assert_eq!(
            problems,
            [
                &Problem::NoTimeRandEnd {
                    start: ClockTime::new(9, 0).unwrap()
                },
                &Problem::PartDays {
                    period: 100_000,
                    days: 2
                },
                &Problem::BothTimers { refresh: 60 },
                &Problem::FrequentRefresh { refresh: 60 },
            ]
        );
        assert_eq!(
            report.warnings[1].to_string(),
            "100000 s is not a whole number of days: the phone rounds it up to 2 days"
        );
    }

    #[test]
    fn random_days_round_up() {
        use crate::core::rule::{Polling, Rule};
        let days = |period| match Rule::of(&Settings {
            enabled: true,
            mode: Some(Mode::Random),
            period,
            ..Settings::default()
        })
        .polling
        {
            Polling::Untimed { days } => days,
            _ => None,
        };
        assert_eq!(days(86_399), None);
        assert_eq!(days(86_400), Some(1));
        assert_eq!(days(100_000), Some(2));
        assert_eq!(days(259_200), Some(3));
    }

    /// The draft a preview shows after each of `steps`, as a form sends them.
    fn preview(steps: &[(Key, &str)]) -> Draft {
        let (mut last, mut whole) = (Draft::default(), Draft::default());
        let mut draft = Draft::default();
        for &(key, value) in steps {
            draft.set_value(key, (!value.is_empty()).then_some(value));
            let report = validate(&draft);
            remember_valid(&mut last, &draft, &report);
            if report.errors.is_empty() {
                whole = draft.clone();
            }
        }
        last_valid(&last, &draft, &validate(&draft), &whole)
    }

    #[test]
    fn an_invalid_field_keeps_its_last_valid_value() {
        let rel = [
            (Key::Enabled, "on"),
            (Key::Mode, "rel"),
            (Key::Period, "3600"),
        ];
        let expected = draft(&rel);
        // Typed over, or cleared on the way: the period stays 3600, never "not set".
        for typing in [
            &[(Key::Period, "abc")][..],
            &[(Key::Period, ""), (Key::Period, "abc")],
        ] {
            assert_eq!(preview(&[&rel[..], typing].concat()), expected);
        }
        // Each field at its own last valid value: a later valid edit of another field counts.
        let got = preview(
            &[
                &rel[..],
                &[
                    (Key::Time, "09:00"),
                    (Key::Time, "9"),
                    (Key::Period, "7200"),
                ],
            ]
            .concat(),
        );
        assert_eq!(
            got,
            draft(&rel)
                .with(Key::Period, "7200")
                .with(Key::Time, "09:00")
        );
        // A field that never had a valid value is not set.
        assert_eq!(
            preview(&[&rel[..], &[(Key::RefreshTimer, "x")]].concat()),
            expected
        );
        // A perm flag in error keeps its own last valid flag, and the value stays.
        let mut d = draft(&rel);
        d.set_perm(Key::Period, Some("R"));
        let mut last = Draft::default();
        remember_valid(&mut last, &d, &validate(&d));
        d.set_perm(Key::Period, Some("x"));
        d.set_value(Key::Period, Some("600"));
        let mut kept = draft(&rel).with(Key::Period, "600");
        kept.set_perm(Key::Period, Some("R"));
        assert_eq!(
            last_valid(&last, &d, &validate(&d), &Draft::default()),
            kept
        );
    }

    #[test]
    fn settings_wrong_only_together_fall_back_to_the_last_valid_whole() {
        // A period of 0 is valid while polling is off; turning polling on makes it an error
        // whose last valid value is 0 again: the whole last valid draft stands in.
        let got = preview(&[(Key::Mode, "rel"), (Key::Period, "0"), (Key::Enabled, "on")]);
        assert_eq!(got, draft(&[(Key::Mode, "rel"), (Key::Period, "0")]));
        assert!(validate(&got).errors.is_empty());
    }

    #[test]
    fn draft_round_trip() {
        let report = validate(&draft(&[
            (Key::Enabled, "on"),
            (Key::Mode, "abs"),
            (Key::Time, "3:00"),
        ]));
        let s = report.settings.unwrap();
        assert_eq!(validate(&s.to_draft()).settings, Some(s));
        assert_eq!(s.to_draft().value(Key::Time), Some("03:00"));
    }
}
