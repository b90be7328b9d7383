//! Reading and editing settings files: every byte outside the edited elements stays.

#![cfg(not(target_arch = "wasm32"))]

use provpoll::core::file::{FileError, SettingsFile};
use provpoll::core::message::Unreadable;
use provpoll::core::settings::{Draft, Key};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/files/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn text(file: &SettingsFile) -> &str {
    std::str::from_utf8(file.bytes()).unwrap()
}

fn edited(name: &str, draft: &Draft) -> (String, String) {
    let before = String::from_utf8(fixture(name)).unwrap();
    let mut file = SettingsFile::parse(before.clone()).unwrap();
    file.apply(draft).unwrap();
    (before, text(&file).to_owned())
}

fn parse_error(xml: &str) -> FileError {
    SettingsFile::parse(xml).unwrap_err()
}

#[test]
fn reads_the_polling_settings_and_their_perm_flags() {
    let file = SettingsFile::parse(fixture("snom-d785.xml")).unwrap();
    let draft = file.draft();
    assert_eq!(draft.value(Key::Enabled), Some("on"));
    assert_eq!(draft.value(Key::Mode), Some("random"));
    assert_eq!(draft.value(Key::Period), Some("86400"));
    assert_eq!(draft.value(Key::Time), Some("09:00"));
    assert_eq!(draft.value(Key::TimeRandEnd), Some("09:10"));
    assert_eq!(draft.value(Key::RefreshTimer), None);
    assert_eq!(draft.perm(Key::Mode), Some("R"));
    assert_eq!(file.timezone(), Some("GER+1"));
    assert_eq!(file.position(Key::Mode), Some((16, 5)));
    assert!(!draft.never_update);
}

#[test]
fn later_duplicates_win_and_are_warned_about() {
    let file = SettingsFile::parse(fixture("phone-settings-root.xml")).unwrap();
    let draft = file.draft();
    assert_eq!(draft.value(Key::Enabled), Some("on"));
    assert_eq!(draft.perm(Key::Enabled), Some("$"));
    assert_eq!(
        draft.value(Key::Mode),
        Some(""),
        "an empty element is an empty value"
    );
    assert_eq!(draft.perm(Key::Mode), Some("!"));
    assert_eq!(draft.value(Key::Period), Some("  3600  "));
    let (report, errors, warnings) = file.check();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(report.settings.is_some());
    let first = &warnings[0];
    assert_eq!((first.line, first.column), (2, 2));
    assert_eq!(
        first.what.to_string(),
        "prov_polling_enabled appears 2 times; the last one (line 6) wins"
    );
}

#[test]
fn editing_changes_only_the_edited_bytes() {
    let draft = Draft::default()
        .with(Key::Period, "259200")
        .with(Key::Time, "9:30");
    let (before, after) = edited("snom-d785.xml", &draft);
    let expected = before
        .replace(
            ">86400</prov_polling_period>",
            ">259200</prov_polling_period>",
        )
        .replace(">09:00</prov_polling_time>", ">09:30</prov_polling_time>");
    assert_eq!(after, expected);
}

#[test]
fn a_value_that_means_the_same_is_left_as_it_is() {
    // Every value of the file, spelled differently: nothing changes.
    let draft = Draft::default()
        .with(Key::Enabled, "ON")
        .with(Key::Mode, " Random ")
        .with(Key::Period, "086400")
        .with(Key::Time, "9:00")
        .with(Key::TimeRandEnd, "09:10");
    let (before, after) = edited("snom-d785.xml", &draft);
    assert_eq!(after, before);
    let (before, after) = edited(
        "phone-settings-root.xml",
        &Draft::default().with(Key::Enabled, "on"),
    );
    assert_eq!(after, before);
}

#[test]
fn perm_flags_change_in_place_and_keep_their_quotes() {
    let mut draft = Draft::default();
    draft.set_perm(Key::Mode, Some("RW"));
    draft.set_perm(Key::Enabled, Some("&")); // an alias of R: already there
    let (before, after) = edited("snom-d785.xml", &draft);
    assert_eq!(
        after,
        before.replace(
            "<prov_polling_mode perm=\"R\">",
            "<prov_polling_mode perm=\"RW\">"
        )
    );

    let mut draft = Draft::default();
    draft.set_perm(Key::Period, Some("!"));
    draft.set_perm(Key::Mode, Some("V"));
    let (before, after) = edited("phone-settings-root.xml", &draft);
    let expected = before
        .replace("<prov_polling_period>", "<prov_polling_period perm=\"!\">")
        .replace(
            "<prov_polling_mode perm=\"!\" />",
            "<prov_polling_mode perm=\"RWV\" />",
        );
    assert_eq!(after, expected);
}

