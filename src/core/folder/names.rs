//! What a file's name says it is: a phone's own file (by its MAC), a type's general file, or
//! neither; and the files a `<setting-files>` container lists.

use super::Listed;
use crate::core::file::line_column;
use crate::core::mac::Mac;

/// What a file's name says it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Name<'a> {
    Own {
        mac: Mac,
        model: Option<&'a str>,
        ext: &'a str,
    },
    General {
        model: &'a str,
        ext: &'a str,
    },
}

/// Whether a name ends in one of the settings files' extensions, in any case, or is
/// Grandstream's `cfg<MAC>`, which has none.
pub fn is_settings_name(name: &str) -> bool {
    let extension = name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && ["xml", "htm", "cfg"]
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e))
    });
    extension || prefixed_mac(name, &["cfg"]).is_some()
}

/// The MAC after one of `prefixes` (any case) that is all the rest of `stem`.
fn prefixed_mac(stem: &str, prefixes: &[&str]) -> Option<Mac> {
    prefixes.iter().find_map(|p| {
        let head = stem.get(..p.len())?;
        head.eq_ignore_ascii_case(p)
            .then(|| Mac::parse(stem.get(p.len()..)?))?
    })
}

/// What a file's name says (`shared/domain/provisioning-folder.md`, and for the other
/// vendors `vendors.md`): a phone's own file is `<MAC>.<ext>` or `<type>-<MAC>.<ext>` (snom),
/// `<MAC>-<anything>.cfg` (Poly), `spa<MAC>.xml` (Cisco), `cfg<MAC>` and `cfg<MAC>.xml`
/// (Grandstream), `SEP<MAC>.cnf.xml` (Cisco's enterprise firmware); any other settings name
/// is a general file.
pub(super) fn parse_name(name: &str) -> Option<Name<'_>> {
    if !is_settings_name(name) {
        return None;
    }
    let Some((stem, ext)) = name.rsplit_once('.') else {
        let mac = prefixed_mac(name, &["cfg"])?;
        return Some(Name::Own {
            mac,
            model: None,
            ext: "",
        });
    };
    let bare = stem
        .get(stem.len().saturating_sub(4)..)
        .filter(|tail| tail.eq_ignore_ascii_case(".cnf"))
        .map_or(stem, |_| &stem[..stem.len() - 4]);
    let own = |mac| Name::Own {
        mac,
        model: None,
        ext,
    };
    if let Some(mac) = Mac::parse(bare).or_else(|| prefixed_mac(bare, &["spa", "cfg", "sep"])) {
        return Some(own(mac));
    }
    match stem
        .rsplit_once('-')
        .and_then(|(model, mac)| Some((model, Mac::parse(mac)?)))
    {
        Some((model, mac)) if !model.is_empty() => Some(Name::Own {
            mac,
            model: Some(model),
            ext,
        }),
        _ => match stem.split_once('-').and_then(|(mac, _)| Mac::parse(mac)) {
            Some(mac) if ext.eq_ignore_ascii_case("cfg") => Some(own(mac)),
            _ => Some(Name::General { model: stem, ext }),
        },
    }
}

/// Reads a `<setting-files>` container: the `url` of each `<file>`, with its place. `None`
/// when the root is something else.
pub(super) fn container(bytes: &[u8]) -> Option<Vec<Listed>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::reader::Reader::from_reader(bytes);
    let mut listed = Vec::new();
    let mut depth = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        let (tag, opens) = match reader.read_event().ok()? {
            Event::Start(tag) => (tag, true),
            Event::Empty(tag) => (tag, false),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Eof => return Some(listed),
            _ => continue,
        };
        if depth == 0 && tag.name().as_ref() != b"setting-files" {
            return None;
        }
        if depth == 1 && tag.name().as_ref() == b"file" {
            let url = tag
                .attributes()
                .flatten()
                .find(|a| a.key.as_ref() == b"url")
                .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()));
            if let Some(url) = url {
                let (line, column) = line_column(bytes, before);
                listed.push(Listed { url, line, column });
            }
        }
        if opens {
            depth += 1;
        }
    }
}
