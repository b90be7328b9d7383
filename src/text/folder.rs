//! A provisioning folder as markup: the table of phones, the findings, an edit's plan with
//! each changed file's lines. Pure functions over [`crate::core::folder`], escaping every text.

use std::fmt::Write as _;

use crate::core::folder::{Folder, Phone, Plan};
use crate::core::message::Said;
use crate::core::settings::Key;
use crate::core::vendor::Vendor;
use crate::text::render::escape;
use crate::words::Words;

/// How the table orders its rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// By group (largest first), each under a heading row; then the phones with no settings.
    Group,
    Mac,
    Model,
}

impl Sort {
    pub fn parse(text: &str) -> Sort {
        match text {
            "mac" => Sort::Mac,
            "type" => Sort::Model,
            _ => Sort::Group,
        }
    }
}

/// Why another vendor's phone cannot be selected for the form.
const READ_ONLY: &str =
    en!("Read only: the form edits snom's settings; this phone's are shown as they are");

/// What a group is, in words: its schedule and its next fetch (made by the caller, who knows
/// the time and the zones).
pub struct GroupText {
    pub summary: String,
    pub next: String,
}

/// The phones' rows, with the rows shown. Rows are `<tr data-testid="phone" data-mac="…">`.
pub struct Table {
    pub html: String,
    /// Phones that pass the filter.
    pub matching: usize,
    /// Rows drawn (at most the limit).
    pub shown: usize,
}

/// The group number (from 1) of each phone; `None` for a phone with no settings.
fn group_of(folder: &Folder) -> Vec<Option<usize>> {
    let mut of = vec![None; folder.phones.len()];
    for (g, group) in folder.groups.iter().enumerate() {
        for &p in &group.phones {
            of[p] = Some(g);
        }
    }
    of
}

/// Why a phone has no settings to show: another vendor's, or a file it reads cannot be read.
pub fn no_settings(phone: &Phone, w: &Words) -> String {
    if phone.vendor.polling_read() {
        w.t(en!("unknown: a file it reads cannot be read"))
            .to_owned()
    } else {
        w.fill(
            en!("not read: a {0} phone, whose polling settings provpoll does not read"),
            &[&phone.vendor.name()],
        )
    }
}

/// The six settings a phone ends up with, each with the file and line it came from.
fn settings_cell(folder: &Folder, phone: usize, w: &Words) -> String {
    let origin_of = |file: usize, line: usize| {
        let path = &folder.files[file].path;
        let title = escape(&w.fill(en!("from {0}, line {1}"), &[path, &line]));
        format!(
            r#"<small class="origin" title="{title}">{}:{line}</small>"#,
            escape(path)
        )
    };
    // Another vendor's values by its own names, each with its origin.
    if let Some(r) = &folder.phones[phone].reading {
        let mut cell = String::new();
        for e in &r.values {
            let _ = write!(
                cell,
                r#"<span class="v"><code>{}</code> {} {}</span>"#,
                escape(&e.name),
                escape(&e.value),
                origin_of(e.at.file, e.at.line)
            );
        }
        if cell.is_empty() {
            cell.push_str(w.t(en!("none set")));
        }
        let _ = write!(
            cell,
            r#"<small class="note">{}</small>"#,
            escape(w.t(READ_ONLY))
        );
        return cell;
    }
    let Some(e) = &folder.phones[phone].effective else {
        return escape(&no_settings(&folder.phones[phone], w));
    };
    let mut cell = String::new();
    for key in Key::ALL {
        let (Some(value), Some(origin)) = (e.draft.value(key), e.origin(key)) else {
            continue;
        };
        let _ = write!(
            cell,
            r#"<span class="v"><code>{}</code> {} {}</span>"#,
            key.name(),
            escape(value),
            origin_of(origin.file, origin.line)
        );
    }
    if cell.is_empty() {
        cell.push_str(w.t(en!("none set")));
    }
    cell
}

