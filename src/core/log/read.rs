//! Reading a log: each line as it comes, per phone only what the verdicts need (its fetches,
//! model, firmware and address), never a line (`shared/domain/access-log.md`, "A fetch").

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, Utc};

use super::request::{self, Request};
use crate::core::mac::Mac;
use crate::core::vendor::Vendor;

/// Requests of one phone each less than this after the one before are one fetch.
pub const BURST_SECONDS: i64 = 30;
/// How many lines that are not requests, and requests out of line, are named per file.
const NAMED: usize = 5;
/// A request dated more than this before the request on the line before it, in the same file,
/// is out of line (**Choice**): a server writes its lines in the order its requests end, so a
/// long download is written after shorter ones that began later, by minutes, never by an hour.
pub const OUT_OF_LINE_SECONDS: i64 = 3_600;
/// A line longer than this is not a request: it counts as one line, however long, and is
/// never kept whole.
pub const MAX_LINE: usize = 64 << 10;

/// A fetch seen: its first and last request (seconds since 1970), whether any was answered,
/// and the client address of its first request (its number among the log's addresses in
/// their order, once the log is finished: requests without a MAC join a fetch of their
/// address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    pub at: i64,
    pub end: i64,
    pub ok: bool,
    pub place: u32,
}

/// What the log says of one phone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhoneLog {
    /// In time order once [`Log::finish`] has run.
    pub fetches: Vec<Seen>,
    pub model: Option<String>,
    pub firmware: Option<String>,
    pub address: Option<String>,
    /// The user agent of its latest request (by time, whatever the files' order), read for
    /// model and firmware only when it changes; and that request's time.
    agent: Option<String>,
    latest: Option<i64>,
    /// The vendor its requests' paths name by their form (the least, whatever the order).
    path_vendor: Option<Vendor>,
    /// Fetches added since its fetches were last put in order.
    unsettled: bool,
}

impl PhoneLog {
    /// The vendor its latest user agent names, else its paths' form.
    pub fn vendor(&self) -> Option<Vendor> {
        self.agent
            .as_deref()
            .and_then(request::vendor)
            .or(self.path_vendor)
    }

    fn path_vendor(&mut self, v: Option<Vendor>) {
        if let Some(v) = v {
            self.path_vendor = Some(self.path_vendor.map_or(v, |p| p.min(v)));
        }
    }

    /// Adds a request at `at`: to the fetch it continues, or as a new one.
    fn add(&mut self, at: i64, ok: bool, place: u32) {
        self.unsettled = true;
        // Joined only at one address: which place a joined fetch keeps is decided in
        // `settle`, after the addresses are numbered, so the files' order cannot decide it.
        match self.fetches.last_mut() {
            Some(f) if at >= f.at && at - f.end < BURST_SECONDS && f.place == place => {
                f.end = f.end.max(at);
                f.ok |= ok;
            }
            _ => self.fetches.push(Seen {
                at,
                end: at,
                ok,
                place,
            }),
        }
    }

    /// Fetches in time order, those less than a burst apart joined (files come in any order).
    fn settle(&mut self) {
        self.unsettled = false;
        self.fetches.sort_by_key(|f| (f.at, f.end, f.place));
        let mut merged: Vec<Seen> = Vec::with_capacity(self.fetches.len());
        for f in self.fetches.drain(..) {
            match merged.last_mut() {
                Some(m) if f.at - m.end < BURST_SECONDS => {
                    m.end = m.end.max(f.end);
                    m.ok |= f.ok;
                }
                _ => merged.push(f),
            }
        }
        self.fetches = merged;
    }
}

/// One file of the log, as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileLog {
    pub path: String,
    pub lines: u64,
    pub requests: u64,
    /// Lines that are not requests (and requests that neither fetch nor upload).
    pub skipped: u64,
    /// Requests that send a file up (`PUT`: Poly's boot log), counted apart.
    pub uploads: u64,
    /// The first few lines that are not requests, by number.
    pub named: Vec<u64>,
    /// Why it could not be read (to the end), where it could not.
    pub error: Option<Cut>,
    /// Requests dated far before the request on the line before them ([`OUT_OF_LINE_SECONDS`]).
    pub out_of_line: u64,
    /// The first few of them.
    pub out_of_line_named: Vec<OutOfLine>,
    /// The last request's time and line.
    last: Option<(DateTime<FixedOffset>, u64)>,
}

