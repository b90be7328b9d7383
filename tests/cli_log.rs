//! `provpoll log` on a folder and a server's logs (plain, rotated and gzip, one cut short), as
//! nginx writes them.

#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::path::Path;

mod common;
use common::provpoll;

const GENERAL: &str = "<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>3600</prov_polling_period>\n</phone-settings></settings>\n";
const OWN: &str = "<settings><phone-settings>\n</phone-settings></settings>\n";

/// A combined line at `time` (UTC) for `target`, from `address`.
fn line(time: &str, address: &str, target: &str, status: u16) -> String {
    format!(
        "{address} - - [{time} +0000] \"GET {target} HTTP/1.1\" {status} 512 \"-\" \"Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1)\"\n"
    )
}

fn folder(dir: &Path, macs: &[&str]) {
    std::fs::write(dir.join("snomD785.xml"), GENERAL).unwrap();
    for mac in macs {
        std::fs::write(dir.join(format!("snomD785-{mac}.xml")), OWN).unwrap();
    }
}

fn gzip(text: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Hourly fetches of `mac` at `hours` on 14 January 2026 (the general file, then its own).
fn hourly(mac: &str, address: &str, hours: &[u32]) -> String {
    hours
        .iter()
        .flat_map(|h| {
            [
                line(
                    &format!("14/Jan/2026:{h:02}:00:00"),
                    address,
                    "/snomD785.xml",
                    200,
                ),
                line(
                    &format!("14/Jan/2026:{h:02}:00:01"),
                    address,
                    &format!("/snomD785-{mac}.xml"),
                    200,
                ),
            ]
        })
        .collect()
}

#[test]
fn each_phone_gets_its_verdict_worst_first() {
    let dir = tempfile::tempdir().unwrap();
    let prov = dir.path().join("prov");
    std::fs::create_dir(&prov).unwrap();
    folder(&prov, &["000413A1B2C3", "000413A1B2C4", "000413A1B2C5"]);
    // Today's log: C3 every hour; C4 twice, then silent; a phone not in the folder; a line of
    // another program (the phones one after the other, so C4's first line, 3 h before the
    // line before it, is out of line). Yesterday's, rotated and compressed: C3's fetch before
    // midnight.
    let mut today = hourly("000413A1B2C3", "10.0.0.3", &[0, 1, 2, 3]);
    today.push_str(&hourly("000413A1B2C4", "10.0.0.4", &[0, 1]));
    today.push_str(&line(
        "14/Jan/2026:02:30:00",
        "10.0.0.9",
        "/000413FFFFFF.xml",
        404,
    ));
    today.push_str("nginx: [warn] the \"ssl\" directive is deprecated\n");
    std::fs::write(dir.path().join("access.log"), today).unwrap();
    let yesterday = line(
        "13/Jan/2026:23:00:00",
        "10.0.0.3",
        "/snomD785-000413A1B2C3.xml",
        200,
    );
    std::fs::write(dir.path().join("access.log.1.gz"), gzip(&yesterday)).unwrap();

    let d = |p: &str| dir.path().join(p).to_str().unwrap().to_owned();
    let args = [
        "log",
        &d("access.log.1.gz"),
        &d("access.log"),
        "--folder",
        &d("prov"),
        "--format",
        "json",
    ];
    let o = provpoll(&args, None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stderr),
        format!(
            "provpoll: {0}:14: not a request that fetches (GET or HEAD), skipped\n\
             provpoll: {0}:9: dated 2026-01-14T00:00:00+00:00, more than an hour before line 8 (2026-01-14T03:00:01+00:00); counted at its own time\n",
            d("access.log")
        )
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let phones: Vec<(String, String)> = v["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["mac"].as_str().unwrap().to_owned(),
                p["verdict"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let pair = |m: &str, v: &str| (m.to_owned(), v.to_owned());
    assert_eq!(
        phones,
        [
            pair("000413A1B2C5", "never-seen"),
            pair("000413FFFFFF", "unknown"),
            pair("000413A1B2C4", "silent"),
            pair("000413A1B2C3", "ok"),
        ]
    );
    let c3 = &v["phones"][3];
    // 23:00 yesterday, then 00:00 to 03:00: five fetches, four expected and met.
    assert_eq!(
        (
            c3["fetches"].as_u64(),
            c3["expected"].as_u64(),
            c3["met"].as_u64()
        ),
        (Some(5), Some(4), Some(4))
    );
    assert_eq!(c3["model"], "D785");
    assert_eq!(c3["firmware"], "10.1.169.16");
    assert_eq!(c3["address"], "10.0.0.3");
    assert_eq!(c3["last_seen"], "2026-01-14T03:00:00+00:00");
    // C4: 02:00 missed (03:00 is within 2 minutes of the log's end, 03:00:01).
    let c4 = &v["phones"][2];
    assert_eq!(
        (c4["missed"].as_u64(), c4["met"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v["span"]["from"], "2026-01-13T23:00:00+00:00");
    assert_eq!(v["span"]["to"], "2026-01-14T03:00:01+00:00");
    assert_eq!(v["counts"]["ok"], 1);
    assert_eq!(v["counts"]["silent"], 1);
    assert_eq!(v["not_attributed"], 0);
    assert_eq!(v["files"][1]["lines"], 14);
    assert_eq!(v["files"][1]["skipped"], 1);

    // The text says the same, worst first, with the counts.
    let o = provpoll(&args[..5], None);
    let out = text(&o.stdout);
    let verdicts: Vec<&str> = out
        .lines()
        .skip(2)
        .take(4)
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(verdicts, ["never-seen", "unknown", "silent", "ok"]);
    assert!(out.ends_with("4 phones: 1 never-seen, 1 unknown, 1 silent, 1 ok. Requests no phone could be tied to: 0.\n"), "{out}");
}

#[test]
fn every_phone_ok_exits_0_and_a_gzip_cut_short_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let prov = dir.path().join("prov");
    std::fs::create_dir(&prov).unwrap();
    folder(&prov, &["000413A1B2C3"]);
    let log = hourly("000413A1B2C3", "10.0.0.3", &[0, 1, 2]);
    std::fs::write(dir.path().join("access.log"), &log).unwrap();
    let d = |p: &str| dir.path().join(p).to_str().unwrap().to_owned();
    let o = provpoll(&["log", &d("access.log"), "--folder", &d("prov")], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    // The same log compressed, and cut in the middle of its stream.
    let zipped = gzip(&log);
    std::fs::write(dir.path().join("cut.gz"), &zipped[..zipped.len() / 2]).unwrap();
    let o = provpoll(&["log", &d("cut.gz"), "--folder", &d("prov")], None);
    assert_eq!(o.status.code(), Some(1));
    let e = text(&o.stderr);
    assert!(
        e.starts_with(&format!(
            "provpoll: {}: the file ends inside its gzip stream after ",
            d("cut.gz")
        )),
        "{e}"
    );
}

#[test]
fn bad_input_is_named_and_nothing_panics() {
    let dir = tempfile::tempdir().unwrap();
    let prov = dir.path().join("prov");
    std::fs::create_dir(&prov).unwrap();
    folder(&prov, &["000413A1B2C3"]);
    let d = |p: &str| dir.path().join(p).to_str().unwrap().to_owned();
    std::fs::write(dir.path().join("empty.log"), "").unwrap();
    std::fs::write(
        dir.path().join("binary.log"),
        (0..=255u8).cycle().take(100_000).collect::<Vec<u8>>(),
    )
    .unwrap();
    std::fs::write(dir.path().join("long.log"), "x".repeat(10 << 20)).unwrap();
    // What each file is read as: its lines (100,000 bytes cycling through every byte hold 391
    // line ends, the last byte 159 is no line end: 392 lines; 10 MB without one is one line,
    // too long to be a request), its requests, the lines skipped, and why it stopped.
    for (log, lines, skipped, error) in [
        ("empty.log", 0, 0, None),
        ("binary.log", 392, 392, None),
        ("long.log", 1, 1, None),
        (
            "missing.log",
            0,
            0,
            Some("No such file or directory (os error 2)"),
        ),
    ] {
        let o = provpoll(
            &["log", &d(log), "--folder", &d("prov"), "--format", "json"],
            None,
        );
        assert_eq!(o.status.code(), Some(1), "{log}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let f = &v["files"][0];
        assert_eq!(
            (
                f["lines"].as_u64(),
                f["requests"].as_u64(),
                f["skipped"].as_u64(),
                f["error"].as_str()
            ),
            (Some(lines), Some(0), Some(skipped), error),
            "{log}"
        );
        assert_eq!(v["span"]["from"], serde_json::Value::Null, "{log}");
        assert_eq!(v["phones"][0]["verdict"], "never-seen", "{log}");
    }
    let o = provpoll(&["log", &d("missing.log"), "--folder", &d("prov")], None);
    assert!(text(&o.stderr).starts_with(&format!("provpoll: {}: ", d("missing.log"))));
    let o = provpoll(
        &[
            "log",
            &d("empty.log"),
            "--folder",
            &d("prov"),
            "--tz",
            "Mars/Olympus",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--tz must be an IANA zone"));
    let o = provpoll(&["log", &d("empty.log")], None);
    assert_eq!(o.status.code(), Some(2));
}

/// 200 phones polling every 60 s for ten minutes from 00:00 (phone `i` at second `i`), as
/// (folder, log) in `dir`.
fn every_minute(dir: &Path) -> (std::path::PathBuf, String) {
    let prov = dir.join("prov");
    std::fs::create_dir(&prov).unwrap();
    let macs: Vec<String> = (0..200).map(|i| format!("000413A1{i:04X}")).collect();
    let refs: Vec<&str> = macs.iter().map(String::as_str).collect();
    folder(&prov, &refs);
    std::fs::write(prov.join("snomD785.xml"), GENERAL.replace(">3600<", ">60<")).unwrap();
    let mut log = String::new();
    for minute in 0..10 {
        for (i, mac) in macs.iter().enumerate() {
            log.push_str(&line(
                &format!("14/Jan/2026:00:{minute:02}:{:02}", i % 60),
                &format!("10.0.{}.{}", i / 200, i % 200),
                &format!("/snomD785-{mac}.xml"),
                200,
            ));
        }
    }
    (prov, log)
}

#[test]
fn one_request_dated_2099_is_counted_at_once_and_every_other_phone_still_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (prov, mut log) = every_minute(dir.path());
    // Phone 0 once more, on 1 January 2099: its gap is counted (tests/log.rs works it by hand).
    log.push_str(&line(
        "01/Jan/2099:00:00:00",
        "10.0.0.0",
        "/snomD785-000413A10000.xml",
        200,
    ));
    std::fs::write(dir.path().join("access.log"), log).unwrap();
    let out = provpoll(
        &[
            "log",
            dir.path().join("access.log").to_str().unwrap(),
            "--folder",
            prov.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["span"]["to"], "2099-01-01T00:00:00+00:00");
    assert_eq!(json["files"][0]["requests"], 2001);
    assert_eq!(json["files"][0]["out_of_line"], 0);
    let phones = json["phones"].as_array().unwrap();
    assert_eq!(phones.len(), 200);
    let k = 26_650 * 1_440 - 9; // minutes from 00:09:00 to 2099 (tests/log.rs)
    let first = phones.iter().find(|p| p["mac"] == "000413A10000").unwrap();
    assert_eq!(first["verdict"], "missed");
    assert_eq!(
        (
            first["fetches"].as_u64(),
            first["met"].as_u64(),
            first["missed"].as_u64()
        ),
        (Some(11), Some(10), Some(k - 4))
    );
    // Every other phone: its ten fetches met nine expected; after its last (00:09:ss), each
    // minute to 2099 less its last two (k = 1 is the fetch itself, and 2 min before the end
    // is not yet missed) is missed: silent.
    for p in phones.iter().filter(|p| p["mac"] != "000413A10000") {
        let i = u64::from_str_radix(&p["mac"].as_str().unwrap()[8..], 16).unwrap();
        let s = i % 60;
        // From 00:09:ss to the end: k·60 − s seconds; k·60 − s − 60·j > 120 for j = 2 …
        let gap = k * 60 - s;
        let missed = (gap - 120).div_ceil(60) - 2;
        assert_eq!(
            (
                p["verdict"].as_str(),
                p["fetches"].as_u64(),
                p["met"].as_u64(),
                p["missed"].as_u64()
            ),
            (Some("silent"), Some(10), Some(9), Some(missed)),
            "{p}"
        );
    }
}

#[test]
fn a_request_dated_far_before_the_line_before_it_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (prov, log) = every_minute(dir.path());
    // A line from 1970 first (not named: nothing comes before it), and one pasted in after
    // line 1000 dated a day before the line before it (named, with that line).
    let mut lines: Vec<String> = log.lines().map(|l| format!("{l}\n")).collect();
    lines.insert(
        1000,
        line(
            "13/Jan/2026:00:04:59",
            "10.0.0.7",
            "/snomD785-000413A10007.xml",
            200,
        ),
    );
    lines.insert(
        0,
        line(
            "01/Jan/1970:00:00:00",
            "10.0.0.1",
            "/snomD785-000413A10001.xml",
            200,
        ),
    );
    std::fs::write(dir.path().join("access.log"), lines.concat()).unwrap();
    let out = provpoll(
        &[
            "log",
            dir.path().join("access.log").to_str().unwrap(),
            "--folder",
            prov.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    let err = text(&out.stderr);
    assert_eq!(
        err.lines()
            .filter(|l| l.contains("more than an hour before"))
            .collect::<Vec<_>>(),
        [format!(
            "provpoll: {}:1002: dated 2026-01-13T00:04:59+00:00, more than an hour before line 1001 (2026-01-14T00:04:19+00:00); counted at its own time",
            dir.path().join("access.log").display()
        )]
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["out_of_line"], 1);
    assert_eq!(json["span"]["from"], "1970-01-01T00:00:00+00:00");
}

/// `provpoll args…` with `pieces` written to its standard input one at a time, as a pipe
/// delivers them (a pause between pieces, so each arrives on its own).
fn through_a_pipe(args: &[&str], pieces: &[&[u8]]) -> std::process::Output {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_provpoll"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for piece in pieces {
        stdin.write_all(piece).unwrap();
        stdin.flush().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn a_log_from_a_pipe_is_one_more_file_of_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let prov = dir.path().join("prov");
    std::fs::create_dir(&prov).unwrap();
    folder(&prov, &["000413A1B2C3"]);
    let d = |p: &str| dir.path().join(p).to_str().unwrap().to_owned();
    // Yesterday's 23:00 in a file; today's 00:00 to 02:00 through the pipe, in pieces of 7
    // bytes (lines cut anywhere): one phone, fetching each hour, ok.
    std::fs::write(
        dir.path().join("access.log.1"),
        line(
            "13/Jan/2026:23:00:00",
            "10.0.0.3",
            "/snomD785-000413A1B2C3.xml",
            200,
        ),
    )
    .unwrap();
    let today = hourly("000413A1B2C3", "10.0.0.3", &[0, 1, 2]);
    let pieces: Vec<&[u8]> = today.as_bytes().chunks(7).collect();
    let args = [
        "log",
        "-",
        &d("access.log.1"),
        "--folder",
        &d("prov"),
        "--format",
        "json",
    ];
    let o = through_a_pipe(&args, &pieces);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["path"], "-");
    assert_eq!(
        (
            v["files"][0]["lines"].as_u64(),
            v["files"][0]["requests"].as_u64()
        ),
        (Some(6), Some(6))
    );
    assert_eq!(v["files"][0]["error"], serde_json::Value::Null);
    assert_eq!(v["span"]["from"], "2026-01-13T23:00:00+00:00");
    let phone = &v["phones"][0];
    assert_eq!(
        (
            phone["verdict"].as_str(),
            phone["fetches"].as_u64(),
            phone["met"].as_u64()
        ),
        (Some("ok"), Some(4), Some(3))
    );

    // Gzip through a pipe, a byte at a time at first: the same.
    let zipped = gzip(&today);
    let mut pieces: Vec<&[u8]> = zipped[..4].chunks(1).collect();
    pieces.extend(zipped[4..].chunks(100));
    let o = through_a_pipe(&args, &pieces);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["files"][0]["requests"], 6);

    // A pipe that stops in the middle of its gzip stream: named, and what came counts.
    // (A day's 48 lines, 5,000 times over: deflate's blocks end often enough that most of it
    // is read before the cut.)
    let long = hourly("000413A1B2C3", "10.0.0.3", &(0..24).collect::<Vec<_>>()).repeat(5_000);
    let zipped = gzip(&long);
    let o = through_a_pipe(&args, &[&zipped[..zipped.len() - 20]]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let read = v["files"][0]["lines"].as_u64().unwrap();
    assert!(read > 100_000 && read < 240_000, "{read}");
    // The count as English writes it: 239,843.
    let grouped = format!("{},{:03}", read / 1000, read % 1000);
    assert_eq!(
        v["files"][0]["error"]
            .as_str()
            .map(|e| e.starts_with(&format!(
                "the file ends inside its gzip stream after {grouped} lines ("
            ))),
        Some(true),
        "{v}"
    );
    assert!(
        text(&o.stderr).starts_with("provpoll: -: the file ends inside its gzip stream after ")
    );

    // Standard input twice is bad usage; nothing is read.
    let o = provpoll(&["log", "-", "-", "--folder", &d("prov")], Some(b""));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr)
            .starts_with("provpoll: standard input (-) can be one file of the log only once")
    );
    assert!(o.stdout.is_empty());
}

/// A mixed server's folder, in the shapes of the public templates (FusionPBX's Poly `sip.cfg`
/// attributes, Tancredi's Yealink `#!version` files, Wazo's Cisco `<flat-profile>`,
/// Grandstream's `<gs_provision>`; the files are ours).
fn mixed_folder(dir: &Path) {
    folder(dir, &["000413A1B2C3"]);
    let files: [(&str, &str); 8] = [
        (
            "000000000000.cfg",
            r#"<?xml version="1.0" standalone="yes"?><APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="[PHONE_MAC_ADDRESS].cfg, sip.cfg"/>"#,
        ),
        (
            "0004f2a1b2c4.cfg",
            r#"<?xml version="1.0" standalone="yes"?><polycomConfig><prov prov.polling.enabled="1" prov.polling.mode="rel" prov.polling.period="7200"/></polycomConfig>"#,
        ),
        (
            "y000000000028.cfg",
            "#!version:1.0.0.1\nstatic.auto_provision.repeat.enable = 1\nstatic.auto_provision.repeat.minutes = 60\n",
        ),
        (
            "805ec0123456.cfg",
            "#!version:1.0.0.1\naccount.1.label = 101\n",
        ),
        (
            "spa0002fdff2103.xml",
            "<flat-profile>\n<Resync_Periodic ua=\"na\">3600</Resync_Periodic>\n</flat-profile>\n",
        ),
        (
            "cfg000b82123456.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gs_provision version=\"1\"><config version=\"1\"><P194>1</P194><P193>60</P193></config></gs_provision>\n",
        ),
        (
            "0004f2a1b2c9-directory.xml",
            "<directory><item_list><item><fn>A</fn></item></item_list></directory>",
        ),
        (
            "0c383e123456.cfg",
            "<<VOIP CONFIG FILE>>Version:2.0000000000\n",
        ),
    ];
    for (name, body) in files {
        std::fs::write(dir.join(name), body).unwrap();
    }
}

#[test]
fn every_vendors_phone_is_read_predicted_and_judged_by_its_vendors_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let prov = dir.path().join("prov");
    std::fs::create_dir(&prov).unwrap();
    mixed_folder(&prov);
    let d = |p: &str| dir.path().join(p).to_str().unwrap().to_owned();
    // scan: each phone by its own file's content; common files are no phones.
    let o = provpoll(&["scan", &d("prov"), "--format", "json"], None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let phones: Vec<(String, String)> = v["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["mac"].as_str().unwrap().to_owned(),
                p["vendor"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let pair = |m: &str, v: &str| (m.to_owned(), v.to_owned());
    assert_eq!(
        phones,
        [
            pair("0002FDFF2103", "cisco"),
            pair("000413A1B2C3", "snom"),
            pair("0004F2A1B2C4", "poly"),
            pair("000B82123456", "grandstream"),
            pair("0C383E123456", "fanvil"),
            pair("805EC0123456", "yealink"),
        ]
    );
    // Poly's master file lists the phone's own file (found) and sip.cfg (not in the folder);
    // each value by Poly's own name, with its file and line.
    let poly = &v["phones"][2];
    assert_eq!(
        poly["files"],
        serde_json::json!(["000000000000.cfg", "0004f2a1b2c4.cfg"])
    );
    assert_eq!(
        poly["settings"],
        serde_json::json!({"prov.polling.enabled": "1", "prov.polling.mode": "rel", "prov.polling.period": "7200"})
    );
    assert_eq!(
        poly["from"]["prov.polling.period"],
        serde_json::json!({"file": "0004f2a1b2c4.cfg", "line": 1})
    );
    // Yealink's MAC file and its model's common file, the common file's repeat read.
    let yealink = &v["phones"][5];
    assert_eq!(
        yealink["files"],
        serde_json::json!(["805ec0123456.cfg", "y000000000028.cfg"])
    );
    assert_eq!(
        yealink["from"]["static.auto_provision.repeat.minutes"],
        serde_json::json!({"file": "y000000000028.cfg", "line": 3})
    );
    assert_eq!(v["phones"][1]["settings"]["prov_polling_enabled"], "on");
    assert_eq!(v["phones"][4]["settings"], serde_json::Value::Null);
    let problems: Vec<String> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}:{}: {}",
                p["file"].as_str().unwrap(),
                p["line"],
                p["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        problems,
        ["000000000000.cfg:1: the listed file sip.cfg is not in this folder"]
    );
    let o = provpoll(&["scan", &d("prov")], None);
    let out = text(&o.stdout);
    assert!(
        out.contains("0C383E123456  -             -                 not read: a Fanvil phone, whose polling settings provpoll does not read"),
        "{out}"
    );
    assert!(
        out.contains("000B82123456  -             -                 P194=1 P193=60"),
        "{out}"
    );
    assert!(
        out.contains(
            "\nOther vendors' phones, each by its own settings (read only):\n  1 Cisco phone: At boot, within 40 seconds; each 1 hour after the one before.\n  1 Poly phone: Every 2 hours after the phone starts.\n  1 Grandstream phone: Every 1 hour after the phone starts.\n  1 Yealink phone: Repeat: every 1 hour after the phone starts.\n"
        ),
        "{out}"
    );

    // The log: the snom phone hourly; Poly, Yealink (its common file, then its own) and
    // Cisco each fetching; Grandstream never.
    let mut log = hourly("000413A1B2C3", "10.0.0.3", &[0, 1, 2]);
    let agent_line = |time: &str, address: &str, path: &str, agent: &str| {
        format!(
            "{address} - - [14/Jan/2026:{time} +0000] \"GET {path} HTTP/1.1\" 200 512 \"-\" \"{agent}\"\n"
        )
    };
    let poly = "FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477";
    let yealink = "Yealink SIP-T46G 28.83.0.50 80:5e:c0:12:34:56";
    for h in ["00", "02"] {
        log += &agent_line(&format!("{h}:10:00"), "10.0.0.4", "/000000000000.cfg", poly);
        log += &agent_line(&format!("{h}:10:01"), "10.0.0.4", "/0004f2a1b2c4.cfg", poly);
        log += &agent_line(
            &format!("{h}:20:00"),
            "10.0.0.5",
            "/y000000000028.cfg",
            yealink,
        );
        log += &agent_line(
            &format!("{h}:20:01"),
            "10.0.0.5",
            "/805ec0123456.cfg",
            yealink,
        );
    }
    log += &agent_line(
        "01:30:00",
        "10.0.0.6",
        "/spa0002fdff2103.xml",
        "Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT1234)",
    );
    log += &agent_line(
        "01:40:00",
        "10.0.0.7",
        "/0c383e123456.cfg",
        "Fanvil X4 2.4.1 0c383e123456",
    );
    // Poly sends its boot log up: neither a fetch nor a bad line.
    log +=
        &agent_line("02:10:05", "10.0.0.4", "/0004f2a1b2c4-boot.log", poly).replace("GET", "PUT");
    std::fs::write(dir.path().join("access.log"), log).unwrap();
    let o = provpoll(
        &[
            "log",
            &d("access.log"),
            "--folder",
            &d("prov"),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let got: Vec<(&str, &str, &str, u64)> = v["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["mac"].as_str().unwrap(),
                p["vendor"].as_str().unwrap_or("-"),
                p["verdict"].as_str().unwrap(),
                p["fetches"].as_u64().unwrap(),
            )
        })
        .collect();
    // Grandstream (every 60 minutes) never asked; Yealink (every 60 minutes, by its common
    // file) missed 01:20; Fanvil's polling is not read; Poly (every 7200 s), Cisco (3600 s,
    // its next not yet due) and snom as predicted.
    assert_eq!(
        got,
        [
            ("000B82123456", "grandstream", "never-seen", 0),
            ("0C383E123456", "fanvil", "not-predicted", 1),
            ("805EC0123456", "yealink", "missed", 2),
            ("0002FDFF2103", "cisco", "ok", 1),
            ("000413A1B2C3", "snom", "ok", 3),
            ("0004F2A1B2C4", "poly", "ok", 2),
        ]
    );
    assert_eq!(v["counts"]["not-predicted"], 1);
    assert_eq!(v["phones"][2]["missed"], 1);
    let file = &v["files"][0];
    assert_eq!(
        (
            file["requests"].as_u64(),
            file["uploads"].as_u64(),
            file["skipped"].as_u64()
        ),
        (Some(16), Some(1), Some(0))
    );
    // The common files' requests joined their phones' fetches: nothing left untied.
    assert_eq!(v["not_attributed"], 0);
    assert!(
        v["phones"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !p["mac"].as_str().unwrap().starts_with("000000"))
    );
}

#[test]
fn schedule_and_check_read_another_vendors_file_and_set_leaves_it_untouched() {
    let dir = tempfile::tempdir().unwrap();
    mixed_folder(dir.path());
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    // schedule: each vendor's fetches, on --tz's clock (no vendor's zone setting is read).
    for (name, words, first) in [
        (
            "0004f2a1b2c4.cfg",
            "Poly phone: Every 2 hours after the phone starts.",
            "2026-01-14T02:00:00+00:00",
        ),
        (
            "spa0002fdff2103.xml",
            "Cisco phone: At boot, within 40 seconds; each 1 hour after the one before.",
            "2026-01-14T00:00:",
        ),
        (
            "cfg000b82123456.xml",
            "Grandstream phone: Every 1 hour after the phone starts.",
            "2026-01-14T01:00:00+00:00",
        ),
        (
            "y000000000028.cfg",
            "Yealink phone: Repeat: every 1 hour after the phone starts.",
            "2026-01-14T01:00:00+00:00",
        ),
    ] {
        let o = provpoll(
            &[
                "schedule",
                &path(name),
                "--from",
                "2026-01-14T00:00:00Z",
                "--count",
                "2",
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o.stderr));
        let out = text(&o.stdout);
        assert!(
            out.starts_with(&format!(
                "{words}\nPhone time zone: UTC (the default: provpoll does not read "
            )),
            "{out}"
        );
        assert!(out.contains("    1  "), "{out}");
        assert!(out.contains(first), "{name}: {out}");
        let o = provpoll(&["check", &path(name)], None);
        assert_eq!(text(&o.stdout), format!("{}: {words}\n", path(name)));
    }
    let o = provpoll(
        &[
            "schedule",
            &path("0004f2a1b2c4.cfg"),
            "--from",
            "2026-01-14T00:00:00Z",
            "--count",
            "2",
            "--tz",
            "Europe/Berlin",
            "--format",
            "json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["fetches"][1],
        serde_json::json!({"source": "polling", "earliest": "2026-01-14T05:00:00+01:00", "latest": "2026-01-14T05:00:00+01:00", "at": "2026-01-14T05:00:00+01:00"})
    );
    // check: each problem at FILE:LINE:COLUMN, exit 1 on an error.
    let bad = [
        (
            "poly.cfg",
            "<polycomConfig>\n  <prov prov.polling.enabled=\"1\" prov.polling.period=\"1800\"/>\n</polycomConfig>\n",
            0,
            "poly.cfg:2:34: warning: prov.polling.period is 1800 seconds: Poly's guides ask for more than 3600\n",
        ),
        (
            "spa.xml",
            "<flat-profile>\n<Resync_At__HHmm_ ua=\"na\">25:00</Resync_At__HHmm_>\n</flat-profile>\n",
            1,
            "spa.xml:2:1: error: Resync_At__HHmm_ is \"25:00\", not a time of day as HHmm\n",
        ),
        (
            "y.cfg",
            "static.auto_provision.repeat.enable = 1\n",
            1,
            "y.cfg:1:1: error: the first line is not #!version:1.0.0.1: a Yealink phone ignores a file without it\n",
        ),
        (
            "gs.xml",
            "<gs_provision><config>\n<P194>3</P194>\n<P286>8</P286>\n</config></gs_provision>",
            1,
            "gs.xml:3:1: error: P286 is \"8\": it takes days 0–6 (0 Sunday), several as 0/1/2\n",
        ),
    ];
    for (name, body, code, said) in bad {
        std::fs::write(dir.path().join(name), body).unwrap();
        let o = provpoll(&["check", &path(name)], None);
        let stderr = text(&o.stderr).replace(&path(""), "");
        assert_eq!(
            (o.status.code(), stderr.as_str()),
            (Some(code), said),
            "{name}"
        );
    }
    // set stays snom's: another vendor's file is named and left as it was.
    for (name, vendor) in [
        ("0004f2a1b2c4.cfg", "Poly"),
        ("805ec0123456.cfg", "Yealink"),
        ("spa0002fdff2103.xml", "Cisco"),
        ("cfg000b82123456.xml", "Grandstream"),
    ] {
        let p = path(name);
        let before = std::fs::read(&p).unwrap();
        let o = provpoll(&["set", &p, "--period", "3600"], None);
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(
            text(&o.stderr),
            format!(
                "provpoll: {p} is a {vendor} settings file: provpoll edits snom's polling settings only (schedule and check read it)\n"
            )
        );
        assert!(o.stdout.is_empty());
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }
    // A Fanvil file is named, its polling not read.
    let o = provpoll(
        &[
            "schedule",
            &path("0c383e123456.cfg"),
            "--from",
            "2026-01-14T00:00:00Z",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).ends_with("is a Fanvil settings file: its polling settings are not read (no vendor definition of them was found)\n"));
}
