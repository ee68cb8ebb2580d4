//! The communication log: every interaction with a contact (call, visit,
//! note ...) and every engagement signal (webinar, whitepaper ...), with the
//! questions and concerns raised.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};

/// What kind of interaction or signal an activity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ActivityKind {
    /// Phone call.
    Call,
    /// Meeting (online or at the office).
    Meeting,
    /// Visit at the customer's site.
    Visit,
    /// Email written or received.
    Email,
    /// Free note.
    Note,
    /// Signed up for the newsletter.
    NewsletterSignup,
    /// Downloaded a whitepaper.
    WhitepaperDownload,
    /// Attended a webinar.
    WebinarAttended,
    /// Visited the website.
    WebsiteVisit,
    /// Opened an email.
    EmailOpened,
    /// Replied to an email.
    EmailReplied,
    /// Submitted a form.
    FormSubmitted,
}

impl ActivityKind {
    /// All kinds, in display order. `index()` is the position here.
    pub const ALL: [ActivityKind; 12] = [
        ActivityKind::Call,
        ActivityKind::Meeting,
        ActivityKind::Visit,
        ActivityKind::Email,
        ActivityKind::Note,
        ActivityKind::NewsletterSignup,
        ActivityKind::WhitepaperDownload,
        ActivityKind::WebinarAttended,
        ActivityKind::WebsiteVisit,
        ActivityKind::EmailOpened,
        ActivityKind::EmailReplied,
        ActivityKind::FormSubmitted,
    ];

    /// Position in [`ActivityKind::ALL`] (stable: stored in index keys).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind at `index`.
    pub fn from_index(index: u8) -> Option<ActivityKind> {
        Self::ALL.get(index as usize).copied()
    }

    /// The kind's name in `language` ("Webinar besucht").
    pub fn name(self, language: crate::lang::Language) -> &'static str {
        use crate::texts::Text;
        let text = match self {
            ActivityKind::Call => Text::KindCall,
            ActivityKind::Meeting => Text::KindMeeting,
            ActivityKind::Visit => Text::KindVisit,
            ActivityKind::Email => Text::KindEmail,
            ActivityKind::Note => Text::KindNote,
            ActivityKind::NewsletterSignup => Text::KindNewsletterSignup,
            ActivityKind::WhitepaperDownload => Text::KindWhitepaperDownload,
            ActivityKind::WebinarAttended => Text::KindWebinarAttended,
            ActivityKind::WebsiteVisit => Text::KindWebsiteVisit,
            ActivityKind::EmailOpened => Text::KindEmailOpened,
            ActivityKind::EmailReplied => Text::KindEmailReplied,
            ActivityKind::FormSubmitted => Text::KindFormSubmitted,
        };
        text.get(language)
    }

    /// The snake_case key.
    pub fn key(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Visit => "visit",
            ActivityKind::Email => "email",
            ActivityKind::Note => "note",
            ActivityKind::NewsletterSignup => "newsletter_signup",
            ActivityKind::WhitepaperDownload => "whitepaper_download",
            ActivityKind::WebinarAttended => "webinar_attended",
            ActivityKind::WebsiteVisit => "website_visit",
            ActivityKind::EmailOpened => "email_opened",
            ActivityKind::EmailReplied => "email_replied",
            ActivityKind::FormSubmitted => "form_submitted",
        }
    }

    /// English label for explanations ("webinar attended").
    pub fn label(self) -> String {
        self.key().replace('_', " ")
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for ActivityKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|k| k.key() == s).ok_or_else(|| Error::InvalidInput {
            field: "kind",
            reason: format!(
                "unknown activity kind {s:?} (expected one of {})",
                Self::ALL.map(|k| k.key()).join(", ")
            ),
        })
    }
}

/// One entry of a contact's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Activity {
    /// uuid v7.
    pub id: Uuid,
    /// The contact it belongs to.
    pub contact_id: Uuid,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What it was.
    pub kind: ActivityKind,
    /// One line.
    pub summary: Option<String>,
    /// Free text.
    pub text: Option<String>,
    /// What came out of it.
    pub outcome: Option<String>,
    /// Questions and concerns the contact raised.
    pub concerns: Option<String>,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
    /// Earlier versions, oldest first: an edit keeps what it replaced.
    #[serde(default)]
    pub edits: Vec<ActivityEdit>,
}

