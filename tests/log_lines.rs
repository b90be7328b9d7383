//! A log's lines are read byte by byte for speed (issue 28); what they give is what the plain
//! reading gives: words split by `str::split_whitespace`, quotes and MACs looked for a
//! character at a time, the lossy text of the bytes. The plain reading is kept here as the
//! model, and hostile lines (Unicode whitespace, escapes, brackets, hex runs, broken UTF-8)
//! are held against it.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use provpoll::core::log::read;
use provpoll::core::log::request::{self, Request};
use provpoll::core::mac::Mac;

/// The plain reading, as the parser read a line before it was made fast.
mod model {
    use provpoll::core::mac::Mac;

    /// Method, target, status, agent and address of a line, its time left to the parser (the
    /// same function reads it).
    pub type Fields<'a> = (&'a str, &'a str, &'a str, u16, Option<&'a str>);

    pub fn parse(line: &str, time: impl Fn(&str) -> bool) -> Option<Fields<'_>> {
        let mut from = 0;
        while let Some(open) = line[from..].find('[').map(|i| from + i) {
            from = open + 1;
            let close = line[open..].find(']').map(|i| open + i)?;
            if !time(&line[open + 1..close]) {
                continue;
            }
            let Some(rest) = line[close + 1..].strip_prefix(" \"") else {
                continue;
            };
            let address = line[..open].split_whitespace().rev().nth(2)?;
            let (request, rest) = quoted(rest)?;
            let mut parts = request.split_whitespace();
            let (method, target) = (parts.next()?, parts.next()?);
            let status = rest.split_whitespace().next()?.parse().ok()?;
            return Some((address, method, target, status, agent(rest)));
        }
        None
    }

    fn quoted(text: &str) -> Option<(&str, &str)> {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'"' => return Some((&text[..i], &text[i + 1..])),
                _ => i += 1,
            }
        }
        None
    }

    fn agent(rest: &str) -> Option<&str> {
        let first = rest.find('"')?;
        let (_, after) = quoted(&rest[first + 1..])?;
        let second = after.find('"')?;
        let (agent, _) = quoted(&after[second + 1..])?;
        Some(agent)
    }

    /// Every place a MAC could begin, each looked at anew.
    pub fn find_mac(text: &str) -> Option<Mac> {
        let b = text.as_bytes();
        let hex = |i: usize| b.get(i).is_some_and(u8::is_ascii_hexdigit);
        for start in 0..b.len() {
            if !hex(start) || (start > 0 && hex(start - 1)) {
                continue;
            }
            let separator = match b.get(start + 2) {
                Some(&s @ (b':' | b'-')) => Some(s),
                _ => None,
            };
            let step = if separator.is_some() { 3 } else { 2 };
            let pairs = (0..6).all(|pair| {
                let i = start + pair * step;
                hex(i)
                    && hex(i + 1)
                    && (pair == 5 || separator.is_none_or(|s| b.get(i + 2) == Some(&s)))
            });
            if pairs && !hex(start + 5 * step + 2) {
                let mut digits = [0; 12];
                for (pair, two) in digits.chunks_mut(2).enumerate() {
                    two.copy_from_slice(&b[start + pair * step..start + pair * step + 2]);
                }
                if let Some(mac) = Mac::from_ascii(&digits) {
                    return Some(mac);
                }
            }
        }
        None
    }

    pub fn mac(target: &str, agent: Option<&str>) -> Option<Mac> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let last = path.rsplit('/').next().unwrap_or(path);
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
            .or_else(|| agent.and_then(find_mac))
    }

    pub fn path_vendor(target: &str) -> Option<&'static str> {
        let path = target.split('?').next().unwrap_or(target);
        let last = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        if provpoll::core::vendor::is_yealink_common(&last) {
            return Some("Yealink");
        }
        let mac_after = |prefix: &str| {
            last.strip_prefix(prefix)
                .and_then(|rest| rest.get(..12))
                .is_some_and(|digits| Mac::parse(digits).is_some())
        };
        [
            ("cfg", "Grandstream"),
            ("spa", "Cisco"),
            ("sep", "CiscoEnterprise"),
        ]
        .into_iter()
        .find_map(|(prefix, vendor)| mac_after(prefix).then_some(vendor))
    }
}

