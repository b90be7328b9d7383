//! Every text the page shows exists in English and in German, and the German table holds
//! nothing the code no longer says: the marked texts (`en!`, and the app's `t!` and `tf!`),
//! the literals the views show and the texts of static markup are found in `src/`, as
//! gettext's xgettext finds them, and compared with `i18n/de.tsv`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use provpoll::core::message::Said;
use provpoll::words::{Lang, Words};

/// The Rust string literal at the start of `text` (after blanks), unescaped.
fn literal(text: &str) -> Option<String> {
    let mut chars = text.trim_start().chars().peekable();
    if chars.next()? != '"' {
        return None;
    }
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                '\'' => out.push('\''),
                '\n' => {
                    // A line continuation: the next line's leading blanks are skipped.
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                other => panic!("an escape \\{other} the test does not read"),
            },
            c => out.push(c),
        }
    }
    None
}

/// Each marked text in the Rust files below `dir`, with a file where it is.
fn marked(dir: &Path, found: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            marked(&path, found);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        // Tests show nothing on the page.
        let source = source
            .split("\n#[cfg(test)]")
            .next()
            .unwrap()
            .split("\n#[cfg(all(test")
            .next()
            .unwrap();
        for text in view_texts(source).into_iter().chain(markup_texts(source)) {
            found.insert(text, path.display().to_string());
        }
        for marker in ["en!(", "t!(", "tf!("] {
            for (at, _) in source.match_indices(marker) {
                // `en!(` inside `tf!(`'s or another name's is not a marker of its own.
                let before = source[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                if let Some(text) = literal(&source[at + marker.len()..]) {
                    found.insert(text, path.display().to_string());
                }
            }
        }
    }
}