/// An activity as it was before an edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityEdit {
    /// When it was edited (this version replaced).
    pub edited_at: DateTime<Utc>,
    /// What it was.
    pub kind: ActivityKind,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// One line.
    pub summary: Option<String>,
    /// Free text.
    pub text: Option<String>,
    /// What came out of it.
    pub outcome: Option<String>,
    /// Questions and concerns raised.
    pub concerns: Option<String>,
}

impl Activity {
    /// This activity edited to `input` at `now`: the same id, contact and
    /// logging time, its time kept when `input` names none, and the version
    /// it replaces added to `edits`.
    pub(crate) fn edited(&self, input: ActivityInput, now: DateTime<Utc>) -> Result<Activity> {
        let input = ActivityInput { at: input.at.or(Some(self.at)), ..input };
        let mut next = input.into_activity(self.id, self.contact_id, now)?;
        next.created_at = self.created_at;
        next.edits = self.edits.clone();
        next.edits.push(ActivityEdit {
            edited_at: now,
            kind: self.kind,
            at: self.at,
            summary: self.summary.clone(),
            text: self.text.clone(),
            outcome: self.outcome.clone(),
            concerns: self.concerns.clone(),
        });
        Ok(next)
    }
}

/// What the user logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityInput {
    /// What it was.
    pub kind: ActivityKind,
    /// When it happened; `None` = now.
    pub at: Option<DateTime<Utc>>,
    /// One line.
    pub summary: Option<String>,
    /// Free text.
    pub text: Option<String>,
    /// What came out of it.
    pub outcome: Option<String>,
    /// Questions and concerns raised.
    pub concerns: Option<String>,
}

/// A page request for a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ActivityQuery {
    /// Only these kinds (`None` = all).
    pub kinds: Option<Vec<ActivityKind>>,
    /// Entries to skip.
    pub offset: u32,
    /// Entries to return at most.
    pub limit: u32,
}

impl Default for ActivityQuery {
    fn default() -> Self {
        ActivityQuery { kinds: None, offset: 0, limit: 50 }
    }
}

/// One page of a timeline, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityPage {
    /// The entries.
    pub items: Vec<Activity>,
    /// How many match the query in all.
    pub total: u32,
    /// Entries per kind over the whole timeline (kinds present only), for filters.
    pub kind_counts: HashMap<ActivityKind, u32>,
}

/// How far in the future an activity may be dated (clock skew between devices).
const FUTURE_SLACK_MINUTES: i64 = 60;
const MAX_TEXT: usize = 100_000;

fn text(field: &'static str, value: &Option<String>) -> Result<Option<String>> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty());
    if value.is_some_and(|v| v.chars().count() > MAX_TEXT) {
        return Err(Error::InvalidInput { field, reason: format!("longer than {MAX_TEXT} characters") });
    }
    Ok(value.map(str::to_owned))
}

impl ActivityInput {
    /// Validates the input into an activity of `contact_id`.
    pub(crate) fn into_activity(self, id: Uuid, contact_id: Uuid, now: DateTime<Utc>) -> Result<Activity> {
        let at = self.at.unwrap_or(now);
        if !(1900..=2999).contains(&at.year()) {
            return Err(Error::InvalidInput {
                field: "at",
                reason: format!("the year {} lies outside 1900–2999", at.year()),
            });
        }
        if at > now + Duration::minutes(FUTURE_SLACK_MINUTES) {
            return Err(Error::InvalidInput {
                field: "at",
                reason: "an activity cannot lie in the future (plan it as a task)".into(),
            });
        }
        Ok(Activity {
            id,
            contact_id,
            at,
            kind: self.kind,
            summary: text("summary", &self.summary)?,
            text: text("text", &self.text)?,
            outcome: text("outcome", &self.outcome)?,
            concerns: text("concerns", &self.concerns)?,
            created_at: now,
            edits: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn an_activity_dated_outside_1900_to_2999_is_refused_with_its_year() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let input = |y: i32| ActivityInput {
            kind: ActivityKind::Call,
            at: Some(Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap()),
            summary: None,
            text: None,
            outcome: None,
            concerns: None,
        };
        for year in [0, 1899] {
            let err = input(year).into_activity(Uuid::nil(), Uuid::nil(), now).unwrap_err();
            assert!(err.to_string().contains(&format!("the year {year} lies outside")), "{err}");
        }
        assert!(input(1900).into_activity(Uuid::nil(), Uuid::nil(), now).is_ok());
    }
}
