//! Reading a settings file: one pass of quick-xml's reader that records where each tracked
//! setting, the `phone-settings` section and the `settings` root stand.

use std::ops::Range;

use quick_xml::escape::unescape;
use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::reader::Reader;

use super::{Container, Entry, Field, FileError, PermAttr, SettingsFile, line_column};
use crate::core::message::Unreadable;

/// What an element on the reader's stack is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    SettingsRoot,
    Section,
    Tracked,
    Other,
}

struct Open {
    role: Role,
    start_tag: Range<usize>,
    last_child: Option<Range<usize>>,
}

impl SettingsFile {
    /// Reads the file and records where everything is: each event of the reader is one step
    /// of an [`Indexer`].
    pub(super) fn index(&mut self) -> Result<(), FileError> {
        let mut ix = Indexer {
            bytes: &self.bytes,
            stack: Vec::new(),
            found: Found::default(),
            current: None,
            seen_root: false,
        };
        let mut reader = Reader::from_reader(ix.bytes);
        loop {
            let before = reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|e| {
                let detail = xml_error(&e);
                ix.err(
                    reader.error_position() as usize,
                    Unreadable::NotWellFormed { detail },
                )
            })?;
            let after = reader.buffer_position() as usize;
            match event {
                Event::Start(ref tag) => ix.start(tag, before..after, false)?,
                Event::Empty(ref tag) => ix.start(tag, before..after, true)?,
                Event::End(_) => ix.end(before..after)?,
                Event::Text(text) => ix.text(&text, before)?,
                Event::CData(cdata) => {
                    if ix.current.is_some() {
                        let text = cdata.decode();
                        let text = text.map_err(|_| ix.err(before, Unreadable::NotUtf8))?;
                        ix.value(&text);
                    }
                }
                Event::GeneralRef(reference) => ix.reference(&reference, before)?,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => break,
            }
        }
        let found = ix.finish()?;
        self.entries = found.entries;
        self.section = found.section;
        self.settings_root = found.settings_root;
        Ok(())
    }
}

/// The reader's state while it reads a file.
struct Indexer<'a> {
    bytes: &'a [u8],
    /// The elements open now, the root first.
    stack: Vec<Open>,
    found: Found,
    /// The tracked setting being read.
    current: Option<Entry>,
    seen_root: bool,
}

impl Indexer<'_> {
    fn err(&self, at: usize, problem: Unreadable) -> FileError {
        let (line, column) = line_column(self.bytes, at);
        FileError {
            line,
            column,
            what: problem,
        }
    }

    /// A start tag (or an empty-element tag) at `tag_at`.
    fn start(
        &mut self,
        tag: &BytesStart,
        tag_at: Range<usize>,
        empty: bool,
    ) -> Result<(), FileError> {
        let name = tag.name();
        let role = self.role(name.as_ref(), tag_at.start)?;
        if let Some(parent) = self.stack.last_mut() {
            parent.last_child = Some(tag_at.clone());
        }
        if role == Role::Tracked {
            let field = Field::from_name(name.as_ref()).expect("checked by role");
            let perm = perm_attr(self.bytes, tag).map_err(|m| self.err(tag_at.start, m))?;
            self.current = Some(Entry {
                field,
                element: tag_at.clone(),
                start_tag: tag_at.clone(),
                content: None,
                value: String::new(),
                perm,
            });
        }
        let open = Open {
            role,
            start_tag: tag_at.clone(),
            last_child: None,
        };
        if empty {
            let entry = self.current.take();
            self.found
                .close(open, None, tag_at.end, entry, &mut self.stack);
        } else {
            self.stack.push(open);
        }
        Ok(())
    }

    /// What an element named `name` is, where it stands; a second root, another root than a
    /// settings file's, or an element inside a tracked setting is an error.
    fn role(&mut self, name: &[u8], at: usize) -> Result<Role, FileError> {
        let named = || String::from_utf8_lossy(name).into_owned();
        let Some(parent) = self.stack.last() else {
            if self.seen_root {
                return Err(self.err(at, Unreadable::SecondRoot));
            }
            self.seen_root = true;
            return match name {
                b"settings" => Ok(Role::SettingsRoot),
                b"phone-settings" => Ok(Role::Section),
                _ => Err(self.err(at, Unreadable::NotSettingsRoot { name: named() })),
            };
        };
        Ok(match parent.role {
            Role::SettingsRoot if name == b"phone-settings" => Role::Section,
            Role::Section if Field::from_name(name).is_some() => Role::Tracked,
            Role::Tracked => {
                return Err(self.err(at, Unreadable::ElementInSetting { name: named() }));
            }
            _ => Role::Other,
        })
    }

    /// An end tag at `tag_at`.
    fn end(&mut self, tag_at: Range<usize>) -> Result<(), FileError> {
        let Some(open) = self.stack.pop() else {
            return Err(self.err(tag_at.start, Unreadable::EndWithoutStart));
        };
        let content = open.start_tag.end..tag_at.start;
        let entry = if open.role == Role::Tracked {
            self.current.take()
        } else {
            None
        };
        self.found
            .close(open, Some(content), tag_at.end, entry, &mut self.stack);
        Ok(())
    }

    /// Text at `at`: part of a tracked setting's value (UTF-8), or blanks (a byte order mark
    /// too) outside the root; any other text is left as it is.
    fn text(&mut self, text: &BytesText, at: usize) -> Result<(), FileError> {
        if self.current.is_some() {
            let text = text
                .decode()
                .map_err(|_| self.err(at, Unreadable::NotUtf8))?;
            self.value(&text);
        } else if self.stack.is_empty()
            && text
                .iter()
                .any(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
        {
            return Err(self.err(at, Unreadable::TextOutsideRoot));
        }
        Ok(())
    }

    /// More of the tracked setting's value.
    fn value(&mut self, text: &str) {
        if let Some(entry) = self.current.as_mut() {
            entry.value.push_str(text);
        }
    }

    /// A reference `&name;` at `at`: in a tracked setting, one of XML's five or a character;
    /// provpoll never expands another.
    fn reference(&mut self, reference: &BytesRef, at: usize) -> Result<(), FileError> {
        if self.stack.is_empty() {
            return Err(self.err(at, Unreadable::TextOutsideRoot));
        }
        if self.current.is_none() {
            return Ok(());
        }
        let name: &[u8] = reference;
        let resolved = match reference.resolve_char_ref() {
            Ok(Some(c)) => Some(c),
            Ok(None) => match name {
                b"amp" => Some('&'),
                b"lt" => Some('<'),
                b"gt" => Some('>'),
                b"quot" => Some('"'),
                b"apos" => Some('\''),
                _ => None,
            },
            Err(_) => None,
        };
        let Some(c) = resolved else {
            let name = String::from_utf8_lossy(name).into_owned();
            return Err(self.err(at, Unreadable::ForeignReference { name }));
        };
        if let Some(entry) = self.current.as_mut() {
            entry.value.push(c);
        }
        Ok(())
    }

    /// What was found, once the reader is at the end: every element closed, a root seen.
    fn finish(self) -> Result<Found, FileError> {
        if let Some(open) = self.stack.last() {
            return Err(self.err(open.start_tag.start, Unreadable::Unclosed));
        }
        if !self.seen_root {
            return Err(self.err(self.bytes.len(), Unreadable::NoRoot));
        }
        Ok(self.found)
    }
}

