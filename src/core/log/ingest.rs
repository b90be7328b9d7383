//! One way in for a log: each file's bytes as they come (blocks of a file, chunks of a stream,
//! a pipe), told gzip by its first two bytes, inflated, cut into lines and read. The command
//! line and the page's worker only hand it bytes; what a file cut short is called is the
//! text's business ([`Cut`] holds the facts).

use super::GZIP_MAGIC;
pub use super::read::Cut;
use super::read::{Cutter, Gunzip, Log};

/// Takes the lines cut so far into the log: [`Log::lines`], or the command line's reading on
/// every core.
pub type Take<'a> = &'a mut dyn FnMut(&mut Log, &[Option<&[u8]>]);

/// The file being read.
#[derive(Default)]
struct File {
    /// Its first bytes, until there are two to tell gzip by.
    head: Vec<u8>,
    /// `Some` once told: gzip or not.
    gzip: Option<Option<Gunzip>>,
    /// Inflated text not yet cut, gathered to `batch` bytes.
    text: Vec<u8>,
    cutter: Cutter,
    /// A gzip stream that broke: the rest of the file is not read.
    broken: bool,
}

/// A log being read, a file at a time (or several in turn: [`Ingest::open`]).
#[derive(Default)]
pub struct Ingest {
    log: Log,
    file: Option<File>,
    /// Files begun and not ended while another is read, by their index in the log's files.
    parked: std::collections::HashMap<usize, File>,
    /// Inflated text gathered before it is cut (the command line parses 8 MB at once on every
    /// core; the worker cuts each piece as it comes).
    batch: usize,
}

impl Ingest {
    /// Lines are cut from inflated text once `batch` bytes of it have gathered.
    pub fn new(batch: usize) -> Ingest {
        Ingest {
            batch,
            ..Ingest::default()
        }
    }

    /// The log read so far (its files' counts grow as bytes come).
    pub fn log(&self) -> &Log {
        &self.log
    }

    /// The log read so far, to settle or forget in (`provpoll watch`).
    pub fn log_mut(&mut self) -> &mut Log {
        &mut self.log
    }

    /// Starts the file `path` while the one being read waits, unended (a log that is
    /// followed: [`Ingest::resume`] goes back to it); its index in the log's files.
    pub fn open(&mut self, path: String) -> usize {
        self.park();
        self.log.file(path);
        self.file = Some(File::default());
        self.log.current()
    }

    /// Goes on with the file of index `index`, begun with [`Ingest::open`] and not ended.
    pub fn resume(&mut self, index: usize) {
        if self.file.is_some() && self.log.current() == index {
            return;
        }
        self.park();
        self.file = self.parked.remove(&index);
        self.log.resume(index);
    }

    fn park(&mut self) {
        if let Some(file) = self.file.take() {
            self.parked.insert(self.log.current(), file);
        }
    }

    /// Starts the file `path` (the one before ends, as read so far).
    pub fn file(&mut self, path: String) {
        self.end(None, &mut |log, lines| log.lines(lines));
        self.log.file(path);
        self.file = Some(File::default());
    }

    /// A file that could not be opened.
    pub fn unopened(&mut self, path: String, reason: String) {
        self.file(path);
        self.file = None;
        self.log.fail(Cut::Unopened { reason });
    }

    /// The next bytes of the file; false once it cannot be read further (a broken gzip
    /// stream, already told).
    pub fn push(&mut self, bytes: &[u8]) -> bool {
        self.push_with(bytes, &mut |log, lines| log.lines(lines))
    }

    /// [`Ingest::push`], the lines taken by `take`.
    pub fn push_with(&mut self, bytes: &[u8], take: Take) -> bool {
        let Some(file) = &mut self.file else {
            return false;
        };
        if file.broken {
            return false;
        }
        let bytes = match file.gzip {
            Some(_) => bytes,
            None => {
                file.head.extend_from_slice(bytes);
                if file.head.len() < GZIP_MAGIC.len() {
                    return true;
                }
                let gzip = file.head.starts_with(&GZIP_MAGIC);
                file.gzip = Some(gzip.then(Gunzip::default));
                let head = std::mem::take(&mut file.head);
                return self.pour(&head, take);
            }
        };
        self.pour(bytes, take)
    }

