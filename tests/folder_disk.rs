//! A provisioning folder as a server's disk holds it: a named pipe with a phone's file name, a
//! symbolic link back to the folder, a dangling link, 3 MB of random bytes, 200,000 nested
//! elements and a file name that is not UTF-8, beside two good phones.

#![cfg(unix)]

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const GENERAL: &str = "<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>3600</prov_polling_period>\n</phone-settings></settings>\n";
const OWN: &str = "<settings><phone-settings>\n<prov_polling_period>7200</prov_polling_period>\n</phone-settings></settings>\n";

/// Runs provpoll, killing it (and failing) if it has not finished within 20 s: a pipe opened
/// for reading would wait forever.
fn provpoll(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_provpoll"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("provpoll {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A small xorshift generator: the random bytes are the same in every run.
fn random_bytes(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn odd_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("snomD785.xml"), GENERAL).unwrap();
    std::fs::write(d.join("snomD785-000413A11FA7.xml"), OWN).unwrap();
    let sub = d.join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("000413A11FB1.xml"), GENERAL).unwrap();
    // A named pipe with a phone's file name, and one with another name.
    for name in ["snomD785-000413A11FA8.xml", "pipe"] {
        let status = Command::new("mkfifo").arg(d.join(name)).status().unwrap();
        assert!(status.success());
    }
    // Loops: back to the folder itself, and to the subfolder from inside it.
    std::os::unix::fs::symlink(".", d.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", sub.join("up")).unwrap();
    std::os::unix::fs::symlink("missing.xml", d.join("snomD785-000413A11FA9.xml")).unwrap();
    std::fs::write(d.join("000413A11FB0.xml"), random_bytes(3 << 20)).unwrap();
    let deep = format!(
        "<settings><phone-settings>{}{}</phone-settings></settings>",
        "<a>".repeat(200_000),
        "</a>".repeat(200_000)
    );
    std::fs::write(d.join("000413A11FB2.xml"), deep).unwrap();
    let not_utf8 = std::ffi::OsStr::from_bytes(b"snomD785-000413A11FB3-\xff.xml");
    std::fs::write(d.join(not_utf8), OWN).unwrap();
    dir
}

#[test]
fn scan_reads_regular_files_once_and_names_every_other_entry() {
    let dir = odd_folder();
    let path = dir.path().to_str().unwrap();
    assert!(Path::new(path).join("loop").is_symlink());
    let start = Instant::now();
    let o = provpoll(&["scan", path, "--format", "json"]);
    let took = start.elapsed();
    let stderr = String::from_utf8(o.stderr.clone()).unwrap();
    // The dangling link cannot be read, nor can the pipe with a phone's name: exit 1.
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let mut lines: Vec<&str> = stderr.lines().collect();
    lines.sort();
    let missing = lines
        .iter()
        .find(|l| l.starts_with("provpoll: cannot read snomD785-000413A11FA9.xml: "))
        .copied();
    assert!(missing.is_some(), "{stderr}");
    assert_eq!(
        lines,
        [
            missing.unwrap(),
            "provpoll: loop: a link to a folder already read, not followed",
            "provpoll: pipe: a named pipe, not read",
            "provpoll: snomD785-000413A11FA8.xml: a named pipe, not read",
            "provpoll: sub/up: a link to a folder already read, not followed",
        ]
    );

    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let phones: Vec<(String, usize)> = json["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["mac"].as_str().unwrap().to_owned(),
                p["files"].as_array().unwrap().len(),
            )
        })
        .collect();
    // Each phone once, with its general file and its own (never 41 copies through `loop`).
    assert_eq!(
        phones,
        [
            ("000413A11FA7".to_owned(), 2),
            ("000413A11FB0".to_owned(), 1),
            ("000413A11FB1".to_owned(), 1),
            ("000413A11FB2".to_owned(), 1),
        ]
    );
    assert_eq!(json["phones"][0]["settings"]["prov_polling_period"], "7200");
    assert_eq!(json["phones"][2]["files"][0], "sub/000413A11FB1.xml");
    // Every problem once.
    let problems: Vec<String> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap().to_owned())
        .collect();
    let mut unique = problems.clone();
    unique.dedup();
    assert_eq!(problems, unique);
    assert!(
        problems.contains(&"000413A11FB0.xml".to_owned()),
        "{problems:?}"
    );
    // Well under a second on this machine; a generous bound here only catches a hang or a
    // walk that goes round a loop (the figure itself is in the closing note).
    assert!(took < Duration::from_secs(10), "{took:?}");
}

#[test]
fn a_bulk_edit_of_the_odd_folder_never_opens_a_pipe() {
    let dir = odd_folder();
    let d = dir.path();
    let path = d.to_str().unwrap();
    let args = ["set", path, "--all", "--period", "43200", "--in-place"];
    // A phone's file that cannot be read (the pipe, the dangling link): nothing is written.
    let o = provpoll(&args);
    let stderr = String::from_utf8(o.stderr.clone()).unwrap();
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("provpoll: snomD785-000413A11FA8.xml: a named pipe, not read\n"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("provpoll: nothing was changed\n"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(d.join("snomD785-000413A11FA7.xml")).unwrap(),
        OWN
    );

    // Without those two, the rest is edited; the other pipe and the loops are left alone. The
    // phone of random bytes is left out, and said so (exit 1).
    std::fs::remove_file(d.join("snomD785-000413A11FA8.xml")).unwrap();
    std::fs::remove_file(d.join("snomD785-000413A11FA9.xml")).unwrap();
    let o = provpoll(&args);
    let stderr = String::from_utf8(o.stderr.clone()).unwrap();
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("provpoll: warning: the phone 000413A11FB0 is left out: a file it reads cannot be read, so its settings are unknown\n"), "{stderr}");
    let own = std::fs::read_to_string(d.join("snomD785-000413A11FA7.xml")).unwrap();
    assert_eq!(own, OWN.replace("7200", "43200"));
    let kind = std::fs::symlink_metadata(d.join("pipe"))
        .unwrap()
        .file_type();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&kind),
        "the pipe is still a pipe"
    );
    assert!(d.join("loop").is_symlink());
}
