//! Nothing lost, ever: damaged stores are reported (never a panic, never a
//! smaller store taken for the whole one), `restore --latest` recovers
//! from any of them, automatic backups are verified and listed, erasure
//! holds across restores, and everything written is owner-only.

mod common;

use std::path::{Path, PathBuf};

use common::{kontor, ok_json};
use serde_json::Value;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn count(dir: &Path) -> usize {
    ok_json(dir, &["contacts", "list", "--limit", "100000", "--json"]).as_array().unwrap().len()
}

/// A store of a few thousand contacts written by many commands (so sled's
/// log has many segments), with a verified backup in its folder.
fn base_store(dir: &Path) -> usize {
    let mut csv = String::from("First Name,Last Name,E-mail Address,Company,Notes\n");
    for i in 0..3000 {
        csv.push_str(&format!("Vor{i},Nach{i},p{i}@example.de,Firma {},Notiz {i} über den Besuch\n", i % 97));
    }
    let file = dir.parent().unwrap().join("people.csv");
    std::fs::write(&file, csv).unwrap();
    ok_json(dir, &["import", file.to_str().unwrap(), "--json"]);
    for i in 0..20 {
        ok_json(dir, &["contacts", "add", "--first-name", &format!("Hand{i}"), "--json"]);
    }
    let made = ok_json(dir, &["backups", "create", "--json"]);
    assert_eq!(made["verified"], true);
    count(dir)
}

type Damage = fn(&Path);

fn db(store: &Path) -> PathBuf {
    store.join("db")
}

fn truncate_to(store: &Path, fraction: f64) {
    let f = std::fs::OpenOptions::new().write(true).open(db(store)).unwrap();
    let len = f.metadata().unwrap().len();
    f.set_len((len as f64 * fraction) as u64).unwrap();
}

fn remove_snapshots(store: &Path) {
    for e in std::fs::read_dir(store).unwrap() {
        let e = e.unwrap();
        if e.file_name().to_string_lossy().starts_with("snap.") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
}

fn overwrite(store: &Path, at_fraction: f64, bytes: &[u8]) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(db(store)).unwrap();
    let len = f.metadata().unwrap().len();
    f.seek(SeekFrom::Start((len as f64 * at_fraction) as u64)).unwrap();
    f.write_all(bytes).unwrap();
}

const DAMAGE: [(&str, Damage); 12] = [
    ("db truncated to 0", |s| truncate_to(s, 0.0)),
    ("db truncated to half", |s| truncate_to(s, 0.5)),
    ("db truncated to 1 MiB", |s| {
        std::fs::OpenOptions::new().write(true).open(db(s)).unwrap().set_len(1 << 20).unwrap();
    }),
    ("db removed", |s| std::fs::remove_file(db(s)).unwrap()),
    ("db empty, snapshots gone", |s| {
        remove_snapshots(s);
        truncate_to(s, 0.0);
    }),
    ("conf and snapshots gone, db halved", |s| {
        std::fs::remove_file(s.join("conf")).unwrap();
        remove_snapshots(s);
        truncate_to(s, 0.5);
    }),
    ("snapshots gone, 10 bytes changed mid-file", |s| {
        remove_snapshots(s);
        overwrite(s, 0.5, b"0123456789");
    }),
    ("snapshots gone, 5 bytes changed at 30 %", |s| {
        remove_snapshots(s);
        overwrite(s, 0.3, &[0xff; 5]);
    }),
    ("4 KiB zeroed at 95 %", |s| overwrite(s, 0.95, &[0; 4096])),
    ("conf gone", |s| std::fs::remove_file(s.join("conf")).unwrap()),
    ("snapshots gone", remove_snapshots),
    ("an unfinished snapshot left by a kill", |s| {
        let snap = std::fs::read_dir(s)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("snap."))
            .unwrap();
        let bytes = std::fs::read(&snap).unwrap();
        let mut name = snap.file_name().unwrap().to_os_string();
        name.push(".generating");
        std::fs::write(snap.with_file_name(name), &bytes[..bytes.len() - 12]).unwrap();
    }),
];

#[test]
fn every_damage_is_reported_or_read_whole_and_restore_latest_recovers() {
    let root = tempfile::tempdir().unwrap();
    let base = root.path().join("base");
    let n = base_store(&base);
    assert!(n >= 3000);
    for (what, damage) in DAMAGE {
        let dir = root.path().join("case");
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&base, &dir);
        damage(&dir.join("store"));
        let out = kontor(&dir, &["contacts", "list", "--limit", "100000", "--json"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{what}: a panic: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{what}: a panic");
        let damaged = if out.status.success() {
            let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(listed.as_array().unwrap().len(), n, "{what}: a store read as success must be whole");
            // The list read the contacts; the check reads everything.
            let doctor = kontor(&dir, &["doctor"]);
            let said = String::from_utf8_lossy(&doctor.stderr);
            assert!(!said.contains("panicked") && doctor.status.code() != Some(101), "{what}: {said}");
            !doctor.status.success()
        } else {
            assert!(stderr.contains("cannot be read"), "{what}: {stderr}");
            assert_eq!(stderr.trim().lines().count(), 1, "{what}: one line: {stderr}");
            true
        };
        eprintln!("{what}: {}", if damaged { "reported damaged" } else { "read whole" });
        // Whatever state it is in, the newest backup comes back.
        let restored = ok_json(&dir, &["restore", "--latest", "--json"]);
        assert_eq!(restored["contacts"].as_u64(), Some(n as u64), "{what}");
        assert_eq!(count(&dir), n, "{what}: after the restore");
        let aside: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with("store.damaged-"))
            .collect();
        assert_eq!(aside.len(), usize::from(damaged), "{what}: the damaged store is kept aside: {aside:?}");
        let doctor = kontor(&dir, &["doctor"]);
        assert!(doctor.status.success(), "{what}: {}", String::from_utf8_lossy(&doctor.stdout));
    }
}

