//! A provisioning folder: which files each phone reads and in what order, the polling settings
//! it ends up with (and where each came from), the groups of phones that end up alike, and where
//! an edit for some phones has to be written.
//!
//! The rules are `shared/domain/provisioning-folder.md`'s; the readings provpoll takes where it
//! is silent are in `docs/polling.md` ("Provisioning folders"). Bytes in, no file system: the
//! command line and the page hand over the files they read.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::core::check;
use crate::core::check::{Issue, validate};
use crate::core::file::{FileError, SettingsFile, line_column};
use crate::core::message::{FolderProblem, Problem, Unreadable};
use crate::core::settings::{Draft, Key, Settings};

/// Containers inside containers deeper than this are not followed (a loop is caught earlier).
const MAX_DEPTH: usize = 8;

/// A file of the folder that looks like a settings file (its name ends in `.xml`, `.htm` or
/// `.cfg`, in any case); other files are left out quietly.
#[derive(Clone, Debug)]
pub struct File {
    /// Its path within the folder, with `/` between folders.
    pub path: String,
    pub content: Content,
    /// Markup a phone rejects (a settings file's), found when the file is read.
    markup: Vec<crate::core::file::Located>,
}

#[derive(Clone, Debug)]
pub enum Content {
    Settings(SettingsFile),
    /// A `<setting-files>` container: the files it lists, in order.
    Container {
        bytes: Vec<u8>,
        listed: Vec<Listed>,
    },
    /// Not readable as either (the reason and where). A phone that reads it has no effective
    /// settings.
    Broken {
        bytes: Vec<u8>,
        error: FileError,
    },
}

/// One `<file url="…"/>` of a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub url: String,
    pub line: usize,
    pub column: usize,
}

impl File {
    pub fn bytes(&self) -> &[u8] {
        match &self.content {
            Content::Settings(f) => f.bytes(),
            Content::Container { bytes, .. } | Content::Broken { bytes, .. } => bytes,
        }
    }

    /// The last segment of its path.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    fn dir(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// Where a value was read: a file of the folder (an index into [`Folder::files`]), line and
/// column of its element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: usize,
    pub line: usize,
    pub column: usize,
}

/// A phone's polling settings after reading all its files: the last value read wins, with the
/// perm flag that came with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effective {
    /// The six settings' values and perm flags, and `update_policy`'s `never_update`.
    pub draft: Draft,
    /// Where each of the six settings' value came from (by [`Key::ALL`]'s order).
    pub from: [Option<Origin>; 6],
    /// The `timezone` code that counts, and where it came from.
    pub timezone: Option<(String, Origin)>,
    pub update_policy: Option<Origin>,
    /// The last misnamed window end read (`prov_polling_time_rand`, which the phone ignores) in
    /// a file without `prov_polling_time_rand_end`: where an edit of the window's end that has
    /// no value to replace goes, renaming it.
    pub misnamed: Option<Origin>,
}

impl Effective {
    pub fn origin(&self, key: Key) -> Option<Origin> {
        self.from[Key::ALL.iter().position(|&k| k == key).unwrap_or(0)]
    }

    /// The settings validated, when they are valid.
    pub fn settings(&self) -> Option<Settings> {
        validate(&self.draft).settings
    }

    /// The IANA zone of its `timezone` code, when the code has one (see [`crate::core::zone`]).
    pub fn zone_name(&self) -> Option<&'static str> {
        let code = &self.timezone.as_ref()?.0;
        crate::core::zone::snom_zone(code)
            .map(|z| z.iana)
            .filter(|z| !z.is_empty())
    }
}

/// A phone of the folder: every MAC that names a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    /// Twelve hexadecimal digits, lower case.
    pub mac: String,
    /// The `<type>` of a `<type>-<MAC>` file name (`snomD785`).
    pub model: Option<String>,
    /// The files it reads, in order (a container, then what it lists).
    pub reads: Vec<usize>,
    /// Its own files (named by its MAC), in name order.
    pub own: Vec<usize>,
    /// `None` when a file it reads cannot be read: what it applied is unknown.
    pub effective: Option<Effective>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// Its name for people, in English (marked for the page's other languages).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => en!("error"),
            Severity::Warning => en!("warning"),
        }
    }
}

/// A message about the folder, of any of the core's kinds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Settings(Problem),
    Unreadable(Unreadable),
    Folder(FolderProblem),
}

