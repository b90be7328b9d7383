//! What each phone of a folder reads and ends up with: its files in order (a container's in its
//! place), its effective settings with their origin, the groups of phones alike, the files no
//! phone reads, and every finding, each once, at its place.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::names::{self, Name};
use super::vendors;
use super::{Concern, Content, Effective, File, Finding, Folder, Group, Origin, Phone, Severity};
use crate::core::check::{self, validate};
use crate::core::mac::Mac;
use crate::core::message::{FolderProblem, Problem, Unreadable};
use crate::core::settings::Key;
use crate::core::vendor::Vendor;

/// Containers inside containers deeper than this are not followed (a loop is caught earlier).
const MAX_DEPTH: usize = 8;

impl Folder {
    /// Works out the phones, their settings, the groups and the findings of read files, in
    /// named steps.
    pub(super) fn resolve(files: Vec<File>) -> Folder {
        let (mut findings, rejected) = markup_findings(&files);
        let (phones, read_findings) = phones(&files, &rejected);
        findings.extend(read_findings);
        let read = read_files(&files, &phones);
        findings.extend(file_findings(&files, &read));
        findings.extend(phone_findings(&phones));
        findings.extend(vendors::file_findings(&files));
        findings.sort_by(|a, b| {
            (a.file, a.line, a.column, a.severity).cmp(&(b.file, b.line, b.column, b.severity))
        });
        // Each once, however many phones read its file: equal findings share a place, so
        // only the findings of one place are compared with each other.
        let mut seen: Vec<Finding> = Vec::new();
        findings.retain(|f| {
            let place = |g: &Finding| (g.file, g.line, g.column, g.severity);
            if seen.first().is_some_and(|s| place(s) != place(f)) {
                seen.clear();
            }
            let new = !seen.contains(f);
            if new {
                seen.push(f.clone());
            }
            new
        });
        let unread = (0..files.len()).filter(|&i| !read[i]).collect();
        let groups = groups(&phones);
        Folder {
            files,
            phones,
            groups,
            unread,
            findings,
        }
    }
}

/// Markup a phone rejects, in each file; and which files a phone rejects (that, or unreadable).
fn markup_findings(files: &[File]) -> (Vec<Finding>, Vec<bool>) {
    let mut findings = Vec::new();
    let mut rejected = vec![false; files.len()];
    for (i, file) in files.iter().enumerate() {
        for located in &file.markup {
            rejected[i] = true;
            findings.push(Finding {
                file: i,
                line: located.line,
                column: located.column,
                severity: Severity::Error,
                concern: Concern::Settings(located.what.problem.clone()),
            });
        }
        if let Content::Broken { .. } = file.content {
            rejected[i] = true;
        }
    }
    (findings, rejected)
}

/// The phones, by MAC: each with the files it reads in order and the settings it ends up with
/// (none where it reads a file a phone rejects); and the findings of reading them (a phone with
/// several own files, what containers list).
fn phones(files: &[File], rejected: &[bool]) -> (Vec<Phone>, Vec<Finding>) {
    // Phones by MAC, each with its own files in name (path) order; general files by folder,
    // type and extension.
    let mut by_mac: BTreeMap<Mac, Vec<usize>> = BTreeMap::new();
    let mut general: HashMap<(&str, &str, String), usize> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        match names::parse_name(file.name()) {
            Some(Name::Own { mac, .. }) => by_mac.entry(mac).or_default().push(i),
            Some(Name::General { model, ext }) => {
                general
                    .entry((file.dir(), model, ext.to_ascii_lowercase()))
                    .or_insert(i);
            }
            None => {}
        }
    }
    let lookup = name_lookup(files);
    let in_dir = vendors::dir_lookup(files);
    let mut findings = Vec::new();
    let mut container_findings = Vec::new();
    let mut phones = Vec::new();
    for (mac, own) in by_mac {
        let mut tops = Vec::new();
        let mut model = None;
        for &i in &own {
            let Some(Name::Own { model: m, ext, .. }) = names::parse_name(files[i].name()) else {
                continue;
            };
            if let Some(m) = m {
                model.get_or_insert_with(|| m.to_owned());
                // Its type's general file first, once.
                if let Some(&g) = general.get(&(files[i].dir(), m, ext.to_ascii_lowercase()))
                    && !tops.contains(&g)
                {
                    tops.push(g);
                }
            }
            tops.push(i);
        }
        // Another vendor's phone reads its own files only, none of snom's.
        let vendor = own
            .iter()
            .find_map(|&i| match files[i].content {
                Content::Foreign { vendor, .. } => Some(vendor),
                _ => None,
            })
            .unwrap_or(Vendor::Snom);
        let reads = if vendor == Vendor::Snom {
            Expand {
                files,
                mac,
                lookup: &lookup,
                findings: &mut container_findings,
            }
            .reads(&tops)
        } else {
            let dir = files[own[0]].dir();
            vendors::reads(files, vendor, mac, &own, dir, &in_dir, &mut findings)
        };
        if own.len() > 1 {
            let names: Vec<&str> = own.iter().map(|&i| files[i].path.as_str()).collect();
            findings.push(Finding {
                file: own[0],
                line: 1,
                column: 1,
                severity: Severity::Warning,
                concern: Concern::Folder(FolderProblem::SeveralOwnFiles {
                    mac: mac.to_string(),
                    files: names.join(", "),
                }),
            });
        }
        let effective = if vendor != Vendor::Snom || reads.iter().any(|&i| rejected[i]) {
            None
        } else {
            Some(effective(files, &reads))
        };
        let reading = vendors::reading(files, vendor, &reads);
        phones.push(Phone {
            mac,
            vendor,
            model,
            reads,
            own,
            effective,
            reading,
        });
    }
    findings.extend(container_findings);
    (phones, findings)
}

