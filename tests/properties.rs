//! Rules that hold for every input: the schedule's order and windows, and lossless editing.

#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use provpoll::core::check;
use provpoll::core::file::SettingsFile;
use provpoll::core::schedule::{Source, fetches};
use provpoll::core::settings::{self, ClockTime, Draft, Key, Mode, Perm, Settings};
use provpoll::core::zone::Zone;

mod common;

fn zones() -> Vec<Box<dyn Zone>> {
    use chrono_tz::*;
    vec![
        Box::new(Utc),
        Box::new(Europe::Berlin),
        Box::new(America::New_York),
        Box::new(Australia::Sydney),
        Box::new(Australia::Lord_Howe), // 30-minute DST
        Box::new(Asia::Kathmandu),
        Box::new(Pacific::Chatham),
        Box::new(America::Caracas),
        Box::new(Pacific::Apia), // skipped a whole day in 2011
    ]
}

fn seconds() -> impl Strategy<Value = u32> {
    prop_oneof![
        1u32..600,
        600u32..200_000,
        200_000u32..=settings::MAX_SECONDS
    ]
}

fn any_settings() -> impl Strategy<Value = Settings> {
    common::any_settings(seconds(), prop_oneof![Just(0u32), seconds()])
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 1900 to 9999, and the last days of 9999.
    prop_oneof![
        -2_208_988_800i64..253_402_300_799,
        253_402_000_000i64..253_402_300_799
    ]
    .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn fetches_are_ordered_and_inside_their_windows(
        s in any_settings(),
        t0 in instant(),
        zone in 0usize..9,
        seed in any::<u64>(),
    ) {
        let zones = zones();
        let zone = zones[zone].as_ref();
        let list: Vec<_> = fetches(&s, t0, zone, seed).take(300).collect();
        let mut last_polling: Option<DateTime<Utc>> = None;
        for (i, f) in list.iter().enumerate() {
            prop_assert!(f.earliest <= f.at && f.at <= f.latest, "{f:?}");
            prop_assert!(f.at > t0, "a fetch at or before T0: {f:?}");
            if i > 0 {
                prop_assert!(list[i - 1].at <= f.at, "out of order at {i}");
            }
            if f.source == Source::Polling {
                if let Some(prev) = last_polling {
                    prop_assert!(prev < f.at, "two polling fetches at once");
                }
                last_polling = Some(f.at);
                if s.mode == Some(Mode::Random) && s.period < settings::DAY_SECONDS {
                    prop_assert!(f.earliest < f.at);
                    prop_assert_eq!((f.latest - f.earliest).num_seconds(), i64::from(s.period));
                }
                if s.mode == Some(Mode::Rel) {
                    let k = (f.at - t0).num_seconds() / i64::from(s.period);
                    prop_assert_eq!(f.at, t0 + TimeDelta::seconds(k * i64::from(s.period)));
                }
            } else {
                prop_assert_eq!((f.at - t0).num_seconds() % i64::from(s.refresh_timer), 0);
            }
        }
        if !s.enabled && s.refresh_timer == 0 {
            prop_assert!(list.is_empty());
        }
    }

    #[test]
    fn daily_windows_are_at_their_wall_clock_time(
        time in (0u8..24, 0u8..60),
        t0 in -2_208_988_800i64..4_102_444_800,
        zone in 0usize..9,
    ) {
        let zones = zones();
        let zone = zones[zone].as_ref();
        let time = ClockTime::new(time.0, time.1).unwrap();
        let s = Settings { enabled: true, mode: Some(Mode::Abs), time: Some(time), ..Settings::default() };
        let t0 = DateTime::from_timestamp(t0, 0).unwrap();
        let list: Vec<_> = fetches(&s, t0, zone, 0).take(40).collect();
        prop_assert_eq!(list.len(), 40);
        for f in &list {
            let local = provpoll::core::zone::local(zone, f.at);
            let minutes = local.format("%H:%M").to_string();
            // Either the time itself or, in a gap, the first instant after it.
            if minutes != time.to_string() {
                let before = provpoll::core::zone::local(zone, f.at - TimeDelta::seconds(1));
                prop_assert!(
                    local.offset() != before.offset(),
                    "{} is neither {} nor the end of a gap", local, time
                );
            }
        }
    }
}

/// One polling element as a generator writes it: text, perm alias and quoting vary.
#[derive(Clone, Debug)]
struct Element {
    key: Key,
    value: String,
    perm: Option<(String, char)>,
}

