//! A throwaway PostgreSQL for tests (the `testing` feature): Debian's
//! `postgresql`, `initdb` into a temp dir and `pg_ctl` on a free port with
//! its socket in that dir, as `nobody` when the tests run as root
//! (PostgreSQL refuses root). Roles `anna`, `ben`, `carla` and `dora` log
//! in with the passwords `<role>-pw`; `anna` may create the schema.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The PostgreSQL programs, from Debian's package (newest version first).
pub fn pg_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.flatten().map(|d| d.path().join("bin")).filter(|b| b.join("initdb").exists()).collect()
        })
        .unwrap_or_default();
    found.sort();
    found
        .pop()
        .expect("PostgreSQL is not installed (Debian's postgresql package; the setup script installs it)")
}

fn is_root() -> bool {
    // The uid from /proc's status (no libc call in this crate).
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// A command as the cluster's user: `nobody` when the tests run as root
/// (PostgreSQL refuses root), else this user.
fn as_pg(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "nobody", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A throwaway cluster with a database `kontor`; stopped when dropped.
pub struct Postgres {
    _dir: tempfile::TempDir,
    data: PathBuf,
    socket: PathBuf,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
    /// Where its programs are.
    pub bin: PathBuf,
}

impl Postgres {
    /// Makes and starts the cluster, the database `kontor` and the roles.
    pub fn start() -> Postgres {
        let bin = pg_bin();
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            let status = Command::new("chown").args(["nobody:nogroup"]).arg(dir.path()).status().unwrap();
            assert!(status.success());
            let mut perms = std::fs::metadata(dir.path()).unwrap().permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
            std::fs::set_permissions(dir.path(), perms).unwrap();
        }
        let data = dir.path().join("data");
        let out = as_pg(&bin.join("initdb"))
            .args(["-D"])
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let pg = Postgres { socket: dir.path().to_owned(), data, port: free_port(), bin, _dir: dir };
        pg.ctl(&["start", "-w"]);
        pg.psql("postgres", "CREATE DATABASE kontor");
        for (role, password) in
            [("anna", "anna-pw"), ("ben", "ben-pw"), ("carla", "carla-pw"), ("dora", "dora-pw")]
        {
            pg.psql("kontor", &format!("CREATE ROLE {role} LOGIN PASSWORD '{password}'"));
        }
        pg.psql("kontor", "GRANT CREATE ON DATABASE kontor TO anna");
        pg
    }

    /// `pg_ctl ARGS` for this cluster (`start -w`, `restart -m immediate -w`).
    pub fn ctl(&self, args: &[&str]) {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.socket.display());
        let log = self.socket.join("log");
        let out = as_pg(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .arg("-o")
            .arg(options)
            .arg("-l")
            .arg(log)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "pg_ctl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Runs `sql` as the superuser in `db`; its unaligned output.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.socket)
            .args(["-p", &self.port.to_string(), "-U", "postgres", "-d", db, "-c", sql])
            .output()
            .unwrap();
        assert!(out.status.success(), "psql {sql}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_pg(&self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["stop", "-m", "immediate"])
            .output();
    }
}