/// Finds a file of the folder by its name, exactly or else ignoring case.
fn name_lookup(files: &[File]) -> impl Fn(&str) -> Option<usize> + '_ {
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut by_lower_name: HashMap<String, usize> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        by_name.entry(file.name()).or_insert(i);
        by_lower_name
            .entry(file.name().to_ascii_lowercase())
            .or_insert(i);
    }
    move |name: &str| {
        by_name
            .get(name)
            .or_else(|| by_lower_name.get(&name.to_ascii_lowercase()))
            .copied()
    }
}

/// Which files any phone reads.
fn read_files(files: &[File], phones: &[Phone]) -> Vec<bool> {
    let mut read = vec![false; files.len()];
    for phone in phones {
        for &i in &phone.reads {
            read[i] = true;
        }
    }
    read
}

/// Each file's own problems: a file that cannot be read (one no phone reads whose root is not
/// a settings file at all, a phone book, is only listed as unread), a value that is not valid,
/// a setting given twice, a misnamed window end.
fn file_findings(files: &[File], read: &[bool]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, file) in files.iter().enumerate() {
        match &file.content {
            Content::Broken { error, .. }
                if read[i] || !matches!(error.what, Unreadable::NotSettingsRoot { .. }) =>
            {
                findings.push(Finding {
                    file: i,
                    line: error.line,
                    column: error.column,
                    severity: Severity::Error,
                    concern: Concern::Unreadable(error.what.clone()),
                });
            }
            Content::Settings(f) => {
                let (_, errors, warnings) = f.check();
                let own_values = errors.into_iter().filter(|l| l.what.problem.is_value());
                let own_warnings = warnings.into_iter().filter(|l| {
                    matches!(l.what.problem, Problem::Repeated { .. } | Problem::Misnamed)
                });
                for (severity, located) in own_values
                    .map(|l| (Severity::Error, l))
                    .chain(own_warnings.map(|l| (Severity::Warning, l)))
                {
                    findings.push(Finding {
                        file: i,
                        line: located.line,
                        column: located.column,
                        severity,
                        concern: Concern::Settings(located.what.problem),
                    });
                }
            }
            _ => {}
        }
    }
    findings
}

/// What the settings mean together, judged on each phone's effective settings and told at the
/// place of the setting it is about (once, however many phones share it).
fn phone_findings(phones: &[Phone]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for phone in phones {
        // Another vendor's values, at their places (told once: `Folder::resolve` drops the
        // same finding of each further phone).
        for n in phone.reading.iter().flat_map(|r| &r.notes) {
            findings.push(vendors::finding(n.at.file, n));
        }
        let Some(e) = &phone.effective else { continue };
        let report = validate(&e.draft);
        let own = phone.own[0];
        for (severity, issue) in report
            .errors
            .iter()
            .filter(|i| !i.problem.is_value())
            .map(|i| (Severity::Error, i))
            .chain(report.warnings.iter().map(|i| (Severity::Warning, i)))
        {
            let origin = issue.key.and_then(|k| e.origin(k));
            let place = |o: Option<Origin>| o.map_or((own, 1, 1), |o| (o.file, o.line, o.column));
            let (file, line, column) = match (origin, &issue.problem) {
                (Some(o), _) => (o.file, o.line, o.column),
                (None, Problem::NeverUpdate) => place(e.update_policy),
                // A window end the phone lacks is told at its misnamed element.
                (None, Problem::NoTimeRandEnd { .. }) => place(e.misnamed),
                (None, _) => (own, 1, 1),
            };
            findings.push(Finding {
                file,
                line,
                column,
                severity,
                concern: Concern::Settings(issue.problem.clone()),
            });
        }
    }
    findings
}

/// What reading a phone's files needs: the folder's files, the phone's MAC, a file by its
/// name, and where to say what a container lists that is not there or lists itself.
struct Expand<'a> {
    files: &'a [File],
    mac: Mac,
    lookup: &'a dyn Fn(&str) -> Option<usize>,
    findings: &'a mut Vec<Finding>,
}

