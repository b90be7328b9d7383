//! Every element the page's worker writes into, named once: where the page's static markup
//! holds it ([`PAGE`]), or where the worker's own markup of the log's view does ([`LOG_VIEW`]).
//! `tests/protocol_ids.rs` holds each list to the markup that must hold it.

pub const FOLDER_STATUS: &str = "folder-status";
pub const FOLDER_PROGRESS: &str = "folder-progress";
pub const FOLDER_BODY: &str = "folder-body";
pub const FOLDER_CLOSE: &str = "folder-close";
pub const FOLDER_EDITING: &str = "folder-editing";
pub const FOLDER_FILTER: &str = "folder-filter";
pub const FOLDER_SORT: &str = "folder-sort";
pub const FOLDER_TARGET: &str = "folder-target";
pub const FOLDER_ROWS: &str = "folder-rows";
pub const FOLDER_NOTE: &str = "folder-note";
pub const FOLDER_PLAN: &str = "folder-plan";
pub const FOLDER_WRITE: &str = "folder-write";
pub const FOLDER_WRITE_BACK: &str = "folder-write-back";
pub const FOLDER_UNREAD: &str = "folder-unread";
pub const FOLDER_FINDINGS: &str = "folder-findings";
pub const LOG_STATUS: &str = "log-status";
pub const LOG_PROGRESS: &str = "log-progress";
pub const LOG_PROGRESS_BAR: &str = "log-progress-bar";
pub const LOG_FILES: &str = "log-files";
pub const LOG_CLOSE: &str = "log-close";
pub const LOG_BODY: &str = "log-body";
pub const FILE_PROBLEMS: &str = "file-problems";
pub const FILE_REJECTED: &str = "file-rejected";
// The elements of the log's view that the worker draws again alone (a filter changes the rows
// and their note, a phone chosen the strip), so the control in use keeps its focus.
/// The filter by verdict, whose changes the worker's input reads.
pub const LOG_FILTER: &str = "log-filter";
/// The chosen phone's time strip.
pub const LOG_STRIP: &str = "log-strip";
/// The log's table's rows.
pub const LOG_ROWS: &str = "log-rows";
/// The note under the log's table.
pub const LOG_NOTE: &str = "log-note";

/// The ids (by name, and value) the page's markup holds, each once (`app::folder_panel`, `app::log_panel`,
/// `app::file_panel`).
pub const PAGE: [(&str, &str); 23] = [
    ("FOLDER_STATUS", FOLDER_STATUS),
    ("FOLDER_PROGRESS", FOLDER_PROGRESS),
    ("FOLDER_BODY", FOLDER_BODY),
    ("FOLDER_CLOSE", FOLDER_CLOSE),
    ("FOLDER_EDITING", FOLDER_EDITING),
    ("FOLDER_FILTER", FOLDER_FILTER),
    ("FOLDER_SORT", FOLDER_SORT),
    ("FOLDER_TARGET", FOLDER_TARGET),
    ("FOLDER_ROWS", FOLDER_ROWS),
    ("FOLDER_NOTE", FOLDER_NOTE),
    ("FOLDER_PLAN", FOLDER_PLAN),
    ("FOLDER_WRITE", FOLDER_WRITE),
    ("FOLDER_WRITE_BACK", FOLDER_WRITE_BACK),
    ("FOLDER_UNREAD", FOLDER_UNREAD),
    ("FOLDER_FINDINGS", FOLDER_FINDINGS),
    ("LOG_STATUS", LOG_STATUS),
    ("LOG_PROGRESS", LOG_PROGRESS),
    ("LOG_PROGRESS_BAR", LOG_PROGRESS_BAR),
    ("LOG_FILES", LOG_FILES),
    ("LOG_CLOSE", LOG_CLOSE),
    ("LOG_BODY", LOG_BODY),
    ("FILE_PROBLEMS", FILE_PROBLEMS),
    ("FILE_REJECTED", FILE_REJECTED),
];

/// The ids the worker's markup of the log's view holds, each once (`text::log::body`).
pub const LOG_VIEW: [&str; 4] = [LOG_FILTER, LOG_STRIP, LOG_ROWS, LOG_NOTE];
