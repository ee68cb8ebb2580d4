//! The store's side of deals: the `deals` tree with indexes by stage and by
//! contact, the pipeline board, lifecycle coupling, quotes, email follow-ups
//! and the automation rules that mutations fire.
//!
//! Invariants:
//! - a deal, its index entries and the lifecycle change it causes on its
//!   contact (with the contact's index entries) change in one transaction;
//! - coupling (SPEC §3): an open deal makes a lead or prospect an
//!   opportunity, a won deal makes the contact a customer, and losing the
//!   last open deal (none won) returns an opportunity to prospect; changes
//!   are "by rule"; disqualified contacts and customers are never demoted or
//!   touched otherwise;
//! - rules run after the mutation is flushed, with automation off: their
//!   actions never fire rules.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::contacts::{not_found, put_contact};
use super::search::put_deal_doc;
use super::{abort, decode, decode_tx, encode_tx, new_id, Store, Tx, TxResult};
use crate::activity::{Activity, ActivityInput, ActivityKind};
use crate::automation::{Changed, Event};
use crate::contact::Contact;
use crate::deal::{find_stage, outcome_of, reason, ContactDealsSummary, Deal, DealInput, DealStageChange};
use crate::deal::{DealStageSetting, StageOutcome};
use crate::email::{render_template, DealRef, RenderedEmail};
use crate::error::{Error, Result};
use crate::money::{Money, Totals};
use crate::settings::Settings;
use crate::stage::{ChangedBy, Stage, StageChange};

/// The result of moving a deal: the deal and its contact after lifecycle
/// coupling.
#[derive(Debug, Clone, PartialEq)]
pub struct DealMove {
    /// The deal after the move.
    pub deal: Deal,
    /// Its contact after coupling.
    pub contact: Contact,
}

/// A deal on the pipeline board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DealCard {
    /// The deal.
    pub deal: Deal,
    /// Its contact's display name.
    pub contact_name: String,
    /// Open and without a next step.
    pub no_next_step: bool,
    /// Open and idle for longer than its stage's rotting days.
    pub rotting: bool,
    /// Whole days since the last activity on the contact or the deal's last
    /// stage change, whichever is newer (open deals only).
    pub days_idle: Option<u32>,
}

/// One column of the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PipelineColumn {
    /// The stage.
    pub stage: DealStageSetting,
    /// Deals in it.
    pub count: u32,
    /// Sum of values, per currency.
    pub total: Vec<Money>,
    /// Sum of value × probability, per currency.
    pub weighted: Vec<Money>,
    /// The cards, by expected close date (none last), then newest first.
    pub deals: Vec<DealCard>,
}

/// The pipeline board: one column per configured stage, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Pipeline {
    /// The columns (open stages, then won and lost, as configured).
    pub columns: Vec<PipelineColumn>,
    /// Sum of open deals' values, per currency.
    pub total: Vec<Money>,
    /// Sum of open deals' weighted values, per currency.
    pub weighted: Vec<Money>,
}

pub(super) fn stage_index_key(stage: &str, id: Uuid) -> Vec<u8> {
    let mut k = Vec::with_capacity(stage.len() + 17);
    k.extend_from_slice(stage.as_bytes());
    k.push(0);
    k.extend_from_slice(id.as_bytes());
    k
}

pub(super) fn contact_index_key(contact: Uuid, id: Uuid) -> Vec<u8> {
    let mut k = contact.as_bytes().to_vec();
    k.extend_from_slice(id.as_bytes());
    k
}

/// Writes (or with `new` = `None` removes) a deal inside a transaction,
/// with its index keys and its search entry.
pub(super) fn put_deal(tx: &Tx, id: Uuid, old: Option<&Deal>, new: Option<&Deal>) -> TxResult<()> {
    super::sync::record(tx, crate::sync::EntityKind::Deal, id, old, new)?;
    if let Some(old) = old {
        tx.deals_by_stage.remove(stage_index_key(&old.stage, old.id))?;
        tx.deals_by_contact.remove(contact_index_key(old.contact_id, old.id))?;
    }
    match new {
        Some(new) => {
            tx.deals_by_stage.insert(stage_index_key(&new.stage, new.id), &[])?;
            tx.deals_by_contact.insert(contact_index_key(new.contact_id, new.id), &[])?;
            tx.deals.insert(new.id.as_bytes(), encode_tx(new)?)?;
        }
        None => {
            tx.deals.remove(id.as_bytes())?;
        }
    }
    put_deal_doc(tx, id, new)
}

