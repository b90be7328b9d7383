//! The timeline drawing, the fetch list and the fleet's figures as markup text.
//!
//! The app sets these as `innerHTML`: one string per redraw costs far less WebAssembly than a
//! typed view per mark, and being plain functions they are tested natively.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, TimeDelta, Timelike, Utc};

use crate::core::fleet::Load;
use crate::core::schedule::{Fetch, Source};
use crate::core::zone::{self, Zone};
use crate::text::timeline::{Mark, Tick, svg_number};
use crate::words::{self, Words};

/// Width of the drawing in SVG units; marks are placed on 0–1 and scaled to it.
pub const WIDTH: f64 = 1000.0;
/// Height of the timeline's drawing in SVG units (the page draws it 9rem high, about 1:1).
const TIMELINE_HEIGHT: f64 = 140.0;
const LANES: [(Source, f64, &str); 2] = [
    (Source::Polling, 28.0, en!("polling")),
    (Source::RefreshTimer, 78.0, en!("refresh timer")),
];
const LANE_HEIGHT: f64 = 34.0;

/// Text escaped for element content and attribute values, by quick-xml (XML's five
/// entities): every function here escapes the text it is given, none takes markup.
pub fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// A table's rows (`<tr …>…</tr>…`, no row inside another) cut into slices of about `bytes`:
/// each slice ends at the first row begun `bytes` or more into it, or at the end. Rows are
/// never cut, and the slices put together are `rows`. The page lays out each slice in a frame:
/// its time follows its rows' elements, which follow their markup's size (a folder's row holds
/// three times the elements of a log's).
pub fn row_slices(rows: &str, bytes: usize) -> Vec<&str> {
    let mut slices = Vec::new();
    let mut from = 0;
    for (at, _) in rows.match_indices("<tr") {
        if at - from >= bytes.max(1) {
            slices.push(&rows[from..at]);
            from = at;
        }
    }
    if from < rows.len() || slices.is_empty() {
        slices.push(&rows[from..]);
    }
    slices
}

/// `<option>` elements for `(value, label)` pairs, escaped.
pub fn options<V: AsRef<str>, L: AsRef<str>>(list: &[(V, L)]) -> String {
    list.iter()
        .map(|(value, label)| {
            format!(
                r#"<option value="{}">{}</option>"#,
                escape(value.as_ref()),
                escape(label.as_ref())
            )
        })
        .collect()
}

/// A percentage for a `style`, with one decimal.
pub fn percent(fraction: f64) -> String {
    svg_number(fraction * 100.0)
}

/// The inside of the timeline's `<svg viewBox="0 0 1000 140">`: lanes, tick lines, windows as
/// bands, and each fetch's instant as a line. The refresh lane appears only when it is used.
/// The drawing is stretched to the page's width, so it holds no text: the labels are markup
/// beside it ([`timeline_labels`]), legible at any width.
pub fn timeline_svg(marks: &[Mark], ticks: &[Tick]) -> String {
    let mut svg = String::new();
    let refresh_used = marks.iter().any(|m| m.source == Source::RefreshTimer);
    for (source, y, _) in LANES {
        if source == Source::RefreshTimer && !refresh_used {
            continue;
        }
        let _ = write!(
            svg,
            r#"<rect class="lane" x="0" y="{}" width="1000" height="{}"></rect>"#,
            svg_number(y),
            svg_number(LANE_HEIGHT),
        );
    }
    for tick in ticks {
        let x = svg_number(tick.at * WIDTH);
        let _ = write!(
            svg,
            r#"<line class="tick" x1="{x}" x2="{x}" y1="20" y2="118"></line>"#
        );
    }
    // Each lane's marks are two paths, its bands and its instants: a mark as elements of its
    // own cost the page a DOM parse per mark on every edit. A mark drawn exactly like the one
    // before it in its lane is left out: with a period of seconds, thousands share a pixel.
    // A band's outline (style/main.css) does not scale with the drawing, so a window of a few
    // minutes in a month stays a few pixels wide; the list gives its true span.
    for (source, y, _) in LANES {
        let class = match source {
            Source::RefreshTimer => "refresh",
            _ => "polling",
        };
        let (mut bands, mut instants) = (String::new(), String::new());
        let mut last = None;
        for mark in marks.iter().filter(|m| m.source.lane() == source) {
            let (x0, at) = (mark.start * WIDTH, mark.at * WIDTH);
            let x1 = if mark.end > mark.start {
                (mark.end * WIDTH).max(x0 + 2.0)
            } else {
                x0
            };
            // Drawn at a tenth of a unit: marks equal at that precision look the same.
            let drawn = [x0, x1, at].map(|x| (x * 10.0).round() as i64);
            if last == Some(drawn) {
                continue;
            }
            last = Some(drawn);
            if x1 > x0 {
                let _ = write!(
                    bands,
                    "M{x0} {top}H{x1}V{bottom}H{x0}z",
                    x0 = svg_number(x0),
                    top = svg_number(y + 4.0),
                    x1 = svg_number(x1),
                    bottom = svg_number(y + LANE_HEIGHT - 4.0),
                );
            }
            let _ = write!(
                instants,
                "M{} {}V{}",
                svg_number(at),
                svg_number(y),
                svg_number(y + LANE_HEIGHT)
            );
        }
        if !instants.is_empty() {
            let _ = write!(
                svg,
                r#"<g class="fetch {class}"><path class="band" d="{bands}"></path><path class="at" d="{instants}"></path></g>"#
            );
        }
    }
    svg
}