impl Message {
    /// The message in `w`'s language.
    pub fn say(&self, w: &crate::words::Words) -> String {
        match self {
            Message::Settings(p) => p.say(w),
            Message::Unreadable(u) => u.say(w),
            Message::Folder(p) => p.say(w),
        }
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Settings(p) => p.fmt(f),
            Message::Unreadable(u) => u.fmt(f),
            Message::Folder(p) => p.fmt(f),
        }
    }
}

/// A problem in a file of the folder, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub file: usize,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: Message,
}

/// Phones whose effective settings are the same: the six values (as the phone reads them),
/// `never_update` and the zone. Perm flags do not count: they change nothing in the schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Indices into [`Folder::phones`], in MAC order.
    pub phones: Vec<usize>,
}

/// A folder, read.
#[derive(Clone, Debug)]
pub struct Folder {
    pub files: Vec<File>,
    /// In MAC order.
    pub phones: Vec<Phone>,
    pub groups: Vec<Group>,
    /// Files no phone reads, in path order.
    pub unread: Vec<usize>,
    /// Sorted by file, line, column.
    pub findings: Vec<Finding>,
}

/// What a file's name says it is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Name<'a> {
    Own {
        mac: String,
        model: Option<&'a str>,
        ext: &'a str,
    },
    General {
        model: &'a str,
        ext: &'a str,
    },
}

/// Whether a name ends in one of the settings files' extensions, in any case.
pub fn is_settings_name(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && ["xml", "htm", "cfg"]
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e))
    })
}

fn is_mac(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn parse_name(name: &str) -> Option<Name<'_>> {
    if !is_settings_name(name) {
        return None;
    }
    let (stem, ext) = name.rsplit_once('.')?;
    if is_mac(stem) {
        return Some(Name::Own {
            mac: stem.to_ascii_lowercase(),
            model: None,
            ext,
        });
    }
    match stem.rsplit_once('-') {
        Some((model, mac)) if is_mac(mac) && !model.is_empty() => Some(Name::Own {
            mac: mac.to_ascii_lowercase(),
            model: Some(model),
            ext,
        }),
        _ => Some(Name::General { model: stem, ext }),
    }
}

