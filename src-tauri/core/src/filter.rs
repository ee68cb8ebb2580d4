//! Contact filters and saved views: tag, score range, source, city or
//! postcode, and what is missing or late (no next task, a task overdue, no
//! activity for N days). A saved view is a filter with a stage and a name,
//! kept in the settings and shown with a live count.
//!
//! Invariant: a filter matches on a contact's [`Facts`], which hold every
//! value it looks at, so the store can evaluate many filters over one
//! snapshot of all contacts.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::stage::Stage;
use crate::text::fold;

/// Most saved views.
pub const MAX_VIEWS: usize = 50;

/// What a contact must have to be listed. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ContactFilter {
    /// Has this tag (case and accents aside).
    pub tag: Option<String>,
    /// Score at least this.
    pub score_min: Option<u8>,
    /// Score at most this.
    pub score_max: Option<u8>,
    /// Its source contains this ("Messe" finds "Messe Hannover 2026").
    pub source: Option<String>,
    /// Its city contains this, or its postcode starts with it ("20" finds
    /// Hamburg's 20xxx).
    pub place: Option<String>,
    /// Has no open task.
    pub no_next_task: bool,
    /// Has an open task past its due time.
    pub task_overdue: bool,
    /// No activity for this many days (or none at all).
    pub inactive_days: Option<u32>,
}

/// A filter with a stage and a name, listed in the contacts' sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedView {
    /// Stable id ("view-…").
    pub id: String,
    /// Its name.
    pub name: String,
    /// Only this stage.
    pub stage: Option<Stage>,
    /// The filter.
    pub filter: ContactFilter,
}

/// A saved view's count of contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ViewCount {
    /// The view's id.
    pub id: String,
    /// Contacts it lists now.
    pub count: u32,
}

/// What filters look at of one contact.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub id: Uuid,
    pub stage: Stage,
    /// Folded tags.
    pub tags: Vec<String>,
    pub score: u8,
    /// Folded source.
    pub source: String,
    /// Folded city.
    pub city: String,
    /// Postcode, spaces removed, upper case.
    pub postcode: String,
    /// Due time of its earliest open task.
    pub next_task: Option<DateTime<Utc>>,
    pub last_activity: Option<DateTime<Utc>>,
}

/// A postcode as filters compare it: spaces removed, upper case.
pub(crate) fn postcode_key(postcode: &str) -> String {
    postcode.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
}

fn given(s: &Option<String>) -> Option<String> {
    s.as_deref().map(fold).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl ContactFilter {
    /// Whether it filters anything.
    pub fn is_empty(&self) -> bool {
        self.compiled().is_none()
    }

    /// The filter with its texts folded once, `None` when it filters nothing.
    pub(crate) fn compiled(&self) -> Option<Compiled> {
        let c = Compiled {
            tag: given(&self.tag),
            score: (self.score_min.unwrap_or(0), self.score_max.unwrap_or(u8::MAX)),
            source: given(&self.source),
            place: given(&self.place),
            postcode: self.place.as_deref().map(postcode_key).filter(|p| !p.is_empty()),
            no_next_task: self.no_next_task,
            task_overdue: self.task_overdue,
            inactive_days: self.inactive_days,
        };
        let empty = c.tag.is_none()
            && c.score == (0, u8::MAX)
            && c.source.is_none()
            && c.place.is_none()
            && !c.no_next_task
            && !c.task_overdue
            && c.inactive_days.is_none();
        (!empty).then_some(c)
    }

    /// Checks the ranges.
    pub fn validate(&self) -> Result<()> {
        let bad = |reason: &str| Error::InvalidInput { field: "filter", reason: reason.into() };
        if let (Some(min), Some(max)) = (self.score_min, self.score_max) {
            if min > max {
                return Err(bad("the lowest score is above the highest"));
            }
        }
        if self.score_min.is_some_and(|s| s > 100) || self.score_max.is_some_and(|s| s > 100) {
            return Err(bad("a score lies between 0 and 100"));
        }
        if self.inactive_days.is_some_and(|d| d == 0 || d > 3650) {
            return Err(bad("days without activity are 1 to 3650"));
        }
        Ok(())
    }
}

/// The costly facts a filter reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    /// Every contact's score.
    pub(crate) score: bool,
    /// Every contact's last activity.
    pub(crate) last_activity: bool,
    /// Every contact's next open task.
    pub(crate) next_task: bool,
}

impl Needs {
    /// What either needs.
    pub(crate) fn and(self, other: Needs) -> Needs {
        Needs {
            score: self.score || other.score,
            last_activity: self.last_activity || other.last_activity,
            next_task: self.next_task || other.next_task,
        }
    }

    /// Whether facts computed for `self` serve `other` too.
    pub(crate) fn covers(self, other: Needs) -> bool {
        self.and(other) == self
    }
}

/// A filter ready to match.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    tag: Option<String>,
    score: (u8, u8),
    source: Option<String>,
    place: Option<String>,
    postcode: Option<String>,
    no_next_task: bool,
    task_overdue: bool,
    inactive_days: Option<u32>,
}

impl Compiled {
    /// What of the facts it reads beyond the contact record: a snapshot
    /// computes only that (scores, last activities and next tasks are the
    /// costly parts).
    pub(crate) fn needs(&self) -> Needs {
        Needs {
            score: self.score != (0, u8::MAX),
            last_activity: self.inactive_days.is_some(),
            next_task: self.no_next_task || self.task_overdue,
        }
    }

