//! The XML view's rows after an edit are those of the edited file, found without reading it.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use provpoll::core::file::{Splices, splice};
use provpoll::text::xml_rows::{ROW, Rows, edited_bytes, row_starts};

fn rows_of(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    row_starts(bytes, 0, &mut out);
    out
}

/// Bytes with short and long lines, CRLF, blank lines and characters of two to four bytes.
fn file() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("  <a>x</a>".to_owned()),
        Just("é€😀".to_owned()),
        (1usize..3000).prop_map(|n| "y".repeat(n)),
        (1usize..700).prop_map(|n| "ü".repeat(n)),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat().into_bytes())
}

/// Up to four splices in order, not overlapping, each replacing a range with lines or none.
fn splices(len: usize) -> impl Strategy<Value = Splices> {
    let new = prop_oneof![
        Just(Vec::new()),
        Just(b"on".to_vec()),
        Just(b"\n    <prov_polling_mode>abs</prov_polling_mode>".to_vec()),
        (1usize..2500).prop_map(|n| vec![b'z'; n]),
    ];
    prop::collection::vec((0..=len, 0..=len, new), 0..5).prop_map(move |mut cuts| {
        let mut points: Vec<usize> = cuts.iter().flat_map(|c| [c.0, c.1]).collect();
        points.sort_unstable();
        points.dedup();
        let mut out = Vec::new();
        for (pair, (_, _, new)) in points.chunks(2).zip(cuts.drain(..)) {
            let range = pair[0]..*pair.get(1).unwrap_or(&pair[0]);
            out.push((range, new));
        }
        out
    })
}

fn file_and_splices() -> impl Strategy<Value = (Vec<u8>, Splices)> {
    file().prop_flat_map(|f| {
        let len = f.len();
        (Just(f), splices(len))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn rows_after_an_edit_are_the_edited_files_rows((base, splices) in file_and_splices()) {
        // Ranges inside a character would not come from an edit: keep them on boundaries.
        let text = std::str::from_utf8(&base).unwrap();
        prop_assume!(splices.iter().all(|(r, _)| text.is_char_boundary(r.start) && text.is_char_boundary(r.end)));
        let (edited, written) = splice(&base, &splices);
        let base_rows = rows_of(&base);
        let rows = Rows::new(&base, &base_rows, &splices);
        let want = rows_of(&edited);
        prop_assert_eq!(rows.count(), want.len());
        let got: Vec<usize> = (0..rows.count()).map(|k| rows.range(&base_rows, k).unwrap().start).collect();
        prop_assert_eq!(&got, &want);
        prop_assert_eq!(&rows.written, &written);
        prop_assert!(rows.range(&base_rows, rows.count()).is_none());
        for k in 0..rows.count() {
            let r = rows.range(&base_rows, k).unwrap();
            prop_assert!(r.len() <= ROW, "row {} is {} bytes", k, r.len());
            prop_assert_eq!(rows.row_of(&base_rows, r.start), k);
            prop_assert!(std::str::from_utf8(&edited[r.clone()]).is_ok(), "row {} splits a character", k);
        }
        for (a, b) in [(0, edited.len()), (edited.len() / 3, edited.len() / 2)] {
            prop_assert_eq!(edited_bytes(&base, &splices, a..b), edited[a..b].to_vec());
        }
        // Every row drawn: the edited text, each row once.
        let html = rows.html(&base, &base_rows, &splices, 0..rows.count(), false);
        let plain = html.replace("<br>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
        prop_assert_eq!(plain.replace('\r', ""), String::from_utf8_lossy(&edited).replace('\r', ""));
    }
}

/// Worked out by hand: a file of three lines, the second's value changed, and a line added.
#[test]
fn an_edit_marks_its_rows_and_shifts_the_rest() {
    let base = b"<a>\n  <b>rel</b>\n</a>\n";
    let base_rows = rows_of(base);
    assert_eq!(base_rows, [0, 4, 17]);
    let splices = vec![
        (9..12, b"random".to_vec()),
        (17..17, b"  <c>1</c>\n".to_vec()),
    ];
    let rows = Rows::new(base, &base_rows, &splices);
    assert_eq!(rows.count(), 4);
    let starts: Vec<_> = (0..4).map(|k| rows.range(&base_rows, k).unwrap()).collect();
    assert_eq!(starts, [0..4, 4..20, 20..31, 31..36]);
    assert_eq!(rows.written, [9..15, 20..31]);
    assert_eq!(
        rows.html(base, &base_rows, &splices, 1..3, true),
        "<mark>  &lt;b&gt;random&lt;/b&gt;</mark>\n<mark>  &lt;c&gt;1&lt;/c&gt;</mark>\n"
    );
    assert_eq!(
        rows.html(base, &base_rows, &splices, 3..9, true),
        "&lt;/a&gt;\n"
    );
    assert_eq!(rows.row_of(&base_rows, 25), 2);
}

/// A file of one long line shows rows of at most ROW bytes, none splitting a character.
#[test]
fn a_long_line_is_cut_into_rows() {
    let line = format!("{}é{}", "x".repeat(ROW - 1), "y".repeat(10));
    assert_eq!(rows_of(line.as_bytes()), [0, ROW - 1]);
    let rows = Rows::new(line.as_bytes(), &rows_of(line.as_bytes()), &[]);
    assert_eq!(
        rows.html(line.as_bytes(), &rows_of(line.as_bytes()), &[], 0..2, true),
        format!("{}<br>é{}", "x".repeat(ROW - 1), "y".repeat(10))
    );
}

/// Each row the edit wrote in is marked; a change at a line's ending alone is not; bytes that
/// are not UTF-8 show as U+FFFD (the file keeps them).
#[test]
fn rows_written_in_are_marked() {
    let base = b"<a>\r\n  <b>q&y</b>\r\n  <c/>\n\xff\n";
    let splices = vec![(10..11, b"x".to_vec()), (25..25, Vec::new())];
    let rows = Rows::new(base, &rows_of(base), &splices);
    assert_eq!(
        rows.html(base, &rows_of(base), &splices, 0..9, true),
        "&lt;a&gt;\r\n<mark>  &lt;b&gt;x&amp;y&lt;/b&gt;</mark>\r\n  &lt;c/&gt;\n\u{fffd}\n"
    );
    // A new file is all new: nothing is marked.
    assert!(
        !rows
            .html(base, &rows_of(base), &splices, 0..9, false)
            .contains("<mark>")
    );
    let one = b"<a/>";
    let all = [(0..1, b"<".to_vec())];
    assert_eq!(
        Rows::new(one, &rows_of(one), &all).html(one, &rows_of(one), &all, 0..1, true),
        "<mark>&lt;a/&gt;</mark>"
    );
}