/// Reads a `<setting-files>` container: the `url` of each `<file>`, with its place. `None`
/// when the root is something else.
fn container(bytes: &[u8]) -> Option<Vec<Listed>> {
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

/// Reads one file of a folder: as a settings file, else as a container, else broken; with the
/// markup a phone would reject. The part of reading a folder done one file at a time (in
/// parallel on the command line, as each file arrives in the page's worker);
/// [`Folder::from_files`] does the rest.
pub fn read_file(path: String, bytes: Vec<u8>) -> File {
    let content = match SettingsFile::parse(bytes.as_slice()) {
        Ok(file) => Content::Settings(file),
        Err(error) => match container(&bytes) {
            Some(listed) => Content::Container { bytes, listed },
            None => Content::Broken { bytes, error },
        },
    };
    let markup = match &content {
        Content::Settings(f) => f.markup_problems(),
        _ => Vec::new(),
    };
    File {
        path,
        content,
        markup,
    }
}

impl Folder {
    /// Reads the files of a folder (paths relative to it, bytes as they are). Files whose names
    /// do not end in `.xml`, `.htm` or `.cfg` are left out.
    pub fn read(files: Vec<(String, Vec<u8>)>) -> Folder {
        Folder::read_by(files, |files| {
            files
                .into_iter()
                .map(|(path, bytes)| read_file(path, bytes))
                .collect()
        })
    }

    /// [`Folder::read`], each file read by [`read_file`] in `read_all` (the command line reads
    /// on every core).
    pub fn read_by(
        files: Vec<(String, Vec<u8>)>,
        read_all: impl FnOnce(Vec<(String, Vec<u8>)>) -> Vec<File>,
    ) -> Folder {
        let files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .filter(|(path, _)| is_settings_name(path.rsplit('/').next().unwrap_or(path)))
            .collect();
        Folder::from_files(read_all(files))
    }

    /// The folder of files read by [`read_file`], in any order.
    pub fn from_files(mut files: Vec<File>) -> Folder {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Folder::resolve(files)
    }

    /// Works out the phones, their settings, the groups and the findings of read files.
    fn resolve(files: Vec<File>) -> Folder {
        let mut findings = Vec::new();
        // Markup a phone rejects makes a file unreadable for the phone, as a parse error does.
        let mut rejected = vec![false; files.len()];
        for (i, file) in files.iter().enumerate() {
            for located in &file.markup {
                rejected[i] = true;
                findings.push(Finding {
                    file: i,
                    line: located.line,
                    column: located.column,
                    severity: Severity::Error,
                    message: Message::Settings(located.issue.problem.clone()),
                });
            }
            if let Content::Broken { .. } = file.content {
                rejected[i] = true;
            }
        }

        // Phones by MAC, each with its own files in name (path) order.
        let mut by_mac: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut general: HashMap<(&str, &str, String), usize> = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            match parse_name(file.name()) {
                Some(Name::Own { mac, .. }) => by_mac.entry(mac).or_default().push(i),
                Some(Name::General { model, ext }) => {
                    general
                        .entry((file.dir(), model, ext.to_ascii_lowercase()))
                        .or_insert(i);
                }
                None => {}
            }
        }
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        let mut by_lower_name: HashMap<String, usize> = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            by_name.entry(file.name()).or_insert(i);
            by_lower_name
                .entry(file.name().to_ascii_lowercase())
                .or_insert(i);
        }
        let lookup = |name: &str| {
            by_name
                .get(name)
                .or_else(|| by_lower_name.get(&name.to_ascii_lowercase()))
                .copied()
        };

        let mut container_findings: Vec<Finding> = Vec::new();
        let mut phones = Vec::new();
        for (mac, own) in by_mac {
            let mut reads = Vec::new();
            let mut model = None;
            for &i in &own {
                let Some(Name::Own { model: m, ext, .. }) = parse_name(files[i].name()) else {
                    continue;
                };
                if let Some(m) = m {
                    model.get_or_insert_with(|| m.to_owned());
                    // Its type's general file first, once.
                    if let Some(&g) = general.get(&(files[i].dir(), m, ext.to_ascii_lowercase()))
                        && !reads.contains(&g)
                    {
                        expand(
                            &files,
                            g,
                            &mac,
                            &lookup,
                            &mut reads,
                            &mut container_findings,
                        );
                    }
                }
                expand(
                    &files,
                    i,
                    &mac,
                    &lookup,
                    &mut reads,
                    &mut container_findings,
                );
            }
            if own.len() > 1 {
                let names: Vec<&str> = own.iter().map(|&i| files[i].path.as_str()).collect();
                findings.push(Finding {
                    file: own[0],
                    line: 1,
                    column: 1,
                    severity: Severity::Warning,
                    message: Message::Folder(FolderProblem::SeveralOwnFiles {
                        mac: mac.clone(),
                        files: names.join(", "),
                    }),
                });
            }
            let effective = if reads.iter().any(|&i| rejected[i]) {
                None
            } else {
                Some(effective(&files, &reads))
            };
            phones.push(Phone {
                mac,
                model,
                reads,
                own,
                effective,
            });
        }
        findings.extend(container_findings);

        let mut read = vec![false; files.len()];
        for phone in &phones {
            for &i in &phone.reads {
                read[i] = true;
            }
        }
        for (i, file) in files.iter().enumerate() {
            match &file.content {
                // A file that is not a settings file at all, and that no phone reads, is only
                // listed as unread (a phone book, say).
                Content::Broken { error, .. }
                    if read[i] || !matches!(error.problem, Unreadable::NotSettingsRoot { .. }) =>
                {
                    findings.push(Finding {
                        file: i,
                        line: error.line,
                        column: error.column,
                        severity: Severity::Error,
                        message: Message::Unreadable(error.problem.clone()),
                    });
                }
                Content::Settings(f) => {
                    // A setting given twice in one file; the rest is judged per phone below.
                    let (_, errors, warnings) = f.check();
                    let own_values = errors.into_iter().filter(|l| value_problem(&l.issue));
                    let repeated = warnings.into_iter().filter(|l| {
                        matches!(
                            l.issue.problem,
                            Problem::Repeated { .. } | Problem::Misnamed
                        )
                    });
                    for (severity, located) in own_values
                        .map(|l| (Severity::Error, l))
                        .chain(repeated.map(|l| (Severity::Warning, l)))
                    {
                        findings.push(Finding {
                            file: i,
                            line: located.line,
                            column: located.column,
                            severity,
                            message: Message::Settings(located.issue.problem),
                        });
                    }
                }
                _ => {}
            }
        }
        // What the settings mean together is judged on each phone's effective settings, and
        // told at the place of the setting it is about (once, however many phones share it).
        for phone in &phones {
            let Some(e) = &phone.effective else { continue };
            let report = validate(&e.draft);
            let own = phone.own[0];
            for (severity, issue) in report
                .errors
                .iter()
                .filter(|i| !value_problem(i))
                .map(|i| (Severity::Error, i))
                .chain(report.warnings.iter().map(|i| (Severity::Warning, i)))
            {
                let origin = issue.key.and_then(|k| e.origin(k));
                let (file, line, column) = match (origin, &issue.problem) {
                    (Some(o), _) => (o.file, o.line, o.column),
                    (None, Problem::NeverUpdate) => e
                        .update_policy
                        .map_or((own, 1, 1), |o| (o.file, o.line, o.column)),
                    // A window end the phone lacks is told at its misnamed element.
                    (None, Problem::NoTimeRandEnd { .. }) => e
                        .misnamed
                        .map_or((own, 1, 1), |o| (o.file, o.line, o.column)),
                    (None, _) => (own, 1, 1),
                };
                findings.push(Finding {
                    file,
                    line,
                    column,
                    severity,
                    message: Message::Settings(issue.problem.clone()),
                });
            }
        }
        findings.sort_by(|a, b| {
            (a.file, a.line, a.column, a.severity).cmp(&(b.file, b.line, b.column, b.severity))
        });
        findings.dedup();

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

    /// The index of the phone with this MAC (any case, with or without `:` or `-`).
    pub fn phone(&self, mac: &str) -> Option<usize> {
        let mac: String = mac
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect::<String>()
            .to_ascii_lowercase();
        self.phones.binary_search_by(|p| p.mac.cmp(&mac)).ok()
    }

    /// Whether any file could not be read (a phone's, or a stray one).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Problems with a single value, which belong to the file that has the value.
fn value_problem(issue: &Issue) -> bool {
    matches!(
        issue.problem,
        Problem::Negative { .. }
            | Problem::NotSeconds { .. }
            | Problem::TooLarge { .. }
            | Problem::NotOnOff { .. }
            | Problem::NotMode { .. }
            | Problem::NotTime { .. }
            | Problem::NotPerm { .. }
    )
}

/// Appends file `i` to `reads`, and what it lists when it is a container, in its place.
fn expand(
    files: &[File],
    i: usize,
    mac: &str,
    lookup: &dyn Fn(&str) -> Option<usize>,
    reads: &mut Vec<usize>,
    findings: &mut Vec<Finding>,
) {
    fn walk(
        files: &[File],
        i: usize,
        mac: &str,
        lookup: &dyn Fn(&str) -> Option<usize>,
        reads: &mut Vec<usize>,
        findings: &mut Vec<Finding>,
        stack: &mut Vec<usize>,
    ) {
        reads.push(i);
        let Content::Container { listed, .. } = &files[i].content else {
            return;
        };
        stack.push(i);
        for entry in listed {
            let url = entry.url.replace("{mac}", &mac.to_ascii_uppercase());
            let name = url
                .split(['?', '#'])
                .next()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("");
            let at = |message| Finding {
                file: i,
                line: entry.line,
                column: entry.column,
                severity: Severity::Warning,
                message: Message::Folder(message),
            };
            match lookup(name) {
                Some(j) if stack.contains(&j) || stack.len() >= MAX_DEPTH => {
                    findings.push(at(FolderProblem::ListedLoop {
                        name: files[j].path.clone(),
                    }));
                }
                Some(j) => walk(files, j, mac, lookup, reads, findings, stack),
                None => findings.push(at(FolderProblem::MissingListed { url })),
            }
        }
        stack.pop();
    }
    walk(files, i, mac, lookup, reads, findings, &mut Vec::new());
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

/// Where an edit is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Where each phone's value comes from now (a general file's value is changed in the
    /// general file); a setting the phone does not have yet goes into its own file.
    Source,
    /// Each phone's own file, never a shared one.
    Own,
}

/// One file an edit changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEdit {
    pub file: usize,
    /// What is written into it (as `provpoll set` writes it).
    pub draft: Draft,
    /// The file's new bytes.
    pub bytes: Vec<u8>,
    /// Phones whose effective settings the change of this file changes, selected or not.
    pub affected: Vec<usize>,
}

