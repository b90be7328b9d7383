//! One line of a provisioning server's access log: the request it records, and the phone that
//! asked (`shared/domain/access-log.md`, "The log" and "Which phone asked").

use crate::core::mac::Mac;
use crate::core::vendor::Vendor;
use chrono::{DateTime, FixedOffset, NaiveDate};

/// A request, as an NCSA common or combined line records it (also behind a prefix, as
/// wazo-provd and Apache's `vhost_combined` write it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request<'a> {
    pub at: DateTime<FixedOffset>,
    /// The client address: the third field before the time.
    pub address: &'a str,
    pub method: &'a str,
    /// The path with its query.
    pub target: &'a str,
    pub status: u16,
    /// The last quoted field, where two follow the status (combined).
    pub agent: Option<&'a str>,
}

impl Request<'_> {
    /// Whether it fetched something: `GET` or `HEAD`.
    pub fn is_fetch(&self) -> bool {
        matches!(self.method, "GET" | "HEAD")
    }

    /// Whether it sends a file up: Poly's `PUT <MAC>-boot.log` (and its other logs), neither a
    /// fetch nor a line that is no request (vendors.md, "In the log").
    pub fn is_upload(&self) -> bool {
        self.method == "PUT"
    }

    /// Whether it was answered with the file (2xx) or "not modified" (304).
    pub fn is_ok(&self) -> bool {
        (200..300).contains(&self.status) || self.status == 304
    }
}

/// Reads a line: `… ADDRESS IDENT USER [TIME] "REQUEST" STATUS SIZE ["REFERER" "AGENT"]`, where
/// the first `[…]` that holds a time and is followed by a quoted request counts; `None` for a
/// line that is not one.
pub fn parse(line: &str) -> Option<Request<'_>> {
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(open) = memchr::memchr(b'[', &bytes[from..]).map(|i| from + i) {
        from = open + 1;
        let close = memchr::memchr(b']', &bytes[open..]).map(|i| open + i)?;
        let Some(at) = time(&line[open + 1..close]) else {
            continue;
        };
        let Some(rest) = line[close + 1..].strip_prefix(" \"") else {
            continue;
        };
        let address = Words(&line[..open]).nth_back(2)?;
        let (request, rest) = quoted(rest)?;
        let mut parts = Words(request);
        let (method, target) = (parts.next()?, parts.next()?);
        let status = Words(rest).next()?.parse().ok()?;
        let agent = agent(rest);
        return Some(Request {
            at,
            address,
            method,
            target,
            status,
            agent,
        });
    }
    None
}

/// The words of a text, as `str::split_whitespace` gives them (Unicode's whitespace between
/// them), a byte at a time where they are ASCII: a log's lines almost always are, and reading
/// them a character at a time took a tenth of reading a log.
struct Words<'a>(&'a str);

/// `char::is_whitespace` in ASCII: space, tab, line feed, vertical tab, form feed, return.
#[inline(always)]
fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// Whether a character that is not ASCII is whitespace, and its length.
#[cold]
fn other_space(c: Option<char>) -> (bool, usize) {
    c.map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8()))
}

/// The first byte at or after `i` where a character begins whose whitespace is not `SPACE`.
fn skip<const SPACE: bool>(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    loop {
        let ascii = b.get(i..).unwrap_or_default();
        i += ascii
            .iter()
            .position(|&c| c >= 0x80 || ascii_space(c) != SPACE)
            .unwrap_or(ascii.len());
        match b.get(i) {
            Some(&c) if c >= 0x80 => match other_space(text[i..].chars().next()) {
                (is, n) if is == SPACE => i += n,
                _ => return i,
            },
            _ => return i,
        }
    }
}

