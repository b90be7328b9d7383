//! The window's end is `prov_polling_time_rand_end`, as NethServer's Tancredi writes it in its
//! snom and Gigaset P templates (nethesis/tancredi `data/templates/snom.tmpl`,
//! `test/fixtures/snom-d120-expected.xml`: the five polling elements with `perm=""`, zone
//! `ITA+1`). The fixtures in tests/files/tancredi are ours, with those names and values in the
//! two states Tancredi writes: `rel` 60 while provisioning, `random` 86400 from 01:00 to 04:00
//! once complete. `old-name.xml` is `complete.xml` with the name provpoll once guessed.

#![cfg(not(target_arch = "wasm32"))]

use chrono_tz::Europe::{Berlin, Rome};
use provpoll::core::check::validate;
use provpoll::core::file::SettingsFile;
use provpoll::core::folder::{Folder, Target};
use provpoll::core::message::Problem;
use provpoll::core::schedule::fetches;
use provpoll::core::settings::{Draft, Key};
use provpoll::core::zone::local;

mod common;
use common::{provpoll, utc};

const COMPLETE: &str = "tests/files/tancredi/complete.xml";
const PROVISIONING: &str = "tests/files/tancredi/provisioning.xml";
const OLD_NAME: &str = "tests/files/tancredi/old-name.xml";

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// Earliest and latest of the first `n` fetches, as RFC 3339 in `zone`.
fn windows(xml: &[u8], t0: &str, zone: &chrono_tz::Tz, n: usize) -> Vec<(String, String)> {
    let file = SettingsFile::parse(xml).unwrap();
    let settings = validate(&file.draft()).settings.unwrap();
    fetches(&settings, utc(t0), zone, 0)
        .take(n)
        .map(|f| {
            (
                local(zone, f.earliest).to_rfc3339(),
                local(zone, f.latest).to_rfc3339(),
            )
        })
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

#[test]
fn tancredis_complete_state_is_a_window_from_01_to_04_in_rome() {
    let file = SettingsFile::parse(read(COMPLETE)).unwrap();
    let draft = file.draft();
    assert_eq!(draft.value(Key::TimeRandEnd), Some("04:00"));
    assert_eq!(draft.perm(Key::TimeRandEnd), Some(""));
    assert_eq!(file.timezone(), Some("ITA+1"));
    let (report, errors, warnings) = file.check();
    assert_eq!((errors, warnings), (vec![], vec![]));
    assert!(report.settings.is_some());
    // From the next day on (T0 at noon, June: Rome is UTC+2), every day 01:00–04:00.
    assert_eq!(
        windows(&read(COMPLETE), "2026-06-10T12:00:00+02:00", &Rome, 2),
        [
            pair("2026-06-11T01:00:00+02:00", "2026-06-11T04:00:00+02:00"),
            pair("2026-06-12T01:00:00+02:00", "2026-06-12T04:00:00+02:00"),
        ]
    );

    // The command line takes the zone from the file's ITA+1 and says the same.
    let o = provpoll(
        &[
            "schedule",
            COMPLETE,
            "--from",
            "2026-06-10T12:00:00+02:00",
            "--count",
            "1",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let fetch = &json["fetches"][0];
    assert_eq!(fetch["earliest"], "2026-06-11T01:00:00+02:00");
    assert_eq!(fetch["latest"], "2026-06-11T04:00:00+02:00");
    let o = provpoll(&["check", COMPLETE], None);
    assert_eq!(
        text(&o.stdout),
        format!(
            "{COMPLETE}: Every day, at a random time between 01:00 and 04:00, phone time, from tomorrow on.\n"
        )
    );
    assert_eq!(text(&o.stderr), "");
}

#[test]
fn tancredis_provisioning_state_polls_every_minute() {
    let t0 = "2026-06-10T12:00:00+02:00";
    assert_eq!(
        windows(&read(PROVISIONING), t0, &Rome, 2),
        [
            pair("2026-06-10T12:01:00+02:00", "2026-06-10T12:01:00+02:00"),
            pair("2026-06-10T12:02:00+02:00", "2026-06-10T12:02:00+02:00"),
        ]
    );
    let o = provpoll(&["check", PROVISIONING], None);
    assert_eq!(
        text(&o.stderr),
        format!(
            "{PROVISIONING}:16:9: warning: polling every 60 s is more often than every 5 minutes: a fleet of phones will load the server heavily\n"
        )
    );
}

#[test]
fn the_vendors_examples_with_the_element_names() {
    let xml = |period: &str| {
        format!(
            "<settings><phone-settings>\
             <prov_polling_enabled>on</prov_polling_enabled>\
             <prov_polling_mode>random</prov_polling_mode>\
             <prov_polling_period>{period}</prov_polling_period>\
             <prov_polling_time>09:00</prov_polling_time>\
             <prov_polling_time_rand_end>09:10</prov_polling_time_rand_end>\
             </phone-settings></settings>"
        )
    };
    let t0 = "2026-06-10T07:00:00+02:00";
    // Example 1: every day between 09:00 and 09:10, from the next day on.
    assert_eq!(
        windows(xml("86400").as_bytes(), t0, &Berlin, 2),
        [
            pair("2026-06-11T09:00:00+02:00", "2026-06-11T09:10:00+02:00"),
            pair("2026-06-12T09:00:00+02:00", "2026-06-12T09:10:00+02:00"),
        ]
    );
    // Example 2: every 3 days, the same window.
    assert_eq!(
        windows(xml("259200").as_bytes(), t0, &Berlin, 2),
        [
            pair("2026-06-11T09:00:00+02:00", "2026-06-11T09:10:00+02:00"),
            pair("2026-06-14T09:00:00+02:00", "2026-06-14T09:10:00+02:00"),
        ]
    );
    // Example 3: under a day, the window is ignored: the first fetch within an hour of T0.
    assert_eq!(
        windows(xml("3600").as_bytes(), t0, &Berlin, 1),
        [pair(
            "2026-06-10T07:00:00+02:00",
            "2026-06-10T08:00:00+02:00"
        )]
    );
}

#[test]
fn the_old_name_is_a_warning_and_the_phone_takes_a_single_minute() {
    let file = SettingsFile::parse(read(OLD_NAME)).unwrap();
    assert_eq!(file.draft().value(Key::TimeRandEnd), None);
    let (_, errors, warnings) = file.check();
    assert_eq!(errors, vec![]);
    let found: Vec<(usize, usize, &Problem)> = warnings
        .iter()
        .map(|w| (w.line, w.column, &w.what.problem))
        .collect();
    let start = provpoll::core::settings::ClockTime::new(1, 0).unwrap();
    assert_eq!(
        found,
        [
            (18, 9, &Problem::NoTimeRandEnd { start }),
            (18, 9, &Problem::Misnamed),
        ]
    );
    assert_eq!(
        windows(&read(OLD_NAME), "2026-06-10T12:00:00+02:00", &Rome, 1),
        [pair(
            "2026-06-11T01:00:00+02:00",
            "2026-06-11T01:00:00+02:00"
        )]
    );

    let o = provpoll(&["check", OLD_NAME], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        text(&o.stderr),
        format!(
            "{OLD_NAME}:18:9: warning: prov_polling_time_rand_end is not set: the window is the single minute 01:00\n\
             {OLD_NAME}:18:9: warning: prov_polling_time_rand is not a setting the phone knows, so it ignores this value: the window's end is prov_polling_time_rand_end\n"
        )
    );
}

#[test]
fn nothing_is_renamed_unless_asked() {
    let bytes = read(OLD_NAME);
    let file = SettingsFile::parse(bytes.clone()).unwrap();
    assert_eq!(file.bytes(), &bytes[..]);
    // Another setting's edit leaves the old element as it is.
    let mut edited = file.clone();
    edited
        .apply(&Draft::default().with(Key::Period, "172800"))
        .unwrap();
    let expected = text(&bytes).replace(">86400<", ">172800<");
    assert_eq!(text(edited.bytes()), expected);
    // A file with no misnamed element has nothing to rename.
    assert_eq!(
        SettingsFile::parse(read(COMPLETE)).unwrap().misnamed(),
        None
    );
}

/// The file's draft with the window's end set to the misnamed element's value and flag, as
/// the page's button sets it.
fn renaming(file: &SettingsFile) -> Draft {
    let (value, perm) = file.misnamed().unwrap();
    let mut draft = file.draft().with(Key::TimeRandEnd, value);
    draft.set_perm(Key::TimeRandEnd, perm);
    draft
}

#[test]
fn renaming_changes_the_two_tag_names_and_nothing_else() {
    let file = SettingsFile::parse(read(OLD_NAME)).unwrap();
    assert_eq!(file.misnamed(), Some(("04:00", Some(""))));
    let (bytes, written) = file.edited(&renaming(&file)).unwrap();
    assert_eq!(text(&bytes), text(&read(COMPLETE)));
    assert_eq!(written.len(), 2);
    for range in written {
        assert_eq!(&bytes[range], b"prov_polling_time_rand_end");
    }

    // An empty-element tag has one name: setting the window's end renames it and gives it the
    // value; the perm flag and blanks stay. Empty, it offers nothing to take over.
    let xml = "<settings>\r\n<phone-settings>\r\n\t<prov_polling_time_rand  perm='R' />\r\n</phone-settings>\r\n</settings>";
    let file = SettingsFile::parse(xml).unwrap();
    assert_eq!(file.misnamed(), None);
    let (bytes, _) = file
        .edited(&Draft::default().with(Key::TimeRandEnd, "04:00"))
        .unwrap();
    assert_eq!(
        text(&bytes),
        xml.replace(
            "<prov_polling_time_rand  perm='R' />",
            "<prov_polling_time_rand_end  perm='R' >04:00</prov_polling_time_rand_end>"
        )
    );

    // Where the file has the right element too, renaming would shadow it: nothing to rename,
    // and setting the window's end edits the right one.
    let both = "<phone-settings><prov_polling_time_rand>09:10</prov_polling_time_rand><prov_polling_time_rand_end>04:00</prov_polling_time_rand_end></phone-settings>";
    let mut file = SettingsFile::parse(both).unwrap();
    assert_eq!(file.misnamed(), None);
    let draft = Draft::default().with(Key::TimeRandEnd, "05:00");
    assert_eq!(file.renames_misnamed(&draft), None);
    file.apply(&draft).unwrap();
    assert_eq!(text(file.bytes()), both.replace("04:00", "05:00"));
}

#[test]
fn setting_the_window_end_renames_the_old_element_and_says_so() {
    let o = provpoll(&["set", OLD_NAME, "--time-rand-end", "04:00"], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(o.stdout, read(COMPLETE));
    assert_eq!(
        text(&o.stderr),
        format!(
            "{OLD_NAME}:18:9: note: prov_polling_time_rand renamed to prov_polling_time_rand_end, the name the phone reads\n"
        )
    );

    // The old option still works (scripts), with a new value and a perm flag.
    let o = provpoll(
        &["set", OLD_NAME, "--time-rand", "05:30", "--perm", "R"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        text(&read(COMPLETE)).replace(
            r#"<prov_polling_time_rand_end perm="">04:00<"#,
            r#"<prov_polling_time_rand_end perm="R">05:30<"#
        )
    );

    // Another setting alone renames nothing.
    let o = provpoll(&["set", OLD_NAME, "--period", "172800"], None);
    assert_eq!(text(&o.stderr), "");
    assert!(
        text(&o.stdout)
            .contains("<prov_polling_time_rand perm=\"\">04:00</prov_polling_time_rand>")
    );
}

#[test]
fn every_option_of_set_has_its_help_and_the_old_one_is_hidden() {
    let o = provpoll(&["set", "--help"], None);
    assert_eq!(o.status.code(), Some(0));
    let help = text(&o.stdout);
    assert!(help.contains("--time-rand-end <HH:MM>"), "{help}");
    assert!(!help.contains("--time-rand "), "{help}");
    for option in [
        "--enabled",
        "--mode",
        "--period",
        "--time ",
        "--time-rand-end",
        "--refresh-timer",
    ] {
        let at = help.find(&format!("      {option}")).unwrap_or_else(|| {
            panic!("{option} in {help}");
        });
        // The next line is its help text.
        let next = help[at..].lines().nth(1).unwrap().trim();
        assert!(
            next.starts_with("prov_polling_") || next.starts_with("settings_refresh_timer"),
            "{option}: {next}"
        );
    }
}

#[test]
fn a_folder_names_the_old_element_and_its_plan_renames_it() {
    let general = read(OLD_NAME);
    let own = b"<settings><phone-settings><user_name idx=\"1\">201</user_name></phone-settings></settings>\n";
    let folder = Folder::read(vec![
        ("snomD785.xml".to_owned(), general.clone()),
        ("snomD785-000413AABBCC.xml".to_owned(), own.to_vec()),
    ]);
    let findings: Vec<String> = folder
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {}",
                folder.files[f.file].path, f.line, f.column, f.concern
            )
        })
        .collect();
    assert_eq!(
        findings,
        [
            "snomD785.xml:18:9: prov_polling_time_rand is not a setting the phone knows, so it ignores this value: the window's end is prov_polling_time_rand_end",
            "snomD785.xml:18:9: prov_polling_time_rand_end is not set: the window is the single minute 01:00",
        ]
    );
    // The window's end goes where the misnamed element stands (the general file), renaming it.
    let change = Draft::default().with(Key::TimeRandEnd, "04:00");
    let plan = folder.plan(&change, &[0], Target::Source).unwrap();
    assert_eq!(plan.edits.len(), 1);
    assert_eq!(folder.files[plan.edits[0].file].path, "snomD785.xml");
    assert_eq!(plan.edits[0].bytes, read(COMPLETE));
    assert_eq!(plan.edits[0].affected, [0]);
    // Into the phone's own file instead: a new element there; the general file stays.
    let plan = folder.plan(&change, &[0], Target::Own).unwrap();
    assert_eq!(plan.edits.len(), 1);
    assert_eq!(
        folder.files[plan.edits[0].file].path,
        "snomD785-000413AABBCC.xml"
    );
    assert!(
        text(&plan.edits[0].bytes)
            .contains("<prov_polling_time_rand_end>04:00</prov_polling_time_rand_end>")
    );
}

#[test]
fn a_folder_plan_on_disk_shows_the_renamed_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("snomD785.xml"), read(OLD_NAME)).unwrap();
    std::fs::write(
        dir.path().join("snomD785-000413AABBCC.xml"),
        "<settings><phone-settings/></settings>\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let set = |how: &str| {
        let args = ["set", path, "--all", "--time-rand-end", "04:00", how];
        provpoll(&args, None)
    };
    let o = set("--dry-run");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "snomD785.xml: prov_polling_time_rand_end=04:00; changes 1 phone\n  \
         line 18: prov_polling_time_rand renamed to prov_polling_time_rand_end, the name the phone reads\n"
    );
    assert_eq!(text(&o.stderr), "");
    let o = set("--in-place");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read(dir.path().join("snomD785.xml")).unwrap(),
        read(COMPLETE)
    );
}
