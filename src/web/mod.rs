//! What the page and its worker share in the browser (wasm32 only).
//!
//! - [`intl`]: time zones from the browser's `Intl`.
//! - [`js`]: browser methods called by name.
//! - [`protocol`]: the messages between the page and its worker.

pub mod intl;
pub mod js;
pub mod protocol;
