//! `kontor sync` and `kontor conflicts`: team sync through a PostgreSQL
//! server, from scripts. The password comes from `KONTOR_SYNC_PASSWORD` or
//! the OS keychain (`sync setup --password-stdin` keeps it there).

use std::io::{BufRead as _, IsTerminal as _};

use clap::{Args, Subcommand};
use kontor_core::store::SyncProgress;
use kontor_core::sync::{Pick, SyncReport};
use kontor_core::{Error as CoreError, Store};
use kontor_sync::{password, SetUp};
use serde::Serialize;

use crate::now;
use crate::output::{out, print_json, Result};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SyncArgs {
    #[command(subcommand)]
    command: Option<SyncCommand>,
    /// Print JSON: {"pushed","pulled","conflicts"}.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Set up sync with a team server: checks it, creates Kontor's schema
    /// there on first use (asks, or --yes), and queues every record here
    /// for the first sync.
    Setup {
        /// The server: postgres://USER@HOST:PORT/DB (no password in it;
        /// `?sslmode=require` for TLS only).
        #[arg(long)]
        url: String,
        /// Read the password from standard input and keep it in the OS
        /// keychain (else KONTOR_SYNC_PASSWORD or the keychain's).
        #[arg(long)]
        password_stdin: bool,
        /// Create the schema on a server without one, without asking.
        #[arg(long)]
        yes: bool,
        /// Print JSON: {"replica","server","pending"}.
        #[arg(long)]
        json: bool,
    },
    /// What waits to be sent, when the last sync was, open conflicts.
    Status {
        /// Print JSON: {"pending","last_sync","conflicts"}.
        #[arg(long)]
        json: bool,
    },
    /// For checks: a hash of this replica's synced state and the stamp of
    /// every register, as JSON {"hash","registers"}.
    #[command(hide = true)]
    State,
}

#[derive(Subcommand)]
pub enum ConflictsCommand {
    /// The fields two reps changed at once: both values, who and when.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Apply one side of a conflict (local: this laptop's value; remote:
    /// the other's); it is sent like any edit.
    Resolve {
        /// The conflict's number (from `conflicts list`).
        id: u64,
        /// Which value to keep.
        #[arg(long, value_enum)]
        take: Pick,
    },
}

pub fn run(store: &Store, args: SyncArgs) -> Result {
    match args.command {
        None => sync(store, args.json),
        Some(SyncCommand::Setup { url, password_stdin, yes, json }) => {
            setup(store, &url, password_stdin, yes, json)
        }
        Some(SyncCommand::Status { json }) => status(store, json),
        Some(SyncCommand::State) => {
            let registers: std::collections::BTreeMap<String, String> = store
                .sync_registers()?
                .into_iter()
                .map(|(_, id, field, hlc)| (format!("{id}/{field}"), hlc.to_string()))
                .collect();
            print_json(&serde_json::json!({ "hash": store.sync_state_hash()?, "registers": registers }))
        }
    }
}

fn setup(store: &Store, url: &str, password_stdin: bool, yes: bool, json: bool) -> Result {
    let typed = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(crate::output::Error::Write)?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    let progress = |n| eprint!("\rkontor: {n} records queued for the first sync");
    let mut outcome = kontor_sync::set_up(store, url, typed.as_deref(), yes, now(), &progress)?;
    if matches!(outcome, SetUp::NeedsSchema) {
        let account = kontor_sync::account(url)?;
        if !confirm(&format!("The server {account} has no Kontor schema yet. Create it? [y/N] "))? {
            return Err(CoreError::InvalidInput {
                field: "url",
                reason: "the server has no Kontor schema yet; run again with --yes to create it".into(),
            }
            .into());
        }
        outcome = kontor_sync::set_up(store, url, typed.as_deref(), true, now(), &progress)?;
    }
    let SetUp::Done { replica, account, password } = outcome else {
        unreachable!("the schema was made above")
    };
    eprintln!();
    // Without a keychain (a server without a desktop session) scripts give
    // the password in the environment.
    if let Some(Err(e)) = password {
        eprintln!("kontor: {e}; give the password in {} for later syncs", password::ENV);
    }
    #[derive(Serialize)]
    struct Done {
        replica: uuid::Uuid,
        server: String,
        pending: u64,
    }
    let done = Done { replica, server: account, pending: store.sync_pending() };
    if json {
        return print_json(&done);
    }
    out!(
        "Set up: this replica {} syncs with {}; {} operations wait for the first sync.",
        done.replica,
        done.server,
        done.pending
    );
    Ok(())
}