impl Expand<'_> {
    /// The files read from `tops` in order, each container's listed files in its place, each
    /// file once, at its last place: the last value read wins, so the settings are those of
    /// reading every place (**Choice**). Found from the end, so a file met again is passed
    /// by, with all it lists: the work grows with the files and their lists, never with how
    /// often containers list each other.
    fn reads(&mut self, tops: &[usize]) -> Vec<usize> {
        let mut placed = HashSet::new();
        let mut reversed = Vec::new();
        for &i in tops.iter().rev() {
            if placed.insert(i) {
                self.place(i, &mut reversed, &mut placed, &mut Vec::new());
            }
        }
        reversed.reverse();
        reversed
    }

    /// Places file `i` (and, when it is a container, what it lists) before what `reversed`
    /// holds; `stack` holds the containers being read, so that one that lists itself is
    /// read once and named.
    fn place(
        &mut self,
        i: usize,
        reversed: &mut Vec<usize>,
        placed: &mut HashSet<usize>,
        stack: &mut Vec<usize>,
    ) {
        if let Content::Container { listed, .. } = &self.files[i].content {
            stack.push(i);
            for entry in listed.iter().rev() {
                let url = entry.url.replace("{mac}", self.mac.as_str());
                let name = url
                    .split(['?', '#'])
                    .next()
                    .unwrap_or("")
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                let at = |problem| Finding {
                    file: i,
                    line: entry.line,
                    column: entry.column,
                    severity: Severity::Warning,
                    concern: Concern::Folder(problem),
                };
                match (self.lookup)(name) {
                    Some(j) if stack.contains(&j) || stack.len() >= MAX_DEPTH => {
                        self.findings.push(at(FolderProblem::ListedLoop {
                            name: self.files[j].path.clone(),
                        }));
                    }
                    Some(j) => {
                        if placed.insert(j) {
                            self.place(j, reversed, placed, stack);
                        }
                    }
                    None => self.findings.push(at(FolderProblem::MissingListed { url })),
                }
            }
            stack.pop();
        }
        reversed.push(i);
    }
}

/// The settings after reading `reads` in order: each value read replaces the one before, with
/// its perm flag. A blank value sets nothing.
fn effective(files: &[File], reads: &[usize]) -> Effective {
    let mut e = Effective::default();
    for &i in reads {
        let Content::Settings(f) = &files[i].content else {
            continue;
        };
        let at = |(line, column): (usize, usize)| Origin {
            file: i,
            line,
            column,
        };
        let draft = f.draft();
        for (k, key) in Key::ALL.into_iter().enumerate() {
            if let Some(value) = draft.value(key).filter(|v| !v.trim().is_empty()) {
                e.draft.set_value(key, Some(value));
                e.draft.set_perm(key, draft.perm(key));
                e.from[k] = f.position(key).map(at);
            }
        }
        if f.position(Key::TimeRandEnd).is_none()
            && let Some(place) = f.misnamed_position()
        {
            e.misnamed = Some(at(place));
        }
        if let Some(code) = f.timezone().filter(|c| !c.trim().is_empty())
            && let Some(place) = f.timezone_position()
        {
            e.timezone = Some((code.trim().to_owned(), at(place)));
        }
        if let Some(policy) = f.update_policy().filter(|p| !p.trim().is_empty()) {
            e.draft.never_update = policy.trim().eq_ignore_ascii_case("never_update");
            e.update_policy = f.update_position().map(at);
        }
    }
    e
}

/// What makes two phones alike for the schedule: each value as the phone reads it, the update
/// policy and the zone.
type Likeness = (Vec<Option<String>>, bool, Option<String>);

fn likeness(e: &Effective) -> Likeness {
    let values = Key::ALL
        .iter()
        .map(|&k| {
            e.draft
                .value(k)
                .map(|v| check::canonical_value(k, v).unwrap_or_else(|| v.trim().to_owned()))
        })
        .collect();
    let zone = e
        .zone_name()
        .map(str::to_owned)
        .or_else(|| e.timezone.as_ref().map(|(code, _)| code.clone()));
    (values, e.draft.never_update, zone)
}

/// The phones with effective settings, grouped by [`likeness`]; the largest group first, then
/// by the first MAC.
fn groups(phones: &[Phone]) -> Vec<Group> {
    let mut by: BTreeMap<Likeness, Vec<usize>> = BTreeMap::new();
    for (i, phone) in phones.iter().enumerate() {
        if let Some(e) = &phone.effective {
            by.entry(likeness(e)).or_default().push(i);
        }
    }
    let mut groups: Vec<Group> = by.into_values().map(|phones| Group { phones }).collect();
    groups.sort_by(|a, b| {
        b.phones
            .len()
            .cmp(&a.phones.len())
            .then(a.phones[0].cmp(&b.phones[0]))
    });
    groups
}
