//! The rows of the XML view. A row ends after a line break, or after [`ROW`] bytes of a longer
//! line (a file on one line still shows a row at a time). The view draws only the rows on
//! screen; after an edit, the rows are the file's as read, shifted, with only the lines the edit
//! touched counted anew: an edit costs what it changes, not the file's size.

use std::ops::Range;

use super::render::escape;

/// The most bytes a row holds (a row never splits a character).
pub const ROW: usize = 1024;

/// Where each row of `bytes` starts, `bytes` starting a line; `at` is added to each.
pub fn row_starts(bytes: &[u8], at: usize, out: &mut Vec<usize>) {
    let mut start = 0;
    while start < bytes.len() {
        out.push(at + start);
        let line_end = bytes[start..]
            .iter()
            .take(ROW)
            .position(|&b| b == b'\n')
            .map(|i| start + i + 1);
        start = line_end.unwrap_or_else(|| cut(bytes, start));
    }
}

/// Where a row starting at `start` without a line break in its first [`ROW`] bytes ends: at
/// most [`ROW`] bytes on, never inside a character.
fn cut(bytes: &[u8], start: usize) -> usize {
    let mut end = (start + ROW).min(bytes.len());
    while end > start + 1 && end < bytes.len() && bytes[end] & 0xC0 == 0x80 {
        end -= 1;
    }
    end
}

/// A run of rows: some of the file as read (their indices in its rows, and by how much they
/// moved), or rows of edited lines (where they start in the edited file).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Kept { rows: Range<usize>, shift: isize },
    New(Vec<usize>),
}

/// The rows of a file as edited by splices, found from the rows of the file as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rows {
    parts: Vec<Part>,
    /// The edited file's length.
    len: usize,
    /// The byte ranges the edit wrote in the edited file.
    pub written: Vec<Range<usize>>,
}

impl Rows {
    /// The rows of `base` (whose rows are `base_rows`) edited by `splices` (in order, not
    /// overlapping). Only the lines a splice touches are read.
    pub fn new(base: &[u8], base_rows: &[usize], splices: &[(Range<usize>, Vec<u8>)]) -> Rows {
        let mut parts = Vec::new();
        let mut written = Vec::new();
        let mut delta = 0isize;
        let mut kept_from = 0;
        let mut i = 0;
        while i < splices.len() {
            // The lines the splice touches, and those of the splices that follow on them.
            let start = line_start(base, splices[i].0.start);
            let mut end = line_end(base, splices[i].0.end);
            let mut j = i + 1;
            // A splice on a line already touched joins (one at the end joins a last line
            // without a line break).
            while j < splices.len() && (splices[j].0.start < end || end == base.len()) {
                end = line_end(base, splices[j].0.end.max(end));
                j += 1;
            }
            parts.push(kept(base_rows, kept_from..start, delta));
            let out_start = (start as isize + delta) as usize;
            let mut bytes = Vec::new();
            let mut at = start;
            for (range, new) in &splices[i..j] {
                bytes.extend_from_slice(&base[at..range.start]);
                let from = out_start + bytes.len();
                written.push(from..from + new.len());
                bytes.extend_from_slice(new);
                delta += new.len() as isize - range.len() as isize;
                at = range.end;
            }
            bytes.extend_from_slice(&base[at..end]);
            let mut starts = Vec::new();
            row_starts(&bytes, out_start, &mut starts);
            parts.push(Part::New(starts));
            kept_from = end;
            i = j;
        }
        parts.push(kept(base_rows, kept_from..base.len(), delta));
        parts.retain(|p| p.len() > 0);
        Rows {
            parts,
            len: (base.len() as isize + delta) as usize,
            written,
        }
    }

    /// How many rows there are.
    pub fn count(&self) -> usize {
        self.parts.iter().map(Part::len).sum()
    }

    /// Where row `k` starts and ends in the edited file (`None` past the last row), given the
    /// rows of the file as read that [`Rows::new`] had.
    pub fn range(&self, base_rows: &[usize], k: usize) -> Option<Range<usize>> {
        let start = self.start(base_rows, k)?;
        Some(start..self.start(base_rows, k + 1).unwrap_or(self.len))
    }