/// A request dated far before the one before it: a clock that jumped, or another server's
/// file pasted in. It still counts, at its time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfLine {
    pub line: u64,
    pub at: DateTime<FixedOffset>,
    /// The request before it, and its line.
    pub before: DateTime<FixedOffset>,
    pub before_line: u64,
}

/// Why a file of the log could not be read to its end (said by the one way in,
/// [`super::ingest`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cut {
    /// It could not be opened at all.
    Unopened { reason: String },
    /// Its bytes stopped coming after `lines` lines.
    Read { lines: u64, reason: String },
    /// It ends inside its gzip stream, after `lines` lines.
    Gzip { lines: u64, reason: String },
}

/// A line that is a fetching request, with the MAC it names.
pub struct Parsed<'a> {
    pub request: Request<'a>,
    pub mac: Option<Mac>,
}

/// Reads a line: `None` where it is not a request that fetches (`GET`, `HEAD`) or uploads
/// (`PUT`).
pub fn parse(line: &str) -> Option<Parsed<'_>> {
    let request = request::parse(line).filter(|r| r.is_fetch() || r.is_upload())?;
    let mac = request::mac(&request);
    Some(Parsed { request, mac })
}

/// Cuts bytes that come in pieces (blocks of a file, chunks of a stream) into lines, each
/// without its `\r\n`: a line too long to be a request is `None`, once, and only the last
/// [`MAX_LINE`] bytes of an unfinished line are ever kept.
#[derive(Debug, Default)]
pub struct Cutter {
    rest: Vec<u8>,
    /// Inside a line too long to be a request, until its end.
    skipping: bool,
}

impl Cutter {
    /// Adds `bytes` (at the `end`, the last line needs no `\n`), and hands `take` the whole
    /// lines so far.
    pub fn cut<R>(
        &mut self,
        bytes: &[u8],
        end: bool,
        take: impl FnOnce(&[Option<&[u8]>]) -> R,
    ) -> R {
        self.rest.extend_from_slice(bytes);
        let cut = if end {
            self.rest.len()
        } else {
            memchr::memrchr(b'\n', &self.rest).map_or(0, |i| i + 1)
        };
        // Longer than a line and its `\r`: however the pieces fall, a line is too long exactly
        // when it is longer than `MAX_LINE` without its line end.
        if cut == 0 && self.rest.len() > MAX_LINE + 1 {
            let first = !std::mem::replace(&mut self.skipping, true);
            self.rest.clear();
            return take(if first { &[None] } else { &[] });
        }
        let skip = cut > 0 && std::mem::replace(&mut self.skipping, false);
        let block = &self.rest[..cut];
        let block = block.strip_suffix(b"\n").unwrap_or(block);
        let lines: Vec<Option<&[u8]>> = if cut == 0 {
            Vec::new()
        } else {
            let mut start = 0;
            let ends = memchr::memchr_iter(b'\n', block).chain([block.len()]);
            ends.map(|end| &block[std::mem::replace(&mut start, end + 1)..end])
                .skip(usize::from(skip))
                .map(|l| Some(l.strip_suffix(b"\r").unwrap_or(l)).filter(|l| l.len() <= MAX_LINE))
                .collect()
        };
        let taken = take(&lines);
        drop(lines);
        self.rest.drain(..cut);
        taken
    }
}

/// Gzip bytes as they come, inflated: every member of the file, as `gzip -d` reads what
/// `cat a.gz b.gz` makes (the browser's `DecompressionStream` stops after the first).
pub struct Gunzip(flate2::write::MultiGzDecoder<Vec<u8>>);

impl Default for Gunzip {
    fn default() -> Self {
        Gunzip(flate2::write::MultiGzDecoder::new(Vec::new()))
    }
}

