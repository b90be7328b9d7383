//! The few browser services the app uses, each failing softly: a missing service is a message,
//! never a panic.

use chrono::{DateTime, Utc};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the work is kept: the draft at each edit, the imported file when it changes.
pub const DRAFT_KEY: &str = "provpoll.draft";
pub const FILE_KEY: &str = "provpoll.file";

/// The current instant, to the second.
pub fn now() -> DateTime<Utc> {
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp(millis.div_euclid(1000), 0).unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load_saved(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Keeps `text` under `key` (removes it for `None`); `Err` with a reason when the browser
/// refuses (private mode, quota).
pub fn save(key: &str, text: Option<&str>) -> Result<(), String> {
    let storage = storage().ok_or_else(|| t!("this browser offers no local storage").to_owned())?;
    match text {
        Some(text) => storage.set_item(key, text),
        None => storage.remove_item(key),
    }
    .map_err(|_| t!("the browser's local storage is full or disabled").to_owned())
}

pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page's address with `fragment` as its hash.
pub fn link_with_fragment(fragment: &str) -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}#{fragment}")
}

/// Replaces the hash without a new history entry or a reload.
pub fn clear_hash() {
    if let Some(window) = web_sys::window() {
        let path = window.location().pathname().unwrap_or_default();
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
}

pub async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(text);
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| {
        t!("the browser refused to copy; select the text and copy it by hand").to_owned()
    })
}

/// Offers `bytes` as a download named `name`, an XML file.
pub fn download(name: &str, bytes: &[u8]) -> Result<(), String> {
    download_as(name, bytes, "application/xml")
}

/// Offers `bytes` as a download named `name`, of the MIME type `kind`.
pub fn download_as(name: &str, bytes: &[u8], kind: &str) -> Result<(), String> {
    let fail = |_| t!("the browser refused the download").to_owned();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(kind);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "no anchor element".to_owned())?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Waits for the browser's next task: what comes after runs in a task of its own.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |ok, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&ok);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A loop over thousands of items on the page's thread, kept in tasks of a few milliseconds
/// whatever the machine's speed: [`Pacer::pace`] gives the thread back to the browser once
/// `PACE_MS` have gone since it last did (a count of items per task held a slower machine,
/// or a busy one, over 50 ms).
pub struct Pacer(f64);

const PACE_MS: f64 = 8.0;

impl Pacer {
    pub fn new() -> Pacer {
        Pacer(millis())
    }

    pub async fn pace(&mut self) {
        if millis() - self.0 > PACE_MS {
            next_task().await;
            self.0 = millis();
        }
    }
}

/// The page's clock, in milliseconds (0 where the browser has none).
fn millis() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The bytes of a file the user picked or dropped, in the browser's memory.
pub async fn read_array(file: &web_sys::Blob, name: &str) -> Result<Uint8Array, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| tf!("{0} could not be read", name))?;
    Ok(Uint8Array::new(&buffer))
}

/// Asks the user to confirm `question`; false when the browser cannot ask.
pub fn confirm(question: &str) -> bool {
    web_sys::window().is_some_and(|w| w.confirm_with_message(question).unwrap_or(false))
}

/// Clicks the element with `id` (a hidden file input, from its visible button).
pub fn click(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.click();
    }
}

/// The `value` of the form control with `id` (empty where there is none); with `new`, sets it.
pub fn field_value(id: &str, new: Option<&str>) -> String {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return String::new();
    };
    let old = js_sys::Reflect::get(&el, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    if let Some(new) = new {
        let _ = js_sys::Reflect::set(&el, &"value".into(), &new.into());
    }
    old
}

/// The `name` and `value` of the control an event came from.
pub fn target_name_value(ev: &web_sys::Event) -> Option<(String, String)> {
    let target = ev.target()?;
    let get = |key: &str| js_sys::Reflect::get(&target, &key.into()).ok()?.as_string();
    Some((get("name")?, get("value")?))
}

/// Whether the browser can open a folder to write back into (the File System Access API).
pub fn can_pick_folder() -> bool {
    web_sys::window().is_some_and(|w| {
        js_sys::Reflect::get(&w, &"showDirectoryPicker".into()).is_ok_and(|f| f.is_function())
    })
}

