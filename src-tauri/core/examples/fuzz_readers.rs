//! A mutation fuzzer for the readers of outside files (CSV, vCard, JSON,
//! backups): real files as seeds (the import fixtures and a backup of a
//! small store), mutated by byte flips, insertions, deletions, repeats and
//! splices with a fixed-seed generator. Each input runs in a worker thread:
//! a panic or an input slower than `--slow` is saved to `--out` and counted;
//! one that does not end within a minute stops the run (a hang).
//!
//! `cargo run --release -p kontor-core --example fuzz_readers -- \
//!     [--reader csv|vcard|json|backup] [--seconds 60] [--seed 1] [--out DIR] [--keep N] [--current FILE] [--skip N]`
//!
//! Stable Rust has no coverage-guided fuzzing here (cargo-fuzz needs a
//! nightly toolchain), hence the seeds. `--keep N` writes N of the inputs
//! that were refused with an error (their byte shapes reach the readers'
//! error paths) into `--out`, for the corpus the test command replays.
#![allow(missing_docs, clippy::disallowed_methods)]

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kontor_core::fuzzing;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the readers' grammars.
const TOKENS: [&[u8]; 16] = [
    b",",
    b";",
    b"\t",
    b"\"",
    b"\r\n",
    b"\n",
    b"BEGIN:VCARD\r\n",
    b"END:VCARD\r\n",
    b"=\r\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"contacts\":",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
];

fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(out.len() + 1);
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at, rng.next() as u8),
            2 if !out.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(out.len());
                out.drain(at.min(end)..end);
            }
            3 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            4 if !out.is_empty() => {
                // Repeat a stretch (long lines, many columns, deep nesting).
                let start = at.min(out.len() - 1);
                let end = (start + 1 + rng.below(32)).min(out.len());
                let piece = out[start..end].to_vec();
                for _ in 0..rng.below(200) {
                    out.splice(start..start, piece.iter().copied());
                }
            }
            5 if !other.is_empty() => {
                // Splice in a stretch of another seed.
                let from = rng.below(other.len());
                let to = (from + rng.below(256)).min(other.len());
                out.splice(at..at, other[from..to].iter().copied());
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// One seed mutated, with a stretch of another to splice in.
fn next_input(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let s = &seeds[rng.below(seeds.len())];
    let other = &seeds[rng.below(seeds.len())];
    mutate(rng, s, other)
}

fn seeds(reader: &str) -> Vec<Vec<u8>> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let ext = match reader {
        "csv" => "csv",
        "vcard" => "vcf",
        _ => "json",
    };
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(&fixtures)
        .map(|d| d.flatten().map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    if reader == "json" || reader == "backup" {
        // A small store written through the API: its contacts and its backup.
        let dir = tempfile::tempdir().expect("temp dir");
        let store = kontor_core::Store::open(dir.path()).expect("store");
        for f in ["google_contacts.csv", "android.vcf"] {
            let bytes = std::fs::read(fixtures.join(f)).expect("fixture");
            let options = kontor_core::import::ImportOptions::default();
            let parsed = kontor_core::import::parse(&bytes, f, &options).expect("parse");
            store.import(parsed, f, &options, false, |_, _| true, chrono::Utc::now()).expect("import");
        }
        let now = chrono::Utc::now();
        let contacts = store
            .list_contacts(&kontor_core::ListQuery { limit: 1000, ..Default::default() }, now)
            .unwrap()
            .items;
        let (manifest, data) = store.backup("fuzz", now).expect("backup");
        match reader {
            "json" => out.push(serde_json::to_vec_pretty(&contacts).unwrap()),
            _ => {
                out.push(kontor_core::backup_file::BackupFile { manifest, data }.to_vec().unwrap());
                // As the automatic backups are written (data first, canonical).
                let mut streamed = Vec::new();
                store.write_backup(&mut streamed, "fuzz", now).expect("backup");
                out.push(streamed);
            }
        }
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut readers, mut seconds, mut seed, mut out, mut keep) =
        (fuzzing::READERS.to_vec(), 60u64, 1u64, PathBuf::from("fuzz-out"), 0usize);
    let mut current: Option<PathBuf> = None;
    let mut skip = 0u64;
    while let Some(a) = args.next() {
        let mut value = || args.next().expect("a value");
        match a.as_str() {
            "--reader" => {
                let r = value();
                readers.retain(|x| *x == r);
            }
            "--seconds" => seconds = value().parse().expect("seconds"),
            "--seed" => seed = value().parse().expect("seed"),
            "--out" => out = PathBuf::from(value()),
            "--keep" => keep = value().parse().expect("count"),
            // Each input is written here before it is read, so an abort the
            // process cannot catch (a stack overflow) leaves its input
            // behind (put it on a tmpfs: /dev/shm).
            "--current" => current = Some(PathBuf::from(value())),
            // Makes and drops the first N inputs unread: a run with the same
            // seed goes on where an earlier one stopped.
            "--skip" => skip = value().parse().expect("count"),
            other => panic!("unknown argument {other}"),
        }
    }
    std::fs::create_dir_all(&out).expect("out dir");
    // Panics are counted, not printed a thousand times.
    std::panic::set_hook(Box::new(|_| {}));
    let mut failed = false;
    for reader in readers {
        let seeds = seeds(reader);
        assert!(!seeds.is_empty(), "no seeds for {reader}");
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let (mut runs, mut accepted, mut panics, mut slow, mut kept) = (0u64, 0u64, 0u64, 0u64, 0usize);
        let mut slowest = Duration::ZERO;
        for _ in 0..skip {
            next_input(&mut rng, &seeds);
        }
        let end = Instant::now() + Duration::from_secs(seconds);
        let (to_worker, inputs) = mpsc::channel::<Vec<u8>>();
        let (to_main, results) = mpsc::channel::<std::thread::Result<bool>>();
        let worker = std::thread::spawn(move || {
            for input in inputs {
                let r = std::panic::catch_unwind(|| fuzzing::read(reader, &input));
                if to_main.send(r).is_err() {
                    break;
                }
            }
        });
        while Instant::now() < end {
            let input = next_input(&mut rng, &seeds);
            if let Some(path) = &current {
                std::fs::write(path, &input).expect("current input");
            }
            let started = Instant::now();
            to_worker.send(input.clone()).expect("worker");
            let result = match results.recv_timeout(Duration::from_secs(60)) {
                Ok(r) => r,
                Err(_) => {
                    std::fs::write(out.join(format!("{reader}-hang-{runs}")), &input).unwrap();
                    eprintln!("{reader}: an input did not end within a minute (saved); stopping");
                    std::process::exit(1);
                }
            };
            let took = started.elapsed();
            slowest = slowest.max(took);
            runs += 1;
            match result {
                Ok(true) => accepted += 1,
                Ok(false) => {
                    if kept < keep && rng.below(200) == 0 && input.len() < 16 * 1024 {
                        std::fs::write(out.join(format!("{reader}-{seed}-{runs}")), &input).unwrap();
                        kept += 1;
                    }
                }
                Err(_) => {
                    panics += 1;
                    std::fs::write(out.join(format!("{reader}-panic-{runs}")), &input).unwrap();
                }
            }
            if took > Duration::from_secs(2) {
                slow += 1;
                std::fs::write(out.join(format!("{reader}-slow-{runs}")), &input).unwrap();
            }
        }
        drop(to_worker);
        let _ = worker.join();
        println!(
            "{reader}: {runs} inputs in {seconds} s, {accepted} read, {} refused, {panics} panics, {slow} over 2 s, slowest {:.1} ms, {kept} kept",
            runs - accepted - panics,
            slowest.as_secs_f64() * 1000.0
        );
        failed |= panics > 0 || slow > 0;
    }
    if failed {
        std::process::exit(1);
    }
}
