//! Any bytes as a log file that arrives in pieces of any size (its first byte sets the size, as
//! a stream's chunks do), through the one way in for a log: reading it never panics; a plain
//! file's every line is counted once however it was cut (a line too long to be a request too);
//! every phone it names is judged against a schedule of each kind, and the report over a
//! folder of some of them is made, without panicking; telling a log from a settings file
//! never panics.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use provpoll::core::folder::Folder;
use provpoll::core::log::ingest::Ingest;
use provpoll::core::log::verdict::tally;
use provpoll::core::log::{looks_like_log, report};
use provpoll::core::settings::{ClockTime, Mode, Settings};

fuzz_target!(|data: &[u8]| {
    let Some((&size, bytes)) = data.split_first() else {
        return;
    };
    let _ = looks_like_log(bytes);
    // Each line once, as `split` cuts the whole: no line after a last line end.
    let lines = match bytes.strip_suffix(b"\n") {
        _ if bytes.is_empty() => 0,
        Some(rest) => rest.split(|&b| b == b'\n').count(),
        None => bytes.split(|&b| b == b'\n').count(),
    };
    let mut ingest = Ingest::new(usize::from(size) * 64);
    ingest.file("a".into());
    for piece in bytes.chunks(usize::from(size).max(1) * 512) {
        ingest.push(piece);
    }
    let log = ingest.finish();
    let file = &log.files[0];
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        assert_eq!(file.lines, lines as u64);
    }
    assert_eq!(file.requests + file.skipped + file.uploads, file.lines);
    let end = log.span.map_or(DateTime::<Utc>::UNIX_EPOCH, |(_, to)| to);
    let time = ClockTime::new(2, 0);
    let schedules = [
        Settings {
            enabled: true,
            mode: Some(Mode::Rel),
            period: 1,
            ..Settings::default()
        },
        Settings {
            enabled: true,
            mode: Some(Mode::Abs),
            time,
            ..Settings::default()
        },
        Settings {
            enabled: true,
            mode: Some(Mode::Random),
            period: 3 * 86_400,
            time,
            time_rand_end: ClockTime::new(1, 0),
            refresh_timer: 1,
            ..Settings::default()
        },
        Settings {
            enabled: true,
            mode: Some(Mode::Random),
            period: 60,
            refresh_timer: 30,
            ..Settings::default()
        },
    ];
    for phone in log.phones.values() {
        for s in &schedules {
            let t = tally(s, &Utc, &phone.fetches, end);
            assert_eq!(t.fetches, phone.fetches.len() as u64);
            assert!(t.met + t.missed == t.expected);
        }
    }
    // The report over a folder where the first phones have files of each kind of schedule.
    let bodies = [
        "<prov_polling_enabled>on</prov_polling_enabled><prov_polling_mode>rel</prov_polling_mode><prov_polling_period>60</prov_polling_period>",
        "<prov_polling_enabled>on</prov_polling_enabled><prov_polling_mode>abs</prov_polling_mode><prov_polling_time>02:00</prov_polling_time>",
        "<prov_polling_enabled>on</prov_polling_enabled><prov_polling_mode>random</prov_polling_mode><prov_polling_period>60</prov_polling_period><settings_refresh_timer>30</settings_refresh_timer>",
        "<prov_polling_period>often</prov_polling_period>",
    ];
    let files = log
        .phones
        .keys()
        .zip(bodies.iter().cycle())
        .take(8)
        .map(|(mac, body)| {
            let xml = format!("<settings><phone-settings>{body}</phone-settings></settings>");
            (format!("{mac}.xml"), xml.into_bytes())
        })
        .collect();
    let folder = Folder::read(files);
    let phones = report(&folder, &log, &|_| Box::new(Utc));
    assert_eq!(phones.len(), log.phones.len());
});