/// Compressed bytes inflated at once: deflate packs at most about 1,032 bytes into one, so
/// the text of one slice is at most 16 MB, however large the pieces that come (Chromium hands
/// a file's stream over in pieces of megabytes).
const SLICE: usize = 16 << 10;

impl Gunzip {
    /// Hands `text` the text of `bytes`, as far as it can be inflated yet, a slice at a time (one
    /// buffer serves the whole file); an error where they are not gzip.
    pub fn push(&mut self, bytes: &[u8], text: &mut dyn FnMut(&[u8])) -> std::io::Result<()> {
        for slice in bytes.chunks(SLICE) {
            self.0.get_mut().clear();
            std::io::Write::write_all(&mut self.0, slice)?;
            text(self.0.get_ref());
        }
        Ok(())
    }

    /// Hands `text` the rest of the text; an error where the file ends inside a gzip stream.
    pub fn finish(&mut self, text: &mut dyn FnMut(&[u8])) -> std::io::Result<()> {
        self.0.get_mut().clear();
        self.0.try_finish()?;
        text(self.0.get_ref());
        Ok(())
    }
}

/// A line's text; bytes that are not UTF-8 as U+FFFD.
pub fn text(line: &[u8]) -> std::borrow::Cow<'_, str> {
    // Checked at once first: the lossy reading goes a piece at a time.
    match std::str::from_utf8(line) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(line),
    }
}

/// Requests of one client address that name no MAC, in the same second (each of them may be
/// another phone's: two phones behind one address may fetch within a burst of each other),
/// `count` of them.
#[derive(Clone, Copy, Debug)]
struct Orphans {
    at: i64,
    ok: bool,
    count: u64,
    /// Whether one of them was a Yealink common file (its phone is Yealink's).
    yealink: bool,
}

/// The log being read: files one after the other, each a line at a time.
#[derive(Debug, Default)]
pub struct Log {
    pub phones: BTreeMap<Mac, PhoneLog>,
    pub files: Vec<FileLog>,
    /// Requests no phone could be tied to.
    pub not_attributed: u64,
    /// The first and last request's instant.
    pub span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Each client address's number ([`Seen::place`]).
    places: HashMap<String, u32>,
    /// Per address, its requests without a MAC, a second at a time: joined to a phone's fetch
    /// at their address when the reading ends, so that it never depends on the files' order.
    orphans: HashMap<u32, Vec<Orphans>>,
    /// The file being read, by its index in `files` (`provpoll watch` reads several in turn).
    current: usize,
    /// How many addresses were numbered in their order when the log was last settled.
    numbered: usize,
    /// The address last numbered, and its number (until the numbers change).
    last_place: Option<(String, u32)>,
}

impl Log {
    /// Starts a file.
    pub fn file(&mut self, path: String) {
        self.current = self.files.len();
        self.files.push(FileLog {
            path,
            ..FileLog::default()
        });
    }

    /// Makes `files[index]` the file being read again (its counts go on).
    pub fn resume(&mut self, index: usize) {
        self.current = index.min(self.files.len().saturating_sub(1));
    }

    /// The index of the file being read.
    pub fn current(&self) -> usize {
        self.current
    }

    /// Says why the file being read could not be read to its end.
    pub fn fail(&mut self, error: Cut) {
        if let Some(f) = self.files.get_mut(self.current) {
            f.error = Some(error);
        }
    }

    /// Reads the next line of the file being read.
    pub fn line(&mut self, line: &str) {
        self.take(parse(line));
    }

    /// Reads the next lines of the file being read, as [`Cutter`] cut them.
    pub fn lines(&mut self, lines: &[Option<&[u8]>]) {
        for line in lines {
            match line {
                Some(line) => self.take(parse(&text(line))),
                None => self.take(None),
            }
        }
    }