#[test]
fn an_empty_element_gets_its_value() {
    let (before, after) = edited(
        "phone-settings-root.xml",
        &Draft::default().with(Key::Mode, "rel"),
    );
    assert_eq!(
        after,
        before.replace(
            "<prov_polling_mode perm=\"!\" />",
            "<prov_polling_mode perm=\"!\" >rel</prov_polling_mode>"
        )
    );
}

#[test]
fn missing_settings_follow_the_last_polling_setting() {
    let mut draft = Draft::default().with(Key::RefreshTimer, "3600");
    draft.set_perm(Key::RefreshTimer, Some("R"));
    let (before, after) = edited("snom-d785.xml", &draft);
    assert_eq!(
        after,
        before.replace(
            "09:10</prov_polling_time_rand_end>\n",
            "09:10</prov_polling_time_rand_end>\n    <settings_refresh_timer perm=\"R\">3600</settings_refresh_timer>\n"
        )
    );
}

#[test]
fn inserted_settings_match_crlf_and_tabs() {
    let draft = Draft::default()
        .with(Key::Enabled, "on")
        .with(Key::Mode, "abs")
        .with(Key::Time, "03:00");
    let (before, after) = edited("crlf-tabs.xml", &draft);
    assert_eq!(
        after,
        before.replace(
            "0</settings_refresh_timer>\r\n",
            "0</settings_refresh_timer>\r\n\t\t<prov_polling_enabled>on</prov_polling_enabled>\r\n\t\t<prov_polling_mode>abs</prov_polling_mode>\r\n\t\t<prov_polling_time>03:00</prov_polling_time>\r\n"
        )
    );
}

#[test]
fn insertion_into_an_empty_section_keeps_its_comment() {
    let (before, after) = edited(
        "empty-section.xml",
        &Draft::default().with(Key::Enabled, "off"),
    );
    assert_eq!(
        after,
        before.replace(
            "<!-- nothing yet -->\n",
            "<!-- nothing yet -->\n    <prov_polling_enabled>off</prov_polling_enabled>\n"
        )
    );
}

#[test]
fn a_settings_root_without_phone_settings_gets_the_section() {
    let (before, after) = edited(
        "no-section.xml",
        &Draft::default().with(Key::RefreshTimer, "86400"),
    );
    assert_eq!(
        after,
        before.replace(
            "    </functionKeys>\n",
            "    </functionKeys>\n    <phone-settings e=\"2\">\n        <settings_refresh_timer>86400</settings_refresh_timer>\n    </phone-settings>\n"
        )
    );
}

#[test]
fn a_file_of_one_line_stays_one_line() {
    let draft = Draft::default()
        .with(Key::Enabled, "on")
        .with(Key::Mode, "rel")
        .with(Key::Period, "3600");
    let (before, after) = edited("one-line.xml", &draft);
    assert_eq!(
        after,
        before.replace(
            ">off</prov_polling_enabled>",
            ">on</prov_polling_enabled><prov_polling_mode>rel</prov_polling_mode><prov_polling_period>3600</prov_polling_period>"
        )
    );
}

#[test]
fn self_closing_sections_open_up() {
    let mut file =
        SettingsFile::parse("<settings>\n  <phone-settings e=\"2\"/>\n</settings>\n").unwrap();
    file.apply(&Draft::default().with(Key::Enabled, "on"))
        .unwrap();
    assert_eq!(
        text(&file),
        "<settings>\n  <phone-settings e=\"2\">\n    <prov_polling_enabled>on</prov_polling_enabled>\n  </phone-settings>\n</settings>\n"
    );
    let mut file = SettingsFile::parse("<phone-settings/>").unwrap();
    file.apply(&Draft::default().with(Key::Enabled, "on"))
        .unwrap();
    assert_eq!(
        text(&file),
        "<phone-settings><prov_polling_enabled>on</prov_polling_enabled></phone-settings>"
    );
}