    fn start(&self, base_rows: &[usize], mut k: usize) -> Option<usize> {
        for part in &self.parts {
            if k < part.len() {
                return match part {
                    Part::Kept { rows, shift } => {
                        Some((*base_rows.get(rows.start + k)? as isize + shift) as usize)
                    }
                    Part::New(starts) => starts.get(k).copied(),
                };
            }
            k -= part.len();
        }
        None
    }
}

impl Rows {
    /// The row holding byte `at` of the edited file.
    pub fn row_of(&self, base_rows: &[usize], at: usize) -> usize {
        let (mut low, mut high) = (0, self.count());
        while low + 1 < high {
            let mid = (low + high) / 2;
            match self.start(base_rows, mid) {
                Some(s) if s <= at => low = mid,
                _ => high = mid,
            }
        }
        low
    }

    /// The markup of rows `shown` (as many as there are): each row's text, in a `<mark>` where
    /// the edit wrote in it (`marked`), a `<br>` after a row cut from a longer line.
    pub fn html(
        &self,
        base: &[u8],
        base_rows: &[usize],
        splices: &[(Range<usize>, Vec<u8>)],
        shown: Range<usize>,
        marked: bool,
    ) -> String {
        let first = self.range(base_rows, shown.start);
        let last = self.range(base_rows, shown.end.min(self.count()).saturating_sub(1));
        let (Some(first), Some(last)) = (first, last) else {
            return String::new();
        };
        let from = first.start;
        let bytes = edited_bytes(base, splices, from..last.end.max(from));
        let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
        for k in shown {
            let Some(row) = self.range(base_rows, k) else {
                break;
            };
            let Some(line) = bytes.get(row.start - from..row.end - from) else {
                break;
            };
            let body = line.trim_ascii_end().len();
            let text = escape(&String::from_utf8_lossy(&line[..body]));
            let eol = &line[body..];
            // Only a change to the row's own text marks it, not one to its line ending.
            let changed = marked
                && self
                    .written
                    .iter()
                    .any(|r| r.start < row.start + body && r.end > row.start);
            if changed {
                out.push_str("<mark>");
                out.push_str(&text);
                out.push_str("</mark>");
            } else {
                out.push_str(&text);
            }
            out.push_str(&String::from_utf8_lossy(eol));
            if !eol.contains(&b'\n') && row.end < self.len {
                out.push_str("<br>");
            }
        }
        out
    }
}

/// Bytes `range` of `base` edited by `splices`, copying only those.
pub fn edited_bytes(
    base: &[u8],
    splices: &[(Range<usize>, Vec<u8>)],
    range: Range<usize>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(range.len());
    let (mut at, mut out_at) = (0, 0);
    let mut copy = |piece: &[u8], out_at: &mut usize| {
        let (start, end) = (*out_at, *out_at + piece.len());
        let (a, b) = (range.start.max(start), range.end.min(end));
        if a < b {
            out.extend_from_slice(&piece[a - start..b - start]);
        }
        *out_at = end;
    };
    for (r, new) in splices {
        copy(&base[at..r.start], &mut out_at);
        copy(new, &mut out_at);
        at = r.end;
        if out_at >= range.end {
            return out;
        }
    }
    copy(&base[at..], &mut out_at);
    out
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::Kept { rows, .. } => rows.len(),
            Part::New(starts) => starts.len(),
        }
    }
}

/// The rows of the file as read that start in `span`, moved by `shift`.
fn kept(base_rows: &[usize], span: Range<usize>, shift: isize) -> Part {
    let from = base_rows.partition_point(|&s| s < span.start);
    let to = base_rows.partition_point(|&s| s < span.end);
    Part::Kept {
        rows: from..to,
        shift,
    }
}

/// Where the line holding `at` starts.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// Where the line holding `at` ends: after its line break, or at the end.
fn line_end(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i + 1)
}
