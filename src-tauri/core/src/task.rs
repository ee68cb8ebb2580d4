//! Follow-up tasks and their reminders (SPEC §6): due dates in the rep's time
//! zone, reminders before due, snooze, and recurrence that keeps the wall
//! clock time across DST and the original day of month.
//!
//! Pure: the time zone and `now` are parameters.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};

/// Reminders of all-day tasks are measured from this local time on the due day.
pub const ALL_DAY_REMINDER_HOUR: u32 = 9;

/// The reminders a new task gets unless the rep chooses others, in minutes
/// before due: at due (for an all-day task, 09:00 local that day). The
/// window's task dialog and `kontor tasks add` start from it.
pub const DEFAULT_REMINDERS: [u32; 1] = [0];

/// How urgent a task is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Priority {
    /// Can wait.
    Low,
    /// Normal.
    #[default]
    Normal,
    /// Urgent.
    High,
}

impl FromStr for Priority {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_lowercase().as_str() {
            "low" | "niedrig" => Ok(Priority::Low),
            "normal" => Ok(Priority::Normal),
            "high" | "hoch" => Ok(Priority::High),
            other => Err(Error::InvalidInput {
                field: "priority",
                reason: format!("{other:?} is not low, normal or high"),
            }),
        }
    }
}

/// How a task repeats. JSON: "daily", "weekly", "monthly" or "every:N" (days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, TS)]
#[ts(export, type = "string")]
pub enum Repeat {
    /// Every day at the same local time.
    Daily,
    /// Every week on the same weekday.
    Weekly,
    /// Every month on the original day (the last day where the month is shorter).
    Monthly,
    /// Every N days.
    EveryDays(u32),
}

impl fmt::Display for Repeat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Repeat::Daily => f.write_str("daily"),
            Repeat::Weekly => f.write_str("weekly"),
            Repeat::Monthly => f.write_str("monthly"),
            Repeat::EveryDays(n) => write!(f, "every:{n}"),
        }
    }
}

impl FromStr for Repeat {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim().to_lowercase();
        let bad = || Error::InvalidInput {
            field: "repeat",
            reason: format!("{s:?} is not daily, weekly, monthly or every:N (N days, 1–365)"),
        };
        match s.as_str() {
            "daily" => Ok(Repeat::Daily),
            "weekly" => Ok(Repeat::Weekly),
            "monthly" => Ok(Repeat::Monthly),
            other => {
                let n: u32 =
                    other.strip_prefix("every:").and_then(|n| n.trim().parse().ok()).ok_or_else(bad)?;
                if (1..=365).contains(&n) {
                    Ok(Repeat::EveryDays(n))
                } else {
                    Err(bad())
                }
            }
        }
    }
}

impl Serialize for Repeat {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Repeat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One reminder of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Reminder {
    /// Minutes before due (0 = at due).
    pub before_minutes: u32,
    /// When it fires.
    pub fire_at: DateTime<Utc>,
    /// Whether it has fired (persisted: it never fires twice).
    pub fired: bool,
}

/// A follow-up task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Task {
    /// uuid v7.
    pub id: Uuid,
    /// What to do.
    pub title: String,
    /// The contact it is about.
    pub contact_id: Option<Uuid>,
    /// The deal it is about.
    pub deal_id: Option<Uuid>,
    /// Due (UTC). For all-day tasks: midnight UTC of the due day, so the
    /// day reads the same in every time zone (a rep who travels keeps it).
    pub due: DateTime<Utc>,
    /// Due on a day rather than at a time.
    pub all_day: bool,
    /// The day an all-day task is due (none for a task due at a time).
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// Priority.
    pub priority: Priority,
    /// Notes.
    pub notes: Option<String>,
    /// Reminders.
    pub reminders: Vec<Reminder>,
    /// Done.
    pub done: bool,
    /// When it was done.
    pub done_at: Option<DateTime<Utc>>,
    /// Reminded again at this time (snooze).
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Whether the snooze reminder has fired.
    pub snooze_fired: bool,
    /// Recurrence.
    pub repeat: Option<Repeat>,
    /// A repeating task postponed by a snooze: when this occurrence was
    /// scheduled (the series goes on from there, not from the new due time).
    #[serde(default)]
    pub scheduled_due: Option<DateTime<Utc>>,
    /// The day of month monthly recurrence keeps (1–31).
    pub anchor_day: u32,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// What the user enters for a task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct TaskInput {
    /// What to do.
    pub title: String,
    /// The contact it is about.
    pub contact_id: Option<Uuid>,
    /// The deal it is about.
    pub deal_id: Option<Uuid>,
    /// Due: RFC 3339 (a time) or YYYY-MM-DD (a day).
    pub due: String,
    /// Priority.
    pub priority: Priority,
    /// Notes.
    pub notes: Option<String>,
    /// Reminders, in minutes before due (0 = at due).
    pub reminders: Vec<u32>,
    /// Recurrence.
    pub repeat: Option<Repeat>,
}

