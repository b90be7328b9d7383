//! The app's shared state, in one place: every view reads and writes it, and no view reaches
//! into another.

use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::{IntlZone, browser, effect, intl};
use crate::core::check::{Report, last_valid, remember_valid, validate};
use crate::core::file::{SettingsFile, Splices, splice};
use crate::core::message::Said;
use crate::core::settings::{Draft, Key, Settings};
use crate::core::zone::{Zone, ZoneOrigin};
use crate::formats::store::{self, Saved};
use crate::text::render;
use crate::text::timeline::Horizon;
use crate::text::xml_rows;
use crate::words::Lang;

/// An imported settings file: its name, the file as read once, with its original bytes, and
/// where each row of the XML view starts in them (`text::xml_rows`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub name: String,
    pub file: SettingsFile,
    pub rows: Arc<Vec<usize>>,
}

thread_local! {
    /// What a new file is written into.
    static BLANK: Imported = {
        let file = SettingsFile::blank();
        let mut rows = Vec::new();
        xml_rows::row_starts(file.bytes(), 0, &mut rows);
        Imported {
            name: String::new(),
            file,
            rows: Arc::new(rows),
        }
    };
}

/// The zone the timeline uses, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneInfo {
    pub name: String,
    /// The file's `timezone` code, when it decides the zone (the user's choice then does not).
    pub file_code: Option<String>,
    /// Sentences for the user: where the zone came from, and any doubt about it.
    pub notes: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct State {
    /// What the form holds, valid or not.
    pub draft: RwSignal<Draft>,
    pub report: Memo<Report>,
    /// The draft while it has no errors, else the draft with each setting in error at its last
    /// valid value (`last`), or `fallback` where that is not valid: the XML, the timeline, the
    /// summary and the fleet follow it.
    pub good: Memo<Draft>,
    /// Each setting's last valid value since the file was opened; never one of another file.
    pub last: RwSignal<Draft>,
    /// The last draft without errors since the file was opened; never one of another file.
    pub fallback: RwSignal<Draft>,
    /// The form's settings from before an import of a file that has no polling settings: the
    /// user may add them to it, by a button that says what it adds.
    /// Empty when there is nothing to offer.
    pub offer: RwSignal<Draft>,

    pub settings: Memo<Settings>,
    pub imported: RwSignal<Option<Imported>>,
    /// The saved file's name while the worker reads it again after a reload.
    pub opening: RwSignal<Option<String>>,
    /// The zone the user picked (IANA).
    pub zone_choice: RwSignal<String>,
    pub zone: Memo<ZoneInfo>,
    pub t0: RwSignal<DateTime<Utc>>,
    /// Whether the user set T0 (kept over a reload) rather than taking "now".
    pub t0_pinned: RwSignal<bool>,
    pub horizon: RwSignal<Horizon>,
    pub now: RwSignal<DateTime<Utc>>,
    /// The edit of the file (imported, or a blank one): the XML file as it would be
    /// downloaded, as splices into the file as read ([`State::with_file`]).
    pub output: Memo<Splices>,
    /// Whether a provisioning folder is open (the worker keeps it): the fleet then counts its
    /// phones. Set again each time the folder is read.
    pub folder: RwSignal<bool>,
    /// The page's language; the view is built anew when it changes.
    pub lang: RwSignal<Lang>,
    /// Whether the user chose it (it is then kept with the draft), rather than the browser.
    pub lang_chosen: RwSignal<bool>,
    /// The fleet's controls: kept here, so a new language keeps them.
    pub fleet: FleetControls,
    /// The form's draft when a bulk edit of the folder began: the edit is what differs from it.
    pub folder_base: RwSignal<Draft>,
}

/// What the fleet view's controls hold.
#[derive(Clone, Copy)]
pub struct FleetControls {
    /// The number of phones as typed, valid or not.
    pub phones: RwSignal<String>,
    /// The seconds over which the phones take the settings.
    pub spread: RwSignal<u32>,
    pub horizon: RwSignal<Horizon>,
    /// The alternative chosen (`Alternative::as_str`); empty until the user picks one, when the
    /// first that differs from the settings is compared.
    pub alternative: RwSignal<String>,
}

/// A draft that sets nothing.
fn empty(never_update: bool) -> Draft {
    let mut draft = Draft::default();
    draft.never_update = never_update;
    draft
}

/// The vendor's own example: every day between 09:00 and 09:10.
fn starter_draft() -> Draft {
    Draft::default()
        .with(Key::Enabled, "on")
        .with(Key::Mode, "random")
        .with(Key::Period, "86400")
        .with(Key::Time, "09:00")
        .with(Key::TimeRandEnd, "09:10")
}