    /// Takes the next line of the file being read, as [`parse`] read it (on any thread: the
    /// command line parses on every core, and takes the lines in their order).
    pub fn take(&mut self, line: Option<Parsed>) {
        let Some(file) = self.files.get_mut(self.current) else {
            return;
        };
        file.lines += 1;
        let Some(Parsed { request: r, mac }) = line else {
            file.skipped += 1;
            if file.named.len() < NAMED {
                file.named.push(file.lines);
            }
            return;
        };
        // A phone sending its own log is no fetch, and no bad line either: counted apart.
        if r.is_upload() {
            file.uploads += 1;
            return;
        }
        file.requests += 1;
        let at = r.at.timestamp();
        if let Some((before, before_line)) = file.last
            && before.timestamp() - at > OUT_OF_LINE_SECONDS
        {
            file.out_of_line += 1;
            if file.out_of_line_named.len() < NAMED {
                file.out_of_line_named.push(OutOfLine {
                    line: file.lines,
                    at: r.at,
                    before,
                    before_line,
                });
            }
        }
        file.last = Some((r.at, file.lines));
        let utc = r.at.to_utc();
        self.span = Some(match self.span {
            Some((from, to)) => (from.min(utc), to.max(utc)),
            None => (utc, utc),
        });
        match mac {
            Some(mac) => self.attributed(mac, &r, at),
            None => self.unattributed(&r, at),
        }
    }

    /// The number of the client address `address`.
    fn place(&mut self, address: &str) -> u32 {
        // A fetch's requests come one after the other from one address.
        if let Some((last, place)) = &self.last_place
            && last == address
        {
            return *place;
        }
        let place = match self.places.get(address) {
            Some(&place) => place,
            None => {
                let place = u32::try_from(self.places.len()).unwrap_or(u32::MAX);
                self.places.insert(address.to_owned(), place);
                place
            }
        };
        match &mut self.last_place {
            Some((last, at)) => {
                last.clear();
                last.push_str(address);
                *at = place;
            }
            None => self.last_place = Some((address.to_owned(), place)),
        }
        place
    }

    fn attributed(&mut self, mac: Mac, r: &Request, at: i64) {
        let place = self.place(r.address);
        let phone = self.phones.entry(mac).or_default();
        phone.add(at, r.is_ok(), place);
        phone.path_vendor(request::path_vendor(r.target));
        // What the agent and address say comes from the phone's latest request in time
        // (the latest agent, then address, on a tie), whatever the order of the files.
        let later = |latest: Option<i64>| latest.is_none_or(|l| at > l);
        let tie = phone.latest == Some(at);
        if later(phone.latest)
            || (tie && r.agent > phone.agent.as_deref())
            || (tie
                && r.agent == phone.agent.as_deref()
                && Some(r.address) > phone.address.as_deref())
        {
            phone.latest = Some(at);
            if r.agent != phone.agent.as_deref() {
                let read = r.agent.and_then(request::model_firmware);
                phone.model = read.as_ref().map(|(model, _)| model.clone());
                phone.firmware = read.map(|(_, firmware)| firmware);
                phone.agent = r.agent.map(str::to_owned);
            }
            if phone.address.as_deref() != Some(r.address) {
                phone.address = Some(r.address.to_owned());
            }
        }
    }

    /// A request without a MAC: joined to a phone's fetch at its address when the log is
    /// finished ([`Log::finish`]).
    fn unattributed(&mut self, r: &Request, at: i64) {
        let place = self.place(r.address);
        let ok = r.is_ok();
        let yealink = request::path_vendor(r.target) == Some(Vendor::Yealink);
        let orphans = self.orphans.entry(place).or_default();
        match orphans.last_mut() {
            Some(o) if o.at == at => {
                o.ok |= ok;
                o.count += 1;
                o.yealink |= yealink;
            }
            _ => orphans.push(Orphans {
                at,
                ok,
                count: 1,
                yealink,
            }),
        }
    }

    /// Ends the reading: each request without a MAC joins the fetch of a phone at its address
    /// less than a burst away (the nearest; on a tie, the lower MAC: **Choice**, docs), else
    /// it is not attributed; then every phone's fetches are put in time order.
    pub fn finish(&mut self) {
        self.settle(i64::MAX);
    }

