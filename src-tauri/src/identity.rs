//! How Kontor introduces itself to the desktop: the name in notifications,
//! the tray and the window manager, and the id that ties a running window to
//! its installed desktop entry (Linux), Start-menu shortcut (Windows) and
//! bundle (macOS).
//!
//! - Linux: the window's WM_CLASS instance (and the Wayland app id) is
//!   [`APP_ID`], the name of the desktop entry `de.kontor.crm.desktop`, whose
//!   `StartupWMClass` says the same; the tray's title and GLib's application
//!   name are [`APP_NAME`].
//! - Windows: a toast is shown under the AppUserModelID of the Start-menu
//!   shortcut the installer creates, which Tauri's bundler sets to the
//!   identifier ([`APP_ID`]); the notification plugin uses it once the app
//!   runs from its installed place.
//! - macOS: the bundle id is the identifier; the tray sits in the menu bar
//!   and notifications need the rep's permission, asked for at the first
//!   start from the app bundle ([`crate::notify::ask_permission`]).

/// The application's name, as the rep sees it everywhere.
pub const APP_NAME: &str = "Kontor";

/// The identifier: `tauri.conf.json`'s, the data directory's name, the
/// desktop entry's and icon's name on Linux, the AppUserModelID on Windows.
pub const APP_ID: &str = kontor_core::paths::APP_IDENTIFIER;

/// Tells GTK and GLib who we are, before the first window or tray icon
/// exists: the window's class becomes [`APP_ID`] (so the desktop finds the
/// installed entry, its name and icon, instead of "kontor-desktop") and the
/// tray's title [`APP_NAME`].
pub fn claim() {
    #[cfg(target_os = "linux")]
    {
        glib::set_prgname(Some(APP_ID));
        glib::set_application_name(APP_NAME);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> serde_json::Value {
        let text = include_str!("../../tauri.conf.json");
        serde_json::from_str(text).expect("tauri.conf.json")
    }

    /// The packaged desktop entry, as `key → value` of its main group.
    fn desktop_entry() -> std::collections::HashMap<String, String> {
        include_str!("../../packaging/linux/de.kontor.crm.desktop")
            .lines()
            .skip_while(|l| l.trim() != "[Desktop Entry]")
            .skip(1)
            .take_while(|l| !l.starts_with('['))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect()
    }

    #[test]
    fn the_identifier_is_one_everywhere() {
        let config = config();
        assert_eq!(config["identifier"], APP_ID);
        assert_eq!(config["productName"], APP_NAME);
        // Windows: the AppUserModelID the installer gives the shortcut is
        // the identifier, and so is the one toasts are shown under.
        assert_eq!(APP_ID, "de.kontor.crm");
    }

    #[test]
    fn the_desktop_entry_names_the_window_the_binary_and_the_icon() {
        let entry = desktop_entry();
        let config = config();
        assert_eq!(entry["Name"], APP_NAME);
        assert_eq!(entry["Icon"], APP_ID);
        // GNOME and KDE match a window to its entry by WM_CLASS; [`claim`]
        // makes the window's class instance the identifier.
        assert_eq!(entry["StartupWMClass"], APP_ID);
        let exec = entry["Exec"].split_whitespace().next().expect("Exec");
        assert_eq!(exec, config["mainBinaryName"].as_str().expect("mainBinaryName"));
    }

    #[test]
    fn the_packages_carry_the_entry_the_icons_and_the_cli() {
        let config = config();
        for format in ["deb", "rpm"] {
            let files = config["bundle"]["linux"][format]["files"].as_object().expect("files");
            let dest = |d: &str| files.get(d).and_then(|v| v.as_str()).map(str::to_owned);
            assert_eq!(dest("/usr/bin/kontor").as_deref(), Some("target/release/kontor"), "{format}");
            assert!(dest(&format!("/usr/share/applications/{APP_ID}.desktop")).is_some(), "{format}");
            for size in [16, 24, 32, 48, 64, 128, 256, 512] {
                let icon = format!("/usr/share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png");
                let src = dest(&icon).unwrap_or_else(|| panic!("{format}: no {icon}"));
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&src);
                let png = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                // The PNG header's width and height.
                let side = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("png"));
                assert_eq!((side(16), side(20)), (size, size), "{}", path.display());
            }
            let svg = dest(&format!("/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg")).expect("svg");
            assert!(svg.ends_with(".svg"));
        }
    }

    #[test]
    fn the_release_workflow_bundles_with_the_pinned_tauri_cli() {
        let ui: serde_json::Value =
            serde_json::from_str(include_str!("../../ui/package.json")).expect("ui/package.json");
        let pinned = ui["devDependencies"]["@tauri-apps/cli"].as_str().expect("the Tauri CLI is pinned");
        assert!(pinned.chars().all(|c| c.is_ascii_digit() || c == '.'), "an exact version: {pinned}");
        let workflow = include_str!("../../.github/workflows/packages.yml");
        assert!(workflow.contains(&format!("@tauri-apps/cli@{pinned}")), "packages.yml uses {pinned}");
    }
}
