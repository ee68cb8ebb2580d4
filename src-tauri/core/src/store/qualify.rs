//! The store's side of qualification: criteria, scores and proposals, and
//! accepting them (by hand or by auto-advance).
//!
//! Invariant: scores are computed when read (never stored), so decay needs
//! no rewrite; what lists need of them in bulk is kept as ready windows
//! (`ready.rs`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::contacts::not_found;
use super::ready::effective;
use super::Store;
use crate::automation::{AutomationOutcome, Changed};
use crate::contact::{Contact, Organization};
use crate::criteria::{CriteriaUpdate, TargetGroupSetting};
use crate::error::{Error, Result};
use crate::score::{self, fit_points, proposal_reason, propose, Score};
use crate::settings::Settings;
use crate::stage::{ChangedBy, StageChangeRequest};

impl Store {
    /// The organisation a contact's target-group fit is proposed from, when
    /// it is proposed at all (not set by hand, and a target profile is set).
    fn fit_org(&self, c: &Contact, settings: &Settings) -> Option<Organization> {
        let p = &settings.target_profile;
        let profiled =
            !p.industries.is_empty() || p.size_min.is_some() || p.size_max.is_some() || !p.regions.is_empty();
        if c.target_group_manual || !profiled {
            return None;
        }
        c.organization_id.and_then(|id| self.org_cached(id))
    }

    /// Fills in a contact's effective criteria, score, proposal and last
    /// activity as of `now`; returns the score with its explanation.
    pub(super) fn fill_score_explained(&self, c: &mut Contact, now: DateTime<Utc>) -> Result<Score> {
        let settings = self.settings();
        c.criteria = effective(c, self.fit_org(c, &settings).as_ref(), &settings);
        // The sums give the total when no activity lies after `now`; then only
        // the newest activities are read for the explanation.
        let sums = self.sums(c.id)?;
        let total = sums.and_then(|s| Some((s.value_at(&settings.scoring, now)?, s.count())));
        let activities = self.activity_times(c.id, total.is_some().then_some(score::LINES_SHOWN))?;
        c.last_activity_at = activities.first().map(|(_, at)| *at);
        let score = score::score_with_total(c.stage, &c.criteria, activities, total, &settings.scoring, now);
        c.score = score.score;
        c.proposal = score.proposal;
        Ok(score)
    }

    /// [`Store::fill_score_explained`] without the explanation, for lists and writes:
    /// the same criteria, score, proposal and last activity. When the
    /// engagement sums can tell (no activity after `now`), one activity key
    /// is read instead of the newest twenty and no score lines are built.
    pub(super) fn fill_score(&self, c: &mut Contact, now: DateTime<Utc>) -> Result<()> {
        let settings = self.settings();
        let scoring = &settings.scoring;
        let sums = self.sums(c.id)?;
        let total = match &sums {
            None => 0.0,
            Some(s) => match s.value_at(scoring, now) {
                Some(total) => total,
                None => return self.fill_score_explained(c, now).map(|_| ()),
            },
        };
        c.criteria = effective(c, self.fit_org(c, &settings).as_ref(), &settings);
        c.last_activity_at = match sums {
            Some(_) => self.activity_times(c.id, Some(1))?.first().map(|(_, at)| *at),
            None => None,
        };
        let score = fit_points(&c.criteria, scoring) + score::engagement_part(total);
        c.score = score as u8;
        c.proposal = propose(c.stage, &c.criteria, score, scoring);
        Ok(())
    }

    /// A contact's score with its line items and proposal, at `now`.
    pub fn contact_score(&self, id: Uuid, now: DateTime<Utc>) -> Result<Score> {
        Ok(self.contact_explained(id, now)?.1)
    }

    /// A contact read once, with its score explained at `now` (the contact's
    /// criteria, score, proposal and last activity filled in from the same
    /// reading).
    pub fn contact_explained(&self, id: Uuid, now: DateTime<Utc>) -> Result<(Contact, Score)> {
        let mut contact = self.raw_contact(id)?;
        let score = self.fill_score_explained(&mut contact, now)?;
        Ok((contact, score))
    }

