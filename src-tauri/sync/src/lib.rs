//! Kontor's team sync client: each rep's replica pushes its operations to a
//! log on a PostgreSQL server and pulls the team's from it (the model and
//! the merge are the core's `sync` module; this crate is the wire).
//!
//! - The server's schema is Kontor's own, created and upgraded by the
//!   migrations under `migrations/` ([`Server::migrate`]); a server whose
//!   schema is newer than this build knows is refused
//!   ([`Error::SyncSchemaNewer`]).
//! - A push is one transaction: the replica registered to the rep's role,
//!   the operations inserted with `ON CONFLICT (replica_id, seq) DO
//!   NOTHING` (a retry after a lost answer is harmless), erasures applied.
//! - A pull reads, in one snapshot, the log after the replica's cursor
//!   `(txid, id)` up to the snapshot's xmin only: a transaction that is
//!   still running holds the cursor back instead of being passed over.
//! - TLS with rustls (`sslmode=disable|prefer|require` in the URL); the
//!   password comes from the caller (the OS keychain: [`password`]).

pub mod password;
#[cfg(feature = "testing")]
pub mod testing;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use kontor_core::sync::{EntityKind, Hlc, Op, Pulled, Remote};
use kontor_core::{Error, Result};
use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config};
use uuid::Uuid;

/// The newest server schema this build knows.
pub const SCHEMA_VERSION: u32 = 1;

/// The migrations, oldest first: version and SQL.
const MIGRATIONS: [(u32, &str); 1] = [(1, include_str!("../migrations/0001_operations.sql"))];

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The state of the server's schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// No Kontor schema on the server yet: it is made on first use.
    Missing,
    /// An older version: [`Server::migrate`] upgrades it.
    Older(u32),
    /// The version this build writes.
    Current,
}

/// What [`set_up`] did.
#[derive(Debug)]
pub enum SetUp {
    /// The server has no Kontor schema and none was to be made: nothing
    /// was set up (ask the rep, then again with `create_schema`).
    NeedsSchema,
    /// This store syncs with the server now.
    Done {
        /// This replica's id.
        replica: Uuid,
        /// The server's account (`user@host:port/db`).
        account: String,
        /// What became of a password given: kept in the keychain, or why not.
        password: Option<std::result::Result<(), Error>>,
    },
}

/// Sets `store` up to sync with the server at `url`, for the CLI and the
/// window alike: connects (with `given`, else the keychain's password),
/// upgrades an older schema or creates a missing one when
/// `create_schema`, keeps a given password in the keychain once it worked,
/// and queues the records here ([`kontor_core::Store::sync_setup`]).
pub fn set_up(
    store: &kontor_core::Store,
    url: &str,
    given: Option<&str>,
    create_schema: bool,
    now: chrono::DateTime<chrono::Utc>,
    progress: &dyn Fn(u64),
) -> Result<SetUp> {
    let account = account(url)?;
    let secret = given.map(str::to_owned).or_else(|| password::get(&account));
    let mut server = Server::connect(url, secret.as_deref())?;
    if server.prepare(create_schema)? == Readiness::NoSchema {
        return Ok(SetUp::NeedsSchema);
    }
    let password = given.map(|p| password::set(&account, p));
    let config = kontor_core::store::SyncConfig { url: url.to_owned() };
    let replica = store.sync_setup(&config, now, progress)?;
    Ok(SetUp::Done { replica, account, password })
}

/// A connection ready for a sync with the server at `url`: the keychain's
/// password (else `fallback`), the schema upgraded when older.
pub fn connect_for_sync(url: &str, fallback: Option<&str>) -> Result<Server> {
    let account = account(url)?;
    let secret = password::get(&account).or_else(|| fallback.map(str::to_owned));
    let mut server = Server::connect(url, secret.as_deref())?;
    server.ready_for_sync()?;
    Ok(server)
}

/// Whether a server can take replicas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    /// Its schema is this build's.
    Ready,
    /// It has no Kontor schema, and none was to be made.
    NoSchema,
}

