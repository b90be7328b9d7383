//! Any bytes as a log file that arrives in pieces of any size (its first byte sets the size, as
//! a stream's chunks do): cutting it into lines and reading them never panics, every line is
//! counted once however it was cut (a line too long to be a request too), and telling a log
//! from a settings file never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provpoll::core::log::looks_like_log;
use provpoll::core::log::read::{Cutter, Log};

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
    let mut log = Log::default();
    log.file("a".into());
    let mut cutter = Cutter::default();
    for piece in bytes.chunks(usize::from(size).max(1) * 512) {
        cutter.cut(piece, false, |l| log.lines(l));
    }
    cutter.cut(&[], true, |l| log.lines(l));
    log.finish();
    let file = &log.files[0];
    assert_eq!(file.lines, lines as u64);
    assert_eq!(file.requests + file.skipped, file.lines);
});
