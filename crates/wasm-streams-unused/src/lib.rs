//! The part of `wasm-streams`' API that `server_fn` names (Leptos's server functions, which
//! provpoll does not use), with none of its `#[wasm_bindgen]` exports: wasm-bindgen exports
//! those whether anything calls them or not, and they cost the page 5,610 B gzipped and the
//! worker 1,040 B (BENCHMARKS.md, issue 16). A request body from a Rust stream is never made here; a response body reads
//! as empty. `Cargo.toml`'s `[patch.crates-io]` puts this crate in the real one's place.

use futures_util::Stream;
use wasm_bindgen::{JsCast, JsValue};

/// A JavaScript `ReadableStream`, as `wasm_streams::ReadableStream` wraps it.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        ReadableStream { raw }
    }

    /// An empty stream in place of `stream` (only a server function's streaming request asks).
    pub fn from_stream<St>(_stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let raw = web_sys::ReadableStream::new().unwrap_or_else(|e| e.unchecked_into());
        ReadableStream { raw }
    }

    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// Nothing (only a server function's streaming response asks).
    pub fn into_stream(self) -> futures_util::stream::Empty<Result<JsValue, JsValue>> {
        futures_util::stream::empty()
    }
}