pub(super) fn deal_not_found(id: Uuid) -> Error {
    Error::NotFound { kind: "deal", id: id.to_string() }
}

/// What one deal transaction wrote.
struct Committed {
    /// (old, new) per deal id given.
    deals: Vec<(Option<Deal>, Option<Deal>)>,
    /// Contacts whose stage changed by rule, after the change.
    contacts: Vec<Contact>,
}

/// The lifecycle stage coupling asks for, with its reason.
fn coupling(
    stage: Stage,
    before: ContactDealsSummary,
    after: ContactDealsSummary,
    title: &str,
) -> Option<(Stage, String)> {
    match stage {
        Stage::Disqualified => None,
        Stage::Customer => None,
        _ if after.won > before.won => Some((Stage::Customer, format!("deal \"{title}\" won"))),
        Stage::Lead | Stage::Prospect if after.open > before.open => {
            Some((Stage::Opportunity, format!("open deal \"{title}\"")))
        }
        Stage::Opportunity if before.open > 0 && after.open == 0 && after.won == 0 && after.lost > 0 => {
            Some((Stage::Prospect, "all open deals lost".to_owned()))
        }
        _ => None,
    }
}

/// The stage-default or given probability; won and lost always use theirs.
fn probability(stage: &DealStageSetting, given: Option<u8>) -> u8 {
    match (stage.outcome, given) {
        (StageOutcome::Open, Some(p)) => p.min(100),
        _ => stage.probability,
    }
}

impl Store {
    fn deal_ids_of(&self, contact: Uuid) -> Result<Vec<Uuid>> {
        self.t
            .deals_by_contact
            .scan_prefix(contact.as_bytes())
            .keys()
            .map(|k| super::id_from_index_key(&k?))
            .collect()
    }

    /// Writes deals in one transaction with the lifecycle coupling of every
    /// contact they belong (or belonged) to. `build` gets the stored deals
    /// of `ids` and returns their new versions (`None` deletes).
    fn commit_deals(
        &self,
        ids: &[Uuid],
        contacts_hint: &[Uuid],
        build: impl Fn(Vec<Option<Deal>>) -> Result<Vec<Option<Deal>>>,
        now: DateTime<Utc>,
    ) -> Result<Committed> {
        let stages = self.settings().deal_stages;
        // The contacts' other deals, read before (a transaction cannot scan).
        let mut siblings: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        let mut affected: BTreeSet<Uuid> = contacts_hint.iter().copied().collect();
        for id in ids {
            if let Some(bytes) = self.t.deals.get(id.as_bytes())? {
                affected.insert(decode::<Deal>(&bytes)?.contact_id);
            }
        }
        for c in &affected {
            siblings.insert(*c, self.deal_ids_of(*c)?);
        }
        self.transact(now, |tx| {
            let mut olds = Vec::with_capacity(ids.len());
            for id in ids {
                olds.push(match tx.deals.get(id.as_bytes())? {
                    Some(bytes) => Some(decode_tx::<Deal>(&bytes)?),
                    None => None,
                });
            }
            let mut news = build(olds.clone()).or_else(abort)?;
            let mut touched: BTreeSet<Uuid> = affected.clone();
            touched.extend(news.iter().flatten().map(|d| d.contact_id));
            let mut changed = Vec::new();
            for contact_id in touched {
                let Some(bytes) = tx.contacts.get(contact_id.as_bytes())? else {
                    if news.iter().flatten().any(|d| d.contact_id == contact_id) {
                        return abort(not_found(contact_id));
                    }
                    continue;
                };
                let contact: Contact = decode_tx(&bytes)?;
                for d in news.iter_mut().flatten().filter(|d| d.contact_id == contact_id) {
                    d.organization_id = contact.organization_id;
                }
                // This contact's deals before and after.
                let mut before = Vec::new();
                let mut after = Vec::new();
                let others = siblings.get(&contact_id).cloned().unwrap_or_default();
                for other in others.iter().filter(|o| !ids.contains(o)) {
                    if let Some(bytes) = tx.deals.get(other.as_bytes())? {
                        let d: Deal = decode_tx(&bytes)?;
                        before.push(d.clone());
                        after.push(d);
                    }
                }
                before.extend(olds.iter().flatten().filter(|d| d.contact_id == contact_id).cloned());
                after.extend(news.iter().flatten().filter(|d| d.contact_id == contact_id).cloned());
                let title = news
                    .iter()
                    .flatten()
                    .chain(olds.iter().flatten())
                    .find(|d| d.contact_id == contact_id)
                    .map(|d| d.title.clone())
                    .unwrap_or_default();
                let (sb, sa) =
                    (ContactDealsSummary::of(&before, &stages), ContactDealsSummary::of(&after, &stages));
                if let Some((to, why)) = coupling(contact.stage, sb, sa, &title) {
                    let mut moved = contact.clone();
                    moved.stage_history.push(StageChange {
                        from: Some(contact.stage),
                        to,
                        at: now,
                        reason: Some(why),
                        by: ChangedBy::Rule,
                    });
                    moved.stage = to;
                    moved.updated_at = now;
                    put_contact(tx, Some(&contact), Some(&moved))?;
                    changed.push(moved);
                }
            }
            for (id, (old, new)) in ids.iter().zip(olds.iter().zip(news.iter())) {
                put_deal(tx, *id, old.as_ref(), new.as_ref())?;
            }
            Ok(Committed { deals: olds.into_iter().zip(news).collect(), contacts: changed })
        })
    }

