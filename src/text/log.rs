//! A server's log held against a folder, as markup (`crate::core::log`): the counts per
//! verdict, the table of phones worst first, and one phone's time strip. Pure functions; every
//! text escaped.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::core::log::PhoneReport;
use crate::core::log::ingest::Cut;
use crate::core::log::read::Log;
use crate::core::log::read::Seen;
use crate::core::log::verdict::{Mark, Verdict};
use crate::core::vendor::Vendor;
use crate::core::zone::{self, Zone};
use crate::text::render::{escape, options};
use crate::text::timeline::svg_number;
use crate::words::Words;

/// Expected fetches the walk tells a strip at most (a phone polling each minute for a year
/// makes 525,600): the first ones, and a note says so. The strip draws them at its resolution,
/// so the elements are as many whatever this is; it bounds the worker's walk.
pub const DRAWN: usize = 200_000;

/// The log's look, drawn with it: it loads with the worker, not with the page.
const STYLE: &str = concat!(
    ".verdicts{display:flex;flex-wrap:wrap;gap:0.5rem;list-style:none;padding:0;margin:0.5rem 0}",
    ".verdicts li,.verdict{border-radius:4px;padding:0.15rem 0.5rem;background:var(--lane);white-space:nowrap}",
    // A count is 700: `bolder` than a failing verdict's 600 made it 900, a font looked up for it alone.
    ".verdicts b{font-weight:700}",
    ".v-never-seen,.v-silent,.v-failing{color:var(--error);font-weight:600}",
    ".v-missed,.v-unscheduled,.v-unknown,.v-not-predicted{color:var(--warn-fg);background:var(--warn-bg) !important}",
    ".phones td.num{text-align:right;font-variant-numeric:tabular-nums}",
    ".phones.fixed{table-layout:fixed;min-width:72rem}.phones.fixed :is(td,th){overflow-wrap:anywhere}.phones.fixed .verdict{white-space:normal}",
    ".phones button{background:none;border:none;padding:0;color:var(--accent);text-decoration:underline;font-family:monospace}",
    ".strip{display:block;width:100%;height:4rem;background:var(--lane);border-radius:4px}",
    ".strip .met,.key.met{fill:var(--band);background:var(--band)}",
    ".strip .missed,.key.missed{fill:rgba(176,0,32,0.35);background:rgba(176,0,32,0.35)}",
    ".strip line{stroke-width:2;vector-effect:non-scaling-stroke}",
    ".strip .seen,.key.seen{stroke:var(--poll);background:var(--poll)}",
    ".strip .failed,.key.failed{stroke:var(--error);stroke-width:3;stroke-dasharray:4 3;background:var(--error)}",
    ".strip .odd,.key.odd{stroke:var(--refresh);background:var(--refresh)}",
    ".strip-ends{display:flex;justify-content:space-between;margin:0.2rem 0;color:var(--muted);font-size:0.85rem}",
    ".key{display:inline-block;width:0.9rem;height:0.9rem;border-radius:2px;vertical-align:middle;margin-left:0.5rem}",
);

/// The ids of the log's view that the worker draws again alone ([`super::ids`]).
pub use super::ids::{
    LOG_FILTER as FILTER, LOG_NOTE as NOTE, LOG_ROWS as ROWS, LOG_STRIP as STRIP,
};
/// What a phone's button in the table does (`data-action`), and the `Input` the page sends
/// for it with the phone's MAC.
pub const PHONE: &str = "log-phone";

