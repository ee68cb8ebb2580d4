//! The readers of files from elsewhere, as the fuzzer drives them
//! (`examples/fuzz_readers.rs`) and the test command replays its corpus
//! (`tests/fuzz_corpus.rs`): each must answer every input with records or
//! an error, never a panic or a hang.

use crate::import::{self, ImportFormat, ImportOptions};
use crate::transfer::BackupFile;

/// The readers.
pub const READERS: [&str; 4] = ["csv", "vcard", "json", "backup"];

/// Runs one reader over `bytes`; `true` when it read records, `false` when
/// it refused the input with an error.
pub fn read(reader: &str, bytes: &[u8]) -> bool {
    let format = match reader {
        "csv" => ImportFormat::Csv,
        "vcard" => ImportFormat::Vcard,
        "json" => ImportFormat::Json,
        _ => return BackupFile::from_slice(bytes).and_then(|b| b.verify()).is_ok(),
    };
    let options = ImportOptions { format, ..Default::default() };
    import::parse(bytes, &format!("fuzz.{reader}"), &options).is_ok()
}