/// The timeline's labels as markup over the drawing: each lane's name and each tick's, placed
/// in percent of the drawing.
pub fn timeline_labels(marks: &[Mark], ticks: &[Tick], w: &Words) -> String {
    let refresh_used = marks.iter().any(|m| m.source == Source::RefreshTimer);
    // The ticks first: a narrow page shows every other one (style/main.css).
    let mut html = tick_labels(ticks);
    for (source, y, label) in LANES {
        if source == Source::RefreshTimer && !refresh_used {
            continue;
        }
        let _ = write!(
            html,
            r#"<span class="lane-label" style="top:{}%">{}</span>"#,
            percent((y - 19.0) / TIMELINE_HEIGHT),
            escape(w.t(label))
        );
    }
    html
}

/// Tick labels along the bottom of a drawing, each starting at its tick.
fn tick_labels(ticks: &[Tick]) -> String {
    let mut html = String::new();
    for tick in ticks.iter().filter(|t| !t.label.is_empty()) {
        let _ = write!(
            html,
            r#"<span class="tick-label" style="left:{}%">{}</span>"#,
            percent(tick.at),
            escape(&tick.label)
        );
    }
    html
}

/// `09:05`, or `09:05:40` where the seconds are not 0.
fn clock_of(t: DateTime<FixedOffset>) -> String {
    words::clock(t, t.second() != 0)
}

/// A moment, to the second where it has seconds: `Sat 28 Nov, 09:05 +01:00`.
fn moment(t: DateTime<FixedOffset>, w: &Words) -> String {
    w.moment(t, t.second() != 0)
}

/// Whether `a` and `b` are on one day and one offset, so a span says the day and offset once.
fn same_day(a: DateTime<FixedOffset>, b: DateTime<FixedOffset>) -> bool {
    a.date_naive() == b.date_naive() && a.offset() == b.offset()
}

/// From `from` to `to`, said once: `Sat 28 Nov, 09:00–09:10 +00:00`; across days or offsets,
/// both in full. With `seconds`, a time has its seconds where they are not 0.
fn span(
    from: DateTime<FixedOffset>,
    to: DateTime<FixedOffset>,
    seconds: bool,
    w: &Words,
) -> String {
    let exact = |t: DateTime<FixedOffset>| seconds && t.second() != 0;
    if same_day(from, to) {
        format!(
            "{}, {}–{} {}",
            w.date(from.date_naive()),
            words::clock(from, exact(from)),
            words::clock(to, exact(to)),
            crate::words::offset_text(from.offset().local_minus_utc())
        )
    } else {
        format!(
            "{} – {}",
            w.moment(from, exact(from)),
            w.moment(to, exact(to))
        )
    }
}

/// One `<li>` per fetch, each readable on its own and said once, compactly (`polling: Sat 28
/// Nov, 09:00–09:10 +00:00, sampled 09:05:40`), with the instants as RFC 3339 attributes
/// (`data-earliest`, `data-latest`, `data-at`) in the phone's zone.
pub fn fetch_items(fetches: &[Fetch], zone: &dyn Zone, w: &Words) -> String {
    let mut html = String::new();
    for f in fetches {
        let local = |t| zone::local(zone, t);
        let (e, l, a) = (local(f.earliest), local(f.latest), local(f.at));
        let (source, label) = match f.source {
            Source::Polling => ("polling", w.t(en!("polling"))),
            Source::RefreshTimer => ("refresh_timer", w.t(en!("refresh timer"))),
            Source::Boot => ("boot", w.t(en!("at boot"))),
            // Yealink's triggers, named by their settings in every language.
            s @ (Source::Repeat | Source::Weekly | Source::Flexible) => (s.as_str(), s.as_str()),
        };
        let text = if f.is_window() {
            let span = span(e, l, true, w);
            let sampled = if same_day(e, a) {
                clock_of(a)
            } else {
                moment(a, w)
            };
            w.fill(en!("{0}: {1}, sampled {2}"), &[&label, &span, &sampled])
        } else {
            format!("{label}: {}", moment(a, w))
        };
        let _ = write!(
            html,
            r#"<li data-testid="fetch" data-source="{source}" data-earliest="{}" data-latest="{}" data-at="{}">{}</li>"#,
            e.to_rfc3339(),
            l.to_rfc3339(),
            a.to_rfc3339(),
            escape(&text)
        );
    }
    html
}

