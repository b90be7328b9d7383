//! Helpers shared by the native integration tests.

#![allow(dead_code)] // each test crate uses some of them

use chrono::{DateTime, Utc};
use provpoll::settings::{Draft, Key, Settings, validate};

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