fn fields<'a>(r: &Request<'a>) -> model::Fields<'a> {
    (r.address, r.method, r.target, r.status, r.agent)
}

fn vendor_name(target: &str) -> Option<&'static str> {
    use provpoll::core::vendor::Vendor;
    request::path_vendor(target).map(|v| match v {
        Vendor::Yealink => "Yealink",
        Vendor::Grandstream => "Grandstream",
        Vendor::Cisco => "Cisco",
        Vendor::CiscoEnterprise => "CiscoEnterprise",
        other => panic!("a path names no {other:?}"),
    })
}

/// Holds one line against the model: the request, the phone it names, its path's vendor.
fn same_as_the_model(line: &str) -> Result<(), TestCaseError> {
    let ours = request::parse(line);
    // The time is read by the same function: the model asks the parser whether a bracket
    // holds one,
    // parsing it alone (no time holds a `[`: the line's own would be read after it).
    let is_time = |t: &str| {
        !t.contains('[') && request::parse(&format!("a b c [{t}] \"GET / H\" 200 1")).is_some()
    };
    let expected = model::parse(line, is_time);
    prop_assert_eq!(ours.as_ref().map(fields), expected, "{:?}", line);
    if let Some(r) = ours {
        prop_assert_eq!(
            request::mac(&r),
            model::mac(r.target, r.agent),
            "{:?}",
            line
        );
        prop_assert_eq!(
            vendor_name(r.target),
            model::path_vendor(r.target),
            "{:?}",
            line
        );
    }
    Ok(())
}

/// Pieces a hostile line is made of: a request's parts, Unicode whitespace, escapes, brackets,
/// MACs in every form and hex runs around them, a common file, broken UTF-8's replacement.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        " ",
        " ",
        "  ",
        "\t",
        "\u{b}",
        "\u{c}",
        "\r",
        "\u{a0}",
        "\u{3000}",
        "\u{85}",
        "\u{2028}",
        "é",
        "\u{fffd}",
        "[",
        "]",
        "\"",
        "\\",
        "\\\"",
        " \"",
        "-",
        ":",
        "/",
        "?",
        "&",
        "=",
        "10.0.0.7",
        "2001:db8::7",
        "14/Jan/2026:14:07:53 +0100",
        "[14/Jan/2026:14:07:53 +0100]",
        "[14/Jan/2026:14:07:53 +0100] \"",
        "GET",
        "HEAD",
        "PUT",
        "HTTP/1.1",
        "200",
        "304",
        "404",
        "5123",
        "/prov/",
        "snomD785-",
        ".xml",
        "000413A1B2C3",
        "000413a1b2c3",
        "0004134A1B2C3D",
        "00:04:13:a1:b2:c3",
        "00-04-13-A1-B2-C3",
        "00:04-13:A1:B2:C3",
        "000000000000",
        "spa",
        "SPA",
        "cfg",
        "SEP",
        "mac=",
        "MAC=",
        "y000000000028.cfg",
        "abc",
        "f",
        "0",
        "12",
        "Dead",
        "snomD785-SIP 10.1.169.16",
        "Mozilla/4.0 (compatible; ",
        ")",
    ])
}

