//! Tasks and reminders through the store, on disk, with a fake clock.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Berlin;
use kontor_core::task::local_to_utc;
use kontor_core::{ChangedBy, ContactInput, Error, Priority, Repeat, Store, TaskInput, TaskView};

fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    local_to_utc(NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap(), Berlin)
}

fn input(title: &str, due: &str, reminders: &[u32]) -> TaskInput {
    TaskInput { title: title.into(), due: due.into(), reminders: reminders.to_vec(), ..Default::default() }
}

#[test]
fn reminders_come_due_in_order_once_and_the_queue_knows_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let created = Utc.with_ymd_and_hms(2026, 3, 10, 7, 0, 0).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
    let a = store.create_task(input("Call Anna", "2026-03-10T10:00:00Z", &[0, 15]), Berlin, created).unwrap();
    let b = store.create_task(input("Send quote", "2026-03-10T09:00:00Z", &[60]), Berlin, created).unwrap();
    assert_eq!(store.next_reminder_at().unwrap(), Some(Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap()));
    let due = store.take_due_reminders(now).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].task.id, b.id);
    assert!(store.take_due_reminders(now).unwrap().is_empty(), "fired once");
    assert_eq!(store.next_reminder_at().unwrap(), Some(Utc.with_ymd_and_hms(2026, 3, 10, 9, 45, 0).unwrap()));
    let later = Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0).unwrap();
    let due = store.take_due_reminders(later).unwrap();
    assert_eq!(due.iter().map(|d| d.task.id).collect::<Vec<_>>(), [a.id, a.id]);
    assert_eq!(store.next_reminder_at().unwrap(), None);
}

#[test]
fn missed_reminders_are_handed_out_at_start_once_and_not_again_after_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let created = Utc.with_ymd_and_hms(2026, 3, 9, 8, 0, 0).unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        for (title, due) in
            [("A", "2026-03-09T10:00:00Z"), ("B", "2026-03-09T12:00:00Z"), ("C", "2026-03-09T14:00:00Z")]
        {
            store.create_task(input(title, due, &[0]), Berlin, created).unwrap();
        }
    }
    let start = Utc.with_ymd_and_hms(2026, 3, 10, 7, 0, 0).unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        let missed = store.take_due_reminders(start).unwrap();
        assert_eq!(missed.len(), 3, "never dropped");
    }
    let store = Store::open(dir.path()).unwrap();
    assert!(store.take_due_reminders(start + Duration::hours(1)).unwrap().is_empty(), "never repeated");
}

#[test]
fn past_reminders_of_a_new_task_are_not_missed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
    store.create_task(input("Yesterday's call", "2026-03-09T10:00:00Z", &[0]), Berlin, now).unwrap();
    assert!(store.take_due_reminders(now).unwrap().is_empty());
    assert_eq!(store.tasks(TaskView::Overdue, Berlin, now).unwrap().len(), 1);
}

#[test]
fn snooze_reminds_again_and_snooze_all_takes_the_overdue_ones() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
    let t = store.create_task(input("Call", "2026-03-10T08:30:00Z", &[0]), Berlin, now).unwrap();
    let at_due = Utc.with_ymd_and_hms(2026, 3, 10, 8, 30, 0).unwrap();
    assert_eq!(store.take_due_reminders(at_due).unwrap().len(), 1);
    let until = at_due + Duration::minutes(10);
    store.snooze_task(t.id, until, at_due).unwrap();
    assert_eq!(store.next_reminder_at().unwrap(), Some(until));
    assert!(store.take_due_reminders(until - Duration::seconds(1)).unwrap().is_empty());
    assert_eq!(store.take_due_reminders(until).unwrap().len(), 1);
    assert!(matches!(store.snooze_task(t.id, at_due, until), Err(Error::InvalidInput { .. })));

    let hour_later = until + Duration::hours(1);
    assert_eq!(store.snooze_all(hour_later, until).unwrap(), 1);
    assert_eq!(store.take_due_reminders(hour_later).unwrap().len(), 1);
}

