//! The store's side of reports: reads the contacts, deals, activity keys
//! and overdue tasks a report needs and hands them to [`crate::report`].
//! Reports are aggregate views and read whole trees (activities from keys
//! only, never decoding their records).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Store;
use crate::error::Result;
use crate::report::{self, Period, Report, ReportKind};
use crate::store::TaskView;

impl Store {
    /// One report over `period` (inclusive local dates in `tz`) as of `now`.
    pub fn report(&self, kind: ReportKind, period: &Period, tz: Tz, now: DateTime<Utc>) -> Result<Report> {
        period.validate()?;
        Ok(match kind {
            ReportKind::Funnel => Report::Funnel(report::funnel(&self.all_contacts()?, period, tz)),
            ReportKind::Conversion => {
                Report::Conversion(report::conversion(&self.all_contacts()?, period, tz))
            }
            ReportKind::Pipeline => {
                let stages = self.settings().deal_stages;
                Report::Pipeline(report::pipeline(&self.deals(None)?, &stages, period, tz))
            }
            ReportKind::Activities => {
                let mut items = Vec::new();
                for key in self.t.activities.iter().keys() {
                    let (_, kind, at) = super::activities::parse_activity_key(&key?)?;
                    items.push((kind, at));
                }
                Report::Activities(report::activities(&items, period, tz, now))
            }
            ReportKind::Sources => Report::Sources(report::sources(&self.all_contacts()?, period, tz)),
            ReportKind::Overdue => {
                Report::Overdue(report::overdue(self.tasks(TaskView::Overdue, tz, now)?, period, tz))
            }
        })
    }
}
