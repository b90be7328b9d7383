//! A provisioning folder: every rule of `shared/domain/provisioning-folder.md` and each of our
//! readings (docs/polling.md, "Provisioning folders"), and the edit plan's properties.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use provpoll::core::file::SettingsFile;
use provpoll::core::folder::{Concern, Content, Folder, Origin, Severity, Target};
use provpoll::core::message::{FolderProblem, Problem, Unreadable};
use provpoll::core::settings::{Draft, Key};

fn folder(files: &[(&str, &str)]) -> Folder {
    Folder::read(
        files
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect(),
    )
}

fn settings(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<settings>\n<phone-settings>\n{body}</phone-settings>\n</settings>\n"
    )
}

fn paths(f: &Folder, files: &[usize]) -> Vec<String> {
    files.iter().map(|&i| f.files[i].path.clone()).collect()
}

fn value(f: &Folder, mac: &str, key: Key) -> Option<String> {
    let p = &f.phones[f.phone(mac).unwrap()];
    p.effective.as_ref()?.draft.value(key).map(str::to_owned)
}

#[test]
fn phones_are_the_macs_of_file_names_in_either_style_and_case() {
    let f = folder(&[
        ("snomD785.xml", &settings("")),
        ("snomD785-000413A11FA7.xml", &settings("")),
        ("000413b22fb8.XML", &settings("")),
        ("snomD120-000413C33FC9.htm", &settings("")),
        ("README.txt", "not a settings file"),
        ("000413d44fd0.txt", "a note, not a phone"),
        ("snomD785-00041.xml", &settings("")),
    ]);
    let macs: Vec<&str> = f.phones.iter().map(|p| p.mac.as_str()).collect();
    assert_eq!(macs, ["000413A11FA7", "000413B22FB8", "000413C33FC9"]);
    let models: Vec<Option<&str>> = f.phones.iter().map(|p| p.model.as_deref()).collect();
    assert_eq!(models, [Some("snomD785"), None, Some("snomD120")]);
    // The .txt files are left out quietly; the name that is no MAC is a general file of a type
    // with no phone here.
    assert_eq!(f.files.len(), 5);
    assert_eq!(paths(&f, &f.unread), ["snomD785-00041.xml"]);
    assert!(f.findings.is_empty(), "{:?}", f.findings);
    assert_eq!(f.phone("00:04:13:A1:1F:A7"), Some(0));
}

#[test]
fn the_general_file_is_read_first_and_the_phones_own_value_wins() {
    let f = folder(&[
        (
            "snomD785.xml",
            &settings(
                "<prov_polling_enabled perm=\"R\">on</prov_polling_enabled>\n<prov_polling_mode perm=\"R\">rel</prov_polling_mode>\n<prov_polling_period perm=\"R\">3600</prov_polling_period>\n<timezone>GER+1</timezone>\n",
            ),
        ),
        (
            "snomD785-000413A11FA7.xml",
            &settings("<prov_polling_period>7200</prov_polling_period>\n"),
        ),
        (
            "snomD785-000413A11FA8.xml",
            &settings("<user_name1>42</user_name1>\n"),
        ),
    ]);
    let a7 = &f.phones[0];
    assert_eq!(
        paths(&f, &a7.reads),
        ["snomD785.xml", "snomD785-000413A11FA7.xml"]
    );
    let e = a7.effective.as_ref().unwrap();
    assert_eq!(e.draft.value(Key::Period), Some("7200"));
    // The perm flag travels with the value that won: the phone's own file has none.
    assert_eq!(e.draft.perm(Key::Period), None);
    assert_eq!(e.draft.perm(Key::Mode), Some("R"));
    // Files are kept in path order: the phone's own file is 0, the general file 2.
    assert_eq!(f.files[2].path, "snomD785.xml");
    assert_eq!(
        e.origin(Key::Period),
        Some(Origin {
            file: 0,
            line: 4,
            column: 1
        })
    );
    assert_eq!(
        e.origin(Key::Mode),
        Some(Origin {
            file: 2,
            line: 5,
            column: 1
        })
    );
    assert_eq!(e.zone_name(), Some("Europe/Berlin"));
    assert_eq!(
        value(&f, "000413a11fa8", Key::Period).as_deref(),
        Some("3600")
    );
    // Two phones, two different periods: two groups.
    assert_eq!(f.groups.len(), 2);
    assert!(f.unread.is_empty());
}