    /// The automation events of a deal commit.
    fn deal_events(&self, committed: &Committed) -> Vec<Event> {
        let stages = self.settings().deal_stages;
        let mut events: Vec<Event> = committed
            .contacts
            .iter()
            .map(|c| Event::ContactStageChanged { contact_id: c.id, to: c.stage })
            .collect();
        for (old, new) in &committed.deals {
            let Some(new) = new else { continue };
            if old.as_ref().is_some_and(|o| o.stage == new.stage) {
                continue;
            }
            events.push(Event::DealStageChanged { deal: Box::new(new.clone()) });
            let was_won = old.as_ref().is_some_and(|o| outcome_of(&stages, &o.stage) == StageOutcome::Won);
            if outcome_of(&stages, &new.stage) == StageOutcome::Won && !was_won {
                events.push(Event::DealWon { deal: Box::new(new.clone()) });
            }
        }
        events
    }

    /// Creates a deal (in the first stage unless given) and couples its
    /// contact's lifecycle; with the outcomes of the rules it fired.
    pub fn create_deal(&self, input: &DealInput, now: DateTime<Utc>) -> Result<Changed<Deal>> {
        let valid = input.validate()?;
        let stages = self.settings().deal_stages;
        let stage = match &input.stage {
            Some(key) => find_stage(&stages, key)?,
            None => stages.iter().find(|s| s.outcome == StageOutcome::Open).unwrap_or(&stages[0]),
        }
        .clone();
        let lost_reason = match stage.outcome {
            StageOutcome::Lost => Some(
                valid.lost_reason.clone().ok_or(Error::DealReasonRequired { stage: stage.key.clone() })?,
            ),
            _ => None,
        };
        self.raw_contact(input.contact_id)?;
        let id = new_id(now);
        let deal = Deal {
            id,
            contact_id: input.contact_id,
            organization_id: None,
            title: valid.title,
            value: valid.value,
            currency: valid.currency,
            stage: stage.key.clone(),
            probability: probability(&stage, valid.probability),
            close_date: valid.close_date,
            next_step: valid.next_step,
            line_items: valid.line_items,
            lost_reason: lost_reason.clone(),
            created_at: now,
            updated_at: now,
            stage_changed_at: now,
            stage_history: vec![DealStageChange {
                from: None,
                to: stage.key.clone(),
                at: now,
                reason: lost_reason,
            }],
            quotes: vec![],
        };
        let committed = self.commit_deals(
            &[id],
            &[input.contact_id],
            |old| match old.first() {
                Some(Some(_)) => Err(Error::Storage(format!("id collision for {id}"))),
                _ => Ok(vec![Some(deal.clone())]),
            },
            now,
        )?;
        self.deal_changed(committed, id, now)
    }

