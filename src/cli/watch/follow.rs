//! Following one log file as `tail -F` does, and better: the file is known by its device and
//! inode, not its name, so a rotation by rename, a copy and truncate, a deletion and a file
//! that does not exist yet are each told apart, and no line is read twice or lost.
//!
//! - The name points to another file (rotated by rename, or deleted and made anew): the old
//!   file is read to its end, and kept open a while (a server writes on into it until it
//!   reopens its log: `nginx -s reopen`, Apache's graceful restart); the new one is read
//!   from its start.
//! - The file is shorter than what was read (`copytruncate`): read again from its start.
//! - No file of that name: the one open is read on; else it is waited for.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::core::log::ingest::{Ingest, Take};

/// How long a file rotated away is still read after its name points elsewhere.
pub const RETIRE_AFTER: Duration = Duration::from_secs(30);
/// Bytes read from one file in one poll at most, so that the others, the clock and the
/// judging are never held up for long.
const POLL_BYTES: u64 = 64 << 20;

/// A file being read, as the log knows it.
struct Open {
    file: File,
    /// Device and inode.
    id: (u64, u64),
    /// Bytes read from it so far.
    offset: u64,
    /// Its index in the log's files.
    index: usize,
}

/// One log file followed by its name.
pub struct Follower {
    pub path: PathBuf,
    open: Option<Open>,
    /// The file the name pointed to before, read on until [`RETIRE_AFTER`] has passed.
    retiring: Option<(Open, Instant)>,
    /// Rotations and truncations seen.
    pub rotations: u64,
    /// The last problem told, so that each is told once.
    told: Option<String>,
    /// Where bytes are read into, kept from poll to poll.
    buf: Vec<u8>,
}

/// What a poll found, for the daemon to tell.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Polled {
    pub bytes: u64,
    /// A problem that is new since the last poll (one that goes on is told once).
    pub problem: Option<String>,
    /// Whether bytes are still waiting (the poll stopped at its limit).
    pub more: bool,
}

impl Follower {
    pub fn new(path: PathBuf) -> Follower {
        Follower {
            path,
            open: None,
            retiring: None,
            rotations: 0,
            told: None,
            buf: vec![0; 1 << 20],
        }
    }

    /// Reads what is new since the last poll into `ingest`.
    pub fn poll(&mut self, ingest: &mut Ingest, take: Take) -> Polled {
        let mut polled = Polled::default();
        let mut problem = None;
        if let Some((old, since)) = &mut self.retiring {
            let (n, error) = drain(old, ingest, take, POLL_BYTES, &mut self.buf);
            polled.bytes += n;
            if n > 0 {
                *since = Instant::now();
            }
            if error.is_some() || since.elapsed() >= RETIRE_AFTER {
                ingest.resume(old.index);
                ingest.end(error, take);
                self.retiring = None;
            }
        }
        // At most twice: the file open, then the one its name now points to.
        for _ in 0..2 {
            if let Some(open) = &mut self.open {
                // Shorter than what was read: truncated in place; the rest of the line read
                // before is gone with it.
                if open.file.metadata().is_ok_and(|m| m.len() < open.offset) {
                    ingest.resume(open.index);
                    ingest.end(None, take);
                    open.index = ingest.open(self.path.display().to_string());
                    open.offset = 0;
                    if let Err(e) = open.file.seek(SeekFrom::Start(0)) {
                        problem = Some(e.to_string());
                    }
                    self.rotations += 1;
                }
                let (n, error) = drain(
                    open,
                    ingest,
                    take,
                    POLL_BYTES - polled.bytes.min(POLL_BYTES),
                    &mut self.buf,
                );
                polled.bytes += n;
                if polled.bytes >= POLL_BYTES {
                    polled.more = true;
                    break;
                }
                if let Some(e) = error {
                    problem = Some(e);
                }
            }
            match std::fs::metadata(&self.path) {
                Ok(meta) => {
                    let id = (meta.dev(), meta.ino());
                    match &self.open {
                        Some(open) if open.id == id => break,
                        _ => {}
                    }
                    let file = match File::open(&self.path) {
                        Ok(f) => f,
                        Err(e) => {
                            problem = Some(e.to_string());
                            break;
                        }
                    };
                    // Known by the handle opened, which may differ from the name's a moment ago.
                    let id = file.metadata().map_or(id, |m| (m.dev(), m.ino()));
                    if let Some(old) = self.open.take() {
                        self.rotations += 1;
                        if let Some((older, _)) = self.retiring.replace((old, Instant::now())) {
                            ingest.resume(older.index);
                            ingest.end(None, take);
                        }
                    }
                    let index = ingest.open(self.path.display().to_string());
                    self.open = Some(Open {
                        file,
                        id,
                        offset: 0,
                        index,
                    });
                }
                // Renamed or deleted: the file open is read on; none yet is waited for.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if self.open.is_none() {
                        problem = Some("waiting for it to exist".to_owned());
                    }
                    break;
                }
                Err(e) => {
                    problem = Some(e.to_string());
                    break;
                }
            }
        }
        if problem != self.told {
            polled.problem.clone_from(&problem);
            self.told = problem;
        }
        polled
    }
}

/// Reads `open` from where it was left to its end (at most `limit` bytes); the bytes read and
/// the error that stopped it, if one did.
fn drain(
    open: &mut Open,
    ingest: &mut Ingest,
    take: Take,
    limit: u64,
    buf: &mut [u8],
) -> (u64, Option<String>) {
    let mut read = 0u64;
    while read < limit {
        match open.file.read(buf) {
            Ok(0) => break,
            Ok(n) => {
                ingest.resume(open.index);
                ingest.push_with(&buf[..n], take);
                open.offset += n as u64;
                read += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (read, Some(e.to_string())),
        }
    }
    (read, None)
}
