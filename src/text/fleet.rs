//! The fleet's figures as the page shows them: the folder's phones with each group's part, or
//! the settings beside an alternative, with what was counted and how long it took. The worker
//! (`worker::fleet_run`) counts; this says it.

use crate::core::fleet::{Alternative, Load};
use crate::core::settings::Settings;
use crate::text::render::{self, Axes};
use crate::words::{Words, decimal};

/// What was counted: with each phone's fetch at boot (`boot`), or the scheduled ones only.
fn counted(boot: bool, w: &Words) -> &str {
    if boot {
        w.t(en!("Counted: each phone's fetch when it boots (after a power cut, all in the first minute), then its scheduled fetches."))
    } else {
        w.t(en!("Counted: the scheduled fetches only, not the fetch that brought each phone the settings."))
    }
}

/// The folder's phones: the whole fleet's chart and figures (`total`), then each group's part
/// (`groups`' summaries beside their `loads`); `boot` and the phones `left_out`; the `phones`
/// counted in `millis`.
pub fn folder(
    total: &Result<Load, String>,
    groups: &[String],
    loads: &[Result<Load, String>],
    axes: &Axes,
    (boot, left_out): (bool, u32),
    (phones, millis): (u32, f64),
    w: &Words,
) -> String {
    let mut rows = String::new();
    for (summary, load) in groups.iter().zip(loads) {
        if let Ok(l) = load {
            rows.push_str(&format!(
                r#"<tr data-testid="fleet-group"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                w.number(l.phones.into()),
                render::escape(summary),
                w.number(l.total),
                w.number(l.peak.into()),
            ));
        }
    }
    format!(
        r#"<div class="fleet-compare">{}</div><div class="table-wrap"><table class="figures" data-testid="fleet-groups"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{rows}</tbody></table></div><p class="note" data-testid="fleet-counted">{} {}</p><p class="note" data-testid="fleet-time" data-ms="{ms}">{}</p>"#,
        render::fleet_figure(
            w.t(en!("This folder's phones: peak")),
            "fleet-peak",
            w.t(en!("Requests per minute from the folder's phones; the figures below give the numbers.")),
            total,
            axes,
            w,
        ),
        w.t(en!("Phones")),
        w.t(en!("Group")),
        w.t(en!("Requests")),
        w.t(en!("Peak a minute")),
        counted(boot, w),
        w.count(left_out as usize, en!("Left out: {0} phone of the folder, whose settings are unknown or invalid."), en!("Left out: {0} phones of the folder, whose settings are unknown or invalid.")),
        w.fill(en!("Computed in {0} ms for {1} of the folder, each by its own settings and zone; buckets start on whole minutes."), &[&w.decimal(millis, 1), &w.count(phones as usize, en!("{0} phone"), en!("{0} phones"))]),
        ms = decimal(millis, 1),
    )
}

/// The settings and the alternative side by side (`loads`: these, then the alternative's),
/// on one scale, with what the alternative `changes`.
pub fn compare(
    loads: &[Result<Load, String>],
    axes: &Axes,
    alt_caption: &str,
    changes: &str,
    boot: bool,
    (phones, millis): (u32, f64),
    w: &Words,
) -> String {
    let (current, alt) = (&loads[0], &loads[1]);
    format!(
        r#"<p class="note" data-testid="fleet-changes">{}</p><div class="fleet-compare">{}{}</div><p class="note" data-testid="fleet-counted">{}</p><p class="note" data-testid="fleet-time" data-ms="{ms}">{}</p>"#,
        render::escape(changes),
        render::fleet_figure(
            w.t(en!("These settings: peak")),
            "fleet-peak",
            w.t(en!("Requests per minute with these settings; the figures below give the numbers.")),
            current,
            axes,
            w,
        ),
        render::fleet_figure(
            alt_caption,
            "fleet-alt-peak",
            w.t(en!("Requests per minute with the alternative; the figures below give the numbers.")),
            alt,
            axes,
            w,
        ),
        counted(boot, w),
        w.fill(en!("Computed in {0} ms for {1}, each following the single-phone rules; both charts share one scale; buckets start on whole minutes."), &[&w.decimal(millis, 1), &w.count(phones as usize, en!("{0} phone"), en!("{0} phones"))]),
        ms = decimal(millis, 1),
    )
}

/// What the alternative changes, in a sentence: `prov_polling_mode random → rel`.
pub fn changes(alt: Alternative, settings: &Settings, spread: u32, w: &Words) -> String {
    let unset = w.t(en!("not set")).to_owned();
    let parts: Vec<String> = alt
        .changes(settings, spread)
        .into_iter()
        .map(|c| {
            let (from, to) = (
                c.from.unwrap_or(unset.clone()),
                c.to.unwrap_or(unset.clone()),
            );
            match c.key {
                Some(key) => format!("{} {from} → {to}", key.name()),
                None => {
                    let seconds = |s: String| w.duration(s.parse().unwrap_or(0));
                    w.fill(
                        en!("taking effect over {0} → {1}"),
                        &[&seconds(from), &seconds(to)],
                    )
                }
            }
        })
        .collect();
    if parts.is_empty() {
        w.t(en!(
            "The alternative is the same as these settings: choose another to compare."
        ))
        .to_owned()
    } else {
        w.fill(en!("The alternative changes: {0}."), &[&parts.join("; ")])
    }
}