/// A line as a server writes it, with some of its parts replaced by hostile pieces.
fn line() -> impl Strategy<Value = String> {
    let part = |default: &'static str| {
        prop_oneof![
            3 => Just(default.to_owned()),
            1 => prop::collection::vec(piece(), 0..6).prop_map(|p| p.concat()),
        ]
    };
    (
        part("10.0.0.7 - - "),
        part("[14/Jan/2026:14:07:53 +0100] \""),
        part("GET /prov/snomD785-000413A1B2C3.xml HTTP/1.1"),
        part("\" 200 5123 \"-\" \""),
        part("Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 000413A1B2C3)"),
        part("\""),
    )
        .prop_map(|(a, b, c, d, e, f)| [a, b, c, d, e, f].concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// A line made of a request's parts and hostile pieces reads as the plain reading reads it.
    #[test]
    fn a_line_reads_as_the_plain_reading_reads_it(line in line()) {
        same_as_the_model(&line)?;
    }

    /// So does any jumble of the pieces.
    #[test]
    fn a_jumble_of_pieces_reads_as_the_plain_reading_reads_it(
        pieces in prop::collection::vec(piece(), 0..40),
    ) {
        same_as_the_model(&pieces.concat())?;
    }

    /// A MAC in a user agent is found wherever it stands: after any number of letters,
    /// digits, spaces and separators (the reading skips ahead by its length).
    #[test]
    fn a_mac_is_found_wherever_it_stands_in_an_agent(
        before in "[a-z0-9 :.()-]{0,40}",
        mac in prop::sample::select(vec!["000413A1B2C3", "00:04:13:a1:b2:c3", "00-04-13-A1-B2-C3"]),
        after in "[a-z0-9 :.()-]{0,20}",
    ) {
        let line = format!(
            r#"10.0.0.7 - - [14/Jan/2026:14:07:53 +0100] "GET /prov/general.xml HTTP/1.1" 200 1 "-" "{before}{mac}{after}""#
        );
        same_as_the_model(&line)?;
    }

    /// A line's bytes are its text where they are UTF-8, else the lossy text.
    #[test]
    fn a_lines_text_is_the_lossy_text_of_its_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(read::text(&bytes), String::from_utf8_lossy(&bytes));
    }

    /// MACs sort as their text does (a table of phones, in MAC order, by text).
    #[test]
    fn macs_sort_as_their_text(a in "[0-9A-F]{12}", b in "[0-9A-F]{12}") {
        if let (Some(x), Some(y)) = (Mac::parse(&a), Mac::parse(&b)) {
            prop_assert_eq!(x.cmp(&y), a.cmp(&b));
        }
    }
}

/// Lines worked out by hand where the fast reading could go wrong: a word that ends in a
/// character of Unicode whitespace, an escape before the closing quote, a MAC after a run of
/// 13 digits, a MAC whose separators differ.
#[test]
fn hostile_lines_by_hand() {
    let r = request::parse("a\u{3000}b c d\u{a0}10.0.0.9 - - [14/Jan/2026:14:07:53 +0100] \"GET\u{2028}/x.xml H\" 200\u{85}1").unwrap();
    assert_eq!(
        (r.address, r.method, r.target, r.status),
        ("10.0.0.9", "GET", "/x.xml", 200)
    );
    let r = request::parse(r#"1.2.3.4 - - [14/Jan/2026:14:07:53 +0100] "GET /a\" b HTTP/1.1" 200 1 "-" "x \"y\" 000413A1B2C3""#).unwrap();
    assert_eq!(r.target, "/a\\\"");
    assert_eq!(r.agent, Some(r#"x \"y\" 000413A1B2C3"#));
    assert_eq!(request::mac(&r).as_deref(), Some("000413A1B2C3"));
    let at = |target: &str| {
        let line = format!("1.2.3.4 - - [14/Jan/2026:14:07:53 +0100] \"GET {target} H\" 200 1");
        request::mac(&request::parse(&line).unwrap()).map(|m| m.to_string())
    };
    assert_eq!(
        at("/0004134A1B2C3D-000413A1B2C4.xml").as_deref(),
        Some("000413A1B2C4")
    );
    assert_eq!(at("/00:04:13-a1:b2:c3.xml"), None);
    assert_eq!(
        at("/000000000000-00:04:13:a1:b2:c5.cfg").as_deref(),
        Some("000413A1B2C5")
    );
}
