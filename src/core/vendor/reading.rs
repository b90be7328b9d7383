//! What every vendor's reader gives: the settings a file writes, where, and what is wrong with
//! them; then, for the values a phone ends up with, the [`Plan`] they make.

use crate::core::message::VendorProblem;
use crate::core::plan::Plan;

/// Where a value or a problem is: a file (an index the caller gives: the folder's, or 0 for one
/// file), its line and column, from 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct At {
    pub file: usize,
    pub line: usize,
    pub column: usize,
}

/// One polling setting as a file writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The setting, by the vendor's own name (Yealink's with its `static.` prefix).
    pub key: &'static str,
    /// The name as the file writes it (Yealink's without `static.` on older firmware).
    pub name: String,
    pub value: String,
    pub at: At,
}

/// A problem with a file or a value, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub at: At,
    pub problem: VendorProblem,
}

impl Note {
    /// Whether the phone cannot take it (else it is worth a second look).
    pub fn is_error(&self) -> bool {
        self.problem.is_error()
    }
}

/// One file of a vendor, read: its polling settings in file order, what its reader found
/// wrong, and (Poly's master file) the files it lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VendorFile {
    pub entries: Vec<Entry>,
    pub notes: Vec<Note>,
    /// Poly's `CONFIG_FILES`, in order, as written.
    pub config_files: Vec<String>,
    /// Poly's master file (an `APPLICATION` element).
    pub master: bool,
}

impl VendorFile {
    /// Whether the phone cannot take it at all.
    pub fn is_broken(&self) -> bool {
        self.notes.iter().any(Note::is_error)
    }
}

/// What a phone's settings make it do: the values in effect (each the one that wins by its
/// vendor's rule), the plan, and the problems of the values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    /// In the vendor's order of its settings.
    pub values: Vec<Entry>,
    pub plan: Plan,
    pub notes: Vec<Note>,
    /// Why nothing is predicted though polling is on (a setting whose default is unknown),
    /// when that is so.
    pub untimed: bool,
    /// A file it reads is one the phone cannot take (its markup, a Yealink file without its
    /// first line): what it applied is unknown, so nothing is predicted.
    pub broken: bool,
}

impl Reading {
    /// Its plan, when what the phone does can be told: not with an error, a file the phone
    /// cannot take, or a setting whose default is unknown.
    pub fn plan_if_known(&self) -> Option<Plan> {
        let known = !self.untimed && !self.broken && !self.notes.iter().any(Note::is_error);
        known.then(|| self.plan.clone())
    }

    /// The value in effect for `key`.
    pub fn value(&self, key: &str) -> Option<&Entry> {
        self.values.iter().find(|e| e.key == key)
    }
}

/// The 1-based line and column of byte `at` in `bytes`, in file `file` (once: a reader that
/// asks for many uses a [`Locator`]).
pub fn at(bytes: &[u8], file: usize, offset: usize) -> At {
    Locator::new(bytes, file).at(offset)
}

/// Lines and columns of offsets asked for in increasing order, each byte looked at once (an
/// earlier offset starts again from the top): the work grows with the file, not with how many
/// values it holds.
pub struct Locator<'a> {
    bytes: &'a [u8],
    file: usize,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Locator<'a> {
    pub fn new(bytes: &'a [u8], file: usize) -> Locator<'a> {
        Locator {
            bytes,
            file,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    pub fn at(&mut self, offset: usize) -> At {
        let offset = offset.min(self.bytes.len());
        if offset < self.offset {
            (self.offset, self.line, self.column) = (0, 1, 1);
        }
        for &b in &self.bytes[self.offset..offset] {
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                // A character's first byte (UTF-8's continuation bytes are 10xxxxxx).
                self.column += 1;
            }
        }
        self.offset = offset;
        At {
            file: self.file,
            line: self.line,
            column: self.column,
        }
    }
}

/// The values in effect from `entries` (in the order the vendor's rule ranks them: the first
/// of a key wins), in the order of `keys`. A blank value is no value (**Choice**: templates
/// leave `name =` for the phone's default).
pub fn first_of<'a>(
    keys: &[&'static str],
    entries: impl IntoIterator<Item = &'a Entry>,
) -> Vec<Entry> {
    let mut found: Vec<Option<Entry>> = vec![None; keys.len()];
    for e in entries.into_iter().filter(|e| !e.value.trim().is_empty()) {
        if let Some(i) = keys.iter().position(|&k| k == e.key)
            && found[i].is_none()
        {
            found[i] = Some(e.clone());
        }
    }
    found.into_iter().flatten().collect()
}

/// A whole number in `min..=max` from `e`, or the note that says why not.
pub fn number(e: &Entry, min: i64, max: i64, notes: &mut Vec<Note>) -> Option<i64> {
    let text = e.value.trim();
    let problem = match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => return Some(n),
        Ok(_) => VendorProblem::OutOfRange {
            name: e.name.clone(),
            text: text.to_owned(),
            range: format!("{min}–{max}"),
        },
        Err(_) => VendorProblem::NotNumber {
            name: e.name.clone(),
            text: text.to_owned(),
        },
    };
    notes.push(Note { at: e.at, problem });
    None
}