#[test]
fn a_fresh_file() {
    let mut draft = Draft::default()
        .with(Key::Enabled, "on")
        .with(Key::Mode, "random")
        .with(Key::Period, "259200")
        .with(Key::Time, "09:00")
        .with(Key::TimeRandEnd, "09:10");
    for key in Key::ALL {
        draft.set_perm(key, Some("R"));
    }
    // A perm flag alone does not create a setting.
    let file = SettingsFile::fresh(&draft).unwrap();
    assert_eq!(
        text(&file),
        r#"<?xml version="1.0" encoding="utf-8"?>
<settings>
  <phone-settings e="2">
    <prov_polling_enabled perm="R">on</prov_polling_enabled>
    <prov_polling_mode perm="R">random</prov_polling_mode>
    <prov_polling_period perm="R">259200</prov_polling_period>
    <prov_polling_time perm="R">09:00</prov_polling_time>
    <prov_polling_time_rand_end perm="R">09:10</prov_polling_time_rand_end>
  </phone-settings>
</settings>
"#
    );
    draft.set_perm(Key::RefreshTimer, None::<String>);
    assert_eq!(
        SettingsFile::parse(file.into_bytes()).unwrap().draft(),
        draft
    );
}

#[test]
fn an_invalid_draft_changes_nothing_and_names_every_error() {
    let before = fixture("snom-d785.xml");
    let mut file = SettingsFile::parse(before.clone()).unwrap();
    let errors = file
        .apply(
            &Draft::default()
                .with(Key::Period, "-1")
                .with(Key::Time, "25:00"),
        )
        .unwrap_err();
    let keys: Vec<_> = errors.iter().map(|e| e.key).collect();
    assert_eq!(keys, [Some(Key::Period), Some(Key::Time)]);
    assert_eq!(file.bytes(), &before[..]);
}

#[test]
fn escapes_cdata_and_char_refs_in_values_are_read() {
    let file = SettingsFile::parse(
        "<phone-settings><prov_polling_time>0&#57;:<![CDATA[00]]></prov_polling_time><prov_polling_mode perm='&amp;'>r&#x65;l</prov_polling_mode></phone-settings>",
    )
    .unwrap();
    let draft = file.draft();
    assert_eq!(draft.value(Key::Time), Some("09:00"));
    assert_eq!(draft.value(Key::Mode), Some("rel"));
    assert_eq!(draft.perm(Key::Mode), Some("&"));
}

#[test]
fn never_update_and_timezone_are_read() {
    let file = SettingsFile::parse(fixture("crlf-tabs.xml")).unwrap();
    assert_eq!(file.update_policy(), Some("auto_update"));
    let file = SettingsFile::parse(
        "<settings><phone-settings><update_policy> Never_Update </update_policy></phone-settings></settings>",
    )
    .unwrap();
    assert!(file.draft().never_update);
}

