//! Any argument list: parsing never panics, and running a parsed command that reads standard
//! input never panics and exits 0, 1 or 2.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provpoll::cli::{Command, parse_args, run};

const FILE: &[u8] = b"<settings><phone-settings><prov_polling_enabled>on</prov_polling_enabled><prov_polling_mode>random</prov_polling_mode><prov_polling_period>3600</prov_polling_period></phone-settings></settings>";

fuzz_target!(|data: &[u8]| {
    // Arguments are NUL-separated.
    let args: Vec<String> = String::from_utf8_lossy(data)
        .split('\0')
        .map(str::to_owned)
        .collect();
    let file = match parse_args(&args) {
        Ok(Command::Schedule { file, .. } | Command::Set { file, .. } | Command::Check { file }) => file,
        _ => return,
    };
    // Only standard input: the fuzzer reads no file from disk.
    if file != "-" {
        return;
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(&args, &mut &FILE[..], &mut out, &mut err);
    assert!((0..=2).contains(&code));
});
