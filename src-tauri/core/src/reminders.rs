//! What the reminder scheduler does at each wake-up, with the clock and the
//! notifier as parameters: hand out the due reminders as notices, and
//! summarise the ones missed while the app was not running in one notice.
//! The shell runs the loop (one timer, woken on changes) and shows notices
//! through the OS.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::lang::Language;
use crate::store::{DueAppointment, DueReminder, Store};
use crate::texts::Text;

/// What to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// One reminder.
    One(Box<DueReminder>),
    /// Several reminders missed while the app was not running.
    Missed(Vec<DueReminder>),
    /// An appointment coming up.
    Appointment(Box<DueAppointment>),
}

/// Shows notices (the OS in the app, a recorder in tests).
pub trait Notifier {
    /// Shows one notice.
    fn notify(&self, notice: &Notice);
}

/// Hands out every reminder due at `now`. On the first pass after start,
/// pass `started_at`: two or more reminders that came due before it become
/// one [`Notice::Missed`]. Reminders are marked fired before they are
/// returned, so nothing is shown twice, even across restarts.
pub fn due_notices(
    store: &Store,
    now: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
) -> Result<Vec<Notice>> {
    let mut due = store.take_due_reminders(now)?;
    for d in &mut due {
        d.about = about(store, d.task.contact_id);
    }
    let (missed, current): (Vec<_>, Vec<_>) =
        due.into_iter().partition(|d| started_at.is_some_and(|start| d.fire_at < start));
    let mut notices = Vec::new();
    let mut missed = per_task(missed);
    match missed.len() {
        0 => {}
        1 => notices.extend(missed.pop().map(|d| Notice::One(Box::new(d)))),
        _ => notices.push(Notice::Missed(missed)),
    }
    notices.extend(per_task(current).into_iter().map(|d| Notice::One(Box::new(d))));
    // An appointment reminds once however many of its reminders came due;
    // one that is over by now (missed while the app was not running) not at all.
    let mut appointments: Vec<DueAppointment> = Vec::new();
    for mut d in store.take_due_appointment_reminders(now)? {
        if d.appointment.end <= now {
            continue;
        }
        d.about = about(store, d.appointment.contact_id);
        match appointments.iter_mut().find(|o| o.appointment.id == d.appointment.id) {
            Some(seen) => *seen = d,
            None => appointments.push(d),
        }
    }
    notices.extend(appointments.into_iter().map(|d| Notice::Appointment(Box::new(d))));
    Ok(notices)
}

/// "Anna Schmidt · Müller AG": the contact a task is about (gone: none).
fn about(store: &Store, contact: Option<uuid::Uuid>) -> Option<String> {
    let c = store.raw_contact(contact?).ok()?;
    Some(match c.organization.filter(|o| !o.is_empty()) {
        Some(org) => format!("{} · {org}", c.display_name),
        None => c.display_name,
    })
}

impl Notice {
    /// The notification's title and body in `language`, times in `tz`: the
    /// task, whom it is about and when it is due; or how many were missed
    /// and the first five of them.
    pub fn texts(&self, language: Language, tz: chrono_tz::Tz) -> (String, String) {
        match self {
            Notice::One(due) => {
                let (date, time) = language.date_formats();
                let at = due.task.due_label(tz, date, time);
                let when = format!("{}: {at}", Text::Due.get(language));
                let body = match &due.about {
                    Some(about) => format!("{about}\n{when}"),
                    None => when,
                };
                (due.task.title.clone(), body)
            }
            Notice::Missed(all) => {
                let title = Text::MissedReminders.fill(language, &[("count", &all.len())]);
                let names: Vec<String> = all
                    .iter()
                    .take(5)
                    .map(|d| match &d.about {
                        Some(about) => format!("{} ({about})", d.task.title),
                        None => d.task.title.clone(),
                    })
                    .collect();
                (title, names.join(" · "))
            }
            Notice::Appointment(due) => {
                let a = &due.appointment;
                let (date, time) = language.date_formats();
                let start = a.start.with_timezone(&tz);
                let at =
                    if a.all_day { a.start.format(date).to_string() } else { start.format(time).to_string() };
                let mut lines: Vec<String> = due.about.iter().cloned().collect();
                lines.push(format!("{}: {at}", Text::Starts.get(language)));
                lines.extend(a.place.iter().cloned());
                (a.title.clone(), lines.join("\n"))
            }
        }
    }
}

/// One entry per task (its latest reminder, with the task as it is after
/// all of them were marked fired): a task whose "1 day before" and "at due"
/// reminders both came due is one follow-up, shown once.
fn per_task(due: Vec<DueReminder>) -> Vec<DueReminder> {
    let mut out: Vec<DueReminder> = Vec::with_capacity(due.len());
    for d in due {
        match out.iter_mut().find(|o| o.task.id == d.task.id) {
            Some(seen) => *seen = d,
            None => out.push(d),
        }
    }
    out
}