#[test]
fn a_general_file_of_another_extension_or_folder_is_not_the_phones() {
    let f = folder(&[
        (
            "snomD785.htm",
            &settings("<prov_polling_period>60</prov_polling_period>\n"),
        ),
        (
            "other/snomD785.xml",
            &settings("<prov_polling_period>61</prov_polling_period>\n"),
        ),
        ("snomD785-000413A11FA7.xml", &settings("")),
    ]);
    assert_eq!(paths(&f, &f.phones[0].reads), ["snomD785-000413A11FA7.xml"]);
    assert_eq!(paths(&f, &f.unread), ["other/snomD785.xml", "snomD785.htm"]);
}

#[test]
fn the_last_value_read_wins_and_a_blank_one_sets_nothing() {
    let f = folder(&[
        (
            "snomD785.xml",
            &settings(
                "<prov_polling_mode>abs</prov_polling_mode>\n<prov_polling_time>03:00</prov_polling_time>\n",
            ),
        ),
        (
            "snomD785-000413A11FA7.xml",
            &settings(
                "<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_mode>random</prov_polling_mode>\n<prov_polling_time perm=\"R\"></prov_polling_time>\n",
            ),
        ),
    ]);
    assert_eq!(
        value(&f, "000413a11fa7", Key::Mode).as_deref(),
        Some("random")
    );
    assert_eq!(
        value(&f, "000413a11fa7", Key::Time).as_deref(),
        Some("03:00")
    );
    // The repeated setting is a warning at the one that loses.
    assert_eq!(f.files[0].path, "snomD785-000413A11FA7.xml");
    assert!(f.findings.iter().any(|x| x.file == 0
        && x.line == 4
        && x.severity == Severity::Warning
        && matches!(x.concern, Concern::Settings(Problem::Repeated { .. }))));
}

#[test]
fn a_container_is_read_in_its_place_in_the_listed_order() {
    let container = "<setting-files>\n  <file url=\"http://prov.example.com/snom/common.xml\"/>\n  <file url=\"https://prov.example.com/snom/{mac}-extra.xml?x=1\"/>\n  <file url=\"missing.xml\"/>\n</setting-files>\n";
    let f = folder(&[
        (
            "common.xml",
            &settings(
                "<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>600</prov_polling_period>\n",
            ),
        ),
        (
            "000413A11FA7-extra.xml",
            &settings("<prov_polling_period>900</prov_polling_period>\n"),
        ),
        ("000413A11FA7.xml", container),
        ("000413A11FA8.xml", container),
    ]);
    assert_eq!(f.files[1].path, "000413A11FA7.xml");
    assert!(matches!(f.files[1].content, Content::Container { .. }));
    let a7 = &f.phones[0];
    assert_eq!(
        paths(&f, &a7.reads),
        ["000413A11FA7.xml", "common.xml", "000413A11FA7-extra.xml"]
    );
    assert_eq!(
        value(&f, "000413a11fa7", Key::Period).as_deref(),
        Some("900")
    );
    // The other phone's {mac} file is not here: its listed file is missing.
    assert_eq!(
        value(&f, "000413a11fa8", Key::Period).as_deref(),
        Some("600")
    );
    let missing: Vec<(String, usize, String)> = f
        .findings
        .iter()
        .filter(|x| {
            matches!(
                x.concern,
                Concern::Folder(FolderProblem::MissingListed { .. })
            )
        })
        .map(|x| (f.files[x.file].path.clone(), x.line, x.concern.to_string()))
        .collect();
    assert_eq!(
        missing,
        [
            ("000413A11FA7.xml".into(), 4, "the listed file missing.xml is not in this folder".into()),
            (
                "000413A11FA8.xml".into(),
                3,
                "the listed file https://prov.example.com/snom/000413A11FA8-extra.xml?x=1 is not in this folder".into()
            ),
            ("000413A11FA8.xml".into(), 4, "the listed file missing.xml is not in this folder".into()),
        ]
    );
}

