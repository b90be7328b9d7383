//! Time zones from the browser's own `Intl` database, so the bundle carries no zone data.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::{FixedOffset, NaiveDate, NaiveDateTime};
use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::zone::{self, PhoneZone, Zone};

#[wasm_bindgen]
extern "C" {
    // Called as a function, `Intl.DateTimeFormat` builds a formatter too; `catch` turns the
    // RangeError of an unknown zone into an `Err` instead of a trap.
    #[wasm_bindgen(catch, js_namespace = Intl, js_name = DateTimeFormat)]
    fn date_time_format(
        locales: &JsValue,
        options: &JsValue,
    ) -> Result<Intl::DateTimeFormat, JsValue>;
}

/// An IANA zone as the browser knows it.
pub struct IntlZone {
    format: Intl::DateTimeFormat,
    /// Offsets at the start and end of each 3-hour block asked about: where they agree, the
    /// whole block has that offset (no zone has changed its offset twice within 3 hours),
    /// which spares most calls into `Intl`, the slow part of a redraw.
    blocks: RefCell<HashMap<i64, (i32, i32)>>,
}

thread_local! {
    static ZONES: RefCell<HashMap<String, Option<Rc<IntlZone>>>> = RefCell::new(HashMap::new());
}

const BLOCK: i64 = 3 * 3600;

impl IntlZone {
    /// The zone named `name`, made once per page; `None` if the browser does not know it.
    pub fn get(name: &str) -> Option<Rc<IntlZone>> {
        ZONES.with(|zones| {
            zones
                .borrow_mut()
                .entry(name.to_owned())
                .or_insert_with(|| IntlZone::new(name).map(Rc::new))
                .clone()
        })
    }

    fn new(name: &str) -> Option<IntlZone> {
        let options = Object::new();
        let set = |k: &str, v: &str| Reflect::set(&options, &k.into(), &v.into()).is_ok();
        let ok = set("timeZone", name)
            && set("hourCycle", "h23")
            && set("year", "numeric")
            && set("month", "numeric")
            && set("day", "numeric")
            && set("hour", "numeric")
            && set("minute", "numeric")
            && set("second", "numeric");
        if !ok {
            return None;
        }
        let locales = Array::of1(&"en-US".into());
        let format = date_time_format(&locales, &options).ok()?;
        Some(IntlZone {
            format,
            blocks: RefCell::new(HashMap::new()),
        })
    }

    /// Seconds east of UTC at `utc`, asking `Intl`.
    fn ask(&self, utc: NaiveDateTime) -> i32 {
        // Outside the browser's range (or a malformed answer) counts as UTC.
        self.wall(utc)
            .and_then(|wall| i32::try_from((wall - utc).num_seconds()).ok())
            .unwrap_or(0)
    }

    /// The wall-clock time at `utc` in this zone.
    fn wall(&self, utc: NaiveDateTime) -> Option<NaiveDateTime> {
        let millis = utc.and_utc().timestamp_millis() as f64;
        let parts = self.format.format_to_parts(&Date::new(&millis.into()));
        let mut fields = [0i64; 6];
        for part in parts.iter() {
            let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            let slot = match kind.as_str() {
                "year" => 0,
                "month" => 1,
                "day" => 2,
                "hour" => 3,
                "minute" => 4,
                "second" => 5,
                _ => continue,
            };
            let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
            fields[slot] = value.parse().ok()?;
        }
        let [y, mo, d, h, mi, s] = fields;
        NaiveDate::from_ymd_opt(y.try_into().ok()?, mo.try_into().ok()?, d.try_into().ok()?)?
            .and_hms_opt(h.try_into().ok()?, mi.try_into().ok()?, s.try_into().ok()?)
    }
}

impl Zone for IntlZone {
    fn offset_at(&self, utc: NaiveDateTime) -> FixedOffset {
        let seconds = utc.and_utc().timestamp();
        let block = seconds.div_euclid(BLOCK);
        let cached = self.blocks.borrow().get(&block).copied();
        let (start, end) = cached.unwrap_or_else(|| {
            let at = |s: i64| {
                chrono::DateTime::from_timestamp(s, 0).map_or(0, |t| self.ask(t.naive_utc()))
            };
            let pair = (at(block * BLOCK), at(block * BLOCK + BLOCK - 1));
            self.blocks.borrow_mut().insert(block, pair);
            pair
        });
        let offset = if start == end { start } else { self.ask(utc) };
        FixedOffset::east_opt(offset).unwrap_or(FixedOffset::east_opt(0).expect("zero is valid"))
    }
}

/// The browser's zone of that name; UTC if it does not know it.
pub fn zone_named(name: &str) -> Rc<dyn Zone> {
    match IntlZone::get(name) {
        Some(zone) => zone,
        None => Rc::new(chrono::Utc),
    }
}

/// The browser's own zone, `UTC` if it does not say.
pub fn browser_zone() -> String {
    let format = Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "UTC".into())
}

/// Every zone the browser knows, for the zone picker.
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = Intl::supported_values_of(Intl::SupportedValuesKey::TimeZone)
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if !names.iter().any(|n| n == "UTC") {
        names.push("UTC".into());
    }
    names
}

/// The phone's zone by the core's rule ([`zone::phone_zone`]), with the browser's zones: its
/// `timezone` code, else the zone chosen, else UTC. The page and the folder's worker ask it.
pub fn phone_zone<'a>(
    code: Option<&'a str>,
    choice: &'a str,
    at: chrono::DateTime<chrono::Utc>,
) -> PhoneZone<'a, Rc<dyn Zone>> {
    let lookup = |name: &str| IntlZone::get(name).map(|z| z as Rc<dyn Zone>);
    zone::phone_zone(
        code,
        Some(choice),
        lookup,
        ("UTC", Rc::new(chrono::Utc)),
        at,
    )
}
