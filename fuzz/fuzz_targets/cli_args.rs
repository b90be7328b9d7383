//! Any argument list: parsing never panics, and running a parsed command of any kind
//! (`schedule`, `set`, `check`, `fleet`, `scan`, `log`) that reads standard input never panics
//! and exits 0, 1 or 2.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provpoll::cli::{Command, FleetArgs, SetArgs, parse, run};

const FILE: &[u8] = b"<settings><phone-settings><prov_polling_enabled>on</prov_polling_enabled><prov_polling_mode>random</prov_polling_mode><prov_polling_period>3600</prov_polling_period></phone-settings></settings>";

fuzz_target!(|data: &[u8]| {
    // Arguments are NUL-separated, after the program's name.
    let args: Vec<String> = std::iter::once("provpoll".to_owned())
        .chain(String::from_utf8_lossy(data).split('\0').map(str::to_owned))
        .collect();
    let Ok(cli) = parse(&args) else {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(&args, &mut &FILE[..], &mut out, &mut err);
        assert!((0..=2).contains(&code));
        return;
    };
    // Only standard input, and never --in-place: the fuzzer reads and writes no file on disk.
    let stdin_only = match &cli.command {
        Command::Schedule { file, .. } | Command::Check { file } => file == "-",
        // `scan` and a folder's `fleet` read no standard input: "-" is a name that is not there.
        Command::Fleet(FleetArgs { paths, .. }) | Command::Scan { paths, .. } => {
            paths.iter().all(|f| f == "-")
        }
        Command::Set(SetArgs {
            files, in_place, ..
        }) => !in_place && files.iter().all(|f| f == "-"),
        // A log from standard input, against a folder named "-" (not there).
        Command::Log { logs, folder, .. } => folder == "-" && logs.iter().all(|l| l == "-"),
    };
    if !stdin_only {
        return;
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(&args, &mut &FILE[..], &mut out, &mut err);
    assert!((0..=2).contains(&code));
});