#[test]
fn a_container_that_lists_itself_is_read_once() {
    let f = folder(&[
        (
            "loop.xml",
            "<setting-files><file url=\"000413A11FA7.xml\"/></setting-files>",
        ),
        (
            "000413A11FA7.xml",
            "<setting-files><file url=\"loop.xml\"/></setting-files>",
        ),
    ]);
    assert_eq!(
        paths(&f, &f.phones[0].reads),
        ["000413A11FA7.xml", "loop.xml"]
    );
    assert!(f.findings.iter().any(|x| x.concern
        == Concern::Folder(FolderProblem::ListedLoop {
            name: "000413A11FA7.xml".into()
        })));
}

#[test]
fn a_phone_with_a_file_that_cannot_be_read_has_no_settings() {
    let f = folder(&[
        (
            "snomD785.xml",
            "<settings>\n<phone-settings>\n<prov_polling_mode>rel</prov_polling_mode>\n",
        ),
        ("snomD785-000413A11FA7.xml", &settings("")),
        (
            "snomD120-000413A11FB1.xml",
            &settings("<user_pass idx=1 perm=\"\">x</user_pass>\n"),
        ),
        (
            "snomD120-000413A11FB2.xml",
            &settings("<prov_polling_mode>rel</prov_polling_mode>\n"),
        ),
        (
            "tbook.xml",
            "<tbook><item><name>Reception</name></item></tbook>",
        ),
    ]);
    assert_eq!(f.phones[0].effective, None);
    // Markup a phone rejects: the phone rejects the file, so its settings are unknown too.
    assert_eq!(f.phones[1].effective, None);
    assert!(f.phones[2].effective.is_some());
    assert_eq!(f.groups.len(), 1);
    assert_eq!(f.groups[0].phones, [2]);
    let errors: Vec<(String, usize, usize)> = f
        .findings
        .iter()
        .filter(|x| x.severity == Severity::Error)
        .map(|x| (f.files[x.file].path.clone(), x.line, x.column))
        .collect();
    assert_eq!(
        errors,
        [
            // At the unquoted value; at the start of the element left open.
            ("snomD120-000413A11FB1.xml".to_owned(), 4, 16),
            ("snomD785.xml".to_owned(), 2, 1),
        ]
    );
    assert!(f.has_errors());
    // A phone book no phone reads is listed as unread, without a finding.
    assert_eq!(paths(&f, &f.unread), ["tbook.xml"]);
    let broken = f
        .findings
        .iter()
        .find(|x| f.files[x.file].path == "snomD785.xml")
        .unwrap();
    assert_eq!(broken.concern, Concern::Unreadable(Unreadable::Unclosed));
}

#[test]
fn what_settings_mean_together_is_told_at_the_setting_it_is_about() {
    // The mode comes from the general file, the period of 0 from the phone's own file.
    let f = folder(&[
        (
            "snomD785.xml",
            &settings(
                "<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n",
            ),
        ),
        (
            "snomD785-000413A11FA7.xml",
            &settings("<prov_polling_period>0</prov_polling_period>\n"),
        ),
        (
            "snomD785-000413A11FA8.xml",
            &settings("<prov_polling_period>zero</prov_polling_period>\n"),
        ),
    ]);
    let found: Vec<(String, usize, Severity, String)> = f
        .findings
        .iter()
        .map(|x| {
            (
                f.files[x.file].path.clone(),
                x.line,
                x.severity,
                x.concern.to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "snomD785-000413A11FA7.xml".into(),
                4,
                Severity::Error,
                "prov_polling_period must be more than 0 s in rel mode while polling is on".into()
            ),
            (
                "snomD785-000413A11FA8.xml".into(),
                4,
                Severity::Error,
                "prov_polling_period must be a whole number of seconds, not \"zero\"".into()
            ),
        ]
    );
    assert_eq!(f.phones[0].effective.as_ref().unwrap().settings(), None);
}