/// Asks on the terminal; no terminal means no.
fn confirm(question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!("{question}");
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(crate::output::Error::Write)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes" | "j" | "ja"))
}

fn sync(store: &Store, json: bool) -> Result {
    let config = store.sync_config()?.ok_or(CoreError::SyncNotSetUp)?;
    let mut server = kontor_sync::connect_for_sync(&config.url, None)?;
    let progress = |p: SyncProgress| match p {
        SyncProgress::Queued(n) => eprint!("\rkontor: {n} records queued"),
        SyncProgress::Pushed(n, of) => eprint!("\rkontor: sent {n} of {of} operations"),
        SyncProgress::Pulled(n) => eprint!("\rkontor: received {n} operations"),
    };
    let report: SyncReport = store.sync_with(&mut server, now(), &progress)?;
    if report.pushed + report.pulled > 0 {
        eprintln!();
    }
    if json {
        return print_json(&report);
    }
    out!("Sent {}, received {}, {} new conflicts.", report.pushed, report.pulled, report.conflicts);
    Ok(())
}

fn status(store: &Store, json: bool) -> Result {
    let s = store.sync_status()?;
    #[derive(Serialize)]
    struct Status {
        pending: u64,
        last_sync: Option<chrono::DateTime<chrono::Utc>>,
        conflicts: u64,
    }
    if json {
        return print_json(&Status { pending: s.pending, last_sync: s.last_sync, conflicts: s.conflicts });
    }
    match &s.server {
        Some(server) => out!("Server:     {}", server.url),
        None => out!("Server:     not set up (kontor sync setup --url postgres://USER@HOST:PORT/DB)"),
    }
    out!("Waiting:    {} operations", s.pending);
    out!("Last sync:  {}", s.last_sync.map_or("never".to_owned(), |t| t.to_rfc3339()));
    out!("Conflicts:  {}", s.conflicts);
    if s.set_aside > 0 {
        out!("Set aside:  {} changes from a newer Kontor (an update reads them)", s.set_aside);
    }
    Ok(())
}

pub fn conflicts(store: &Store, command: ConflictsCommand) -> Result {
    match command {
        ConflictsCommand::List { json } => {
            let list = store.sync_conflicts()?;
            if json {
                return print_json(&list);
            }
            for c in &list {
                let deleted = c.field == kontor_core::sync::DELETED;
                out!("{:>4}  {} {} ({})  {}", c.id, c.kind.as_str(), c.name, c.entity, c.field);
                let local = if deleted {
                    "the record as it was here, with the changes".into()
                } else {
                    c.local.value.to_string()
                };
                out!("      local:  {local}  ({})", c.local.at.to_rfc3339());
                let by = c.remote.by.as_deref().unwrap_or("another replica");
                let remote = if deleted { "deleted".into() } else { c.remote.value.to_string() };
                out!("      remote: {remote}  ({}, {by})", c.remote.at.to_rfc3339());
            }
            Ok(())
        }
        ConflictsCommand::Resolve { id, take } => {
            let c = store.sync_resolve(id, take, now())?;
            let kept = match take {
                Pick::Local => &c.local.value,
                Pick::Remote => &c.remote.value,
            };
            match (c.field == kontor_core::sync::DELETED, take) {
                (true, Pick::Local) => {
                    out!("{} {} is made again; it is sent at the next sync.", c.kind.as_str(), c.name)
                }
                (true, Pick::Remote) => out!("{} {} stays deleted.", c.kind.as_str(), c.name),
                _ => out!("{} of {} is now {kept}; it is sent at the next sync.", c.field, c.name),
            }
            Ok(())
        }
    }
}
