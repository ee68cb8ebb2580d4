//! `kontor organizations`: the accounts, with their contacts and deals.

use clap::Subcommand;
use kontor_core::api::contacts;
use kontor_core::Store;

use crate::now;
use crate::output::{out, print_json, Result};
use crate::parse;

#[derive(Subcommand)]
pub enum OrganizationsCommand {
    /// List organisations (by name, or best match first for --search) with
    /// their number of contacts and open deals.
    List {
        /// Search text (typo tolerant).
        #[arg(long)]
        search: Option<String>,
        /// Print JSON: [{"id","name","contacts","open_deals"}].
        #[arg(long)]
        json: bool,
    },
    /// Show one organisation with its contacts and their deals.
    Show {
        /// Organisation id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(store: &Store, command: OrganizationsCommand) -> Result {
    match command {
        OrganizationsCommand::List { search, json } => {
            let orgs = contacts::organizations(store, search.as_deref())?;
            if json {
                return print_json(&orgs);
            }
            for o in &orgs {
                out!("{}  {:<40} {:>5} contacts {:>4} open deals", o.id, o.name, o.contacts, o.open_deals);
            }
            Ok(())
        }
        OrganizationsCommand::Show { id, json } => {
            let detail = contacts::organization(store, parse::id(&id)?, now())?;
            if json {
                return print_json(&detail);
            }
            let o = &detail.organization;
            out!("{}", o.name);
            out!("  id:         {}", o.id);
            if let Some(industry) = &o.industry {
                out!("  industry:   {industry}");
            }
            if let Some(size) = o.size {
                out!("  size:       {size}");
            }
            out!("  contacts:   {}", detail.contacts.len());
            for c in &detail.contacts {
                out!("    {}  {:<12} {}", c.id, c.stage.key(), c.display_name);
            }
            out!("  deals:      {} ({} open)", detail.deals.len(), detail.open_deals);
            for d in &detail.deals {
                out!("    {}  {:<16} {} {:.2} {}", d.id, d.stage, d.title, d.value, d.currency);
            }
            Ok(())
        }
    }
}