#[test]
fn zones_are_per_phone_and_split_groups() {
    let f = folder(&[
        (
            "snomD785.xml",
            &settings(
                "<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>3600</prov_polling_period>\n<timezone>GER+1</timezone>\n",
            ),
        ),
        ("snomD785-000413A11FA7.xml", &settings("")),
        (
            "snomD785-000413A11FA8.xml",
            &settings("<timezone>USA-5</timezone>\n"),
        ),
        ("snomD785-000413A11FA9.xml", &settings("")),
    ]);
    let zones: Vec<Option<&str>> = f
        .phones
        .iter()
        .map(|p| p.effective.as_ref().unwrap().zone_name())
        .collect();
    assert_eq!(
        zones,
        [
            Some("Europe/Berlin"),
            Some("America/New_York"),
            Some("Europe/Berlin")
        ]
    );
    let groups: Vec<&[usize]> = f.groups.iter().map(|g| g.phones.as_slice()).collect();
    assert_eq!(groups, [&[0, 2][..], &[1][..]]);
}

#[test]
fn several_own_files_are_all_read_with_a_warning() {
    let f = folder(&[
        (
            "000413A11FA7.xml",
            &settings("<prov_polling_period>600</prov_polling_period>\n"),
        ),
        (
            "snomD785-000413A11FA7.xml",
            &settings("<prov_polling_period>700</prov_polling_period>\n"),
        ),
    ]);
    assert_eq!(f.phones.len(), 1);
    assert_eq!(
        value(&f, "000413a11fa7", Key::Period).as_deref(),
        Some("700")
    );
    assert_eq!(
        f.findings[0].concern.to_string(),
        "the phone 000413A11FA7 has several files of its own (000413A11FA7.xml, snomD785-000413A11FA7.xml): which it reads depends on its setting server URL; provpoll reads them all, in name order"
    );
}

fn office() -> Folder {
    folder(&[
        (
            "snomD785.xml",
            &settings(
                "<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period perm=\"R\">86400</prov_polling_period>\n",
            ),
        ),
        (
            "snomD785-000413A11FA7.xml",
            &settings("<user_name1>41</user_name1>\n"),
        ),
        (
            "snomD785-000413A11FA8.xml",
            &settings("<user_name1>42</user_name1>\n"),
        ),
        (
            "snomD785-000413A11FA9.xml",
            &settings("<prov_polling_period>3600</prov_polling_period> <!-- reception -->\n"),
        ),
    ])
}

#[test]
fn an_edit_goes_where_the_value_comes_from_and_names_every_phone_it_changes() {
    let f = office();
    let change = Draft::default().with(Key::Period, "43200");
    let a7 = f.phone("000413a11fa7").unwrap();
    let plan = f.plan(&change, &[a7], Target::Source).unwrap();
    assert_eq!(plan.edits.len(), 1);
    assert_eq!(f.files[plan.edits[0].file].path, "snomD785.xml");
    // A8 reads the same general file: it changes too, though not selected. A9 has its own.
    assert_eq!(plan.affected(), [0, 1]);
    let text = String::from_utf8(plan.edits[0].bytes.clone()).unwrap();
    assert_eq!(
        text,
        settings(
            "<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period perm=\"R\">43200</prov_polling_period>\n"
        )
    );
    assert_eq!(
        value(&plan.after, "000413a11fa8", Key::Period).as_deref(),
        Some("43200")
    );
    assert_eq!(
        value(&plan.after, "000413a11fa9", Key::Period).as_deref(),
        Some("3600")
    );
}

#[test]
fn an_edit_in_each_phones_own_file_never_touches_a_shared_one() {
    let f = office();
    let change = Draft::default().with(Key::Period, "43200");
    let a7 = f.phone("000413a11fa7").unwrap();
    let a9 = f.phone("000413a11fa9").unwrap();
    let plan = f.plan(&change, &[a7, a9], Target::Own).unwrap();
    let files: Vec<&str> = plan
        .edits
        .iter()
        .map(|e| f.files[e.file].path.as_str())
        .collect();
    assert_eq!(
        files,
        ["snomD785-000413A11FA7.xml", "snomD785-000413A11FA9.xml"]
    );
    assert_eq!(plan.affected(), [a7, a9]);
    // Inserted after the end of the line, comment and all; only that setting's bytes change.
    let a9_text = String::from_utf8(plan.edits[1].bytes.clone()).unwrap();
    assert_eq!(
        a9_text,
        settings("<prov_polling_period>43200</prov_polling_period> <!-- reception -->\n")
    );
    let a7_text = String::from_utf8(plan.edits[0].bytes.clone()).unwrap();
    assert_eq!(
        a7_text,
        settings("<user_name1>41</user_name1>\n<prov_polling_period>43200</prov_polling_period>\n")
    );
}

