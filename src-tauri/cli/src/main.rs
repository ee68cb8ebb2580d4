//! `kontor`: the command line over Kontor's core, for scripting, backups and
//! tests. It opens the same data directory as the desktop app (or
//! `--data-dir` / `KONTOR_DATA_DIR`), prints JSON with `--json`, and exits
//! non-zero with one line on stderr when anything is refused.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use kontor_core::{
    paths, ChangedBy, Contact, ContactInput, ListQuery, SortOrder, Stage, StageChangeRequest, Store,
};
use uuid::Uuid;

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
    #[error("not a contact id: {0:?}")]
    InvalidId(String),
    #[error("cannot write output: {0}")]
    Output(String),
}

#[allow(clippy::disallowed_methods)] // the binary's edge is where the clock is read
fn now() -> DateTime<Utc> {
    Utc::now()
}

fn parse_id(id: &str) -> Result<Uuid, Error> {
    Uuid::parse_str(id.trim()).map_err(|_| Error::InvalidId(id.to_owned()))
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Output(e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn print_contact(c: &Contact, json: bool) -> Result<(), Error> {
    if json {
        return print_json(c);
    }
    println!("{}  ({})", c.display_name, c.stage);
    println!("  id:           {}", c.id);
    if let Some(org) = &c.organization {
        println!("  organization: {org}");
    }
    if let Some(title) = &c.title {
        println!("  title:        {title}");
    }
    for email in &c.emails {
        println!("  email:        {email}");
    }
    for phone in &c.phones {
        println!("  phone:        {phone}");
    }
    if !c.tags.is_empty() {
        println!("  tags:         {}", c.tags.join(", "));
    }
    if let Some(source) = &c.source {
        println!("  source:       {source}");
    }
    if let Some(notes) = &c.notes {
        println!("  notes:        {}", notes.replace('\n', "\n                "));
    }
    println!("  history:");
    for h in &c.stage_history {
        let from = h.from.map_or("–".to_owned(), |s| s.to_string());
        let by = match h.by {
            ChangedBy::Hand => "by hand",
            ChangedBy::Rule => "by rule",
            ChangedBy::Import => "by import",
        };
        let reason = h.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
        println!("    {}  {from} → {}  {by}{reason}", h.at.format("%Y-%m-%d %H:%M UTC"), h.to);
    }
    Ok(())
}

fn run(cli: Cli) -> Result<(), Error> {
    let dir = cli.data_dir.filter(|d| !d.as_os_str().is_empty()).or_else(paths::default_data_dir);
    let store = Store::open(&dir.ok_or(Error::NoDataDir)?)?;
    match cli.command {
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
            };
            let page = store.list_contacts(&query)?;
            if l.json {
                return print_json(&page.items);
            }
            for c in &page.items {
                let org = c.organization.as_deref().unwrap_or("");
                let email = c.emails.first().map(String::as_str).unwrap_or("");
                println!("{}  {:<12} {:<28} {:<28} {email}", c.id, c.stage.key(), c.display_name, org);
            }
            if page.items.is_empty() {
                eprintln!("no contacts");
            }
            Ok(())
        }
        Command::Contacts(ContactsCommand::Show { id, json }) => {
            let contact = store.contact(parse_id(&id)?)?;
            print_contact(&contact, json)
        }
        Command::Contacts(ContactsCommand::Stage { id, stage, reason, force, json }) => {
            let request = StageChangeRequest { to: stage, reason, force };
            let contact = store.change_stage(parse_id(&id)?, &request, ChangedBy::Hand, now())?;
            print_contact(&contact, json)
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kontor: {e}");
            ExitCode::FAILURE
        }
    }
}