/// A connection to the team server.
pub struct Server {
    rt: tokio::runtime::Runtime,
    client: Client,
    /// The replica registered to this role in this connection.
    registered: Option<Uuid>,
    user: String,
}

/// The parts of a server URL that name it without the password: what the
/// keychain files the password under.
pub fn account(url: &str) -> Result<String> {
    let config = parse(url)?;
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_default();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or_default();
    let db = config.get_dbname().unwrap_or(user);
    Ok(format!("{user}@{host}:{port}/{db}"))
}

/// The URL as a connection config; a password in it is refused (it
/// belongs in the keychain, not in a settings file or a shell history).
fn parse(url: &str) -> Result<Config> {
    let invalid = |reason: String| Error::InvalidInput { field: "url", reason };
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(invalid(format!("{url:?} is no postgres://USER@HOST:PORT/DB address")));
    }
    let config = Config::from_str(url).map_err(|e| invalid(e.to_string()))?;
    if config.get_password().is_some() {
        return Err(invalid(
            "the address holds a password; it is asked for and kept in the keychain instead".into(),
        ));
    }
    if config.get_user().is_none_or(str::is_empty) {
        return Err(invalid("the address names no user (postgres://USER@HOST:PORT/DB)".into()));
    }
    Ok(config)
}

/// A database error as the rep should read it.
fn map_error(e: tokio_postgres::Error) -> Error {
    // What the client itself finds wrong (no password for a server that
    // asks for one, a bad address) waits for no network: it is refused.
    if e.to_string().starts_with("invalid configuration") {
        let detail = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_else(|| e.to_string());
        return Error::SyncRefused(if detail == "password missing" {
            "the server asks for a password and none is kept on this laptop: type it in Settings → Team, \
             or give it in KONTOR_SYNC_PASSWORD"
                .to_owned()
        } else {
            detail
        });
    }
    let Some(db) = e.as_db_error() else {
        // No answer from the server: refused, reset, cut, timed out.
        return Error::SyncOffline(e.to_string());
    };
    let code = db.code();
    if *code == SqlState::INVALID_PASSWORD
        || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        || *code == SqlState::INSUFFICIENT_PRIVILEGE
        || *code == SqlState::INVALID_CATALOG_NAME
    {
        return Error::SyncRefused(db.message().to_owned());
    }
    if code.code().starts_with("08")
        || code.code().starts_with("57")
        || *code == SqlState::T_R_SERIALIZATION_FAILURE
    {
        // Connection exceptions, operator intervention (a shutdown, a restart).
        return Error::SyncOffline(db.message().to_owned());
    }
    Error::SyncRefused(format!("{} ({})", db.message(), code.code()))
}

fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    // A company's own CA, as a PEM file.
    if let Some(path) = std::env::var_os("KONTOR_SYNC_CA") {
        let pem = std::fs::read(&path).map_err(|e| Error::io(std::path::Path::new(&path), &e))?;
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            let cert = cert.map_err(|e| Error::io(std::path::Path::new(&path), &e))?;
            roots.add(cert).map_err(|e| Error::SyncRefused(format!("the CA in KONTOR_SYNC_CA: {e}")))?;
        }
    }
    // ring: no build tools beyond a C compiler (aws-lc-rs wants cmake); its
    // lack of post-quantum key exchange is what the deprecation is about.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::SyncRefused(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