impl State {
    /// The state at start: the work saved in the browser, a shared link's settings, or the vendor's
    /// example.
    pub fn load(saved: Option<Saved>, lang: Lang) -> State {
        let saved = saved.unwrap_or_else(|| Saved {
            draft: starter_draft(),
            ..Saved::default()
        });
        let mut draft = saved.draft.clone();
        // A shared link's settings replace the draft's; the rest of the work stays.
        if let Some(shared) = store::from_fragment(&browser::location_hash()) {
            let never_update = draft.never_update;
            draft = shared;
            draft.never_update = never_update;
            browser::clear_hash();
        }
        let now = browser::now();
        let pinned_t0 = saved
            .t0
            .as_deref()
            .and_then(|t| t.parse::<i64>().ok())
            .and_then(|t| DateTime::from_timestamp(t, 0));

        let draft = RwSignal::new(draft);
        let Checked {
            report,
            good,
            last,
            fallback,
            settings,
        } = checked(draft, saved.good.clone());
        // A saved file is read again by the worker (`file_panel::reopen`).
        let imported = RwSignal::new(None::<Imported>);
        let zone_choice = RwSignal::new(
            saved
                .zone
                .filter(|z| IntlZone::get(z).is_some())
                .unwrap_or_else(intl::browser_zone),
        );
        let t0 = RwSignal::new(pinned_t0.unwrap_or(now));
        let lang = RwSignal::new(lang);
        let zone = Memo::new(move |_| {
            // Its notes are sentences in the page's language.
            lang.track();
            let file_code = imported.with(|f| f.as_ref()?.file.timezone().map(str::to_owned));
            zone_info(&zone_choice.get(), file_code.as_deref(), t0.get())
        });
        // Each edit is splices into the file as read once (at import, or the blank file): it
        // is neither read again nor copied. `good` has passed `validate`: it is the draft while
        // `report` has no errors, else the last valid one.
        let output = Memo::new(move |_| {
            let draft = good.get();
            imported.with(|f| match f {
                Some(f) => f.file.splices_valid(&draft),
                None => BLANK.with(|b| b.file.splices_valid(&draft)),
            })
        });
        State {
            draft,
            report,
            good,
            last,
            fallback,
            offer: RwSignal::new(Draft::default()),
            settings,
            imported,
            opening: RwSignal::new(None),
            zone_choice,
            zone,
            t0,
            t0_pinned: RwSignal::new(pinned_t0.is_some()),
            horizon: RwSignal::new(
                saved
                    .horizon
                    .as_deref()
                    .and_then(Horizon::parse)
                    .unwrap_or(Horizon::Week),
            ),
            now: RwSignal::new(now),
            output,
            folder: RwSignal::new(false),
            lang,
            lang_chosen: RwSignal::new(saved.lang.is_some()),
            fleet: FleetControls {
                phones: RwSignal::new("10000".to_owned()),
                spread: RwSignal::new(0),
                horizon: RwSignal::new(Horizon::Week),
                alternative: RwSignal::new(String::new()),
            },
            folder_base: RwSignal::new(Draft::default()),
        }
    }

    /// Why the file cannot be downloaded, copied or shared now: the first field in error.
    pub fn blocked(&self) -> Option<String> {
        self.report.with(|r| {
            r.errors.first().map(|e| {
                let field = e.key.map_or_else(|| t!("a setting").to_owned(), |k| k.name().to_owned());
                tf!(
                    "Fix {0} first: the file would hold the last valid settings, not what the form shows.",
                    field
                )
            })
        })
    }

    /// Opens `file` (already read) as the current file: the form shows its polling settings
    /// exactly, each "not set" where the file has none, and nothing of the earlier form stays
    /// in it unless the user adds it by the offered button.
    pub fn open(&self, file: Imported) {
        self.take_settings(file.file.draft(), file.file.has_polling());
        self.imported.set(Some(file));
    }

    /// Gives the form the imported file's own settings again, as opening it did.
    pub fn revert(&self) {
        let file = self
            .imported
            .with_untracked(|f| f.as_ref().map(|f| (f.file.draft(), f.file.has_polling())));
        if let Some((draft, has_polling)) = file {
            self.take_settings(draft, has_polling);
        }
    }

    fn take_settings(&self, from_file: Draft, has_polling: bool) {
        let before = self.good.get_untracked();
        self.offer.set(if has_polling {
            Draft::default()
        } else {
            before
        });
        // A file whose own values are invalid falls back to nothing, never to another file's.
        self.forget(from_file.never_update);
        self.draft.set(from_file);
    }

    /// `f` of the file the edit is written into (the imported one, or a blank one for a new
    /// file) and whether the edit's lines are marked in it (a new file is all new: no line is).
    pub fn with_file<R>(&self, f: impl FnOnce(&Imported, bool) -> R) -> R {
        self.imported.with(|i| match i {
            Some(i) => f(i, true),
            None => BLANK.with(|b| f(b, false)),
        })
    }