impl Element {
    fn render(&self) -> String {
        let perm = match &self.perm {
            Some((p, q)) => format!(" perm={q}{}{q}", p.replace('&', "&amp;")),
            None => String::new(),
        };
        format!("<{k}{perm}>{v}</{k}>", k = self.key.name(), v = self.value)
    }
}

fn element(key: Key) -> impl Strategy<Value = Element> {
    let value = prop_oneof![
        Just("on".to_owned()),
        Just(" OFF ".to_owned()),
        Just("Random".to_owned()),
        Just("9:05".to_owned()),
        Just("0086400".to_owned()),
        Just("<![CDATA[rel]]>".to_owned()),
        Just("&#49;&#50;".to_owned()),
        "[a-z0-9: ]{0,8}",
    ];
    let perm = prop::option::of((
        prop::sample::select(vec!["R", "&", " ", "RW", "$", "", "!", "V", "RV", "!V"]),
        prop::sample::select(vec!['"', '\'']),
    ));
    (value, perm).prop_map(move |(value, perm)| Element {
        key,
        value,
        perm: perm.map(|(p, q)| (p.to_owned(), q)),
    })
}

/// Other content a real file holds: secrets with escapes, CDATA, comments, indexed settings.
fn other() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 .:/@-]{0,12}"
            .prop_map(|v| format!("<user_host idx=\"1\" perm=\"R\">{v}</user_host>")),
        "[a-zA-Z0-9]{0,10}"
            .prop_map(|v| format!("<user_pass idx='2' perm=''>{v}&amp;&lt;&gt;&quot;</user_pass>")),
        "[a-zA-Z0-9 <>&]{0,10}"
            .prop_map(|v| format!("<http_pass perm=\"R\"><![CDATA[{v}]]></http_pass>")),
        "[a-zA-Z0-9 ]{0,16}".prop_map(|v| format!("<!-- {v} -->")),
        Just("<language perm=\"RW\"/>".to_owned()),
        Just("<prov_polling_period_x>1</prov_polling_period_x>".to_owned()),
    ]
}

/// A whole file: the six polling elements in random order among other content.
#[derive(Clone, Debug)]
struct Generated {
    eol: &'static str,
    indent: &'static str,
    parts: Vec<Result<Element, String>>,
    root_settings: bool,
}

impl Generated {
    fn render_with(&self, f: impl Fn(&Element) -> String) -> String {
        let (open, close, depth) = if self.root_settings {
            ("<settings>", "</settings>", 2)
        } else {
            ("", "", 1)
        };
        let inner = self.indent.repeat(depth);
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>{e}{open}",
            e = self.eol
        );
        if self.root_settings {
            out.push_str(self.eol);
            out.push_str(self.indent);
        }
        out.push_str("<phone-settings e=\"2\">");
        for part in &self.parts {
            out.push_str(self.eol);
            out.push_str(&inner);
            match part {
                Ok(element) => out.push_str(&f(element)),
                Err(other) => out.push_str(other),
            }
        }
        out.push_str(self.eol);
        if self.root_settings {
            out.push_str(self.indent);
        }
        out.push_str("</phone-settings>");
        if self.root_settings {
            out.push_str(self.eol);
            out.push_str(close);
        }
        out.push_str(self.eol);
        out
    }
}