/// One of `allowed` (compared without case), by its index, or the note that says why not.
pub fn one_of(e: &Entry, allowed: &[&str], notes: &mut Vec<Note>) -> Option<usize> {
    let text = e.value.trim();
    let found = allowed.iter().position(|a| a.eq_ignore_ascii_case(text));
    if found.is_none() {
        notes.push(Note {
            at: e.at,
            problem: VendorProblem::NotOneOf {
                name: e.name.clone(),
                text: text.to_owned(),
                allowed: allowed.join(", "),
            },
        });
    }
    found
}

/// A time of day `hh:mm`, or the note that says why not.
pub fn clock(e: &Entry, notes: &mut Vec<Note>) -> Option<crate::core::settings::ClockTime> {
    let time = crate::core::settings::ClockTime::parse(&e.value);
    if time.is_none() {
        notes.push(Note {
            at: e.at,
            problem: VendorProblem::NotClock {
                name: e.name.clone(),
                text: e.value.trim().to_owned(),
                form: "hh:mm",
            },
        });
    }
    time
}

/// Where each attribute's name begins in a tag's bytes (after its element's name), in order:
/// a name starts after a blank outside a quoted value. One pass over the tag.
fn attribute_names(raw: &[u8]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut quote = None;
    let mut blank = false;
    for (i, &b) in raw.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b.is_ascii_whitespace() => blank = true,
            None => {
                if blank && b != b'=' {
                    starts.push(i);
                }
                blank = false;
            }
        }
    }
    starts
}

/// An element of an XML file: its name, attributes (each with the offset of its name), the
/// text directly inside it, and the offset of its `<`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String, usize)>,
    pub text: String,
    pub offset: usize,
}

/// Every element of `bytes`, in the order they close, or the offset and the reason the markup
/// cannot be read. The work and the memory grow with the file, never with its nesting.
pub fn xml_elements(bytes: &[u8]) -> Result<Vec<Element>, (usize, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut open: Vec<Element> = Vec::new();
    let mut done = Vec::new();
    let mut buf = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| (reader.error_position() as usize, e.to_string()))?;
        match event {
            Event::Start(ref tag) | Event::Empty(ref tag) => {
                let raw: &[u8] = tag.as_ref();
                let mut element = Element {
                    name: String::from_utf8_lossy(tag.name().as_ref()).into_owned(),
                    offset: before,
                    ..Element::default()
                };
                let mut names = attribute_names(raw).into_iter();
                for a in tag.attributes().with_checks(false) {
                    let a = a.map_err(|e| (before, e.to_string()))?;
                    let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                    let value = a
                        .unescape_value()
                        .map_err(|e| (before, e.to_string()))?
                        .into_owned();
                    // `<` then the tag's bytes: the k-th name found is the k-th attribute's.
                    let within = names.next().unwrap_or(0);
                    element.attributes.push((key, value, before + 1 + within));
                }
                if matches!(event, Event::Empty(_)) {
                    done.push(element);
                } else {
                    open.push(element);
                }
            }
            Event::End(_) => {
                if let Some(e) = open.pop() {
                    done.push(e);
                }
            }
            Event::Text(ref text) => {
                if let Some(e) = open.last_mut() {
                    let text = text.decode().map_err(|e| (before, e.to_string()))?;
                    e.text.push_str(&text);
                }
            }
            Event::CData(ref text) => {
                if let Some(e) = open.last_mut() {
                    e.text.push_str(&String::from_utf8_lossy(text));
                }
            }
            Event::GeneralRef(ref name) => {
                if let Some(e) = open.last_mut() {
                    let name = String::from_utf8_lossy(name);
                    let text = quick_xml::escape::unescape(&format!("&{name};"))
                        .map_err(|e| (before, e.to_string()))?
                        .into_owned();
                    e.text.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if let Some(e) = open.last() {
        return Err((e.offset, format!("<{}> is not closed", e.name)));
    }
    Ok(done)
}
