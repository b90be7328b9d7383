//! The app's saved work, as text: the draft for local storage, and the share link.
//!
//! Both are `key=value` pairs with percent-encoded values, so any bytes (an imported file that is
//! not UTF-8, say) survive. Reading is forgiving: unknown keys are ignored, and a damaged value
//! loses only itself. A share link carries the polling settings only, never a file.

use crate::core::settings::{Draft, Key, MISNAMED_TIME_RAND_END};

/// Everything the app keeps over a reload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Saved {
    pub draft: Draft,
    /// The last draft without errors, when `draft` has some.
    pub good: Option<Draft>,
    /// The imported file's name and original bytes.
    pub file: Option<(String, Vec<u8>)>,
    /// The IANA zone the user chose; `None` for the browser's.
    pub zone: Option<String>,
    /// `None` for "now".
    pub t0: Option<String>,
    pub horizon: Option<String>,
    /// The page's language (`en`, `de`) the user chose; `None` for the browser's.
    pub lang: Option<String>,
}

const VERSION: &str = "provpoll-1";

impl Saved {
    pub fn encode(&self) -> String {
        let mut pairs: Vec<(&str, &[u8])> = vec![("v", VERSION.as_bytes())];
        let values = draft_pairs(&self.draft);
        pairs.extend(values.iter().map(|(k, v)| (k.as_str(), v.as_bytes())));
        let good: Vec<(String, String)> = self
            .good
            .as_ref()
            .map(|d| {
                draft_pairs(d)
                    .into_iter()
                    .map(|(k, v)| (format!("good.{k}"), v))
                    .collect()
            })
            .unwrap_or_default();
        pairs.extend(good.iter().map(|(k, v)| (k.as_str(), v.as_bytes())));
        if self.draft.never_update {
            pairs.push(("never_update", b"1"));
        }
        if let Some((name, bytes)) = &self.file {
            pairs.push(("file.name", name.as_bytes()));
            pairs.push(("file.bytes", bytes));
        }
        for (key, value) in [
            ("zone", &self.zone),
            ("t0", &self.t0),
            ("horizon", &self.horizon),
            ("lang", &self.lang),
        ] {
            if let Some(value) = value {
                pairs.push((key, value.as_bytes()));
            }
        }
        join(&pairs, '\n')
    }

    /// Reads what [`Saved::encode`] wrote; `None` if it is not provpoll's.
    pub fn decode(text: &str) -> Option<Saved> {
        let pairs = split(text, '\n');
        if pairs.first().map(|(k, v)| (k.as_str(), v.as_slice())) != Some(("v", VERSION.as_bytes()))
        {
            return None;
        }
        let mut saved = Saved {
            draft: draft_from(&pairs),
            ..Saved::default()
        };
        let text_of = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| String::from_utf8(v.clone()).ok())
        };
        saved.draft.never_update = text_of("never_update").as_deref() == Some("1");
        let good: Vec<(String, Vec<u8>)> = pairs
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("good.")?.to_owned(), v.clone())))
            .collect();
        if !good.is_empty() {
            let mut draft = draft_from(&good);
            draft.never_update = saved.draft.never_update;
            saved.good = Some(draft);
        }
        let bytes = pairs
            .iter()
            .find(|(k, _)| k == "file.bytes")
            .map(|(_, v)| v.clone());
        saved.file = text_of("file.name").zip(bytes);
        saved.zone = text_of("zone");
        saved.t0 = text_of("t0");
        saved.horizon = text_of("horizon");
        saved.lang = text_of("lang");
        Some(saved)
    }
}

/// The first line of a kept file's record ([`encode_file`]).
const FILE_VERSION: &str = "provpoll-file-1";

/// An imported file as kept over a reload: a line naming the format, its name percent-encoded on
/// the next, then `=` and its text as it is (a file of UTF-8: nothing to encode, so megabytes
/// are kept at the speed of a copy), or `%` and its bytes percent-encoded.
pub fn encode_file(name: &str, bytes: &[u8]) -> String {
    let name = encode(name.as_bytes());
    match std::str::from_utf8(bytes) {
        Ok(text) => format!("{FILE_VERSION}\n{name}\n={text}"),
        Err(_) => format!("{FILE_VERSION}\n{name}\n%{}", encode(bytes)),
    }
}

