//! provpoll: when snom desk phones fetch their provisioning files, and lossless editing of the
//! settings that decide it.
//!
//! - [`settings`]: the polling settings, as text and validated.
//! - [`rule`]: what the phone does for given settings, decided once.
//! - [`message`]: every error and warning as a value, and its words.
//! - [`schedule`]: the fetches those settings cause, as a lazy iterator.
//! - [`zone`]: time zones, with the spec's DST rules, from any source of offsets.
//! - [`file`]: reading and editing snom XML settings files byte for byte.
//! - [`fleet`]: the load a fleet of phones puts on the provisioning server.
//! - [`folder`]: a provisioning folder: which files each phone reads, what it ends up with, and
//!   where an edit for some phones is written.
//! - [`summary`]: the schedule in words.
//! - [`timeline`]: the timeline's marks and ticks, as numbers.
//! - [`store`]: saved work and share links, as text.
//! - [`render`]: the timeline and the fetch list as markup text.
//! - [`table`]: a provisioning folder's phones, findings and edit plans as markup text.
//! - [`zip`]: a zip archive of files stored as they are.
//! - [`words`]: the page's words in English and German, dates and numbers as each writes them.
//!
//! None of these uses a browser crate: the app (`app`, wasm32 only) and the command line (`cli`,
//! native only) are thin layers over them.

/// Marks an English text that the page shows, for the table of each other language
/// ([`words`]); it is the text itself.
#[macro_export]
macro_rules! en {
    ($text:literal) => {
        $text
    };
}

pub mod check;
pub mod file;
pub mod fleet;
pub mod folder;
pub mod message;
pub mod render;
pub mod rule;
pub mod schedule;
pub mod settings;
pub mod store;
pub mod summary;
pub mod table;
pub mod timeline;
pub mod words;
pub mod zip;
pub mod zone;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod app;

/// Time zones from the browser's `Intl` (wasm32 only: the page and its worker).
#[cfg(target_arch = "wasm32")]
pub mod intl;

/// Browser methods called by name (wasm32 only: the page and its worker).
#[cfg(target_arch = "wasm32")]
pub mod js;

#[cfg(target_arch = "wasm32")]
pub mod worker;

/// The fleet's load, counted in the worker (wasm32 only).
#[cfg(target_arch = "wasm32")]
pub mod fleet_run;