    /// [`Log::finish`] for a log that goes on: only the requests without a MAC dated before
    /// `before` are joined or counted (a phone's own request may still come within a burst of
    /// a later one); more lines may be taken after it, and it may be called again.
    pub fn settle(&mut self, before: i64) {
        // No new address since the last time: the numbers are in order, and only the phones
        // with new fetches need putting in order (a log that goes on is settled every second).
        if self.numbered == self.places.len() {
            for phone in self.phones.values_mut().filter(|p| p.unsettled) {
                phone.settle();
            }
        } else {
            self.number_places();
        }
        self.join_orphans(before);
    }

    /// Numbers the addresses in their order, as the files' order may have numbered them, and
    /// puts every phone's fetches in order.
    fn number_places(&mut self) {
        self.numbered = self.places.len();
        self.last_place = None;
        let mut sorted: Vec<(&String, &u32)> = self.places.iter().collect();
        sorted.sort_unstable();
        let mut renumber = vec![0; sorted.len()];
        for (rank, &(_, &place)) in sorted.iter().enumerate() {
            renumber[place as usize] = u32::try_from(rank).unwrap_or(u32::MAX);
        }
        let new = |place: u32| renumber.get(place as usize).copied().unwrap_or(place);
        for phone in self.phones.values_mut() {
            for f in &mut phone.fetches {
                f.place = new(f.place);
            }
            phone.settle();
        }
        self.orphans = std::mem::take(&mut self.orphans)
            .into_iter()
            .map(|(place, o)| (new(place), o))
            .collect();
        for place in self.places.values_mut() {
            *place = new(*place);
        }
    }

    /// Joins each request without a MAC dated before `before` to the fetch of a phone at its
    /// address, or counts it as no phone's.
    fn join_orphans(&mut self, before: i64) {
        let mut later: HashMap<u32, Vec<Orphans>> = HashMap::new();
        for (&place, orphans) in &mut self.orphans {
            let kept: Vec<Orphans> = orphans.extract_if(.., |o| o.at >= before).collect();
            if !kept.is_empty() {
                later.insert(place, kept);
            }
        }
        self.orphans.retain(|_, o| !o.is_empty());
        if self.orphans.is_empty() {
            self.orphans = later;
            return;
        }
        // The phones' fetches at each address that has requests without a MAC, by start.
        let mut at_place: HashMap<u32, Vec<(i64, i64, Mac)>> =
            self.orphans.keys().map(|&p| (p, Vec::new())).collect();
        for (&mac, phone) in &self.phones {
            for f in &phone.fetches {
                if let Some(fetches) = at_place.get_mut(&f.place) {
                    fetches.push((f.at, f.end, mac));
                }
            }
        }
        let mut joined = Vec::new();
        for (place, mut orphans) in std::mem::take(&mut self.orphans) {
            let fetches = at_place.remove(&place).unwrap_or_default();
            orphans.sort_by_key(|o| o.at);
            let orphans = merge_seconds(orphans);
            for (o, mac) in orphans.iter().zip(nearest_each(fetches, &orphans)) {
                match mac {
                    Some(mac) => joined.push((mac, *o, place)),
                    None => self.not_attributed += o.count,
                }
            }
        }
        let mut joined_to = std::collections::BTreeSet::new();
        for (mac, o, place) in joined {
            if let Some(phone) = self.phones.get_mut(&mac) {
                phone.fetches.push(Seen {
                    at: o.at,
                    end: o.at,
                    ok: o.ok,
                    place,
                });
                if o.yealink {
                    phone.path_vendor(Some(Vendor::Yealink));
                }
                joined_to.insert(mac);
            }
        }
        for mac in joined_to {
            if let Some(phone) = self.phones.get_mut(&mac) {
                phone.settle();
            }
        }
        self.orphans = later;
    }