    /// Bytes after the head: inflated where gzip, then cut.
    fn pour(&mut self, bytes: &[u8], take: Take) -> bool {
        let Some(file) = &mut self.file else {
            return false;
        };
        let log = &mut self.log;
        let batch = self.batch;
        let File {
            gzip,
            text,
            cutter,
            broken,
            ..
        } = file;
        match gzip {
            Some(Some(gunzip)) => {
                // Cut as the text comes, a batch at a time: a block of a file inflates to
                // about 30 times its size.
                let inflated = gunzip.push(bytes, &mut |t| {
                    text.extend_from_slice(t);
                    if text.len() >= batch {
                        cutter.cut(text, false, |lines| take(log, lines));
                        text.clear();
                    }
                });
                if let Err(e) = inflated {
                    *broken = true;
                    cutter.cut(text, true, |lines| take(log, lines));
                    text.clear();
                    let lines = log.files.get(log.current()).map_or(0, |f| f.lines);
                    log.fail(Cut::Gzip {
                        lines,
                        reason: e.to_string(),
                    });
                    return false;
                }
            }
            _ => cutter.cut(bytes, false, |lines| take(log, lines)),
        }
        true
    }

    /// Ends the file being read: at its end (`failed` is `None`), or where its bytes stopped
    /// coming, and why.
    pub fn end(&mut self, failed: Option<String>, take: Take) {
        let Some(mut file) = self.file.take() else {
            return;
        };
        let log = &mut self.log;
        if !file.broken {
            // A file shorter than gzip's magic is plain text.
            if file.gzip.is_none() {
                file.cutter.cut(&file.head, false, |lines| take(log, lines));
            }
            let mut text = std::mem::take(&mut file.text);
            let finished = match &mut file.gzip {
                Some(Some(gunzip)) => gunzip.finish(&mut |t| text.extend_from_slice(t)),
                _ => Ok(()),
            };
            file.cutter.cut(&text, true, |lines| take(log, lines));
            let lines = log.files.get(log.current()).map_or(0, |f| f.lines);
            match (failed, finished) {
                (Some(reason), _) => log.fail(Cut::Read { lines, reason }),
                (None, Err(e)) => log.fail(Cut::Gzip {
                    lines,
                    reason: e.to_string(),
                }),
                (None, Ok(())) => {}
            }
        }
    }

    /// Every file read: each phone's fetches in time order.
    pub fn finish(mut self) -> Log {
        self.end(None, &mut |log, lines| log.lines(lines));
        self.log.finish();
        self.log
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(text: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    const LINE: &str =
        "10.0.0.5 - - [14/Jan/2026:02:00:00 +0000] \"GET /000413A1B2C3.xml HTTP/1.1\" 200 1\n";

    /// `bytes` as one file, handed `size` bytes at a time.
    fn read(bytes: &[u8], size: usize, batch: usize) -> Log {
        let mut ingest = Ingest::new(batch);
        ingest.file("a.log".into());
        for piece in bytes.chunks(size) {
            ingest.push(piece);
        }
        ingest.finish()
    }

    #[test]
    fn plain_and_gzip_give_the_same_lines_in_pieces_of_any_size() {
        let text = LINE.repeat(300);
        let zipped = gzip(text.as_bytes());
        for size in [1, 2, 3, 100, 1 << 20] {
            for batch in [0, 4096, 8 << 20] {
                for bytes in [text.as_bytes(), &zipped[..]] {
                    let log = read(bytes, size, batch);
                    let f = &log.files[0];
                    assert_eq!(
                        (f.lines, f.requests, &f.error),
                        (300, 300, &None),
                        "{size} {batch}"
                    );
                }
            }
        }
        // One byte, and none: plain.
        assert_eq!(read(b"x", 1, 0).files[0].lines, 1);
        assert_eq!(read(b"", 1, 0).files[0].lines, 0);
    }

    #[test]
    fn a_file_cut_short_keeps_what_was_read_and_says_where() {
        let zipped = gzip(LINE.repeat(3000).as_bytes());
        let log = read(&zipped[..zipped.len() / 2], 1000, 0);
        let f = &log.files[0];
        match &f.error {
            Some(Cut::Gzip { lines, .. }) => assert!(*lines == f.lines && *lines > 0, "{f:?}"),
            e => panic!("{e:?}"),
        }
        // Not gzip after its magic: broken at once, nothing read.
        let log = read(&[0x1f, 0x8b, 0, 0, 1, 2, 3], 3, 0);
        assert!(matches!(
            log.files[0].error,
            Some(Cut::Gzip { lines: 0, .. })
        ));
        // A source that fails midway.
        let mut ingest = Ingest::new(0);
        ingest.file("pipe".into());
        ingest.push(LINE.as_bytes());
        ingest.push(b"10.0.0.5 - - [14/Jan");
        ingest.end(Some("broken pipe".into()), &mut |log, l| log.lines(l));
        ingest.unopened("missing.log".into(), "No such file or directory".into());
        let log = ingest.finish();
        assert_eq!(
            log.files[0].error,
            Some(Cut::Read {
                lines: 2,
                reason: "broken pipe".into()
            })
        );
        assert_eq!((log.files[0].requests, log.files[0].skipped), (1, 1));
        assert_eq!(
            log.files[1].error,
            Some(Cut::Unopened {
                reason: "No such file or directory".into()
            })
        );
    }
}
