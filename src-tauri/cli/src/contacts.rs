//! `kontor contacts`, `activity`, `qualify`, `search`, `duplicates`, `score`.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use kontor_core::api::contacts;
use kontor_core::search::{DocKind, SearchQuery};
use kontor_core::{
    ActivityInput, ActivityKind, ActivityQuery, Answer, ChangedBy, Contact, ContactInput, CriteriaUpdate,
    ListQuery, SortOrder, Stage, StageChangeRequest, Store, TargetGroupSetting,
};
use uuid::Uuid;

use crate::now;
use crate::output::{out, print_json, report_automation, Result};
use crate::parse;

#[derive(Subcommand)]
pub enum ContactsCommand {
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
    /// Change some of a contact's fields; prints it as `show` does.
    Edit(EditArgs),
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
pub struct EditArgs {
    /// Contact id.
    id: String,
    /// New first name.
    #[arg(long)]
    first_name: Option<String>,
    /// New last name.
    #[arg(long)]
    last_name: Option<String>,
    /// New job title ("" clears it).
    #[arg(long)]
    title: Option<String>,
    /// New organisation ("" clears it).
    #[arg(long)]
    organization: Option<String>,
    /// New source ("" clears it).
    #[arg(long)]
    source: Option<String>,
    /// New notes ("" clears them).
    #[arg(long)]
    notes: Option<String>,
    /// Add an email address (repeatable).
    #[arg(long = "add-email")]
    add_emails: Vec<String>,
    /// Remove an email address (repeatable).
    #[arg(long = "remove-email")]
    remove_emails: Vec<String>,
    /// Add a phone number (repeatable).
    #[arg(long = "add-phone")]
    add_phones: Vec<String>,
    /// Remove a phone number, in any formatting (repeatable).
    #[arg(long = "remove-phone")]
    remove_phones: Vec<String>,
    /// Add a tag (repeatable).
    #[arg(long = "add-tag")]
    add_tags: Vec<String>,
    /// Remove a tag (repeatable).
    #[arg(long = "remove-tag")]
    remove_tags: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct AddArgs {
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
    /// Street and number.
    #[arg(long)]
    street: Option<String>,
    /// Postcode.
    #[arg(long)]
    postcode: Option<String>,
    /// City.
    #[arg(long)]
    city: Option<String>,
    /// Country.
    #[arg(long)]
    country: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ListArgs {
    /// Only this stage.
    #[arg(long)]
    stage: Option<Stage>,
    /// Search text (name, organisation, email, phone, tags).
    #[arg(long)]
    search: Option<String>,
    /// Order.
    #[arg(long, value_enum, default_value_t = SortOrder::Name)]
    sort: SortOrder,
    /// Print at most this many.
    #[arg(long)]
    limit: Option<u32>,
    /// Only contacts the qualification rules propose for the next stage.
    #[arg(long)]
    ready_to_qualify: bool,
    /// Only the contacts of this saved view (its name, as in the window's sidebar).
    #[arg(long)]
    view: Option<String>,
    /// Print a JSON array.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
pub enum ActivityCommand {
    /// Log an activity on a contact.
    Add {
        /// Contact id.
        contact_id: String,
        /// call, meeting, visit, email, note, newsletter_signup, whitepaper_download,
        /// webinar_attended, website_visit, email_opened, email_replied, form_submitted.
        #[arg(long)]
        kind: ActivityKind,
        /// When it happened (RFC 3339 or YYYY-MM-DD; default now).
        #[arg(long, value_parser = parse::time)]
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
pub struct QualifyArgs {
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

#[derive(Args)]
pub struct SearchArgs {
    /// What to look for: names, company, email, phone in any formatting,
    /// tags, notes, job title, city, postcode, source, deal title.
    query: String,
    /// Only this kind: contact, organization or deal.
    #[arg(long)]
    kind: Option<DocKind>,
    /// Hits to show at most.
    #[arg(long, default_value_t = 20)]
    limit: u32,
    /// Print JSON: [{"kind", "id", "title", "subtitle", "matched"}].
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct ScoreArgs {
    /// Contact id.
    id: String,
    /// Score as of this time (RFC 3339 or YYYY-MM-DD; default now).
    #[arg(long, value_parser = parse::time)]
    at: Option<DateTime<Utc>>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `kontor contacts …`.
pub fn run(store: &Store, command: ContactsCommand) -> Result {
    match command {
        ContactsCommand::Add(a) => {
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
                address: kontor_core::Address {
                    street: a.street,
                    postcode: a.postcode,
                    city: a.city,
                    region: None,
                    country: a.country,
                    pin: None,
                },
                ..Default::default()
            };
            print_contact(&contacts::create(store, &input, now())?.contact, a.json)
        }
        ContactsCommand::List(l) => {
            let view = match &l.view {
                Some(name) => Some(saved_view(store, name)?),
                None => None,
            };
            let query = ListQuery {
                stage: l.stage.or(view.as_ref().and_then(|v| v.stage)),
                search: l.search,
                sort: l.sort,
                offset: 0,
                limit: l.limit.unwrap_or(u32::MAX),
                ready_to_qualify: l.ready_to_qualify,
                organization_id: None,
                filter: view.map(|v| v.filter),
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
        ContactsCommand::Show { id, json } => print_contact(&store.contact(parse::id(&id)?, now())?, json),
        ContactsCommand::Edit(e) => {
            let edit = contacts::ContactEdit {
                first_name: e.first_name,
                last_name: e.last_name,
                title: e.title,
                organization: e.organization,
                source: e.source,
                notes: e.notes,
                add_emails: e.add_emails,
                remove_emails: e.remove_emails,
                add_phones: e.add_phones,
                remove_phones: e.remove_phones,
                add_tags: e.add_tags,
                remove_tags: e.remove_tags,
            };
            let changed = contacts::edit(store, parse::id(&e.id)?, &edit, now())?;
            report_automation(&changed.automation, e.json);
            print_contact(&changed.value.contact, e.json)
        }
        ContactsCommand::Stage { id, stage, reason, force, json } => {
            let request = StageChangeRequest { to: stage, reason, force };
            let changed = contacts::change_stage(store, parse::id(&id)?, &request, now())?;
            report_automation(&changed.automation, json);
            print_contact(&changed.value.contact, json)
        }
    }
}

/// `kontor activity …`.
pub fn activity(store: &Store, command: ActivityCommand) -> Result {
    match command {
        ActivityCommand::Add { contact_id, kind, at, summary, text, outcome, concerns, json } => {
            let input = ActivityInput { kind, at, summary, text, outcome, concerns };
            let changed = store.log_activity(parse::id(&contact_id)?, input, now())?;
            report_automation(&changed.automation, json);
            let (activity, contact) = changed.value;
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
        ActivityCommand::List { contact_id, kinds, limit, json } => {
            let query = ActivityQuery { kinds: (!kinds.is_empty()).then_some(kinds), offset: 0, limit };
            let page = store.list_activities(parse::id(&contact_id)?, &query)?;
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
    }
}

/// `kontor qualify ID [--budget yes …] [--accept]`.
pub fn qualify(store: &Store, q: QualifyArgs) -> Result {
    let id = parse::id(&q.id)?;
    let update = CriteriaUpdate {
        target_group: q.target_group,
        budget: q.budget,
        authority: q.authority,
        need: q.need,
        timeline: q.timeline,
    };
    let changed = contacts::set_criteria(store, id, &update, now())?;
    report_automation(&changed.automation, q.json);
    let mut contact = changed.value.contact;
    if q.accept {
        let accepted = contacts::accept_proposal(store, id, now())?;
        report_automation(&accepted.automation, q.json);
        contact = accepted.value.contact;
    }
    if q.json {
        return print_json(&contact);
    }
    let c = contact.criteria;
    out!("{} ({}), score {}{}", contact.display_name, contact.stage, contact.score, proposal_note(&contact));
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

/// One search hit as `kontor search --json` prints it.
#[derive(serde::Serialize)]
struct SearchLine<'a> {
    kind: &'static str,
    id: Uuid,
    title: &'a str,
    subtitle: &'a str,
    matched: &'a [String],
}

/// `kontor search TEXT`.
pub fn search(store: &Store, s: SearchArgs) -> Result {
    let request = SearchQuery { text: s.query, kind: s.kind, limit: s.limit, per_kind: false };
    let results = store.search(&request)?;
    if s.json {
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
        out!("{:<12} {}  {:<32} {:<40} ({})", h.kind.key(), h.id, h.title, h.subtitle, h.matched.join(", "));
    }
    if results.hits.is_empty() {
        eprintln!("nothing found");
    }
    Ok(())
}

/// `kontor duplicates`.
pub fn duplicates(store: &Store, json: bool) -> Result {
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

/// `kontor score ID`.
pub fn score(store: &Store, s: ScoreArgs) -> Result {
    let score = store.contact_score(parse::id(&s.id)?, s.at.unwrap_or_else(now))?;
    if s.json {
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

fn print_contact(c: &Contact, json: bool) -> Result {
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

fn proposal_note(c: &Contact) -> String {
    c.proposal.map(|s| format!(" — ready for {s}")).unwrap_or_default()
}

/// The saved view named `name` (case aside).
fn saved_view(store: &kontor_core::Store, name: &str) -> kontor_core::Result<kontor_core::filter::SavedView> {
    let views = store.saved_views();
    let wanted = name.trim().to_lowercase();
    let known = views.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(", ");
    views.iter().find(|v| v.name.trim().to_lowercase() == wanted).cloned().ok_or_else(|| {
        kontor_core::Error::InvalidInput {
            field: "view",
            reason: if known.is_empty() {
                format!("there is no saved view named {name:?}; none are saved")
            } else {
                format!("there is no saved view named {name:?} (saved: {known})")
            },
        }
    })
}