    /// Forgets what ended before `before` (`provpoll watch` keeps a window, so that its memory
    /// grows with the phones and their fetches, never with the time it runs): fetches but each
    /// phone's last (a phone silent for longer stays silent, never unseen), requests without a
    /// MAC; the span starts there at the earliest.
    pub fn forget_before(&mut self, before: i64) {
        for p in self.phones.values_mut() {
            let old = p.fetches.partition_point(|f| f.end < before);
            p.fetches
                .drain(..old.min(p.fetches.len().saturating_sub(1)));
        }
        for orphans in self.orphans.values_mut() {
            orphans.retain(|o| o.at >= before);
        }
        self.orphans.retain(|_, o| !o.is_empty());
        if let (Some((from, to)), Some(start)) = (self.span, DateTime::from_timestamp(before, 0)) {
            self.span = (to >= start).then(|| (from.max(start), to));
        }
    }
}

/// An address's requests without a MAC, one entry a second (the files' order may have left
/// several).
fn merge_seconds(sorted: Vec<Orphans>) -> Vec<Orphans> {
    let mut merged: Vec<Orphans> = Vec::with_capacity(sorted.len());
    for o in sorted {
        match merged.last_mut() {
            Some(m) if m.at == o.at => {
                m.ok |= o.ok;
                m.count += o.count;
                m.yealink |= o.yealink;
            }
            _ => merged.push(o),
        }
    }
    merged
}