/// Asks the user for a folder to read and later write (File System Access API): its handle,
/// for the folder's worker to read and write.
pub async fn pick_folder() -> Result<JsValue, String> {
    let window: JsValue = web_sys::window().ok_or("no window")?.into();
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"mode".into(), &"readwrite".into());
    crate::web::js::call(&window, "showDirectoryPicker", &[options.into()])
        .await
        .map_err(|_| t!("No folder was opened.").to_owned())
}

/// A picked file's path within the folder picked (`webkitRelativePath` without the folder's
/// own name), or its name.
pub fn relative_path(file: &web_sys::File) -> String {
    let relative = js_sys::Reflect::get(file, &"webkitRelativePath".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    match relative.split_once('/') {
        Some((_, rest)) if !rest.is_empty() => rest.to_owned(),
        _ => file.name(),
    }
}

fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// Sets the markup inside the element with `id` (views that draw themselves as markup text).
pub fn set_html(id: &str, html: &str) {
    if let Some(el) = element(id) {
        el.set_inner_html(html);
    }
}

/// Adds markup at the end of the element with `id`.
pub fn append_html(id: &str, html: &str) {
    // Called by name: web-sys's binding would add its own shim to the page's JavaScript.
    if let Some(el) = element(id) {
        let _ = js_sys::Reflect::get(&el, &"insertAdjacentHTML".into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
            .and_then(|f| f.call2(&el, &"beforeend".into(), &html.into()));
    }
}

/// Scrolls the element with `id` into view (a door, or a link of the page's bar).
pub fn scroll_to(id: &str) {
    // Called by name: web-sys's binding would add its own shim to the page's JavaScript.
    if let Some(el) = element(id) {
        let _ = js_sys::Reflect::get(&el, &"scrollIntoView".into())
            .and_then(|f| f.dyn_into::<js_sys::Function>())
            .and_then(|f| f.call0(&el));
    }
}

/// Shows or hides the element with `id` (its `hidden` attribute).
pub fn show(id: &str, shown: bool) {
    if let Some(el) = element(id) {
        let _ = if shown {
            el.remove_attribute("hidden")
        } else {
            el.set_attribute("hidden", "")
        };
    }
}

/// Sets an attribute of the element with `id`.
pub fn set_attribute(id: &str, name: &str, value: &str) {
    if let Some(el) = element(id) {
        let _ = el.set_attribute(name, value);
    }
}

/// The languages the browser prefers, the most preferred first (`navigator.languages`).
pub fn languages() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let navigator = window.navigator();
    let mut tags: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if tags.is_empty() {
        tags.extend(navigator.language());
    }
    tags
}

/// Sets `<html lang>`.
pub fn set_lang(tag: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", tag);
    }
}

/// The text of a file the page's own server serves (the page's policy allows its own origin
/// only).
pub async fn fetch_text(path: &str) -> Result<String, String> {
    let window: JsValue = web_sys::window().ok_or("no window")?.into();
    let fail = |_| format!("{path} could not be loaded");
    let response = crate::web::js::call(&window, "fetch", &[path.into()])
        .await
        .map_err(fail)?;
    if !crate::web::js::get(&response, "ok").is_truthy() {
        return Err(fail(JsValue::NULL));
    }
    crate::web::js::call(&response, "text", &[])
        .await
        .map_err(fail)?
        .as_string()
        .ok_or_else(|| fail(JsValue::NULL))
}

/// Calls `callback` with the entries of an `IntersectionObserver` watching the element with
/// `id`; false where the browser has none.
pub fn observe(id: &str, callback: &JsValue) -> bool {
    let Some(el) = element(id) else { return false };
    let Ok(class) = js_sys::Reflect::get(&js_sys::global(), &"IntersectionObserver".into()) else {
        return false;
    };
    let Ok(class) = class.dyn_into::<js_sys::Function>() else {
        return false;
    };
    let Ok(observer) = js_sys::Reflect::construct(&class, &Array::of1(callback)) else {
        return false;
    };
    js_sys::Reflect::get(&observer, &"observe".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .is_some_and(|f| f.call1(&observer, &el).is_ok())
}
