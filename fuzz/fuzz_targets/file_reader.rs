//! Any bytes: telling whose file they are and reading them as a folder's file never panic;
//! reading, checking and editing a settings file never panics, and an edit of a file that
//! reads keeps it readable.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provpoll::core::file::SettingsFile;
use provpoll::core::settings::{Draft, Key};

fuzz_target!(|data: &[u8]| {
    let vendor = provpoll::core::vendor::of_file(data);
    let read = provpoll::core::folder::read_file("0004f2a1b2c4.cfg".into(), data.to_vec());
    // Another vendor's file is never taken for snom's.
    if vendor.is_some_and(|v| v != provpoll::core::vendor::Vendor::Snom) {
        assert!(matches!(
            read.content,
            provpoll::core::folder::Content::Foreign { .. }
        ));
    }
    let Ok(mut file) = SettingsFile::parse(data) else {
        return;
    };
    let _ = file.check();
    let _ = file.markup_problems();
    let _ = file.timezone();
    let draft = Draft::default()
        .with(Key::Enabled, "on")
        .with(Key::Mode, "random")
        .with(Key::Period, "259200")
        .with(Key::Time, "09:00")
        .with(Key::TimeRandEnd, "09:10")
        .with(Key::RefreshTimer, "0");
    if file.apply(&draft).is_ok() {
        let again = SettingsFile::parse(file.bytes().to_vec()).expect("an edited file reads");
        assert_eq!(again.draft().value(Key::Period), Some("259200"));
    }
});