/// Height of the histogram's drawing area in SVG units (the width is [`WIDTH`]).
const HISTOGRAM_HEIGHT: f64 = 100.0;

/// A round scale for counts up to `top`: the axis' top and its step, the step 1, 2 or 5 times
/// a power of ten, about four steps to the top.
pub fn round_scale(top: u32) -> (u32, u32) {
    let wanted = top.max(1).div_ceil(4);
    let mut power = 1u32;
    loop {
        for step in [power, power.saturating_mul(2), power.saturating_mul(5)] {
            if step >= wanted {
                return (top.max(1).div_ceil(step).saturating_mul(step), step);
            }
        }
        power = power.saturating_mul(10);
    }
}

/// The columns a histogram draws: `counts` in at most 1000 columns, each the largest count of
/// the buckets it covers (so no peak is averaged away), and how many buckets a column covers.
pub fn columns(counts: &[u32]) -> (Vec<u32>, usize) {
    let per = counts.len().div_ceil(1000).max(1);
    let columns = counts
        .chunks(per)
        .map(|c| c.iter().copied().max().unwrap_or(0))
        .collect();
    (columns, per)
}

/// The inside of a histogram `<svg viewBox="0 0 1000 100">`: grid lines at the scale's steps,
/// one bar per column scaled to the scale's top `max`, and the peak marked with a line.
fn histogram_svg(columns: &[u32], max: u32, step: u32) -> String {
    let n = columns.len().max(1) as f64;
    let max_f = f64::from(max.max(1));
    let mut svg = String::new();
    let mut level = step.max(1);
    while level <= max && step > 0 {
        let y = svg_number(HISTOGRAM_HEIGHT * (1.0 - f64::from(level) / max_f));
        let _ = write!(
            svg,
            r#"<line class="grid" x1="0" x2="1000" y1="{y}" y2="{y}"></line>"#
        );
        level = level.saturating_add(step.max(1));
        if level == u32::MAX {
            break;
        }
    }
    let mut bars = String::new();
    let mut peak = (0, 0u32);
    for (i, &value) in columns.iter().enumerate() {
        if value > peak.1 {
            peak = (i, value);
        }
        if value > 0 {
            let x = (i as f64 + 0.5) * WIDTH / n;
            let y = HISTOGRAM_HEIGHT * (1.0 - f64::from(value) / max_f);
            let _ = write!(bars, "M{} 100V{}", svg_number(x), svg_number(y));
        }
    }
    let _ = write!(
        svg,
        r#"<line class="axis" x1="0" x2="1000" y1="100" y2="100"></line><path class="bars" stroke-width="{}" d="{}"></path>"#,
        svg_number((WIDTH / n).clamp(1.0, 40.0)),
        bars
    );
    if peak.1 > 0 {
        let x = svg_number((peak.0 as f64 + 0.5) * WIDTH / n);
        let _ = write!(
            svg,
            r#"<line class="peak" x1="{x}" x2="{x}" y1="0" y2="100"></line>"#
        );
    }
    svg
}

/// What a histogram's column says when it is hovered or focused: its time (on `zone`'s clock)
/// and its count. A column of one one-minute bucket is "requests in that minute"; a column of
/// several says the most in any of its minutes.
pub fn column_text(
    start: DateTime<Utc>,
    seconds: i64,
    count: u32,
    zone: &dyn Zone,
    w: &Words,
) -> String {
    let (from, to) = (
        zone::local(zone, start),
        zone::local(zone, start + TimeDelta::seconds(seconds)),
    );
    let minute = seconds <= 60;
    let when = if minute {
        w.moment(from, false)
    } else {
        span(from, to, false, w)
    };
    let template = match (count, minute) {
        (0, true) => en!("{0}: no requests in this minute"),
        (0, false) => en!("{0}: no requests"),
        (1, true) => en!("{0}: 1 request in this minute"),
        (1, false) => en!("{0}: at most 1 request in a minute"),
        (_, true) => en!("{0}: {1} requests in this minute"),
        (_, false) => en!("{0}: at most {1} requests in a minute"),
    };
    w.fill(template, &[&when, &w.number(u64::from(count))])
}