/// A local date-time as an instant; a time skipped by a DST switch moves
/// forward by an hour, a repeated one takes its first occurrence.
pub fn local_to_utc(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => match tz.from_local_datetime(&(local + Duration::hours(1))) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
            LocalResult::None => Utc.from_utc_datetime(&local),
        },
    }
}

/// Dues are kept between these years (the index orders by milliseconds since
/// 1970; RFC 3339 has four-digit years, also for the next occurrence).
const DUE_YEARS: std::ops::RangeInclusive<i32> = 1970..=9998;

/// Local midnight of `day` in `tz`.
pub fn local_day_start(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    local_to_utc(day.and_time(NaiveTime::MIN), tz)
}

/// How an all-day task's day is kept in `due`: its midnight in UTC.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// Parses a due value: RFC 3339 → that instant; YYYY-MM-DD → an all-day
/// task on that day (`due` at [`day_start`]).
pub fn parse_due(s: &str) -> Result<(DateTime<Utc>, bool)> {
    let s = s.trim();
    let parsed = if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        (t.with_timezone(&Utc), false)
    } else if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        (day_start(d), true)
    } else {
        return Err(Error::InvalidInput {
            field: "due",
            reason: format!("{s:?} is neither RFC 3339 (2026-05-04T10:00:00Z) nor YYYY-MM-DD"),
        });
    };
    if parsed.0.timestamp() < 0 || !DUE_YEARS.contains(&parsed.0.year()) {
        return Err(Error::InvalidInput {
            field: "due",
            reason: format!("{s:?} is outside the years {}–{}", DUE_YEARS.start(), DUE_YEARS.end()),
        });
    }
    Ok(parsed)
}

/// Parses "15m", "2h", "1d" (or a plain number of minutes) into minutes.
pub fn parse_offset(s: &str) -> Result<u32> {
    let s = s.trim().to_lowercase();
    let bad = || Error::InvalidInput {
        field: "reminders",
        reason: format!("{s:?} is not a reminder offset like 15m, 2h or 1d"),
    };
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u32 = num.parse().map_err(|_| bad())?;
    let factor = match unit {
        "" | "m" | "min" => 1,
        "h" => 60,
        "d" => 24 * 60,
        "w" => 7 * 24 * 60,
        _ => return Err(bad()),
    };
    n.checked_mul(factor).filter(|m| *m <= 60 * 24 * 365).ok_or_else(bad)
}

/// The time reminders are measured from: due, or 09:00 local on the day of
/// an all-day task.
pub fn reminder_base(due: DateTime<Utc>, all_day: bool, tz: Tz) -> DateTime<Utc> {
    if !all_day {
        return due;
    }
    let day = due.date_naive();
    local_to_utc(day.and_hms_opt(ALL_DAY_REMINDER_HOUR, 0, 0).unwrap_or_default(), tz)
}

