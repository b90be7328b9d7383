//! The schedule in one sentence, for people.

use crate::rule::{Polling, Rule};
use crate::settings::{Key, Settings};

/// A duration in words: `3 days`, `1 hour 30 minutes`, `20 seconds`.
pub fn duration(seconds: u32) -> String {
    let units = [
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut rest = seconds;
    let mut parts = Vec::new();
    for (size, name) in units {
        let n = rest / size;
        rest %= size;
        if n > 0 {
            parts.push(format!("{n} {name}{}", if n == 1 { "" } else { "s" }));
        }
    }
    if parts.is_empty() {
        "0 seconds".to_owned()
    } else {
        parts.join(" ")
    }
}

/// "Every 3 days, at a random time between 09:00 and 09:10, from tomorrow on."
pub fn describe(s: &Settings) -> String {
    let rule = Rule::of(s);
    if rule.never_update {
        return "No fetches: update_policy is never_update, so the phone loads nothing.".into();
    }
    let polling = polling(rule.polling);
    let refresh = rule.refresh.map(duration);
    match (polling, refresh) {
        (None, None) => "No scheduled fetches: polling is off and the refresh timer is 0.".into(),
        (None, Some(every)) => format!(
            "Every {every} after the settings take effect ({}).",
            Key::RefreshTimer
        ),
        (Some(p), None) => format!("{p}."),
        (Some(p), Some(every)) => format!(
            "{p}; and independently every {every} after the settings take effect ({}).",
            Key::RefreshTimer
        ),
    }
}

fn polling(p: Polling) -> Option<String> {
    Some(match p {
        Polling::Off => return None,
        Polling::NoMode => "Polling is on, but its mode is not set".into(),
        Polling::Every { period } => {
            format!("Every {} after the settings take effect", duration(period))
        }
        Polling::Daily { time } => {
            format!("Every day at {time}, phone time, from the next {time} on")
        }
        Polling::Untimed { days: None } => "Every day, at a time that is not set".into(),
        Polling::Window { days, start, end } => {
            let every = if days == 1 {
                "Every day".to_owned()
            } else {
                format!("Every {days} days")
            };
            let when = if end == start {
                format!("at {start}")
            } else if end < start {
                format!("at a random time between {start} and {end} the next day")
            } else {
                format!("at a random time between {start} and {end}")
            };
            format!("{every}, {when}, phone time, from tomorrow on")
        }
        Polling::Untimed { days: Some(_) } => "Every day or more, at a time that is not set".into(),
        Polling::Chained { period } => format!(
            "At random, each fetch within {} of the one before",
            duration(period)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{ClockTime, Mode};

    fn on(mode: Mode, period: u32) -> Settings {
        Settings {
            enabled: true,
            mode: Some(mode),
            period,
            ..Settings::default()
        }
    }

    #[test]
    fn durations() {
        assert_eq!(duration(0), "0 seconds");
        assert_eq!(duration(20), "20 seconds");
        assert_eq!(duration(86_400), "1 day");
        assert_eq!(duration(5_400), "1 hour 30 minutes");
        assert_eq!(duration(259_200), "3 days");
        assert_eq!(duration(90_061), "1 day 1 hour 1 minute 1 second");
    }

    #[test]
    fn vendor_examples_in_words() {
        let window = |period| Settings {
            time: ClockTime::new(9, 0),
            time_rand: ClockTime::new(9, 10),
            ..on(Mode::Random, period)
        };
        assert_eq!(
            describe(&window(259_200)),
            "Every 3 days, at a random time between 09:00 and 09:10, phone time, from tomorrow on."
        );
        assert_eq!(
            describe(&window(86_400)),
            "Every day, at a random time between 09:00 and 09:10, phone time, from tomorrow on."
        );
        assert_eq!(
            describe(&on(Mode::Random, 3600)),
            "At random, each fetch within 1 hour of the one before."
        );
        assert_eq!(
            describe(&on(Mode::Rel, 86_400)),
            "Every 1 day after the settings take effect."
        );
        let option2 = Settings {
            refresh_timer: 86_400,
            ..Settings::default()
        };
        assert_eq!(
            describe(&option2),
            "Every 1 day after the settings take effect (settings_refresh_timer)."
        );
        assert_eq!(
            describe(&Settings::default()),
            "No scheduled fetches: polling is off and the refresh timer is 0."
        );
    }

    #[test]
    fn windows_over_midnight_and_both_timers() {
        let s = Settings {
            time: ClockTime::new(23, 30),
            time_rand: ClockTime::new(0, 30),
            refresh_timer: 3600,
            ..on(Mode::Random, 86_400)
        };
        assert_eq!(
            describe(&s),
            "Every day, at a random time between 23:30 and 00:30 the next day, phone time, from tomorrow on; and independently every 1 hour after the settings take effect (settings_refresh_timer)."
        );
        let abs = Settings {
            time: ClockTime::new(3, 0),
            ..on(Mode::Abs, 0)
        };
        assert_eq!(
            describe(&abs),
            "Every day at 03:00, phone time, from the next 03:00 on."
        );
    }
}