    /// The XML file as it would be downloaded.
    pub fn output_bytes(&self) -> Vec<u8> {
        self.output
            .with(|splices| self.with_file(|f, _| splice(f.file.bytes(), splices).0))
    }

    /// Forgets the last valid values: nothing of an earlier file or form stands in while a
    /// field is in error.
    pub fn forget(&self, never_update: bool) {
        self.fallback.set(empty(never_update));
        self.last.set(Draft::default());
    }

    pub fn saved(&self) -> Saved {
        let draft = self.draft.get();
        let good = self.good.get();
        Saved {
            good: (good != draft).then_some(good),
            draft,
            // Kept apart, when it changes (`app::start`).
            file: None,
            zone: Some(self.zone_choice.get()),
            t0: self
                .t0_pinned
                .get()
                .then(|| self.t0.get().timestamp().to_string()),
            horizon: Some(self.horizon.get().as_str().to_owned()),
            lang: self
                .lang_chosen
                .get()
                .then(|| self.lang.get().as_str().to_owned()),
        }
    }
}

/// What follows from the draft: its report, the settings the previews show, and what they
/// keep while a field is in error.
struct Checked {
    report: Memo<Report>,
    good: Memo<Draft>,
    last: RwSignal<Draft>,
    fallback: RwSignal<Draft>,
    settings: Memo<Settings>,
}

/// The draft checked at each edit; `saved_good` is the last valid draft of the saved work.
fn checked(draft: RwSignal<Draft>, saved_good: Option<Draft>) -> Checked {
    let never_update = draft.with_untracked(|d| d.never_update);
    let fallback = RwSignal::new(saved_good.unwrap_or_else(|| empty(never_update)));
    let mut remembered = Draft::default();
    fallback.with_untracked(|d| remember_valid(&mut remembered, d, &validate(d)));
    let last = RwSignal::new(remembered);
    // A new draft is taken to have a new report: comparing reports would cost the bundle more
    // than re-showing an unchanged message does.
    let report = Memo::new_with_compare(move |_| draft.with(validate), |_, _| true);
    let good = Memo::new(move |_| {
        draft.with(|d| {
            report.with(|r| last.with(|l| fallback.with(|whole| last_valid(l, d, r, whole))))
        })
    });
    // Remember each valid value, and each valid draft, so an error later keeps them.
    effect(move |_| {
        draft.with(|d| {
            report.with(|r| {
                last.update(|l| remember_valid(l, d, r));
                if r.errors.is_empty() {
                    fallback.set(d.clone());
                }
            })
        });
    });
    // Each edit is validated once, by `report`: the settings and the file's preview take its
    // result. Only while a field is in error are the kept settings validated instead.
    let settings = Memo::new(move |_| {
        report
            .with(|r| r.settings)
            .or_else(|| good.with(|d| validate(d).settings))
            .unwrap_or_default()
    });
    Checked {
        report,
        good,
        last,
        fallback,
        settings,
    }
}

/// The zone the phone keeps time in, by the core's rule ([`zone::phone_zone`]), with the notes
/// the user should read as sentences.
fn zone_info(choice: &str, file_code: Option<&str>, at: DateTime<Utc>) -> ZoneInfo {
    let phone = intl::phone_zone(file_code, choice, at);
    ZoneInfo {
        name: phone.name.to_owned(),
        file_code: match phone.origin {
            ZoneOrigin::File { code } => Some(code.to_owned()),
            _ => None,
        },
        notes: phone
            .notes
            .iter()
            .map(|n| sentence(&n.say(super::words())))
            .collect(),
    }
}

/// A note as a sentence: capitalised, with a full stop. (The notes begin with an ASCII letter
/// in every language; `char::to_uppercase` would bring Unicode's case tables into the bundle.)
fn sentence(note: &str) -> String {
    let mut text = format!("{note}.");
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// The warnings about the settings in the form, as markup (empty when there are none, or
/// while a field has an error).
pub fn warnings_html(state: &State) -> String {
    let words = super::words();
    state.report.with(|r| {
        if !r.errors.is_empty() || r.warnings.is_empty() {
            return String::new();
        }
        let items: String = r
            .warnings
            .iter()
            .map(|w| format!("<li>{}</li>", render::escape(&w.problem.say(words))))
            .collect();
        format!(
            "<h3>{}</h3><ul>{items}</ul>",
            t!("Worth a second look").to_owned()
        )
    })
}

/// The `<option>`s of a horizon picker.
pub fn horizon_options() -> String {
    render::options(&Horizon::ALL.map(|h| (h.as_str(), h.label())))
}

/// The zone the timeline uses.
pub fn zone_of(state: &State) -> Rc<dyn Zone> {
    intl::zone_named(&state.zone.with(|z| z.name.clone()))
}
