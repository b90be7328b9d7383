//! What is dropped on the page besides a settings file (the file panel's drop listener hands
//! it over): a folder, many files, or a server's log, each to its panel.

use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{State, folder_panel, worker_link};
use crate::web::protocol::ToWorker;

/// Many files, or a folder, dropped anywhere on the page open as the folder (the page's drop
/// listener, in the file panel, hands them over). A dropped folder is read where the browser
/// can (`getAsFileSystemHandle`), but not written back: the changed files come as a zip. Many
/// files of which none is a settings file by its name (`access.log`, `access.log.1.gz`) are a
/// server's log, read as one; the worker says of each file whether it holds requests.
pub fn dropped(state: State, ev: &web_sys::DragEvent) {
    if !folder_panel::started() {
        return;
    }
    let Some(data) = ev.data_transfer() else {
        return;
    };
    let items = data.items();
    let handle = (0..items.length()).find_map(|i| {
        let item = items.get(i)?;
        let get = js_sys::Reflect::get(&item, &"getAsFileSystemHandle".into()).ok()?;
        let promise = get.dyn_into::<js_sys::Function>().ok()?.call0(&item).ok()?;
        promise.dyn_into::<js_sys::Promise>().ok()
    });
    match (handle, data.files()) {
        // A folder (the worker says so if the handle is not one).
        (Some(handle), _) if items.length() == 1 => spawn_local(async move {
            if let Ok(root) = JsFuture::from(handle).await {
                folder_panel::reset_folder();
                worker_link::post(ToWorker::Dir {
                    handle: root,
                    writable: false,
                });
            }
        }),
        (_, Some(list)) => folder_panel::open_list(state, &list, true),
        _ => {}
    }
}