    /// Changes qualification criteria (the rest stay as they are).
    pub fn set_criteria(
        &self,
        id: Uuid,
        update: &CriteriaUpdate,
        now: DateTime<Utc>,
    ) -> Result<Changed<Contact>> {
        let current = self.raw_contact(id)?;
        let before = if self.watches_score() { Some(self.contact(id, now)?.score) } else { None };
        let contact = self.save_scored(id, current.organization.as_deref(), now, |old| {
            let mut c = old.ok_or_else(|| not_found(id))?;
            match update.target_group {
                Some(TargetGroupSetting::Auto) => c.target_group_manual = false,
                Some(setting) => {
                    c.target_group_manual = true;
                    c.criteria.target_group = match setting {
                        TargetGroupSetting::Yes => crate::criteria::Answer::Yes,
                        TargetGroupSetting::No => crate::criteria::Answer::No,
                        _ => crate::criteria::Answer::Unknown,
                    };
                }
                None => {}
            }
            let cr = &mut c.criteria;
            for (slot, value) in [
                (&mut cr.budget, update.budget),
                (&mut cr.authority, update.authority),
                (&mut cr.need, update.need),
                (&mut cr.timeline, update.timeline),
            ] {
                if let Some(v) = value {
                    *slot = v;
                }
            }
            c.updated_at = now;
            Ok(c)
        })?;
        let mut fired = Vec::new();
        let contact = self.auto_advance(contact, now, &mut fired)?;
        self.score_rules(id, before, contact.score, now, &mut fired);
        Ok(Changed::new(contact, fired))
    }

    /// Runs the score-crossing rules for a score that went from `before` to `after`.
    pub(super) fn score_rules(
        &self,
        contact_id: Uuid,
        before: Option<u8>,
        after: u8,
        now: DateTime<Utc>,
        fired: &mut Vec<AutomationOutcome>,
    ) {
        if let Some(before) = before.filter(|b| *b != after) {
            let event = crate::automation::Event::ScoreChanged { contact_id, before, after };
            fired.extend(self.run_rules(&[event], now));
        }
    }

    /// Applies the contact's qualification proposal: a stage change "by rule".
    pub fn accept_proposal(&self, id: Uuid, now: DateTime<Utc>) -> Result<Changed<Contact>> {
        let contact = self.contact(id, now)?;
        let mut fired = Vec::new();
        let contact = self.apply_proposal(&contact, false, now, &mut fired)?.ok_or(Error::NoProposal)?;
        Ok(Changed::new(contact, fired))
    }

    fn apply_proposal(
        &self,
        contact: &Contact,
        auto: bool,
        now: DateTime<Utc>,
        fired: &mut Vec<AutomationOutcome>,
    ) -> Result<Option<Contact>> {
        let Some(to) = contact.proposal else { return Ok(None) };
        let scoring = self.settings().scoring;
        let score = u32::from(contact.score);
        let reason =
            proposal_reason(contact.stage, &contact.criteria, score, &scoring, auto, self.language());
        let request = StageChangeRequest { to, reason: Some(reason), force: false };
        self.change_stage_firing(contact.id, &request, ChangedBy::Rule, now, fired).map(Some)
    }

    /// With auto-advance on, applies proposals (lead → prospect → opportunity
    /// may follow one another); otherwise returns the contact as it is.
    pub(super) fn auto_advance(
        &self,
        mut contact: Contact,
        now: DateTime<Utc>,
        fired: &mut Vec<AutomationOutcome>,
    ) -> Result<Contact> {
        if !self.settings().scoring.auto_advance {
            return Ok(contact);
        }
        for _ in 0..2 {
            match self.apply_proposal(&contact, true, now, fired)? {
                Some(next) => contact = next,
                None => break,
            }
        }
        Ok(contact)
    }

    /// [`Store::auto_advance`] for those of `ids` (all contacts when `None`)
    /// that are ready to qualify; the others are not read.
    pub(super) fn auto_advance_ready(
        &self,
        ids: Option<&[Uuid]>,
        now: DateTime<Utc>,
        fired: &mut Vec<AutomationOutcome>,
    ) -> Result<()> {
        if !self.settings().scoring.auto_advance {
            return Ok(());
        }
        let ready: Vec<Uuid> = match ids {
            Some(ids) => ids.iter().copied().filter(|id| self.is_ready(*id, now).unwrap_or(false)).collect(),
            None => self.ready_ids(now)?.into_iter().collect(),
        };
        for id in ready {
            self.auto_advance(self.contact(id, now)?, now, fired)?;
        }
        Ok(())
    }
}
