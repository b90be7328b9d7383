//! Editing a settings file: the splices that give its polling settings new values and perm
//! flags, insert the ones it lacks where its own layout says, and rename a misnamed window end.

use std::ops::Range;

use quick_xml::escape::escape;

use super::{Container, Edited, Entry, Field, SettingsFile, Splices, line_column};
use crate::core::check::{self, Issue};
use crate::core::message::Problem;
use crate::core::settings::{Draft, Key, MISNAMED_TIME_RAND_END, Perm};

impl SettingsFile {
    /// Writes every value and perm flag that `draft` sets, in canonical form, leaving settings
    /// it does not set alone. A value that already means the same (`ON` for `on`) is not
    /// touched. On an invalid draft nothing changes and every error is returned.
    pub fn apply(&mut self, draft: &Draft) -> Result<(), Vec<Issue>> {
        self.apply_marked(draft).map(|_| ())
    }

    /// [`SettingsFile::apply`], returning the byte ranges of the new file that the edit wrote
    /// (in order), so a view can mark the lines it changed.
    fn apply_marked(&mut self, draft: &Draft) -> Result<Vec<Range<usize>>, Vec<Issue>> {
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

    /// The bytes that [`SettingsFile::apply`] gives the file, and the ranges it writes,
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
        splice(&self.bytes, &self.splices_valid(draft))
    }

    /// The splices of [`SettingsFile::edited_valid`], in the file's order: an edit as what it
    /// changes, without a copy of the rest (the page keeps its view of a large file this way).
    pub(crate) fn splices_valid(&self, draft: &Draft) -> Splices {
        let mut splices: Splices = Vec::new();
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
        // A handful at most: an insertion sort keeps the bundle free of the general sort.
        for i in 1..splices.len() {
            let mut j = i;
            while j > 0 && splices[j - 1].0.start > splices[j].0.start {
                splices.swap(j - 1, j);
                j -= 1;
            }
        }
        splices
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
}

/// `bytes` with each range replaced (ranges that do not overlap, in order), and the ranges the
/// replacements take in the result, in order.
pub fn splice(bytes: &[u8], splices: &[(Range<usize>, Vec<u8>)]) -> Edited {
    let mut out = Vec::with_capacity(bytes.len() + 256);
    let mut written = Vec::with_capacity(splices.len());
    let mut at = 0;
    for (range, replacement) in splices {
        out.extend_from_slice(&bytes[at..range.start]);
        written.push(out.len()..out.len() + replacement.len());
        out.extend_from_slice(replacement);
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
