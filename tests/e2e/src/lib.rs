//! The end-to-end harness: starts its own X server (Xvfb), session D-Bus and
//! tauri-driver (over WebKitWebDriver), then launches the real
//! `kontor-desktop` binary in a WebDriver session against a data directory
//! of the test's own. Everything it starts is stopped when it is dropped.

pub mod webdriver;

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use webdriver::{Element, Session};

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// The desktop binary under test: `KONTOR_DESKTOP_BIN`, else `target/debug/kontor-desktop`.
pub fn desktop_binary() -> PathBuf {
    std::env::var_os("KONTOR_DESKTOP_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/kontor-desktop"))
}

/// The CLI binary: `KONTOR_CLI_BIN`, else `target/debug/kontor`.
pub fn cli_binary() -> PathBuf {
    std::env::var_os("KONTOR_CLI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/debug/kontor"))
}

/// Where screenshots go: `tests/artifacts/`.
pub fn artifacts_dir() -> PathBuf {
    let dir = workspace_root().join("tests/artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

fn which(tool: &str) -> PathBuf {
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(tool)).find(|p| p.is_file()));
    let home_bin = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin").join(tool));
    found.or(home_bin.filter(|p| p.is_file())).unwrap_or_else(|| {
        panic!("{tool} is not installed; run src-tauri/scripts/test.sh, which installs the test tools")
    })
}

fn first_line(child: &mut Child, what: &str) -> String {
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("{what}: no stdout"));
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(!line.trim().is_empty(), "{what} printed nothing");
    line.trim().to_owned()
}

/// A display, a session bus and a WebDriver server, for one test.
pub struct Desktop {
    children: Vec<Child>,
    /// The X display (":N").
    pub display: String,
    /// The session bus address.
    pub dbus_address: String,
    /// The tauri-driver port.
    pub port: u16,
    /// The data directory the app and CLI use.
    pub data_dir: PathBuf,
    home: tempfile::TempDir,
    lang: String,
    bus_log: PathBuf,
    env: Vec<(String, String)>,
}

impl Desktop {
    /// Starts Xvfb, a D-Bus session daemon and tauri-driver. The app's data
    /// dir, XDG dirs and locale (`lang`, e.g. "en_US.UTF-8") are the test's own.
    pub fn start(lang: &str) -> Desktop {
        Desktop::start_in(lang, None)
    }

    /// [`Desktop::start`] with the app's data in `data_dir` (a prepared
    /// store) instead of a fresh directory of the test's own.
    pub fn start_in(lang: &str, data_dir: Option<PathBuf>) -> Desktop {
        Desktop::start_with(lang, data_dir, &[])
    }