/// The name and bytes [`encode_file`] kept; `None` for another text.
pub fn decode_file(text: &str) -> Option<(String, Vec<u8>)> {
    let (version, rest) = text.split_once('\n')?;
    let (name, body) = rest.split_once('\n')?;
    let name = String::from_utf8(decode(name)?).ok()?;
    let bytes = match body.split_at_checked(1)? {
        ("=", text) => text.as_bytes().to_vec(),
        ("%", encoded) => decode(encoded)?,
        _ => return None,
    };
    (version == FILE_VERSION).then_some((name, bytes))
}

/// The URL fragment (without `#`) that shares the polling settings of `draft`.
pub fn share_fragment(draft: &Draft) -> String {
    let pairs = draft_pairs(draft);
    let pairs: Vec<(&str, &[u8])> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_bytes()))
        .collect();
    join(&pairs, '&')
}

/// The polling settings in a shared fragment; `None` if it holds none.
pub fn from_fragment(fragment: &str) -> Option<Draft> {
    let pairs = split(fragment.trim_start_matches('#'), '&');
    let draft = draft_from(&pairs);
    (draft != Draft::default()).then_some(draft)
}

fn draft_pairs(draft: &Draft) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for key in Key::ALL {
        if let Some(value) = draft.value(key) {
            pairs.push((key.name().to_owned(), value.to_owned()));
        }
        if let Some(perm) = draft.perm(key) {
            pairs.push((format!("perm.{}", key.name()), perm.to_owned()));
        }
    }
    pairs
}

fn draft_from(pairs: &[(String, Vec<u8>)]) -> Draft {
    let mut draft = Draft::default();
    for (name, value) in pairs {
        let Ok(value) = std::str::from_utf8(value) else {
            continue;
        };
        // Bounded, so a hostile link cannot fill the form with megabytes.
        if value.len() > 256 {
            continue;
        }
        if let Some(key) = Key::from_name(name) {
            draft.set_value(key, Some(value));
        } else if let Some(key) = name.strip_prefix("perm.").and_then(Key::from_name) {
            draft.set_perm(key, Some(value));
        }
    }
    draft
}

fn join(pairs: &[(&str, &[u8])], separator: char) -> String {
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(&encode(key.as_bytes()));
        out.push('=');
        out.push_str(&encode(value));
    }
    out
}

fn split(text: &str, separator: char) -> Vec<(String, Vec<u8>)> {
    text.split(separator)
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            let mut key = String::from_utf8(decode(key)?).ok()?;
            // Work saved and links shared before the window's end was renamed name it
            // `prov_polling_time_rand` (also after `perm.` and `good.`): read as the new name.
            if key.ends_with(MISNAMED_TIME_RAND_END) {
                key.push_str("_end");
            }
            Some((key, decode(value)?))
        })
        .collect()
}

