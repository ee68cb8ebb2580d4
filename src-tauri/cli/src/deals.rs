//! `kontor deals` and `kontor report`.

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use kontor_core::api::deals;
use kontor_core::{Deal, DealInput, Language, Period, ReportKind, Store};

use crate::now;
use crate::output::{out, print_json, print_tables, report_automation, Error, Result};
use crate::parse;

#[derive(Subcommand)]
pub enum DealsCommand {
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
        #[arg(long, value_parser = parse::date)]
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

#[derive(Args)]
pub struct ReportArgs {
    /// funnel, conversion, pipeline, activities, sources or overdue.
    kind: ReportKind,
    /// First day (YYYY-MM-DD, inclusive; default: open).
    #[arg(long, value_parser = parse::date)]
    from: Option<NaiveDate>,
    /// Last day (YYYY-MM-DD, inclusive; default: open).
    #[arg(long, value_parser = parse::date)]
    to: Option<NaiveDate>,
    /// Print JSON.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// Print CSV (German: `;` and decimal comma; English: `,` and point; per settings).
    #[arg(long)]
    csv: bool,
}

/// `kontor deals …`.
pub fn run(store: &Store, command: DealsCommand) -> Result {
    match command {
        DealsCommand::Add { contact, title, value, currency, stage, close, json } => {
            let input = DealInput {
                contact_id: parse::id(&contact)?,
                title,
                value,
                currency,
                stage,
                close_date: close,
                ..Default::default()
            };
            let saved = deals::create(store, &input, now())?;
            report_automation(&saved.automation, json);
            print_deals(store, &[saved.deal], json, false)
        }
        DealsCommand::Stage { id, stage, reason, json } => {
            let saved = deals::move_to(store, parse::id(&id)?, &stage, reason.as_deref(), now())?;
            report_automation(&saved.automation, json);
            print_deals(store, &[saved.deal], json, false)
        }
        DealsCommand::List { stage, json } => print_deals(store, &store.deals(stage.as_deref())?, json, true),
    }
}

/// `kontor report KIND`: a table (in English), JSON, or the CSV the app exports.
pub fn report(store: &Store, r: ReportArgs) -> Result {
    let period = Period { from: r.from, to: r.to };
    let report = deals::report(store, r.kind, &period, now())?;
    if r.json {
        return print_json(&report);
    }
    if r.csv {
        use std::io::Write as _;
        let csv = report.to_csv(store.settings().language_or_default());
        return std::io::stdout().lock().write_all(csv.as_bytes()).map_err(Error::Write);
    }
    print_tables(&report.tables(Language::En))
}

fn print_deals(store: &Store, deals: &[Deal], json: bool, list: bool) -> Result {
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
