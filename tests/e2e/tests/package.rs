//! The installed Kontor: the `.deb` that `src-tauri/scripts/bundle.sh` built,
//! installed with `dpkg -i` and run from `/usr/bin` under Xvfb and a session
//! bus of the test's own, then removed with `dpkg -r`.
//!
//! These tests change the machine (they install and remove the package
//! `kontor`), so `cargo test` leaves them out; `src-tauri/scripts/test-packages.sh`
//! (part of the test command) builds the packages and runs them as root:
//! - `KONTOR_DEB`, `KONTOR_RPM`: the packages to test (the .rpm is read,
//!   not installed: this is a Debian machine);
//! - `KONTOR_PREVIOUS_DEB`: the package of the previous release, for the upgrade.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use kontor_e2e::Desktop;

const ID: &str = "de.kontor.crm";
const DESKTOP_BIN: &str = "/usr/bin/kontor-desktop";
const CLI_BIN: &str = "/usr/bin/kontor";

fn env_path(name: &str) -> PathBuf {
    let path = PathBuf::from(std::env::var_os(name).unwrap_or_else(|| panic!("{name} names no package")));
    assert!(path.is_file(), "{name}: {} is missing", path.display());
    path
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Runs a package tool as root (the tests run as root, or with sudo).
fn as_root(program: &str, args: &[&str]) -> Output {
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    let mut cmd = if root { Command::new(program) } else { Command::new("sudo") };
    if !root {
        cmd.args(["-n", program]);
    }
    cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive").stdin(Stdio::null());
    cmd.output().unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn deb_field(deb: &Path, field: &str) -> String {
    let out = Command::new("dpkg-deb").arg("-f").arg(deb).arg(field).output().expect("dpkg-deb");
    assert!(out.status.success(), "dpkg-deb -f: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn install(deb: &Path) -> String {
    let out = as_root("dpkg", &["-i", deb.to_str().expect("path")]);
    assert!(out.status.success(), "dpkg -i {}: {}", deb.display(), text(&out));
    text(&out)
}

fn remove() -> String {
    let out = as_root("dpkg", &["-r", "kontor"]);
    assert!(out.status.success(), "dpkg -r kontor: {}", text(&out));
    text(&out)
}

/// The installed package's version, or `None` when it is not installed.
fn installed_version() -> Option<String> {
    let out =
        Command::new("dpkg-query").args(["-W", "-f", "${Status} ${Version}", "kontor"]).output().ok()?;
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    line.strip_prefix("install ok installed ").map(str::to_owned)
}

/// The user's session the installed app runs in: Xvfb, a session bus with a
/// notification server and a tray watcher, and a home of its own whose data
/// lives where an installed Kontor keeps it, `~/.local/share/de.kontor.crm`
/// (no `KONTOR_DATA_DIR`, no `XDG_DATA_HOME`).
struct Session {
    desktop: Desktop,
}

impl Session {
    fn start(lang: &str) -> Session {
        Session { desktop: Desktop::start(lang) }
    }

    fn data_dir(&self) -> PathBuf {
        self.desktop.home_dir().join(".local/share").join(ID)
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = self.desktop.app_command(program);
        // The PATH a login shell has: the installed CLI is found by name.
        cmd.env_remove("KONTOR_DATA_DIR")
            .env_remove("XDG_DATA_HOME")
            .env("PATH", "/usr/local/bin:/usr/bin:/bin");
        cmd
    }

    /// The installed CLI, by name from the PATH.
    fn kontor(&self, args: &[&str]) -> Output {
        let out = self.command("kontor").args(args).output().expect("kontor on the PATH");
        assert!(out.status.success(), "kontor {args:?}: {}", text(&out));
        out
    }

    /// A contact made with the installed CLI (`contacts add ARGS`): its id.
    fn add_contact(&self, args: &[&str]) -> String {
        let out = self.kontor(&[&["contacts", "add"], args, &["--json"]].concat());
        let contact: serde_json::Value = serde_json::from_slice(&out.stdout).expect("contact JSON");
        contact["id"].as_str().expect("contact id").to_owned()
    }

    /// Starts the installed desktop app; it runs until `quit`.
    fn launch(&self) -> App {
        let log = self.desktop.home_dir().join(format!("app-{}.log", now_millis()));
        let file = std::fs::File::create(&log).expect("app log");
        let child = self
            .command(DESKTOP_BIN)
            .stdout(file.try_clone().expect("log"))
            .stderr(file)
            .spawn()
            .expect("start the installed kontor-desktop");
        App { child, log }
    }

    /// The X11 windows titled "Kontor": (WM_CLASS instance, class) each.
    fn windows(&self) -> Vec<(String, String)> {
        let out = Command::new("xwininfo")
            .args(["-root", "-tree", "-display", &self.desktop.display])
            .output()
            .expect("xwininfo (x11-utils)");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains("\"Kontor\": (\""))
            .filter_map(|l| {
                let classes = l.split("\"Kontor\": (").nth(1)?;
                let mut parts = classes.split('"').filter(|p| !p.trim().is_empty() && !p.starts_with(')'));
                Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
            })
            .collect()
    }

    fn wait_for(&self, what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
        let start = Instant::now();
        while !ok() {
            assert!(start.elapsed() < timeout, "{what} within {timeout:?}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

#[allow(clippy::disallowed_methods)] // the test reads the real clock, like the app
fn now_millis() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
}

struct App {
    child: std::process::Child,
    log: PathBuf,
}

impl App {
    fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Ends the app as the session's end would (SIGTERM), then for good.
    fn quit(mut self) -> String {
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return self.output();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.output()
    }
}

/// A task that came due a moment ago, made with the installed CLI: the app
/// reminds of it when it starts.
#[allow(clippy::disallowed_methods)] // the test reads the real clock, like the app
fn due_task(session: &Session, title: &str) {
    let due = (chrono::Utc::now() + chrono::Duration::seconds(2)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let id = session.add_contact(&[
        "--first-name",
        "Greta",
        "--last-name",
        "Paketmann",
        "--organization",
        "Elb Brauerei",
    ]);
    session.kontor(&["tasks", "add", "--title", title, "--due", &due, "--remind", "0", "--contact", &id]);
    std::thread::sleep(Duration::from_secs(3));
}

/// Drives the installed app's window over WebDriver: Settings → "Start at
/// login" → Save; returns the login item the app wrote. The window is
/// photographed on the way (tests/artifacts/70-installed-de.png).
fn autostart_from_the_settings(session: &Session) -> String {
    let wd = kontor_e2e::Session::start(session.desktop.port, DESKTOP_BIN).expect("a WebDriver session");
    let wait = |id: &str| {
        wd.wait(&format!("[data-testid=\"{id}\"]"), Duration::from_secs(30))
            .unwrap_or_else(|e| panic!("{id}: {e}"))
    };
    // The dialog renders again as it fills in: a click on a node just
    // replaced is tried again on the new one.
    let click = |id: &str| {
        for attempt in 1.. {
            match kontor_e2e::webdriver::retry_stale(wd.click(&wait(id))) {
                Ok(Some(())) => return,
                Ok(None) if attempt < 20 => std::thread::sleep(Duration::from_millis(100)),
                Ok(None) => panic!("click {id}: the element kept being replaced"),
                Err(e) => panic!("click {id}: {e}"),
            }
        }
    };
    wait("open-settings");
    let png = wd.screenshot().expect("screenshot");
    std::fs::write(kontor_e2e::artifacts_dir().join("70-installed-de.png"), png).expect("write screenshot");
    click("open-settings");
    click("setting-autostart");
    click("settings-save");
    let places = [
        session.desktop.config_dir().join("autostart"),
        session.desktop.home_dir().join(".config/autostart"),
    ];
    let mut entry = None;
    session.wait_for("the login item", Duration::from_secs(20), || {
        entry = places
            .iter()
            .filter_map(|p| std::fs::read_dir(p).ok())
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .next();
        // A file just made may not be written through yet: a whole entry has its Exec line.
        entry.as_deref().is_some_and(|e| e.contains("\nExec="))
    });
    let _ = wd.quit();
    entry.unwrap_or_default()
}

#[test]
#[ignore = "installs and removes the package: run by src-tauri/scripts/test-packages.sh"]
fn the_installed_deb_opens_reminds_as_kontor_and_uninstalls_keeping_the_data() {
    let deb = env_path("KONTOR_DEB");
    let version = deb_field(&deb, "Version");
    assert_eq!(deb_field(&deb, "Package"), "kontor");
    if installed_version().is_some() {
        remove();
    }
    install(&deb);
    assert_eq!(installed_version().as_deref(), Some(version.as_str()));

    // What the package put on the machine.
    for path in [DESKTOP_BIN, CLI_BIN] {
        assert!(Path::new(path).is_file(), "{path} is installed");
    }
    let entry = format!("/usr/share/applications/{ID}.desktop");
    let validated =
        Command::new("desktop-file-validate").arg(&entry).output().expect("desktop-file-validate");
    assert!(
        validated.status.success() && validated.stdout.is_empty(),
        "desktop-file-validate {entry}: {}",
        text(&validated)
    );
    let entry_text = std::fs::read_to_string(&entry).expect("desktop entry");
    for line in ["Name=Kontor", "Exec=kontor-desktop", &format!("Icon={ID}"), &format!("StartupWMClass={ID}")]
    {
        assert!(entry_text.lines().any(|l| l == line), "{entry} has {line}:\n{entry_text}");
    }
    for size in [16, 24, 32, 48, 64, 128, 256, 512] {
        let icon = format!("/usr/share/icons/hicolor/{size}x{size}/apps/{ID}.png");
        assert!(Path::new(&icon).is_file(), "{icon} is installed");
    }
    assert!(Path::new(&format!("/usr/share/icons/hicolor/scalable/apps/{ID}.svg")).is_file());
    // The bundler's own entry (named after the product) is hidden: one
    // Kontor in the menus.
    let bundler_entry = std::fs::read_to_string("/usr/share/applications/Kontor.desktop").unwrap_or_default();
    assert!(bundler_entry.is_empty() || bundler_entry.contains("Hidden=true"), "{bundler_entry}");

    let session = Session::start("de_DE.UTF-8");
    let printed = session.kontor(&["--version"]);
    let upstream = version.split('-').next().unwrap_or(&version);
    assert_eq!(String::from_utf8_lossy(&printed.stdout).trim(), format!("kontor {upstream}"));

    // A follow-up that came due while Kontor was not running.
    due_task(&session, "Angebot nachfassen (Paket-Test)");
    let app = session.launch();

    // The window opens, as Kontor, with the class its desktop entry names.
    session.wait_for("the main window", Duration::from_secs(30), || {
        session.windows().iter().any(|(instance, _)| instance == ID)
    });
    // The tray registers as Kontor.
    session
        .wait_for("the tray item", Duration::from_secs(30), || !session.desktop.bus_events("sni").is_empty());
    let tray = session.desktop.tray();
    assert_eq!(tray["Title"], "Kontor", "the tray's title: {tray}");
    // The reminder reaches the notification server from "Kontor".
    let shown = session
        .desktop
        .wait_notification("Angebot nachfassen (Paket-Test)", Duration::from_secs(30))
        .unwrap_or_else(|| panic!("no reminder on the bus; the app said:\n{}", app.output()));
    assert_eq!(shown["app_name"], "Kontor", "{shown}");
    assert_eq!(shown["hints"]["desktop-entry"], ID, "{shown}");
    assert!(shown["body"].as_str().unwrap_or("").contains("Greta Paketmann"), "{shown}");
    let said = app.quit();
    assert!(!said.contains("cannot open") && !said.contains("panicked"), "the app said:\n{said}");

    // The data is in the user's app-data folder, where the CLI finds it too.
    let data = session.data_dir();
    assert!(data.join("db").exists() || std::fs::read_dir(&data).map(|d| d.count() > 0).unwrap_or(false));
    let tasks = session.kontor(&["tasks", "due", "--json"]);
    assert!(String::from_utf8_lossy(&tasks.stdout).contains("Angebot nachfassen (Paket-Test)"));

    // Start at login, turned on in the installed app's settings, starts the
    // installed binary straight into the tray.
    let entry = autostart_from_the_settings(&session);
    let exec = entry.lines().find(|l| l.starts_with("Exec=")).expect("an Exec line");
    assert_eq!(exec.replace('"', ""), format!("Exec={DESKTOP_BIN} --hidden"), "{entry}");

    // Removing the program keeps the user's data, and says where it is.
    let said = remove();
    assert!(said.contains(".local/share/de.kontor.crm"), "dpkg -r says where the data stays:\n{said}");
    assert_eq!(installed_version(), None);
    for path in [DESKTOP_BIN, CLI_BIN, entry.as_str()] {
        assert!(!Path::new(path).exists(), "{path} is gone");
    }
    let left: Vec<_> = std::fs::read_dir(&data).expect("the data folder stays").flatten().collect();
    assert!(!left.is_empty(), "{} keeps the store", data.display());
}

#[test]
#[ignore = "installs and removes packages: run by src-tauri/scripts/test-packages.sh"]
fn an_upgrade_from_the_previous_release_keeps_the_data() {
    let previous = env_path("KONTOR_PREVIOUS_DEB");
    let deb = env_path("KONTOR_DEB");
    let (old, new) = (deb_field(&previous, "Version"), deb_field(&deb, "Version"));
    let newer = Command::new("dpkg").args(["--compare-versions", &new, "gt", &old]).status().expect("dpkg");
    assert!(newer.success(), "{new} is newer than {old}");
    if installed_version().is_some() {
        remove();
    }
    install(&previous);
    assert_eq!(installed_version().as_deref(), Some(old.as_str()));
    let session = Session::start("en_US.UTF-8");

    // Data made by the previous release: with its CLI, then in its window.
    let id = session.add_contact(&[
        "--first-name",
        "Ulla",
        "--last-name",
        "Upgrade",
        "--organization",
        "Hafen Logistik",
        "--email",
        "ulla@hafen.example",
    ]);
    session.kontor(&["activity", "add", &id, "--kind", "call", "--summary", "Before the upgrade"]);
    session.kontor(&[
        "tasks",
        "add",
        "--title",
        "Follow up after the upgrade",
        "--due",
        "2030-01-15",
        "--contact",
        &id,
    ]);
    let app = session.launch();
    session
        .wait_for("the previous release's window", Duration::from_secs(30), || !session.windows().is_empty());
    std::thread::sleep(Duration::from_secs(2));
    app.quit();
    let before =
        String::from_utf8_lossy(&session.kontor(&["contacts", "show", &id, "--json"]).stdout).into_owned();

    // The new package over the old one.
    install(&deb);
    assert_eq!(installed_version().as_deref(), Some(new.as_str()));
    let printed = session.kontor(&["--version"]);
    assert!(String::from_utf8_lossy(&printed.stdout).contains(new.split('-').next().unwrap_or(&new)));
    let app = session.launch();
    session.wait_for("the new release's window", Duration::from_secs(30), || {
        session.windows().iter().any(|(instance, _)| instance == ID)
    });
    std::thread::sleep(Duration::from_secs(3));
    let said = app.quit();
    assert!(!said.contains("cannot open") && !said.contains("panicked"), "the new app said:\n{said}");

    let after =
        String::from_utf8_lossy(&session.kontor(&["contacts", "show", &id, "--json"]).stdout).into_owned();
    let (b, a): (serde_json::Value, serde_json::Value) =
        (serde_json::from_str(&before).expect("before"), serde_json::from_str(&after).expect("after"));
    for key in ["id", "display_name", "organization", "emails", "stage", "criteria", "created_at"] {
        assert_eq!(a[key], b[key], "{key} after the upgrade is the one before");
    }
    assert!(before.contains("Ulla") && before.contains("Hafen Logistik"), "{before}");
    let activities =
        String::from_utf8_lossy(&session.kontor(&["activity", "list", &id, "--json"]).stdout).into_owned();
    assert!(activities.contains("Before the upgrade"), "the activity survived: {activities}");
    let tasks = String::from_utf8_lossy(&session.kontor(&["tasks", "list", "--json"]).stdout).into_owned();
    assert!(tasks.contains("Follow up after the upgrade"), "{tasks}");
    let check = session.kontor(&["doctor", "--json"]);
    assert!(check.status.success());
    remove();
}

/// The files a package installs, from its own listing (`dpkg-deb -c`, `rpm -qpl`).
fn listed(program: &str, args: &[&str], package: &Path) -> Vec<String> {
    let out =
        Command::new(program).args(args).arg(package).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", text(&out));
    let paths: std::collections::BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .map(|p| format!("/{}", p.trim_start_matches('.').trim_matches('/')))
        .collect();
    // Folders are listed too (by dpkg-deb): a path under which another one
    // lies is a folder.
    paths.iter().filter(|p| !paths.iter().any(|q| q.starts_with(&format!("{p}/")))).cloned().collect()
}

#[test]
#[ignore = "reads the built packages: run by src-tauri/scripts/test-packages.sh"]
fn the_rpm_carries_what_the_deb_carries() {
    let (deb, rpm) = (env_path("KONTOR_DEB"), env_path("KONTOR_RPM"));
    let in_deb = listed("dpkg-deb", &["-c"], &deb);
    let in_rpm = listed("rpm", &["-qpl"], &rpm);
    // The Debian changelog is the only file of its own a .deb has.
    let in_deb: Vec<_> = in_deb.into_iter().filter(|f| !f.starts_with("/usr/share/doc/")).collect();
    assert_eq!(in_rpm, in_deb, "the same files in both packages");
    for needed in [DESKTOP_BIN, CLI_BIN, &format!("/usr/share/applications/{ID}.desktop")] {
        assert!(in_rpm.iter().any(|f| f == needed), "the .rpm has {needed}");
    }
    let query = |args: &[&str]| {
        let out = Command::new("rpm").args(args).arg(&rpm).output().expect("rpm");
        assert!(out.status.success(), "rpm {args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(
        query(&["-qp", "--queryformat", "%{NAME} %{VERSION}"]),
        format!("kontor {}", deb_field(&deb, "Version"))
    );
    let requires = query(&["-qp", "--requires"]);
    assert!(requires.contains("libwebkit2gtk-4.1.so.0()(64bit)"), "{requires}");
    let scripts = query(&["-qp", "--scripts"]);
    assert!(scripts.contains(".local/share/de.kontor.crm"), "removing says where the data stays: {scripts}");
}
