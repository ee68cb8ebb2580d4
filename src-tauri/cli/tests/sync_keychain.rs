//! The team server's password in the OS keychain, for real: a session bus
//! of its own (`dbus-run-session`) with GNOME Keyring's Secret Service,
//! unlocked as at login, and a throwaway PostgreSQL. `kontor sync setup
//! --password-stdin` keeps the password there; a later `kontor sync` finds
//! it without being given it; no file of the data directory holds it; and
//! without the keychain the same sync is refused for want of a password.

mod common;

use std::path::Path;
use std::process::Command;

use kontor_sync::testing::Postgres;
use serde_json::Value;

const PASSWORD: &str = "anna-pw";

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_holding(&path, needle));
        } else if let Ok(bytes) = std::fs::read(&path) {
            if bytes.windows(needle.len()).any(|w| w == needle) {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[test]
fn the_password_lives_in_the_os_keychain_and_never_in_the_data_dir() {
    for tool in ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"] {
        let found = Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().unwrap();
        assert!(
            found.status.success(),
            "{tool} is missing: the setup script installs it (gnome-keyring, libsecret-tools, dbus)"
        );
    }
    let pg = Postgres::start();
    let tmp = tempfile::tempdir().unwrap();
    let (home, data) = (tmp.path().join("home"), tmp.path().join("data"));
    std::fs::create_dir_all(&home).unwrap();
    let url = format!("postgres://anna@127.0.0.1:{}/kontor?sslmode=disable", pg.port);
    // One login session: the keyring unlocked, set up with the password
    // typed once, a contact made, a sync that must find the password alone.
    let script = r#"
set -eu
eval "$(printf 'login-password' | gnome-keyring-daemon --unlock --components=secrets)"
printf '%s\n' "$TYPED" | "$KONTOR" sync setup --url "$URL" --password-stdin --yes --json > "$OUT/setup.json"
unset TYPED
"$KONTOR" contacts add --first-name Kira --last-name Schlüssel --json > /dev/null
"$KONTOR" sync --json > "$OUT/sync.json"
secret-tool search --all service de.kontor.crm.sync > "$OUT/keychain.txt" 2>&1
"#;
    let session = Command::new("dbus-run-session")
        .args(["--", "bash", "-c", script])
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env_remove("XDG_RUNTIME_DIR")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("KONTOR_SYNC_PASSWORD")
        .env("KONTOR", env!("CARGO_BIN_EXE_kontor"))
        .env("KONTOR_DATA_DIR", &data)
        .env("URL", &url)
        .env("TYPED", PASSWORD)
        .env("OUT", tmp.path())
        .output()
        .unwrap();
    assert!(session.status.success(), "the session failed: {}", String::from_utf8_lossy(&session.stderr));
    let read = |name: &str| std::fs::read_to_string(tmp.path().join(name)).unwrap();
    let synced: Value = serde_json::from_str(&read("sync.json")).unwrap();
    assert!(synced["pushed"].as_u64() >= Some(1), "the sync sent nothing: {synced}");
    // The keychain holds it, filed under the server's account.
    let keychain = read("keychain.txt");
    assert!(keychain.contains(&format!("secret = {PASSWORD}")), "{keychain}");
    assert!(keychain.contains(&format!("anna@127.0.0.1:{}/kontor", pg.port)), "{keychain}");
    // No file of the data directory does.
    assert_eq!(files_holding(&data, PASSWORD.as_bytes()), Vec::<String>::new());
    // Without the keychain (another session) and without the variable,
    // the server refuses: the password came from the keychain.
    let without = Command::new(env!("CARGO_BIN_EXE_kontor"))
        .args(["sync", "--json"])
        .env("HOME", &home)
        .env("KONTOR_DATA_DIR", &data)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("KONTOR_SYNC_PASSWORD")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&without.stderr);
    assert!(!without.status.success(), "a sync without any password went through");
    assert!(err.to_lowercase().contains("password"), "{err}");
}