    /// The one deal `committed` wrote, with the outcomes of the rules its
    /// changes fire.
    fn deal_changed(&self, committed: Committed, id: Uuid, now: DateTime<Utc>) -> Result<Changed<Deal>> {
        let fired = self.run_rules(&self.deal_events(&committed), now);
        let deal =
            committed.deals.into_iter().next().and_then(|(_, d)| d).ok_or_else(|| deal_not_found(id))?;
        Ok(Changed::new(deal, fired))
    }

    /// Replaces a deal's fields. A different `stage` moves it (lost needs
    /// `lost_reason`); a new contact re-couples both contacts. `probability`
    /// `None` resets it to the stage's default.
    pub fn update_deal(&self, id: Uuid, input: &DealInput, now: DateTime<Utc>) -> Result<Changed<Deal>> {
        let valid = input.validate()?;
        let stages = self.settings().deal_stages;
        let new_stage = input.stage.as_deref().map(|k| find_stage(&stages, k)).transpose()?.cloned();
        self.raw_contact(input.contact_id)?;
        let committed = self.commit_deals(
            &[id],
            &[input.contact_id],
            |old| {
                let old = old.into_iter().next().flatten().ok_or_else(|| deal_not_found(id))?;
                let stage = match &new_stage {
                    Some(s) => s.clone(),
                    None => find_stage(&stages, &old.stage).cloned().unwrap_or_else(|_| stages[0].clone()),
                };
                let mut d = Deal {
                    contact_id: input.contact_id,
                    title: valid.title.clone(),
                    value: valid.value,
                    currency: valid.currency.clone(),
                    probability: probability(&stage, valid.probability),
                    close_date: valid.close_date,
                    next_step: valid.next_step.clone(),
                    line_items: valid.line_items.clone(),
                    updated_at: now,
                    ..old.clone()
                };
                if stage.key != old.stage {
                    enter_stage(&mut d, &stage, valid.lost_reason.as_deref(), now)?;
                    d.probability = probability(&stage, valid.probability);
                } else if stage.outcome == StageOutcome::Lost {
                    d.lost_reason = valid.lost_reason.clone().or(old.lost_reason);
                }
                Ok(vec![Some(d)])
            },
            now,
        )?;
        self.deal_changed(committed, id, now)
    }