/// Percent-encodes every byte but unreserved ASCII (RFC 3986) and `:`, `/`, `+`.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~:/+".contains(&b) {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// The bytes of a percent-encoded text; `None` if an escape is broken.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        let mut d = Draft::default()
            .with(Key::Enabled, "on")
            .with(Key::Mode, "random")
            .with(Key::Time, "9:00 & more=%");
        d.set_perm(Key::Mode, Some(" "));
        d.set_perm(Key::Time, Some(""));
        d
    }

    #[test]
    fn a_kept_file_round_trips_as_text_or_encoded() {
        let xml = "<settings>\n  <a>é &amp; 100%</a>\r\n</settings>\n";
        let kept = encode_file("My file=1.xml", xml.as_bytes());
        // UTF-8 is kept as it is: only the name is encoded.
        assert_eq!(kept, format!("provpoll-file-1\nMy%20file%3D1.xml\n={xml}"));
        let name = "My file=1.xml".to_owned();
        assert_eq!(
            decode_file(&kept),
            Some((name.clone(), xml.as_bytes().to_vec()))
        );
        let latin1 = b"<settings>\xe9\n</settings>";
        let kept = encode_file("a", latin1);
        assert_eq!(
            kept,
            "provpoll-file-1\na\n%%3Csettings%3E%E9%0A%3C/settings%3E"
        );
        assert_eq!(decode_file(&kept), Some(("a".to_owned(), latin1.to_vec())));
        for broken in [
            "",
            "provpoll-file-1\na",
            "provpoll-file-2\na\n=x",
            "provpoll-file-1\na\n%%zz",
            "provpoll-file-1\na\n",
        ] {
            assert_eq!(decode_file(broken), None, "{broken:?}");
        }
    }

    #[test]
    fn saved_work_round_trips_any_bytes() {
        let saved = Saved {
            draft: draft(),
            good: Some(Draft::default().with(Key::Period, "60")),
            file: Some((
                "phone é.xml".into(),
                vec![0, 0xFF, b'\n', b'%', b'&', b'=', 0xE9],
            )),
            zone: Some("America/New_York".into()),
            t0: Some("2026-06-10T12:00:00+02:00".into()),
            horizon: Some("week".into()),
            lang: Some("de".into()),
        };
        let text = saved.encode();
        assert_eq!(text.lines().count(), 13, "{text}");
        assert_eq!(Saved::decode(&text), Some(saved));
    }

    #[test]
    fn the_share_link_holds_the_polling_settings_only() {
        let fragment = share_fragment(&draft());
        assert_eq!(
            fragment,
            "prov_polling_enabled=on&prov_polling_mode=random&perm.prov_polling_mode=%20&prov_polling_time=9:00%20%26%20more%3D%25&perm.prov_polling_time="
        );
        assert_eq!(from_fragment(&format!("#{fragment}")), Some(draft()));
    }

    #[test]
    fn work_saved_under_the_old_name_of_the_window_end_still_loads() {
        let end = Draft::default().with(Key::TimeRandEnd, "04:00");
        let mut with_perm = end.clone();
        with_perm.set_perm(Key::TimeRandEnd, Some("R"));
        assert_eq!(
            from_fragment("#prov_polling_time_rand=04:00&perm.prov_polling_time_rand=R"),
            Some(with_perm)
        );
        // Both names: the later wins, as with any name given twice.
        assert_eq!(
            from_fragment("prov_polling_time_rand=09:10&prov_polling_time_rand_end=04:00"),
            Some(end.clone())
        );
        assert_eq!(
            share_fragment(&end),
            "prov_polling_time_rand_end=04:00",
            "links are written with the new name"
        );
        let saved = Saved::decode(&format!(
            "v={VERSION}\nprov_polling_time_rand=04:00\ngood.prov_polling_time_rand=03:00"
        ))
        .unwrap();
        assert_eq!(saved.draft, end);
        assert_eq!(
            saved.good,
            Some(Draft::default().with(Key::TimeRandEnd, "03:00"))
        );
    }

    #[test]
    fn hostile_text_is_ignored_not_fatal() {
        assert_eq!(Saved::decode(""), None);
        assert_eq!(Saved::decode("v=other"), None);
        assert_eq!(from_fragment("#"), None);
        assert_eq!(from_fragment("x=%ZZ&&=&%=1&user_pass=secret"), None);
        let long = "9".repeat(300);
        assert_eq!(from_fragment(&format!("prov_polling_period={long}")), None);
        assert_eq!(
            from_fragment("prov_polling_period=%&prov_polling_mode=abs"),
            Some(Draft::default().with(Key::Mode, "abs"))
        );
        let saved = Saved::decode("v=provpoll-1\nfile.bytes=%4\nzone=%41sia").unwrap();
        assert_eq!(saved.file, None);
        assert_eq!(saved.zone.as_deref(), Some("Asia"));
    }
}
