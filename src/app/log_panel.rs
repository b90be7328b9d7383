//! The server log's panel: open a log (several files at once are one log; or drop it on the
//! page) and the worker reads it as a stream and holds it against the folder; choose a phone
//! of its table for its time strip.

use super::{State, browser, worker_link};
use crate::web::protocol::ToWorker;

/// The panel's markup.
pub const MARKUP: &str = concat!(
    r#"<section class="panel log" aria-labelledby="log-heading">"#,
    r#"<h2 id="log-heading">Server log</h2>"#,
    r#"<p class="help">Your provisioning server's access log (common or combined, gzip too, several files at once), each phone held against the folder. Nothing leaves this browser.</p>"#,
    r#"<div class="buttons"><button type="button" data-action="open-log">Open a server log…</button>"#,
    r#"<input id="import-log" class="visually-hidden" type="file" tabindex="-1" multiple aria-label="Open a server log">"#,
    r#"<button type="button" id="log-close" data-action="log-close" hidden>Close the log</button></div>"#,
    r#"<p class="progress" id="log-progress" hidden><progress id="log-progress-bar" max="100" value="0" aria-label="Reading the log"></progress> <button type="button" data-action="log-cancel">Cancel</button></p>"#,
    r#"<p class="status" role="status" id="log-status" data-own-words></p>"#,
    r#"<ul class="log-files" id="log-files" data-own-words></ul>"#,
    r#"<div id="log-body" data-own-words hidden></div></section>"#,
);

/// The log picked with the panel's `<input type="file">`.
pub fn picked(state: State, input: &web_sys::HtmlInputElement) {
    if let Some(files) = input.files() {
        worker_link::open_log(state, &files);
    }
    input.set_value("");
}

/// A control of the log's panel, by its `data-action` (`data` reads the control's other
/// attributes); `false` for one not the log's.
pub fn action(action: &str, data: &dyn Fn(&str) -> Option<String>) -> bool {
    match action {
        "open-log" => browser::click("import-log"),
        crate::text::log::PHONE => worker_link::post(ToWorker::Input {
            id: crate::text::log::PHONE.to_owned(),
            value: data("data-mac").unwrap_or_default(),
        }),
        _ => return false,
    }
    true
}
