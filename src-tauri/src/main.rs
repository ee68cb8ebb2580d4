//! The `kontor-desktop` binary.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The allocator the binaries ship with (see the workspace manifest).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    kontor_desktop::run();
}