/// Reminders `offsets` minutes before `due` (an all-day one's 09:00), each once, earliest offset first.
pub(crate) fn reminders(offsets: &[u32], due: DateTime<Utc>, all_day: bool, tz: Tz) -> Vec<Reminder> {
    let base = reminder_base(due, all_day, tz);
    let mut offsets = offsets.to_vec();
    offsets.sort_unstable();
    offsets.dedup();
    offsets
        .into_iter()
        .map(|m| Reminder {
            before_minutes: m,
            fire_at: base - Duration::minutes(i64::from(m)),
            fired: false,
        })
        .collect()
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

/// The next due time after `due`, in local wall-clock terms of `tz`.
pub fn next_due(due: DateTime<Utc>, repeat: Repeat, anchor_day: u32, tz: Tz) -> DateTime<Utc> {
    let local = due.with_timezone(&tz).naive_local();
    let next = match repeat {
        Repeat::Daily => local + Duration::days(1),
        Repeat::Weekly => local + Duration::days(7),
        Repeat::EveryDays(n) => local + Duration::days(i64::from(n)),
        Repeat::Monthly => {
            let (y, m) =
                if local.month() == 12 { (local.year() + 1, 1) } else { (local.year(), local.month() + 1) };
            let day = anchor_day.clamp(1, 31).min(days_in_month(y, m));
            NaiveDate::from_ymd_opt(y, m, day).map_or(local, |d| d.and_time(local.time()))
        }
    };
    local_to_utc(next, tz)
}

impl TaskInput {
    /// Validates the input into a task.
    pub(crate) fn into_task(self, id: Uuid, tz: Tz, now: DateTime<Utc>) -> Result<Task> {
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            return Err(Error::InvalidInput { field: "title", reason: "a task needs a title".into() });
        }
        if title.chars().count() > 500 {
            return Err(Error::InvalidInput { field: "title", reason: "longer than 500 characters".into() });
        }
        let (due, all_day) = parse_due(&self.due)?;
        Ok(Task {
            id,
            title,
            contact_id: self.contact_id,
            deal_id: self.deal_id,
            due,
            all_day,
            due_date: all_day.then(|| due.date_naive()),
            priority: self.priority,
            notes: self.notes.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()),
            reminders: reminders(&self.reminders, due, all_day, tz),
            done: false,
            done_at: None,
            snoozed_until: None,
            snooze_fired: false,
            repeat: self.repeat,
            scheduled_due: None,
            anchor_day: if all_day { due.day() } else { due.with_timezone(&tz).day() },
            created_at: now,
            updated_at: now,
        })
    }
}

impl Task {
    /// The next occurrence of a repeating task (counted from this due date).
    pub(crate) fn next_occurrence(&self, id: Uuid, tz: Tz, now: DateTime<Utc>) -> Option<Task> {
        let repeat = self.repeat?;
        // An all-day task counts in days: its UTC midnight is its calendar.
        let scheduled = self.scheduled_due.unwrap_or(self.due);
        let due = next_due(scheduled, repeat, self.anchor_day, if self.all_day { Tz::UTC } else { tz });
        let offsets: Vec<u32> = self.reminders.iter().map(|r| r.before_minutes).collect();
        Some(Task {
            id,
            due,
            due_date: self.all_day.then(|| due.date_naive()),
            reminders: reminders(&offsets, due, self.all_day, tz),
            done: false,
            done_at: None,
            snoozed_until: None,
            snooze_fired: false,
            scheduled_due: None,
            created_at: now,
            updated_at: now,
            ..self.clone()
        })
    }

    /// When it is due, for reading: an all-day task's day in `date_format`,
    /// a timed task's local time in `time_format` (chrono formats).
    pub fn due_label(&self, tz: Tz, date_format: &str, time_format: &str) -> String {
        match self.day() {
            Some(day) => day.format(date_format).to_string(),
            None => self.due.with_timezone(&tz).format(time_format).to_string(),
        }
    }

    /// The day an all-day task is due (none for a timed one).
    pub fn day(&self) -> Option<NaiveDate> {
        self.all_day.then(|| self.due_date.unwrap_or_else(|| self.due.date_naive()))
    }

