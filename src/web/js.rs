//! Browser methods called by name (wasm32 only): the File System Access API and the like, which
//! web-sys offers only behind unstable flags. The page and the folder's worker both use it.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Calls the method `name` of `target`, which gives a promise, and waits for it.
pub async fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    start(target, name, args)?.await
}

/// Calls the method `name` of `target` now, and gives its promise to wait for later (the
/// browser works on it meanwhile).
pub fn start(target: &JsValue, name: &str, args: &[JsValue]) -> Result<JsFuture, JsValue> {
    promise(target, name, args).map(JsFuture::from)
}

/// Calls the method `name` of `target` now: its promise.
pub fn promise(target: &JsValue, name: &str, args: &[JsValue]) -> Result<Promise, JsValue> {
    let method: Function = Reflect::get(target, &name.into())?.dyn_into()?;
    let args: Array = args.iter().collect();
    method.apply(target, &args)?.dyn_into()
}

/// The property `key` of `target`; `undefined` where there is none.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or_default()
}