/// One scheduler pass: notices out through `notifier` (unless `show` is
/// off — they are consumed all the same), returns for how many tasks
/// reminders fired and when the next one is due.
pub fn run_pass(
    store: &Store,
    notifier: &dyn Notifier,
    show: bool,
    now: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
) -> Result<(usize, Option<DateTime<Utc>>)> {
    let notices = due_notices(store, now, started_at)?;
    let fired = notices
        .iter()
        .map(|n| match n {
            Notice::One(_) | Notice::Appointment(_) => 1,
            Notice::Missed(all) => all.len(),
        })
        .sum();
    if show {
        for notice in &notices {
            notifier.notify(notice);
        }
    }
    let next = [store.next_reminder_at()?, store.next_appointment_reminder_at()?].into_iter().flatten().min();
    Ok((fired, next))
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use chrono::{Duration, TimeZone};
    use chrono_tz::Europe::Berlin;

    use super::*;
    use crate::task::TaskInput;

    #[derive(Default)]
    struct Recorder(RefCell<Vec<Notice>>);

    impl Notifier for Recorder {
        fn notify(&self, notice: &Notice) {
            self.0.borrow_mut().push(notice.clone());
        }
    }

    fn task(store: &Store, title: &str, due: &str, created: DateTime<Utc>) {
        task_reminding(store, title, due, vec![0], created);
    }

    fn task_reminding(store: &Store, title: &str, due: &str, reminders: Vec<u32>, created: DateTime<Utc>) {
        let input = TaskInput { title: title.into(), due: due.into(), reminders, ..Default::default() };
        store.create_task(input, Berlin, created).unwrap();
    }

    #[test]
    fn missed_reminders_are_counted_per_task_not_per_reminder() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let created = Utc.with_ymd_and_hms(2026, 3, 1, 7, 0, 0).unwrap();
        // A day before and at due: two reminders, one follow-up.
        task_reminding(&store, "Call", "2026-03-09T08:00:00Z", vec![0, 24 * 60], created);
        let start = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
        let recorder = Recorder::default();
        assert_eq!(run_pass(&store, &recorder, true, start, Some(start)).unwrap().0, 1);
        let shown = recorder.0.borrow().clone();
        let [Notice::One(only)] = &shown[..] else { panic!("one notice for one task: {shown:?}") };
        assert!(only.task.reminders.iter().all(|r| r.fired));

        // Two tasks, three reminders: "2 follow-ups overdue", each named once.
        task_reminding(&store, "Offer", "2026-03-10T12:00:00Z", vec![0, 60], start);
        task_reminding(&store, "Visit", "2026-03-10T12:30:00Z", vec![0], start);
        let later = Utc.with_ymd_and_hms(2026, 3, 11, 8, 0, 0).unwrap();
        let recorder = Recorder::default();
        assert_eq!(run_pass(&store, &recorder, true, later, Some(later)).unwrap().0, 2);
        let shown = recorder.0.borrow().clone();
        let [Notice::Missed(all)] = &shown[..] else { panic!("one summary: {shown:?}") };
        let titles: Vec<&str> = all.iter().map(|d| d.task.title.as_str()).collect();
        assert_eq!(titles, ["Offer", "Visit"]);
    }

    #[test]
    fn missed_reminders_become_one_notice_and_later_ones_come_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let created = Utc.with_ymd_and_hms(2026, 3, 9, 7, 0, 0).unwrap();
        task(&store, "A", "2026-03-09T08:00:00Z", created);
        task(&store, "B", "2026-03-09T09:00:00Z", created);
        task(&store, "C", "2026-03-09T10:00:00Z", created);
        task(&store, "Later", "2026-03-10T12:00:00Z", created);
        let start = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
        let recorder = Recorder::default();
        let (fired, next) = run_pass(&store, &recorder, true, start, Some(start)).unwrap();
        assert_eq!(fired, 3);
        assert_eq!(next, Some(Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()));
        let notices = recorder.0.borrow().clone();
        assert!(matches!(&notices[..], [Notice::Missed(all)] if all.len() == 3));

        let (fired, next) = run_pass(&store, &recorder, true, next.unwrap(), None).unwrap();
        assert_eq!((fired, next), (1, None));
        assert!(matches!(recorder.0.borrow().last(), Some(Notice::One(d)) if d.task.title == "Later"));
        assert_eq!(
            run_pass(&store, &recorder, true, next.unwrap_or(start) + Duration::days(1), None).unwrap().0,
            0
        );
    }

    #[test]
    fn one_missed_reminder_is_shown_as_itself_and_muted_ones_are_consumed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let created = Utc.with_ymd_and_hms(2026, 3, 9, 7, 0, 0).unwrap();
        task(&store, "A", "2026-03-09T08:00:00Z", created);
        let start = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
        let recorder = Recorder::default();
        run_pass(&store, &recorder, true, start, Some(start)).unwrap();
        assert!(matches!(&recorder.0.borrow()[..], [Notice::One(d)] if d.task.title == "A"));

        task(&store, "Muted", "2026-03-10T09:00:00Z", start);
        let muted = Recorder::default();
        assert_eq!(run_pass(&store, &muted, false, start + Duration::hours(2), None).unwrap().0, 1);
        assert!(muted.0.borrow().is_empty());
    }
}
