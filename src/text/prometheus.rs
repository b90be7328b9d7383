//! The verdicts in Prometheus' text format (version 0.0.4), for `provpoll watch`'s `/metrics`
//! and `provpoll log --format prometheus` (node_exporter's textfile collector). Only what the
//! log and the polling settings say: never a value of a settings file.

use std::fmt::Write as _;

use crate::core::log::PhoneReport;
use crate::core::log::verdict::Verdict;

/// What the log's reading counted, beside the phones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogCounts {
    pub lines: u64,
    pub requests: u64,
    /// Files followed that were rotated or truncated (0 for a log read once).
    pub rotations: u64,
    /// The newest request's time, seconds since 1970.
    pub last_request: Option<i64>,
}

/// The metrics of `phones` (one series per phone, and a count per verdict, 0 included) and of
/// the log; `version` is provpoll's.
pub fn metrics(phones: &[PhoneReport], log: LogCounts, version: &str) -> String {
    let mut out = String::with_capacity(256 + phones.len() * 300);
    family(
        &mut out,
        "provpoll_phones",
        "gauge",
        "Phones of the folder and of the log, by verdict.",
    );
    for v in Verdict::ALL {
        let n = phones.iter().filter(|p| p.verdict == v).count();
        let _ = writeln!(out, "provpoll_phones{{verdict=\"{}\"}} {n}", v.as_str());
    }
    family(
        &mut out,
        "provpoll_phone_verdict",
        "gauge",
        "Each phone's verdict (1), with its vendor and model where known.",
    );
    for p in phones {
        let _ = writeln!(
            out,
            "provpoll_phone_verdict{{mac=\"{}\",vendor=\"{}\",model=\"{}\",verdict=\"{}\"}} 1",
            p.mac,
            p.vendor.map_or("", |v| v.as_str()),
            Label(p.model.as_deref().unwrap_or_default()),
            p.verdict.as_str()
        );
    }
    // Each phone's instants: a series for each phone that has one.
    type Instant = fn(&PhoneReport) -> Option<i64>;
    let instants: [(&str, &str, Instant); 2] = [
        (
            "provpoll_phone_last_fetch_timestamp_seconds",
            "When each phone's last fetch seen began.",
            |p| p.last_seen.map(|t| t.timestamp()),
        ),
        (
            "provpoll_phone_next_fetch_deadline_timestamp_seconds",
            "The latest moment each phone's next expected fetch may come, tolerance included.",
            |p| p.deadline,
        ),
    ];
    for (name, help, instant) in instants {
        family(&mut out, name, "gauge", help);
        for p in phones {
            if let Some(t) = instant(p) {
                let _ = writeln!(out, "{name}{{mac=\"{}\"}} {t}", p.mac);
            }
        }
    }
    for (name, help, value) in [
        (
            "provpoll_log_lines_total",
            "Lines of the log read.",
            log.lines,
        ),
        (
            "provpoll_log_requests_total",
            "Requests of the log read.",
            log.requests,
        ),
        (
            "provpoll_log_rotations_total",
            "Times a followed log file was rotated, replaced or truncated.",
            log.rotations,
        ),
    ] {
        family(&mut out, name, "counter", help);
        let _ = writeln!(out, "{name} {value}");
    }
    family(
        &mut out,
        "provpoll_log_last_request_timestamp_seconds",
        "gauge",
        "When the newest request of the log was made (a log gone quiet stays behind).",
    );
    if let Some(t) = log.last_request {
        let _ = writeln!(out, "provpoll_log_last_request_timestamp_seconds {t}");
    }
    family(
        &mut out,
        "provpoll_build_info",
        "gauge",
        "provpoll's version.",
    );
    let _ = writeln!(
        out,
        "provpoll_build_info{{version=\"{}\"}} 1",
        Label(version)
    );
    out
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// A label's value, escaped as the format asks (`\\`, `\"`, `\n`): a model comes from a user
/// agent, which any client writes.
struct Label<'a>(&'a str);

impl std::fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in self.0.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '"' => f.write_str("\\\"")?,
                '\n' => f.write_str("\\n")?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::log::verdict::Tally;
    use crate::core::mac::Mac;
    use crate::core::vendor::Vendor;
    use chrono::DateTime;

    #[test]
    fn every_verdict_is_counted_and_each_phone_is_one_series() {
        let phone = PhoneReport {
            mac: Mac::parse("000413a1b2c3").expect("a MAC"),
            vendor: Some(Vendor::Snom),
            verdict: Verdict::Silent,
            in_folder: true,
            predicted: true,
            model: Some("D7\"85\\\n".to_owned()),
            firmware: None,
            address: None,
            tally: Tally::default(),
            last_seen: DateTime::from_timestamp(1_768_356_000, 0),
            deadline: Some(1_768_356_720),
        };
        let text = metrics(
            &[phone],
            LogCounts {
                lines: 7,
                requests: 5,
                rotations: 1,
                last_request: Some(1_768_356_001),
            },
            "0.1.0",
        );
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "provpoll_phones{verdict=\"never-seen\"} 0",
                "provpoll_phones{verdict=\"unknown\"} 0",
                "provpoll_phones{verdict=\"silent\"} 1",
                "provpoll_phones{verdict=\"failing\"} 0",
                "provpoll_phones{verdict=\"not-predicted\"} 0",
                "provpoll_phones{verdict=\"missed\"} 0",
                "provpoll_phones{verdict=\"unscheduled\"} 0",
                "provpoll_phones{verdict=\"ok\"} 0",
                "provpoll_phone_verdict{mac=\"000413A1B2C3\",vendor=\"snom\",model=\"D7\\\"85\\\\\\n\",verdict=\"silent\"} 1",
                "provpoll_phone_last_fetch_timestamp_seconds{mac=\"000413A1B2C3\"} 1768356000",
                "provpoll_phone_next_fetch_deadline_timestamp_seconds{mac=\"000413A1B2C3\"} 1768356720",
                "provpoll_log_lines_total 7",
                "provpoll_log_requests_total 5",
                "provpoll_log_rotations_total 1",
                "provpoll_log_last_request_timestamp_seconds 1768356001",
                "provpoll_build_info{version=\"0.1.0\"} 1",
            ]
        );
        // Each family once, announced before its samples.
        assert_eq!(text.matches("# TYPE ").count(), 9);
    }
}
