//! The team server's password: in the OS keychain (Secret Service on
//! Linux, the Keychain on macOS, the Credential Manager on Windows), filed
//! under the server's account (`user@host:port/db`). Never in the data
//! directory. Scripts and the CLI may give it in `KONTOR_SYNC_PASSWORD`.

use kontor_core::{Error, Result};

/// The keychain's service name for Kontor's entries.
const SERVICE: &str = "de.kontor.crm.sync";

/// The environment variable a script gives the password in.
pub const ENV: &str = "KONTOR_SYNC_PASSWORD";

fn entry(account: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, account).map_err(|e| Error::SyncRefused(format!("the keychain: {e}")))
}

/// The password for `account`: `KONTOR_SYNC_PASSWORD` when set, else the
/// keychain's; `None` when neither has one (a server that trusts the
/// connection needs none).
pub fn get(account: &str) -> Option<String> {
    if let Some(password) = std::env::var_os(ENV) {
        return Some(password.to_string_lossy().into_owned());
    }
    entry(account).ok()?.get_password().ok()
}

/// Keeps `password` for `account` in the keychain.
pub fn set(account: &str, password: &str) -> Result<()> {
    entry(account)?
        .set_password(password)
        .map_err(|e| Error::SyncRefused(format!("the password could not be kept in the keychain: {e}")))
}

/// Forgets the password for `account` (none kept is fine).
pub fn forget(account: &str) -> Result<()> {
    match entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(Error::SyncRefused(format!("the keychain: {e}"))),
    }
}
