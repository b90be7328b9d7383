// Starts the page's folder worker (src/worker/mod.rs): wasm-bindgen's loader, then its module, both
// built by Trunk beside the page. Trunk copies this file into dist/ as it is.
importScripts('provpoll-worker.js');
wasm_bindgen('provpoll-worker_bg.wasm');