impl Server {
    /// Connects to the server at `url` (`postgres://USER@HOST:PORT/DB`,
    /// `?sslmode=require` for TLS only, `host=/path` for a socket).
    pub fn connect(url: &str, password: Option<&str>) -> Result<Server> {
        let mut config = parse(url)?;
        if let Some(password) = password {
            config.password(password);
        }
        config.application_name("kontor").connect_timeout(CONNECT_TIMEOUT);
        let user = config.get_user().unwrap_or_default().to_owned();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Storage(format!("cannot start the sync runtime: {e}")))?;
        let client = rt.block_on(async {
            let (client, connection) = if config.get_ssl_mode() == SslMode::Disable {
                let (client, connection) = config.connect(tokio_postgres::NoTls).await.map_err(map_error)?;
                (client, tokio::spawn(connection))
            } else {
                let (client, connection) = config.connect(tls()?).await.map_err(map_error)?;
                (client, tokio::spawn(connection))
            };
            drop(connection); // runs on the runtime until the client goes
            Ok::<_, Error>(client)
        })?;
        Ok(Server { rt, client, registered: None, user })
    }

    /// The role this connection works as.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The server's schema against this build's.
    pub fn schema(&mut self) -> Result<Schema> {
        let found = self.rt.block_on(async {
            let table = self
                .client
                .query_one("SELECT to_regclass('kontor.schema_version') IS NOT NULL", &[])
                .await
                .map_err(map_error)?;
            if !table.get::<_, bool>(0) {
                return Ok::<_, Error>(None);
            }
            let row = self
                .client
                .query_one("SELECT version FROM kontor.schema_version", &[])
                .await
                .map_err(map_error)?;
            Ok(Some(u32::try_from(row.get::<_, i32>(0)).unwrap_or(0)))
        })?;
        match found {
            None => Ok(Schema::Missing),
            Some(v) if v > SCHEMA_VERSION => {
                Err(Error::SyncSchemaNewer { found: v, supported: SCHEMA_VERSION })
            }
            Some(v) if v < SCHEMA_VERSION => Ok(Schema::Older(v)),
            Some(_) => Ok(Schema::Current),
        }
    }

    /// Makes the server ready for replicas: an older schema is upgraded, a
    /// missing one created only with `create` (the rep was asked).
    pub fn prepare(&mut self, create: bool) -> Result<Readiness> {
        match self.schema()? {
            Schema::Current => Ok(Readiness::Ready),
            Schema::Missing if !create => Ok(Readiness::NoSchema),
            Schema::Older(_) | Schema::Missing => {
                self.migrate()?;
                Ok(Readiness::Ready)
            }
        }
    }

    /// Ready for a sync (an older schema upgraded), or a refusal that says
    /// the schema is gone.
    pub fn ready_for_sync(&mut self) -> Result<()> {
        match self.prepare(false)? {
            Readiness::Ready => Ok(()),
            Readiness::NoSchema => Err(Error::SyncRefused(
                "the server has no Kontor schema (was it reset?); set sync up again".into(),
            )),
        }
    }

    /// Creates or upgrades the server's schema to this build's, each step in
    /// a transaction of its own, one client at a time (an advisory lock).
    /// Returns the version before.
    pub fn migrate(&mut self) -> Result<u32> {
        let before = match self.schema()? {
            Schema::Current => return Ok(SCHEMA_VERSION),
            Schema::Older(v) => v,
            Schema::Missing => 0,
        };
        self.rt.block_on(async {
            for (version, sql) in MIGRATIONS {
                let tx = self.client.transaction().await.map_err(map_error)?;
                tx.execute("SELECT pg_advisory_xact_lock(7010616)", &[]).await.map_err(map_error)?;
                let exists = tx
                    .query_one("SELECT to_regclass('kontor.schema_version') IS NOT NULL", &[])
                    .await
                    .map_err(map_error)?
                    .get::<_, bool>(0);
                let at: i32 = if exists {
                    tx.query_one("SELECT version FROM kontor.schema_version", &[])
                        .await
                        .map_err(map_error)?
                        .get(0)
                } else {
                    0
                };
                if u32::try_from(at).unwrap_or(0) >= version {
                    continue; // another client ran it meanwhile
                }
                tx.batch_execute(sql).await.map_err(map_error)?;
                tx.execute(
                    "UPDATE kontor.schema_version SET version = $1",
                    &[&i32::try_from(version).unwrap_or(i32::MAX)],
                )
                .await
                .map_err(map_error)?;
                tx.commit().await.map_err(map_error)?;
            }
            Ok::<_, Error>(())
        })?;
        Ok(before)
    }

    /// Every operation in the log, in order (for checks and the bench).
    pub fn log(&mut self) -> Result<Vec<Op>> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.pull(cursor.as_deref(), 10_000)?;
            if page.ops.is_empty() {
                return Ok(out);
            }
            cursor = page.cursor;
            out.extend(page.ops);
        }
    }
}

