//! Formats provpoll writes and reads besides settings files.
//!
//! - [`store`]: saved work and share links, as text.
//! - [`zip`]: a zip archive of files stored as they are.

pub mod store;
pub mod zip;