fn generated(keys: Vec<Key>) -> impl Strategy<Value = Generated> {
    let elements: Vec<_> = keys.into_iter().map(element).collect();
    (
        elements,
        prop::collection::vec(other(), 0..8),
        prop::sample::select(vec!["\n", "\r\n"]),
        prop::sample::select(vec!["  ", "    ", "\t"]),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(|(elements, others, eol, indent, root_settings, shuffle)| {
            let mut parts: Vec<Result<Element, String>> = others
                .into_iter()
                .map(Err)
                .chain(elements.into_iter().map(Ok))
                .collect();
            // A cheap deterministic shuffle from the drawn number.
            let mut state = shuffle;
            for i in (1..parts.len()).rev() {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                parts.swap(i, (state >> 33) as usize % (i + 1));
            }
            Generated {
                eol,
                indent,
                parts,
                root_settings,
            }
        })
}

/// A valid full set of polling values and perm flags.
fn target() -> impl Strategy<Value = Draft> {
    (
        any::<bool>(),
        prop::sample::select(Mode::ALL.to_vec()),
        1u32..1_000_000,
        (0u8..24, 0u8..60),
        (0u8..24, 0u8..60),
        0u32..1_000_000,
        prop::collection::vec(
            prop::option::of(prop::sample::select(vec!["R", "RW", "!", "RWV", "&", ""])),
            6,
        ),
    )
        .prop_map(|(on, mode, period, t, r, refresh, perms)| {
            let mut d = Draft::default()
                .with(Key::Enabled, if on { "on" } else { "off" })
                .with(Key::Mode, mode.as_str())
                .with(Key::Period, &period.to_string())
                .with(Key::Time, &format!("{}:{:02}", t.0, t.1))
                .with(Key::TimeRandEnd, &format!("{:02}:{:02}", r.0, r.1))
                .with(Key::RefreshTimer, &refresh.to_string());
            for (key, perm) in Key::ALL.into_iter().zip(perms) {
                d.set_perm(key, perm);
            }
            d
        })
}

fn unescaped(value: &str) -> String {
    value
        .replace("<![CDATA[", "")
        .replace("]]>", "")
        .replace("&#49;", "1")
        .replace("&#50;", "2")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// An index that is not one, or not of these bytes, is refused, never a panic: a range past
    /// the end, a count past the strings, a number that is not one.
    #[test]
    fn a_broken_index_is_refused(cut in 0usize..200, junk in "[-0-9,;a-z]{0,40}", extra in 12usize..100) {
        let file = SettingsFile::parse(&b"<settings><phone-settings><prov_polling_mode perm=\"R\">abs</prov_polling_mode></phone-settings></settings>"[..]).unwrap();
        let index = file.index_text();
        let cut = cut.min(index.len());
        let broken = format!("{}{junk}", &index[..cut]);
        // Read or refused, never a panic; what is read keeps its ranges inside the bytes.
        if let Some(again) = SettingsFile::with_index(file.bytes().to_vec(), &broken) {
            let _ = again.draft();
        }
        // The same index for bytes that end before the root's end tag (at 94 of 105): refused.
        let short = file.bytes()[..file.bytes().len().saturating_sub(extra)].to_vec();
        prop_assert!(SettingsFile::with_index(short, &index).is_none());
    }

    #[test]
    fn editing_changes_exactly_the_edited_text(
        file in generated(Key::ALL.to_vec()),
        want in target(),
    ) {
        let before = file.render_with(Element::render);
        let mut parsed = SettingsFile::parse(before.clone()).unwrap();
        // The index the worker hands the page gives the page the file the reader read.
        let indexed = SettingsFile::with_index(before.clone().into_bytes(), &parsed.index_text());
        prop_assert_eq!(indexed.as_ref(), Some(&parsed));
        // The page's preview (no re-read) gives the same bytes as the edit itself.
        let (preview, _) = parsed.edited(&want).unwrap();
        parsed.apply(&want).unwrap();
        let after = String::from_utf8(parsed.bytes().to_vec()).unwrap();
        prop_assert_eq!(preview.as_slice(), after.as_bytes());

        // The model: only text whose meaning changes is rewritten, canonically.
        let expected = file.render_with(|e| {
            let new = check::canonical_value(e.key, want.value(e.key).unwrap()).unwrap();
            let old = check::canonical_value(e.key, &unescaped(&e.value));
            let value = if old.as_deref() == Some(new.as_str()) { e.value.clone() } else { new };
            let new_perm = want.perm(e.key).and_then(Perm::parse);
            let perm = match (&e.perm, new_perm) {
                (Some((p, q)), Some(n)) if Perm::parse(p) != Some(n) => Some((n.as_str().to_owned(), *q)),
                (None, Some(n)) => Some((n.as_str().to_owned(), '"')),
                (p, _) => p.clone(),
            };
            Element { key: e.key, value, perm }.render()
        });
        prop_assert_eq!(&after, &expected);

        let read = SettingsFile::parse(after).unwrap().draft();
        for key in Key::ALL {
            prop_assert_eq!(
                read.value(key).and_then(|v| check::canonical_value(key, v)),
                check::canonical_value(key, want.value(key).unwrap())
            );
            if let Some(perm) = want.perm(key) {
                prop_assert_eq!(read.perm(key).and_then(Perm::parse), Perm::parse(perm));
            }
        }
    }

    #[test]
    fn inserting_missing_settings_only_adds(
        (present, file) in prop::sample::subsequence(Key::ALL.to_vec(), 0..6)
            .prop_flat_map(|keys| (Just(keys.clone()), generated(keys))),
        want in target(),
    ) {
        let missing: Vec<Key> = Key::ALL.into_iter().filter(|k| !present.contains(k)).collect();
        // The present settings hold valid values, so the merged draft is valid.
        let before = file.render_with(|e| Element { value: want.value(e.key).unwrap().to_owned(), ..e.clone() }.render());
        let mut parsed = SettingsFile::parse(before.clone()).unwrap();
        let mut draft = parsed.draft();
        for &key in &missing {
            draft.set_value(key, want.value(key));
        }
        parsed.apply(&draft).unwrap();
        let after = String::from_utf8(parsed.bytes().to_vec()).unwrap();

        // `before` is `after` with one inserted run taken out.
        let prefix = before.bytes().zip(after.bytes()).take_while(|(a, b)| a == b).count();
        let suffix = before[prefix..].bytes().rev().zip(after[prefix..].bytes().rev()).take_while(|(a, b)| a == b).count();
        prop_assert_eq!(prefix + suffix, before.len(), "more than an insertion:\n{}\n---\n{}", before, after);
        // Among neighbours, new lines take their indentation.
        if !file.parts.is_empty() {
            let indent = file.indent.repeat(if file.root_settings { 2 } else { 1 });
            for &key in &missing {
                let open = format!("<{}>", key.name());
                let line = after.split(file.eol).find(|l| l.contains(&open)).unwrap();
                prop_assert_eq!(line, format!("{indent}{open}{}</{}>", check::canonical_value(key, want.value(key).unwrap()).unwrap(), key.name()));
            }
        }
        let read = SettingsFile::parse(after).unwrap().draft();
        for key in Key::ALL {
            prop_assert_eq!(
                read.value(key).and_then(|v| check::canonical_value(key, v)),
                check::canonical_value(key, want.value(key).unwrap())
            );
        }
    }

    #[test]
    fn reading_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(file) = SettingsFile::parse(bytes) {
            let _ = file.markup_problems();
        }
    }

    #[test]
    fn reading_mangled_settings_never_panics(
        file in generated(Key::ALL.to_vec()),
        cut in any::<prop::sample::Index>(),
        junk in "[<>&;/!\\[\\]\"' a-z]{0,6}",
    ) {
        let text = file.render_with(Element::render);
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let mangled = format!("{}{}{}", &text[..at], junk, &text[at..]);
        if let Ok(mut parsed) = SettingsFile::parse(mangled) {
            let _ = parsed.check();
            let _ = parsed.markup_problems();
            let _ = parsed.apply(&Draft::default().with(Key::Enabled, "on"));
        }
    }
}

