//! Time zones on the command line: the full tz database of chrono-tz, as the core's [`Zone`].
//! (The page and its worker take the browser's own, through `crate::web::intl`.)

use chrono::{FixedOffset, NaiveDateTime, Offset, TimeZone};

use crate::core::zone::Zone;

impl Zone for chrono_tz::Tz {
    fn offset_at(&self, utc: NaiveDateTime) -> FixedOffset {
        self.offset_from_utc_datetime(&utc).fix()
    }
}

/// Parses an IANA zone name.
pub fn iana(name: &str) -> Option<chrono_tz::Tz> {
    name.parse().ok()
}