/// For each of `orphans` (in time order), the phone whose fetch (of `fetches`, (start, end,
/// MAC)) lies nearest, less than a burst away; on a tie, the lower MAC. One sweep: a fetch is
/// looked at only while an orphan is within a burst of it, so a fetch of days (a phone that
/// asks every few seconds) costs no more than its neighbours.
fn nearest_each(mut fetches: Vec<(i64, i64, Mac)>, orphans: &[Orphans]) -> Vec<Option<Mac>> {
    fetches.sort_unstable();
    let mut next = 0;
    let mut near: Vec<(i64, i64, Mac)> = Vec::new();
    orphans
        .iter()
        .map(|o| {
            while let Some(&f) = fetches.get(next)
                && f.0 < o.at + BURST_SECONDS
            {
                near.push(f);
                next += 1;
            }
            near.retain(|f| f.1 > o.at - BURST_SECONDS);
            near.iter()
                .map(|&(start, end, mac)| ((o.at - end).max(start - o.at).max(0), mac))
                .min()
                .map(|(_, mac)| mac)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(at: &str, address: &str, target: &str, status: u16, agent: &str) -> String {
        format!(r#"{address} - - [{at} +0000] "GET {target} HTTP/1.1" {status} 1 "-" "{agent}""#)
    }

    #[test]
    fn a_log_that_goes_on_settles_what_is_a_burst_old_and_forgets_what_left_the_window() {
        let mac = Mac::parse("000413A1B2C3").unwrap();
        let fw = |at: &str| line(at, "10.0.0.5", "/fw/snomD785.bin", 200, "snomD785");
        let own = |at: &str| {
            line(
                at,
                "10.0.0.5",
                "/snomD785-000413A1B2C3.xml",
                200,
                "snomD785",
            )
        };
        let mut log = Log::default();
        log.file("a.log".into());
        log.line(&own("14/Jan/2026:02:00:00"));
        // A firmware request, then the phone's own 10 s later: settled before the phone's
        // came, it would be counted as no phone's.
        log.line(&fw("14/Jan/2026:03:00:00"));
        let t = |hms: &str| {
            DateTime::parse_from_rfc3339(&format!("2026-01-14T{hms}+00:00"))
                .unwrap()
                .timestamp()
        };
        log.settle(t("03:00:05") - BURST_SECONDS);
        assert_eq!(log.not_attributed, 0);
        log.line(&own("14/Jan/2026:03:00:10"));
        log.settle(t("03:00:40") - BURST_SECONDS);
        let at: Vec<i64> = log.phones[&mac].fetches.iter().map(|f| f.at).collect();
        assert_eq!(at, [t("02:00:00"), t("03:00:00")]);
        assert_eq!(log.not_attributed, 0);
        // Settled again, and more lines after: nothing counted twice.
        log.settle(i64::MAX);
        log.line(&own("14/Jan/2026:04:00:00"));
        log.finish();
        assert_eq!(log.phones[&mac].fetches.len(), 3);
        // Forgotten: what ended before 03:30; and at last all but the phone's last fetch.
        log.forget_before(t("03:30:00"));
        assert_eq!(log.phones[&mac].fetches.len(), 1);
        assert_eq!(
            log.span.map(|(from, _)| from.timestamp()),
            Some(t("03:30:00"))
        );
        log.forget_before(t("23:00:00"));
        assert_eq!(log.phones[&mac].fetches.len(), 1, "its last fetch stays");
        assert_eq!(log.span, None);
    }

    #[test]
    fn files_read_in_turn_keep_their_own_counts() {
        let mut log = Log::default();
        log.file("a.log".into());
        log.file("b.log".into());
        log.resume(0);
        log.line(&line(
            "14/Jan/2026:02:00:00",
            "10.0.0.5",
            "/x.xml",
            200,
            "-",
        ));
        log.resume(1);
        log.line("not a request");
        log.resume(0);
        log.line(&line(
            "14/Jan/2026:02:00:01",
            "10.0.0.5",
            "/x.xml",
            200,
            "-",
        ));
        let counts: Vec<(u64, u64)> = log.files.iter().map(|f| (f.lines, f.requests)).collect();
        assert_eq!(counts, [(2, 2), (1, 0)]);
    }

    #[test]
    fn bursts_are_fetches_and_a_request_without_a_mac_joins_its_address() {
        let mut log = Log::default();
        log.file("a.log".into());
        for l in [
            // The firmware first (no MAC), then the phone's files: one fetch.
            line(
                "14/Jan/2026:02:00:00",
                "10.0.0.5",
                "/fw/snomD785.bin",
                200,
                "snomD785",
            ),
            line(
                "14/Jan/2026:02:00:01",
                "10.0.0.5",
                "/snomD785.htm",
                404,
                "x",
            ),
            line(
                "14/Jan/2026:02:00:02",
                "10.0.0.5",
                "/snomD785-000413A1B2C3.htm",
                404,
                "x",
            ),
            // 29 s later: the same fetch; 30 s after that: a new one, failed.
            line(
                "14/Jan/2026:02:00:31",
                "10.0.0.5",
                "/000413A1B2C3.xml",
                404,
                "x",
            ),
            line(
                "14/Jan/2026:02:01:01",
                "10.0.0.5",
                "/000413A1B2C3.xml",
                500,
                "x",
            ),
            // Another address without a MAC: not attributed.
            line("14/Jan/2026:02:05:00", "10.0.0.9", "/fw/x.bin", 200, "x"),
            "a truncated line".to_owned(),
        ] {
            log.line(&l);
        }
        log.finish();
        let phone = &log.phones[&Mac::parse("000413A1B2C3").unwrap()];
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().timestamp();
        assert_eq!(
            phone.fetches,
            [
                Seen {
                    at: t("2026-01-14T02:00:00Z"),
                    end: t("2026-01-14T02:00:31Z"),
                    ok: true,
                    place: 0
                },
                Seen {
                    at: t("2026-01-14T02:01:01Z"),
                    end: t("2026-01-14T02:01:01Z"),
                    ok: false,
                    place: 0
                },
            ]
        );
        assert_eq!(phone.address.as_deref(), Some("10.0.0.5"));
        assert_eq!(log.not_attributed, 1);
        assert_eq!(
            (
                log.files[0].lines,
                log.files[0].requests,
                log.files[0].skipped
            ),
            (7, 6, 1)
        );
        assert_eq!(log.files[0].named, [7]);
    }

    /// The lines `pieces` are cut into, as text (`None` for one too long).
    fn cut(pieces: &[&[u8]]) -> Vec<Option<String>> {
        let mut cutter = Cutter::default();
        let mut out = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            cutter.cut(piece, i + 1 == pieces.len(), |lines| {
                out.extend(lines.iter().map(|l| l.map(|l| text(l).into_owned())))
            });
        }
        out
    }

    #[test]
    fn lines_are_cut_across_pieces_without_their_line_ends() {
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            cut(&[b"a\r\nb", b"c\n", b"\nd", b""]),
            [some("a"), some("bc"), some(""), some("d")]
        );
        assert_eq!(cut(&[b"a\n", b""]), [some("a")]);
        assert_eq!(cut(&[b""]), Vec::<Option<String>>::new());
    }

    #[test]
    fn a_line_too_long_is_one_line_however_many_pieces_it_spans() {
        let long = vec![b'x'; MAX_LINE];
        let some = |s: &str| Some(s.to_owned());
        // 3 × 64 KiB without a line end, then its end and a line.
        assert_eq!(
            cut(&[&long, &long, &long, b"x\nafter\n", b""]),
            [None, some("after")]
        );
        // Within one piece, and at the end of the file.
        let mut one = long.clone();
        one.extend_from_slice(b"x\nok");
        assert_eq!(cut(&[&one, b""]), [None, some("ok")]);
        assert_eq!(cut(&[b"a\n", &long, &long]), [some("a"), None]);
        // Exactly the limit is still a line.
        assert_eq!(cut(&[&long, b""]), [Some("x".repeat(MAX_LINE))]);
    }

    fn gzip(text: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    }

    /// `bytes` through [`Gunzip`] a piece of `size` at a time: the text, or the error's kind.
    fn gunzip(bytes: &[u8], size: usize) -> Result<Vec<u8>, std::io::ErrorKind> {
        let mut g = Gunzip::default();
        let mut out = Vec::new();
        let mut take = |t: &[u8]| out.extend_from_slice(t);
        for piece in bytes.chunks(size) {
            g.push(piece, &mut take).map_err(|e| e.kind())?;
        }
        g.finish(&mut take).map_err(|e| e.kind())?;
        Ok(out)
    }

    #[test]
    fn a_gzip_file_is_inflated_a_slice_at_a_time_however_large_its_pieces() {
        let text: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("line {i} of the log\n").into_bytes())
            .collect();
        let whole = gzip(&text);
        let mut g = Gunzip::default();
        let (mut total, mut largest) = (0, 0);
        let mut take = |t: &[u8]| {
            total += t.len();
            largest = largest.max(t.len());
        };
        // The whole file as one piece.
        g.push(&whole, &mut take).unwrap();
        g.finish(&mut take).unwrap();
        assert_eq!(total, text.len());
        assert!(largest < 2 << 20, "{largest} bytes of text at once");
    }

    #[test]
    fn every_member_of_a_gzip_file_is_read_and_one_cut_short_is_an_error() {
        let mut two = gzip(b"first\n");
        two.extend(gzip(b"second\n"));
        for size in [1, 7, 4096] {
            assert_eq!(
                gunzip(&two, size),
                Ok(b"first\nsecond\n".to_vec()),
                "{size}"
            );
        }
        let whole = gzip(&b"a line of the log\n".repeat(1000));
        assert_eq!(gunzip(&whole, 100).map(|t| t.len()), Ok(18_000));
        let cut = &whole[..whole.len() - 10];
        assert!(gunzip(cut, 100).is_err());
        assert!(gunzip(b"not gzip at all", 100).is_err());
    }

    #[test]
    fn files_in_any_order_are_one_log() {
        let a = line(
            "14/Jan/2026:02:00:10",
            "10.0.0.5",
            "/000413A1B2C3.xml",
            200,
            "x",
        );
        let b = line(
            "14/Jan/2026:02:00:00",
            "10.0.0.5",
            "/000413A1B2C3.xml",
            200,
            "x",
        );
        let mut log = Log::default();
        log.file("today".into());
        log.line(&a);
        log.file("yesterday".into());
        log.line(&b);
        log.finish();
        assert_eq!(
            log.phones[&Mac::parse("000413A1B2C3").unwrap()]
                .fetches
                .len(),
            1
        );
        let (from, to) = log.span.unwrap();
        assert_eq!((to - from).num_seconds(), 10);
    }
}