#[test]
fn completing_a_monthly_task_keeps_the_day_of_month_even_when_late() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = berlin(2026, 1, 1, 8, 0);
    let t = store
        .create_task(
            TaskInput {
                repeat: Some(Repeat::Monthly),
                ..input("Report", "2026-01-31T09:00:00+01:00", &[30])
            },
            Berlin,
            now,
        )
        .unwrap();
    // Done two weeks late: the next one still follows the due date.
    let (done, feb) = store.complete_task(t.id, Berlin, berlin(2026, 2, 14, 10, 0)).unwrap().value;
    assert!(done.done);
    let feb = feb.unwrap();
    assert_eq!(feb.due, berlin(2026, 2, 28, 9, 0));
    assert_eq!(feb.reminders[0].fire_at, berlin(2026, 2, 28, 8, 30));
    let (_, mar) = store.complete_task(feb.id, Berlin, berlin(2026, 2, 28, 10, 0)).unwrap().value;
    assert_eq!(mar.unwrap().due, berlin(2026, 3, 31, 9, 0));
    assert_eq!(store.tasks(TaskView::Done, Berlin, berlin(2026, 3, 1, 0, 0)).unwrap().len(), 2);
    // Completing twice does not create another occurrence.
    let (_, again) = store.complete_task(t.id, Berlin, berlin(2026, 3, 1, 0, 0)).unwrap().value;
    assert!(again.is_none());
}

#[test]
fn daily_reminders_keep_local_time_over_the_berlin_dst_switches() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut now = berlin(2026, 3, 27, 7, 0);
    let mut task = store
        .create_task(
            TaskInput { repeat: Some(Repeat::Daily), ..input("Stand-up", "2026-03-27T09:00:00+01:00", &[0]) },
            Berlin,
            now,
        )
        .unwrap();
    for day in [28, 29, 30] {
        now = task.due;
        task = store.complete_task(task.id, Berlin, now).unwrap().value.1.unwrap();
        assert_eq!(task.due, berlin(2026, 3, day, 9, 0));
        assert_eq!(task.due.with_timezone(&Berlin).format("%H:%M").to_string(), "09:00");
    }
    let autumn = store
        .create_task(
            TaskInput { repeat: Some(Repeat::Daily), ..input("Autumn", "2026-10-24T09:00:00+02:00", &[0]) },
            Berlin,
            now,
        )
        .unwrap();
    let next = store.complete_task(autumn.id, Berlin, berlin(2026, 10, 24, 9, 0)).unwrap().value.1.unwrap();
    assert_eq!(next.due, berlin(2026, 10, 25, 9, 0));
    assert_eq!(next.due - autumn.due, Duration::hours(25));
}

#[test]
fn views_sort_tasks_into_overdue_today_upcoming_and_done() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = berlin(2026, 3, 10, 12, 0);
    let mk = |title: &str, due: &str| {
        store.create_task(input(title, due, &[]), Berlin, now - Duration::days(3)).unwrap()
    };
    mk("late", "2026-03-10T08:00:00+01:00");
    mk("yesterday", "2026-03-09");
    mk("this afternoon", "2026-03-10T15:00:00+01:00");
    mk("today all day", "2026-03-10");
    mk("next week", "2026-03-16T09:00:00+01:00");
    mk("far", "2026-04-30");
    let titles = |v| store.tasks(v, Berlin, now).unwrap().into_iter().map(|t| t.title).collect::<Vec<_>>();
    assert_eq!(titles(TaskView::Overdue), ["yesterday", "late"]);
    assert_eq!(titles(TaskView::Today), ["today all day", "this afternoon"]);
    assert_eq!(titles(TaskView::Upcoming), ["next week"]);
    let counts = store.task_counts(Berlin, now).unwrap();
    assert_eq!((counts.overdue, counts.today, counts.upcoming, counts.open), (2, 2, 1, 6));
    // Due up to now: the overdue ones and today's all-day task (due since midnight).
    assert_eq!(store.open_tasks_due_until(now).unwrap().len(), 3);
}

