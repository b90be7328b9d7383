//! The page's words in a language: every text a person reads is written in English, marked
//! with [`en!`](crate::en), and looked up in the language's table (`i18n/de.tsv`), keyed by
//! the English text itself (as gettext does). English needs no table; the command line stays
//! English. A test (`tests/words.rs`) finds every marked text in `src/` and fails when one has
//! no German, or German has a text no code uses.
//!
//! Setting names and values (`prov_polling_mode`, `rel`) are never in the table: they are what
//! goes into the file, in every language.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};

/// A language of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// Its BCP 47 tag, as `<html lang>` and the `language` control take it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    pub fn parse(text: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.as_str() == text)
    }

    /// The page's language for a browser that prefers `tags` (`navigator.languages`, first
    /// the most preferred): German when the first of them that provpoll speaks is German.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next().unwrap_or_default();
                Lang::ALL
                    .into_iter()
                    .find(|l| primary.eq_ignore_ascii_case(l.as_str()))
            })
            .unwrap_or_default()
    }

    /// The language's own name, as the language control shows it.
    pub const fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }
}

/// Why a table of words cannot be read, and on which line (from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableError {
    pub line: usize,
    pub problem: &'static str,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

/// One language's words.
#[derive(Clone, Debug, Default)]
pub struct Words {
    pub lang: Lang,
    /// Sorted by the English text (a sorted list costs the page's bundle less than a map).
    table: Vec<(String, String)>,
}

impl Words {
    pub fn english() -> Words {
        Words::default()
    }

    /// Reads a table: one `English<TAB>translation` per line; blank lines and lines that start
    /// with `#` are left out.
    pub fn parse(lang: Lang, text: &str) -> Result<Words, TableError> {
        let mut table: Vec<(String, String)> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let fail = |problem| {
                Err(TableError {
                    line: i + 1,
                    problem,
                })
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((english, own)) = line.split_once('\t') else {
                return fail("no tab between the English and the translation");
            };
            if english.is_empty() || own.is_empty() || own.contains('\t') {
                return fail("not one English text and one translation");
            }
            if table.iter().any(|(e, _)| e == english) {
                return fail("this English text is translated twice");
            }
            table.push((english.to_owned(), own.to_owned()));
        }
        table.sort_unstable();
        Ok(Words { lang, table })
    }

    /// The English texts the table translates, for the test that compares them with the code.
    pub fn english_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.table.iter().map(|(e, o)| (e.as_str(), o.as_str()))
    }

    /// `english` in this language (as it is where the table has no entry).
    pub fn t<'a>(&'a self, english: &'a str) -> &'a str {
        match self
            .table
            .binary_search_by(|(e, _)| e.as_str().cmp(english))
        {
            Ok(i) => &self.table[i].1,
            Err(_) => english,
        }
    }

    /// The template `english` in this language, with `{0}`, `{1}`… filled in.
    pub fn fill(&self, english: &str, args: &[&dyn fmt::Display]) -> String {
        struct Filled<'a>(&'a str, &'a [&'a dyn fmt::Display]);
        impl fmt::Display for Filled<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fill(f, self.0, self.1)
            }
        }
        Filled(self.t(english), args).to_string()
    }

    /// `n` things: the template `one` for 1, else `other`, with the number as `{0}`.
    pub fn count(&self, n: usize, one: &str, other: &str) -> String {
        let number = self.number(n as u64);
        self.fill(if n == 1 { one } else { other }, &[&number])
    }

    /// A whole number with the language's grouping: `12,345` or `12.345`.
    pub fn number(&self, n: u64) -> String {
        let digits = n.to_string();
        let separator = match self.lang {
            Lang::En => ',',
            Lang::De => '.',
        };
        let mut out = String::new();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(separator);
            }
            out.push(digit);
        }
        out
    }

    /// `x` with `places` decimals and the language's decimal mark: `2.50` or `2,50`.
    pub fn decimal(&self, x: f64, places: u32) -> String {
        let text = decimal(x, places);
        match self.lang {
            Lang::En => text,
            Lang::De => text.replace('.', ","),
        }
    }

    /// A day's weekday, number and month, in this language.
    fn date_parts(&self, day: NaiveDate) -> (&str, u32, &str) {
        const MONTHS: [&str; 12] = [
            en!("Jan"),
            en!("Feb"),
            en!("Mar"),
            en!("Apr"),
            en!("May"),
            en!("Jun"),
            en!("Jul"),
            en!("Aug"),
            en!("Sep"),
            en!("Oct"),
            en!("Nov"),
            en!("Dec"),
        ];
        (
            self.t(WEEKDAYS[day.weekday().num_days_from_monday() as usize]),
            day.day(),
            self.t(MONTHS[day.month0() as usize]),
        )
    }

    /// A day: `Sat 28 Nov`, `Sa., 28. Nov.`.
    pub fn date(&self, day: NaiveDate) -> String {
        let (weekday, number, month) = self.date_parts(day);
        // The order and marks of a date are the language's: `{weekday} {day} {month}`.
        self.fill(en!("{0} {1} {2}"), &[&weekday, &number, &month])
    }

    /// A day in few words, for an axis: `Mon 23` with the weekday, else `23 Nov`.
    pub fn short_date(&self, day: NaiveDate, weekday: bool) -> String {
        let (name, number, month) = self.date_parts(day);
        let template = if weekday {
            en!("{0} {1}")
        } else {
            en!("{1} {2}")
        };
        self.fill(template, &[&name, &number, &month])
    }

    /// A moment on a phone's clock, to the minute or the second, with its UTC offset:
    /// `Sat 28 Nov, 09:05 +01:00`.
    pub fn moment(&self, t: DateTime<FixedOffset>, seconds: bool) -> String {
        format!(
            "{}, {} {}",
            self.date(t.date_naive()),
            clock(t, seconds),
            offset_text(t.offset().local_minus_utc())
        )
    }

    /// A duration in words: `3 days`, `1 hour 30 minutes`, `20 seconds`.
    pub fn duration(&self, seconds: u32) -> String {
        let units = [
            (86_400, en!("{0} day"), en!("{0} days")),
            (3_600, en!("{0} hour"), en!("{0} hours")),
            (60, en!("{0} minute"), en!("{0} minutes")),
            (1, en!("{0} second"), en!("{0} seconds")),
        ];
        let mut rest = seconds;
        let mut parts = Vec::new();
        for (size, one, other) in units {
            let n = rest / size;
            rest %= size;
            if n > 0 {
                parts.push(self.count(n as usize, one, other));
            }
        }
        if parts.is_empty() {
            self.count(0, en!("{0} second"), en!("{0} seconds"))
        } else {
            parts.join(" ")
        }
    }
}