/// What the reader has found so far.
#[derive(Default)]
struct Found {
    entries: Vec<Entry>,
    section: Option<Container>,
    settings_root: Option<Container>,
}

impl Found {
    /// Records an element that just closed (`content` is `None` for `<x/>`); `entry` is the
    /// tracked setting it ends, if it is one.
    fn close(
        &mut self,
        open: Open,
        content: Option<Range<usize>>,
        end: usize,
        entry: Option<Entry>,
        stack: &mut [Open],
    ) {
        let container = || Container {
            start_tag: open.start_tag.clone(),
            content: content.clone(),
            last_child: open.last_child.clone(),
        };
        match open.role {
            Role::Tracked => {
                if let Some(mut entry) = entry {
                    entry.element = open.start_tag.start..end;
                    entry.content = content.clone();
                    self.entries.push(entry);
                }
            }
            Role::Section if self.section.is_none() => self.section = Some(container()),
            Role::SettingsRoot => self.settings_root = Some(container()),
            _ => {}
        }
        if let Some(parent) = stack.last_mut() {
            parent.last_child = Some(open.start_tag.start..end);
        }
    }
}

/// quick-xml's own words for what it could not read. Only syntax and well-formedness errors can
/// come from reading a byte slice; naming the others would bring every I/O and namespace message
/// into the bundle.
fn xml_error(e: &quick_xml::Error) -> String {
    match e {
        quick_xml::Error::Syntax(e) => format!("syntax error: {e}"),
        quick_xml::Error::IllFormed(e) => format!("ill-formed document: {e}"),
        _ => "the reader could not go on".to_owned(),
    }
}

/// The `perm` attribute of a start tag, with the byte range of its raw value in the file.
fn perm_attr(file: &[u8], tag: &BytesStart) -> Result<Option<PermAttr>, Unreadable> {
    let mut perm = None;
    // Every attribute is read, so a malformed or repeated one is reported.
    for attr in tag.attributes() {
        let attr = attr.map_err(|e| Unreadable::MalformedAttribute {
            detail: e.to_string(),
        })?;
        if attr.key.as_ref() != b"perm" {
            continue;
        }
        let raw: &[u8] = &attr.value;
        // The reader borrows from the file, so the value's place is its offset in it.
        let start = (raw.as_ptr() as usize)
            .checked_sub(file.as_ptr() as usize)
            .filter(|&s| s > 0 && s + raw.len() <= file.len())
            .ok_or(Unreadable::PermNotLocated)?;
        let text = std::str::from_utf8(raw).map_err(|_| Unreadable::PermNotUtf8)?;
        let text = unescape(text).map_err(|e| Unreadable::PermEscape {
            detail: e.to_string(),
        })?;
        perm = Some(PermAttr {
            value: start..start + raw.len(),
            text: text.into_owned(),
        });
    }
    Ok(perm)
}