#[test]
fn an_edit_leaves_out_phones_whose_settings_are_unknown_and_refuses_bad_values() {
    let f = folder(&[
        ("000413A11FA7.xml", "<settings><phone-settings>"),
        (
            "000413A11FA8.xml",
            "<setting-files><file url=\"x.xml\"/></setting-files>",
        ),
        ("x.xml", &settings("")),
    ]);
    let plan = f
        .plan(
            &Draft::default().with(Key::Mode, "rel"),
            &[0, 1],
            Target::Own,
        )
        .unwrap();
    assert!(plan.edits.is_empty());
    assert_eq!(
        plan.refused,
        [
            (
                0,
                FolderProblem::PhoneUnreadable {
                    mac: "000413A11FA7".into()
                }
            ),
            (
                1,
                FolderProblem::OwnFileIsContainer {
                    mac: "000413A11FA8".into()
                }
            ),
        ]
    );
    let bad = f.plan(
        &Draft::default().with(Key::Period, "soon"),
        &[0],
        Target::Own,
    );
    assert_eq!(
        bad.unwrap_err()[0].problem,
        Problem::NotSeconds {
            key: Key::Period,
            text: "soon".into()
        }
    );
}

/// A random folder: a few types with general files, phones in both naming styles, each file
/// setting a random part of the polling settings.
fn any_folder() -> impl Strategy<Value = Vec<(String, String)>> {
    let value = |key: Key| match key {
        Key::Enabled => prop::sample::select(vec!["on", "off"]).boxed(),
        Key::Mode => prop::sample::select(vec!["rel", "abs", "random"]).boxed(),
        Key::Period => prop::sample::select(vec!["600", "3600", "86400", "172800"]).boxed(),
        Key::Time => prop::sample::select(vec!["03:00", "09:00"]).boxed(),
        Key::TimeRandEnd => prop::sample::select(vec!["04:00", "09:10"]).boxed(),
        Key::RefreshTimer => prop::sample::select(vec!["0", "7200"]).boxed(),
    };
    let body = move || {
        Key::ALL
            .map(|key| prop::option::of(value(key)).prop_map(move |v| (key, v)))
            .to_vec()
            .prop_map(|kv| {
                kv.into_iter()
                    .filter_map(|(k, v)| v.map(|v| format!("<{0}>{v}</{0}>\n", k.name())))
                    .collect::<String>()
            })
    };
    let general = prop::collection::vec(body(), 2);
    let phones = prop::collection::vec((0usize..3, body()), 1..8);
    (general, phones).prop_map(|(general, phones)| {
        let mut files: Vec<(String, String)> = general
            .into_iter()
            .enumerate()
            .map(|(t, b)| (format!("snomD7{t}5.xml"), settings(&b)))
            .collect();
        for (i, (style, b)) in phones.into_iter().enumerate() {
            let mac = format!("000413A1{i:04X}");
            let name = match style {
                0 => format!("snomD705-{mac}.xml"),
                1 => format!("snomD715-{mac}.xml"),
                _ => format!("{mac}.xml"),
            };
            files.push((name, settings(&b)));
        }
        files
    })
}

