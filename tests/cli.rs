//! The built `provpoll` binary on files in tests/files.

#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Output};

mod common;
use common::provpoll;

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const D785: &str = "tests/files/snom-d785.xml";

#[test]
fn schedule_json_reproduces_the_vendor_example() {
    let o = provpoll(
        &[
            "schedule",
            D785,
            "--from",
            "2026-06-10T12:00:00+02:00",
            "--count",
            "2",
            "--format",
            "json",
            "--seed",
            "0",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        concat!(
            r#"{"fetches":["#,
            r#"{"source":"polling","earliest":"2026-06-11T09:00:00+02:00","latest":"2026-06-11T09:10:00+02:00","at":"2026-06-11T09:08:50+02:00"},"#,
            r#"{"source":"polling","earliest":"2026-06-12T09:00:00+02:00","latest":"2026-06-12T09:10:00+02:00","at":"2026-06-12T09:04:19+02:00"}"#,
            "]}\n"
        )
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn schedule_text_reads_standard_input() {
    let xml = b"<settings><phone-settings><prov_polling_enabled>on</prov_polling_enabled><prov_polling_mode>rel</prov_polling_mode><prov_polling_period>86400</prov_polling_period></phone-settings></settings>";
    let o = provpoll(
        &[
            "schedule",
            "-",
            "--from=2026-03-07T09:00:00-05:00",
            "--count",
            "2",
            "--tz",
            "America/New_York",
        ],
        Some(xml),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Every 1 day after the settings take effect.\n\
         Phone time zone: America/New_York (from --tz).\n\
         Settings take effect at 2026-03-07T09:00:00-05:00.\n\
         \n    #  source         at (sampled)               earliest                   latest\n    \
         1  polling        2026-03-08T10:00:00-04:00  2026-03-08T10:00:00-04:00  2026-03-08T10:00:00-04:00\n    \
         2  polling        2026-03-09T10:00:00-04:00  2026-03-09T10:00:00-04:00  2026-03-09T10:00:00-04:00\n"
    );
}

#[test]
fn the_files_timezone_wins_over_tz_as_on_the_phone() {
    let o = provpoll(
        &[
            "schedule",
            D785,
            "--from",
            "2026-06-10T12:00:00Z",
            "--count",
            "1",
            "--tz",
            "UTC",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains(r#""earliest":"2026-06-11T09:00:00+02:00""#),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        stderr(&o),
        "tests/files/snom-d785.xml:12:5: warning: the file's timezone GER+1 (Europe/Berlin) overrides the zone chosen, UTC, as it does on the phone\n"
    );
}

#[test]
fn a_code_whose_offset_changed_is_warned_about() {
    let xml = b"<settings><phone-settings><timezone>TUR+2</timezone><prov_polling_enabled>on</prov_polling_enabled><prov_polling_mode>abs</prov_polling_mode><prov_polling_time>03:00</prov_polling_time></phone-settings></settings>";
    let o = provpoll(
        &[
            "schedule",
            "-",
            "--from",
            "2026-06-10T12:00:00Z",
            "--count",
            "1",
            "--format",
            "json",
        ],
        Some(xml),
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        r#"{"fetches":[{"source":"polling","earliest":"2026-06-11T03:00:00+03:00","latest":"2026-06-11T03:00:00+03:00","at":"2026-06-11T03:00:00+03:00"}]}"#.to_owned() + "\n"
    );
    assert_eq!(
        stderr(&o),
        "<stdin>:1:27: warning: the timezone code TUR+2 stands for UTC+02:00, but Europe/Istanbul is now UTC+03:00: the phone's clock may differ from local time; the schedule uses Europe/Istanbul\n"
    );
}

#[test]
fn set_edits_to_standard_output_keeping_every_other_byte() {
    let before =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(D785))
            .unwrap();
    let o = provpoll(&["set", D785, "--period", "259200", "--perm", "RW"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        before.replace(
            "<prov_polling_period perm=\"R\">86400<",
            "<prov_polling_period perm=\"RW\">259200<"
        )
    );
}

#[test]
fn set_refuses_a_result_that_is_not_valid() {
    let o = provpoll(&["set", D785, "--period", "0"], None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o),
        "tests/files/snom-d785.xml:17:5: error: prov_polling_period must be more than 0 s in random mode while polling is on\n"
    );
    let o = provpoll(&["set", D785, "--time", "25:00"], None);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "tests/files/snom-d785.xml:18:5: error: prov_polling_time must be a time HH:MM (00:00 to 23:59), not \"25:00\"\n"
    );
}

#[test]
fn check_reports_file_line_column() {
    let xml = b"<settings>\n <phone-settings>\n  <prov_polling_enabled>maybe</prov_polling_enabled>\n  <prov_polling_mode>rel</prov_polling_mode>\n  <prov_polling_mode>rel</prov_polling_mode>\n </phone-settings>\n</settings>\n";
    let o = provpoll(&["check", "-"], Some(xml));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "<stdin>:3:3: error: prov_polling_enabled must be on or off, not \"maybe\"\n\
         <stdin>:4:3: warning: prov_polling_mode appears 2 times; the last one (line 5) wins\n"
    );

    let o = provpoll(&["check", D785], None);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "tests/files/snom-d785.xml: Every day, at a random time between 09:00 and 09:10, phone time, from tomorrow on.\n"
    );
}

#[test]
fn unreadable_files_exit_1() {
    let o = provpoll(
        &["check", "-"],
        Some(b"<settings>\n  <phone-settings>\n</settings>"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("<stdin>:3:1: not well-formed XML: ill-formed document: expected `</phone-settings>`, but `</settings>` was found"), "{}", stderr(&o));

    let o = provpoll(&["check", "tests/files/does-not-exist.xml"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("provpoll: cannot read tests/files/does-not-exist.xml"));

    let o = provpoll(&["check", "-"], Some(b"<html><body/></html>"));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "<stdin>:1:1: not a snom settings file: the root element is <html>, not <settings> or <phone-settings>\n"
    );
}

#[test]
fn bad_values_exit_1_and_bad_usage_exits_2() {
    let cases: &[(&[&str], i32, &str)] = &[
        (&[], 2, "When snom phones fetch their provisioning files"),
        (
            &["frobnicate"],
            2,
            "error: unrecognized subcommand 'frobnicate'",
        ),
        (
            &["schedule", D785],
            2,
            "error: the following required arguments were not provided:",
        ),
        (
            &["schedule", D785, "--from"],
            2,
            "error: a value is required for '--from <RFC3339>' but none was supplied",
        ),
        (
            &["set", D785, "--colour", "red"],
            2,
            "error: unexpected argument '--colour' found",
        ),
        (
            &["set", D785],
            2,
            "provpoll: set needs at least one setting to change",
        ),
        (
            &["check", "a", "b"],
            2,
            "error: unexpected argument 'b' found",
        ),
        (
            &[
                "schedule",
                D785,
                "--from",
                "2026-01-01T00:00:00Z",
                "--count",
                "0",
            ],
            1,
            "error: invalid value '0' for '--count <N>': 0 is not in 1..=100000",
        ),
        (
            &[
                "schedule",
                D785,
                "--from",
                "2026-01-01T00:00:00Z",
                "--format",
                "xml",
            ],
            1,
            "error: invalid value 'xml' for '--format <FORMAT>'",
        ),
        (
            &[
                "schedule",
                "-",
                "--from",
                "2026-01-01T00:00:00Z",
                "--tz",
                "Mars/Olympus",
            ],
            1,
            "",
        ),
        (
            &["set", D785, "--perm", "X"],
            1,
            "error: invalid value 'X' for '--perm <FLAG>': R, RW, ! (or &, \" \", $, \"\"), optionally with V, is needed",
        ),
    ];
    for (args, code, message) in cases {
        let o = provpoll(args, Some(b"<settings/>"));
        assert_eq!(o.status.code(), Some(*code), "{args:?}: {}", stderr(&o));
        // The first line names the problem (clap's usage and value errors go on with a hint).
        if !message.is_empty() {
            assert_eq!(stderr(&o).lines().next(), Some(*message), "{args:?}");
        }
        assert_eq!(stdout(&o), "", "{args:?}");
    }
    let o = provpoll(&["--help"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("When snom phones fetch their provisioning files"));
    // Each command has its own help, naming its options.
    let o = provpoll(&["set", "--help"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("--in-place"), "{}", stdout(&o));
}

#[test]
fn fleet_after_a_power_cut_in_text_and_json() {
    let xml = b"<settings><phone-settings><timezone>GER+1</timezone><prov_polling_enabled>on</prov_polling_enabled><prov_polling_mode>rel</prov_polling_mode><prov_polling_period>86400</prov_polling_period></phone-settings></settings>";
    let o = provpoll(
        &[
            "fleet",
            "-",
            "--phones",
            "10000",
            "--from",
            "2026-06-10T12:00:00+02:00",
            "--horizon",
            "259200",
        ],
        Some(xml),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Every 1 day after the settings take effect.\n\
         10000 phones taking the settings all at 2026-06-10T12:00:00+02:00; counted over 3 days in buckets of 1 minute; phone time zone Europe/Berlin (from the file's timezone GER+1).\n\
         Counted: the scheduled fetches only, not the fetch that brought the settings (--boot counts it).\n\
         Requests: 20000 in all; 100.0 % of the phones fetched within the horizon.\n\
         Peak: 10000 requests per minute, at 2026-06-11T12:00:00+02:00.\n\
         Mean: 4.63 requests per minute.\n\
         \nBusiest buckets:\n  \
         2026-06-11T12:00:00+02:00   10000\n  \
         2026-06-12T12:00:00+02:00   10000\n"
    );

    let o = provpoll(
        &[
            "fleet",
            "-",
            "--phones=3",
            "--from",
            "2026-06-10T00:00:00Z",
            "--spread",
            "3600",
            "--horizon",
            "7200",
            "--bucket",
            "600",
            "--format",
            "json",
        ],
        Some(xml),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        concat!(
            r#"{"phones":3,"from":"2026-06-10T02:00:00+02:00","spread_seconds":3600,"horizon_seconds":7200,"bucket_seconds":600,"boot":false,"buckets_from":"2026-06-10T02:00:00+02:00","fetches":0,"#,
            r#""peak":{"requests":0,"at":"2026-06-10T02:00:00+02:00"},"mean_per_bucket":0.0,"fetched_share":0.0,"buckets":[0,0,0,0,0,0,0,0,0,0,0,0]}"#,
            "\n"
        )
    );
}

#[test]
fn fleet_boot_counts_the_power_cut_minute() {
    // 600 phones in rel 3600 booting at 12:00:30: all 600 in the 12:00 minute, then at 13:00:30
    // in the 13:00 minute; 14:00:30 is the end of the two hours, not in them.
    let xml = b"<settings><phone-settings><prov_polling_enabled>on</prov_polling_enabled><prov_polling_mode>rel</prov_polling_mode><prov_polling_period>3600</prov_polling_period></phone-settings></settings>";
    let args = [
        "fleet",
        "-",
        "--phones",
        "600",
        "--from",
        "2026-06-10T12:00:30Z",
        "--horizon",
        "7200",
        "--boot",
    ];
    let o = provpoll(&args, Some(xml));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Every 1 hour after the settings take effect.\n\
         600 phones taking the settings all at 2026-06-10T12:00:30+00:00; counted over 2 hours in buckets of 1 minute; phone time zone UTC (the default: neither the file nor --tz names one).\n\
         Counted: each phone's fetch when it takes the settings (at boot), then its scheduled fetches.\n\
         Requests: 1200 in all; 100.0 % of the phones fetched within the horizon.\n\
         Peak: 600 requests per minute, at 2026-06-10T12:00:00+00:00.\n\
         Mean: 10.00 requests per minute.\n\
         \nBusiest buckets:\n  \
         2026-06-10T12:00:00+00:00     600\n  \
         2026-06-10T13:00:00+00:00     600\n"
    );
    let mut json = args.to_vec();
    json.extend(["--format", "json"]);
    let o = provpoll(&json, Some(xml));
    let out = stdout(&o);
    assert!(out.contains(r#""boot":true,"buckets_from":"2026-06-10T12:00:00+00:00","fetches":1200,"peak":{"requests":600,"at":"2026-06-10T12:00:00+00:00"}"#), "{out}");
    // A flag takes no value.
    let o = provpoll(
        &[
            "fleet",
            "-",
            "--phones",
            "1",
            "--from",
            "2026-06-10T12:00:00Z",
            "--boot=yes",
        ],
        Some(xml),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).lines().next(),
        Some("error: unexpected value 'yes' for '--boot' found; no more were expected")
    );
}

#[test]
fn fleet_values_are_checked() {
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["fleet", D785, "--from", "2026-01-01T00:00:00Z"],
            2,
            "provpoll: --phones N is needed for a single file (a folder counts its phones)",
        ),
        (
            &[
                "fleet",
                D785,
                "--phones",
                "100001",
                "--from",
                "2026-01-01T00:00:00Z",
            ],
            1,
            "error: invalid value '100001' for '--phones <N>': 100001 is not in 1..=100000",
        ),
        (
            &[
                "fleet",
                D785,
                "--phones",
                "5",
                "--from",
                "2026-01-01T00:00:00Z",
                "--bucket",
                "0",
            ],
            1,
            "error: invalid value '0' for '--bucket <SECONDS>': 0 is not in 1..=2147483647",
        ),
        (
            &[
                "fleet",
                D785,
                "--phones",
                "5",
                "--from",
                "2026-01-01T00:00:00Z",
                "--horizon",
                "30",
                "--bucket",
                "60",
            ],
            1,
            "provpoll: the horizon (30 s) must be at least one bucket (60 s)",
        ),
        (
            &[
                "fleet",
                D785,
                "--phones",
                "5",
                "--from",
                "2026-01-01T00:00:00Z",
                "--spread",
                "-1",
            ],
            1,
            "error: invalid value '-1' for '--spread <SECONDS>': -1 is not in 0..=2147483647",
        ),
    ];
    for (args, code, message) in cases {
        let o = provpoll(args, None);
        assert_eq!(o.status.code(), Some(*code), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o).lines().next(), Some(*message), "{args:?}");
    }
}

#[test]
fn a_failed_write_is_not_success() {
    // A full disk: the edited file would be truncated, so the exit status must say so.
    let out = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_provpoll"))
        .args(["set", "tests/files/snom-d785.xml", "--period", "259200"])
        .stdout(out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "provpoll: cannot write the output: No space left on device (os error 28)\n"
    );
}

#[test]
fn set_in_place_edits_each_file_atomically_and_leaves_a_bad_one_alone() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let d785 = std::fs::read(D785).unwrap();
    let crlf = std::fs::read("tests/files/crlf-tabs.xml").unwrap();
    let broken = b"<settings>\n  <phone-settings>\n</settings>\n".to_vec();
    std::fs::write(path("a.xml"), &d785).unwrap();
    std::fs::write(path("b.xml"), &crlf).unwrap();
    std::fs::write(path("broken.xml"), &broken).unwrap();
    std::fs::set_permissions(path("a.xml"), std::fs::Permissions::from_mode(0o640)).unwrap();
    symlink(path("b.xml"), path("link.xml")).unwrap();
    let arg = |name: &str| path(name).to_str().unwrap().to_owned();
    let args = [
        "set".to_owned(),
        "--in-place".to_owned(),
        arg("a.xml"),
        arg("broken.xml"),
        arg("link.xml"),
        "--period".to_owned(),
        "259200".to_owned(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = provpoll(&args, None);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).starts_with(&format!("{}:3:1: not well-formed XML", arg("broken.xml"))),
        "{}",
        stderr(&o)
    );
    // The readable files are edited, only in the period's value; the broken one is untouched.
    let a = std::fs::read_to_string(path("a.xml")).unwrap();
    assert_eq!(
        a,
        String::from_utf8(d785.clone()).unwrap().replace(
            "perm=\"R\">86400</prov_polling_period>",
            "perm=\"R\">259200</prov_polling_period>"
        )
    );
    assert_eq!(std::fs::read(path("broken.xml")).unwrap(), broken);
    // Through the link, its target is edited; the link stays a link.
    assert!(
        std::fs::symlink_metadata(path("link.xml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(path("b.xml"))
            .unwrap()
            .contains(">259200<")
    );
    // The permissions stay, and no temporary file is left behind.
    let mode = std::fs::metadata(path("a.xml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.xml", "b.xml", "broken.xml", "link.xml"]);

    // A bad value changes no file at all; each is named with the setting's place.
    let before = std::fs::read(path("a.xml")).unwrap();
    let o = provpoll(
        &["set", "--in-place", &arg("a.xml"), "--period", "-5"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(":17:5: error: prov_polling_period must not be negative"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(path("a.xml")).unwrap(), before);

    // Standard input cannot be edited in place, and without --in-place one FILE only.
    let o = provpoll(&["set", "--in-place", "-", "--period", "60"], None);
    assert_eq!(o.status.code(), Some(2));
    let o = provpoll(
        &["set", &arg("a.xml"), &arg("b.xml"), "--period", "60"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(path("a.xml")).unwrap(), before);
}

#[test]
fn markup_a_phone_rejects_is_an_error_for_check_and_set() {
    let bad = "tests/files/malformed-outside-polling.xml";
    let o = provpoll(&["check", bad], None);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<String> = stderr(&o).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert_eq!(
        lines[0],
        format!("{bad}:3:16: error: an attribute value is not in quotes")
    );
    assert_eq!(
        lines[3],
        format!(
            "{bad}:8:45: error: an attribute is cut short or has no value (a template leftover?)"
        )
    );
    // set refuses it, to standard output and in place alike.
    let o = provpoll(&["set", bad, "--period", "3600"], None);
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(1), ""));
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("bad.xml");
    std::fs::copy(bad, &copy).unwrap();
    let o = provpoll(
        &[
            "set",
            "--in-place",
            copy.to_str().unwrap(),
            "--period",
            "3600",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(bad).unwrap());
}

const FOLDER: &str = "tests/files/folder";

/// The fixture folder copied into a temporary one, with its files' bytes.
fn folder_copy() -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(FOLDER).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(entry.path()).unwrap();
        std::fs::write(dir.path().join(&name), &bytes).unwrap();
        files.push((name, bytes));
    }
    files.sort();
    (dir, files)
}

/// The files of `dir` whose bytes differ from `before`.
fn changed(dir: &std::path::Path, before: &[(String, Vec<u8>)]) -> Vec<String> {
    before
        .iter()
        .filter(|(name, bytes)| std::fs::read(dir.join(name)).unwrap() != *bytes)
        .map(|(name, _)| name.clone())
        .collect()
}

#[test]
fn scan_tables_every_phone_of_a_folder() {
    let o = provpoll(&["scan", FOLDER], None);
    // A phone's file is broken: everything is reported, and the exit status says so.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "\
MAC           type          zone              settings (the last value read wins)
000413A11FA7  snomD785      Europe/Berlin     prov_polling_enabled=on prov_polling_mode=random prov_polling_period=86400 prov_polling_time=02:00 prov_polling_time_rand_end=04:00
000413A11FA8  snomD785      Europe/Berlin     prov_polling_enabled=on prov_polling_mode=random prov_polling_period=172800 prov_polling_time=02:00 prov_polling_time_rand_end=04:00
000413B20001  snomD715      America/New_York  prov_polling_enabled=on prov_polling_mode=abs prov_polling_time=03:00
000413C30001  -             -                 prov_polling_enabled=on prov_polling_mode=rel prov_polling_period=43200
000413C30002  -             -                 unknown: a file it reads cannot be read

5 phones; 4 groups of phones with the same settings:
  1. 1 phone (Europe/Berlin): Every day, at a random time between 02:00 and 04:00, phone time, from tomorrow on.
  2. 1 phone (Europe/Berlin): Every 2 days, at a random time between 02:00 and 04:00, phone time, from tomorrow on.
  3. 1 phone (America/New_York): Every day at 03:00, phone time, from the next 03:00 on.
  4. 1 phone (no timezone set): Every 12 hours after the settings take effect.

Not read by any phone here:
  phonebook.xml
  snomD120.xml

Problems:
000413C30002.xml:3:3: error: the file ends before this element is closed
"
    );
}

#[test]
fn scan_json_gives_each_phones_files_settings_and_their_origin() {
    let o = provpoll(&["scan", FOLDER, "--format", "json"], None);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let a8 = &v["phones"][1];
    assert_eq!(a8["mac"], "000413A11FA8");
    assert_eq!(a8["type"], "snomD785");
    assert_eq!(
        a8["files"],
        serde_json::json!(["snomD785.xml", "snomD785-000413A11FA8.xml"])
    );
    assert_eq!(a8["settings"]["prov_polling_period"], "172800");
    assert_eq!(a8["settings"]["prov_polling_mode"], "random");
    assert_eq!(
        a8["from"]["prov_polling_period"],
        serde_json::json!({"file": "snomD785-000413A11FA8.xml", "line": 5})
    );
    // CRLF lines count as one each.
    assert_eq!(
        a8["from"]["prov_polling_mode"],
        serde_json::json!({"file": "snomD785.xml", "line": 8})
    );
    assert_eq!(a8["zone"], "Europe/Berlin");
    let c1 = &v["phones"][3];
    assert_eq!(c1["type"], serde_json::Value::Null);
    assert_eq!(
        c1["files"],
        serde_json::json!(["000413C30001.xml", "common.xml", "000413C30001-extra.xml"])
    );
    assert_eq!(c1["zone"], serde_json::Value::Null);
    assert_eq!(v["phones"][4]["settings"], serde_json::Value::Null);
    assert_eq!(v["groups"].as_array().unwrap().len(), 4);
    assert_eq!(
        v["groups"][0]["phones"],
        serde_json::json!(["000413A11FA7"])
    );
    assert_eq!(
        v["unread"],
        serde_json::json!(["phonebook.xml", "snomD120.xml"])
    );
    assert_eq!(
        v["problems"],
        serde_json::json!([{
            "file": "000413C30002.xml",
            "line": 3,
            "column": 3,
            "severity": "error",
            "message": "the file ends before this element is closed"
        }])
    );
}

#[test]
fn fleet_counts_a_folders_real_mix() {
    let args = [
        "fleet",
        FOLDER,
        "--from",
        "2026-06-10T12:00:00+02:00",
        "--tz",
        "Europe/Berlin",
        "--bucket",
        "3600",
        "--format",
        "json",
    ];
    let o = provpoll(&args, None);
    assert_eq!(o.status.code(), Some(1), "a phone's file is broken");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["phones"], 4);
    assert_eq!(v["left_out"], 1);
    let groups = v["groups"].as_array().unwrap();
    let zones: Vec<&str> = groups.iter().map(|g| g["zone"].as_str().unwrap()).collect();
    // The phone without a timezone takes --tz's zone.
    assert_eq!(
        zones,
        [
            "Europe/Berlin",
            "Europe/Berlin",
            "America/New_York",
            "Europe/Berlin"
        ]
    );
    // Worked out by hand over the week from Wed 10 June 12:00: daily random 7, every 2 days 4
    // (11, 13, 15, 17 June), abs 03:00 New York 7 (11–17 June), rel 12 h 13 (14 in 7 days, the
    // last at the horizon's end is outside it).
    let fetches: Vec<u64> = groups
        .iter()
        .map(|g| g["fetches"].as_u64().unwrap())
        .collect();
    assert_eq!(fetches, [7, 4, 7, 13]);
    assert_eq!(v["fetches"], 31);
    // The New York phone's 03:00 is 09:00 in Berlin: it lies in the 09:00 bucket.
    assert_eq!(groups[2]["peak"]["at"], "2026-06-11T09:00:00+02:00");
    let buckets: Vec<u64> = v["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap())
        .collect();
    assert_eq!(buckets.iter().sum::<u64>(), 31);

    // --phones is for one file; one file needs it.
    let o = provpoll(
        &[
            "fleet",
            FOLDER,
            "--phones",
            "3",
            "--from",
            "2026-06-10T12:00:00+02:00",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let o = provpoll(
        &["fleet", D785, "--from", "2026-06-10T12:00:00+02:00"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn set_on_a_folder_prints_its_plan_and_writes_only_it() {
    let (dir, before) = folder_copy();
    let path = dir.path().to_str().unwrap();
    let o = provpoll(
        &["set", path, "--all", "--period", "604800", "--dry-run"],
        None,
    );
    // The phone whose file is broken is left out, and the exit status says so.
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "\
common.xml: prov_polling_period=604800; changes 1 phone
snomD715-000413B20001.xml: prov_polling_period=604800; changes 1 phone
snomD785-000413A11FA8.xml: prov_polling_period=604800; changes 1 phone
snomD785.xml: prov_polling_period=604800; changes 1 phone
"
    );
    assert!(stderr(&o).contains(
        "warning: the phone 000413C30002 is left out: a file it reads cannot be read, so its settings are unknown"
    ));
    assert!(
        changed(dir.path(), &before).is_empty(),
        "--dry-run writes nothing"
    );

    // One phone, where its value comes from: the general file, which its neighbour reads too.
    let o = provpoll(
        &[
            "set",
            path,
            "--phones",
            "00:04:13:A1:1F:A7",
            "--period",
            "43200",
            "--in-place",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "snomD785.xml: prov_polling_period=43200; changes 1 phone\n"
    );
    assert_eq!(changed(dir.path(), &before), ["snomD785.xml"]);
    let general =
        String::from_utf8(std::fs::read(dir.path().join("snomD785.xml")).unwrap()).unwrap();
    let old = String::from_utf8(
        before
            .iter()
            .find(|f| f.0 == "snomD785.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert_eq!(
        general,
        old.replace(
            ">86400</prov_polling_period>",
            ">43200</prov_polling_period>"
        )
    );
}

#[test]
fn set_own_files_never_touches_a_shared_file() {
    let (dir, before) = folder_copy();
    let path = dir.path().to_str().unwrap();
    let o = provpoll(
        &[
            "set",
            path,
            "--phones",
            "000413a11fa7,000413b20001",
            "--mode",
            "rel",
            "--period",
            "3600",
            "--own-files",
            "--in-place",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        changed(dir.path(), &before),
        ["snomD715-000413B20001.xml", "snomD785-000413A11FA7.xml"]
    );
    // Inserted after the line that ends in a comment, in the file's own indentation; the
    // passwords and everything else are as they were.
    let a7 =
        String::from_utf8(std::fs::read(dir.path().join("snomD785-000413A11FA7.xml")).unwrap())
            .unwrap();
    assert!(a7.contains(
        "<http_pass perm=\"\">admin-pass</http_pass> <!-- use strong passwords -->\n    <prov_polling_mode>rel</prov_polling_mode>\n    <prov_polling_period>3600</prov_polling_period>\n  </phone-settings>"
    ), "{a7}");
    assert!(a7.contains("s3cr3t&amp;pw"));
    let o = provpoll(&["scan", path, "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["phones"][0]["settings"]["prov_polling_period"], "3600");
    assert_eq!(v["phones"][0]["settings"]["prov_polling_time"], "02:00");
    assert_eq!(v["phones"][1]["settings"]["prov_polling_period"], "172800");

    // A folder without a choice of phones, or a plan to standard output, is bad usage.
    for args in [
        vec!["set", path, "--period", "60"],
        vec!["set", path, "--all", "--period", "60"],
        vec!["set", D785, "--period", "60", "--dry-run"],
    ] {
        assert_eq!(provpoll(&args, None).status.code(), Some(2), "{args:?}");
    }
    // An unknown MAC changes nothing.
    let o = provpoll(
        &[
            "set",
            path,
            "--phones",
            "000413ffffff",
            "--period",
            "60",
            "--in-place",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(changed(dir.path(), &before).len(), 2);
}
