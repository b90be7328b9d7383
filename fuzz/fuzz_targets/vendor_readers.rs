//! Any bytes, read as each vendor's file: reading, the values in effect, the plan, its first
//! fetches and its words never panic; every fetch lies in its window, in time order; every
//! note points into the file.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use provpoll::core::schedule::plan_fetches;
use provpoll::core::vendor::Vendor;
use provpoll::words::Words;

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    let t0 = DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap();
    for vendor in [Vendor::Poly, Vendor::Yealink, Vendor::Cisco, Vendor::Grandstream] {
        let file = vendor.read(data, 0);
        for n in &file.notes {
            assert!(n.at.line >= 1 && n.at.line <= lines, "{n:?}");
        }
        let reading = vendor.reading(&file.entries).expect("a vendor whose polling is read");
        let mut last = None;
        for f in plan_fetches(&reading.plan, t0, &Utc, 7).take(64) {
            assert!(f.earliest <= f.at && f.at <= f.latest, "{f:?}");
            assert!(last.is_none_or(|l| l <= f.at), "{f:?}");
            last = Some(f.at);
        }
        let _ = provpoll::text::plan::describe(vendor, &reading, &Words::english());
    }
});
