//! The elements the worker writes into (`src/web/protocol.rs`'s `id`) stand in the page's
//! markup: each id once, in the folder panel's static markup or a view of the page. (The
//! protocol is wasm32 only; this reads the sources.)

use std::fs;

fn source(path: &str) -> String {
    fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn every_id_the_worker_names_is_in_the_page() {
    let protocol = source("src/web/protocol.rs");
    let ids: Vec<(&str, &str)> = protocol
        .lines()
        .filter_map(|l| {
            let l = l.trim().strip_prefix("pub const ")?;
            let (name, rest) = l.split_once(": &str = \"")?;
            Some((name, rest.strip_suffix("\";")?))
        })
        .collect();
    assert!(ids.len() >= 15, "{ids:?}");
    let page: String = [
        "src/app/folder_panel.rs",
        "src/app/log_panel.rs",
        "src/app/file_panel.rs",
    ]
    .iter()
    .map(|p| source(p))
    .collect();
    for (name, value) in ids {
        let in_markup = page.matches(&format!(" id=\"{value}\"")).count();
        let in_views = page.matches(&format!(" id=id::{name}")).count();
        assert_eq!(in_markup + in_views, 1, "{name} = {value}");
    }
}
