//! A provisioning folder: which files each phone reads and in what order, the polling settings
//! it ends up with (and where each came from), the groups of phones that end up alike, and where
//! an edit for some phones has to be written.
//!
//! The rules are `shared/domain/provisioning-folder.md`'s; the readings provpoll takes where it
//! is silent are in `docs/polling.md` ("Provisioning folders"). Bytes in, no file system: the
//! command line and the page hand over the files they read. One file per concern: `names` (what
//! a file's name says), `resolve` (what each phone reads and ends up with, and the findings) and
//! `plan` (where an edit is written).

mod names;
mod plan;
mod resolve;
mod vendors;

use crate::core::check::validate;
use crate::core::file::{FileError, SettingsFile};
use crate::core::mac::Mac;
use crate::core::message::{
    Args, FolderProblem, Problem, Said, Unreadable, VendorProblem, display_said,
};
use crate::core::plan::Plan as Schedule;
use crate::core::rule::{Polling, Rule};
use crate::core::settings::{Draft, Key, Settings};
use crate::core::vendor::{self, Reading, Vendor, VendorFile};

pub use names::is_settings_name;
pub use plan::{FileEdit, Plan, Target};

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
    /// Another vendor's file (told by its content): a phone whose own file it is, is that
    /// vendor's, and its polling is not read from snom's settings.
    Foreign {
        vendor: Vendor,
        bytes: Vec<u8>,
        /// Its polling settings, where provpoll reads the vendor's (positions in file 0).
        read: VendorFile,
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
            Content::Container { bytes, .. }
            | Content::Broken { bytes, .. }
            | Content::Foreign { bytes, .. } => bytes,
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
    pub mac: Mac,
    /// Whose phone it is, by its own file's content: snom's unless that is another vendor's.
    pub vendor: Vendor,
    /// The `<type>` of a `<type>-<MAC>` file name (`snomD785`).
    pub model: Option<String>,
    /// The files it reads, in order (a container, then what it lists).
    pub reads: Vec<usize>,
    /// Its own files (named by its MAC), in name order.
    pub own: Vec<usize>,
    /// snom's settings after reading its files; `None` when a file it reads cannot be read
    /// (what it applied is unknown), and for another vendor's phone.
    pub effective: Option<Effective>,
    /// Another vendor's settings in effect, where provpoll reads the vendor's polling.
    pub reading: Option<Reading>,
}

impl Phone {
    /// What it fetches by, when that can be told: not when its settings are unknown or have
    /// an error, nor when polling is on without what says when (snom without a mode or a
    /// time and no refresh timer, **Choice**: its default is not documented; Grandstream's
    /// random window without its end hour), nor for a vendor whose polling is not read.
    pub fn plan(&self) -> Option<Schedule> {
        if let Some(r) = &self.reading {
            return r.plan_if_known();
        }
        let rule = Rule::of(&self.effective.as_ref()?.settings()?);
        let known = rule.never_update
            || rule.refresh.is_some()
            || !matches!(rule.polling, Polling::NoMode | Polling::Untimed { .. });
        known.then(|| rule.plan())
    }
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
pub enum Concern {
    Settings(Problem),
    Unreadable(Unreadable),
    Folder(FolderProblem),
    Vendor(VendorProblem),
}

impl Said for Concern {
    fn template(&self) -> &'static str {
        match self {
            Concern::Settings(p) => p.template(),
            Concern::Unreadable(u) => u.template(),
            Concern::Folder(p) => p.template(),
            Concern::Vendor(p) => p.template(),
        }
    }

    fn args(&self) -> Args<'_> {
        match self {
            Concern::Settings(p) => p.args(),
            Concern::Unreadable(u) => u.args(),
            Concern::Folder(p) => p.args(),
            Concern::Vendor(p) => p.args(),
        }
    }
}

display_said!(Concern);

/// A problem in a file of the folder, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub file: usize,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub concern: Concern,
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

/// Reads one file of a folder: as a settings file, else as a container, else broken; with the
/// markup a phone would reject. The part of reading a folder done one file at a time (in
/// parallel on the command line, as each file arrives in the page's worker);
/// [`Folder::from_files`] does the rest.
pub fn read_file(path: String, bytes: Vec<u8>) -> File {
    // Another vendor's file first: snom's text format would take Yealink's `key = value`.
    let content = match vendor::of_file(&bytes) {
        Some(vendor) if vendor != Vendor::Snom => Content::Foreign {
            vendor,
            read: vendor.read(&bytes, 0),
            bytes,
        },
        _ => match SettingsFile::parse(bytes.as_slice()) {
            Ok(file) => Content::Settings(file),
            Err(error) => match names::container(&bytes) {
                Some(listed) => Content::Container { bytes, listed },
                None => Content::Broken { bytes, error },
            },
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

    /// The index of the phone with this MAC (any case, with or without `:` or `-`).
    pub fn phone(&self, mac: &str) -> Option<usize> {
        let mac = Mac::parse_loose(mac)?;
        self.phones.binary_search_by(|p| p.mac.cmp(&mac)).ok()
    }

    /// What a phone without a file of its own reads, where its vendor has a file for every
    /// phone: a Poly phone seen only in a log reads the folder's `000000000000.cfg` (the one at
    /// its top first) and what it lists (**Choice**, `vendors.md`). Only for Poly. The files
    /// are looked up once, however many phones ask.
    pub fn default_reader(&self) -> impl Fn(Vendor, Mac) -> Option<Reading> + '_ {
        let lookup = vendors::dir_lookup(&self.files);
        move |vendor: Vendor, mac: Mac| {
            if vendor != Vendor::Poly {
                return None;
            }
            let master = lookup("", "000000000000.cfg")?;
            let dir = self.files[master].dir();
            let reads =
                vendors::reads(&self.files, vendor, mac, &[], dir, &lookup, &mut Vec::new());
            // Without the master (not Poly's), nothing is read.
            reads
                .contains(&master)
                .then(|| vendors::reading(&self.files, vendor, &reads))
                .flatten()
        }
    }

    /// What a Yealink phone reads when the log's agent names its model (`T46S`): its own files
    /// and its model's common file beside them (`y000000000066.cfg`), or its own files alone
    /// where the folder lacks that file (the phone asks for it in vain). vendors.md's
    /// **Choice**: the model from the log's agent first. `None` where the model's code is not
    /// known: the folder's own choice stands.
    pub fn yealink_by_model(&self, phone: &Phone, model: &str) -> Option<Reading> {
        if phone.vendor != Vendor::Yealink {
            return None;
        }
        let name = vendor::yealink::common_file(model)?;
        let dir = self.files[*phone.own.first()?].dir();
        let common = self.files.iter().position(|f| {
            f.dir() == dir
                && f.name().eq_ignore_ascii_case(&name)
                && matches!(
                    f.content,
                    Content::Foreign {
                        vendor: Vendor::Yealink,
                        ..
                    }
                )
        });
        let mut reads = phone.own.clone();
        reads.extend(common);
        vendors::reading(&self.files, Vendor::Yealink, &reads)
    }

    /// Whether any file could not be read (a phone's, or a stray one).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}
