//! The `kontor-desktop` binary.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    kontor_desktop::run();
}
