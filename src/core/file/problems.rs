//! What is wrong in a settings file, each at its place: the polling settings' errors and
//! warnings, a setting given twice, a misnamed window end, and markup a phone rejects.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::{Entry, Field, Located, SettingsFile, line_column};
use crate::core::check::{self, Issue, Report};
use crate::core::message::Problem;
use crate::core::settings::Key;

impl SettingsFile {
    /// Validates the polling settings; every issue carries the place of its setting (of the
    /// `phone-settings` section where it names none, or where the setting is missing).
    pub fn check(&self) -> (Report, Vec<Located>, Vec<Located>) {
        let report = check::validate(&self.draft());
        let fallback = self
            .section
            .as_ref()
            .or(self.settings_root.as_ref())
            .map_or((1, 1), |c| line_column(&self.bytes, c.start_tag.start));
        // A window end the file lacks is told at its misnamed element, where it has one.
        let place = |key: Key| {
            self.position(key).or_else(|| {
                (key == Key::TimeRandEnd)
                    .then(|| self.misnamed_position())
                    .flatten()
            })
        };
        let locate = |issue: &Issue| {
            let (line, column) = issue.key.and_then(place).unwrap_or(fallback);
            Located {
                line,
                column,
                what: issue.clone(),
            }
        };
        let errors = report.errors.iter().map(locate).collect();
        let mut warnings: Vec<Located> = report.warnings.iter().map(locate).collect();
        warnings.extend(self.duplicates());
        warnings.extend(self.misnamed_warnings());
        warnings.sort_by_key(|w| (w.line, w.column));
        (report, errors, warnings)
    }

    /// A warning at each setting that a later one of the same name overrides.
    fn duplicates(&self) -> Vec<Located> {
        let mut out = Vec::new();
        for key in Key::ALL {
            let all: Vec<&Entry> = self.all(Field::Polling(key)).collect();
            if let Some((winner, shadowed)) = all.split_last() {
                let (wl, _) = line_column(&self.bytes, winner.element.start);
                for entry in shadowed {
                    let (line, column) = line_column(&self.bytes, entry.element.start);
                    out.push(Located {
                        line,
                        column,
                        what: Issue {
                            key: Some(key),
                            problem: Problem::Repeated {
                                key,
                                count: all.len(),
                                winner_line: wl,
                            },
                        },
                    });
                }
            }
        }
        out
    }

    /// A warning at each element named `prov_polling_time_rand`, which no phone reads.
    pub fn misnamed_warnings(&self) -> impl Iterator<Item = Located> + '_ {
        self.all(Field::Misnamed).map(|entry| {
            let (line, column) = line_column(&self.bytes, entry.element.start);
            Located {
                line,
                column,
                what: Issue {
                    key: Some(Key::TimeRandEnd),
                    problem: Problem::Misnamed,
                },
            }
        })
    }

    /// Markup a phone rejects that reading the polling settings does not need to look at: in
    /// any tag, an attribute value without quotes, an attribute given twice, an attribute cut
    /// short (a template leftover such as `{if $a == ""}`); anywhere, an entity XML does not
    /// define (`&nbsp;`). Each with its line and column. The command line, the folder's reader
    /// and the page's worker (an imported file's check) ask; the page itself does not carry
    /// this code.
    pub fn markup_problems(&self) -> Vec<Located> {
        let bytes = &self.bytes[..];
        let mut out = Vec::new();
        let mut report = |at: usize, problem: Problem| {
            let (line, column) = line_column(bytes, at);
            out.push(Located {
                line,
                column,
                what: Issue { key: None, problem },
            });
        };
        let mut reader = Reader::from_reader(bytes);
        loop {
            let before = reader.buffer_position() as usize;
            // The file was read once already: it is well-formed as far as the reader checks.
            let Ok(event) = reader.read_event() else {
                break;
            };
            match event {
                Event::Start(ref tag) | Event::Empty(ref tag) => {
                    // Attribute positions count from the byte after `<`.
                    let inner = before + 1;
                    for attr in tag.attributes() {
                        match attr {
                            Ok(attr) => {
                                let offset = (attr.value.as_ptr() as usize)
                                    .checked_sub(bytes.as_ptr() as usize)
                                    .filter(|&o| o <= bytes.len())
                                    .unwrap_or(before);
                                for (at, name) in undefined_references(&attr.value) {
                                    report(offset + at, undefined(name));
                                }
                            }
                            Err(e) => {
                                use quick_xml::events::attributes::AttrError as A;
                                let (at, problem) = match e {
                                    A::UnquotedValue(at) => (at, Problem::UnquotedValue),
                                    A::Duplicated(at, _) => {
                                        let rest = &bytes[(inner + at).min(bytes.len())..];
                                        let end = rest
                                            .iter()
                                            .position(|b| b"= \t\r\n".contains(b))
                                            .unwrap_or(rest.len());
                                        let name =
                                            String::from_utf8_lossy(&rest[..end]).into_owned();
                                        (at, Problem::RepeatedAttribute { name })
                                    }
                                    A::ExpectedEq(at) | A::ExpectedValue(at) => {
                                        (at, Problem::CutShortAttribute)
                                    }
                                    A::ExpectedQuote(at, _) => (at, Problem::UnclosedValue),
                                };
                                report(inner + at, problem);
                            }
                        }
                    }
                }
                Event::GeneralRef(reference) => {
                    let name: &[u8] = &reference;
                    if !defined_reference(name) {
                        report(before, undefined(name));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }
}

/// Whether `&name;` is one of XML's five entities or a character reference.
fn defined_reference(name: &[u8]) -> bool {
    matches!(name, b"amp" | b"lt" | b"gt" | b"quot" | b"apos")
        || (name.first() == Some(&b'#')
            && quick_xml::events::BytesRef::new(String::from_utf8_lossy(name))
                .resolve_char_ref()
                .is_ok_and(|c| c.is_some()))
}

/// The references in an attribute's raw value that XML does not define, with their offsets.
fn undefined_references(value: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(amp) = value[at..].iter().position(|&b| b == b'&') {
        let start = at + amp;
        let name_len = value[start + 1..]
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b"#_-.:".contains(&b)))
            .unwrap_or(value.len() - start - 1);
        let name = &value[start + 1..start + 1 + name_len];
        // A bare `&` (no name, or no `;` after it) is reported with an empty name.
        let closed = value.get(start + 1 + name_len) == Some(&b';');
        if !closed || !defined_reference(name) {
            out.push((start, if closed { name } else { &[][..] }));
        }
        at = start + 1;
    }
    out
}

fn undefined(name: &[u8]) -> Problem {
    if name.is_empty() {
        Problem::BareAmpersand
    } else {
        Problem::UndefinedEntity {
            name: String::from_utf8_lossy(name).into_owned(),
        }
    }
}
