//! Where Kontor keeps its data. The desktop app and the CLI share this one
//! answer, so both open the same store by default.

use std::path::PathBuf;

/// The app identifier (also in `tauri.conf.json`); names the data directory.
pub const APP_IDENTIFIER: &str = "de.kontor.crm";

/// The data directory's folder of backups (automatic ones, and the copy kept
/// before a store layout upgrade).
pub const BACKUPS_DIR: &str = "backups";

/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "KONTOR_DATA_DIR";

/// `KONTOR_DATA_DIR` if set, else [`os_data_dir`].
pub fn default_data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => os_data_dir(),
    }
}

/// The OS's app-local data dir for Kontor, as Tauri's `app_local_data_dir`:
/// `~/.local/share/de.kontor.crm` on Linux (`$XDG_DATA_HOME` if set),
/// `%LOCALAPPDATA%\de.kontor.crm` on Windows, `~/Library/Application
/// Support/de.kontor.crm` on macOS. Packages never touch it: an upgrade or an
/// uninstall leaves it as it is.
pub fn os_data_dir() -> Option<PathBuf> {
    dirs::data_local_dir().map(|d| d.join(APP_IDENTIFIER))
}

/// Writes `bytes` to `path` as a file only its owner can read (0600 on
/// Unix), through a temporary file beside it that is synced and renamed:
/// a failure or a crash leaves the old file or the new one, never half of
/// one, and never a moment in which others could read it.
pub fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    write_private_with(path, |file| std::io::Write::write_all(file, bytes), |e| e)
}

/// [`write_private`] with the content written by `write` (a stream); an
/// error of `write` leaves no file behind.
pub fn write_private_with<T, E>(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<T, E>,
    io_error: impl Fn(std::io::Error) -> E,
) -> Result<T, E> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".kontor-tmp");
    let tmp = path.with_file_name(name);
    let result = (|| {
        let mut file = private_file(&tmp).map_err(&io_error)?;
        let done = write(&mut file)?;
        file.sync_all().map_err(&io_error)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(&io_error)?;
        Ok(done)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    let done = result?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The rename is durable once the directory is synced.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(done)
}

/// Creates (or truncates) `path` for writing and reading back, owner-only
/// (0600 on Unix; a file that was there keeps its inode and loses any
/// wider permission).
pub fn private_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// What Kontor keeps in its data directory: only these are made
/// owner-only, so a data directory the user pointed at a folder of their
/// own (their home, say) keeps their other files as they were.
const OWN_ENTRIES: [&str; 11] = [
    "store",
    "search",
    "backups",
    "quotes",
    "expected",
    "erased",
    "compact.pending",
    "compact.lock",
    "store.compact",
    "store.compact.ready",
    "store.old",
];

/// Makes `dir` (Kontor's data directory) and what Kontor keeps in it
/// owner-only: directories 0700, files 0600, whichever way they came to be
/// (made by an older Kontor, by sled with the default umask, copied in by
/// the user).
pub fn secure_data_dir(dir: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let private = |path: &std::path::Path, is_dir: bool| {
            std::fs::set_permissions(
                path,
                std::fs::Permissions::from_mode(if is_dir { 0o700 } else { 0o600 }),
            )
        };
        // A folder of Kontor's and what lies in it (sled's `blobs`, say).
        fn private_tree(dir: &std::path::Path, depth: u8) -> std::io::Result<()> {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            for entry in std::fs::read_dir(dir)?.flatten() {
                let Ok(kind) = entry.file_type() else { continue };
                if kind.is_file() {
                    std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600))?;
                } else if kind.is_dir() && depth > 0 {
                    private_tree(&entry.path(), depth - 1)?;
                }
            }
            Ok(())
        }
        private(dir, true)?;
        for name in OWN_ENTRIES {
            let path = dir.join(name);
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            if meta.is_file() {
                private(&path, false)?;
            } else if meta.is_dir() {
                private_tree(&path, 2)?;
            }
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Whether users other than the owner can read or enter `dir` (Unix only).
pub fn readable_by_others(dir: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each OS's own place for app data, from the variables that define it.
    #[test]
    fn the_data_lives_in_the_os_app_data_directory() {
        let dir = os_data_dir().expect("an app-data dir");
        assert!(dir.ends_with(APP_IDENTIFIER), "{}", dir.display());
        let home = || PathBuf::from(std::env::var_os("HOME").expect("HOME"));
        #[cfg(target_os = "linux")]
        let expected = match std::env::var_os("XDG_DATA_HOME").filter(|d| PathBuf::from(d).is_absolute()) {
            Some(xdg) => PathBuf::from(xdg),
            None => home().join(".local/share"),
        };
        #[cfg(windows)]
        let expected = PathBuf::from(std::env::var_os("LOCALAPPDATA").expect("LOCALAPPDATA"));
        #[cfg(target_os = "macos")]
        let expected = home().join("Library/Application Support");
        #[cfg(windows)]
        let _ = home;
        assert_eq!(dir, expected.join(APP_IDENTIFIER));
    }
}
