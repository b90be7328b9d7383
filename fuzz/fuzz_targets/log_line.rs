//! Any line: reading it as a request, naming its phone and its model never panics, and a log
//! that takes it (twice, in two files) stays whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provpoll::core::log::read::Log;
use provpoll::core::log::request;

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    if let Some(r) = request::parse(&line) {
        let _ = request::mac(&r);
        let _ = r.agent.map(request::model_firmware);
    }
    let mut log = Log::default();
    log.file("a".into());
    log.line(&line);
    log.file("b".into());
    log.line(&line);
    log.finish();
    assert_eq!(log.files.iter().map(|f| f.lines).sum::<u64>(), 2);
});
