//! The schedule in one sentence, for people.

use crate::core::rule::{Polling, Rule};
use crate::core::settings::{Key, Settings};
use crate::words::Words;

/// A duration in English words: `3 days`, `1 hour 30 minutes`, `20 seconds`.
pub fn duration(seconds: u32) -> String {
    Words::english().duration(seconds)
}

/// The schedule in English: "Every 3 days, at a random time between 09:00 and 09:10, …".
pub fn describe(s: &Settings) -> String {
    describe_in(s, &Words::english())
}

/// "Every 3 days, at a random time between 09:00 and 09:10, from tomorrow on.", in `w`'s
/// language.
pub fn describe_in(s: &Settings, w: &Words) -> String {
    let rule = Rule::of(s);
    if rule.never_update {
        return w
            .t(en!(
                "No fetches: update_policy is never_update, so the phone loads nothing."
            ))
            .to_owned();
    }
    let polling = polling(rule.polling, w);
    let refresh = rule.refresh.map(|r| w.duration(r));
    let timer = Key::RefreshTimer.name();
    match (polling, refresh) {
        (None, None) => w
            .t(en!(
                "No scheduled fetches: polling is off and the refresh timer is 0."
            ))
            .to_owned(),
        (None, Some(every)) => w.fill(
            en!("Every {0} after the settings take effect ({1})."),
            &[&every, &timer],
        ),
        (Some(p), None) => format!("{p}."),
        (Some(p), Some(every)) => w.fill(
            en!("{0}; and independently every {1} after the settings take effect ({2})."),
            &[&p, &every, &timer],
        ),
    }
}

fn polling(p: Polling, w: &Words) -> Option<String> {
    Some(match p {
        Polling::Off => return None,
        Polling::NoMode => w
            .t(en!("Polling is on, but its mode is not set"))
            .to_owned(),
        Polling::Every { period } => w.fill(
            en!("Every {0} after the settings take effect"),
            &[&w.duration(period)],
        ),
        Polling::Daily { time } => w.fill(
            en!("Every day at {0}, phone time, from the next {0} on"),
            &[&time],
        ),
        Polling::Untimed { days: None } => {
            w.t(en!("Every day, at a time that is not set")).to_owned()
        }
        Polling::Window { days, start, end } => {
            let template = match (days == 1, end.cmp(&start)) {
                (true, std::cmp::Ordering::Equal) => {
                    en!("Every day, at {1}, phone time, from tomorrow on")
                }
                (true, std::cmp::Ordering::Less) => en!(
                    "Every day, at a random time between {1} and {2} the next day, phone time, from tomorrow on"
                ),
                (true, std::cmp::Ordering::Greater) => en!(
                    "Every day, at a random time between {1} and {2}, phone time, from tomorrow on"
                ),
                (false, std::cmp::Ordering::Equal) => {
                    en!("Every {0} days, at {1}, phone time, from tomorrow on")
                }
                (false, std::cmp::Ordering::Less) => en!(
                    "Every {0} days, at a random time between {1} and {2} the next day, phone time, from tomorrow on"
                ),
                (false, std::cmp::Ordering::Greater) => en!(
                    "Every {0} days, at a random time between {1} and {2}, phone time, from tomorrow on"
                ),
            };
            w.fill(template, &[&days, &start, &end])
        }
        Polling::Untimed { days: Some(_) } => w
            .t(en!("Every day or more, at a time that is not set"))
            .to_owned(),
        Polling::Chained { period } => w.fill(
            en!("At random, each fetch within {0} of the one before"),
            &[&w.duration(period)],
        ),
    })
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::settings::{ClockTime, Mode};

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
            time_rand_end: ClockTime::new(9, 10),
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
            time_rand_end: ClockTime::new(0, 30),
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