/// The days of the week in few words, Monday first (as chrono numbers them from Monday).
pub const WEEKDAYS: [&str; 7] = [
    en!("Mon"),
    en!("Tue"),
    en!("Wed"),
    en!("Thu"),
    en!("Fri"),
    en!("Sat"),
    en!("Sun"),
];

/// `09:05` or `09:05:40`.
pub fn clock(t: DateTime<FixedOffset>, seconds: bool) -> String {
    if seconds {
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    } else {
        format!("{:02}:{:02}", t.hour(), t.minute())
    }
}

// Language-neutral formatting, used by every floor above.

/// Writes `template` with each `{0}`…`{9}` replaced by that argument. Every message is one
/// template string and its arguments, so the words stand in one table and a second language is a
/// second table; one function fills them all (cheaper in the page's bundle than a `write!` per
/// message).
pub fn fill(f: &mut fmt::Formatter<'_>, template: &str, args: &[&dyn fmt::Display]) -> fmt::Result {
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        f.write_str(&rest[..at])?;
        rest = &rest[at..];
        // `{d}` with an argument `d` is replaced; any other brace is text.
        match rest.as_bytes() {
            [b'{', digit, b'}', ..] if usize::from(digit.wrapping_sub(b'0')) < args.len() => {
                args[usize::from(digit - b'0')].fmt(f)?;
                rest = &rest[3..];
            }
            _ => {
                f.write_str("{")?;
                rest = &rest[1..];
            }
        }
    }
    f.write_str(rest)
}

/// `x` with `places` decimals (at most 6), without float formatting, which is large in wasm.
pub fn decimal(x: f64, places: u32) -> String {
    let places = places.min(6);
    let scale = 10i64.pow(places);
    let scaled = (x * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let scaled = scaled.unsigned_abs();
    let (whole, fraction) = (scaled / scale as u64, scaled % scale as u64);
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0width$}", width = places as usize)
    }
}

/// An offset in seconds as `+05:30` / `-10:00`.
pub fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", s / 3600, s % 3600 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn german() -> Words {
        Words::parse(
            Lang::De,
            "# a comment\n\n{0} {1} {2}\t{0}, {1}. {2}\nSat\tSa.\nNov\tNov.\n{0} day\t{0} Tag\n{0} days\t{0} Tage\n{0} hour\t{0} Stunde\n",
        )
        .unwrap()
    }

    #[test]
    fn a_table_is_read_or_refused_with_its_line() {
        assert_eq!(german().t("Sat"), "Sa.");
        assert_eq!(german().t("not in it"), "not in it");
        let refused = |text| Words::parse(Lang::De, text).unwrap_err();
        assert_eq!(refused("a\tb\nc d\n").line, 2);
        assert_eq!(
            refused("a\tb\na\tc\n").problem,
            "this English text is translated twice"
        );
        assert_eq!(refused("a\t\n").line, 1);
        assert_eq!(refused("a\tb\tc\n").line, 1);
    }

    #[test]
    fn browsers_that_prefer_german_get_german() {
        assert_eq!(Lang::preferred(["de-DE", "en"]), Lang::De);
        assert_eq!(Lang::preferred(["de"]), Lang::De);
        assert_eq!(Lang::preferred(["fr-FR", "de-AT", "en"]), Lang::De);
        assert_eq!(Lang::preferred(["en-GB", "de"]), Lang::En);
        assert_eq!(Lang::preferred(["fr"]), Lang::En);
        assert_eq!(Lang::preferred([]), Lang::En);
    }

    #[test]
    fn numbers_and_dates_in_each_language() {
        let (en, de) = (Words::english(), german());
        assert_eq!(en.number(0), "0");
        assert_eq!(en.number(999), "999");
        assert_eq!(en.number(10_000), "10,000");
        assert_eq!(de.number(1_234_567), "1.234.567");
        assert_eq!(en.decimal(2.5, 2), "2.50");
        assert_eq!(de.decimal(2.5, 2), "2,50");
        let t = DateTime::parse_from_rfc3339("2026-11-28T09:05:40+01:00").unwrap();
        assert_eq!(en.moment(t, false), "Sat 28 Nov, 09:05 +01:00");
        assert_eq!(de.moment(t, true), "Sa., 28. Nov., 09:05:40 +01:00");
    }

    #[test]
    fn durations_in_words() {
        let (en, de) = (Words::english(), german());
        assert_eq!(en.duration(0), "0 seconds");
        assert_eq!(en.duration(20), "20 seconds");
        assert_eq!(en.duration(86_400), "1 day");
        assert_eq!(en.duration(5_400), "1 hour 30 minutes");
        assert_eq!(en.duration(90_061), "1 day 1 hour 1 minute 1 second");
        assert_eq!(de.duration(3 * 86_400 + 3_600), "3 Tage 1 Stunde");
    }
}
