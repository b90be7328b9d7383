//! Where an edit for some phones of a folder is written, worked out before anything is: the
//! files it changes, the phones each change reaches, and how they read afterwards.

use crate::core::vendor::Vendor;
use std::collections::BTreeMap;

use super::{Content, Folder, read_file};
use crate::core::check::{Issue, validate};
use crate::core::message::{FolderProblem, Problem};
use crate::core::settings::{Draft, Key};

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

/// For each file (by index), the settings an edit writes into it.
type Writes = BTreeMap<usize, Vec<Key>>;

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
            .filter(|i| i.problem.is_value())
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let (writes, refused) = self.writes(change, selected, target);
        let mut edits = self.edits(change, writes)?;
        let after = self.after(&edits)?;
        for edit in &mut edits {
            edit.affected = self.affected(&after, edit.file);
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

    /// For each file, the settings written into it; and the selected phones left out, and why.
    fn writes(
        &self,
        change: &Draft,
        selected: &[usize],
        target: Target,
    ) -> (Writes, Vec<(usize, FolderProblem)>) {
        let mut refused = Vec::new();
        let mut writes = Writes::new();
        for &p in selected {
            match self.phone_writes(p, change, target) {
                Ok(planned) => {
                    for (file, key) in planned {
                        let keys = writes.entry(file).or_default();
                        if !keys.contains(&key) {
                            keys.push(key);
                        }
                    }
                }
                Err(why) => refused.push((p, why)),
            }
        }
        (writes, refused)
    }

    /// Where each setting that `change` sets goes for phone `p`: where its value comes from now
    /// (with [`Target::Source`]; a window end where its misnamed element stands), else its own
    /// file.
    fn phone_writes(
        &self,
        p: usize,
        change: &Draft,
        target: Target,
    ) -> Result<Vec<(usize, Key)>, FolderProblem> {
        let phone = &self.phones[p];
        let mac = || phone.mac.to_string();
        if phone.vendor != Vendor::Snom {
            return Err(FolderProblem::OtherVendor {
                mac: mac(),
                vendor: phone.vendor.as_str().to_owned(),
            });
        }
        let Some(e) = &phone.effective else {
            return Err(FolderProblem::PhoneUnreadable { mac: mac() });
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
                    return Err(FolderProblem::OwnFileIsContainer { mac: mac() });
                }
                _ => own,
            };
            planned.push((file, key));
        }
        Ok(planned)
    }

    /// Each file's edit, as `provpoll set` makes it; files it leaves as they are are left out.
    fn edits(&self, change: &Draft, writes: Writes) -> Result<Vec<FileEdit>, Vec<Issue>> {
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
        Ok(edits)
    }

    /// The folder read again with the edits.
    fn after(&self, edits: &[FileEdit]) -> Result<Folder, Vec<Issue>> {
        let mut files = self.files.clone();
        for edit in edits {
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
        Ok(Folder::resolve(files))
    }

    /// The phones that the edit of `file` changes: a setting they now take from that file reads
    /// otherwise than before (a value their own file overrides changes nothing for them).
    fn affected(&self, after: &Folder, file: usize) -> Vec<usize> {
        self.phones
            .iter()
            .zip(&after.phones)
            .enumerate()
            .filter(|(_, (before, now))| {
                let (Some(b), Some(a)) = (&before.effective, &now.effective) else {
                    return false;
                };
                Key::ALL.into_iter().any(|k| {
                    a.origin(k).is_some_and(|o| o.file == file)
                        && (a.draft.value(k), a.draft.perm(k))
                            != (b.draft.value(k), b.draft.perm(k))
                })
            })
            .map(|(i, _)| i)
            .collect()
    }
}