/// A fleet chart's scale and time axis, shared by the charts compared.
pub struct Axes<'a> {
    /// The scale's top and step ([`round_scale`]).
    pub max: u32,
    pub step: u32,
    /// The time labels, placed over the horizon (see [`crate::text::timeline::ticks_over`]).
    pub ticks: &'a [Tick],
    /// The zone whose clock the times are on.
    pub zone: &'a dyn Zone,
}

/// One fleet chart, as a `<figure>`: the caption (text that leads into the peak) with the peak
/// in an element marked `peak_id`; the histogram with its axes (requests per minute up the
/// side, the phones' clock along the bottom) and its peak labelled with count and time; and
/// the figures as a table a screen reader can read; or why there is no load.
///
/// The chart is a slider over its columns (`data-from`, `data-step` and `data-counts` say what
/// each column holds): the page shows a column's [`column_text`] where the pointer is, and
/// the arrow keys move along the columns.
pub fn fleet_figure(
    caption: &str,
    peak_id: &str,
    chart_label: &str,
    load: &Result<Load, String>,
    axes: &Axes,
    w: &Words,
) -> String {
    let (peak, chart, figures) = match load {
        Ok(l) => {
            let peak_at = zone::local(axes.zone, l.peak_at);
            let rows = [
                (en!("Peak requests per minute"), w.number(u64::from(l.peak))),
                (en!("Peak at"), w.moment(peak_at, false)),
                (en!("Mean requests per minute"), w.decimal(l.mean, 2)),
                (en!("Requests in all"), w.number(l.total)),
                (
                    en!("Phones that fetched"),
                    format!("{} %", w.decimal(l.fetched_share * 100.0, 1)),
                ),
            ];
            let mut table = String::from(r#"<table class="figures"><tbody>"#);
            for (name, value) in rows {
                let _ = write!(
                    table,
                    r#"<tr><th scope="row">{}</th><td>{}</td></tr>"#,
                    escape(w.t(name)),
                    escape(&value)
                );
            }
            table.push_str("</tbody></table>");
            (
                w.number(u64::from(l.peak)),
                chart(l, axes, chart_label, w),
                table,
            )
        }
        Err(e) => {
            let reason = format!(r#"<p class="error">{}</p>"#, escape(e));
            (String::new(), String::new(), reason)
        }
    };
    let unit = match load {
        Ok(l) if l.peak == 1 => en!("request a minute"),
        _ => en!("requests a minute"),
    };
    format!(
        r#"<figure><figcaption>{} <strong data-testid="{peak_id}">{peak}</strong> {}</figcaption>{chart}{figures}</figure>"#,
        escape(caption),
        escape(w.t(unit)),
    )
}

/// A load's chart with its axes, its peak's label, and what its columns hold.
fn chart(l: &Load, axes: &Axes, label: &str, w: &Words) -> String {
    let (columns, per) = columns(&l.counts);
    let peak = columns
        .iter()
        .position(|&c| c == l.peak)
        .unwrap_or_default();
    let step_seconds = per as i64 * i64::from(l.bucket);
    let column_start = |i: usize| l.bucket_at(i * per);
    let mut levels = String::new();
    let mut level = 0u32;
    loop {
        let _ = write!(
            levels,
            r#"<span style="bottom:{}%">{}</span>"#,
            percent(f64::from(level) / f64::from(axes.max.max(1))),
            w.number(u64::from(level))
        );
        match level.checked_add(axes.step.max(1)) {
            Some(next) if next <= axes.max => level = next,
            _ => break,
        }
    }
    let counts: Vec<String> = columns.iter().map(u32::to_string).collect();
    let peak_x = (peak as f64 + 0.5) / columns.len().max(1) as f64;
    let peak_text = w.fill(
        en!("Peak: {0} at {1}"),
        &[
            &w.number(u64::from(l.peak)),
            &w.moment(zone::local(axes.zone, l.peak_at), false),
        ],
    );
    let now_text = column_text(column_start(peak), step_seconds, l.peak, axes.zone, w);
    format!(
        concat!(
            r#"<div class="chart"><div class="y-axis" aria-hidden="true">{levels}</div>"#,
            r#"<div class="plot" tabindex="0" role="slider" aria-label="{label}" aria-valuemin="0" aria-valuemax="{last}" aria-valuenow="{peak}" aria-valuetext="{now_text}" data-from="{from}" data-step="{step}" data-counts="{counts}">"#,
            r#"<svg class="histogram" viewBox="0 0 1000 100" preserveAspectRatio="none" aria-hidden="true">{svg}</svg>"#,
            r#"<span class="peak-label" aria-hidden="true" style="left:{px}%;transform:translateX(-{px}%)">{peak_text}</span>"#,
            r#"<span class="cursor" hidden></span><span class="tip" aria-hidden="true" hidden></span></div>"#,
            r#"<div class="x-axis" aria-hidden="true">{ticks}</div></div>"#,
        ),
        levels = levels,
        label = escape(label),
        last = columns.len().saturating_sub(1),
        peak = peak,
        now_text = escape(&now_text),
        from = l.buckets_from.timestamp(),
        step = step_seconds,
        counts = counts.join(" "),
        svg = histogram_svg(&columns, axes.max, axes.step),
        px = percent(peak_x),
        peak_text = escape(&peak_text),
        ticks = tick_labels(axes.ticks),
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::text::parsed;
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape(r#"a<b>&"c"'"#), "a&lt;b&gt;&amp;&quot;c&quot;&apos;");
        assert_eq!(
            options(&[("", "none"), ("a\"b", "x<y")]),
            r#"<option value="">none</option><option value="a&quot;b">x&lt;y</option>"#
        );
    }

    #[test]
    fn draws_lanes_ticks_bands_and_instants() {
        let marks = [
            Mark {
                source: Source::Polling,
                start: 0.5,
                end: 0.75,
                at: 0.625,
            },
            Mark {
                source: Source::Polling,
                start: 0.9,
                end: 0.9,
                at: 0.9,
            },
        ];
        let ticks = [Tick {
            at: 0.25,
            label: "Thu <11>".into(),
        }];
        // On the drawing's 1,000 units: the polling lane from 28 to 62, a tick at a quarter,
        // the window a band from 500 to 750, each instant a line across the lane.
        let svg = timeline_svg(&marks, &ticks);
        let lanes = parsed::by_class(&svg, "rect", "lane");
        assert_eq!(
            lanes
                .iter()
                .map(|l| (l.num("y"), l.num("height")))
                .collect::<Vec<_>>(),
            [(28.0, 34.0)]
        );
        let ticks_at: Vec<f64> = parsed::by_class(&svg, "line", "tick")
            .iter()
            .map(|t| t.num("x1"))
            .collect();
        assert_eq!(ticks_at, [250.0]);
        let shapes =
            |class: &str| parsed::shapes(parsed::by_class(&svg, "path", class)[0].attr("d"));
        assert_eq!(shapes("band"), [(500.0, 750.0, 32.0, 58.0)]);
        assert_eq!(
            shapes("at"),
            [(625.0, 625.0, 28.0, 62.0), (900.0, 900.0, 28.0, 62.0)]
        );
        assert_eq!(parsed::by_class(&svg, "g", "polling").len(), 1);
        // The labels are markup over the drawing, which is stretched: (28 - 19) / 140 = 6.4 %.
        let labels = timeline_labels(&marks, &ticks, &Words::english());
        let label = |class: &str| -> Vec<(String, String)> {
            parsed::by_class(&labels, "span", class)
                .into_iter()
                .map(|l| (l.attr("style").to_owned(), l.text))
                .collect()
        };
        assert_eq!(
            label("tick-label"),
            [("left:25.0%".to_owned(), "Thu <11>".to_owned())]
        );
        assert_eq!(
            label("lane-label"),
            [("top:6.4%".to_owned(), "polling".to_owned())]
        );
        let refresh = [Mark {
            source: Source::RefreshTimer,
            start: 0.1,
            end: 0.1,
            at: 0.1,
        }];
        let svg = timeline_svg(&refresh, &[]);
        let labels = timeline_labels(&refresh, &[], &Words::english());
        let lane_labels = parsed::by_class(&labels, "span", "lane-label");
        let last = lane_labels.last().unwrap();
        assert_eq!(
            (last.attr("style"), last.text.as_str()),
            ("top:42.1%", "refresh timer")
        );
        // The refresh timer's lane, lower: no band, its instant a line from 78 to 112.
        let refresh_lane = parsed::elements(&svg)
            .into_iter()
            .skip_while(|e| !(e.name == "g" && e.attr("class") == "fetch refresh"))
            .skip(1)
            .take(2)
            .map(|p| (p.attr("class").to_owned(), parsed::shapes(p.attr("d"))))
            .collect::<Vec<_>>();
        assert_eq!(
            refresh_lane,
            [
                ("band".to_owned(), vec![]),
                ("at".to_owned(), vec![(100.0, 100.0, 78.0, 112.0)])
            ]
        );
        // Marks drawn alike in a lane are drawn once: 3000 fetches a few seconds apart over a
        // week share a handful of positions. Another lane, or another position, still counts.
        let close: Vec<Mark> = (0..3000)
            .map(|i| {
                let at = f64::from(i) * 5.0 / 604_800.0;
                Mark {
                    source: Source::Polling,
                    start: at,
                    end: at,
                    at,
                }
            })
            .chain([Mark {
                source: Source::RefreshTimer,
                start: 0.0,
                end: 0.0,
                at: 0.0,
            }])
            .collect();
        let svg = timeline_svg(&close, &[]);
        // 3000 × 5 s is 15,000 s: 24.8 units at 0.1 each, so positions 0.0 to 24.8.
        let lane = |class: &str| {
            parsed::elements(&svg)
                .into_iter()
                .skip_while(|e| e.attr("class") != format!("fetch {class}"))
                .find(|e| e.attr("class") == "at")
                .map_or(0, |at| parsed::shapes(at.attr("d")).len())
        };
        assert_eq!(lane("polling"), 249);
        assert_eq!(lane("refresh"), 1);
        // A band narrower than 2 units is drawn 2 wide (and its outline, in the style sheet,
        // keeps it a few pixels wide at any width).
        let narrow = [Mark {
            source: Source::Polling,
            start: 0.1,
            end: 0.1001,
            at: 0.1,
        }];
        let svg = timeline_svg(&narrow, &[]);
        assert_eq!(
            parsed::shapes(parsed::by_class(&svg, "path", "band")[0].attr("d")),
            [(100.0, 102.0, 32.0, 58.0)]
        );
    }

    #[test]
    fn round_scales() {
        assert_eq!(round_scale(10), (10, 5));
        assert_eq!(round_scale(4), (4, 1));
        assert_eq!(round_scale(0), (1, 1));
        assert_eq!(round_scale(1_234), (1_500, 500));
        assert_eq!(round_scale(10_001), (15_000, 5_000));
        assert_eq!(round_scale(u32::MAX), (u32::MAX, 2_000_000_000));
    }

    #[test]
    fn histograms_keep_their_peaks() {
        // Four buckets, four columns: bars at x = 125, 375, 625, 875, on a scale to 10 in 5s.
        // Grid lines at 5 and 10 (y 50 and 0 of 100), the axis at 0, a bar of 5 at x 375 and
        // one of 10 at 625 (each 40 wide), and the peak marked at 625.
        let svg = histogram_svg(&[0, 5, 10, 0], 10, 5);
        let ys = |class: &str| -> Vec<f64> {
            parsed::by_class(&svg, "line", class)
                .iter()
                .map(|l| l.num("y1"))
                .collect()
        };
        assert_eq!((ys("grid"), ys("axis")), (vec![50.0, 0.0], vec![100.0]));
        let bars = &parsed::by_class(&svg, "path", "bars")[0];
        assert_eq!(bars.num("stroke-width"), 40.0);
        assert_eq!(
            parsed::shapes(bars.attr("d")),
            [(375.0, 375.0, 50.0, 100.0), (625.0, 625.0, 0.0, 100.0)]
        );
        let peak: Vec<f64> = parsed::by_class(&svg, "line", "peak")
            .iter()
            .map(|l| l.num("x1"))
            .collect();
        assert_eq!(peak, [625.0]);
        // 2,500 buckets in 834 columns of 3: a lone spike survives.
        let mut counts = vec![1; 2_500];
        counts[1_234] = 400;
        let (columns, per) = columns(&counts);
        assert_eq!((columns.len(), per, columns[411]), (834, 3, 400));
        assert_eq!(histogram_svg(&columns, 400, 100).matches('V').count(), 834);
        assert!(!histogram_svg(&[0, 0], 1, 1).contains("peak"));
    }

    #[test]
    fn lists_fetches_once_and_compactly_in_the_phones_zone() {
        let fetches = [
            Fetch {
                source: Source::Polling,
                earliest: utc("2026-06-11T07:00:00Z"),
                latest: utc("2026-06-11T07:10:00Z"),
                at: utc("2026-06-11T07:04:31Z"),
            },
            Fetch {
                source: Source::RefreshTimer,
                earliest: utc("2026-06-11T10:00:00Z"),
                latest: utc("2026-06-11T10:00:00Z"),
                at: utc("2026-06-11T10:00:00Z"),
            },
            // Over midnight, sampled on the next day.
            Fetch {
                source: Source::Polling,
                earliest: utc("2026-06-11T21:30:00Z"),
                latest: utc("2026-06-11T22:30:00Z"),
                at: utc("2026-06-11T22:10:00Z"),
            },
        ];
        // Each fetch as the list says it, with its times (in the phone's zone) for scripts.
        let html = fetch_items(&fetches, &chrono_tz::Europe::Berlin, &Words::english());
        let items: Vec<[String; 5]> = parsed::elements(&html)
            .into_iter()
            .filter(|e| e.name == "li" && e.attr("data-testid") == "fetch")
            .map(|e| {
                let a = |n: &str| e.attr(n).to_owned();
                [
                    a("data-source"),
                    a("data-earliest"),
                    a("data-latest"),
                    a("data-at"),
                    e.text.clone(),
                ]
            })
            .collect();
        assert_eq!(
            items,
            [
                [
                    "polling",
                    "2026-06-11T09:00:00+02:00",
                    "2026-06-11T09:10:00+02:00",
                    "2026-06-11T09:04:31+02:00",
                    "polling: Thu 11 Jun, 09:00–09:10 +02:00, sampled 09:04:31"
                ],
                [
                    "refresh_timer",
                    "2026-06-11T12:00:00+02:00",
                    "2026-06-11T12:00:00+02:00",
                    "2026-06-11T12:00:00+02:00",
                    "refresh timer: Thu 11 Jun, 12:00 +02:00"
                ],
                [
                    "polling",
                    "2026-06-11T23:30:00+02:00",
                    "2026-06-12T00:30:00+02:00",
                    "2026-06-12T00:10:00+02:00",
                    "polling: Thu 11 Jun, 23:30 +02:00 – Fri 12 Jun, 00:30 +02:00, sampled Fri 12 Jun, 00:10 +02:00"
                ],
            ]
            .map(|item| item.map(str::to_owned))
        );
    }

    #[test]
    fn a_column_says_its_time_and_count() {
        let en = Words::english();
        assert_eq!(
            column_text(utc("2026-06-10T08:01:00Z"), 60, 2, &Utc, &en),
            "Wed 10 Jun, 08:01 +00:00: 2 requests in this minute"
        );
        assert_eq!(
            column_text(
                utc("2026-06-10T08:00:00Z"),
                600,
                12_345,
                &chrono_tz::Europe::Berlin,
                &en
            ),
            "Wed 10 Jun, 10:00–10:10 +02:00: at most 12,345 requests in a minute"
        );
        // One, or none, as English says it.
        let at = utc("2026-06-10T08:00:00Z");
        assert_eq!(
            column_text(at, 60, 1, &Utc, &en),
            "Wed 10 Jun, 08:00 +00:00: 1 request in this minute"
        );
        assert_eq!(
            column_text(at, 600, 1, &Utc, &en),
            "Wed 10 Jun, 08:00–08:10 +00:00: at most 1 request in a minute"
        );
        assert_eq!(
            column_text(at, 60, 0, &Utc, &en),
            "Wed 10 Jun, 08:00 +00:00: no requests in this minute"
        );
        assert_eq!(
            column_text(at, 86_400, 0, &Utc, &en),
            "Wed 10 Jun, 08:00 +00:00 – Thu 11 Jun, 08:00 +00:00: no requests"
        );
    }

    #[test]
    fn fleet_figure_has_caption_chart_with_axes_and_figures() {
        let load = Load {
            from: utc("2026-06-10T08:00:00Z"),
            buckets_from: utc("2026-06-10T08:00:00Z"),
            bucket: 60,
            phones: 4,
            counts: vec![0, 2, 1],
            total: 3,
            peak: 2,
            peak_at: utc("2026-06-10T08:01:00Z"),
            mean: 1.0,
            fetched_share: 0.5,
        };
        let ticks = [Tick {
            at: 0.5,
            label: "08:00".into(),
        }];
        let axes = Axes {
            max: 4,
            step: 2,
            ticks: &ticks,
            zone: &Utc,
        };
        let en = Words::english();
        let figure = fleet_figure(
            "Ours <b>:</b> peak",
            "p1",
            "Label \"x\"",
            &Ok(load),
            &axes,
            &en,
        );
        // What a reader sees: the caption with the peak, the count axis, the chart (its slider
        // saying the peak's minute), the peak's label, the time axis and the figures.
        assert_eq!(
            parsed::texts(&figure, "figcaption"),
            ["Ours <b>:</b> peak 2 requests a minute"]
        );
        let strong = &parsed::elements(&figure)
            .into_iter()
            .find(|e| e.name == "strong")
            .unwrap();
        assert_eq!(
            (strong.attr("data-testid"), strong.text.as_str()),
            ("p1", "2")
        );
        let y_axis: Vec<(String, String)> = parsed::elements(&figure)
            .into_iter()
            .skip_while(|e| e.attr("class") != "y-axis")
            .skip(1)
            .take_while(|e| e.name == "span")
            .map(|e| (e.attr("style").to_owned(), e.text))
            .collect();
        let at = |style: &str, text: &str| (style.to_owned(), text.to_owned());
        assert_eq!(
            y_axis,
            [
                at("bottom:0.0%", "0"),
                at("bottom:50.0%", "2"),
                at("bottom:100.0%", "4")
            ]
        );
        let plot = &parsed::by_class(&figure, "div", "plot")[0];
        for (name, value) in [
            ("role", "slider"),
            ("aria-label", "Label \"x\""),
            ("aria-valuemin", "0"),
            ("aria-valuemax", "2"),
            ("aria-valuenow", "1"),
            (
                "aria-valuetext",
                "Wed 10 Jun, 08:01 +00:00: 2 requests in this minute",
            ),
            ("data-counts", "0 2 1"),
            ("data-step", "60"),
        ] {
            assert_eq!(plot.attr(name), value, "{name}");
        }
        let svg = &parsed::by_class(&figure, "svg", "histogram")[0];
        assert_eq!(svg.attr("viewBox"), "0 0 1000 100");
        assert_eq!(
            parsed::texts(&figure, "span")
                .into_iter()
                .filter(|t| t.starts_with("Peak") || t == "08:00")
                .collect::<Vec<_>>(),
            ["Peak: 2 at Wed 10 Jun, 08:01 +00:00", "08:00"]
        );
        let figures: Vec<(String, String)> = parsed::texts(&figure, "th")
            .into_iter()
            .zip(parsed::texts(&figure, "td"))
            .collect();
        assert_eq!(
            figures,
            [
                at("Peak requests per minute", "2"),
                at("Peak at", "Wed 10 Jun, 08:01 +00:00"),
                at("Mean requests per minute", "1.00"),
                at("Requests in all", "3"),
                at("Phones that fetched", "50.0 %"),
            ]
        );
        // The chart inside is the histogram's, with its bars.
        assert_eq!(parsed::by_class(&figure, "path", "bars").len(), 1);

        // A count that failed says why, and draws nothing.
        let failed = fleet_figure("Alt peak", "p2", "L", &Err("too <many>".into()), &axes, &en);
        assert_eq!(
            parsed::texts(&failed, "figcaption"),
            ["Alt peak  requests a minute"]
        );
        assert_eq!(
            parsed::by_class(&failed, "p", "error")
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>(),
            ["too <many>"]
        );
        assert!(parsed::elements(&failed).iter().all(|e| e.name != "svg"));
    }

    #[test]
    fn rows_are_cut_at_the_first_row_begun_past_the_size() {
        let rows = "<tr>aaaa</tr><tr>b</tr><tr>cccccc</tr><tr>d</tr>";
        // Rows of 13, 10, 15 and 10 bytes.
        assert_eq!(
            row_slices(rows, 12),
            ["<tr>aaaa</tr>", "<tr>b</tr><tr>cccccc</tr>", "<tr>d</tr>"]
        );
        assert_eq!(row_slices(rows, 1000), [rows]);
        assert_eq!(row_slices(rows, 1).len(), 4);
        assert_eq!(row_slices("", 10), [""]);
    }

    proptest! {
        #[test]
        fn slices_are_whole_rows_of_about_the_size(
            rows in prop::collection::vec("[a-z<>/ ]{0,40}", 0..40),
            bytes in 1usize..200,
        ) {
            let text: String = rows.iter().map(|r| format!("<tr>{}</tr>", r.replace("<tr", "<t r"))).collect();
            let slices = row_slices(&text, bytes);
            prop_assert_eq!(slices.concat(), text.clone());
            for (i, slice) in slices.iter().enumerate() {
                prop_assert!(i == 0 || slice.starts_with("<tr"));
                // The last row of a slice is the one begun past the size.
                let last = slice.rfind("<tr").unwrap_or(0);
                prop_assert!(last < bytes || slice.matches("<tr").count() == 1, "{slice}");
                if i + 1 < slices.len() {
                    prop_assert!(slice.len() >= bytes);
                }
            }
        }
    }
}
