//! A read file's index as text, so the file is read where reading costs the page nothing (the
//! worker) and edited where it is shown (the page), which then never carries the reader.
//!
//! The text is the index's numbers, comma-separated, a `;`, then its strings one after another,
//! each number of bytes long as the numbers say. Absent ranges are `-`.

use std::fmt::Write;
use std::ops::Range;

use super::{Container, Entry, Field, PermAttr, SettingsFile};
use crate::core::settings::Key;

const SKELETON: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<settings>\n  <phone-settings e=\"2\">\n  </phone-settings>\n</settings>\n";

impl SettingsFile {
    /// The file [`SettingsFile::fresh`] starts from: a settings file with no settings, its
    /// index written out (what reading the skeleton gives, as a test holds).
    pub fn blank() -> SettingsFile {
        let at = |s: &str| SKELETON.find(s).unwrap_or(0);
        let (root, root_tag) = (at("<settings>"), "<settings>".len());
        let (section, section_tag) = (at("<phone-settings"), "<phone-settings e=\"2\">".len());
        let end = at("</phone-settings>");
        let section_tag = section..section + section_tag;
        SettingsFile {
            bytes: SKELETON.into(),
            entries: Vec::new(),
            section: Some(Container {
                start_tag: section_tag.clone(),
                content: Some(section_tag.end..end),
                last_child: None,
            }),
            settings_root: Some(Container {
                start_tag: root..root + root_tag,
                content: Some(root + root_tag..at("</settings>")),
                last_child: Some(section..end + "</phone-settings>".len()),
            }),
        }
    }

    /// The index as text, for [`SettingsFile::with_index`].
    pub fn index_text(&self) -> String {
        let mut n = String::new();
        let mut strings = String::new();
        for container in [&self.section, &self.settings_root] {
            let c = container.as_ref();
            push_range(&mut n, c.map(|c| &c.start_tag));
            push_range(&mut n, c.and_then(|c| c.content.as_ref()));
            push_range(&mut n, c.and_then(|c| c.last_child.as_ref()));
        }
        for e in &self.entries {
            push_range(&mut n, Some(&e.element));
            push_range(&mut n, Some(&e.start_tag));
            push_range(&mut n, e.content.as_ref());
            push_range(&mut n, e.perm.as_ref().map(|p| &p.value));
            let text = e.perm.as_ref().map_or("", |p| p.text.as_str());
            let code = field_code(e.field);
            let _ = write!(n, "{code},{},{},", e.value.len(), text.len());
            strings.push_str(&e.value);
            strings.push_str(text);
        }
        n.pop();
        format!("{n};{strings}")
    }

    /// The file `bytes` with the index [`SettingsFile::index_text`] wrote for it; `None` if the
    /// text is not such an index or a range lies outside the bytes.
    pub fn with_index(bytes: Vec<u8>, text: &str) -> Option<SettingsFile> {
        let (numbers, mut strings) = text.split_once(';')?;
        let numbers: Vec<Option<usize>> = numbers
            .split(',')
            .map(|n| {
                if n == "-" {
                    Ok(None)
                } else {
                    n.parse().map(Some)
                }
            })
            .collect::<Result<_, _>>()
            .ok()?;
        let mut at = numbers.iter().copied();
        let len = bytes.len();
        let range = |at: &mut dyn Iterator<Item = Option<usize>>| match (at.next()?, at.next()?) {
            (Some(a), Some(b)) if a <= b && b <= len => Some(Some(a..b)),
            (None, None) => Some(None),
            _ => None,
        };
        let mut containers = [None, None];
        for slot in &mut containers {
            let (start_tag, content, last_child) =
                (range(&mut at)?, range(&mut at)?, range(&mut at)?);
            *slot = start_tag.map(|start_tag| Container {
                start_tag,
                content,
                last_child,
            });
        }
        let mut entries = Vec::new();
        while let Some(element) = range(&mut at) {
            let (element, start_tag) = (element?, range(&mut at)??);
            let (content, perm) = (range(&mut at)?, range(&mut at)?);
            let (field, value_len, perm_len) = (at.next()??, at.next()??, at.next()??);
            let mut take = |n: usize| -> Option<String> {
                let (s, rest) = (strings.get(..n)?, strings.get(n..)?);
                strings = rest;
                Some(s.to_owned())
            };
            let (value, text) = (take(value_len)?, take(perm_len)?);
            entries.push(Entry {
                field: field_of(field)?,
                element,
                start_tag,
                content,
                value,
                perm: perm.map(|value| PermAttr { value, text }),
            });
        }
        let [section, settings_root] = containers;
        let whole = strings.is_empty() && at.next().is_none();
        (whole && (section.is_some() || settings_root.is_some())).then_some(SettingsFile {
            bytes,
            entries,
            section,
            settings_root,
        })
    }
}

/// A field as a number: the polling keys in [`Key::ALL`]'s order, then the other three.
fn field_code(field: Field) -> usize {
    match field {
        Field::Polling(key) => Key::ALL.iter().position(|&k| k == key).unwrap_or(0),
        Field::Misnamed => 6,
        Field::Timezone => 7,
        Field::UpdatePolicy => 8,
    }
}

fn field_of(code: usize) -> Option<Field> {
    Some(match code {
        6 => Field::Misnamed,
        7 => Field::Timezone,
        8 => Field::UpdatePolicy,
        _ => Field::Polling(*Key::ALL.get(code)?),
    })
}

fn push_range(out: &mut String, r: Option<&Range<usize>>) {
    let _ = match r {
        Some(r) => write!(out, "{},{},", r.start, r.end),
        None => write!(out, "-,-,"),
    };
}