/// The rows of the phones that contain `filter` (any case) in their MAC, type or settings, in
/// `sort`'s order, at most `limit`; `selected` by phone, `groups` by group, `own` by phone
/// (another vendor's phone, in no group, has its own schedule and next fetch).
#[allow(clippy::too_many_arguments)]
pub fn phone_rows(
    folder: &Folder,
    groups: &[GroupText],
    own: &[Option<GroupText>],
    selected: &[bool],
    filter: &str,
    sort: Sort,
    limit: usize,
    w: &Words,
) -> Table {
    let group_of = group_of(folder);
    let needle = filter.trim().to_lowercase();
    let row_text = |p: usize| {
        let phone = &folder.phones[p];
        let settings = settings_cell(folder, p, w);
        let matches = needle.is_empty()
            || phone.mac.as_str().to_ascii_lowercase().contains(&needle)
            || phone
                .model
                .as_deref()
                .is_some_and(|m| m.to_lowercase().contains(&needle))
            || settings.to_lowercase().contains(&needle);
        (matches, settings)
    };
    let mut order: Vec<usize> = (0..folder.phones.len()).collect();
    match sort {
        Sort::Group => order.sort_by_key(|&p| (group_of[p].unwrap_or(usize::MAX), p)),
        Sort::Mac => {}
        Sort::Model => order.sort_by(|&a, &b| {
            let m = |p: usize| folder.phones[p].model.as_deref().unwrap_or("");
            m(a).cmp(m(b)).then(a.cmp(&b))
        }),
    }
    let mut html = String::new();
    let (mut matching, mut shown) = (0, 0);
    let mut heading: Option<Option<usize>> = None;
    for p in order {
        let (matches, settings) = row_text(p);
        if !matches {
            continue;
        }
        matching += 1;
        if shown >= limit {
            continue;
        }
        let phone = &folder.phones[p];
        let group = group_of[p];
        if sort == Sort::Group && heading != Some(group) {
            heading = Some(group);
            let _ = write!(
                html,
                r#"<tr class="group" data-testid="group"><th colspan="7" scope="rowgroup">{}</th></tr>"#,
                group_title(folder, groups, group, w)
            );
        }
        // Another vendor's phone is read only: the form edits snom's settings.
        let checked = if phone.vendor != Vendor::Snom {
            r#" disabled title=""#.to_owned() + &escape(w.t(READ_ONLY)) + r#"""#
        } else if selected.get(p).copied().unwrap_or(false) {
            " checked".to_owned()
        } else {
            String::new()
        };
        let text = group
            .and_then(|g| groups.get(g))
            .or_else(|| own.get(p).and_then(Option::as_ref));
        let (summary, next) = match text {
            Some(t) => (escape(&t.summary), escape(&t.next)),
            None => (String::new(), String::new()),
        };
        // Another vendor's phone says whose it is (snom's, the most, go without).
        let model = match (phone.vendor, phone.model.as_deref()) {
            (Vendor::Snom, m) => m.unwrap_or("–").to_owned(),
            (v, Some(m)) => format!("{} {m}", v.name()),
            (v, None) => v.name().to_owned(),
        };
        let _ = write!(
            html,
            r#"<tr data-testid="phone" data-mac="{mac}"><td><input type="checkbox" data-phone="{p}" aria-label="{select}"{checked}></td><td><code>{mac}</code></td><td>{model}</td><td>{group}</td><td class="settings">{settings}</td><td>{summary}</td><td>{next}</td></tr>"#,
            mac = phone.mac,
            select = escape(&w.fill(en!("Select {0}"), &[&phone.mac])),
            model = escape(&model),
            group = group.map_or("–".to_owned(), |g| (g + 1).to_string()),
        );
        shown += 1;
    }
    Table {
        html,
        matching,
        shown,
    }
}

/// A group's heading in the table: a checkbox that selects its phones, how many they are and
/// their schedule; or the phones whose settings are unknown (each says why in its row).
fn group_title(folder: &Folder, groups: &[GroupText], group: Option<usize>, w: &Words) -> String {
    let Some(g) = group else {
        return w
            .t(en!(
                "In no group: other vendors' phones (read only, each with its own schedule), and phones a file of which cannot be read"
            ))
            .to_owned();
    };
    let n = folder.groups[g].phones.len();
    let members: Vec<String> = folder.groups[g]
        .phones
        .iter()
        .map(ToString::to_string)
        .collect();
    format!(
        r#"<label><input type="checkbox" data-group="{g}" data-members="{}" aria-label="{}"> {}</label> – {}"#,
        members.join(" "),
        escape(&w.fill(en!("Select group {0}"), &[&(g + 1)])),
        escape(&w.fill(
            if n == 1 {
                en!("Group {0}: {1} phone")
            } else {
                en!("Group {0}: {1} phones")
            },
            &[&(g + 1), &w.number(n as u64)]
        )),
        escape(groups.get(g).map_or("", |t| t.summary.as_str())),
    )
}