/// A value a form may hold for `key` at any moment of typing: valid, blank or broken.
fn typed(key: Key) -> impl Strategy<Value = String> {
    let valid: Vec<&str> = match key {
        Key::Enabled => vec!["on", "off"],
        Key::Mode => vec!["rel", "abs", "random"],
        Key::Period | Key::RefreshTimer => vec!["0", "60", "3600", "86400", "100000"],
        Key::Time | Key::TimeRandEnd => vec!["00:00", "09:00", "23:59"],
    };
    prop_oneof![
        prop::sample::select(valid).prop_map(str::to_owned),
        Just(String::new()),
        "[a-z0-9:-]{1,6}",
    ]
}

proptest! {
    /// Whatever is typed, in whatever order, what the preview shows is valid, and each
    /// setting without an error shows what the form holds (unless only the last valid whole
    /// could stand in).
    #[test]
    fn the_preview_always_shows_valid_settings(
        steps in prop::collection::vec(
            (0..6usize).prop_flat_map(|i| (Just(Key::ALL[i]), typed(Key::ALL[i]))),
            1..20,
        )
    ) {
        let (mut last, mut whole, mut draft) =
            (Draft::default(), Draft::default(), Draft::default());
        for (key, value) in steps {
            draft.set_value(key, (!value.is_empty()).then_some(value.as_str()));
            let report = check::validate(&draft);
            check::remember_valid(&mut last, &draft, &report);
            if report.errors.is_empty() {
                whole = draft.clone();
            }
            let shown = check::last_valid(&last, &draft, &report, &whole);
            prop_assert!(check::validate(&shown).errors.is_empty());
            if shown != whole || report.errors.is_empty() {
                for key in Key::ALL {
                    if report.errors.iter().all(|e| e.key != Some(key)) {
                        prop_assert_eq!(shown.value(key), draft.value(key));
                    }
                }
            }
        }
    }
}