#[test]
fn contact_tasks_and_validation() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = berlin(2026, 3, 10, 12, 0);
    let anna = store
        .create_contact(
            &ContactInput { first_name: "Anna".into(), ..Default::default() },
            ChangedBy::Hand,
            now,
        )
        .unwrap();
    let t = store
        .create_task(
            TaskInput {
                contact_id: Some(anna.id),
                priority: Priority::High,
                ..input("Call back", "2026-03-11", &[15])
            },
            Berlin,
            now,
        )
        .unwrap();
    assert_eq!(store.contact_tasks(anna.id).unwrap(), std::slice::from_ref(&t));
    assert!(matches!(
        store.create_task(input(" ", "2026-03-11", &[]), Berlin, now),
        Err(Error::InvalidInput { field: "title", .. })
    ));
    assert!(matches!(
        store.create_task(input("x", "soon", &[]), Berlin, now),
        Err(Error::InvalidInput { field: "due", .. })
    ));
    let ghost = TaskInput { contact_id: Some(uuid::Uuid::nil()), ..input("x", "2026-03-11", &[]) };
    assert!(matches!(store.create_task(ghost, Berlin, now), Err(Error::NotFound { .. })));
    store.delete_task(t.id, now).unwrap();
    assert!(store.contact_tasks(anna.id).unwrap().is_empty());
    assert_eq!(store.next_reminder_at().unwrap(), None);
}

#[test]
fn a_snooze_replaces_the_reminders_before_it_and_survives_an_edit_of_the_title() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
    // Reminders at 08:45 and 09:00; snoozed at 08:00 until 09:30.
    let t = store.create_task(input("Call", "2026-03-10T09:00:00Z", &[0, 15]), Berlin, now).unwrap();
    let until = Utc.with_ymd_and_hms(2026, 3, 10, 9, 30, 0).unwrap();
    let snoozed = store.snooze_task(t.id, until, now).unwrap();
    assert_eq!(snoozed.due, until, "a snooze past the due time postpones the task");
    assert_eq!(store.next_reminder_at().unwrap(), Some(until), "the earlier reminders are replaced");

    // Renaming keeps the snooze; moving the due time ends it.
    let renamed =
        store.update_task(t.id, input("Call Anna", "2026-03-10T09:30:00Z", &[0, 15]), Berlin, now).unwrap();
    assert_eq!(renamed.snoozed_until, Some(until));
    assert_eq!(store.next_reminder_at().unwrap(), Some(until));
    let moved =
        store.update_task(t.id, input("Call Anna", "2026-03-10T11:00:00Z", &[0]), Berlin, now).unwrap();
    assert_eq!(moved.snoozed_until, None);
    assert_eq!(store.next_reminder_at().unwrap(), Some(Utc.with_ymd_and_hms(2026, 3, 10, 11, 0, 0).unwrap()));
    let due = store.take_due_reminders(Utc.with_ymd_and_hms(2026, 3, 10, 11, 0, 0).unwrap()).unwrap();
    assert_eq!(due.len(), 1, "one reminder, not the replaced ones too");
}

#[test]
fn dues_outside_the_years_the_index_orders_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
    for due in ["1960-05-01", "1969-12-31T23:00:00Z", "9999-12-31T23:59:59Z"] {
        assert!(
            matches!(
                store.create_task(input("x", due, &[]), Berlin, now),
                Err(Error::InvalidInput { field: "due", .. })
            ),
            "{due}"
        );
    }
    let last = store
        .create_task(
            TaskInput { repeat: Some(Repeat::Daily), ..input("x", "9998-12-31T10:00:00Z", &[]) },
            Berlin,
            now,
        )
        .unwrap();
    let (_, next) = store.complete_task(last.id, Berlin, now).unwrap().value;
    assert_eq!(next.unwrap().due.to_rfc3339(), "9999-01-01T10:00:00+00:00");
}