#[test]
fn errors_carry_line_and_column() {
    let e = parse_error("<settings>\n  <phone-settings>\n    <a></b>\n");
    assert_eq!((e.line, e.column), (3, 8));
    assert!(
        matches!(e.what, Unreadable::NotWellFormed { .. }),
        "{:?}",
        e.what
    );

    let e = parse_error("<?xml version=\"1.0\"?>\n<config><x/></config>");
    assert_eq!((e.line, e.column), (2, 1));
    assert_eq!(
        e.what,
        Unreadable::NotSettingsRoot {
            name: "config".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "2:1: not a snom settings file: the root element is <config>, not <settings> or <phone-settings>"
    );

    let e = parse_error("");
    assert_eq!(e.what, Unreadable::NoRoot);

    let e = parse_error("<settings>\n<phone-settings>\n");
    assert_eq!((e.line, e.column), (2, 1));
    assert_eq!(e.what, Unreadable::Unclosed);

    let e = parse_error("<settings/><settings/>");
    assert_eq!((e.line, e.column, e.what), (1, 12, Unreadable::SecondRoot));

    let e = parse_error(
        "<phone-settings>\n <prov_polling_mode><b>rel</b></prov_polling_mode></phone-settings>",
    );
    assert_eq!((e.line, e.column), (2, 21));
    assert_eq!(e.what, Unreadable::ElementInSetting { name: "b".into() });

    let e = parse_error(
        "<phone-settings><prov_polling_mode perm=\"R\" perm=\"RW\">rel</prov_polling_mode></phone-settings>",
    );
    assert_eq!((e.line, e.column), (1, 17));
    assert!(
        matches!(e.what, Unreadable::MalformedAttribute { .. }),
        "{:?}",
        e.what
    );
}

#[test]
fn entities_are_never_expanded() {
    let file = SettingsFile::parse(fixture("empty-section.xml")).unwrap();
    assert_eq!(file.bytes(), &fixture("empty-section.xml")[..]);
    let e = parse_error(
        "<!DOCTYPE settings [<!ENTITY m \"random\">]>\n<settings><phone-settings><prov_polling_mode>&m;</prov_polling_mode></phone-settings></settings>",
    );
    assert_eq!((e.line, e.column), (2, 46));
    assert_eq!(e.what, Unreadable::ForeignReference { name: "m".into() });
    // Elsewhere in the file, an entity is kept as it is.
    let xml = "<!DOCTYPE settings [<!ENTITY pbx \"x\">]>\n<settings><phone-settings><user_host>&pbx;</user_host></phone-settings></settings>";
    let mut file = SettingsFile::parse(xml).unwrap();
    file.apply(&Draft::default().with(Key::Enabled, "off"))
        .unwrap();
    assert_eq!(
        text(&file),
        xml.replace(
            "</user_host>",
            "</user_host><prov_polling_enabled>off</prov_polling_enabled>"
        )
    );
}

#[test]
fn check_locates_problems() {
    let file = SettingsFile::parse(
        "<settings>\n  <phone-settings>\n    <prov_polling_enabled>on</prov_polling_enabled>\n    <prov_polling_mode>rel</prov_polling_mode>\n    <prov_polling_period>-60</prov_polling_period>\n  </phone-settings>\n</settings>\n",
    )
    .unwrap();
    let (report, errors, _) = file.check();
    assert!(report.settings.is_none());
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].column), (5, 5));
    assert_eq!(
        errors[0].what.to_string(),
        "prov_polling_period must not be negative (it is -60)"
    );
}

#[test]
fn insertion_next_to_a_lone_comment_takes_its_indentation() {
    let xml = "<phone-settings>\n    <!-- polling below -->\n</phone-settings>\n";
    let mut file = SettingsFile::parse(xml).unwrap();
    file.apply(&Draft::default().with(Key::Enabled, "off"))
        .unwrap();
    assert_eq!(
        text(&file),
        "<phone-settings>\n    <!-- polling below -->\n    <prov_polling_enabled>off</prov_polling_enabled>\n</phone-settings>\n"
    );
}

#[test]
fn insertion_after_a_line_ending_in_a_comment_keeps_the_line_whole() {
    // The vendor's own style: a trailing comment after the last setting of the section.
    let xml = "<settings>\r\n<phone-settings e=\"2\">\r\n<http_pass perm=\"\">secret</http_pass> <!-- use strong passwords -->\r\n</phone-settings>\r\n</settings>\r\n";
    let mut file = SettingsFile::parse(xml).unwrap();
    file.apply(&Draft::default().with(Key::RefreshTimer, "3600"))
        .unwrap();
    assert_eq!(
        text(&file),
        "<settings>\r\n<phone-settings e=\"2\">\r\n<http_pass perm=\"\">secret</http_pass> <!-- use strong passwords -->\r\n<settings_refresh_timer>3600</settings_refresh_timer>\r\n</phone-settings>\r\n</settings>\r\n"
    );
    // Another element on the same line is not a comment: insert right after the anchor.
    let xml = "<phone-settings>\n  <prov_polling_enabled>on</prov_polling_enabled><language>en</language>\n</phone-settings>\n";
    let mut file = SettingsFile::parse(xml).unwrap();
    file.apply(&Draft::default().with(Key::Mode, "rel"))
        .unwrap();
    assert_eq!(
        text(&file),
        "<phone-settings>\n  <prov_polling_enabled>on</prov_polling_enabled>\n  <prov_polling_mode>rel</prov_polling_mode><language>en</language>\n</phone-settings>\n"
    );
}

