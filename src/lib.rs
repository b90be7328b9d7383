//! provpoll: when snom desk phones fetch their provisioning files, and lossless editing of the
//! settings that decide it.
//!
//! The floors, from the bottom up; each imports only from the floors below it:
//! - [`words`]: a language's words, and dates and numbers as each language writes them.
//! - [`core`]: the settings, their checks, what the phone does, time zones, the schedule, the
//!   fleet's load, settings files and provisioning folders. No markup, no browser, no file
//!   system.
//! - [`text`]: the schedule in words, the timeline's layout, and the markup of the page and its
//!   worker, as pure functions of the core's values.
//! - [`formats`]: saved work and share links, and zip archives, as bytes and text.
//! - The front ends: `web` (the browser's zones and methods, and the protocol between the page
//!   and its worker), `app` (the page) and `worker` (its worker), on wasm32; `cli` (the
//!   command line) natively.

/// Marks an English text that the page shows, for the table of each other language
/// ([`words`]); it is the text itself.
#[macro_export]
macro_rules! en {
    ($text:literal) => {
        $text
    };
}

pub mod core;
pub mod formats;
pub mod text;
pub mod words;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(target_arch = "wasm32")]
pub mod app;

#[cfg(target_arch = "wasm32")]
pub mod worker;
