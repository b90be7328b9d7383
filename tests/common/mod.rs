//! Helpers shared by the native integration tests.

#![allow(dead_code)] // each test crate uses some of them

use std::io::Write;
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use provpoll::core::check::validate;
use provpoll::core::settings::{ClockTime, Draft, Key, Mode, Settings};

/// Valid settings from (setting, text) pairs.
pub fn settings(pairs: &[(Key, &str)]) -> Settings {
    let draft = pairs
        .iter()
        .fold(Draft::default(), |d, &(k, v)| d.with(k, v));
    validate(&draft).settings.expect("valid settings")
}

pub fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// Any wall-clock time, or none.
pub fn clock() -> impl Strategy<Value = Option<ClockTime>> {
    prop::option::of((0u8..24, 0u8..60).prop_map(|(h, m)| ClockTime::new(h, m).unwrap()))
}

/// Any settings, with the period and the refresh timer drawn from the given ranges.
pub fn any_settings(
    period: impl Strategy<Value = u32>,
    refresh_timer: impl Strategy<Value = u32>,
) -> impl Strategy<Value = Settings> {
    (
        any::<bool>(),
        prop::option::of(prop::sample::select(Mode::ALL.to_vec())),
        period,
        clock(),
        clock(),
        refresh_timer,
    )
        .prop_map(
            |(enabled, mode, period, time, time_rand_end, refresh_timer)| Settings {
                enabled,
                mode,
                period,
                time,
                time_rand_end,
                refresh_timer,
                ..Settings::default()
            },
        )
}

/// Runs the built `provpoll` in the project's folder with `args`, `stdin` on its standard input.
pub fn provpoll(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_provpoll"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().unwrap();
    std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    child.wait_with_output().unwrap()
}