/// The last byte at or before `i` where a character ends whose whitespace is not `SPACE`.
fn skip_back<const SPACE: bool>(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    loop {
        let ascii = b.get(..i).unwrap_or_default();
        i = ascii
            .iter()
            .rposition(|&c| c >= 0x80 || ascii_space(c) != SPACE)
            .map_or(0, |at| at + 1);
        match i.checked_sub(1).and_then(|at| b.get(at)) {
            Some(&c) if c >= 0x80 => match other_space(text[..i].chars().next_back()) {
                (is, n) if is == SPACE => i -= n,
                _ => return i,
            },
            _ => return i,
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.0;
        let start = skip::<true>(text, 0);
        let end = skip::<false>(text, start);
        self.0 = &text[end..];
        (start < end).then(|| &text[start..end])
    }
}

impl DoubleEndedIterator for Words<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let text = self.0;
        let end = skip_back::<true>(text, text.len());
        let start = skip_back::<false>(text, end);
        self.0 = &text[..start];
        (start < end).then(|| &text[start..end])
    }
}

/// An NCSA time, `14/Jan/2026:14:07:53 +0100`. (chrono's format parser took half the time of
/// reading a log; this one, a tenth of it.)
fn time(text: &str) -> Option<DateTime<FixedOffset>> {
    let b = text.as_bytes();
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let marks = [
        (2, b'/'),
        (6, b'/'),
        (11, b':'),
        (14, b':'),
        (17, b':'),
        (20, b' '),
    ];
    if b.len() != 26 || !marks.iter().all(|&(i, c)| at(i, c)) {
        return None;
    }
    // Digits, perhaps after spaces, as chrono's `%d %Y %H %M %S` read them.
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let field = b.get(r)?;
        digits_value(&field[field.iter().position(|&c| c != b' ')?..])
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // In any case, as chrono's `%b` reads it.
    let month = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(&text[3..6]))? as u32
        + 1;
    // Digits and nothing else.
    let digits = |r: std::ops::Range<usize>| i32::try_from(digits_value(b.get(r)?)?).ok();
    // A year may carry a sign, as chrono's `%Y` reads it.
    let year = match b[7] {
        b'+' => digits(8..11)?,
        b'-' => -digits(8..11)?,
        _ => i32::try_from(num(7..11)?).ok()?,
    };
    let date = NaiveDate::from_ymd_opt(year, month, num(0..2)?)?;
    // A second of 60 is a leap second, as chrono reads it.
    let clock = match num(18..20)? {
        60 => date.and_hms_nano_opt(num(12..14)?, num(15..17)?, 59, 1_000_000_000)?,
        second => date.and_hms_opt(num(12..14)?, num(15..17)?, second)?,
    };
    let sign = match b[21] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    // The offset's four digits; its minutes under 60 (chrono's `%z`).
    let (hours, minutes) = (digits(22..24)?, digits(24..26)?);
    if minutes >= 60 {
        return None;
    }
    let offset = FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?;
    clock.and_local_timezone(offset).single()
}

/// The value of a few ASCII digits (at least one, and nothing else).
fn digits_value(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 9 {
        return None;
    }
    digits.iter().try_fold(0, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// The quoted text at the start of `text` (its opening quote already read), and what follows
/// the closing quote; `\"` inside does not close it.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = memchr::memchr2(b'"', b'\\', bytes.get(i..)?) {
        let at = i + at;
        if bytes[at] == b'"' {
            return Some((&text[..at], &text[at + 1..]));
        }
        i = at + 2;
    }
    None
}

/// The user agent: the second of two quoted fields after the status and size.
fn agent(rest: &str) -> Option<&str> {
    let first = memchr::memchr(b'"', rest.as_bytes())?;
    let (_, after) = quoted(&rest[first + 1..])?;
    let second = memchr::memchr(b'"', after.as_bytes())?;
    let (agent, _) = quoted(&after[second + 1..])?;
    Some(agent)
}

/// The MAC a request names: in the path's last segment, else a `mac=` argument, else in the
/// user agent; 12 hexadecimal digits (also with `:` or `-` between the bytes), upper case.
/// A run that begins `000000` is no phone's (`y000000000028.cfg`).
pub fn mac(request: &Request) -> Option<Mac> {
    let (last, query) = file_name(request.target);
    // Cisco's `spa<MAC>.xml`: the `a` of `spa` is a hex digit, and would make the run 13 long.
    let last = match last.get(..3) {
        Some(p) if p.eq_ignore_ascii_case("spa") => &last[3..],
        _ => last,
    };
    find_mac(last)
        .or_else(|| {
            query
                .split('&')
                .find_map(|kv| {
                    let (k, v) = kv.split_once('=')?;
                    k.eq_ignore_ascii_case("mac").then_some(v)
                })
                .and_then(find_mac)
        })
        .or_else(|| request.agent.and_then(find_mac))
}