    /// A task written before all-day dues were kept at UTC midnight (its due
    /// at local midnight in `tz`, no `due_date`), moved to today's form.
    /// Returns whether it changed.
    pub fn normalize_all_day(&mut self, tz: Tz) -> bool {
        if !self.all_day || self.due_date.is_some_and(|day| self.due == day_start(day)) {
            return false;
        }
        let day = self.due_date.unwrap_or_else(|| self.due.with_timezone(&tz).date_naive());
        self.due = day_start(day);
        self.due_date = Some(day);
        true
    }

    /// A snooze past the task's due time postpones the task to it: a timed
    /// task is then due at `until`, an all-day task on the (local) day of
    /// `until`; its reminders are counted from the new due time. So a task
    /// snoozed from overdue to tomorrow 09:00 is no longer overdue. A snooze
    /// before the due time (a reminder an hour ahead) only moves the reminder.
    pub(crate) fn postpone_to(&mut self, until: DateTime<Utc>, tz: Tz) {
        let due = match self.day() {
            Some(day) => {
                let local = until.with_timezone(&tz).date_naive();
                if local <= day {
                    return;
                }
                self.due_date = Some(local);
                day_start(local)
            }
            None if until > self.due => until,
            None => return,
        };
        if self.repeat.is_some() && self.scheduled_due.is_none() {
            self.scheduled_due = Some(self.due);
        }
        self.due = due;
        let offsets: Vec<u32> = self.reminders.iter().map(|r| r.before_minutes).collect();
        self.reminders = reminders(&offsets, due, self.all_day, tz);
    }

    /// Moves the task to `day` (a timed task keeps its local time of day),
    /// ending a snooze; a repeating task keeps counting from its schedule.
    pub(crate) fn move_to_day(&mut self, day: NaiveDate, tz: Tz) {
        let due = match self.day() {
            Some(_) => {
                self.due_date = Some(day);
                day_start(day)
            }
            None => local_to_utc(day.and_time(self.due.with_timezone(&tz).time()), tz),
        };
        if self.repeat.is_some() && self.scheduled_due.is_none() {
            self.scheduled_due = Some(self.due);
        }
        self.due = due;
        self.snoozed_until = None;
        self.snooze_fired = false;
        let offsets: Vec<u32> = self.reminders.iter().map(|r| r.before_minutes).collect();
        self.reminders = reminders(&offsets, due, self.all_day, tz);
    }

    /// A snooze replaces the reminders before it: they are settled, so
    /// "remind me in an hour" is not followed by the old reminder in ten
    /// minutes.
    pub(crate) fn supersede_by_snooze(&mut self) {
        if let Some(until) = self.snoozed_until {
            for r in self.reminders.iter_mut().filter(|r| r.fire_at <= until) {
                r.fired = true;
            }
        }
    }

    /// Unfired reminders (slot, time); the snooze reminder has slot 255.
    pub fn pending(&self) -> Vec<(u8, DateTime<Utc>)> {
        if self.done {
            return vec![];
        }
        let mut out: Vec<(u8, DateTime<Utc>)> = self
            .reminders
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.fired)
            .map(|(i, r)| (u8::try_from(i).unwrap_or(254), r.fire_at))
            .collect();
        if let (Some(until), false) = (self.snoozed_until, self.snooze_fired) {
            out.push((SNOOZE_SLOT, until));
        }
        out
    }
}

/// The rep's time zone: `TZ` if it names one, else the system's, else UTC.
pub fn system_timezone() -> Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|tz| tz.trim_start_matches(':').parse().ok())
        .or_else(|| iana_time_zone::get_timezone().ok().and_then(|tz| tz.parse().ok()))
        .unwrap_or(Tz::UTC)
}

/// Snooze choices offered in the task views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SnoozePreset {
    /// In 10 minutes.
    TenMinutes,
    /// In an hour.
    OneHour,
    /// Tomorrow at 09:00 local time.
    TomorrowMorning,
    /// Next Monday at 09:00 local time.
    NextWeek,
}