#[test]
fn an_all_day_task_keeps_its_day_in_every_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
    let t = store
        .create_task(
            TaskInput { repeat: Some(Repeat::Monthly), ..input("Report", "2027-03-28", &[]) },
            Berlin,
            now,
        )
        .unwrap();
    // The day reads the same in every zone: midnight UTC of the 28th.
    assert_eq!(t.due.to_rfc3339(), "2027-03-28T00:00:00+00:00");
    assert_eq!(t.due_date, NaiveDate::from_ymd_opt(2027, 3, 28));
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["due_date"], "2027-03-28");
    let (_, next) = store.complete_task(t.id, Berlin, now).unwrap().value;
    assert_eq!(next.unwrap().due_date, NaiveDate::from_ymd_opt(2027, 4, 28));
    let timed = store.create_task(input("Call", "2027-03-28T10:00:00Z", &[]), Berlin, now).unwrap();
    assert_eq!(serde_json::to_value(&timed).unwrap()["due_date"], serde_json::Value::Null);
}

#[test]
fn a_rep_who_travels_sees_an_all_day_task_on_its_day() {
    use chrono_tz::{America::Los_Angeles, Asia::Tokyo};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let created = berlin(2026, 11, 20, 12, 0);
    store.create_task(input("Messe", "2026-11-24", &[]), Berlin, created).unwrap();
    store.create_task(input("Call", "2026-11-24T15:00:00Z", &[]), Berlin, created).unwrap();
    for tz in [Berlin, Los_Angeles, Tokyo, chrono_tz::UTC] {
        let noon = |d: u32| {
            local_to_utc(NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(12, 0, 0).unwrap(), tz)
        };
        let titles = |view, now| -> Vec<String> {
            store.tasks(view, tz, now).unwrap().into_iter().map(|t| t.title).collect()
        };
        assert_eq!(titles(TaskView::Upcoming, noon(23)), ["Messe", "Call"], "{tz}: upcoming the day before");
        assert!(titles(TaskView::Today, noon(23)).is_empty(), "{tz}");
        assert!(titles(TaskView::Today, noon(24)).contains(&"Messe".to_owned()), "{tz}: today on its day");
        assert_eq!(titles(TaskView::Overdue, noon(25)), ["Messe", "Call"], "{tz}: overdue the day after");
        let counts = store.task_counts(tz, noon(24)).unwrap();
        let seen = (titles(TaskView::Overdue, noon(24)).len(), titles(TaskView::Today, noon(24)).len());
        assert_eq!(
            (counts.overdue as usize, counts.today as usize),
            seen,
            "{tz}: counts agree with the views"
        );
        let counts = store.task_counts(tz, noon(23)).unwrap();
        assert_eq!((counts.overdue, counts.today, counts.upcoming), (0, 0, 2), "{tz}: {counts:?}");
        // Due "up to" a time: the all-day task from the start of its day.
        store.set_time_zone(tz);
        let due = |t| store.open_tasks_due_until(t).unwrap().len();
        assert_eq!(
            due(local_to_utc(
                NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(23, 59, 0).unwrap(),
                tz
            )),
            0,
            "{tz}"
        );
        assert_eq!(
            due(local_to_utc(
                NaiveDate::from_ymd_opt(2026, 11, 24).unwrap().and_hms_opt(0, 1, 0).unwrap(),
                tz
            )),
            1,
            "{tz}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// The counts kept in counters and hour/day buckets agree with the views
    /// themselves, at any time of day, as tasks are added, done, snoozed,
    /// moved and deleted.
    #[test]
    fn task_counts_agree_with_the_views(
        tasks in proptest::collection::vec((-40i64..40, 0u32..24, 0u32..4, proptest::bool::ANY, 0u8..4), 1..40),
        looks in proptest::collection::vec(-3000i64..3000, 1..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let created = Utc.with_ymd_and_hms(2026, 3, 10, 7, 0, 0).unwrap();
        let mut ids = Vec::new();
        for (days, hour, quarter, all_day, then) in tasks {
            let day = (created + Duration::days(days)).with_timezone(&Berlin).date_naive();
            let due = if all_day {
                day.format("%Y-%m-%d").to_string()
            } else {
                berlin(2026, 3, 10, hour, 15 * quarter).checked_add_signed(Duration::days(days)).unwrap().to_rfc3339()
            };
            let t = store.create_task(input("T", &due, &[]), Berlin, created).unwrap();
            match then {
                1 => { store.complete_task(t.id, Berlin, created).unwrap(); }
                2 => { store.delete_task(t.id, created).unwrap(); }
                3 if !ids.is_empty() => {
                    // Move an earlier task to this one's due.
                    let other = ids[ids.len() / 2];
                    store.update_task(other, input("T", &due, &[]), Berlin, created).unwrap();
                    ids.push(t.id);
                }
                _ => ids.push(t.id),
            }
        }
        for minutes in looks {
            let now = created + Duration::minutes(minutes * 13);
            let counts = store.task_counts(Berlin, now).unwrap();
            let n = |v| store.tasks(v, Berlin, now).unwrap().len() as u32;
            proptest::prop_assert_eq!(counts.overdue, n(TaskView::Overdue), "overdue at {}", now);
            proptest::prop_assert_eq!(counts.today, n(TaskView::Today), "today at {}", now);
            proptest::prop_assert_eq!(counts.upcoming, n(TaskView::Upcoming), "upcoming at {}", now);
            proptest::prop_assert_eq!(counts.open, n(TaskView::Open), "open");
        }
    }
}

#[test]
fn many_overdue_tasks_are_completed_snoozed_or_moved_at_once() {
    use kontor_core::store::TaskTriage;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let created = berlin(2026, 3, 2, 8, 0);
    let now = berlin(2026, 3, 10, 12, 0);
    let timed =
        store.create_task(input("Rückruf Anna", "2026-03-05T09:30:00+01:00", &[0]), Berlin, created).unwrap();
    let all_day = store.create_task(input("Angebot Ben", "2026-03-06", &[0]), Berlin, created).unwrap();
    let weekly = TaskInput { repeat: Some(Repeat::Weekly), ..input("Wochenbericht", "2026-03-09", &[0]) };
    let weekly = store.create_task(weekly, Berlin, created).unwrap();
    let done = store.create_task(input("Erledigt", "2026-03-04", &[]), Berlin, created).unwrap();
    store.complete_task(done.id, Berlin, created).unwrap();
    assert_eq!(store.task_counts(Berlin, now).unwrap().overdue, 3);

    // Moved to Thursday: the timed one keeps 09:30 local.
    let day = NaiveDate::from_ymd_opt(2026, 3, 12).unwrap();
    let ids = [timed.id, all_day.id, done.id];
    let out = store.triage_tasks(&ids, &TaskTriage::Reschedule { day }, Berlin, now).unwrap();
    assert_eq!((out.changed, out.skipped), (2, 1), "the done one is left");
    assert_eq!(store.task(timed.id).unwrap().due, berlin(2026, 3, 12, 9, 30));
    assert_eq!(store.task(all_day.id).unwrap().due_date, Some(day));
    assert_eq!(store.task(timed.id).unwrap().reminders[0].fire_at, berlin(2026, 3, 12, 9, 30));
    assert_eq!(store.task_counts(Berlin, now).unwrap().overdue, 1);

    // Snoozed until tomorrow 09:00: the weekly one leaves the overdue count.
    let until = berlin(2026, 3, 11, 9, 0);
    let out = store.triage_tasks(&[weekly.id], &TaskTriage::Snooze { until }, Berlin, now).unwrap();
    assert_eq!(out.changed, 1);
    assert_eq!(store.task_counts(Berlin, now).unwrap().overdue, 0);
    assert!(store.triage_tasks(&[weekly.id], &TaskTriage::Snooze { until: now }, Berlin, now).is_err());

    // All done at once; the weekly one comes again from its schedule.
    let out =
        store.triage_tasks(&[timed.id, all_day.id, weekly.id], &TaskTriage::Complete, Berlin, now).unwrap();
    assert_eq!(out.changed, 3);
    let open = store.tasks(TaskView::Open, Berlin, now).unwrap();
    assert_eq!(
        open.iter().map(|t| (t.title.as_str(), t.due_date)).collect::<Vec<_>>(),
        [("Wochenbericht", NaiveDate::from_ymd_opt(2026, 3, 16))]
    );
}
