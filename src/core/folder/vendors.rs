//! What another vendor's phone reads of the folder, in its vendor's order, and the values it
//! ends up with (`shared/domain/vendors.md`, "Which file wins"): Poly's master file and the
//! files its `CONFIG_FILES` lists (the first value found wins); Yealink's MAC file over its
//! model's common file; Cisco's own files (the last value read wins, as snom's); Grandstream's
//! `cfg<MAC>.xml`, `cfg<MAC>`, then `cfg.xml`.

use std::collections::HashMap;

use super::{Concern, Content, File, Finding, Severity};
use crate::core::mac::Mac;
use crate::core::message::FolderProblem;
use crate::core::vendor::{Entry, Note, Reading, Vendor, VendorFile, is_yealink_common, poly};

/// The vendor's reading of a file of the folder (nothing for another file).
fn vendor_file(file: &File) -> Option<&VendorFile> {
    match &file.content {
        Content::Foreign { read, .. } => Some(read),
        _ => None,
    }
}

fn is_vendor(file: &File, vendor: Vendor) -> bool {
    matches!(file.content, Content::Foreign { vendor: v, .. } if v == vendor)
}

/// Finds a file by its name (any case), in folder `dir` first, else anywhere (the first by
/// path): a phone reads the common files beside its own.
pub(super) fn dir_lookup(files: &[File]) -> impl Fn(&str, &str) -> Option<usize> + '_ {
    let mut by_dir: HashMap<(&str, String), usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        let name = file.name().to_ascii_lowercase();
        by_dir.entry((file.dir(), name.clone())).or_insert(i);
        by_name.entry(name).or_insert(i);
    }
    move |dir: &str, name: &str| {
        let name = name.to_ascii_lowercase();
        by_dir
            .get(&(dir, name.clone()))
            .or_else(|| by_name.get(&name))
            .copied()
    }
}

/// The files the phone reads, in order (its values ranked by [`reading`]), with any finding
/// about the choice.
pub(super) fn reads(
    files: &[File],
    vendor: Vendor,
    mac: Mac,
    own: &[usize],
    dir: &str,
    lookup: &dyn Fn(&str, &str) -> Option<usize>,
    findings: &mut Vec<Finding>,
) -> Vec<usize> {
    let in_dir = |i: &usize| files[*i].dir() == dir;
    let master = |i: usize| {
        is_vendor(&files[i], Vendor::Poly) && vendor_file(&files[i]).is_some_and(|f| f.master)
    };
    match vendor {
        Vendor::Poly => {
            // `<MAC>.cfg` when it is a master file, else the folder's `000000000000.cfg`
            // (**Choice**: a `<MAC>.cfg` of settings is a config file the default lists).
            let own_name = format!("{}.cfg", mac.to_ascii_lowercase());
            let master = own
                .iter()
                .copied()
                .find(|&i| files[i].name().eq_ignore_ascii_case(&own_name) && master(i))
                .or_else(|| lookup(dir, "000000000000.cfg").filter(|&i| master(i)));
            let Some(master) = master else {
                return own.to_vec();
            };
            let mut reads = vec![master];
            // Each file once, however often it is listed (the master itself too).
            let mut taken = std::collections::HashSet::from([master]);
            let listed = vendor_file(&files[master]).map_or(&[][..], |f| &f.config_files[..]);
            let master_dir = files[master].dir();
            for name in listed {
                let name = poly::listed_name(name, &mac.to_string());
                match lookup(master_dir, &name) {
                    Some(i) if taken.insert(i) => reads.push(i),
                    Some(_) => {}
                    None => findings.push(Finding {
                        file: master,
                        line: 1,
                        column: 1,
                        severity: Severity::Warning,
                        concern: Concern::Folder(FolderProblem::MissingListed { url: name }),
                    }),
                }
            }
            reads
        }
        Vendor::Yealink => {
            let common: Vec<usize> = (0..files.len())
                .filter(|i| in_dir(i) && is_yealink_common(files[*i].name()))
                .filter(|&i| is_vendor(&files[i], Vendor::Yealink))
                .collect();
            let mut reads = own.to_vec();
            match common.as_slice() {
                [] => {}
                [one] => reads.push(*one),
                several => findings.push(Finding {
                    file: own.first().copied().unwrap_or(several[0]),
                    line: 1,
                    column: 1,
                    severity: Severity::Warning,
                    concern: Concern::Folder(FolderProblem::SeveralCommonFiles {
                        mac: mac.to_string(),
                        files: several
                            .iter()
                            .map(|&i| files[i].path.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    }),
                }),
            }
            reads
        }
        Vendor::Grandstream => {
            let mut reads = own.to_vec();
            // `cfg<MAC>.xml` before `cfg<MAC>`: the one with `.xml` first (**Choice**).
            reads.sort_by_key(|&i| !files[i].name().to_ascii_lowercase().ends_with(".xml"));
            if let Some(all) = lookup(dir, "cfg.xml").filter(|&i| is_vendor(&files[i], vendor)) {
                reads.push(all);
            }
            reads
        }
        _ => own.to_vec(),
    }
}

/// The values the phone ends up with from `reads` (in the order [`reads`] gives), each with the
/// file it came from, and the plan they make.
pub(super) fn reading(files: &[File], vendor: Vendor, reads: &[usize]) -> Option<Reading> {
    // Cisco's last file read wins, as snom's: the first from the end.
    let ranked: Vec<usize> = if vendor == Vendor::Cisco {
        reads.iter().rev().copied().collect()
    } else {
        reads.to_vec()
    };
    // A file the phone cannot take gives nothing, and leaves what it applied unknown.
    let broken = ranked
        .iter()
        .any(|&i| vendor_file(&files[i]).is_some_and(VendorFile::is_broken));
    let entries: Vec<Entry> = ranked
        .iter()
        .filter_map(|&i| Some((i, vendor_file(&files[i]).filter(|f| !f.is_broken())?)))
        .flat_map(|(i, f)| {
            f.entries.iter().map(move |e| {
                let mut e = e.clone();
                e.at.file = i;
                e
            })
        })
        .collect();
    let mut reading = vendor.reading(&entries)?;
    reading.broken = broken;
    Some(reading)
}

/// A vendor's note as a finding of file `file` (a file's own notes say file 0).
pub(super) fn finding(file: usize, n: &Note) -> Finding {
    Finding {
        file,
        line: n.at.line,
        column: n.at.column,
        severity: if n.is_error() {
            Severity::Error
        } else {
            Severity::Warning
        },
        concern: Concern::Vendor(n.problem.clone()),
    }
}

/// Each vendor file's own problems (its markup, a Yealink file's first line), at its place.
pub(super) fn file_findings(files: &[File]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (i, file) in files.iter().enumerate() {
        for n in vendor_file(file).map_or(&[][..], |f| &f.notes[..]) {
            findings.push(finding(i, n));
        }
    }
    findings
}