/// The files no phone reads and every finding, as list items.
pub fn findings(folder: &Folder, w: &Words) -> String {
    let mut html = String::new();
    for f in &folder.findings {
        let _ = write!(
            html,
            r#"<li class="{}" data-testid="finding">{}:{}:{}: {}: {}</li>"#,
            f.severity.as_str(),
            escape(&folder.files[f.file].path),
            f.line,
            f.column,
            w.t(f.severity.label()),
            escape(&f.concern.say(w))
        );
    }
    html
}

/// The lines that differ between `old` and `new`, where `new` is `old` with lines replaced or
/// inserted (as an edit makes it): `-` and `+` items with their line numbers.
fn line_diff(old: &[u8], new: &[u8]) -> String {
    let old: Vec<&[u8]> = old.split_inclusive(|&b| b == b'\n').collect();
    let new: Vec<&[u8]> = new.split_inclusive(|&b| b == b'\n').collect();
    let mut html = String::new();
    let mut item = |class: &str, sign: char, number: usize, line: &[u8]| {
        let text = escape(&String::from_utf8_lossy(line.trim_ascii_end()));
        let _ = write!(
            html,
            r#"<li class="{class}" value="{number}">{sign} {text}</li>"#
        );
    };
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let (a, b) = (old.get(i), new.get(j));
        if a.is_some() && a == b {
            i += 1;
            j += 1;
        } else if let Some(b) = b.filter(|_| a.is_none() || new.get(j + 1) == a) {
            // A line inserted before the old one, or at the end of a file that grew.
            item("ins", '+', j + 1, b);
            j += 1;
        } else if let Some(a) = a {
            // A line replaced (or, at the end, removed).
            item("del", '-', i + 1, a);
            if let Some(b) = b {
                item("ins", '+', j + 1, b);
                j += 1;
            }
            i += 1;
        }
    }
    html
}

/// The plan: each file to change, what is written into it, how many phones it changes (and how
/// many of them are not selected), and its changed lines.
pub fn plan(folder: &Folder, plan: &Plan, selected: &[bool], w: &Words) -> String {
    let mut html = String::new();
    for edit in &plan.edits {
        let path = escape(&folder.files[edit.file].path);
        let others = edit
            .affected
            .iter()
            .filter(|&&p| !selected.get(p).copied().unwrap_or(false))
            .count();
        let n = edit.affected.len();
        let _ = write!(
            html,
            r#"<li data-testid="plan-file" data-file="{path}"><strong>{path}</strong>: {}{}<ol class="diff">{}</ol></li>"#,
            w.count(n, en!("changes {0} phone"), en!("changes {0} phones")),
            if others > 0 {
                w.fill(
                    en!(", {0} of them not selected"),
                    &[&w.number(others as u64)],
                )
            } else {
                String::new()
            },
            line_diff(folder.files[edit.file].bytes(), &edit.bytes),
        );
    }
    for (p, why) in &plan.refused {
        let _ = write!(
            html,
            r#"<li class="warning" data-testid="plan-refused" data-mac="{}">{}</li>"#,
            folder.phones[*p].mac,
            escape(&why.say(w))
        );
    }
    for (p, issues) in &plan.invalid {
        for issue in issues {
            let _ = write!(
                html,
                r#"<li class="error" data-testid="plan-invalid">{}: {}</li>"#,
                folder.phones[*p].mac,
                escape(&issue.problem.say(w))
            );
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_shows_replaced_and_inserted_lines() {
        let old = b"<a>\n<b>1</b>\n<c/>\n</a>\n";
        let new = b"<a>\n<b>2</b>\n<c/>\n<d>3</d>\n</a>\n";
        assert_eq!(
            line_diff(old, new),
            concat!(
                r#"<li class="del" value="2">- &lt;b&gt;1&lt;/b&gt;</li><li class="ins" value="2">+ &lt;b&gt;2&lt;/b&gt;</li>"#,
                r#"<li class="ins" value="4">+ &lt;d&gt;3&lt;/d&gt;</li>"#,
            )
        );
        assert_eq!(line_diff(old, old), "");
        assert_eq!(
            line_diff(b"a\n", b"a\nb"),
            r#"<li class="ins" value="2">+ b</li>"#
        );
    }
}
