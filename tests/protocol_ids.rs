//! The elements the worker writes into stand where the worker looks for them, each once. Their
//! ids are named once, in `provpoll::text::ids`: those of the page's static markup (the folder's
//! and the log's panels, the file panel: wasm32 code, read here as source) and those of the
//! log's view, which the worker draws itself (rendered here, as the worker renders it).

use std::fs;

use provpoll::text::ids::{LOG_VIEW, PAGE};
use provpoll::text::log::{Rows, body};
use provpoll::words::Words;

fn source(path: &str) -> String {
    fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn every_id_the_worker_names_is_in_the_page_once() {
    let page: String = [
        "src/app/folder_panel.rs",
        "src/app/log_panel.rs",
        "src/app/file_panel.rs",
    ]
    .iter()
    .map(|p| source(p))
    .collect();
    for (name, value) in PAGE {
        let in_markup = page.matches(&format!(" id=\"{value}\"")).count();
        let in_views = page.matches(&format!(" id=id::{name}")).count();
        assert_eq!(in_markup + in_views, 1, "{name} = {value}");
    }
}

#[test]
fn every_id_of_the_log_view_is_in_its_markup_once() {
    let rows = Rows {
        html: String::new(),
        matching: 0,
        shown: 0,
    };
    let markup = body(&[], None, &rows, "", "", &Words::english());
    for value in LOG_VIEW {
        assert_eq!(
            markup.matches(&format!(" id=\"{value}\"")).count(),
            1,
            "{value}"
        );
    }
    // And none of them is the page's: the worker's view never doubles one.
    for (_, value) in PAGE {
        assert!(!markup.contains(&format!(" id=\"{value}\"")), "{value}");
    }
}
