//! snom XML settings files, read with quick-xml and edited byte for byte.
//!
//! Reading records where each polling setting stands (byte ranges of its tags, its text and its
//! `perm` value). An edit splices new bytes into exactly those ranges, so everything else in the
//! file (comments, order, indentation, quoting, line endings, escapes, CDATA, other sections,
//! secrets) stays as it was. Nothing is ever expanded: a DOCTYPE is kept and left alone, and an
//! entity other than XML's five in a polling setting is an error.
//!
//! One file per concern: `read` (the reader that records where everything is), `index` (what it
//! recorded as text, for the page), `problems` (what is wrong in a file, each at its place) and
//! `edit` (the splices of an edit).

mod edit;
mod index;
mod problems;
mod read;

use std::fmt;
use std::ops::Range;

use crate::core::check::Issue;
use crate::core::message::Unreadable;
use crate::core::settings::{Draft, Key, MISNAMED_TIME_RAND_END};

/// Something at a place in a file. Lines and columns count from 1; columns count characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At<T> {
    pub line: usize,
    pub column: usize,
    pub what: T,
}

impl<T: fmt::Display> fmt::Display for At<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.what)
    }
}

impl<T: fmt::Display + fmt::Debug> std::error::Error for At<T> {}

/// Why a file cannot be read, and where.
pub type FileError = At<Unreadable>;

/// A warning or error of [`SettingsFile::check`], with where it is.
pub type Located = At<Issue>;

/// A file's edited bytes, and the byte ranges the edit wrote in them (in order).
pub type Edited = (Vec<u8>, Vec<Range<usize>>);

/// An edit as the byte ranges of a file it replaces and their new bytes, in the file's order.
pub type Splices = Vec<(Range<usize>, Vec<u8>)>;

pub use edit::splice;

/// The elements the reader tracks inside `phone-settings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Polling(Key),
    /// [`MISNAMED_TIME_RAND_END`]: no phone reads it, but a file holding it meant the window's
    /// end, so it is warned about and renamed on request.
    Misnamed,
    Timezone,
    UpdatePolicy,
}

impl Field {
    fn from_name(name: &[u8]) -> Option<Field> {
        match name {
            b"timezone" => Some(Field::Timezone),
            b"update_policy" => Some(Field::UpdatePolicy),
            _ if name == MISNAMED_TIME_RAND_END.as_bytes() => Some(Field::Misnamed),
            _ => Key::from_name(std::str::from_utf8(name).ok()?).map(Field::Polling),
        }
    }

    /// The element's name as the file spells it.
    fn name(self) -> &'static str {
        match self {
            Field::Polling(key) => key.name(),
            Field::Misnamed => MISNAMED_TIME_RAND_END,
            Field::Timezone => "timezone",
            Field::UpdatePolicy => "update_policy",
        }
    }
}

/// One occurrence of a tracked setting.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    field: Field,
    /// The whole element, from `<` of the start tag to `>` of the end tag.
    element: Range<usize>,
    start_tag: Range<usize>,
    /// Between the tags; `None` for an empty-element tag `<x/>`.
    content: Option<Range<usize>>,
    value: String,
    perm: Option<PermAttr>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct PermAttr {
    /// The raw value between the quotes.
    value: Range<usize>,
    text: String,
}

/// An element that new settings are inserted into: `phone-settings`, or the `settings` root
/// when the file has no `phone-settings`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Container {
    start_tag: Range<usize>,
    /// `None` for an empty-element tag.
    content: Option<Range<usize>>,
    last_child: Option<Range<usize>>,
}

/// A settings file and where its polling settings stand in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsFile {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    /// The first `phone-settings` section.
    section: Option<Container>,
    /// The root, when it is `settings`.
    settings_root: Option<Container>,
}

impl SettingsFile {
    /// Reads a settings file: `<settings><phone-settings>…` or `<phone-settings>` as the root.
    pub fn parse(bytes: impl Into<Vec<u8>>) -> Result<SettingsFile, FileError> {
        let bytes = bytes.into();
        let mut file = SettingsFile {
            bytes,
            entries: Vec::new(),
            section: None,
            settings_root: None,
        };
        file.index()?;
        Ok(file)
    }

    /// A new file holding the set values and perm flags of `draft`.
    pub fn fresh(draft: &Draft) -> Result<SettingsFile, Vec<Issue>> {
        let mut file = SettingsFile::blank();
        file.apply(draft)?;
        Ok(file)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The polling settings as the file has them; where one appears twice, the last one wins.
    pub fn draft(&self) -> Draft {
        let mut draft = Draft::default();
        for key in Key::ALL {
            if let Some(entry) = self.last(Field::Polling(key)) {
                draft.set_value(key, Some(entry.value.as_str()));
                draft.set_perm(key, entry.perm.as_ref().map(|p| p.text.as_str()));
            }
        }
        draft.never_update = self
            .update_policy()
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("never_update"));
        draft
    }

    /// The phone's `timezone` setting (a vendor code such as `GER+1`), if the file has one.
    pub fn timezone(&self) -> Option<&str> {
        self.last(Field::Timezone).map(|e| e.value.as_str())
    }

    /// Line and column of the `timezone` setting that counts (the last one).
    pub fn timezone_position(&self) -> Option<(usize, usize)> {
        self.last(Field::Timezone)
            .map(|e| line_column(&self.bytes, e.element.start))
    }

    /// Line and column of the `update_policy` setting that counts (the last one).
    pub fn update_position(&self) -> Option<(usize, usize)> {
        self.last(Field::UpdatePolicy)
            .map(|e| line_column(&self.bytes, e.element.start))
    }

    pub fn update_policy(&self) -> Option<&str> {
        self.last(Field::UpdatePolicy).map(|e| e.value.as_str())
    }

    /// Whether the file sets any of the six polling settings.
    pub fn has_polling(&self) -> bool {
        Key::ALL
            .iter()
            .any(|&k| self.last(Field::Polling(k)).is_some())
    }

    /// Line and column of the last misnamed window end ([`MISNAMED_TIME_RAND_END`]), if the
    /// file has one.
    pub fn misnamed_position(&self) -> Option<(usize, usize)> {
        self.last(Field::Misnamed)
            .map(|e| line_column(&self.bytes, e.element.start))
    }

    /// Line and column of the element that gives `key` its value.
    pub fn position(&self, key: Key) -> Option<(usize, usize)> {
        self.last(Field::Polling(key))
            .map(|e| line_column(&self.bytes, e.element.start))
    }

    fn all(&self, field: Field) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.field == field)
    }

    fn last(&self, field: Field) -> Option<&Entry> {
        self.all(field).last()
    }
}

/// 1-based line and column (in characters) of byte offset `at`.
pub fn line_column(bytes: &[u8], at: usize) -> (usize, usize) {
    let at = at.min(bytes.len());
    let before = &bytes[..at];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}