fn cursor_of(cursor: Option<&str>) -> Result<(i64, i64)> {
    let Some(text) = cursor else { return Ok((0, 0)) };
    let bad = || Error::Storage(format!("the sync cursor {text:?} is damaged"));
    let (txid, id) = text.split_once(':').ok_or_else(bad)?;
    Ok((txid.parse().map_err(|_| bad())?, id.parse().map_err(|_| bad())?))
}

impl Remote for Server {
    fn push(&mut self, ops: &[Op]) -> Result<()> {
        let Some(replica) = ops.first().map(|o| o.replica) else { return Ok(()) };
        let registered = self.registered;
        let user = self.user.clone();
        self.rt.block_on(async {
            let tx = self.client.transaction().await.map_err(map_error)?;
            if registered != Some(replica) {
                tx.execute("INSERT INTO kontor.replicas (replica_id) VALUES ($1) ON CONFLICT DO NOTHING", &[&replica])
                    .await
                    .map_err(map_error)?;
                let owner: Option<String> = tx
                    .query_opt("SELECT role::text FROM kontor.replicas WHERE replica_id = $1", &[&replica])
                    .await
                    .map_err(map_error)?
                    .map(|r| r.get(0));
                if owner.as_deref() != Some(user.as_str()) {
                    return Err(Error::SyncRefused(format!(
                        "this laptop's replica {replica} is registered to another user ({})",
                        owner.unwrap_or_else(|| "unknown".into())
                    )));
                }
            }
            let mut replicas = Vec::with_capacity(ops.len());
            let mut seqs = Vec::with_capacity(ops.len());
            let mut entities = Vec::with_capacity(ops.len());
            let mut ids = Vec::with_capacity(ops.len());
            let mut fields = Vec::with_capacity(ops.len());
            let mut values = Vec::with_capacity(ops.len());
            let mut hlcs = Vec::with_capacity(ops.len());
            let mut prevs = Vec::with_capacity(ops.len());
            for op in ops {
                replicas.push(op.replica);
                seqs.push(i64::try_from(op.seq).unwrap_or(i64::MAX));
                entities.push(op.kind.as_str().to_owned());
                ids.push(op.entity);
                fields.push(op.field.clone());
                values.push(op.value.clone());
                hlcs.push(op.hlc.to_string());
                prevs.push(op.prev.map(|p| p.to_string()));
            }
            tx.execute(
                "INSERT INTO kontor.ops (replica_id, seq, entity, entity_id, field, value, hlc, prev) \
                 SELECT * FROM unnest($1::uuid[], $2::int8[], $3::text[], $4::uuid[], $5::text[], $6::jsonb[], $7::text[], $8::text[]) \
                 ON CONFLICT (replica_id, seq) DO NOTHING",
                &[&replicas, &seqs, &entities, &ids, &fields, &values, &hlcs, &prevs],
            )
            .await
            .map_err(map_error)?;
            for op in ops.iter().filter(|o| o.field == kontor_core::sync::ERASED && o.value == serde_json::Value::Bool(true)) {
                tx.execute("SELECT kontor.erase($1)", &[&op.entity]).await.map_err(map_error)?;
            }
            tx.commit().await.map_err(map_error)?;
            Ok::<_, Error>(())
        })?;
        self.registered = Some(replica);
        Ok(())
    }