/// The table's columns, the narrow ones with their width (enough for their heading in English
/// and German), the others sharing the rest: the table is laid out by its columns
/// (`table-layout: fixed`), not by its cells, so a row with a wider address or model no longer
/// lays out every row before it again (a slice of rows took 38 ms instead of 9, issue 28).
fn head(w: &Words) -> String {
    let mut out = String::new();
    for (title, width) in [
        (en!("Verdict"), "8.5rem"),
        ("MAC", "8rem"),
        (en!("Last seen"), ""),
        (en!("Fetches seen"), "7rem"),
        (en!("Expected"), "6.5rem"),
        (en!("Met"), "5.5rem"),
        (en!("Missed"), "8rem"),
        (en!("Model and firmware"), ""),
        (en!("Address"), ""),
    ] {
        let title = escape(w.t(title));
        let _ = match width {
            "" => write!(out, r#"<th scope="col">{title}</th>"#),
            _ => write!(out, r#"<th scope="col" style="width:{width}">{title}</th>"#),
        };
    }
    out
}

/// The log's view under its status: the counts, the filter, the chosen phone's `strip`, and
/// the table (`rows`, with the `note` under it).
pub fn body(
    phones: &[PhoneReport],
    filter: Option<Verdict>,
    rows: &Rows,
    note: &str,
    strip: &str,
    w: &Words,
) -> String {
    format!(
        r#"<style>{STYLE}</style><ul class="verdicts" data-testid="log-counts">{}</ul><div class="control"><label for="{FILTER}">{}</label> <select id="{FILTER}" name="{FILTER}">{}</select></div><div class="strip-box" id="{STRIP}" data-testid="log-strip">{strip}</div><div class="table-wrap"><table class="phones fixed" data-testid="log-phones"><thead><tr>{}</tr></thead><tbody id="{ROWS}">{}</tbody></table></div><p class="note" id="{NOTE}" data-testid="log-note">{}</p>"#,
        counts(phones, w),
        escape(w.t(en!("Show"))),
        filter_options(phones, filter, w),
        head(w),
        rows.html,
        escape(note),
    )
}

/// A verdict's name on the page.
pub fn name(v: Verdict, w: &Words) -> &str {
    w.t(match v {
        Verdict::NeverSeen => en!("never seen"),
        Verdict::Unknown => en!("unknown"),
        Verdict::Silent => en!("silent"),
        Verdict::Failing => en!("failing"),
        Verdict::NotPredicted => en!("not predicted"),
        Verdict::Missed => en!("missed"),
        Verdict::Unscheduled => en!("unscheduled"),
        Verdict::Ok => en!("ok"),
    })
}

/// What a verdict means (`shared/domain/access-log.md`, "What each phone gets").
pub fn meaning(v: Verdict, w: &Words) -> &str {
    w.t(match v {
        Verdict::NeverSeen => en!("In the folder, and not one request in the log."),
        Verdict::Unknown => en!(
            "In the log, but no file of its own in the folder: it polls, and nothing here says what it should do."
        ),
        Verdict::Silent => en!(
            "An expected fetch after its last fetch seen was missed: it stopped polling."
        ),
        Verdict::Failing => en!("Its last fetch failed: it polls, and cannot get its files."),
        Verdict::NotPredicted => en!(
            "In the folder, but its polling cannot be read (another vendor's phone, or settings a phone rejects): it polls, and nothing here says when it should."
        ),
        Verdict::Missed => en!("It missed expected fetches earlier, and polls again now."),
        Verdict::Unscheduled => en!(
            "It polls at times its settings do not predict (another setting on the phone?)."
        ),
        Verdict::Ok => en!("Every expected fetch met."),
    })
}

/// The counts per verdict, each with what it means: `<li data-verdict="…">`.
pub fn counts(phones: &[PhoneReport], w: &Words) -> String {
    let mut out = String::new();
    for (v, n) in crate::core::log::counts(phones) {
        let _ = write!(
            out,
            r#"<li class="v-{}" data-verdict="{}" title="{}"><b>{}</b> {}</li>"#,
            v.as_str(),
            v.as_str(),
            escape(meaning(v, w)),
            w.number(n as u64),
            escape(name(v, w)),
        );
    }
    out
}

/// The filter's options: every verdict, then each verdict with its count; `chosen` selected.
pub fn filter_options(phones: &[PhoneReport], chosen: Option<Verdict>, w: &Words) -> String {
    let all = w.fill(
        en!("every verdict ({0})"),
        &[&w.number(phones.len() as u64)],
    );
    let mut list = vec![(String::new(), all)];
    for (v, n) in crate::core::log::counts(phones) {
        let label = format!("{} ({})", name(v, w), w.number(n as u64));
        list.push((v.as_str().to_owned(), label));
    }
    let mut html = options(&list);
    if let Some(v) = chosen {
        let value = format!(r#"value="{}""#, v.as_str());
        html = html.replacen(&value, &format!("{value} selected"), 1);
    }
    html
}

/// The verdict a filter's value names; `None` for every verdict.
pub fn filter_of(value: &str) -> Option<Verdict> {
    Verdict::ALL.into_iter().find(|v| v.as_str() == value)
}

/// The table's rows, worst first as `phones` are, and how many were drawn.
pub struct Rows {
    pub html: String,
    pub matching: usize,
    pub shown: usize,
}

/// A row per phone with the verdict `filter` (every phone for `None`), at most `limit`.
/// `last_seen` writes a phone's last fetch (in the zone the page shows).
pub fn rows(
    phones: &[PhoneReport],
    filter: Option<Verdict>,
    limit: usize,
    last_seen: &dyn Fn(DateTime<Utc>) -> String,
    w: &Words,
) -> Rows {
    let mut html = String::new();
    let (mut matching, mut shown) = (0, 0);
    for p in phones
        .iter()
        .filter(|p| filter.is_none_or(|v| v == p.verdict))
    {
        matching += 1;
        if shown == limit {
            continue;
        }
        shown += 1;
        let t = &p.tally;
        let dash = || "–".to_owned();
        let seen = p.last_seen.map_or_else(dash, last_seen);
        // Another vendor's phone says whose it is (snom's, the most, go without).
        let vendor = p.vendor.filter(|v| *v != Vendor::Snom).map(Vendor::name);
        let parts: Vec<&str> = [vendor, p.model.as_deref(), p.firmware.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let model = if parts.is_empty() {
            dash()
        } else {
            parts.join(" ")
        };
        let (expected, met, missed) = if p.predicted {
            (w.number(t.expected), w.number(t.met), w.number(t.missed))
        } else {
            (dash(), dash(), dash())
        };
        let fetches = if t.failed > 0 {
            w.fill(
                en!("{0} ({1} failed)"),
                &[&w.number(t.fetches), &w.number(t.failed)],
            )
        } else {
            w.number(t.fetches)
        };
        let _ = write!(
            html,
            r#"<tr id="{ROW}{mac}" data-testid="log-phone" data-verdict="{v}"><td><span class="verdict v-{v}">{name}</span></td><td><button type="button" data-action="{PHONE}" data-mac="{mac}">{mac}</button></td><td>{seen}</td><td class="num">{fetches}</td><td class="num">{expected}</td><td class="num">{met}</td><td class="num">{missed}</td><td>{model}</td><td>{address}</td></tr>"#,
            v = p.verdict.as_str(),
            name = escape(name(p.verdict, w)),
            mac = escape(p.mac.as_str()),
            seen = escape(&seen),
            fetches = escape(&fetches),
            expected = escape(&expected),
            met = escape(&met),
            missed = escape(&missed),
            model = escape(&model),
            address = escape(p.address.as_deref().unwrap_or("–")),
        );
    }
    Rows {
        html,
        matching,
        shown,
    }
}

/// What a phone's strip shows besides its fetches: its settings in words and its zone.
pub struct StripPhone<'a> {
    pub report: &'a PhoneReport,
    pub seen: &'a [Seen],
    pub marks: &'a [Mark],
    pub settings: &'a str,
    pub zone: &'a dyn Zone,
    pub zone_name: &'a str,
}

/// One phone on one time strip over the log's span (`from`, `to`, seconds since 1970): its
/// expected fetches as bands (met or missed; an instant as a thin one), the fetches seen as
/// lines (a failed one dashed, one that met nothing expected hollow), then the words.
pub fn strip(phone: &StripPhone, span: (i64, i64), w: &Words) -> String {
    let (from, to) = if span.1 > span.0 {
        span
    } else {
        (span.0 - 3_600, span.0 + 3_600)
    };
    let x = |t: i64| (t - from) as f64 * 1000.0 / (to - from) as f64;
    let number = |v: f64| svg_number(v.clamp(-1.0, 1001.0));
    let mut svg = String::new();
    let mut unscheduled = vec![false; phone.seen.len()];
    // At the strip's resolution: marks of one kind less than a unit (a pixel, drawn 1,000
    // wide) apart are one mark that says how many it holds, so a year of fetches draws as
    // many elements as a day.
    let mut bands: Vec<Run> = Vec::new();
    let mut drawn = 0;
    for mark in phone.marks {
        let (class, start, end) = match *mark {
            Mark::Met { from, to } => ("met", from, to),
            Mark::Missed { from, to } => ("missed", from, to),
            Mark::Unscheduled(i) => {
                if let Some(u) = unscheduled.get_mut(i) {
                    *u = true;
                }
                continue;
            }
        };
        drawn += 1;
        Run::add(&mut bands, class, start, end, &x);
    }
    for run in &bands {
        let width = (x(run.last_end) - x(run.first)).max(4.0);
        let _ = write!(
            svg,
            r#"<rect class="{}" x="{}" y="8" width="{}" height="32"><title>{}</title></rect>"#,
            run.class,
            number(x(run.first)),
            number(width),
            escape(&run.title(phone.zone, w)),
        );
    }
    let mut lines: Vec<Run> = Vec::new();
    for (i, f) in phone.seen.iter().enumerate() {
        let class = match (f.ok, unscheduled[i]) {
            (false, _) => "failed",
            (true, true) => "odd",
            (true, false) => "seen",
        };
        Run::add(&mut lines, class, f.at, f.at, &x);
    }
    for run in &lines {
        let at = number(x(run.first));
        let _ = write!(
            svg,
            r#"<line class="{}" x1="{at}" x2="{at}" y1="2" y2="46"><title>{}</title></line>"#,
            run.class,
            escape(&run.title(phone.zone, w)),
        );
    }
    let report = phone.report;
    let t = &report.tally;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<h3>{}</h3><p>{}</p><p class="help">{}</p>"#,
        escape(&format!("{}: {}", report.mac, name(report.verdict, w))),
        escape(meaning(report.verdict, w)),
        escape(&w.fill(
            en!("Its settings: {0} Times in {1}."),
            &[&phone.settings, &phone.zone_name]
        )),
    );
    let _ = write!(
        out,
        r#"<svg class="strip" viewBox="0 0 1000 48" preserveAspectRatio="none" role="img" aria-label="{}">{svg}</svg><p class="strip-ends"><span>{}</span><span>{}</span></p>"#,
        escape(w.t(en!("Expected fetches and fetches seen"))),
        escape(&w.moment(zone::local(phone.zone, at(from)), false)),
        escape(&w.moment(zone::local(phone.zone, at(to)), false)),
    );
    let _ = write!(
        out,
        r#"<p class="legend"><span class="key met"></span> {} <span class="key missed"></span> {} <span class="key seen"></span> {} <span class="key failed"></span> {} <span class="key odd"></span> {}</p>"#,
        escape(w.t(en!("expected, met"))),
        escape(w.t(en!("expected, missed"))),
        escape(w.t(en!("fetch seen"))),
        escape(w.t(en!("failed fetch"))),
        escape(w.t(en!("fetch that met nothing expected"))),
    );
    let _ = write!(
        out,
        "<p>{}</p>",
        escape(&w.fill(
            en!("Fetches seen: {0}, failed {1}. Expected: {2}, met {3}, missed {4}; {5} met nothing expected."),
            &[
                &w.number(t.fetches),
                &w.number(t.failed),
                &w.number(t.expected),
                &w.number(t.met),
                &w.number(t.missed),
                &w.number(t.unscheduled),
            ]
        ))
    );
    // The walk tells at most DRAWN marks; the counts above hold them all.
    let more = t.expected.saturating_sub(drawn as u64);
    if more > 0 {
        let _ = write!(
            out,
            r#"<p class="note">{}</p>"#,
            escape(&w.fill(
                en!("The strip draws the first {0} expected fetches, and counts {1} more that it does not draw."),
                &[&w.number(DRAWN as u64), &w.number(more)]
            ))
        );
    }
    out
}

/// Marks of one kind on the strip less than a unit (a pixel) apart: drawn as one.
struct Run {
    class: &'static str,
    first: i64,
    /// The first and last mark's ends (an instant's end is itself).
    first_end: i64,
    last: i64,
    last_end: i64,
    count: u64,
}

impl Run {
    /// Adds a mark from `start` to `end` to the last run of its class in `runs` when it begins
    /// less than a unit after that run's first, else starts a run: a run holds one unit's
    /// marks (a pixel's), however many.
    fn add(runs: &mut Vec<Run>, class: &'static str, start: i64, end: i64, x: &dyn Fn(i64) -> f64) {
        // Runs of one class follow each other in time: the last of the class is the one.
        if let Some(run) = runs.iter_mut().rev().find(|r| r.class == class)
            && x(start) - x(run.first) < 1.0
        {
            run.last = start;
            run.last_end = run.last_end.max(end);
            run.count += 1;
            return;
        }
        runs.push(Run {
            class,
            first: start,
            first_end: end,
            last: start,
            last_end: end,
            count: 1,
        });
    }

    /// Its times for the hover: one mark's time (or window), else how many and the first's
    /// and last's.
    fn title(&self, zone: &dyn Zone, w: &Words) -> String {
        let said = match self.class {
            "failed" => w.t(en!("failed")),
            "odd" => w.t(en!("met nothing expected")),
            "seen" => w.t(en!("fetched")),
            "met" => w.t(en!("expected, met")),
            _ => w.t(en!("expected, missed")),
        };
        if self.count == 1 {
            return format!("{}: {said}", when(zone, self.first, self.first_end, w));
        }
        w.fill(
            en!("{0} times {1}, the first {2}, the last {3}"),
            &[
                &w.number(self.count),
                &said,
                &when(zone, self.first, self.first_end, w),
                &when(zone, self.last, self.last_end, w),
            ],
        )
    }
}

/// `n` lines, and `n` requests, in words.
fn lines_requests(lines: u64, requests: u64, w: &Words) -> (String, String) {
    let n = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    (
        w.count(n(lines), en!("{0} line"), en!("{0} lines")),
        w.count(n(requests), en!("{0} request"), en!("{0} requests")),
    )
}

/// What the log is: its files and `bytes`, its span (in `zone`), its requests, those tied to
/// no phone.
pub fn status(log: &Log, bytes: f64, zone: &dyn Zone, w: &Words) -> String {
    let requests: u64 = log.files.iter().map(|f| f.requests).sum();
    let lines: u64 = log.files.iter().map(|f| f.lines).sum();
    let (lines, requests) = lines_requests(lines, requests, w);
    let mb = w.decimal(bytes / 1e6, 1);
    let files = w.count(log.files.len(), en!("{0} file"), en!("{0} files"));
    let read = w.fill(
        en!("Read {0} ({1} MB): {2}, {3}."),
        &[&files, &mb, &lines, &requests],
    );
    let Some((from, to)) = log.span else {
        return format!(
            "{read} {}",
            w.t(en!(
                "Not one line is a request: is it a provisioning server's access log (NCSA common or combined)?"
            ))
        );
    };
    let local = |t| w.moment(zone::local(zone, t), false);
    let span = w.fill(
        en!("The log runs from {0} to {1}."),
        &[&local(from), &local(to)],
    );
    let n = log.not_attributed;
    let tied = w.fill(
        if n == 1 {
            en!("{0} request could not be tied to a phone.")
        } else {
            en!("{0} requests could not be tied to a phone.")
        },
        &[&w.number(n)],
    );
    format!("{read} {span} {tied}")
}

/// What `provpoll watch` serves: live, as of when (in `zone`), and what it read (`log`'s files
/// carry only the counts).
pub fn live_status(log: &Log, as_of: i64, zone: &dyn Zone, w: &Words) -> String {
    let requests: u64 = log.files.iter().map(|f| f.requests).sum();
    let lines: u64 = log.files.iter().map(|f| f.lines).sum();
    let (lines, requests) = lines_requests(lines, requests, w);
    let time = zone::local(zone, at(as_of)).format("%H:%M:%S").to_string();
    w.fill(
        en!("Live from the server's log, as of {0}: {1}, {2} read."),
        &[&time, &lines, &requests],
    )
}

/// Each file, an item: what was read of it, the lines that are not requests, the requests out
/// of line, why it could not be read to its end.
pub fn files(log: &Log, w: &Words) -> String {
    let mut out = String::new();
    for f in &log.files {
        let mut said = if f.lines == 0 && f.error.is_none() {
            w.fill(en!("{0} is empty."), &[&f.path])
        } else {
            let (lines, requests) = lines_requests(f.lines, f.requests, w);
            w.fill(en!("{0}: {1}, {2}."), &[&f.path, &lines, &requests])
        };
        if f.skipped > 0 {
            let mut named: Vec<String> = f.named.iter().map(|l| w.number(*l)).collect();
            if f.skipped > named.len() as u64 {
                named.push("…".to_owned());
            }
            let template = if f.skipped == 1 {
                en!("{0} line is not a request and was skipped: line {1}.")
            } else {
                en!("{0} lines are not requests and were skipped: lines {1}.")
            };
            said.push(' ');
            said.push_str(&w.fill(template, &[&w.number(f.skipped), &named.join(", ")]));
        }
        if f.uploads > 0 {
            said.push(' ');
            said.push_str(&w.fill(
                if f.uploads == 1 {
                    en!("{0} request sends a file up (PUT: a phone's own log), counted apart.")
                } else {
                    en!("{0} requests send a file up (PUT: a phone's own log), counted apart.")
                },
                &[&w.number(f.uploads)],
            ));
        }
        for o in &f.out_of_line_named {
            said.push(' ');
            said.push_str(&w.fill(
                en!("Line {0} is dated {1}, more than an hour before line {2} ({3}): a clock that jumped, or another server's lines? It counts at its own time."),
                &[
                    &w.number(o.line),
                    &w.moment(o.at, false),
                    &w.number(o.before_line),
                    &w.moment(o.before, false),
                ],
            ));
        }
        if f.out_of_line > f.out_of_line_named.len() as u64 {
            said.push(' ');
            said.push_str(&w.fill(
                en!("{0} requests in all are dated far before the line before them."),
                &[&w.number(f.out_of_line)],
            ));
        }
        if let Some(e) = &f.error {
            said.push(' ');
            said.push_str(&w.fill(en!("It could not be read to its end: {0}."), &[&cut(e, w)]));
        }
        let class = if f.error.is_some() || f.requests == 0 {
            " class=\"error\""
        } else {
            ""
        };
        out.push_str(&format!("<li{class}>{}</li>", escape(&said)));
    }
    out
}

/// The start of each row's element id: the phone's MAC follows.
pub const ROW: &str = "log-row-";

/// What the rows `after` change of the rows drawn `before` (both [`rows`]' markup): each
/// changed row's element id and its new cells, or `None` where rows came, went, moved or
/// changed their verdict (then the rows are drawn anew). A live view draws only what changed.
pub fn changed_rows<'a>(before: &'a str, after: &'a str) -> Option<Vec<(&'a str, &'a str)>> {
    // Each row: its opening tag (its id and verdict) and its cells.
    fn parts(html: &str) -> impl Iterator<Item = Option<(&str, &str)>> {
        html.split_inclusive("</tr>").map(|row| {
            let open = row.find('>')? + 1;
            Some((&row[..open], row[open..].strip_suffix("</tr>")?))
        })
    }
    let (mut old, mut new) = (parts(before), parts(after));
    let mut changed = Vec::new();
    loop {
        match (old.next(), new.next()) {
            (None, None) => return Some(changed),
            (Some(Some((tag, cells))), Some(Some((new_tag, new_cells)))) if tag == new_tag => {
                if cells != new_cells {
                    let id = new_tag.split_once(" id=\"")?.1.split('"').next()?;
                    changed.push((id, new_cells));
                }
            }
            _ => return None,
        }
    }
}

/// The note under the table's `rows`, whose times are in the zone `choice`.
pub fn rows_note(rows: &Rows, choice: &str, w: &Words) -> String {
    let shown = w.number(rows.shown as u64);
    let matching = w.number(rows.matching as u64);
    if rows.shown < rows.matching {
        w.fill(
            en!("{0} of {1} phones shown, worst first; the filter finds the others. Times in {2}."),
            &[&shown, &matching, &choice],
        )
    } else {
        w.fill(
            en!("{0} shown, worst first. Times in {1}; choose a phone for its time strip."),
            &[
                &w.count(rows.shown, en!("{0} phone"), en!("{0} phones")),
                &choice,
            ],
        )
    }
}

/// Why a file of the log could not be read to its end, in words.
pub fn cut(c: &Cut, w: &Words) -> String {
    match c {
        Cut::Unopened { reason } => reason.clone(),
        Cut::Read { lines, reason } => w.fill(
            en!("it cannot be read after {0} lines: {1}"),
            &[&w.number(*lines), reason],
        ),
        Cut::Gzip { lines, reason } => w.fill(
            en!("the file ends inside its gzip stream after {0} lines ({1})"),
            &[&w.number(*lines), reason],
        ),
    }
}

fn at(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap_or_default()
}

/// An instant, or a window from `start` to `end`, in the phone's zone.
fn when(zone: &dyn Zone, start: i64, end: i64, w: &Words) -> String {
    let moment = |t| w.moment(zone::local(zone, at(t)), true);
    if end > start {
        format!("{} – {}", moment(start), moment(end))
    } else {
        moment(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::log::verdict::Tally;
    use crate::text::parsed;

    fn phone(mac: &str, verdict: Verdict) -> PhoneReport {
        PhoneReport {
            mac: crate::core::mac::Mac::parse(mac).expect("a MAC"),
            vendor: None,
            verdict,
            in_folder: verdict != Verdict::Unknown,
            predicted: verdict != Verdict::Unknown,
            model: Some("D785".to_owned()),
            firmware: Some("10.1.169.16".to_owned()),
            address: Some("10.0.0.5".to_owned()),
            tally: Tally {
                fetches: 3,
                failed: 1,
                expected: 4,
                met: 2,
                missed: 2,
                ..Tally::default()
            },
            last_seen: DateTime::from_timestamp(1_768_356_000, 0),
            deadline: None,
        }
    }

    #[test]
    fn the_table_is_laid_out_by_its_columns() {
        let w = Words::english();
        let html = head(&w);
        let widths: Vec<&str> = html
            .split("<th")
            .skip(1)
            .map(|th| {
                th.split_once("width:")
                    .map_or("", |(_, rest)| &rest[..rest.find('"').expect("a width")])
            })
            .collect();
        // The narrow columns have their width, the three wide ones share the rest.
        assert_eq!(
            widths,
            [
                "8.5rem", "8rem", "", "7rem", "6.5rem", "5.5rem", "8rem", "", ""
            ]
        );
        let phones = [phone("000413000001", Verdict::Ok)];
        let seen = |t: DateTime<Utc>| t.to_rfc3339();
        let rows = rows(&phones, None, 300, &seen, &w);
        assert_eq!(parsed::texts(&html, "th").len(), 9);
        assert_eq!(parsed::texts(&rows.html, "td").len(), 9);
        let body = body(&phones, None, &rows, "", "", &w);
        assert!(body.contains(r#"<table class="phones fixed" data-testid="log-phones">"#));
        assert!(STYLE.contains(".phones.fixed{table-layout:fixed;"));
    }

    #[test]
    fn the_rows_are_filtered_by_verdict_and_limited() {
        let w = Words::english();
        let phones = [
            phone("000413000001", Verdict::Silent),
            phone("000413000002", Verdict::Unknown),
            phone("000413000003", Verdict::Ok),
            phone("000413000004", Verdict::Ok),
        ];
        let seen = |t: DateTime<Utc>| t.to_rfc3339();
        let all = rows(&phones, None, 3, &seen, &w);
        assert_eq!((all.matching, all.shown), (4, 3));
        let ok = rows(&phones, filter_of("ok"), 300, &seen, &w);
        assert_eq!((ok.matching, ok.shown), (2, 2));
        assert_eq!(ok.html.matches("data-verdict=\"ok\"").count(), 2);
        // The cells a reader sees: verdict, MAC, last seen, fetches (failed), expected, met,
        // missed, model and firmware, address.
        let silent = rows(&phones, filter_of("silent"), 300, &seen, &w).html;
        assert_eq!(
            parsed::texts(&silent, "td"),
            [
                "silent",
                "000413000001",
                "2026-01-14T02:00:00+00:00",
                "3 (1 failed)",
                "4",
                "2",
                "2",
                "D785 10.1.169.16",
                "10.0.0.5"
            ]
        );
        // A phone not of the folder expects nothing: no counts, not zeros.
        let unknown = rows(&phones, filter_of("unknown"), 300, &seen, &w).html;
        assert_eq!(parsed::texts(&unknown, "td")[4..7], ["–", "–", "–"]);
        assert_eq!(filter_of(""), None);
    }

    #[test]
    fn another_vendors_phone_says_whose_it_is() {
        let w = Words::english();
        let mut poly = phone("0004F2A1B2C4", Verdict::NotPredicted);
        (poly.vendor, poly.model, poly.firmware) = (Some(Vendor::Poly), None, None);
        poly.predicted = false;
        let mut snom = phone("000413000001", Verdict::Ok);
        snom.vendor = Some(Vendor::Snom);
        let seen = |t: DateTime<Utc>| t.to_rfc3339();
        let html = rows(&[poly, snom], None, 10, &seen, &w).html;
        let cells = parsed::texts(&html, "td");
        // verdict, MAC, …, model and firmware (the 8th cell of each row of 9).
        assert_eq!(
            (cells[0].as_str(), cells[7].as_str()),
            ("not predicted", "Poly")
        );
        assert_eq!(cells[16], "D785 10.1.169.16");
    }

    #[test]
    fn the_counts_name_every_verdict_in_order() {
        let w = Words::english();
        let phones = [
            phone("00041300000A", Verdict::Ok),
            phone("00041300000B", Verdict::Ok),
        ];
        let html = counts(&phones, &w);
        let verdicts: Vec<&str> = html
            .split("data-verdict=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert_eq!(
            verdicts,
            [
                "never-seen",
                "unknown",
                "silent",
                "failing",
                "not-predicted",
                "missed",
                "unscheduled",
                "ok"
            ]
        );
        assert!(html.ends_with("<b>2</b> ok</li>"), "{html}");
        assert!(filter_options(&phones, None, &w).starts_with(
            "<option value=\"\">every verdict (2)</option><option value=\"never-seen\">never seen (0)</option>"
        ));
        let ok = filter_options(&phones, Some(Verdict::Ok), &w);
        assert!(
            ok.ends_with("<option value=\"ok\" selected>ok (2)</option>"),
            "{ok}"
        );
        assert_eq!(ok.matches("selected").count(), 1);
    }

    #[test]
    fn each_file_says_what_was_read_skipped_out_of_line_and_cut() {
        use crate::core::log::ingest::Ingest;
        let line = |t: &str| {
            format!(
                "10.0.0.5 - - [{t} +0000] \"GET /000413A1B2C3.xml HTTP/1.1\" 200 1 \"-\" \"x\"\n"
            )
        };
        let mut ingest = Ingest::new(0);
        ingest.file("access.log".into());
        let text = [
            line("14/Jan/2026:02:00:00"),
            "nginx: a warning\n".to_owned(),
            line("13/Jan/2026:23:00:00"),
            line("14/Jan/2026:02:00:05").replace("GET", "PUT"),
        ]
        .concat();
        ingest.push(text.as_bytes());
        ingest.file("cut.log.gz".into());
        ingest.push(&[0x1f, 0x8b, 8, 0, 0]);
        ingest.unopened("gone.log".into(), "No such file or directory".into());
        let log = ingest.finish();
        let said = parsed::texts(&files(&log, &Words::english()), "li");
        assert_eq!(
            said,
            [
                "access.log: 4 lines, 2 requests. 1 line is not a request and was skipped: line 2. \
                 1 request sends a file up (PUT: a phone's own log), counted apart. Line 3 is dated Tue 13 Jan, 23:00 +00:00, more than an hour before line 1 (Wed 14 Jan, 02:00 +00:00): \
                 a clock that jumped, or another server's lines? It counts at its own time.",
                "cut.log.gz: 0 lines, 0 requests. It could not be read to its end: the file ends inside its gzip stream after 0 lines (incomplete deflate stream).",
                "gone.log: 0 lines, 0 requests. It could not be read to its end: No such file or directory.",
            ]
        );
        assert_eq!(
            status(&log, 2.5e6, &Utc, &Words::english()),
            "Read 3 files (2.5 MB): 4 lines, 2 requests. The log runs from Tue 13 Jan, 23:00 +00:00 to Wed 14 Jan, 02:00 +00:00. 0 requests could not be tied to a phone."
        );
    }

    #[test]
    fn a_live_table_redraws_only_the_rows_that_changed() {
        let row = |mac: &str, verdict: &str, seen: &str| {
            format!(
                r#"<tr id="log-row-{mac}" data-testid="log-phone" data-verdict="{verdict}"><td>{seen}</td></tr>"#
            )
        };
        let before = [
            row("000413A00001", "silent", "09:00"),
            row("000413A00002", "ok", "10:00"),
            row("000413A00003", "ok", "10:01"),
        ]
        .concat();
        // Nothing changed: nothing is drawn.
        assert_eq!(changed_rows(&before, &before), Some(vec![]));
        // Two phones fetched again: their cells alone.
        let after = [
            row("000413A00001", "silent", "09:00"),
            row("000413A00002", "ok", "11:00"),
            row("000413A00003", "ok", "11:01"),
        ]
        .concat();
        assert_eq!(
            changed_rows(&before, &after),
            Some(vec![
                ("log-row-000413A00002", "<td>11:00</td>"),
                ("log-row-000413A00003", "<td>11:01</td>"),
            ])
        );
        // A verdict that changed, rows that moved, came or went: drawn anew.
        let verdict = [
            row("000413A00001", "silent", "09:00"),
            row("000413A00002", "missed", "10:00"),
            row("000413A00003", "ok", "10:01"),
        ]
        .concat();
        assert_eq!(changed_rows(&before, &verdict), None);
        let moved = [
            row("000413A00002", "ok", "10:00"),
            row("000413A00001", "silent", "09:00"),
            row("000413A00003", "ok", "10:01"),
        ]
        .concat();
        assert_eq!(changed_rows(&before, &moved), None);
        assert_eq!(changed_rows(&before, &before[..before.len() / 2]), None);
        let more = [before.clone(), row("000413A00004", "ok", "10:02")].concat();
        assert_eq!(changed_rows(&before, &more), None);
        assert_eq!(changed_rows(&more, &before), None);
    }

    #[test]
    fn a_month_of_fetches_each_minute_draws_at_the_strips_resolution() {
        let w = Words::english();
        let mut report = phone("000413000001", Verdict::Ok);
        // 30 days of a fetch each minute: 43,200 fetches seen, each meeting the one expected.
        let n = 43_200i64;
        let seen: Vec<Seen> = (0..n)
            .map(|k| Seen {
                at: k * 60,
                end: k * 60,
                ok: true,
                place: 0,
            })
            .collect();
        let marks: Vec<Mark> = (1..n)
            .map(|k| Mark::Met {
                from: k * 60,
                to: k * 60,
            })
            .collect();
        report.tally = Tally {
            fetches: n as u64,
            expected: n as u64 - 1,
            met: n as u64 - 1,
            ..Tally::default()
        };
        let html = strip(
            &StripPhone {
                report: &report,
                seen: &seen,
                marks: &marks,
                settings: "Every minute.",
                zone: &Utc,
                zone_name: "UTC",
            },
            (0, n * 60),
            &w,
        );
        // A unit of the strip holds 43.2 minutes: a run holds the 44 marks less than a unit
        // after its first, so ⌈43,200 / 44⌉ = 982 lines, and ⌈43,199 / 44⌉ = 982 bands.
        let (rects, lines) = (
            parsed::by_class(&html, "rect", "met"),
            parsed::by_class(&html, "line", "seen"),
        );
        assert_eq!((rects.len(), lines.len()), (982, 982));
        // The first line holds the fetches of its unit, and its hover says so.
        assert_eq!(
            parsed::texts(&html, "title")[rects.len()],
            "44 times fetched, the first Thu 1 Jan, 00:00:00 +00:00, the last Thu 1 Jan, 00:43:00 +00:00"
        );
        assert!(!html.contains("does not draw"));
    }

    #[test]
    fn the_strip_places_bands_and_fetches_on_the_span() {
        let w = Words::english();
        let mut report = phone("000413000001", Verdict::Missed);
        report.tally = Tally {
            fetches: 3,
            failed: 1,
            expected: 2,
            met: 1,
            missed: 1,
            unscheduled: 1,
            silent: false,
        };
        // Over 1,000 s: a band met at 100–200, one missed at 500 (an instant, drawn 4 wide), a fetch seen at
        // 0 (ok), at 150 (failed) and at 700 (met nothing expected).
        let seen = [
            Seen {
                at: 0,
                end: 0,
                ok: true,
                place: 0,
            },
            Seen {
                at: 150,
                end: 150,
                ok: false,
                place: 0,
            },
            Seen {
                at: 700,
                end: 700,
                ok: true,
                place: 0,
            },
        ];
        let marks = [
            Mark::Met { from: 100, to: 200 },
            Mark::Missed { from: 500, to: 500 },
            Mark::Unscheduled(2),
        ];
        let html = strip(
            &StripPhone {
                report: &report,
                seen: &seen,
                marks: &marks,
                settings: "Every hour.",
                zone: &Utc,
                zone_name: "UTC",
            },
            (0, 1000),
            &w,
        );
        // Where each band and line stands on the strip's 1,000 units, by what it is.
        let band = |class: &str| -> Vec<(f64, f64)> {
            parsed::by_class(&html, "rect", class)
                .iter()
                .map(|r| (r.num("x"), r.num("width")))
                .collect()
        };
        assert_eq!(band("met"), [(100.0, 100.0)]);
        assert_eq!(band("missed"), [(500.0, 4.0)]);
        let line = |class: &str| -> Vec<(f64, String)> {
            parsed::by_class(&html, "line", class)
                .iter()
                .map(|l| (l.num("x1"), l.text.clone()))
                .collect()
        };
        let at = |t: &str| format!("Thu 1 Jan, 00:{t} +00:00");
        assert_eq!(line("seen"), [(0.0, format!("{}: fetched", at("00:00")))]);
        assert_eq!(
            line("failed"),
            [(150.0, format!("{}: failed", at("02:30")))]
        );
        assert_eq!(
            line("odd"),
            [(700.0, format!("{}: met nothing expected", at("11:40")))]
        );
        assert_eq!(parsed::texts(&html, "h3"), ["000413000001: missed"]);
        let said = parsed::texts(&html, "p").join(" | ");
        for part in [
            "Its settings: Every hour. Times in UTC.",
            "Fetches seen: 3, failed 1. Expected: 2, met 1, missed 1; 1 met nothing expected.",
        ] {
            assert!(said.contains(part), "{part} not in {said}");
        }
        assert!(!said.contains("draws the first"));
        // The walk told fewer marks than it counted (it stops at the strip's limit): the
        // strip says how many it counts and does not draw.
        report.tally.expected = 9;
        report.tally.missed = 8;
        let html = strip(
            &StripPhone {
                report: &report,
                seen: &seen,
                marks: &marks,
                settings: "Every hour.",
                zone: &Utc,
                zone_name: "UTC",
            },
            (0, 1000),
            &w,
        );
        assert!(
            html.contains("and counts 7 more that it does not draw."),
            "{html}"
        );
    }
}