#[test]
fn a_restore_over_records_needs_force_and_backs_them_up_first() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    ok_json(&dir, &["contacts", "add", "--first-name", "Anna", "--json"]);
    let backup = root.path().join("anna.json");
    ok_json(&dir, &["backup", "--out", backup.to_str().unwrap(), "--json"]);
    ok_json(&dir, &["contacts", "add", "--first-name", "Ben", "--json"]);
    let out = kontor(&dir, &["restore", backup.to_str().unwrap(), "--json"]);
    assert!(!out.status.success(), "a store with records is not replaced without --force");
    let out = kontor(&dir, &["restore", backup.to_str().unwrap(), "--force", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&dir), 1);
    // The replaced store (Anna and Ben) was backed up first.
    let list = ok_json(&dir, &["backups", "list", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["reason"], "restore");
    assert_eq!(list[0]["counts"]["contacts"], 2);
    for key in ["file", "created_at", "counts", "verified"] {
        assert!(list[0].get(key).is_some(), "backups list lacks {key}");
    }
}

#[test]
fn restore_latest_without_a_backup_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = kontor(dir.path(), &["restore", "--latest"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no verified backup"));
}

#[test]
fn an_erased_person_stays_erased_after_a_restore_and_their_lone_organisation_goes_too() {
    let dir = tempfile::tempdir().unwrap();
    let anna = ok_json(
        dir.path(),
        &[
            "contacts",
            "add",
            "--first-name",
            "Anna",
            "--last-name",
            "Einzel",
            "--organization",
            "Solo Werkstatt",
            "--json",
        ],
    );
    ok_json(
        dir.path(),
        &["contacts", "add", "--first-name", "Ben", "--organization", "Geteilt AG", "--json"],
    );
    ok_json(
        dir.path(),
        &["contacts", "add", "--first-name", "Cem", "--organization", "Geteilt AG", "--json"],
    );
    let id = anna["id"].as_str().unwrap();
    ok_json(dir.path(), &["person", "erase", id, "--json"]);
    // The erase wrote a backup first: it holds Anna.
    let list = ok_json(dir.path(), &["backups", "list", "--json"]);
    assert_eq!(list[0]["reason"], "erase");
    assert_eq!(list[0]["counts"]["contacts"], 3);
    let found = ok_json(dir.path(), &["search", "Solo", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 0, "her organisation is gone too: {found}");
    let found = ok_json(dir.path(), &["search", "Geteilt", "--kind", "organization", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "a shared one stays");
    // Restoring that backup brings back everyone but her.
    ok_json(dir.path(), &["restore", "--latest", "--json"]);
    let names: Vec<String> = ok_json(dir.path(), &["contacts", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["first_name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(!names.contains(&"Anna".to_owned()));
    let erased = std::fs::read_to_string(dir.path().join("erased")).unwrap();
    assert_eq!(erased.trim(), id, "the erasure list holds the id alone");
}

#[cfg(unix)]
#[test]
fn everything_kontor_writes_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    ok_json(&dir, &["contacts", "add", "--first-name", "Anna", "--json"]);
    let backup = root.path().join("b.json");
    let export = root.path().join("all.csv");
    let person = root.path().join("anna.json");
    ok_json(&dir, &["backup", "--out", backup.to_str().unwrap(), "--json"]);
    let out = kontor(&dir, &["export", "--format", "csv", "--out", export.to_str().unwrap()]);
    assert!(out.status.success());
    let id = ok_json(&dir, &["contacts", "list", "--json"])[0]["id"].as_str().unwrap().to_owned();
    assert!(kontor(&dir, &["person", "export", &id, "--out", person.to_str().unwrap()]).status.success());
    ok_json(&dir, &["backups", "create", "--json"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for file in [&backup, &export, &person] {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(&dir), 0o700);
    for sub in ["store", "backups"] {
        assert_eq!(mode(&dir.join(sub)), 0o700, "{sub}");
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            let want = if p.is_dir() { 0o700 } else { 0o600 };
            assert_eq!(mode(&p), want, "{}", p.display());
        }
    }
}

#[test]
fn doctor_says_healthy_in_one_line_and_json_is_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    ok_json(dir.path(), &["contacts", "add", "--first-name", "Anna", "--json"]);
    let out = kontor(dir.path(), &["doctor"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.trim().lines().count(), 1, "{text}");
    assert!(text.starts_with("healthy: 1 contacts"), "{text}");
    assert_eq!(ok_json(dir.path(), &["doctor", "--json"]), serde_json::json!([]));
    assert_eq!(ok_json(dir.path(), &["doctor", "--repair", "--json"]), serde_json::json!([]));
}