    /// [`Desktop::start_in`] with more environment for the app (and the
    /// CLI): `KONTOR_UPDATE_URL` of a test's own update server, say.
    pub fn start_with(lang: &str, data_dir: Option<PathBuf>, env: &[(&str, &str)]) -> Desktop {
        let home = tempfile::tempdir().expect("temp home");
        let mut children = Vec::new();

        let mut xvfb = Command::new(which("Xvfb"))
            .args(["-displayfd", "1", "-screen", "0", "1280x860x24", "-nolisten", "tcp"])
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let display = format!(":{}", first_line(&mut xvfb, "Xvfb"));
        children.push(xvfb);

        let mut dbus = Command::new(which("dbus-daemon"))
            .args(["--session", "--nofork", "--print-address=1"])
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dbus-daemon");
        let dbus_address = first_line(&mut dbus, "dbus-daemon");
        children.push(dbus);

        // The desktop's side of the bus: a notification server and a tray
        // watcher that log what the app sends them.
        let bus_log = home.path().join("bus.jsonl");
        let peers = Command::new("/usr/bin/python3")
            .arg(workspace_root().join("tests/e2e/dbus_peers.py"))
            .args(["serve", "--address", &dbus_address, "--log"])
            .arg(&bus_log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .expect("start the D-Bus peers (python3-dbus-next)");
        children.push(peers);
        let start = Instant::now();
        while !std::fs::read_to_string(&bus_log).unwrap_or_default().contains("\"ready\"") {
            assert!(start.elapsed() < Duration::from_secs(20), "the D-Bus peers did not start");
            std::thread::sleep(Duration::from_millis(50));
        }

        let data_dir = data_dir.unwrap_or_else(|| home.path().join("data"));
        let port = free_port();
        let native_port = free_port();
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut desktop = Desktop {
            children,
            display,
            dbus_address,
            port,
            data_dir,
            home,
            lang: lang.to_owned(),
            bus_log,
            env,
        };
        let driver = desktop
            .app_command(which("tauri-driver"))
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .arg("--native-driver")
            .arg(which("WebKitWebDriver"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .expect("start tauri-driver");
        desktop.children.push(driver);

        // tauri-driver listens at once but proxies to WebKitWebDriver, which
        // takes a moment longer; a session asked for before both listen is
        // dropped without an answer.
        let start = Instant::now();
        for p in [port, native_port] {
            while TcpStream::connect(("127.0.0.1", p)).is_err() {
                assert!(start.elapsed() < Duration::from_secs(20), "the WebDriver did not listen on {p}");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        desktop
    }

    /// A command with the environment the app runs in: this test's display,
    /// session bus, data dir, XDG dirs and locale.
    pub fn app_command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let home = self.home.path();
        let lang = self.lang.as_str();
        let mut cmd = Command::new(program);
        cmd.env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.dbus_address)
            .env("KONTOR_DATA_DIR", &self.data_dir)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("xdg-data"))
            .env("XDG_CONFIG_HOME", home.join("xdg-config"))
            .env("XDG_CACHE_HOME", home.join("xdg-cache"))
            .env("XDG_RUNTIME_DIR", home)
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .env("LANGUAGE", lang.split('.').next().unwrap_or(lang))
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("GDK_BACKEND", "x11")
            .env("NO_AT_BRIDGE", "1")
            .env("TZ", "UTC")
            // No test reaches the internet: geocoding and the update check
            // ask a closed local port.
            .env("KONTOR_GEOCODER_URL", "http://127.0.0.1:9")
            .env("KONTOR_UPDATE_URL", "http://127.0.0.1:9/latest.json")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        cmd
    }

    /// Starts the desktop binary once more, outside WebDriver, as a user
    /// double-clicking it again would, and waits for it to end.
    pub fn launch_again(&self, timeout: Duration) -> Option<std::process::Output> {
        let mut child = self
            .app_command(desktop_binary())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start a second instance");
        let start = Instant::now();
        loop {
            if let Ok(Some(_)) = child.try_wait() {
                return child.wait_with_output().ok();
            }
            if start.elapsed() > timeout {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Launches the app in a new WebDriver session.
    pub fn launch(&self) -> Session {
        let bin = desktop_binary();
        assert!(bin.is_file(), "{} is missing: build it with `cargo build` first", bin.display());
        Session::start(self.port, &bin.display().to_string()).unwrap_or_else(|e| panic!("launch app: {e}"))
    }

    /// The app's XDG config directory (where the autostart entry goes).
    pub fn config_dir(&self) -> PathBuf {
        self.home.path().join("xdg-config")
    }

    /// The app's home directory.
    pub fn home_dir(&self) -> PathBuf {
        self.home.path().to_owned()
    }

    /// What the app sent to the desktop's D-Bus peers, one JSON value per event.
    pub fn bus_events(&self, kind: &str) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.bus_log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["event"] == kind)
            .collect()
    }

    /// Waits for a notification whose summary contains `text`; returns it.
    pub fn wait_notification(&self, text: &str, timeout: Duration) -> Option<serde_json::Value> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            let found = self
                .bus_events("notify")
                .into_iter()
                .find(|n| n["summary"].as_str().is_some_and(|s| s.contains(text)));
            if found.is_some() {
                return found;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    /// Asks the window titled `title` to close, as its close button would.
    pub fn close_window(&self, title: &str) -> std::process::Output {
        Command::new("/usr/bin/python3")
            .arg(workspace_root().join("tests/e2e/x11_close.py"))
            .args([&self.display, title])
            .stdin(Stdio::null())
            .output()
            .expect("run x11_close.py")
    }

    /// Answers the native file dialog titled `title` with `path`, typed on
    /// the keyboard (Ctrl+L, the path, Return) as a user would.
    pub fn pick_file(&self, title: &str, path: &std::path::Path) -> std::process::Output {
        Command::new("/usr/bin/python3")
            .arg(workspace_root().join("tests/e2e/x11_pick_file.py"))
            .arg(&self.display)
            .arg(title)
            .arg(path)
            .stdin(Stdio::null())
            .output()
            .expect("run x11_pick_file.py")
    }

    /// Runs one command of the desktop's D-Bus peers (`dbus_peers.py`)
    /// against this session's bus and its log.
    fn dbus_peers(&self, command: &str, args: &[&str]) -> std::process::Output {
        Command::new("/usr/bin/python3")
            .arg(workspace_root().join("tests/e2e/dbus_peers.py"))
            .args([command, "--address", &self.dbus_address, "--log"])
            .arg(&self.bus_log)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("dbus_peers.py {command}: {e}"))
    }

    /// [`Desktop::dbus_peers`] that must succeed and print JSON.
    fn dbus_peers_json(&self, command: &str) -> serde_json::Value {
        let out = self.dbus_peers(command, &[]);
        assert!(out.status.success(), "{command}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{command}: not JSON ({e})"))
    }

    /// Clicks the tray menu item labelled `label` over com.canonical.dbusmenu.
    pub fn click_tray(&self, label: &str) -> std::process::Output {
        self.dbus_peers("click", &["--label", label])
    }

    /// The tray menu's labels as the desktop reads them over com.canonical.dbusmenu.
    pub fn tray_menu(&self) -> Vec<String> {
        serde_json::from_value(self.dbus_peers_json("menu")).expect("the menu's labels")
    }

    /// The registered tray item's properties (Id, Title, Status, IconName,
    /// ToolTip: its title) as the desktop reads them.
    pub fn tray(&self) -> serde_json::Value {
        self.dbus_peers_json("tray")
    }

    /// Clicks a notification's action (as the notification server reports it:
    /// ActionInvoked on the bus); "default" is a click on the notification.
    pub fn invoke_notification(&self, id: u64, action: &str) {
        let out = self.dbus_peers("invoke", &["--id", &id.to_string(), "--action", action]);
        assert!(out.status.success(), "invoke: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Runs the CLI against the app's data directory.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.app_command(cli_binary()).args(args).output().expect("run kontor CLI")
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // Each child leads its own process group, so WebKitWebDriver and the
        // app that tauri-driver started go with it.
        for child in self.children.iter_mut().rev() {
            let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
