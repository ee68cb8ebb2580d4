//! The Tauri commands: the UI's only way into the core, one file per area.
//! Each is parse → one core call → present (errors mapped, rule outcomes
//! shown); they run off the main thread.
//!
//! Every `#[tauri::command]` function here is registered, permitted to the
//! main window and wrapped for the UI by `src-tauri/build.rs`: adding one
//! is writing it.

pub mod contacts;
pub mod data;
pub mod deals;
mod dialog;
pub mod field;
pub mod settings;
pub mod sync;
pub mod tasks;
pub mod updates;
