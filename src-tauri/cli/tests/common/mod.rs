//! What the black-box tests of the `kontor` binary share.
#![allow(dead_code)] // each test file uses a part

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// Runs `kontor --data-dir DIR ARGS…`.
pub fn kontor(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kontor"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("KONTOR_DATA_DIR")
        .output()
        .expect("run kontor")
}

/// Runs kontor and reads the JSON it printed (it must succeed).
pub fn ok_json(dir: &Path, args: &[&str]) -> Value {
    let out = kontor(dir, args);
    assert!(out.status.success(), "kontor {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// Runs kontor, which must fail with one line on stderr; returns the line.
pub fn fails(dir: &Path, args: &[&str]) -> String {
    let out = kontor(dir, args);
    assert!(!out.status.success(), "kontor {args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    assert_eq!(err.lines().count(), 1, "one-line error expected, got {err:?}");
    err
}
