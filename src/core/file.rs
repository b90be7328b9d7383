//! snom XML settings files, read with quick-xml and edited byte for byte.
//!
//! Reading records where each polling setting stands (byte ranges of its tags, its text and its
//! `perm` value). An edit splices new bytes into exactly those ranges, so everything else in the
//! file (comments, order, indentation, quoting, line endings, escapes, CDATA, other sections,
//! secrets) stays as it was. Nothing is ever expanded: a DOCTYPE is kept and left alone, and an
//! entity other than XML's five in a polling setting is an error.

use std::fmt;
use std::ops::Range;

use quick_xml::escape::{escape, unescape};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::core::check;
use crate::core::check::{Issue, Report};
use crate::core::message::{Problem, Unreadable};
use crate::core::settings::{Draft, Key, MISNAMED_TIME_RAND_END, Perm};

/// A problem at a place in a file. Lines and columns count from 1; columns count characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub line: usize,
    pub column: usize,
    pub problem: Unreadable,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.problem)
    }
}

impl std::error::Error for FileError {}

/// A file's edited bytes, and the byte ranges the edit wrote in them (in order).
pub type Edited = (Vec<u8>, Vec<Range<usize>>);

/// A warning or error of [`SettingsFile::check`], with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub issue: Issue,
}

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