/// An edit of some phones' polling settings, worked out before anything is written.
#[derive(Clone, Debug)]
pub struct Plan {
    pub edits: Vec<FileEdit>,
    /// Selected phones the edit leaves out, and why.
    pub refused: Vec<(usize, FolderProblem)>,
    /// Phones whose settings change, and how they read afterwards (the folder re-read).
    pub after: Folder,
    /// Selected phones whose settings would be invalid afterwards, with the errors.
    pub invalid: Vec<(usize, Vec<Issue>)>,
}

impl Plan {
    /// The phones whose effective settings change, selected or not.
    pub fn affected(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .edits
            .iter()
            .flat_map(|e| e.affected.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

impl Folder {
    /// Plans setting what `change` sets (values and perm flags) for the `selected` phones.
    /// Every value must be valid on its own; whether the result is, is in [`Plan::invalid`].
    pub fn plan(
        &self,
        change: &Draft,
        selected: &[usize],
        target: Target,
    ) -> Result<Plan, Vec<Issue>> {
        let errors: Vec<Issue> = validate(change)
            .errors
            .into_iter()
            .filter(value_problem)
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut refused = Vec::new();
        // For each file, the keys written into it.
        let mut writes: BTreeMap<usize, Vec<Key>> = BTreeMap::new();
        for &p in selected {
            let phone = &self.phones[p];
            let Some(e) = &phone.effective else {
                refused.push((
                    p,
                    FolderProblem::PhoneUnreadable {
                        mac: phone.mac.clone(),
                    },
                ));
                continue;
            };
            let own = *phone.own.last().expect("a phone has an own file");
            let own_is_container = matches!(self.files[own].content, Content::Container { .. });
            let mut planned = Vec::new();
            for key in Key::ALL {
                if change.value(key).is_none() && change.perm(key).is_none() {
                    continue;
                }
                let misnamed = e.misnamed.filter(|_| key == Key::TimeRandEnd);
                let file = match (target, e.origin(key).or(misnamed)) {
                    (Target::Source, Some(origin)) => origin.file,
                    _ if own_is_container => {
                        refused.push((
                            p,
                            FolderProblem::OwnFileIsContainer {
                                mac: phone.mac.clone(),
                            },
                        ));
                        planned.clear();
                        break;
                    }
                    _ => own,
                };
                planned.push((file, key));
            }
            for (file, key) in planned {
                let keys = writes.entry(file).or_default();
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }

        let mut edits = Vec::new();
        for (file, keys) in writes {
            let Content::Settings(f) = &self.files[file].content else {
                continue;
            };
            let mut draft = Draft::default();
            for key in keys {
                draft.set_value(key, change.value(key));
                draft.set_perm(key, change.perm(key));
            }
            let mut edited = f.clone();
            edited.apply(&draft)?;
            if edited.bytes() != f.bytes() {
                edits.push(FileEdit {
                    file,
                    draft,
                    bytes: edited.into_bytes(),
                    affected: Vec::new(),
                });
            }
        }

        // Read the folder again with the edits, and see who changed.
        let mut files = self.files.clone();
        for edit in &edits {
            let path = files[edit.file].path.clone();
            files[edit.file] = read_file(path, edit.bytes.clone());
            if let Content::Broken { error, .. } = &files[edit.file].content {
                return Err(vec![Issue {
                    key: None,
                    problem: Problem::Internal {
                        reason: error.to_string(),
                    },
                }]);
            }
        }
        let after = Folder::resolve(files);
        // A phone is changed by a file's edit when a setting it now takes from that file reads
        // otherwise than before (a value its own file overrides changes nothing for it).
        for edit in &mut edits {
            edit.affected = self
                .phones
                .iter()
                .zip(&after.phones)
                .enumerate()
                .filter(|(_, (before, now))| {
                    let (Some(b), Some(a)) = (&before.effective, &now.effective) else {
                        return false;
                    };
                    Key::ALL.into_iter().any(|k| {
                        a.origin(k).is_some_and(|o| o.file == edit.file)
                            && (a.draft.value(k), a.draft.perm(k))
                                != (b.draft.value(k), b.draft.perm(k))
                    })
                })
                .map(|(i, _)| i)
                .collect();
        }
        let invalid = selected
            .iter()
            .filter_map(|&p| {
                let e = after.phones[p].effective.as_ref()?;
                let errors = validate(&e.draft).errors;
                (!errors.is_empty()).then_some((p, errors))
            })
            .collect();
        Ok(Plan {
            edits,
            refused,
            after,
            invalid,
        })
    }
}
