//! The readers of files from elsewhere, as the fuzzer drives them
//! (`examples/fuzz_readers.rs`) and the test command replays its corpus
//! (`tests/fuzz_corpus.rs`): each must answer every input with records or
//! an error, never a panic or a hang.

use crate::backup_file::BackupFile;
use crate::import::{self, ImportFormat, ImportOptions};

/// The readers.
pub const READERS: [&str; 4] = ["csv", "vcard", "json", "backup"];

/// Runs one reader over `bytes`; `true` when it read records, `false` when
/// it refused the input with an error.
pub fn read(reader: &str, bytes: &[u8]) -> bool {
    let format = match reader {
        "csv" => ImportFormat::Csv,
        "vcard" => ImportFormat::Vcard,
        "json" => ImportFormat::Json,
        _ => {
            // The restore's reader, and the stream check automatic backups
            // are read back with: both must refuse what the other refuses.
            let whole =
                BackupFile::from_slice(bytes).and_then(|b| crate::store::check_backup(&b.manifest, &b.data));
            let plain = match bytes.starts_with(&[0x1f, 0x8b]) {
                true => Box::new(flate2::read::GzDecoder::new(bytes)) as Box<dyn std::io::Read>,
                false => Box::new(bytes),
            };
            let streamed = crate::store::verify_backup_stream(plain);
            assert!(
                streamed.is_err() || whole.is_ok(),
                "the stream check accepted a backup the restore refuses: {whole:?}"
            );
            return whole.is_ok();
        }
    };
    let options = ImportOptions { format, ..Default::default() };
    import::parse(bytes, &format!("fuzz.{reader}"), &options).is_ok()
}
