//! Opens a Kontor data directory's sled database, as `Store::open` does, and
//! exits: the baseline of `measure-scale.sh` for a one-shot process (sled's
//! own open time, which a `kontor` command cannot go below).
//!
//! `cargo run --release --example sled_open -- DATA_DIR`

#![allow(missing_docs)]

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: sled_open DATA_DIR"));
    let db =
        sled::Config::new().path(dir.join("store")).cache_capacity(32 * 1024 * 1024).open().expect("open");
    drop(db);
}