/// Whether a byte is a hexadecimal digit, by table: a user agent is looked through for a MAC
/// on every line that names none in its path.
const HEX: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        table[c] = (c as u8).is_ascii_hexdigit();
        c += 1;
    }
    table
};

/// A target's file name (its path's last segment) and its query.
fn file_name(target: &str) -> (&str, &str) {
    let (path, query) = match memchr::memchr(b'?', target.as_bytes()) {
        Some(at) => (&target[..at], &target[at + 1..]),
        None => (target, ""),
    };
    let from = memchr::memrchr(b'/', path.as_bytes()).map_or(0, |at| at + 1);
    (&path[from..], query)
}

/// The first MAC in `text` that stands alone (no hexadecimal digit right before or after it):
/// a run of hexadecimal digits at a time, each byte looked at once at most.
fn find_mac(text: &str) -> Option<Mac> {
    let b = text.as_bytes();
    let hex = |i: usize| b.get(i).is_some_and(|&c| HEX[usize::from(c)]);
    let mut end = 0;
    while end < b.len() {
        // A MAC is 12 or 17 bytes of hexadecimal digits and separators: none begins here or
        // in the 11 bytes after unless the 12th is one of those (a user agent's words skip
        // 12 bytes at a time).
        match b.get(end + 11) {
            None => return None,
            Some(&c) if !HEX[usize::from(c)] && c != b':' && c != b'-' => {
                end += 12;
                continue;
            }
            _ => {}
        }
        if !HEX[usize::from(b[end])] {
            end += 1;
            continue;
        }
        let start = end;
        while end < b.len() && HEX[usize::from(b[end])] {
            end += 1;
        }
        // Twelve digits in a row, or six pairs with `:` or `-` between them.
        let mut digits = [0; 12];
        let found = match (end - start, b.get(end)) {
            (12, _) => {
                digits.copy_from_slice(&b[start..end]);
                true
            }
            (2, Some(&s @ (b':' | b'-'))) => (0..6).all(|pair| {
                let i = start + pair * 3;
                let two = hex(i) && hex(i + 1) && !hex(i + 2);
                let apart = pair == 5 || b.get(i + 2) == Some(&s);
                if two {
                    digits[pair * 2..pair * 2 + 2].copy_from_slice(&b[i..i + 2]);
                }
                two && apart
            }),
            _ => false,
        };
        // A common file's `000000…` is no MAC: look on.
        if let Some(mac) = found.then(|| Mac::from_ascii(&digits)).flatten() {
            return Some(mac);
        }
    }
    None
}

/// The vendor a user agent names (`shared/domain/vendors.md`, "In the log"). **Choice:** a
/// Gigaset agent is a P desk phone's (snom inside) where its model begins with `P`, else a
/// DECT base's.
pub fn vendor(agent: &str) -> Option<Vendor> {
    let lower = agent.to_ascii_lowercase();
    if let Some(at) = lower.find("gigaset ") {
        let desk = lower[at + "gigaset ".len()..].starts_with('p');
        return Some(if desk {
            Vendor::Snom
        } else {
            Vendor::GigasetDect
        });
    }
    [
        ("snom", Vendor::Snom),
        ("yealink", Vendor::Yealink),
        ("polycom", Vendor::Poly),
        ("poly", Vendor::Poly),
        ("cisco/", Vendor::Cisco),
        ("grandstream", Vendor::Grandstream),
        ("fanvil", Vendor::Fanvil),
    ]
    .into_iter()
    .find_map(|(name, vendor)| lower.contains(name).then_some(vendor))
}

