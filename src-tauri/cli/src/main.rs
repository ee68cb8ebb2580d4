//! `kontor`: the command line over Kontor's core, for scripting, backups and
//! tests. It opens the same data directory as the desktop app (or
//! `--data-dir` / `KONTOR_DATA_DIR`), prints JSON with `--json`, and exits
//! non-zero with one line on stderr when anything is refused.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use kontor_core::import::{self, ImportFormat, ImportOptions, Preset};
use kontor_core::search::{DocKind, SearchQuery};
use kontor_core::task::{parse_offset, system_timezone};
use kontor_core::{backup_file, export};
use kontor_core::{backups, recovery};
use kontor_core::{
    paths, ActivityInput, ActivityKind, ActivityQuery, Answer, AutomationOutcome, ChangedBy, Contact,
    ContactInput, CriteriaUpdate, Deal, DealInput, Language, ListQuery, Period, Priority, Repeat, ReportKind,
    SortOrder, Stage, StageChangeRequest, Store, TargetGroupSetting, TaskInput, TaskView,
};
use uuid::Uuid;

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

#[derive(Subcommand)]
enum Command {
    /// Create, list, show and move contacts.
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Log and list activities (the communication log).
    #[command(subcommand)]
    Activity(ActivityCommand),
    /// Set qualification criteria (yes / no / unknown) and accept proposals.
    Qualify(QualifyArgs),
    /// Follow-up tasks and reminders.
    #[command(subcommand)]
    Tasks(TasksCommand),
    /// Deals (opportunities) and the pipeline.
    #[command(subcommand)]
    Deals(DealsCommand),
    /// Reports: funnel, conversion, pipeline, activities, sources, overdue.
    Report {
        /// funnel, conversion, pipeline, activities, sources or overdue.
        kind: ReportKind,
        /// First day (YYYY-MM-DD, inclusive; default: open).
        #[arg(long, value_parser = parse_date)]
        from: Option<NaiveDate>,
        /// Last day (YYYY-MM-DD, inclusive; default: open).
        #[arg(long, value_parser = parse_date)]
        to: Option<NaiveDate>,
        /// Print JSON.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV (German: `;` and decimal comma; English: `,` and point; per settings).
        #[arg(long)]
        csv: bool,
    },
    /// Import contacts from CSV (Google, Outlook, HubSpot, Excel), vCard or Kontor JSON.
    Import {
        /// The file.
        file: PathBuf,
        /// File kind.
        #[arg(long, value_enum, default_value = "auto")]
        format: FormatArg,
        /// CSV layout.
        #[arg(long, value_enum, default_value = "auto")]
        preset: PresetArg,
        /// Report what would happen without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Source recorded on the contacts (default: the file name).
        #[arg(long)]
        source: Option<String>,
        /// Do not merge records into contacts with the same email or phone.
        #[arg(long)]
        no_merge: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export all contacts as CSV, vCard 4.0 or JSON.
    Export {
        /// csv, vcard or json.
        #[arg(long, value_enum)]
        format: ExportArg,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
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
    Restore {
        /// The backup file (JSON, or the backups folder's .json.gz).
        #[arg(required_unless_present = "latest")]
        file: Option<PathBuf>,
        /// Restore the newest verified backup of the backups folder.
        #[arg(long, conflicts_with = "file")]
        latest: bool,
        /// Replace the records present.
        #[arg(long)]
        force: bool,
        /// Print the counts as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The automatic backups in the data directory's backups folder.
    #[command(subcommand)]
    Backups(BackupsCommand),
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
    Person(PersonCommand),
    /// Search contacts, organisations and deals (typo tolerant, best first).
    Search {
        /// What to look for: names, company, email, phone in any formatting,
        /// tags, notes, job title, city, postcode, source, deal title.
        query: String,
        /// Only this kind: contact, organization or deal.
        #[arg(long, value_parser = parse_kind)]
        kind: Option<DocKind>,
        /// Hits to show at most.
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Print JSON: [{"kind", "id", "title", "subtitle", "matched"}].
        #[arg(long)]
        json: bool,
    },
    /// Contacts that may be the same person (same email, phone, or similar name at one organisation).
    Duplicates {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a contact's score with its explanation and proposal.
    Score {
        /// Contact id.
        id: String,
        /// Score as of this time (RFC 3339 or YYYY-MM-DD; default now).
        #[arg(long, value_parser = parse_time)]
        at: Option<DateTime<Utc>>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum DealsCommand {
    /// Add a deal for a contact (an open deal makes the contact an opportunity).
    Add {
        /// Contact id.
        #[arg(long)]
        contact: String,
        /// What is sold.
        #[arg(long)]
        title: String,
        /// Value in major units (1234.50).
        #[arg(long)]
        value: f64,
        /// ISO 4217 currency code.
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// Stage key (default: the first stage).
        #[arg(long)]
        stage: Option<String>,
        /// Expected close date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        close: Option<NaiveDate>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move a deal to another stage (lost needs --reason).
    Stage {
        /// Deal id.
        id: String,
        /// Stage key: qualification, needs_analysis, proposal, negotiation, won, lost.
        stage: String,
        /// Why (required for lost).
        #[arg(long)]
        reason: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List deals, optionally of one stage.
    List {
        /// Only this stage key.
        #[arg(long)]
        stage: Option<String>,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BackupsCommand {
    /// The backups, newest first.
    List {
        /// Print JSON: [{"file", "created_at", "counts", "verified", "reason"}].
        #[arg(long)]
        json: bool,
    },
    /// Write a backup into the folder now (verified and rotated like the
    /// automatic ones).
    Create {
        /// Print it as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum PersonCommand {
    /// Everything about one person as JSON.
    Export {
        /// Contact id.
        id: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Erase one person for good: record, activities, tasks, index entries.
    Erase {
        /// Contact id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Csv,
    Vcard,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum PresetArg {
    Auto,
    Google,
    Outlook,
    Hubspot,
    Generic,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportArg {
    Csv,
    Vcard,
    Json,
}

#[derive(Subcommand)]
enum TasksCommand {
    /// Add a task (times are read in the system time zone, `TZ` if set).
    Add {
        /// What to do.
        #[arg(long)]
        title: String,
        /// Due: RFC 3339 (a time) or YYYY-MM-DD (a day).
        #[arg(long)]
        due: String,
        /// The contact it is about.
        #[arg(long)]
        contact: Option<String>,
        /// The deal it is about (its contact, unless --contact names it).
        #[arg(long)]
        deal: Option<String>,
        /// A reminder before due: 0, 15m, 2h, 1d (repeatable).
        #[arg(long = "remind")]
        reminders: Vec<String>,
        /// daily, weekly, monthly or every:N (days).
        #[arg(long)]
        repeat: Option<Repeat>,
        /// low, normal or high.
        #[arg(long, default_value = "normal")]
        priority: Priority,
        /// Notes.
        #[arg(long)]
        notes: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Open tasks overdue or due up to a time (default now). Snoozed tasks
    /// that are due count too: a snooze moves the reminder, not the due date.
    Due {
        /// RFC 3339, or YYYY-MM-DD: up to the end of that day (local time).
        #[arg(long, value_parser = parse_until_end_of_day)]
        until: Option<DateTime<Utc>>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Mark a task done (a repeating one gets its next occurrence).
    Done {
        /// Task id.
        id: String,
        /// Print JSON: {"done": task, "next": task or null}.
        #[arg(long)]
        json: bool,
    },
    /// Remind again at a later time (reminders before it are dropped).
    Snooze {
        /// Task id.
        id: String,
        /// RFC 3339, or YYYY-MM-DD: 09:00 local time on that day.
        #[arg(long, value_parser = parse_snooze_until)]
        until: DateTime<Utc>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List tasks: overdue, today, upcoming (7 days), done, or all open ones.
    List {
        /// Which tasks.
        #[arg(long, value_enum, default_value_t = View::Open)]
        view: View,
        /// Only this contact's tasks (open and done).
        #[arg(long)]
        contact: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum View {
    Overdue,
    Today,
    Upcoming,
    Done,
    Open,
}

#[derive(Subcommand)]
enum ActivityCommand {
    /// Log an activity on a contact.
    Add {
        /// Contact id.
        contact_id: String,
        /// call, meeting, visit, email, note, newsletter_signup, whitepaper_download,
        /// webinar_attended, website_visit, email_opened, email_replied, form_submitted.
        #[arg(long)]
        kind: ActivityKind,
        /// When it happened (RFC 3339 or YYYY-MM-DD; default now).
        #[arg(long, value_parser = parse_time)]
        at: Option<DateTime<Utc>>,
        /// One line.
        #[arg(long)]
        summary: Option<String>,
        /// Free text.
        #[arg(long)]
        text: Option<String>,
        /// What came out of it.
        #[arg(long)]
        outcome: Option<String>,
        /// Questions and concerns raised.
        #[arg(long)]
        concerns: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List a contact's activities, newest first.
    List {
        /// Contact id.
        contact_id: String,
        /// Only this kind (repeatable).
        #[arg(long = "kind")]
        kinds: Vec<ActivityKind>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct QualifyArgs {
    /// Contact id.
    id: String,
    /// Fits the target group: yes, no, unknown, or auto (from the organisation's data).
    #[arg(long)]
    target_group: Option<TargetGroupSetting>,
    /// Has the budget / means: yes, no or unknown.
    #[arg(long)]
    budget: Option<Answer>,
    /// May decide: yes, no or unknown.
    #[arg(long)]
    authority: Option<Answer>,
    /// Has a need: yes, no or unknown.
    #[arg(long)]
    need: Option<Answer>,
    /// Has a timeline: yes, no or unknown.
    #[arg(long)]
    timeline: Option<Answer>,
    /// Then accept the qualification proposal (a stage change "by rule").
    #[arg(long)]
    accept: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum ContactsCommand {
    /// Add a contact (as a lead).
    Add(AddArgs),
    /// List contacts, optionally by stage or search text.
    List(ListArgs),
    /// Show one contact with its stage history.
    Show {
        /// Contact id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Move a contact to another lifecycle stage.
    Stage {
        /// Contact id.
        id: String,
        /// Target stage: lead, prospect, opportunity, customer or disqualified.
        stage: Stage,
        /// Why (required to disqualify and for forced corrections).
        #[arg(long)]
        reason: Option<String>,
        /// Allow skipping a stage or going back (needs --reason).
        #[arg(long)]
        force: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct AddArgs {
    /// Given name.
    #[arg(long, default_value = "")]
    first_name: String,
    /// Family name.
    #[arg(long, default_value = "")]
    last_name: String,
    /// Display name (default: "first last").
    #[arg(long)]
    display_name: Option<String>,
    /// Email address (repeatable).
    #[arg(long = "email")]
    emails: Vec<String>,
    /// Phone number (repeatable).
    #[arg(long = "phone")]
    phones: Vec<String>,
    /// Organisation name (found or created).
    #[arg(long)]
    organization: Option<String>,
    /// Job title.
    #[arg(long)]
    title: Option<String>,
    /// Source (fair, list, referral ...).
    #[arg(long)]
    source: Option<String>,
    /// Tag (repeatable).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Notes.
    #[arg(long)]
    notes: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ListArgs {
    /// Only this stage.
    #[arg(long)]
    stage: Option<Stage>,
    /// Search text (name, organisation, email, phone, tags).
    #[arg(long)]
    search: Option<String>,
    /// Order.
    #[arg(long, value_enum, default_value_t = Sort::Name)]
    sort: Sort,
    /// Print at most this many.
    #[arg(long)]
    limit: Option<u32>,
    /// Only contacts the qualification rules propose for the next stage.
    #[arg(long)]
    ready_to_qualify: bool,
    /// Print a JSON array.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Sort {
    Name,
    LastChange,
}

/// Everything the CLI can fail with; printed as one line.
#[derive(Debug, thiserror::Error)]
enum Error {
    #[error(transparent)]
    Core(#[from] kontor_core::Error),
    #[error("no data directory: set --data-dir or KONTOR_DATA_DIR")]
    NoDataDir,
    #[error("not an id: {0:?}")]
    InvalidId(String),
    #[error("cannot write output: {0}")]
    Output(String),
    #[error("cannot write output: {0}")]
    Write(#[source] std::io::Error),
    #[error(
        "the check found {0} problem(s); `kontor doctor --repair` rebuilds what is derived from the records"
    )]
    Unhealthy(usize),
}

/// `println!` that hands a failed write back as [`Error::Write`] instead of
/// panicking, so `kontor … | head` ends quietly when `head` has read enough.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err(Error::Write)?
    }};
}

#[allow(clippy::disallowed_methods)] // the binary's edge is where the clock is read
fn now() -> DateTime<Utc> {
    Utc::now()
}

/// RFC 3339, or a date (midnight UTC).
fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| format!("{s:?} is neither RFC 3339 (2026-05-04T10:00:00Z) nor YYYY-MM-DD"))
}

/// RFC 3339, or a date: the end of that day in the local time zone.
fn parse_until_end_of_day(s: &str) -> Result<DateTime<Utc>, String> {
    parse_local_day_or_time(s, chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default())
}

/// RFC 3339, or a date: 09:00 local time on that day (as the snooze presets).
fn parse_snooze_until(s: &str) -> Result<DateTime<Utc>, String> {
    parse_local_day_or_time(s, chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default())
}

fn parse_local_day_or_time(s: &str, at: chrono::NaiveTime) -> Result<DateTime<Utc>, String> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(day) => Ok(kontor_core::task::local_to_utc(day.and_time(at), system_timezone())),
        Err(_) => parse_time(s),
    }
}

/// A date YYYY-MM-DD.
fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| format!("{s:?} is not a date YYYY-MM-DD"))
}

fn parse_id(id: &str) -> Result<Uuid, Error> {
    Uuid::parse_str(id.trim()).map_err(|_| Error::InvalidId(id.to_owned()))
}

/// One search hit as `kontor search --json` prints it.
#[derive(serde::Serialize)]
struct SearchLine<'a> {
    kind: &'static str,
    id: Uuid,
    title: &'a str,
    subtitle: &'a str,
    matched: &'a [String],
}

fn parse_kind(s: &str) -> Result<DocKind, String> {
    s.parse().map_err(|e: kontor_core::Error| e.to_string())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Output(e.to_string()))?;
    out!("{text}");
    Ok(())
}

fn print_contact(c: &Contact, json: bool) -> Result<(), Error> {
    if json {
        return print_json(c);
    }
    out!("{}  ({})", c.display_name, c.stage);
    out!("  id:           {}", c.id);
    if let Some(org) = &c.organization {
        out!("  organization: {org}");
    }
    if let Some(title) = &c.title {
        out!("  title:        {title}");
    }
    for email in &c.emails {
        out!("  email:        {email}");
    }
    for phone in &c.phones {
        out!("  phone:        {phone}");
    }
    if !c.tags.is_empty() {
        out!("  tags:         {}", c.tags.join(", "));
    }
    if let Some(source) = &c.source {
        out!("  source:       {source}");
    }
    if let Some(notes) = &c.notes {
        out!("  notes:        {}", notes.replace('\n', "\n                "));
    }
    out!("  score:        {}{}", c.score, proposal_note(c));
    out!("  history:");
    for h in &c.stage_history {
        let from = h.from.map_or("–".to_owned(), |s| s.to_string());
        let by = match h.by {
            ChangedBy::Hand => "by hand",
            ChangedBy::Rule => "by rule",
            ChangedBy::Import => "by import",
        };
        let reason = h.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
        out!("    {}  {from} → {}  {by}{reason}", h.at.format("%Y-%m-%d %H:%M UTC"), h.to);
    }
    Ok(())
}

fn run(cli: Cli) -> Result<(), Error> {
    let dir = cli
        .data_dir
        .filter(|d| !d.as_os_str().is_empty())
        .or_else(paths::default_data_dir)
        .ok_or(Error::NoDataDir)?;
    // Restore works whatever state the store is in, so it opens the store
    // itself (moving a damaged one aside).
    if let Command::Restore { file, latest, force, json } = cli.command {
        return restore(&dir, file, latest, force, json);
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
        && store.record_counts().is_ok_and(|c| c == backup_file::RecordCounts::default())
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

/// The language of the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`):
/// English for `en*`, else German, Kontor's first language.
/// The language the OS locale asks for, by the rule the app follows too.
fn os_language() -> Language {
    Language::from_locale(&sys_locale::get_locale().unwrap_or_default())
}

fn execute(store: &Store, command: Command) -> Result<(), Error> {
    match command {
        Command::Contacts(ContactsCommand::Add(a)) => {
            let input = ContactInput {
                first_name: a.first_name,
                last_name: a.last_name,
                display_name: a.display_name,
                organization: a.organization,
                title: a.title,
                emails: a.emails,
                phones: a.phones,
                tags: a.tags,
                source: a.source,
                notes: a.notes,
                ..Default::default()
            };
            let contact = store.create_contact(&input, ChangedBy::Hand, now())?;
            print_contact(&contact, a.json)
        }
        Command::Contacts(ContactsCommand::List(l)) => {
            let query = ListQuery {
                stage: l.stage,
                search: l.search,
                sort: match l.sort {
                    Sort::Name => SortOrder::Name,
                    Sort::LastChange => SortOrder::LastChange,
                },
                offset: 0,
                limit: l.limit.unwrap_or(u32::MAX),
                ready_to_qualify: l.ready_to_qualify,
                organization_id: None,
            };
            let page = store.list_contacts(&query, now())?;
            if l.json {
                return print_json(&page.items);
            }
            for c in &page.items {
                let org = c.organization.as_deref().unwrap_or("");
                let email = c.emails.first().map(String::as_str).unwrap_or("");
                let line = format!("{}  {:<12} {:<28} {:<28}", c.id, c.stage.key(), c.display_name, org);
                if l.ready_to_qualify {
                    // What makes them ready: the score and the stage proposed.
                    out!("{line} {email:<28} score {:>3}{}", c.score, proposal_note(c));
                } else {
                    out!("{line} {email}");
                }
            }
            if page.items.is_empty() {
                eprintln!("no contacts");
            }
            Ok(())
        }
        Command::Contacts(ContactsCommand::Show { id, json }) => {
            let contact = store.contact(parse_id(&id)?, now())?;
            print_contact(&contact, json)
        }
        Command::Contacts(ContactsCommand::Stage { id, stage, reason, force, json }) => {
            let request = StageChangeRequest { to: stage, reason, force };
            let contact = store.change_stage(parse_id(&id)?, &request, ChangedBy::Hand, now())?;
            print_contact(&contact, json)
        }
        Command::Activity(ActivityCommand::Add {
            contact_id,
            kind,
            at,
            summary,
            text,
            outcome,
            concerns,
            json,
        }) => {
            let input = ActivityInput { kind, at, summary, text, outcome, concerns };
            let (activity, contact) = store.log_activity(parse_id(&contact_id)?, input, now())?;
            if json {
                return print_json(&activity);
            }
            out!(
                "{}  {}  {} on {}",
                activity.id,
                activity.at.format("%Y-%m-%d %H:%M UTC"),
                activity.kind,
                contact.display_name
            );
            out!("score now {}{}", contact.score, proposal_note(&contact));
            Ok(())
        }
        Command::Activity(ActivityCommand::List { contact_id, kinds, limit, json }) => {
            let query = ActivityQuery { kinds: (!kinds.is_empty()).then_some(kinds), offset: 0, limit };
            let page = store.list_activities(parse_id(&contact_id)?, &query)?;
            if json {
                return print_json(&page.items);
            }
            for a in &page.items {
                let summary = a.summary.as_deref().unwrap_or("");
                out!("{}  {:<20} {summary}", a.at.format("%Y-%m-%d %H:%M"), a.kind.key());
                if let Some(c) = &a.concerns {
                    out!("{:<39}concerns: {c}", "");
                }
            }
            eprintln!("{} of {} activities", page.items.len(), page.total);
            Ok(())
        }
        Command::Qualify(q) => {
            let id = parse_id(&q.id)?;
            let update = CriteriaUpdate {
                target_group: q.target_group,
                budget: q.budget,
                authority: q.authority,
                need: q.need,
                timeline: q.timeline,
            };
            let mut contact = store.set_criteria(id, &update, now())?;
            if q.accept {
                contact = store.accept_proposal(id, now())?;
            }
            if q.json {
                return print_json(&contact);
            }
            let c = contact.criteria;
            out!(
                "{} ({}), score {}{}",
                contact.display_name,
                contact.stage,
                contact.score,
                proposal_note(&contact)
            );
            out!(
                "  target group {:?}{}, budget {:?}, authority {:?}, need {:?}, timeline {:?}",
                c.target_group,
                if contact.target_group_manual { "" } else { " (auto)" },
                c.budget,
                c.authority,
                c.need,
                c.timeline
            );
            Ok(())
        }
        Command::Tasks(TasksCommand::Add {
            title,
            due,
            contact,
            deal,
            reminders,
            repeat,
            priority,
            notes,
            json,
        }) => {
            let reminders = reminders.iter().map(|r| parse_offset(r)).collect::<Result<Vec<_>, _>>()?;
            let contact_id = contact.as_deref().map(parse_id).transpose()?;
            let deal_id = deal.as_deref().map(parse_id).transpose()?;
            let input = TaskInput { title, contact_id, deal_id, due, priority, notes, reminders, repeat };
            let task = store.create_task(input, system_timezone(), now())?;
            if json {
                return print_json(&task);
            }
            print_tasks(&[task], false)
        }
        Command::Tasks(TasksCommand::Due { until, json }) => {
            print_tasks(&store.open_tasks_due_until(until.unwrap_or_else(now))?, json)
        }
        Command::Tasks(TasksCommand::Done { id, json }) => {
            let (done, next) = store.complete_task(parse_id(&id)?, system_timezone(), now())?;
            if json {
                return print_json(&serde_json::json!({ "done": done, "next": next }));
            }
            print_tasks(&[done], false)?;
            if let Some(next) = next {
                out!("next:");
                print_tasks(&[next], false)?;
            }
            Ok(())
        }
        Command::Tasks(TasksCommand::Snooze { id, until, json }) => {
            let task = store.snooze_task(parse_id(&id)?, until, now())?;
            if json {
                return print_json(&task);
            }
            let local = until.with_timezone(&system_timezone());
            out!("{} snoozed until {}", task.title, local.format("%Y-%m-%d %H:%M %Z"));
            Ok(())
        }
        Command::Tasks(TasksCommand::List { view, contact, json }) => {
            let tasks = match contact {
                Some(c) => store.contact_tasks(parse_id(&c)?)?,
                None => {
                    let view = match view {
                        View::Overdue => TaskView::Overdue,
                        View::Today => TaskView::Today,
                        View::Upcoming => TaskView::Upcoming,
                        View::Done => TaskView::Done,
                        View::Open => TaskView::Open,
                    };
                    store.tasks(view, system_timezone(), now())?
                }
            };
            print_tasks(&tasks, json)
        }
        Command::Deals(DealsCommand::Add { contact, title, value, currency, stage, close, json }) => {
            let input = DealInput {
                contact_id: parse_id(&contact)?,
                title,
                value,
                currency,
                stage,
                close_date: close,
                ..Default::default()
            };
            let deal = store.create_deal(&input, now())?;
            print_deals(store, &[deal], json, false)
        }
        Command::Deals(DealsCommand::Stage { id, stage, reason, json }) => {
            let moved = store.move_deal(parse_id(&id)?, &stage, reason.as_deref(), now())?;
            if !json {
                for outcome in &moved.automation {
                    match outcome {
                        AutomationOutcome::TaskCreated { task } => {
                            eprintln!("automation: task {:?} due {}", task.title, task.due.format("%Y-%m-%d"))
                        }
                        AutomationOutcome::Notice { message } => eprintln!("automation: {message}"),
                        AutomationOutcome::Proposed { stage, .. } => {
                            eprintln!("automation: proposed {stage}")
                        }
                    }
                }
            }
            print_deals(store, &[moved.deal], json, false)
        }
        Command::Deals(DealsCommand::List { stage, json }) => {
            print_deals(store, &store.deals(stage.as_deref())?, json, true)
        }
        Command::Report { kind, from, to, json, csv } => {
            let period = Period { from, to };
            let report = store.report(kind, &period, system_timezone(), now())?;
            if json {
                return print_json(&report);
            }
            if csv {
                {
                    use std::io::Write as _;
                    let csv = report.to_csv(store.settings().language_or_default());
                    std::io::stdout().lock().write_all(csv.as_bytes()).map_err(Error::Write)?;
                }
                return Ok(());
            }
            print_table(&report.to_csv(kontor_core::Language::En))?;
            Ok(())
        }
        Command::Import { file, format, preset, dry_run, source, no_merge, json } => {
            tune_allocator();
            let options = ImportOptions {
                format: match format {
                    FormatArg::Auto => ImportFormat::Auto,
                    FormatArg::Csv => ImportFormat::Csv,
                    FormatArg::Vcard => ImportFormat::Vcard,
                    FormatArg::Json => ImportFormat::Json,
                },
                preset: match preset {
                    PresetArg::Auto => Preset::Auto,
                    PresetArg::Google => Preset::Google,
                    PresetArg::Outlook => Preset::Outlook,
                    PresetArg::Hubspot => Preset::Hubspot,
                    PresetArg::Generic => Preset::Generic,
                },
                mapping: None,
                source,
                merge_duplicates: !no_merge,
            };
            let bytes = std::fs::read(&file).map_err(|e| kontor_core::Error::io(&file, &e))?;
            let name = file
                .file_name()
                .map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
            let parsed = import::parse(&bytes, &name, &options)?;
            // The records are read; the file's bytes are not needed any more.
            drop(bytes);
            if !dry_run {
                backup_before(store, backups::Reason::Import)?;
            }
            let report = store.import(parsed, &name, &options, dry_run, |_, _| true, now())?;
            if json {
                return print_json(&report);
            }
            let verb = if dry_run { "would import" } else { "imported" };
            out!(
                "{verb} {}, merged {}, skipped {}, rejected {}",
                report.imported,
                report.merged,
                report.skipped,
                report.errors.len()
            );
            for e in &report.errors {
                out!("  line {}: {}", e.line, e.reason);
            }
            for w in &report.warnings {
                out!("  line {}: note: {}", w.line, w.reason);
            }
            Ok(())
        }
        Command::Export { format, out } => {
            let contacts = all_contacts(store)?;
            let text = match format {
                ExportArg::Csv => export::contacts_csv(&contacts),
                ExportArg::Vcard => export::contacts_vcard(&contacts),
                ExportArg::Json => {
                    serde_json::to_string_pretty(&contacts).map_err(|e| Error::Output(e.to_string()))? + "\n"
                }
            };
            write_out(out.as_deref(), text.as_bytes())?;
            if let Some(out) = out {
                eprintln!("{} contacts written to {}", contacts.len(), out.display());
            }
            Ok(())
        }
        Command::Backup { out, json } => {
            let manifest = backups::save(store, &out, env!("CARGO_PKG_VERSION"), now())?;
            if json {
                return print_json(&manifest);
            }
            let c = &manifest.counts;
            out!(
                "backup written to {}: {} contacts, {} organisations, {} activities, {} tasks, {} deals ({})",
                out.display(),
                c.contacts,
                c.organizations,
                c.activities,
                c.tasks,
                c.deals,
                manifest.checksum
            );
            Ok(())
        }
        Command::Restore { .. } => unreachable!("restore opens the store itself"),
        Command::Backups(BackupsCommand::List { json }) => {
            let list = backups::list(store.dir())?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                out!("no backups in {}", backups::dir(store.dir()).display());
            }
            for b in &list {
                let c = &b.counts;
                out!(
                    "{}  {}  {} contacts, {} activities, {} tasks, {} deals  {}",
                    b.created_at.format("%Y-%m-%d %H:%M UTC"),
                    b.file,
                    c.contacts,
                    c.activities,
                    c.tasks,
                    c.deals,
                    if b.verified { "verified" } else { "not verified" }
                );
            }
            Ok(())
        }
        Command::Backups(BackupsCommand::Create { json }) => {
            let entry = backups::write(store, backups::Reason::Manual, VERSION, now())?;
            if json {
                return print_json(&entry);
            }
            out!("backup written and verified: {}", backups::dir(store.dir()).join(&entry.file).display());
            Ok(())
        }
        Command::Doctor { repair, json } => doctor(store, repair, json),
        Command::Person(PersonCommand::Export { id, out }) => {
            let export = store.person_export(parse_id(&id)?, now())?;
            let text =
                serde_json::to_string_pretty(&export).map_err(|e| Error::Output(e.to_string()))? + "\n";
            write_out(out.as_deref(), text.as_bytes())
        }
        Command::Person(PersonCommand::Erase { id, json }) => {
            let id = parse_id(&id)?;
            let name = store.display_name(id).unwrap_or_default();
            store.contact(id, now())?;
            backup_before(store, backups::Reason::Erase)?;
            store.erase_person(id, now())?;
            if json {
                return print_json(&serde_json::json!({ "erased": id, "display_name": name }));
            }
            out!("erased {name} ({id}) with all activities and tasks");
            Ok(())
        }
        Command::Search { query, kind, limit, json } => {
            let request = SearchQuery { text: query, kind, limit, per_kind: false };
            let results = store.search(&request)?;
            if json {
                let hits: Vec<SearchLine> = results
                    .hits
                    .iter()
                    .map(|h| SearchLine {
                        kind: h.kind.key(),
                        id: h.id,
                        title: &h.title,
                        subtitle: &h.subtitle,
                        matched: &h.matched,
                    })
                    .collect();
                return print_json(&hits);
            }
            for h in &results.hits {
                out!(
                    "{:<12} {}  {:<32} {:<40} ({})",
                    h.kind.key(),
                    h.id,
                    h.title,
                    h.subtitle,
                    h.matched.join(", ")
                );
            }
            if results.hits.is_empty() {
                eprintln!("nothing found");
            }
            Ok(())
        }
        Command::Duplicates { json } => {
            let pairs = store.duplicates(now())?;
            if json {
                return print_json(&pairs);
            }
            for p in &pairs {
                let reasons: Vec<String> =
                    p.reasons.iter().map(|r| format!("{:?}: {}", r.kind, r.value).to_lowercase()).collect();
                out!(
                    "{} ({})  ~  {} ({})  [{}]",
                    p.a.display_name,
                    p.a.id,
                    p.b.display_name,
                    p.b.id,
                    reasons.join("; ")
                );
            }
            if pairs.is_empty() {
                eprintln!("no duplicates");
            }
            Ok(())
        }
        Command::Score { id, at, json } => {
            let score = store.contact_score(parse_id(&id)?, at.unwrap_or_else(now))?;
            if json {
                return print_json(&score);
            }
            out!("score {} = fit {} + engagement {}", score.score, score.fit, score.engagement);
            for line in &score.lines {
                out!("  {}", line.reason);
            }
            if let Some(stage) = score.proposal {
                out!("proposed: {stage}");
            }
            Ok(())
        }
    }
}

/// Every contact, A–Z, with its score.
fn all_contacts(store: &Store) -> Result<Vec<Contact>, Error> {
    let query = ListQuery { limit: u32::MAX, ..Default::default() };
    Ok(store.list_contacts(&query, now())?.items)
}

/// Writes to `path` (owner-only, through a temporary file, so a failed
/// write leaves no half file) or to standard output.
fn write_out(path: Option<&std::path::Path>, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    match path {
        None => std::io::stdout().write_all(bytes).map_err(|e| Error::Output(e.to_string())),
        Some(path) => kontor_core::paths::write_private(path, bytes)
            .map_err(|e| kontor_core::Error::io(path, &e).into()),
    }
}

fn print_tasks(tasks: &[kontor_core::Task], json: bool) -> Result<(), Error> {
    if json {
        return print_json(&tasks);
    }
    let tz = system_timezone();
    for t in tasks {
        let due = t.due_label(tz, "%Y-%m-%d      ", "%Y-%m-%d %H:%M");
        let mark = if t.done { "✓" } else { " " };
        let repeat = t.repeat.map(|r| format!("  ({r})")).unwrap_or_default();
        out!("{}  {mark} {due}  {:<6} {}{repeat}", t.id, format!("{:?}", t.priority).to_lowercase(), t.title);
    }
    if tasks.is_empty() {
        eprintln!("no tasks");
    }
    Ok(())
}

fn print_deals(store: &Store, deals: &[Deal], json: bool, list: bool) -> Result<(), Error> {
    if json {
        return match (list, deals) {
            (false, [one]) => print_json(one),
            _ => print_json(&deals),
        };
    }
    for d in deals {
        let contact = store.display_name(d.contact_id).unwrap_or_default();
        let close = d.close_date.map(|c| c.to_string()).unwrap_or_default();
        out!(
            "{}  {:<15} {:>12.2} {} {:>3}%  {:<10} {}  ({contact})",
            d.id,
            d.stage,
            d.value,
            d.currency,
            d.probability,
            close,
            d.title
        );
        if let Some(reason) = &d.lost_reason {
            out!("{:<38}lost: {reason}", "");
        }
    }
    if list && deals.is_empty() {
        eprintln!("no deals");
    }
    Ok(())
}

/// Prints comma-separated lines (blocks split by empty lines) as aligned columns.
fn print_table(csv: &str) -> Result<(), Error> {
    for block in csv.split("\r\n\r\n") {
        let rows: Vec<Vec<String>> = block.lines().filter(|l| !l.is_empty()).map(split_csv).collect();
        let mut widths: Vec<usize> = vec![];
        for row in &rows {
            for (i, cell) in row.iter().enumerate() {
                let w = cell.chars().count();
                match widths.get_mut(i) {
                    Some(max) => *max = (*max).max(w),
                    None => widths.push(w),
                }
            }
        }
        for row in &rows {
            let cells: Vec<String> =
                row.iter().enumerate().map(|(i, c)| format!("{c:<width$}", width = widths[i])).collect();
            out!("{}", cells.join("  ").trim_end());
        }
        out!();
    }
    Ok(())
}

/// Splits one CSV line (`,`, double-quoted fields).
fn split_csv(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(f) = out.last_mut() {
                    f.push('"');
                }
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => {
                if let Some(f) = out.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    out
}

fn proposal_note(c: &Contact) -> String {
    c.proposal.map(|s| format!(" — ready for {s}")).unwrap_or_default()
}

/// Parses the command line; usage errors become one line on stderr (exit 2).
fn parse_cli() -> Result<Cli, ExitCode> {
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

/// The version written into backups.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// `kontor restore`: the backup is checked whole before anything is
/// touched; a store that cannot be opened is moved aside, one with records
/// backed up first (see `kontor_core::recovery`).
fn restore(
    dir: &std::path::Path,
    file: Option<PathBuf>,
    latest: bool,
    force: bool,
    json: bool,
) -> Result<(), Error> {
    let (restored, from) = match file {
        Some(file) if !latest => {
            let bytes = std::fs::read(&file).map_err(|e| kontor_core::Error::io(&file, &e))?;
            let backup = backup_file::BackupFile::from_slice(&bytes)?;
            (recovery::restore(dir, &backup, force, VERSION, now())?, file)
        }
        _ => recovery::restore_latest(dir, VERSION, now())?,
    };
    if restored.store.needs_rebuild() {
        restored.store.rebuild_derived(now())?;
    }
    let counts = &restored.counts;
    if json {
        return print_json(counts);
    }
    if let Some(aside) = &restored.moved_aside {
        out!("the store could not be opened; it was moved to {}", aside.display());
    }
    if let Some(safety) = &restored.safety_backup {
        out!("the replaced store was backed up to {}", backups::dir(dir).join(&safety.file).display());
    }
    out!(
        "restored {} contacts, {} organisations, {} activities, {} tasks from {}",
        counts.contacts,
        counts.organizations,
        counts.activities,
        counts.tasks,
        from.display()
    );
    Ok(())
}

/// `kontor doctor [--repair]`.
fn doctor(store: &Store, repair: bool, json: bool) -> Result<(), Error> {
    let (problems, fixed) = if repair {
        let r = store.repair(now())?;
        let fixed = r.before.len().saturating_sub(r.after.len());
        (r.after, Some((r.before, fixed)))
    } else {
        (store.doctor()?.problems, None)
    };
    if json {
        print_json(&problems)?;
    } else {
        if let Some((before, fixed)) = &fixed {
            for p in before {
                out!("found: {} {}: {}", p.kind, p.id, p.problem);
            }
            out!("rebuilt every index, counter and the search index from the records: {fixed} problem(s) fixed");
        }
        for p in &problems {
            out!("{} {}: {}", p.kind, p.id, p.problem);
        }
        if problems.is_empty() {
            let c = store.record_counts()?;
            out!(
                "healthy: {} contacts, {} organisations, {} activities, {} tasks, {} deals checked",
                c.contacts,
                c.organizations,
                c.activities,
                c.tasks,
                c.deals
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Unhealthy(problems.len()))
    }
}

/// Writes an automatic backup before a command that changes many records
/// at once (import, erase), when the store holds anything: it is refused
/// if the backup cannot be written.
fn backup_before(store: &Store, reason: backups::Reason) -> Result<(), Error> {
    if store.record_counts()? == backup_file::RecordCounts::default() {
        return Ok(());
    }
    backups::write(store, reason, VERSION, now()).map(|_| ()).map_err(|e| {
        kontor_core::Error::Storage(format!(
            "the backup before this command could not be written ({e}); nothing was changed"
        ))
        .into()
    })
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