/// Where a Rust string literal that starts at `at` ends (after its closing quote).
fn literal_end(source: &str, at: usize) -> usize {
    let bytes = source.as_bytes();
    let mut i = at + 1;
    while bytes[i] != b'"' {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

/// The texts a `view!` shows as they are: its children's literals, and the values of its
/// `aria-label`, `placeholder` and `title` attributes (not the literals of the Rust code in
/// its braces and calls, which mark their words themselves). The page puts these into its language as
/// a whole (`translate_static`).
fn view_texts(source: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for (start, _) in source.match_indices("view! {") {
        let bytes = source.as_bytes();
        let (mut i, mut depth) = (start + "view! {".len(), 0usize);
        loop {
            match bytes[i] {
                b'"' => {
                    let end = literal_end(source, i);
                    if depth == 0 {
                        let before = source[..i].trim_end();
                        let text = literal(&source[i..]).unwrap();
                        let attribute = before.strip_suffix('=').map(|b| {
                            b.rsplit(|c: char| c.is_whitespace())
                                .next()
                                .unwrap_or_default()
                        });
                        let shown = match attribute {
                            Some(name) => ["aria-label", "placeholder", "title"].contains(&name),
                            None => true,
                        };
                        if shown && text.chars().any(char::is_alphabetic) {
                            texts.push(text);
                        }
                    }
                    i = end;
                    continue;
                }
                b'{' | b'(' | b'[' => depth += 1,
                b'}' if depth == 0 => break,
                b'}' | b')' | b']' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
    }
    texts
}

/// The texts of static markup in raw strings (`r#"<…>"#`, as the folder's panel is written):
/// the text between tags, and the three attributes a person reads.
fn markup_texts(source: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for piece in source.split("r#\"<").skip(1) {
        let markup = format!("<{}", &piece[..piece.find("\"#").unwrap()]);
        if markup.contains('{') {
            continue; // Made with words at run time, not static.
        }
        for between in markup.split('>').skip(1) {
            let text = between.split('<').next().unwrap().trim();
            if text.chars().any(char::is_alphabetic) {
                texts.push(text.to_owned());
            }
        }
        for name in ["aria-label", "placeholder", "title"] {
            for value in markup.split(&format!("{name}=\"")).skip(1) {
                texts.push(value[..value.find('"').unwrap()].to_owned());
            }
        }
    }
    texts
}

fn placeholders(text: &str) -> BTreeSet<char> {
    let bytes: Vec<char> = text.chars().collect();
    bytes
        .windows(3)
        .filter(|w| w[0] == '{' && w[1].is_ascii_digit() && w[2] == '}')
        .map(|w| w[1])
        .collect()
}

fn german() -> Words {
    let text = std::fs::read_to_string("i18n/de.tsv").unwrap();
    Words::parse(Lang::De, &text).unwrap_or_else(|e| panic!("i18n/de.tsv: {e}"))
}

#[test]
fn every_text_exists_in_english_and_in_german_and_no_other() {
    let mut english = BTreeMap::new();
    marked(Path::new("src"), &mut english);
    assert!(english.len() > 300, "only {} texts found", english.len());
    let german = german();
    let translated: BTreeMap<&str, &str> = german.english_texts().collect();
    let missing: Vec<String> = english
        .iter()
        .filter(|(e, _)| !translated.contains_key(e.as_str()))
        .map(|(e, file)| format!("{e}\t({file})"))
        .collect();
    assert!(
        missing.is_empty(),
        "{} texts have no German in i18n/de.tsv:\n{}",
        missing.len(),
        missing.join("\n")
    );
    let unused: Vec<&&str> = translated
        .keys()
        .filter(|e| !english.contains_key(**e))
        .collect();
    assert!(
        unused.is_empty(),
        "i18n/de.tsv translates texts the code does not have: {unused:?}"
    );
    for (e, g) in &translated {
        assert_eq!(
            placeholders(e),
            placeholders(g),
            "the German of {e:?} has other placeholders: {g:?}"
        );
    }
}

#[test]
fn the_scan_finds_what_views_and_markup_show() {
    let source = concat!(
        "view! { <p class=\"a\" aria-label=\"Label\">\"Shown text\" {f(\"code\")}</p> ",
        "<input placeholder=\"Type here\" name=\"x\" on:click=go(\"code\")/> \" \" }",
    );
    assert_eq!(view_texts(source), ["Label", "Shown text", "Type here"]);
    let markup =
        "const P: &str = r#\"<h2 id=\"x\">Title</h2><input aria-label=\"Open it\"> <b> </b>\"#;";
    assert_eq!(markup_texts(markup), ["Title", "Open it"]);
}

#[test]
fn the_scan_reads_rust_literals() {
    assert_eq!(literal(r#" "a \"b\" c""#).as_deref(), Some(r#"a "b" c"#));
    assert_eq!(
        literal("\"one \\\n        two\"").as_deref(),
        Some("one two")
    );
    assert_eq!(literal("$english)"), None);
}

#[test]
fn german_words_in_use() {
    use chrono::DateTime;
    use provpoll::core::message::Problem;
    use provpoll::core::settings::{Key, Settings};
    let de = german();
    let t = DateTime::parse_from_rfc3339("2026-11-28T09:05:40+01:00").unwrap();
    assert_eq!(de.moment(t, true), "Sa., 28. Nov., 09:05:40 +01:00");
    assert_eq!(de.duration(5_400), "1 Stunde 30 Minuten");
    assert_eq!(de.number(10_000), "10.000");
    assert_eq!(
        Problem::Negative {
            key: Key::Period,
            text: "-5".into()
        }
        .say(&de),
        "prov_polling_period darf nicht negativ sein (der Wert ist -5)"
    );
    let s = Settings {
        enabled: true,
        mode: Some(provpoll::core::settings::Mode::Random),
        period: 259_200,
        time: provpoll::core::settings::ClockTime::new(9, 0),
        time_rand_end: provpoll::core::settings::ClockTime::new(9, 10),
        ..Settings::default()
    };
    assert_eq!(
        provpoll::text::summary::describe_in(&s, &de),
        "Alle 3 Tage, zu einer zufälligen Zeit zwischen 09:00 und 09:10, Telefonzeit, ab morgen."
    );
}