/// The vendor a request's path names by its form, where its agent names none
/// (`shared/domain/vendors.md`, "In the log"): `cfg<MAC>` Grandstream's, `spa<MAC>` Cisco's,
/// `SEP<MAC>` Cisco's enterprise firmware's, a common file `y0000000000NN.cfg` Yealink's (its
/// phone's next request, `<mac>.cfg`, joins it by address).
pub fn path_vendor(target: &str) -> Option<Vendor> {
    let (last, _) = file_name(target);
    if crate::core::vendor::is_yealink_common(last) {
        return Some(Vendor::Yealink);
    }
    let mac_after = |prefix: &str| {
        last.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            && last
                .get(prefix.len()..prefix.len() + 12)
                .is_some_and(|digits| Mac::parse(digits).is_some())
    };
    [
        ("cfg", Vendor::Grandstream),
        ("spa", Vendor::Cisco),
        ("sep", Vendor::CiscoEnterprise),
    ]
    .into_iter()
    .find_map(|(prefix, vendor)| mac_after(prefix).then_some(vendor))
}

/// The model and firmware a user agent names, as each vendor's agent gives them:
/// `snomD785-SIP 10.1.169.16` → (`D785`, `10.1.169.16`), `snom720 8.7.5.35`, `Snom M900
/// 05.20.0001`, `Gigaset N870 IP PRO/83.V2.43.0`, `Yealink SIP-T48G 35.80.0.70` → (`T48G`,
/// `35.80.0.70`), `FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477` → (`VVX_500`, `5.9.7.4477`),
/// `Cisco/SPA508G-7.4.4 (…)` → (`SPA508G`, `7.4.4`), `Grandstream Model HW GXP2170 SW
/// 1.0.11.85 DevId …` → (`GXP2170`, `1.0.11.85`), `Fanvil X4 2.4.1` → (`X4`, `2.4.1`).
pub fn model_firmware(agent: &str) -> Option<(String, String)> {
    let pair = |m: &str, f: &str| {
        (!m.is_empty() && f.starts_with(|c: char| c.is_ascii_digit()))
            .then(|| (m.to_owned(), f.to_owned()))
    };
    if let Some(at) = agent.find("Gigaset ") {
        let rest = &agent[at + "Gigaset ".len()..];
        let (model, firmware) = rest.split_once('/')?;
        let firmware = firmware.split([';', ' ', ')']).next()?;
        return Some((model.trim().to_owned(), firmware.to_owned()));
    }
    let lower = agent.to_ascii_lowercase();
    let words_after = |at: usize| {
        agent[at..]
            .split([' ', ')', ';', '('])
            .filter(|w| !w.is_empty())
    };
    if let Some(at) = lower.find("yealink ").or_else(|| lower.find("fanvil ")) {
        let mut words = words_after(at).skip(1);
        let model = words.next()?;
        let model = model.strip_prefix("SIP-").unwrap_or(model);
        return pair(model, words.next()?);
    }
    if let Some(at) = lower.find("polycom") {
        let token = words_after(at).next()?;
        let (name, firmware) = token.split_once('/')?;
        let model = name.split_once('-').map_or(name, |(_, m)| m);
        return pair(model.strip_suffix("-UA").unwrap_or(model), firmware);
    }
    if let Some(at) = lower.find("cisco/") {
        let token = words_after(at + "cisco/".len()).next()?;
        let (model, firmware) = token.rsplit_once('-')?;
        return pair(model, firmware);
    }
    if lower.contains("grandstream") {
        let words: Vec<&str> = agent.split_whitespace().collect();
        let after = |key: &str| {
            let i = words.iter().position(|w| *w == key)?;
            words.get(i + 1).copied()
        };
        return pair(after("HW")?, after("SW")?);
    }
    let at = lower.find("snom")?;
    let mut words = agent[at + 4..]
        .split([' ', ')', ';'])
        .filter(|w| !w.is_empty());
    let mut model = words.next()?;
    model = model.strip_suffix("-SIP").unwrap_or(model);
    pair(model, words.next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_vendors_agent_gives_its_model_and_firmware_and_a_path_its_vendor() {
        let pair = |m: &str, f: &str| Some((m.to_owned(), f.to_owned()));
        for (agent, expected) in [
            (
                "Yealink SIP-T48G 35.80.0.70 80:5e:c0:12:34:56",
                pair("T48G", "35.80.0.70"),
            ),
            (
                "FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477",
                pair("VVX_500", "5.9.7.4477"),
            ),
            (
                "Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT1234)",
                pair("SPA508G", "7.4.4"),
            ),
            (
                "Grandstream Model HW GXP2170 SW 1.0.11.85 DevId 000b82123456",
                pair("GXP2170", "1.0.11.85"),
            ),
            ("Fanvil X4 2.4.1 0c383e123456", pair("X4", "2.4.1")),
            ("snomD785-SIP 10.1.169.16", pair("D785", "10.1.169.16")),
            ("curl/8.5.0", None),
        ] {
            assert_eq!(model_firmware(agent), expected, "{agent}");
        }
        for (target, expected) in [
            ("/prov/cfg000b82123456.xml", Some(Vendor::Grandstream)),
            ("/cfg000B82123456", Some(Vendor::Grandstream)),
            ("/spa0002fdff2103.xml?x=1", Some(Vendor::Cisco)),
            ("/SEP0002FDFF2103.cnf.xml", Some(Vendor::CiscoEnterprise)),
            ("/y000000000028.cfg", Some(Vendor::Yealink)),
            ("/805ec0123456.cfg", None),
            ("/cfg.xml", None),
            ("/snomD785-000413A1B2C3.xml", None),
        ] {
            assert_eq!(path_vendor(target), expected, "{target}");
        }
    }

    const COMBINED: &str = r#"203.0.113.7 - - [14/Jan/2026:14:07:53 +0100] "GET /prov/snomD785-000413A1B2C3.htm HTTP/1.1" 200 5123 "-" "Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) 000413A1B2C3 SXM:0 UXM:0 UXMC:0)""#;

    #[test]
    fn a_combined_line_as_nginx_writes_it() {
        let r = parse(COMBINED).unwrap();
        assert_eq!(r.at.to_rfc3339(), "2026-01-14T14:07:53+01:00");
        assert_eq!(r.address, "203.0.113.7");
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/prov/snomD785-000413A1B2C3.htm");
        assert_eq!(r.status, 200);
        assert!(r.is_fetch() && r.is_ok());
        assert_eq!(mac(&r).as_deref(), Some("000413A1B2C3"));
        assert_eq!(
            model_firmware(r.agent.unwrap()),
            Some(("D785".to_owned(), "10.1.169.16".to_owned()))
        );
    }

    #[test]
    fn behind_a_prefix_and_in_common_format() {
        let wazo = format!("2020-01-14 09:07:53,364 [20037] (INFO) (twisted): {COMBINED}");
        assert_eq!(parse(&wazo).unwrap().address, "203.0.113.7");
        let vhost = format!("pbx.example.org:443 {COMBINED}");
        assert_eq!(parse(&vhost).unwrap().status, 200);
        let common = r#"198.51.100.4 - admin [01/Feb/2026:00:00:01 -0500] "HEAD /000413a1b2c4.xml HTTP/1.0" 304 -"#;
        let r = parse(common).unwrap();
        assert_eq!((r.address, r.status, r.agent), ("198.51.100.4", 304, None));
        assert!(r.is_ok());
        assert_eq!(mac(&r).as_deref(), Some("000413A1B2C4"));
    }

    #[test]
    fn times_read_as_chrono_reads_them() {
        for text in [
            "14/Jan/2026:14:07:53 +0100",
            "29/Feb/2028:00:00:00 -0530",
            "31/Dec/1999:23:59:59 +1400",
            "01/Jul/2026:12:00:00 +0000",
            "01/jul/2026:12:00:00 +0059",
            "31/Dec/2016:23:59:60 +0000",
        ] {
            assert_eq!(
                time(text),
                DateTime::parse_from_str(text, "%d/%b/%Y:%H:%M:%S %z").ok(),
                "{text}"
            );
        }
        for bad in [
            "29/Feb/2026:00:00:00 +0000",
            "14/Jam/2026:14:07:53 +0100",
            "14/Jan/2026:24:07:53 +0100",
            "14/Jan/2026 14:07:53 +0100",
            // Each colon of the clock is one.
            "14/Jan/2026:14x07:53 +0100",
            "14/Jan/2026:14:07[53 +0100",
            "14/Jan/2026:14:07:53 0100",
            "14/Jan/2026:14:07:53 +01:0",
            // What chrono's `%z` rejects: minutes over 59, a space inside.
            "14/Jan/2026:14:07:53 +0199",
            "14/Jan/2026:14:07:53 +0160",
            "14/Jan/2026:14:07:53 + 100",
            // A sign is not a digit.
            "+1/Jan/2026:14:07:53 +0100",
        ] {
            assert_eq!(
                DateTime::parse_from_str(bad, "%d/%b/%Y:%H:%M:%S %z").ok(),
                None,
                "{bad}"
            );
            assert_eq!(time(bad), None, "{bad}");
        }
        // A log's times are fixed width: a one-digit day, which chrono reads, is no NCSA time.
        assert_eq!(time("1/Jan/2026:14:07:53 +0100"), None);
    }

    #[test]
    fn lines_that_are_not_requests() {
        for line in [
            "",
            "garbage",
            r#"1.2.3.4 - - [14/Jan/2026:14:07:53 +0100] "GET /x HTTP/1.1"#,
            r#"1.2.3.4 - - [not a time] "GET /x HTTP/1.1" 200 1"#,
            r#"- - [14/Jan/2026:14:07:53 +0100] "GET /x HTTP/1.1" 200 1"#,
            r#"1.2.3.4 - - [14/Jan/2026:14:07:53 +0100] "GET /x HTTP/1.1" abc 1"#,
            "[[[[]]]] \" \\",
        ] {
            assert_eq!(parse(line), None, "{line:?}");
        }
    }

    #[test]
    fn the_phone_by_path_then_argument_then_agent() {
        let at = |target: &str, agent: Option<&str>| {
            let line = format!(
                r#"1.2.3.4 - - [14/Jan/2026:14:07:53 +0100] "GET {target} HTTP/1.1" 200 1 "-" "{}""#,
                agent.unwrap_or("-")
            );
            mac(&parse(&line).unwrap())
        };
        assert_eq!(
            at("/00:04:13:a1:b2:c5.cfg", None).as_deref(),
            Some("000413A1B2C5")
        );
        assert_eq!(
            at("/p/00-04-13-A1-B2-C6.xml", None).as_deref(),
            Some("000413A1B2C6")
        );
        assert_eq!(
            at("/app/provision/index.php?mac=000413a1b2c7", None).as_deref(),
            Some("000413A1B2C7")
        );
        assert_eq!(
            at(
                "/firmware/snomD785.bin",
                Some("Snom M900 05.20.0001 000413b60680")
            )
            .as_deref(),
            Some("000413B60680")
        );
        assert_eq!(
            at(
                "/firmware/snom720.bin",
                Some("Mozilla/4.0 (compatible; snom720 8.7.5.35)")
            ),
            None
        );
        assert_eq!(at("/000000000000.xml", None), None);
        // A common file is no phone's (vendors.md, "In the log"); Yealink's agent names the
        // phone, with colons, so its request is the phone's still.
        assert_eq!(at("/y000000000028.cfg", None), None);
        assert_eq!(at("/000000000000-license.cfg", None), None);
        assert_eq!(
            at(
                "/y000000000028.cfg",
                Some("Yealink SIP-T48G 35.80.0.70 80:5e:c0:12:34:56")
            )
            .as_deref(),
            Some("805EC0123456")
        );
        // Thirteen digits are not a MAC; a folder named like one is not the file.
        assert_eq!(at("/0004134A1B2C3D.xml", None), None);
        assert_eq!(at("/000413A1B2C8/general.xml", None), None);
    }

    #[test]
    fn models_and_firmware_from_agents() {
        let mf = |a: &str| model_firmware(a).map(|(m, f)| format!("{m} {f}"));
        assert_eq!(
            mf("Mozilla/4.0 (compatible; snom720 8.7.5.35)").as_deref(),
            Some("720 8.7.5.35")
        );
        assert_eq!(
            mf("Snom M900 05.20.0001 000413b60680").as_deref(),
            Some("M900 05.20.0001")
        );
        assert_eq!(
            mf("Gigaset N870 IP PRO/83.V2.43.0;7C2F80123456").as_deref(),
            Some("N870 IP PRO 83.V2.43.0")
        );
        assert_eq!(mf("curl/8.5.0"), None);
    }
}