fn change() -> impl Strategy<Value = Draft> {
    (
        prop::option::of(prop::sample::select(vec!["1800", "7200"])),
        prop::option::of(prop::sample::select(vec!["rel", "random"])),
        prop::option::of(prop::sample::select(vec!["R", "RW"])),
    )
        .prop_filter("changes something", |c| c != &(None, None, None))
        .prop_map(|(period, mode, perm)| {
            let mut d = Draft::default();
            d.set_value(Key::Period, period);
            d.set_value(Key::Mode, mode);
            if period.is_some() {
                d.set_perm(Key::Period, perm);
            }
            d
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// The folder re-read from the plan's bytes has the planned settings for every selected
    /// phone; no other phone changes unless it reads a changed file (and never, when each
    /// phone's own file is the target); each changed file differs in the edited settings only.
    #[test]
    fn a_plan_changes_what_it_says_and_nothing_else(
        files in any_folder(),
        change in change(),
        pick in prop::collection::vec(any::<bool>(), 8),
        own in any::<bool>(),
    ) {
        let owned: Vec<(String, Vec<u8>)> = files.iter().map(|(p, b)| (p.clone(), b.clone().into_bytes())).collect();
        let before = Folder::read(owned.clone());
        let selected: Vec<usize> = (0..before.phones.len()).filter(|&i| pick[i]).collect();
        let target = if own { Target::Own } else { Target::Source };
        let plan = before.plan(&change, &selected, target).unwrap();
        prop_assert!(plan.refused.is_empty());

        let mut written = owned;
        for edit in &plan.edits {
            let path = &before.files[edit.file].path;
            let slot = written.iter_mut().find(|(p, _)| p == path).unwrap();
            slot.1 = edit.bytes.clone();
        }
        let after = Folder::read(written);
        let changed: Vec<usize> = plan.edits.iter().map(|e| e.file).collect();
        for (i, (b, a)) in before.phones.iter().zip(&after.phones).enumerate() {
            prop_assert_eq!(&b.mac, &a.mac);
            let (eb, ea) = (b.effective.as_ref().unwrap(), a.effective.as_ref().unwrap());
            if selected.contains(&i) {
                for key in Key::ALL {
                    match change.value(key) {
                        Some(v) => {
                            prop_assert_eq!(ea.draft.value(key), Some(v));
                            if let Some(perm) = change.perm(key) {
                                prop_assert_eq!(ea.draft.perm(key), Some(perm));
                            }
                        }
                        None => prop_assert_eq!(ea.draft.value(key), eb.draft.value(key)),
                    }
                }
            } else if own || !b.reads.iter().any(|f| changed.contains(f)) {
                prop_assert_eq!(ea, eb, "phone {} was not to change", b.mac);
            }
            // The plan's own re-read agrees with reading the written files.
            prop_assert_eq!(&plan.after.phones[i], a);
            // Affected: what the phone reads changed (an edit may move other settings' lines).
            let is_affected = plan.affected().contains(&i);
            prop_assert_eq!(is_affected, ea.draft != eb.draft);
        }
        for edit in &plan.edits {
            let old = match &before.files[edit.file].content {
                Content::Settings(f) => f.draft(),
                _ => unreachable!(),
            };
            let new = SettingsFile::parse(edit.bytes.clone()).unwrap().draft();
            for key in Key::ALL {
                if edit.draft.value(key).is_none() {
                    prop_assert_eq!(new.value(key), old.value(key));
                }
                if edit.draft.perm(key).is_none() {
                    prop_assert_eq!(new.perm(key), old.perm(key));
                }
            }
        }
    }
}

#[test]
fn the_table_groups_filters_sorts_and_shows_where_each_value_comes_from() {
    use provpoll::text::folder::{GroupText, Sort, phone_rows};
    let english = provpoll::words::Words::english();
    let f = office();
    let texts: Vec<GroupText> = (0..f.groups.len())
        .map(|g| GroupText {
            summary: format!("summary {g}"),
            next: format!("next {g}"),
        })
        .collect();
    let macs = |html: &str| -> Vec<String> {
        html.split("data-mac=\"")
            .skip(1)
            .map(|s| s[..12].to_owned())
            .collect()
    };
    let selected = [false, true, false];
    let all = phone_rows(&f, &texts, &[], &selected, "", Sort::Group, 10, &english);
    assert_eq!((all.matching, all.shown), (3, 3));
    // Two groups: A7 and A8 alike (the general file's settings), A9 on its own period.
    assert_eq!(f.groups.len(), 2);
    assert_eq!(all.html.matches(r#"data-testid="group""#).count(), 2);
    assert_eq!(
        macs(&all.html),
        ["000413A11FA7", "000413A11FA8", "000413A11FA9"]
    );
    assert!(all.html.contains(r#"data-members="0 1""#), "{}", all.html);
    assert!(
        all.html
            .contains(r#"data-phone="1" aria-label="Select 000413A11FA8" checked"#)
    );
    assert!(all.html.contains(
        r#"<code>prov_polling_period</code> 3600 <small class="origin" title="from snomD785-000413A11FA9.xml, line 4">snomD785-000413A11FA9.xml:4</small>"#
    ));
    assert!(all.html.contains("summary 1") && all.html.contains("next 0"));
    // The filter finds a MAC or a value, in any case; the limit draws fewer rows but counts all.
    let found = phone_rows(
        &f,
        &texts,
        &[],
        &selected,
        "A11FA9",
        Sort::Mac,
        10,
        &english,
    );
    assert_eq!(
        (found.matching, macs(&found.html)),
        (1, vec!["000413A11FA9".to_owned()])
    );
    let by_value = phone_rows(
        &f,
        &texts,
        &[],
        &selected,
        " 3600 ",
        Sort::Mac,
        10,
        &english,
    );
    assert_eq!(macs(&by_value.html), ["000413A11FA9"]);
    let limited = phone_rows(&f, &texts, &[], &selected, "", Sort::Mac, 2, &english);
    assert_eq!((limited.matching, limited.shown), (3, 2));
    assert_eq!(
        limited.html.matches(r#"data-testid="group""#).count(),
        0,
        "flat when sorted by MAC"
    );
}

/// The issue's container bomb: the phone's own file and the containers `c1` … `c{depth-1}`
/// each list the next `fanout` times; `c{depth}` is a settings file.
fn container_bomb(depth: usize, fanout: usize) -> Vec<(String, String)> {
    let name = |level: usize| match level {
        0 => "000413A11FA7.xml".to_owned(),
        n => format!("c{n}.xml"),
    };
    let mut files: Vec<(String, String)> = (0..depth)
        .map(|level| {
            let listed = format!("<file url=\"{}\"/>\n", name(level + 1)).repeat(fanout);
            (
                name(level),
                format!("<setting-files>\n{listed}</setting-files>\n"),
            )
        })
        .collect();
    files.push((
        name(depth),
        settings("<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>7200</prov_polling_period>\n"),
    ));
    files
}

#[test]
fn containers_that_list_each_other_are_read_once_each_at_their_last_place() {
    // 8 files, 7 levels of 10 (70 lines of XML): read in full, 10⁷ files. Each counts once,
    // at its last place (the last value read wins, so the settings are those of reading
    // every place).
    let files = container_bomb(7, 10);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    let f = folder(&refs);
    assert_eq!(
        paths(&f, &f.phones[0].reads),
        [
            "000413A11FA7.xml",
            "c1.xml",
            "c2.xml",
            "c3.xml",
            "c4.xml",
            "c5.xml",
            "c6.xml",
            "c7.xml"
        ]
    );
    let e = f.phones[0].effective.as_ref().unwrap();
    assert_eq!(e.draft.value(Key::Period), Some("7200"));
    assert_eq!(
        e.origin(Key::Period).map(|o| f.files[o.file].path.as_str()),
        Some("c7.xml")
    );
    // Deeper than a phone follows (8 levels): named where it stops, and still read once each.
    let files = container_bomb(30, 10);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_str()))
        .collect();
    let f = folder(&refs);
    assert_eq!(f.phones[0].reads.len(), 8);
    assert!(f.findings.iter().any(|x| matches!(&x.concern, Concern::Folder(FolderProblem::ListedLoop { name }) if name == "c8.xml")));
}

#[test]
fn a_file_listed_twice_counts_at_its_last_place() {
    // a sets 3600, b sets 7200; the container lists a, b, a: the phone reads b, then a.
    let f = folder(&[
        (
            "000413A11FA7.xml",
            "<setting-files><file url=\"a.xml\"/><file url=\"b.xml\"/><file url=\"a.xml\"/></setting-files>",
        ),
        (
            "a.xml",
            &settings("<prov_polling_period>3600</prov_polling_period>\n"),
        ),
        (
            "b.xml",
            &settings("<prov_polling_period>7200</prov_polling_period>\n"),
        ),
    ]);
    assert_eq!(
        paths(&f, &f.phones[0].reads),
        ["000413A11FA7.xml", "b.xml", "a.xml"]
    );
    let e = f.phones[0].effective.as_ref().unwrap();
    assert_eq!(e.draft.value(Key::Period), Some("3600"));
}