const SKELETON: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<settings>\n  <phone-settings e=\"2\">\n  </phone-settings>\n</settings>\n";

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

    /// The file [`SettingsFile::fresh`] starts from: a settings file with no settings.
    pub fn blank() -> SettingsFile {
        SettingsFile::parse(SKELETON).expect("the skeleton is a settings file")
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

    /// The misnamed window end that an edit of the window's end renames: the last one, where
    /// the file has no `prov_polling_time_rand_end` of its own (renaming would shadow that).
    fn renamable(&self) -> Option<&Entry> {
        self.last(Field::Polling(Key::TimeRandEnd))
            .is_none()
            .then(|| self.last(Field::Misnamed))
            .flatten()
    }

    /// The value and perm flag of the misnamed window end that setting the window's end would
    /// rename ([`SettingsFile::renames_misnamed`]), where it holds a value: a draft that sets
    /// the window's end to them renames that element and changes nothing else.
    pub fn misnamed(&self) -> Option<(&str, Option<&str>)> {
        let entry = self.renamable().filter(|e| !e.value.trim().is_empty())?;
        Some((&entry.value, entry.perm.as_ref().map(|p| p.text.as_str())))
    }

    /// Whether [`SettingsFile::edited`] with `draft` renames the misnamed window end (it sets
    /// the window's end where only the misnamed element stands), and where that element is.
    pub fn renames_misnamed(&self, draft: &Draft) -> Option<(usize, usize)> {
        let sets_end = draft
            .value(Key::TimeRandEnd)
            .is_some_and(|v| !v.trim().is_empty());
        self.renamable()
            .filter(|_| sets_end)
            .map(|e| line_column(&self.bytes, e.element.start))
    }

    /// Line and column of the element that gives `key` its value.
    pub fn position(&self, key: Key) -> Option<(usize, usize)> {
        self.last(Field::Polling(key))
            .map(|e| line_column(&self.bytes, e.element.start))
    }

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
                issue: issue.clone(),
            }
        };
        let errors = report.errors.iter().map(locate).collect();
        let mut warnings: Vec<Located> = report.warnings.iter().map(locate).collect();
        warnings.extend(self.duplicates());
        warnings.extend(self.all(Field::Misnamed).map(|entry| {
            let (line, column) = line_column(&self.bytes, entry.element.start);
            Located {
                line,
                column,
                issue: Issue {
                    key: Some(Key::TimeRandEnd),
                    problem: Problem::Misnamed,
                },
            }
        }));
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
                        issue: Issue {
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

    /// Writes every value and perm flag that `draft` sets, in canonical form, leaving settings
    /// it does not set alone. A value that already means the same (`ON` for `on`) is not
    /// touched. On an invalid draft nothing changes and every error is returned.
    pub fn apply(&mut self, draft: &Draft) -> Result<(), Vec<Issue>> {
        self.apply_marked(draft).map(|_| ())
    }

    /// [`SettingsFile::apply`], returning the byte ranges of the new file that the edit wrote
    /// (in order), so a view can mark the lines it changed.
    pub fn apply_marked(&mut self, draft: &Draft) -> Result<Vec<Range<usize>>, Vec<Issue>> {
        let (out, written) = self.edited(draft)?;
        if written.is_empty() {
            return Ok(written);
        }
        let previous = std::mem::replace(&mut self.bytes, out);
        if let Err(e) = self.index() {
            // Cannot happen for canonical values; keep the user's file intact if it does.
            self.bytes = previous;
            self.index().expect("the previous file was readable");
            return Err(vec![Issue {
                key: None,
                problem: Problem::Internal {
                    reason: e.to_string(),
                },
            }]);
        }
        Ok(written)
    }

    /// The bytes that [`SettingsFile::apply_marked`] gives the file, and the ranges it writes,
    /// without reading the result again: a preview that follows every keystroke needs no more.
    pub fn edited(&self, draft: &Draft) -> Result<Edited, Vec<Issue>> {
        let report = check::validate(draft);
        if !report.errors.is_empty() {
            return Err(report.errors);
        }
        Ok(self.edited_valid(draft))
    }

    /// [`SettingsFile::edited`] for a draft that [`check::validate`] has passed: the app
    /// validates each edit once, in its state, and previews it with this. (Only the crate may
    /// skip the check: a value that is not valid would be silently left as the file has it.)
    pub(crate) fn edited_valid(&self, draft: &Draft) -> Edited {
        let mut splices: Vec<(Range<usize>, Vec<u8>)> = Vec::new();
        let mut missing = Vec::new();
        for key in Key::ALL {
            let value = draft
                .value(key)
                .filter(|v| !v.trim().is_empty())
                .and_then(|v| check::canonical_value(key, v));
            let perm = draft.perm(key).and_then(Perm::parse);
            match self.last(Field::Polling(key)) {
                Some(entry) => splices.extend(self.edit_entry(entry, key, value, perm)),
                // The window's end where only its misnamed element stands: that element was
                // meant to be it, so it is renamed and given the value.
                None if key == Key::TimeRandEnd
                    && value.is_some()
                    && let Some(entry) = self.renamable() =>
                {
                    splices.extend(rename_splices(entry));
                    splices.extend(self.edit_entry(entry, key, value, perm));
                }
                None if value.is_some() => {
                    missing.push(element(key, value, perm, attribute_quote(&self.bytes)));
                }
                None => {}
            }
        }
        if !missing.is_empty() {
            splices.push(self.insertion(&missing));
        }
        splice(&self.bytes, splices)
    }

    /// The splices that give `entry` the new value and perm flag (none where they mean the same).
    fn edit_entry(
        &self,
        entry: &Entry,
        key: Key,
        value: Option<String>,
        perm: Option<Perm>,
    ) -> Vec<(Range<usize>, Vec<u8>)> {
        let mut out = Vec::new();
        if let Some(perm) = perm {
            match &entry.perm {
                Some(attr) if Perm::parse(&attr.text) == Some(perm) => {}
                // XML's escapes suit either quote.
                Some(attr) => out.push((
                    attr.value.clone(),
                    escape(perm.as_str()).into_owned().into(),
                )),
                None => {
                    // Right after the element name (as the file spells it).
                    let at = entry.start_tag.start + 1 + entry.field.name().len();
                    let quote = attribute_quote(&self.bytes);
                    out.push((
                        at..at,
                        format!(" perm={}", quoted(perm, quote)).into_bytes(),
                    ));
                }
            }
        }
        if let Some(value) = value
            && check::canonical_value(key, &entry.value).as_deref() != Some(value.as_str())
        {
            let text = escape(value.as_str()).into_owned();
            match &entry.content {
                Some(range) => out.push((range.clone(), text.into_bytes())),
                None => {
                    // `<x …/>` becomes `<x …>value</x>`.
                    let end = entry.start_tag.end;
                    let tail = format!(">{text}</{}>", key.name());
                    out.push((end - 2..end, tail.into_bytes()));
                }
            }
        }
        out
    }

    /// One splice that inserts `elements` as new children of `phone-settings` (creating that
    /// section in a `settings` root that lacks it), indented and ended like their neighbours.
    fn insertion(&self, elements: &[String]) -> (Range<usize>, Vec<u8>) {
        let eol = self.line_ending();
        match (&self.section, &self.settings_root) {
            (Some(section), _) => {
                let anchor = self
                    .entries
                    .iter()
                    .filter(|e| matches!(e.field, Field::Polling(_)))
                    .filter(|e| within(&e.element, section))
                    .map(|e| e.element.clone())
                    .max_by_key(|r| r.start)
                    .or_else(|| section.last_child.clone());
                self.insert_children(section, anchor, "phone-settings", eol, |_| {
                    elements.to_vec()
                })
            }
            (None, Some(root)) => {
                self.insert_children(root, root.last_child.clone(), "settings", eol, |indent| {
                    let unit = if indent.is_empty() { "  " } else { indent };
                    let mut section = String::from("<phone-settings e=\"2\">");
                    for element in elements {
                        section.push_str(&format!("{eol}{indent}{unit}{element}"));
                    }
                    section.push_str(&format!("{eol}{indent}</phone-settings>"));
                    vec![section]
                })
            }
            (None, None) => unreachable!("index() accepts only files with one of the two roots"),
        }
    }

    /// Inserts children after `anchor` (a child element) or into an empty `container`.
    /// `children` gets the indentation of a child and returns the texts to insert.
    fn insert_children(
        &self,
        container: &Container,
        anchor: Option<Range<usize>>,
        name: &str,
        eol: &str,
        children: impl Fn(&str) -> Vec<String>,
    ) -> (Range<usize>, Vec<u8>) {
        let single_line = !self.bytes.contains(&b'\n');
        if let Some(anchor) = anchor {
            let indent = line_indent(&self.bytes, anchor.start);
            let separator = match indent {
                Some(indent) if !single_line => format!("{eol}{indent}"),
                _ => String::new(),
            };
            let texts = children(indent.unwrap_or(""));
            let text: String = texts.iter().map(|t| format!("{separator}{t}")).collect();
            let at = if separator.is_empty() {
                anchor.end
            } else {
                after_line(&self.bytes, anchor.end)
            };
            return (at..at, text.into_bytes());
        }
        let outer = line_indent(&self.bytes, container.start_tag.start).unwrap_or("");
        // The indentation of a comment already inside, else one level more than the container.
        let inner = container
            .content
            .as_ref()
            .and_then(|c| content_indent(&self.bytes[c.clone()]))
            .map(str::to_owned)
            .unwrap_or_else(|| {
                if outer.is_empty() {
                    "  ".to_owned()
                } else if outer.starts_with('\t') {
                    format!("{outer}\t")
                } else {
                    format!("{outer}{outer}")
                }
            });
        let (separator, closing) = if single_line {
            (String::new(), String::new())
        } else {
            (format!("{eol}{inner}"), format!("{eol}{outer}"))
        };
        let mut text: String = children(&inner)
            .iter()
            .map(|t| format!("{separator}{t}"))
            .collect();
        match &container.content {
            Some(content) => {
                // After the last non-blank byte (a comment, say); the blank run that follows
                // still leads to the end tag, or a line break is added for it.
                let body = &self.bytes[content.clone()];
                let kept = body
                    .iter()
                    .rposition(|b| !b.is_ascii_whitespace())
                    .map_or(0, |i| i + 1);
                if !body[kept..].contains(&b'\n') {
                    text.push_str(&closing);
                }
                let at = content.start + kept;
                (at..at, text.into_bytes())
            }
            None => {
                let end = container.start_tag.end;
                text.push_str(&format!("{closing}</{name}>"));
                (end - 2..end, format!(">{text}").into_bytes())
            }
        }
    }

    /// The file's line ending: that of its first line, LF in a file of one line.
    fn line_ending(&self) -> &'static str {
        match self.bytes.iter().position(|&b| b == b'\n') {
            Some(i) if i > 0 && self.bytes[i - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    fn all(&self, field: Field) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.field == field)
    }

    fn last(&self, field: Field) -> Option<&Entry> {
        self.all(field).last()
    }

    /// Markup a phone rejects that reading the polling settings does not need to look at: in
    /// any tag, an attribute value without quotes, an attribute given twice, an attribute cut
    /// short (a template leftover such as `{if $a == ""}`); anywhere, an entity XML does not
    /// define (`&nbsp;`). Each with its line and column. Only the command line asks: the page
    /// does not carry this code.
    pub fn markup_problems(&self) -> Vec<Located> {
        let bytes = &self.bytes[..];
        let mut out = Vec::new();
        let mut report = |at: usize, problem: Problem| {
            let (line, column) = line_column(bytes, at);
            out.push(Located {
                line,
                column,
                issue: Issue { key: None, problem },
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

    /// Reads the file and records where everything is.
    fn index(&mut self) -> Result<(), FileError> {
        let bytes = &self.bytes[..];
        let err = |at: usize, problem: Unreadable| {
            let (line, column) = line_column(bytes, at);
            FileError {
                line,
                column,
                problem,
            }
        };
        let mut reader = Reader::from_reader(bytes);
        let mut stack: Vec<Open> = Vec::new();
        let mut found = Found::default();
        let mut current: Option<Entry> = None;
        let mut seen_root = false;

        loop {
            let before = reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|e| {
                err(
                    reader.error_position() as usize,
                    Unreadable::NotWellFormed {
                        detail: xml_error(&e),
                    },
                )
            })?;
            let after = reader.buffer_position() as usize;
            match event {
                Event::Start(ref tag) | Event::Empty(ref tag) => {
                    let empty = matches!(event, Event::Empty(_));
                    let name = tag.name();
                    let name = name.as_ref();
                    let role = match stack.last() {
                        None if seen_root => {
                            return Err(err(before, Unreadable::SecondRoot));
                        }
                        None => {
                            seen_root = true;
                            match name {
                                b"settings" => Role::SettingsRoot,
                                b"phone-settings" => Role::Section,
                                _ => {
                                    return Err(err(
                                        before,
                                        Unreadable::NotSettingsRoot {
                                            name: String::from_utf8_lossy(name).into_owned(),
                                        },
                                    ));
                                }
                            }
                        }
                        Some(parent) => match parent.role {
                            Role::SettingsRoot if name == b"phone-settings" => Role::Section,
                            Role::Section if Field::from_name(name).is_some() => Role::Tracked,
                            Role::Tracked => {
                                return Err(err(
                                    before,
                                    Unreadable::ElementInSetting {
                                        name: String::from_utf8_lossy(name).into_owned(),
                                    },
                                ));
                            }
                            _ => Role::Other,
                        },
                    };
                    if let Some(parent) = stack.last_mut() {
                        parent.last_child = Some(before..after);
                    }
                    if role == Role::Tracked {
                        let field = Field::from_name(name).expect("checked above");
                        current = Some(Entry {
                            field,
                            element: before..after,
                            start_tag: before..after,
                            content: None,
                            value: String::new(),
                            perm: perm_attr(bytes, tag).map_err(|m| err(before, m))?,
                        });
                    }
                    let open = Open {
                        role,
                        start_tag: before..after,
                        last_child: None,
                    };
                    if empty {
                        found.close(open, None, after, current.take(), &mut stack);
                    } else {
                        stack.push(open);
                    }
                }
                Event::End(_) => {
                    let Some(open) = stack.pop() else {
                        return Err(err(before, Unreadable::EndWithoutStart));
                    };
                    let content = open.start_tag.end..before;
                    let entry = if open.role == Role::Tracked {
                        current.take()
                    } else {
                        None
                    };
                    found.close(open, Some(content), after, entry, &mut stack);
                }
                Event::Text(text) => {
                    if let Some(entry) = current.as_mut() {
                        let text = text
                            .decode()
                            .map_err(|_| err(before, Unreadable::NotUtf8))?;
                        entry.value.push_str(&text);
                    } else if stack.is_empty()
                        && text
                            .iter()
                            .any(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF))
                    {
                        return Err(err(before, Unreadable::TextOutsideRoot));
                    }
                }
                Event::CData(cdata) => {
                    if let Some(entry) = current.as_mut() {
                        let text = cdata
                            .decode()
                            .map_err(|_| err(before, Unreadable::NotUtf8))?;
                        entry.value.push_str(&text);
                    }
                }
                Event::GeneralRef(reference) => {
                    if stack.is_empty() {
                        return Err(err(before, Unreadable::TextOutsideRoot));
                    }
                    if let Some(entry) = current.as_mut() {
                        let name: &[u8] = &reference;
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
                            return Err(err(
                                before,
                                Unreadable::ForeignReference {
                                    name: String::from_utf8_lossy(name).into_owned(),
                                },
                            ));
                        };
                        entry.value.push(c);
                    }
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => break,
            }
        }
        if let Some(open) = stack.last() {
            return Err(err(open.start_tag.start, Unreadable::Unclosed));
        }
        if !seen_root {
            return Err(err(bytes.len(), Unreadable::NoRoot));
        }
        self.entries = found.entries;
        self.section = found.section;
        self.settings_root = found.settings_root;
        Ok(())
    }
}

/// `bytes` with each range replaced (ranges that do not overlap, in any order), and the ranges
/// the replacements take in the result, in order.
fn splice(bytes: &[u8], mut splices: Vec<(Range<usize>, Vec<u8>)>) -> Edited {
    if splices.is_empty() {
        return (bytes.to_vec(), Vec::new());
    }
    // A handful at most: an insertion sort keeps the bundle free of the general sort.
    for i in 1..splices.len() {
        let mut j = i;
        while j > 0 && splices[j - 1].0.start > splices[j].0.start {
            splices.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut out = Vec::with_capacity(bytes.len() + 256);
    let mut written = Vec::with_capacity(splices.len());
    let mut at = 0;
    for (range, replacement) in splices {
        out.extend_from_slice(&bytes[at..range.start]);
        written.push(out.len()..out.len() + replacement.len());
        out.extend_from_slice(&replacement);
        at = range.end;
    }
    out.extend_from_slice(&bytes[at..]);
    (out, written)
}

/// The splices that rename a misnamed window end: the name in its start tag and, unless it is
/// an empty-element tag, in its end tag (`</name` follows the content at once).
fn rename_splices(entry: &Entry) -> Vec<(Range<usize>, Vec<u8>)> {
    let (old, new) = (MISNAMED_TIME_RAND_END.len(), Key::TimeRandEnd.name());
    let start = entry.start_tag.start + 1;
    let mut out = vec![(start..start + old, new.as_bytes().to_vec())];
    if let Some(content) = &entry.content {
        let end = content.end + 2;
        out.push((end..end + old, new.as_bytes().to_vec()));
    }
    out
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

/// What a reader error means. Only syntax and well-formedness errors can come from reading a
/// byte slice; naming the others would bring every I/O and namespace message into the bundle.
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

/// quick-xml's own words for what it could not read.
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

fn within(range: &Range<usize>, container: &Container) -> bool {
    container
        .content
        .as_ref()
        .is_some_and(|c| c.start <= range.start && range.end <= c.end)
}

/// A new element `<name perm="…">value</name>`.
fn element(key: Key, value: Option<String>, perm: Option<Perm>, quote: char) -> String {
    let perm = perm.map_or(String::new(), |p| format!(" perm={}", quoted(p, quote)));
    let value = escape(value.unwrap_or_default().as_str()).into_owned();
    format!("<{name}{perm}>{value}</{name}>", name = key.name())
}

/// XML's escapes suit either quote.
fn quoted(perm: Perm, quote: char) -> String {
    format!("{quote}{}{quote}", escape(perm.as_str()))
}

/// The quote the file's attributes use: that of its first attribute, else `"`.
fn attribute_quote(bytes: &[u8]) -> char {
    bytes
        .windows(2)
        .find(|w| w[0] == b'=' && (w[1] == b'"' || w[1] == b'\''))
        .map_or('"', |w| char::from(w[1]))
}

/// Where to insert after an element ending at `at`: at the end of its line when only blanks
/// or one comment follow it there (so a trailing comment stays on its line), else right at it.
fn after_line(bytes: &[u8], at: usize) -> usize {
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let end = if end > at && bytes[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    let rest = bytes[at..end].trim_ascii();
    let comment = rest.starts_with(b"<!--")
        && rest.ends_with(b"-->")
        && rest.windows(3).filter(|w| w == b"-->").count() == 1;
    if rest.is_empty() || comment { end } else { at }
}

/// The blanks before `at` if only blanks stand between it and the start of its line.
fn line_indent(bytes: &[u8], at: usize) -> Option<&str> {
    let start = bytes[..at]
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    let at_line_start = start == 0 || bytes[start - 1] == b'\n';
    at_line_start
        .then(|| std::str::from_utf8(&bytes[start..at]).ok())
        .flatten()
}

/// The blanks that start the last line holding something in `body`, if that line is not its
/// first.
fn content_indent(body: &[u8]) -> Option<&str> {
    let line = body
        .split(|&b| b == b'\n')
        .skip(1)
        .filter(|line| line.iter().any(|b| !b.is_ascii_whitespace()))
        .last()?;
    let blanks = line
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    std::str::from_utf8(&line[..blanks]).ok()
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