    fn pull(&mut self, cursor: Option<&str>, limit: usize) -> Result<Pulled> {
        let (txid, id) = cursor_of(cursor)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.rt.block_on(async {
            let tx = self
                .client
                .build_transaction()
                .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await
                .map_err(map_error)?;
            let rows = tx
                .query(
                    "SELECT txid, id, replica_id, seq, entity, entity_id, field, value, hlc, prev, role::text \
                     FROM kontor.ops \
                     WHERE (txid, id) > ($1, $2) AND txid < txid_snapshot_xmin(txid_current_snapshot()) \
                     ORDER BY txid, id LIMIT $3",
                    &[&txid, &id, &limit],
                )
                .await
                .map_err(map_error)?;
            tx.commit().await.map_err(map_error)?;
            Ok::<_, Error>(rows)
        })?;
        let mut page = Pulled {
            ops: Vec::with_capacity(rows.len()),
            foreign: Vec::new(),
            cursor: cursor.map(str::to_owned),
        };
        for row in rows {
            let kind: String = row.get(4);
            let hlc: String = row.get(8);
            let prev: Option<String> = row.get(9);
            page.cursor = Some(format!("{}:{}", row.get::<_, i64>(0), row.get::<_, i64>(1)));
            let Some(kind) = EntityKind::parse(&kind) else {
                // A kind a newer Kontor syncs: kept for the version that knows it.
                page.foreign.push(serde_json::json!({
                    "replica": row.get::<_, uuid::Uuid>(2),
                    "seq": row.get::<_, i64>(3),
                    "kind": kind,
                    "entity": row.get::<_, uuid::Uuid>(5),
                    "field": row.get::<_, String>(6),
                    "value": row.get::<_, serde_json::Value>(7),
                    "hlc": hlc,
                    "prev": prev,
                    "by": row.get::<_, Option<String>>(10),
                }));
                continue;
            };
            let damaged = |what: &str| Error::Storage(format!("the server's log holds a damaged {what}"));
            page.ops.push(Op {
                replica: row.get(2),
                seq: u64::try_from(row.get::<_, i64>(3)).map_err(|_| damaged("sequence number"))?,
                kind,
                entity: row.get(5),
                field: row.get(6),
                value: row.get(7),
                hlc: hlc.parse::<Hlc>().map_err(|_| damaged("clock stamp"))?,
                prev: prev.map(|p| p.parse::<Hlc>()).transpose().map_err(|_| damaged("clock stamp"))?,
                by: row.get(10),
            });
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_its_account_and_may_not_hold_a_password() {
        assert_eq!(
            account("postgres://anna@db.example.de:6543/vertrieb").unwrap(),
            "anna@db.example.de:6543/vertrieb"
        );
        assert_eq!(
            account("postgresql://ben@db.example.de/kontor?sslmode=require").unwrap(),
            "ben@db.example.de:5432/kontor"
        );
        assert_eq!(account("postgres://carla@localhost").unwrap(), "carla@localhost:5432/carla");
        for bad in [
            "postgres://anna:geheim@db/kontor",
            "mysql://anna@db/kontor",
            "postgres://db.example.de/kontor",
            "db.example.de",
        ] {
            let e = account(bad).unwrap_err();
            assert_eq!(e.code(), kontor_core::ErrorCode::InvalidInput, "{bad}: {e}");
        }
    }

    #[test]
    fn a_cursor_is_the_transaction_and_the_row_and_a_damaged_one_is_said() {
        assert_eq!(cursor_of(None).unwrap(), (0, 0));
        assert_eq!(cursor_of(Some("7412:99")).unwrap(), (7412, 99));
        assert!(cursor_of(Some("7412")).is_err());
        assert!(cursor_of(Some("x:1")).is_err());
    }

    #[test]
    fn a_closed_port_is_offline_not_refused() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("postgres://anna@127.0.0.1:{port}/kontor?sslmode=disable");
        let e = Server::connect(&url, None).err().expect("nothing listens there");
        assert_eq!(e.code(), kontor_core::ErrorCode::SyncOffline, "{e}");
    }
}