    /// Moves a deal to another stage (board drag and drop or keyboard).
    /// Lost needs a reason (`reason_required`); the probability becomes the
    /// new stage's default. Couples the contact's lifecycle and runs the rules.
    pub fn move_deal(
        &self,
        id: Uuid,
        stage: &str,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Changed<DealMove>> {
        let stages = self.settings().deal_stages;
        let target = find_stage(&stages, stage)?.clone();
        let committed = self.commit_deals(
            &[id],
            &[],
            |old| {
                let old = old.into_iter().next().flatten().ok_or_else(|| deal_not_found(id))?;
                if old.stage == target.key {
                    return Err(Error::InvalidInput {
                        field: "stage",
                        reason: format!("the deal already is in stage {}", target.key),
                    });
                }
                let mut d = Deal { updated_at: now, ..old };
                enter_stage(&mut d, &target, reason, now)?;
                Ok(vec![Some(d)])
            },
            now,
        )?;
        let moved = self.deal_changed(committed, id, now)?;
        let contact = self.contact(moved.value.contact_id, now)?;
        Ok(moved.map(|deal| DealMove { deal, contact }))
    }

    /// One deal.
    pub fn deal(&self, id: Uuid) -> Result<Deal> {
        let bytes = self.t.deals.get(id.as_bytes())?.ok_or_else(|| deal_not_found(id))?;
        decode(&bytes)
    }

    /// All deals, or those in one stage (from the stage index), oldest first.
    pub fn deals(&self, stage: Option<&str>) -> Result<Vec<Deal>> {
        match stage {
            Some(key) => {
                let stages = self.settings().deal_stages;
                let key = &find_stage(&stages, key)?.key;
                let mut prefix = key.as_bytes().to_vec();
                prefix.push(0);
                self.t
                    .deals_by_stage
                    .scan_prefix(prefix)
                    .keys()
                    .map(|k| self.deal(super::id_from_index_key(&k?)?))
                    .collect()
            }
            None => self.t.deals.iter().values().map(|v| decode(&v?)).collect(),
        }
    }

    /// A contact's deals, oldest first.
    pub fn contact_deals(&self, contact_id: Uuid) -> Result<Vec<Deal>> {
        self.deal_ids_of(contact_id)?.into_iter().map(|id| self.deal(id)).collect()
    }

    /// A contact's deals by outcome; `repeat_customer` with two or more won.
    pub fn contact_deal_summary(&self, contact_id: Uuid) -> Result<ContactDealsSummary> {
        self.raw_contact(contact_id)?;
        let deals = self.contact_deals(contact_id)?;
        Ok(ContactDealsSummary::of(&deals, &self.settings().deal_stages))
    }

    /// Deletes a deal; returns its contact (deleting the last open deal never
    /// changes the lifecycle: only losing it does).
    pub fn delete_deal(&self, id: Uuid, now: DateTime<Utc>) -> Result<Contact> {
        let committed = self.commit_deals(
            &[id],
            &[],
            |old| match old.into_iter().next().flatten() {
                Some(_) => Ok(vec![None]),
                None => Err(deal_not_found(id)),
            },
            now,
        )?;
        let contact_id =
            committed.deals[0].0.as_ref().map(|d| d.contact_id).ok_or_else(|| deal_not_found(id))?;
        self.unlink_deal_tasks(contact_id, id, now)?;
        self.contact(contact_id, now)
    }

    /// Moves every deal of `from` to `to` (contact merge); couples `to`.
    /// Returns how many moved.
    pub fn reassign_deals(&self, from: Uuid, to: Uuid, now: DateTime<Utc>) -> Result<Changed<usize>> {
        self.raw_contact(to)?;
        let ids = self.deal_ids_of(from)?;
        if ids.is_empty() {
            return Ok(Changed::new(0, vec![]));
        }
        let committed = self.commit_deals(
            &ids,
            &[to],
            |olds| {
                Ok(olds
                    .into_iter()
                    .map(|d| d.map(|d| Deal { contact_id: to, updated_at: now, ..d }))
                    .collect())
            },
            now,
        )?;
        let fired = self.run_rules(&self.deal_events(&committed), now);
        Ok(Changed::new(ids.len(), fired))
    }

    /// The pipeline board at `now`.
    pub fn pipeline(&self, now: DateTime<Utc>) -> Result<Pipeline> {
        let stages = self.settings().deal_stages;
        let mut open_total = Totals::default();
        let mut open_weighted = Totals::default();
        let mut names: HashMap<Uuid, (String, Option<DateTime<Utc>>)> = HashMap::new();
        let mut columns = Vec::with_capacity(stages.len());
        for stage in &stages {
            let deals = self.deals(Some(&stage.key))?;
            let mut total = Totals::default();
            let mut weighted = Totals::default();
            let mut cards = Vec::with_capacity(deals.len());
            for deal in deals {
                total.add(&deal.currency, deal.value_cents());
                weighted.add(&deal.currency, deal.weighted_cents());
                let open = stage.outcome == StageOutcome::Open;
                if open {
                    open_total.add(&deal.currency, deal.value_cents());
                    open_weighted.add(&deal.currency, deal.weighted_cents());
                }
                if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(deal.contact_id) {
                    let name = self.display_name(deal.contact_id).unwrap_or_default();
                    let last = self.activity_times(deal.contact_id, Some(1))?.first().map(|(_, at)| *at);
                    slot.insert((name, last));
                }
                let (contact_name, last_activity) = names[&deal.contact_id].clone();
                let (days_idle, rotting) = if open {
                    let last = last_activity.map_or(deal.stage_changed_at, |a| a.max(deal.stage_changed_at));
                    let days = u32::try_from((now - last).num_days().max(0)).unwrap_or(u32::MAX);
                    (Some(days), stage.rotting_days.is_some_and(|n| days > n))
                } else {
                    (None, false)
                };
                cards.push(DealCard {
                    no_next_step: open && deal.next_step.is_none(),
                    deal,
                    contact_name,
                    rotting,
                    days_idle,
                });
            }
            cards.sort_by(|a, b| {
                let key = |c: &DealCard| (c.deal.close_date.is_none(), c.deal.close_date);
                key(a).cmp(&key(b)).then(b.deal.id.cmp(&a.deal.id))
            });
            columns.push(PipelineColumn {
                stage: stage.clone(),
                count: u32::try_from(cards.len()).unwrap_or(u32::MAX),
                total: total.to_money(),
                weighted: weighted.to_money(),
                deals: cards,
            });
        }
        Ok(Pipeline { columns, total: open_total.to_money(), weighted: open_weighted.to_money() })
    }

    /// Fills the email template `template_id` for a contact (and deal).
    pub fn render_email(
        &self,
        template_id: &str,
        contact_id: Uuid,
        deal_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<RenderedEmail> {
        let settings = self.settings();
        let template = settings
            .email_templates
            .iter()
            .find(|t| t.id == template_id)
            .ok_or_else(|| Error::NotFound { kind: "email template", id: template_id.to_owned() })?;
        let contact = self.contact(contact_id, now)?;
        let mut open: Vec<Deal> = self
            .contact_deals(contact_id)?
            .into_iter()
            .filter(|d| outcome_of(&settings.deal_stages, &d.stage) == StageOutcome::Open)
            .collect();
        open.reverse();
        let deal = match deal_id {
            Some(id) => Some(self.deal(id)?),
            None if open.len() == 1 => open.first().cloned(),
            None => None,
        };
        let mut rendered = render_template(template, &contact, deal.as_ref(), template.language);
        let chosen = deal.filter(|d| !open.iter().any(|o| o.id == d.id));
        rendered.deals =
            chosen.into_iter().chain(open).map(|d| DealRef { id: d.id, title: d.title }).collect();
        Ok(rendered)
    }

    /// Logs a sent follow-up as an `email` activity (summary: the subject,
    /// text: the body).
    pub fn log_email_sent(
        &self,
        contact_id: Uuid,
        email: &RenderedEmail,
        now: DateTime<Utc>,
    ) -> Result<Changed<(Activity, Contact)>> {
        let input = ActivityInput {
            kind: ActivityKind::Email,
            at: None,
            summary: Some(email.subject.clone()).filter(|s| !s.trim().is_empty()),
            text: Some(email.body.clone()),
            outcome: None,
            concerns: None,
        };
        self.log_activity(contact_id, input, now)
    }

    /// Refuses settings that drop a deal stage some deal is still in.
    pub(super) fn check_stages_in_use(&self, settings: &Settings) -> Result<()> {
        for old in &self.settings().deal_stages {
            if settings.deal_stages.iter().any(|s| s.key == old.key) {
                continue;
            }
            let mut prefix = old.key.as_bytes().to_vec();
            prefix.push(0);
            if self.t.deals_by_stage.scan_prefix(prefix).next().is_some() {
                return Err(Error::InvalidSettings {
                    field: "deal_stages",
                    reason: format!("deals are still in stage {:?}; move them first", old.key),
                });
            }
        }
        Ok(())
    }
}

/// Puts `deal` into `stage`: history entry, probability default, lost reason.
fn enter_stage(
    deal: &mut Deal,
    stage: &DealStageSetting,
    why: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let why = reason(why);
    if stage.outcome == StageOutcome::Lost && why.is_none() {
        return Err(Error::DealReasonRequired { stage: stage.key.clone() });
    }
    deal.stage_history.push(DealStageChange {
        from: Some(deal.stage.clone()),
        to: stage.key.clone(),
        at: now,
        reason: why.clone(),
    });
    deal.stage = stage.key.clone();
    deal.stage_changed_at = now;
    deal.probability = stage.probability;
    deal.lost_reason = if stage.outcome == StageOutcome::Lost { why } else { None };
    Ok(())
}