#[test]
fn inserted_settings_take_the_files_own_quotes() {
    let (before, after) = edited(
        "refresh-only.xml",
        &Draft::default()
            .with(Key::Enabled, "on")
            .with(Key::Mode, "rel")
            .with(Key::Period, "3600"),
    );
    let mut draft = Draft::default().with(Key::Enabled, "on");
    draft.set_perm(Key::Enabled, Some("R"));
    let mut file = SettingsFile::parse(before.clone()).unwrap();
    file.apply(&draft).unwrap();
    assert_eq!(
        text(&file),
        before.replace(
            "3600</settings_refresh_timer>\n",
            "3600</settings_refresh_timer>\n    <prov_polling_enabled perm='R'>on</prov_polling_enabled>\n"
        )
    );
    assert!(
        after.contains("<prov_polling_mode>rel</prov_polling_mode>"),
        "{after}"
    );
    // A perm flag added to an existing setting, too.
    let mut draft = Draft::default();
    draft.set_perm(Key::RefreshTimer, Some("!"));
    draft.set_value(Key::RefreshTimer, Some("3600"));
    let xml = "<phone-settings>\n  <settings_refresh_timer>3600</settings_refresh_timer>\n  <x a='1'/>\n</phone-settings>\n";
    let mut file = SettingsFile::parse(xml).unwrap();
    file.apply(&draft).unwrap();
    assert!(
        text(&file).contains("<settings_refresh_timer perm='!'>3600"),
        "{}",
        text(&file)
    );
}

#[test]
fn markup_a_phone_rejects_is_found_outside_the_polling_settings() {
    // Each of these reads (the polling settings are fine) but is not well-formed XML.
    let file = SettingsFile::parse(fixture("malformed-outside-polling.xml")).unwrap();
    let found: Vec<(usize, usize, String)> = file
        .markup_problems()
        .into_iter()
        .map(|p| (p.line, p.column, p.what.to_string()))
        .collect();
    let rejected = "a phone rejects the file";
    assert_eq!(
        found,
        [
            (3, 16, "an attribute value is not in quotes".to_owned()),
            (
                4,
                20,
                "the attribute perm is given twice in one tag".to_owned()
            ),
            (
                5,
                28,
                format!("the entity &nbsp; is not defined in XML; {rejected}")
            ),
            (
                8,
                45,
                "an attribute is cut short or has no value (a template leftover?)".to_owned()
            ),
            (
                8,
                62,
                format!("the entity &copy; is not defined in XML; {rejected}")
            ),
            (
                8,
                76,
                format!("an & that begins no entity (write &amp;); {rejected}")
            ),
        ]
    );
    // The files the other tests use, real ones among them, have none.
    for name in [
        "snom-d785.xml",
        "crlf-tabs.xml",
        "no-polling.xml",
        "refresh-only.xml",
    ] {
        let file = SettingsFile::parse(fixture(name)).unwrap();
        assert_eq!(file.markup_problems(), [], "{name}");
    }
}

#[test]
fn the_blank_file_is_what_reading_it_gives() {
    let blank = SettingsFile::blank();
    assert_eq!(SettingsFile::parse(blank.bytes().to_vec()).unwrap(), blank);
}

/// The worker reads a file and hands the page its index: the page's file is the one read.
#[test]
fn an_index_as_text_gives_back_the_file_read() {
    let dir = format!("{}/tests/files", env!("CARGO_MANIFEST_DIR"));
    let mut read = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let Ok(bytes) = std::fs::read(entry.unwrap().path()) else {
            continue;
        };
        let Ok(file) = SettingsFile::parse(bytes.clone()) else {
            continue;
        };
        assert_eq!(
            SettingsFile::with_index(bytes, &file.index_text()),
            Some(file)
        );
        read += 1;
    }
    assert!(read >= 8, "{read} files read");
    // Worked out by hand: the section's and the root's tag, content and last child, then the
    // setting's element, start tag, content and perm value, its field (1: the mode), the
    // lengths of its value and perm, and the strings.
    let xml = r#"<settings><phone-settings><prov_polling_mode perm="R">abs</prov_polling_mode></phone-settings></settings>"#;
    let index = SettingsFile::parse(xml).unwrap().index_text();
    assert_eq!(
        index,
        "10,26,26,77,26,77,0,10,10,94,10,94,26,77,26,54,54,57,51,52,1,3,1;absR"
    );
    assert_eq!(
        SettingsFile::with_index(fixture("snom-d785.xml"), "1,2;"),
        None
    );
    assert_eq!(SettingsFile::with_index(Vec::new(), &index), None);
    assert_eq!(
        SettingsFile::with_index(xml.into(), &index.replace(";absR", ";abs")),
        None
    );
}
