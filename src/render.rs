//! The timeline drawing, the fetch list and the fleet's figures as markup text.
//!
//! The app sets these as `innerHTML`: one string per redraw costs far less WebAssembly than a
//! typed view per mark, and being plain functions they are tested natively.

use std::fmt::Write as _;
use std::ops::Range;

use crate::fleet::Load;
use crate::schedule::{Fetch, Source};
use crate::timeline::{Mark, Tick, decimal, svg_number, wall_text};
use crate::zone::{self, Zone};

/// Width of the drawing in SVG units; marks are placed on 0–1 and scaled to it.
pub const WIDTH: f64 = 1000.0;
const LANES: [(Source, f64, &str); 2] = [
    (Source::Polling, 28.0, "polling"),
    (Source::RefreshTimer, 78.0, "refresh timer"),
];
const LANE_HEIGHT: f64 = 34.0;

/// Text escaped for element content and attribute values, by quick-xml (XML's five
/// entities): every function here escapes the text it is given, none takes markup.
pub fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
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

/// The inside of the timeline's `<svg viewBox="0 0 1000 140">`: lanes, ticks, windows as
/// bands, and each fetch's instant as a line. The refresh lane appears only when it is used.
pub fn timeline_svg(marks: &[Mark], ticks: &[Tick]) -> String {
    let mut svg = String::new();
    let refresh_used = marks.iter().any(|m| m.source == Source::RefreshTimer);
    for (source, y, label) in LANES {
        if source == Source::RefreshTimer && !refresh_used {
            continue;
        }
        let _ = write!(
            svg,
            r#"<rect class="lane" x="0" y="{y}" width="1000" height="{h}"></rect><text class="lane-label" x="996" y="{ly}" text-anchor="end">{label}</text>"#,
            y = svg_number(y),
            h = svg_number(LANE_HEIGHT),
            ly = svg_number(y - 6.0),
        );
    }
    for tick in ticks {
        let x = svg_number(tick.at * WIDTH);
        let _ = write!(
            svg,
            r#"<line class="tick" x1="{x}" x2="{x}" y1="20" y2="118"></line><text class="tick-label" x="{x}" dx="3" y="134">{}</text>"#,
            escape(&tick.label)
        );
    }
    // Each lane's marks are two paths, its bands and its instants: a mark as elements of its
    // own cost the page a DOM parse per mark on every edit. A mark drawn exactly like the one
    // before it in its lane is left out: with a period of seconds, thousands share a pixel.
    for (source, y, _) in LANES {
        let class = match source {
            Source::Polling => "polling",
            Source::RefreshTimer => "refresh",
        };
        let (mut bands, mut instants) = (String::new(), String::new());
        let mut last = None;
        for mark in marks.iter().filter(|m| m.source == source) {
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

/// One `<li>` per fetch, each readable on its own, with the instants as RFC 3339 attributes
/// (`data-earliest`, `data-latest`, `data-at`) in the phone's zone.
pub fn fetch_items(fetches: &[Fetch], zone: &dyn Zone) -> String {
    let mut html = String::new();
    for f in fetches {
        let local = |t| zone::local(zone, t);
        let (source, label) = match f.source {
            Source::Polling => ("polling", "polling"),
            Source::RefreshTimer => ("refresh_timer", "refresh timer"),
        };
        let text = if f.is_window() {
            format!(
                "{label}: between {} and {}, sampled {}",
                wall_text(local(f.earliest)),
                wall_text(local(f.latest)),
                wall_text(local(f.at))
            )
        } else {
            format!("{label}: {}", wall_text(local(f.at)))
        };
        let _ = write!(
            html,
            r#"<li data-testid="fetch" data-source="{source}" data-earliest="{}" data-latest="{}" data-at="{}">{}</li>"#,
            local(f.earliest).to_rfc3339(),
            local(f.latest).to_rfc3339(),
            local(f.at).to_rfc3339(),
            escape(&text)
        );
    }
    html
}

/// A file's text as markup for a `<pre>`, each line that touches one of the `changed` byte
/// ranges (sorted, as [`crate::file::SettingsFile::apply_marked`] gives them) in a `<mark>`.
/// Bytes that are not UTF-8 show as U+FFFD; the file itself keeps them.
pub fn xml_lines(bytes: &[u8], changed: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut start = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let body = line.trim_ascii_end().len();
        let text = escape(&String::from_utf8_lossy(&line[..body]));
        let eol = String::from_utf8_lossy(&line[body..]);
        // Only a change to the line's own text marks it, not one to its line ending.
        if changed
            .iter()
            .any(|r| r.start < start + body && r.end > start)
        {
            let _ = write!(out, "<mark>{text}</mark>{eol}");
        } else {
            let _ = write!(out, "{text}{eol}");
        }
        start += line.len();
    }
    out
}

/// Height of the histogram's drawing area in SVG units (the width is [`WIDTH`]).
pub const HISTOGRAM_HEIGHT: f64 = 100.0;

/// The inside of a histogram `<svg viewBox="0 0 1000 100">`: one bar per column, each the
/// largest count of the buckets it covers (so no peak is averaged away), scaled to `top`, and
/// the peak marked with a line and a dot.
pub fn histogram_svg(counts: &[u32], top: u32) -> String {
    let columns = counts.len().clamp(1, 1000);
    let per = counts.len().div_ceil(columns).max(1);
    let top = f64::from(top.max(1));
    let mut bars = String::new();
    let mut peak = (0, 0u32);
    for (i, chunk) in counts.chunks(per).enumerate() {
        let value = chunk.iter().copied().max().unwrap_or(0);
        if value > peak.1 {
            peak = (i, value);
        }
        if value > 0 {
            let x = (i as f64 + 0.5) * WIDTH / counts.len().div_ceil(per) as f64;
            let y = HISTOGRAM_HEIGHT * (1.0 - f64::from(value) / top);
            let _ = write!(bars, "M{} 100V{}", svg_number(x), svg_number(y));
        }
    }
    let column_width = WIDTH / counts.len().div_ceil(per).max(1) as f64;
    let mut svg = format!(
        r#"<line class="axis" x1="0" x2="1000" y1="100" y2="100"></line><path class="bars" stroke-width="{}" d="{}"></path>"#,
        svg_number(column_width.clamp(1.0, 40.0)),
        bars
    );
    if peak.1 > 0 {
        let x = svg_number((peak.0 as f64 + 0.5) * column_width);
        let y = svg_number(HISTOGRAM_HEIGHT * (1.0 - f64::from(peak.1) / top));
        let _ = write!(
            svg,
            r#"<line class="peak" x1="{x}" x2="{x}" y1="0" y2="100"></line><circle class="peak" cx="{x}" cy="{y}" r="3"></circle>"#
        );
    }
    svg
}

/// One side of the fleet comparison, as a `<figure>`: the caption (text that leads into the
/// peak) with the peak in an element marked `peak_id`, the histogram scaled to `top`, and the
/// figures as a table a screen reader can read; or why there is no load.
pub fn fleet_figure(
    caption: &str,
    peak_id: &str,
    chart_label: &str,
    load: &Result<Load, String>,
    top: u32,
    zone: &dyn Zone,
) -> String {
    let (peak, chart, figures) = match load {
        Ok(l) => {
            let rows = [
                ("Peak requests per minute", l.peak.to_string()),
                ("Peak at", wall_text(zone::local(zone, l.peak_at))),
                ("Mean requests per minute", decimal(l.mean, 2)),
                ("Requests in all", l.total.to_string()),
                (
                    "Phones that fetched",
                    format!("{} %", decimal(l.fetched_share * 100.0, 1)),
                ),
            ];
            let mut table = String::from(r#"<table class="figures"><tbody>"#);
            for (name, value) in rows {
                let _ = write!(
                    table,
                    r#"<tr><th scope="row">{name}</th><td>{}</td></tr>"#,
                    escape(&value)
                );
            }
            table.push_str("</tbody></table>");
            (l.peak.to_string(), histogram_svg(&l.counts, top), table)
        }
        Err(e) => {
            let reason = format!(r#"<p class="error">{}</p>"#, escape(e));
            (String::new(), String::new(), reason)
        }
    };
    format!(
        r#"<figure><figcaption>{} <strong data-testid="{peak_id}">{peak}</strong> requests a minute</figcaption><svg class="histogram" viewBox="0 0 1000 100" preserveAspectRatio="none" role="img" aria-label="{}">{chart}</svg>{figures}</figure>"#,
        escape(caption),
        escape(chart_label),
    )
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

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
        assert_eq!(
            timeline_svg(&marks, &ticks),
            concat!(
                r#"<rect class="lane" x="0" y="28.0" width="1000" height="34.0"></rect><text class="lane-label" x="996" y="22.0" text-anchor="end">polling</text>"#,
                r#"<line class="tick" x1="250.0" x2="250.0" y1="20" y2="118"></line><text class="tick-label" x="250.0" dx="3" y="134">Thu &lt;11&gt;</text>"#,
                r#"<g class="fetch polling"><path class="band" d="M500.0 32.0H750.0V58.0H500.0z"></path>"#,
                r#"<path class="at" d="M625.0 28.0V62.0M900.0 28.0V62.0"></path></g>"#,
            )
        );
        let refresh = [Mark {
            source: Source::RefreshTimer,
            start: 0.1,
            end: 0.1,
            at: 0.1,
        }];
        let svg = timeline_svg(&refresh, &[]);
        assert!(svg.contains(">refresh timer</text>"));
        assert!(svg.ends_with(
            r#"<g class="fetch refresh"><path class="band" d=""></path><path class="at" d="M100.0 78.0V112.0"></path></g>"#
        ));
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
            let at = svg
                .split(&format!(r#"<g class="fetch {class}">"#))
                .nth(1)
                .unwrap();
            at[..at.find("</g>").unwrap()].matches('M').count()
        };
        assert_eq!(lane("polling"), 249);
        assert_eq!(lane("refresh"), 1);
        // A band narrower than 2 units is drawn 2 wide, so it stays visible.
        let narrow = [Mark {
            source: Source::Polling,
            start: 0.1,
            end: 0.1001,
            at: 0.1,
        }];
        assert!(timeline_svg(&narrow, &[]).contains(r#"d="M100.0 32.0H102.0V58.0H100.0z""#));
    }

    #[test]
    fn histograms_keep_their_peaks() {
        // Four buckets, four columns: bars at x = 125, 375, 625, 875.
        assert_eq!(
            histogram_svg(&[0, 5, 10, 0], 10),
            concat!(
                r#"<line class="axis" x1="0" x2="1000" y1="100" y2="100"></line>"#,
                r#"<path class="bars" stroke-width="40.0" d="M375.0 100V50.0M625.0 100V0.0"></path>"#,
                r#"<line class="peak" x1="625.0" x2="625.0" y1="0" y2="100"></line><circle class="peak" cx="625.0" cy="0.0" r="3"></circle>"#,
            )
        );
        // 2,500 buckets in 834 columns of 3: a lone spike survives.
        let mut counts = vec![1; 2_500];
        counts[1_234] = 400;
        let svg = histogram_svg(&counts, 400);
        assert_eq!(svg.matches('V').count(), 834);
        assert!(svg.contains(r#"cy="0.0""#), "{svg}");
        assert!(!histogram_svg(&[0, 0], 0).contains("peak"));
    }

    #[test]
    fn lists_fetches_in_the_phones_zone() {
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
        ];
        assert_eq!(
            fetch_items(&fetches, &chrono_tz::Europe::Berlin),
            concat!(
                r#"<li data-testid="fetch" data-source="polling" data-earliest="2026-06-11T09:00:00+02:00" data-latest="2026-06-11T09:10:00+02:00" data-at="2026-06-11T09:04:31+02:00">"#,
                "polling: between Thu 2026-06-11 09:00:00 +02:00 and Thu 2026-06-11 09:10:00 +02:00, sampled Thu 2026-06-11 09:04:31 +02:00</li>",
                r#"<li data-testid="fetch" data-source="refresh_timer" data-earliest="2026-06-11T12:00:00+02:00" data-latest="2026-06-11T12:00:00+02:00" data-at="2026-06-11T12:00:00+02:00">"#,
                "refresh timer: Thu 2026-06-11 12:00:00 +02:00</li>",
            )
        );
    }

    #[test]
    fn xml_lines_marks_each_changed_line() {
        let bytes = b"<a>\r\n  <b>x&y</b>\r\n  <c/>\n\xff\n";
        // "x" on line 2, and an insertion before line 3's ending (its own text is unchanged).
        let html = xml_lines(bytes, &[10..11, 25..26]);
        assert_eq!(
            html,
            "&lt;a&gt;\r\n<mark>  &lt;b&gt;x&amp;y&lt;/b&gt;</mark>\r\n  &lt;c/&gt;\n\u{fffd}\n"
        );
        assert_eq!(xml_lines(b"<a/>", &[]), "&lt;a/&gt;");
        assert_eq!(
            xml_lines(b"<a/>\n<b/>", &[0..1, 5..6]),
            "<mark>&lt;a/&gt;</mark>\n<mark>&lt;b/&gt;</mark>"
        );
    }

    #[test]
    fn fleet_figure_has_caption_chart_and_figures() {
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
        let figure = fleet_figure(
            "Ours <b>:</b> peak",
            "p1",
            "Label \"x\"",
            &Ok(load),
            4,
            &Utc,
        );
        let chart = histogram_svg(&[0, 2, 1], 4);
        assert_eq!(
            figure,
            format!(
                concat!(
                    r#"<figure><figcaption>Ours &lt;b&gt;:&lt;/b&gt; peak <strong data-testid="p1">2</strong> requests a minute</figcaption>"#,
                    r#"<svg class="histogram" viewBox="0 0 1000 100" preserveAspectRatio="none" role="img" aria-label="Label &quot;x&quot;">{}</svg>"#,
                    r#"<table class="figures"><tbody>"#,
                    r#"<tr><th scope="row">Peak requests per minute</th><td>2</td></tr>"#,
                    r#"<tr><th scope="row">Peak at</th><td>Wed 2026-06-10 08:01:00 +00:00</td></tr>"#,
                    r#"<tr><th scope="row">Mean requests per minute</th><td>1.00</td></tr>"#,
                    r#"<tr><th scope="row">Requests in all</th><td>3</td></tr>"#,
                    r#"<tr><th scope="row">Phones that fetched</th><td>50.0 %</td></tr>"#,
                    "</tbody></table></figure>"
                ),
                chart
            )
        );

        let failed = fleet_figure("Alt peak", "p2", "L", &Err("too <many>".into()), 4, &Utc);
        assert_eq!(
            failed,
            concat!(
                r#"<figure><figcaption>Alt peak <strong data-testid="p2"></strong> requests a minute</figcaption>"#,
                r#"<svg class="histogram" viewBox="0 0 1000 100" preserveAspectRatio="none" role="img" aria-label="L"></svg>"#,
                r#"<p class="error">too &lt;many&gt;</p></figure>"#
            )
        );
    }
}
