//! `kontor`: the command line over Kontor's core, for scripting, backups and
//! tests. It opens the same data directory as the desktop app (or
//! `--data-dir` / `KONTOR_DATA_DIR`), prints JSON with `--json`, and exits
//! non-zero with one line on stderr when anything is refused.

mod contacts;
mod data;
mod deals;
mod field;
mod organizations;
mod output;
mod parse;
mod sync;
mod tasks;

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use kontor_core::{paths, Language, Store};

use crate::output::{Error, Result};

/// The allocator the binaries ship with (see the workspace manifest).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in v2's `mi_option_e`;
/// the sys crate does not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes mimalloc give memory back to the system as soon as it is free
/// (it waits 10 ms by default). Set for an import only: it allocates and
/// frees on two threads at once, and its peak at 100,000 contacts is
/// ~225 MB so, ~270 MB with the delay; a one-shot command would pay
/// ~13 ms more in purging on its way out.
#[allow(unsafe_code)]
fn tune_allocator() {
    // SAFETY: `mi_option_set` stores one integer in mimalloc's option
    // table, which is read when memory is next purged.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) }
}

/// Kontor CRM on the command line.
#[derive(Parser)]
#[command(name = "kontor", version, about)]
struct Cli {
    /// Data directory (default: the desktop app's own).
    #[arg(long, global = true, env = paths::DATA_DIR_ENV, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// The command groups; each is parsed here and run by its module.
#[derive(Subcommand)]
enum Command {
    /// Create, list, show and move contacts.
    #[command(subcommand)]
    Contacts(contacts::ContactsCommand),
    /// Log and list activities (the communication log).
    #[command(subcommand)]
    Activity(contacts::ActivityCommand),
    /// Set qualification criteria (yes / no / unknown) and accept proposals.
    Qualify(contacts::QualifyArgs),
    /// Follow-up tasks and reminders.
    #[command(subcommand)]
    Tasks(tasks::TasksCommand),
    /// Deals (opportunities) and the pipeline.
    #[command(subcommand)]
    Deals(deals::DealsCommand),
    /// Organisations (accounts) with their contacts and deals.
    #[command(subcommand)]
    Organizations(organizations::OrganizationsCommand),
    /// Reports: funnel, conversion, pipeline, activities, sources, overdue.
    Report(deals::ReportArgs),
    /// Import contacts from CSV (Google, Outlook, HubSpot, Excel), vCard or Kontor JSON.
    Import(data::ImportArgs),
    /// Export all contacts as CSV, vCard 4.0 or JSON.
    Export(data::ExportArgs),
    /// Write the whole store as a JSON backup with a manifest.
    Backup {
        /// The backup file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Print the manifest as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Restore a backup (into an empty data directory unless --force). A
    /// store that cannot be opened (damaged, newer) is moved aside to
    /// store.damaged-<time> first, never deleted; a store with records is
    /// backed up into the backups folder before it is replaced.
    Restore(data::RestoreArgs),
    /// The automatic backups in the data directory's backups folder.
    #[command(subcommand)]
    Backups(data::BackupsCommand),
    /// Check the store: every record decodes, every index, counter and
    /// search entry matches the records, every reference resolves. Exit 1
    /// with each problem when anything is wrong.
    Doctor {
        /// Rebuild all derived data from the records (deletes no record)
        /// and say what changed.
        #[arg(long)]
        repair: bool,
        /// Print JSON: the problems as [{"kind", "id", "problem"}].
        #[arg(long)]
        json: bool,
    },
    /// GDPR: export or erase everything about one person.
    #[command(subcommand)]
    Person(data::PersonCommand),
    /// Team sync through a PostgreSQL server: `sync setup --url`, `sync`
    /// (send and receive), `sync status`.
    Sync(sync::SyncArgs),
    /// The fields two reps changed at once, and picking one value.
    #[command(subcommand)]
    Conflicts(sync::ConflictsCommand),
    /// Search contacts, organisations and deals (typo tolerant, best first).
    Search(contacts::SearchArgs),
    /// Contacts that may be the same person (same email, phone, or similar name at one organisation).
    Duplicates {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a contact's score with its explanation and proposal.
    Score(contacts::ScoreArgs),
    /// Appointments (Termine): add, list, move, delete.
    #[command(subcommand)]
    Appointments(field::AppointmentsCommand),
    /// The rep's calendar as an iCalendar file: export, import.
    #[command(subcommand)]
    Calendar(field::CalendarCommand),
    /// Visit day plans, check-in and visit reports.
    #[command(subcommand)]
    Visits(field::VisitsCommand),
    /// Where customers are: geocoding, pins, nearby customers.
    #[command(subcommand)]
    Places(field::PlacesCommand),
    /// The mileage log (Fahrtenbuch): add trips, list, export for the tax office.
    #[command(subcommand)]
    Mileage(field::MileageCommand),
}

/// The time now: the binary's edge is where the clock is read.
/// `KONTOR_CLOCK_OFFSET_SECONDS` sets this laptop's clock off by that
/// much, for tests of replicas whose clocks disagree.
#[allow(clippy::disallowed_methods)]
fn now() -> DateTime<Utc> {
    let offset =
        std::env::var("KONTOR_CLOCK_OFFSET_SECONDS").ok().and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    Utc::now() + chrono::Duration::seconds(offset)
}

fn run(cli: Cli) -> Result {
    let dir = cli
        .data_dir
        .filter(|d| !d.as_os_str().is_empty())
        .or_else(paths::default_data_dir)
        .ok_or(Error::NoDataDir)?;
    // Restore works whatever state the store is in, so it opens the store
    // itself (moving a damaged one aside).
    if let Command::Restore(args) = cli.command {
        return data::restore(&dir, args);
    }
    let dir_existed = dir.exists();
    let store = Store::open(&dir)?;
    store.set_fallback_language(os_language());
    // An upgraded (or interrupted) store gets its derived data back before
    // the command reads it; the app does this in the background instead.
    if store.needs_rebuild() {
        store.rebuild_derived(now())?;
    }
    let result = execute(&store, cli.command);
    if result.is_ok() {
        // Merging the search delta when it has grown, sweeping expired windows.
        if let Err(e) = store.maintain(now()) {
            eprintln!("kontor: upkeep after the command failed: {e}");
        }
    }
    // A command that fails on a data directory that held no store leaves
    // none behind: nothing was written, so nothing should be there.
    // An erase leaves the erased person's old bytes in sled's log: the
    // closed store is rewritten without them.
    if store.compaction_pending() {
        drop(store);
        if let Err(e) = kontor_core::store::compact(&dir) {
            eprintln!("kontor: compacting the store after the erase failed ({e}); it is tried again at the next open");
        }
        return result;
    }
    // A store that holds records (an import cut short keeps its whole
    // batches) stays, however the command ended.
    // (Counting reads every key: only for a failed command on a new store.)
    if result.is_err()
        && store.is_new()
        && store.record_counts().is_ok_and(|c| c == kontor_core::backup_file::RecordCounts::default())
    {
        drop(store);
        let _ = std::fs::remove_dir_all(dir.join("store"));
        let _ = std::fs::remove_dir_all(dir.join("search"));
        let _ = std::fs::remove_file(dir.join("expected"));
        let _ = std::fs::remove_file(dir.join("compact.lock"));
        if !dir_existed {
            let _ = std::fs::remove_dir(&dir);
        }
    }
    result
}

/// The language the OS locale asks for, by the rule the app follows too.
fn os_language() -> Language {
    Language::from_locale(&sys_locale::get_locale().unwrap_or_default())
}

/// Runs one command on the open store.
fn execute(store: &Store, command: Command) -> Result {
    match command {
        Command::Contacts(c) => contacts::run(store, c),
        Command::Activity(c) => contacts::activity(store, c),
        Command::Qualify(q) => contacts::qualify(store, q),
        Command::Search(s) => contacts::search(store, s),
        Command::Duplicates { json } => contacts::duplicates(store, json),
        Command::Score(s) => contacts::score(store, s),
        Command::Tasks(c) => tasks::run(store, c),
        Command::Deals(c) => deals::run(store, c),
        Command::Organizations(c) => organizations::run(store, c),
        Command::Report(r) => deals::report(store, r),
        Command::Import(a) => data::import(store, a),
        Command::Export(a) => data::export(store, a),
        Command::Backup { out, json } => data::backup(store, &out, json),
        Command::Backups(c) => data::backups(store, c),
        Command::Doctor { repair, json } => data::doctor(store, repair, json),
        Command::Person(c) => data::person(store, c),
        Command::Appointments(c) => field::appointments(store, c),
        Command::Calendar(c) => field::calendar(store, c),
        Command::Visits(c) => field::visits(store, c),
        Command::Places(c) => field::places(store, c),
        Command::Mileage(c) => field::mileage(store, c),
        Command::Sync(a) => sync::run(store, a),
        Command::Conflicts(c) => sync::conflicts(store, c),
        Command::Restore(_) => unreachable!("restore opens the store itself"),
    }
}

/// Parses the command line; usage errors become one line on stderr (exit 2).
fn parse_cli() -> std::result::Result<Cli, ExitCode> {
    use clap::error::ErrorKind;
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            e.exit()
        }
        Err(e) => {
            let text = e.to_string();
            let line = text
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!("kontor: {}", line.trim_start_matches("error: "));
            Err(ExitCode::from(2))
        }
    }
}

fn main() -> ExitCode {
    let cli = match parse_cli() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader closed the pipe: it has what it wanted.
        Err(Error::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kontor: {e}");
            ExitCode::FAILURE
        }
    }
}