    /// Whether the contact of `f` matches at `now`.
    pub(crate) fn matches(&self, f: &Facts, now: DateTime<Utc>) -> bool {
        self.tag.as_ref().is_none_or(|t| f.tags.iter().any(|x| x == t))
            && (self.score.0..=self.score.1).contains(&f.score)
            && self.source.as_ref().is_none_or(|s| f.source.contains(s.as_str()))
            && self.place.as_ref().is_none_or(|p| {
                f.city.contains(p.as_str())
                    || self.postcode.as_ref().is_some_and(|code| f.postcode.starts_with(code.as_str()))
            })
            && (!self.no_next_task || f.next_task.is_none())
            && (!self.task_overdue || f.next_task.is_some_and(|due| due < now))
            && self.inactive_days.is_none_or(|days| {
                f.last_activity.is_none_or(|at| at < now - Duration::days(i64::from(days)))
            })
    }
}

/// Checks saved views: names given and unique, filters in range, ids unique.
pub fn validate_views(views: &[SavedView]) -> Result<()> {
    let bad = |reason: String| Error::InvalidSettings { field: "saved_views", reason };
    if views.len() > MAX_VIEWS {
        return Err(bad(format!("at most {MAX_VIEWS} saved views")));
    }
    let mut names = std::collections::HashSet::new();
    let mut ids = std::collections::HashSet::new();
    for v in views {
        let name = v.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(bad("a view needs a name of up to 80 characters".into()));
        }
        if !names.insert(fold(name)) {
            return Err(bad(format!("two views are named {name:?}")));
        }
        if v.id.trim().is_empty() || !ids.insert(v.id.as_str()) {
            return Err(bad(format!("view id {:?} is empty or used twice", v.id)));
        }
        v.filter.validate().map_err(|e| bad(format!("{name}: {e}")))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn facts() -> Facts {
        Facts {
            id: Uuid::nil(),
            stage: Stage::Lead,
            tags: vec![fold("Messe")],
            score: 40,
            source: fold("Messe Hannover 2026"),
            city: fold("Hamburg"),
            postcode: "20457".into(),
            next_task: None,
            last_activity: None,
        }
    }

    #[test]
    fn each_field_filters_and_an_empty_filter_filters_nothing() {
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
        let f = facts();
        let m = |filter: ContactFilter| filter.compiled().map(|c| c.matches(&f, now));
        assert_eq!(m(ContactFilter::default()), None);
        assert!(ContactFilter::default().is_empty());
        assert_eq!(m(ContactFilter { tag: Some(" MESSE ".into()), ..Default::default() }), Some(true));
        assert_eq!(
            m(ContactFilter { tag: Some("Mess".into()), ..Default::default() }),
            Some(false),
            "a tag is whole"
        );
        assert_eq!(
            m(ContactFilter { score_min: Some(40), score_max: Some(60), ..Default::default() }),
            Some(true)
        );
        assert_eq!(m(ContactFilter { score_min: Some(41), ..Default::default() }), Some(false));
        assert_eq!(m(ContactFilter { source: Some("hannover".into()), ..Default::default() }), Some(true));
        assert_eq!(m(ContactFilter { place: Some("hamb".into()), ..Default::default() }), Some(true));
        assert_eq!(m(ContactFilter { place: Some("20".into()), ..Default::default() }), Some(true));
        assert_eq!(m(ContactFilter { place: Some("21".into()), ..Default::default() }), Some(false));
        assert_eq!(m(ContactFilter { no_next_task: true, ..Default::default() }), Some(true));
        assert_eq!(m(ContactFilter { task_overdue: true, ..Default::default() }), Some(false));
        assert_eq!(
            m(ContactFilter { inactive_days: Some(30), ..Default::default() }),
            Some(true),
            "never active"
        );
        let busy = Facts {
            next_task: Some(now - Duration::hours(1)),
            last_activity: Some(now - Duration::days(3)),
            ..facts()
        };
        let m = |filter: ContactFilter| filter.compiled().unwrap().matches(&busy, now);
        assert!(m(ContactFilter { task_overdue: true, ..Default::default() }));
        assert!(!m(ContactFilter { no_next_task: true, ..Default::default() }));
        assert!(!m(ContactFilter { inactive_days: Some(30), ..Default::default() }));
        assert!(m(ContactFilter { inactive_days: Some(2), ..Default::default() }));
    }

    #[test]
    fn views_need_unique_names_and_sane_ranges() {
        let view = |id: &str, name: &str| SavedView {
            id: id.into(),
            name: name.into(),
            stage: None,
            filter: Default::default(),
        };
        assert!(validate_views(&[view("a", "Messe"), view("b", "Ruhig")]).is_ok());
        assert!(validate_views(&[view("a", "Messe"), view("b", "messe")]).is_err());
        assert!(validate_views(&[view("a", " ")]).is_err());
        assert!(validate_views(&[view("a", "x"), view("a", "y")]).is_err());
        let mut bad = view("a", "x");
        bad.filter.score_min = Some(70);
        bad.filter.score_max = Some(20);
        assert!(validate_views(&[bad]).is_err());
    }
}
