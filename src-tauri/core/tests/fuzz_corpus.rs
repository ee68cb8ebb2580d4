//! Replays the fuzzer's corpus (`tests/fixtures/fuzz/`, inputs the mutation
//! fuzzer made from real files, named by reader) and the real files
//! themselves through every reader of outside files: each answers with
//! records or an error, never a panic.

use std::path::Path;

use kontor_core::fuzzing::{read, READERS};

#[test]
fn the_fuzz_corpus_and_the_real_files_read_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut replayed = 0;
    for entry in std::fs::read_dir(root.join("fuzz")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let reader =
            READERS.iter().find(|r| name.starts_with(&format!("{r}-"))).expect("named by its reader");
        let bytes = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| read(reader, &bytes));
        assert!(outcome.is_ok(), "{name}: the {reader} reader panicked");
        replayed += 1;
    }
    assert!(replayed >= 40, "the corpus holds {replayed} inputs");
    // Every real file through every reader (a vCard read as CSV, say).
    for entry in std::fs::read_dir(root.join("import")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for reader in READERS {
            assert!(std::panic::catch_unwind(|| read(reader, &bytes)).is_ok(), "{reader}");
        }
    }
}

/// The input on which the CSV reader overflowed its stack in the fuzzer's
/// first hour (seed 7, past input 4.5 million; the reader then called itself to
/// read on past each stray quote, and this 4 KB input has 69 quotes).
/// Found again with that reader and `--current`; read now in a thread with
/// a quarter of a spawned thread's stack.
#[test]
fn the_input_that_overflowed_the_csv_readers_stack_reads_in_a_small_stack() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz/csv-stack-overflow-7");
    let bytes = std::fs::read(path).unwrap();
    let outcome =
        std::thread::Builder::new().stack_size(512 * 1024).spawn(move || read("csv", &bytes)).unwrap().join();
    assert!(outcome.is_ok(), "the CSV reader panicked or overflowed");
}
