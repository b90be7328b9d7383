//! A log file's rotated siblings, as logrotate names them: `FILE.1`, `FILE.2.gz`, … and, with
//! `dateext`, `FILE-20261206` or `FILE-20261206.gz`.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Whether `name` is a rotated sibling's name of the file named `base`.
pub fn is_sibling(base: &str, name: &str) -> bool {
    let Some(rest) = name.strip_prefix(base) else {
        return false;
    };
    let rest = rest.strip_suffix(".gz").unwrap_or(rest);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match rest.as_bytes().first() {
        Some(b'.') => digits(&rest[1..]),
        // dateext: a date, maybe with the hour (`-%Y%m%d%H`) or a dateformat's dashes.
        Some(b'-') => {
            let date = &rest[1..];
            date.len() >= 8 && date.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        }
        _ => false,
    }
}

/// The rotated siblings of `file` last written at `since` or later, oldest first (by their
/// time, then by name, the higher number first): what a restart reads before it follows `file`.
pub fn siblings(file: &Path, since: SystemTime) -> std::io::Result<Vec<PathBuf>> {
    let dir = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Some(base) = file.file_name().and_then(|n| n.to_str()) else {
        return Ok(Vec::new());
    };
    let mut found: Vec<(SystemTime, u64, String, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_sibling(base, name) {
            continue;
        }
        let path = entry.path();
        // A sibling that vanished since the listing, or is no file, is not read.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if !meta.is_file() || modified < since {
            continue;
        }
        let number = name[base.len() + 1..]
            .trim_end_matches(".gz")
            .parse::<u64>()
            .unwrap_or(0);
        found.push((modified, u64::MAX - number, name.to_owned(), path));
    }
    found.sort();
    Ok(found.into_iter().map(|(.., path)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_are_logrotates_names_only() {
        for name in [
            "access.log.1",
            "access.log.2.gz",
            "access.log.14.gz",
            "access.log-20261206",
            "access.log-20261206.gz",
            "access.log-2026120611",
        ] {
            assert!(is_sibling("access.log", name), "{name}");
        }
        for name in [
            "access.log",
            "access.log.",
            "access.log.gz",
            "access.log.1.bak",
            "access.log.old",
            "access.log-x",
            "error.log.1",
            "access.log2",
        ] {
            assert!(!is_sibling("access.log", name), "{name}");
        }
    }

    #[test]
    fn siblings_come_oldest_first_and_old_ones_stay_unread() {
        let dir = tempfile::tempdir().expect("a folder");
        let at =
            |days_ago: u64| SystemTime::now() - std::time::Duration::from_secs(days_ago * 86_400);
        for (name, days) in [
            ("access.log.1", 1),
            ("access.log.2.gz", 2),
            ("access.log.3.gz", 3),
            ("access.log.9.gz", 9),
            ("other.log.1", 1),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, b"x").expect("written");
            File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(at(days)))
                .expect("dated");
        }
        let found = siblings(&dir.path().join("access.log"), at(4)).expect("listed");
        let names: Vec<_> = found
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["access.log.3.gz", "access.log.2.gz", "access.log.1"]
        );
    }

    use std::fs::File;
}