impl SnoozePreset {
    /// The time this preset snoozes until.
    pub fn until(self, tz: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
        let today = now.with_timezone(&tz).date_naive();
        let at_nine =
            |d: NaiveDate| local_to_utc(d.and_hms_opt(ALL_DAY_REMINDER_HOUR, 0, 0).unwrap_or_default(), tz);
        match self {
            SnoozePreset::TenMinutes => now + Duration::minutes(10),
            SnoozePreset::OneHour => now + Duration::hours(1),
            SnoozePreset::TomorrowMorning => at_nine(today + Duration::days(1)),
            SnoozePreset::NextWeek => {
                let days = 7 - i64::from(today.weekday().num_days_from_monday());
                at_nine(today + Duration::days(days))
            }
        }
    }
}

/// The queue slot of a task's snooze reminder.
pub const SNOOZE_SLOT: u8 = 255;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;
    use rstest::rstest;

    fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        local_to_utc(NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap(), Berlin)
    }

    #[rstest]
    #[case("15m", 15)]
    #[case("2h", 120)]
    #[case("1d", 1440)]
    #[case("0", 0)]
    #[case("1w", 10080)]
    fn offsets(#[case] s: &str, #[case] minutes: u32) {
        assert_eq!(parse_offset(s).unwrap(), minutes);
    }

    #[test]
    fn bad_offsets_and_repeats_are_refused() {
        for s in ["", "m", "15x", "-5m", "999999d"] {
            assert!(parse_offset(s).is_err(), "{s}");
        }
        for s in ["hourly", "every:0", "every:x", "every:400"] {
            assert!(s.parse::<Repeat>().is_err(), "{s}");
        }
        assert_eq!("every:3".parse::<Repeat>().unwrap(), Repeat::EveryDays(3));
        assert_eq!(serde_json::to_string(&Repeat::EveryDays(3)).unwrap(), "\"every:3\"");
    }

    #[test]
    fn older_all_day_tasks_move_to_midnight_utc_of_their_day() {
        let input = TaskInput { title: "Messe".into(), due: "2026-11-24".into(), ..Default::default() };
        let now = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap();
        let current = input.into_task(Uuid::nil(), Berlin, now).unwrap();
        let mut t = current.clone();
        assert!(!t.normalize_all_day(Berlin), "already in today's form");
        // Local midnight without a day (the first form), or with one.
        let berlin_midnight = Utc.with_ymd_and_hms(2026, 11, 23, 23, 0, 0).unwrap();
        for due_date in [None, NaiveDate::from_ymd_opt(2026, 11, 24)] {
            let mut old = Task { due: berlin_midnight, due_date, ..current.clone() };
            assert!(old.normalize_all_day(Berlin));
            assert_eq!(old, current);
        }
        let mut timed = Task { all_day: false, due_date: None, ..current.clone() };
        assert!(!timed.normalize_all_day(Berlin));
    }

    #[test]
    fn due_parses_as_instant_or_day() {
        let (t, all_day) = parse_due("2026-03-10T08:30:00+01:00").unwrap();
        assert_eq!((t, all_day), (Utc.with_ymd_and_hms(2026, 3, 10, 7, 30, 0).unwrap(), false));
        let (t, all_day) = parse_due("2026-07-01").unwrap();
        assert_eq!((t, all_day), (Utc.with_ymd_and_hms(2026, 7, 1, 0, 0, 0).unwrap(), true));
        assert!(parse_due("tomorrow").is_err());
    }

    #[test]
    fn reminders_are_measured_from_due_or_nine_on_the_day() {
        let input = TaskInput {
            title: "Call".into(),
            due: "2026-03-10T10:00:00Z".into(),
            reminders: vec![15, 0, 15],
            ..Default::default()
        };
        let task =
            input.into_task(Uuid::nil(), Berlin, Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()).unwrap();
        let times: Vec<_> = task.reminders.iter().map(|r| r.fire_at).collect();
        assert_eq!(
            times,
            [
                Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2026, 3, 10, 9, 45, 0).unwrap()
            ]
        );
        let all_day = TaskInput {
            title: "Visit".into(),
            due: "2026-03-10".into(),
            reminders: vec![60],
            ..Default::default()
        };
        let task = all_day
            .into_task(Uuid::nil(), Berlin, Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap())
            .unwrap();
        assert_eq!(task.reminders[0].fire_at, berlin(2026, 3, 10, 8, 0));
    }

    #[test]
    fn monthly_keeps_the_day_of_month_where_the_month_has_it() {
        let jan31 = berlin(2026, 1, 31, 9, 0);
        let feb = next_due(jan31, Repeat::Monthly, 31, Berlin);
        assert_eq!(feb, berlin(2026, 2, 28, 9, 0));
        let mar = next_due(feb, Repeat::Monthly, 31, Berlin);
        assert_eq!(mar, berlin(2026, 3, 31, 9, 0));
        let apr = next_due(mar, Repeat::Monthly, 31, Berlin);
        assert_eq!(apr, berlin(2026, 4, 30, 9, 0));
        let dec = berlin(2026, 12, 15, 9, 0);
        assert_eq!(next_due(dec, Repeat::Monthly, 15, Berlin), berlin(2027, 1, 15, 9, 0));
        let leap = next_due(berlin(2028, 1, 29, 9, 0), Repeat::Monthly, 29, Berlin);
        assert_eq!(leap, berlin(2028, 2, 29, 9, 0));
    }

    #[test]
    fn daily_and_weekly_keep_the_wall_clock_across_dst() {
        // Spring forward: 29 March 2026, 02:00 → 03:00 in Berlin.
        let before = berlin(2026, 3, 28, 9, 0);
        let after = next_due(before, Repeat::Daily, 28, Berlin);
        assert_eq!(
            after.with_timezone(&Berlin).naive_local(),
            berlin(2026, 3, 29, 9, 0).with_timezone(&Berlin).naive_local()
        );
        assert_eq!(after - before, Duration::hours(23));
        // Fall back: 25 October 2026, 03:00 → 02:00.
        let before = berlin(2026, 10, 24, 9, 0);
        let after = next_due(before, Repeat::Daily, 24, Berlin);
        assert_eq!(after - before, Duration::hours(25));
        let week = next_due(berlin(2026, 3, 25, 9, 0), Repeat::Weekly, 25, Berlin);
        assert_eq!(week, berlin(2026, 4, 1, 9, 0));
        assert_eq!(
            next_due(berlin(2026, 3, 25, 9, 0), Repeat::EveryDays(3), 25, Berlin),
            berlin(2026, 3, 28, 9, 0)
        );
    }

    #[test]
    fn snooze_presets() {
        let wed = berlin(2026, 3, 11, 16, 20);
        assert_eq!(SnoozePreset::TenMinutes.until(Berlin, wed), wed + Duration::minutes(10));
        assert_eq!(SnoozePreset::OneHour.until(Berlin, wed), wed + Duration::hours(1));
        assert_eq!(SnoozePreset::TomorrowMorning.until(Berlin, wed), berlin(2026, 3, 12, 9, 0));
        assert_eq!(SnoozePreset::NextWeek.until(Berlin, wed), berlin(2026, 3, 16, 9, 0));
        let sunday = berlin(2026, 3, 15, 22, 0);
        assert_eq!(SnoozePreset::NextWeek.until(Berlin, sunday), berlin(2026, 3, 16, 9, 0));
    }

    #[test]
    fn a_time_skipped_by_dst_moves_forward() {
        // 02:30 on 29 March 2026 does not exist in Berlin.
        let daily = next_due(berlin(2026, 3, 28, 2, 30), Repeat::Daily, 28, Berlin);
        assert_eq!(
            daily.with_timezone(&Berlin).naive_local().time(),
            NaiveTime::from_hms_opt(3, 30, 0).unwrap()
        );
    }
}
