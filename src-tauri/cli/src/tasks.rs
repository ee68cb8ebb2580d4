//! `kontor tasks`: follow-up tasks and their reminders.

use chrono::{DateTime, Utc};
use clap::Subcommand;
use kontor_core::api::tasks;
use kontor_core::task::{parse_offset, system_timezone};
use kontor_core::{Priority, Repeat, Store, Task, TaskInput, TaskView};

use crate::now;
use crate::output::{out, print_json, report_automation, Result};
use crate::parse;

#[derive(Subcommand)]
pub enum TasksCommand {
    /// Add a task (times are read in the system time zone, `TZ` if set).
    Add {
        /// What to do.
        #[arg(long)]
        title: String,
        /// Due: RFC 3339 (a time) or YYYY-MM-DD (a day).
        #[arg(long)]
        due: String,
        /// The contact it is about.
        #[arg(long)]
        contact: Option<String>,
        /// The deal it is about (its contact, unless --contact names it).
        #[arg(long)]
        deal: Option<String>,
        /// A reminder before due: 0, 15m, 2h, 1d (repeatable). Without it
        /// the task reminds at due (an all-day task at 09:00), as in the window.
        #[arg(long = "remind")]
        reminders: Vec<String>,
        /// No reminder at all.
        #[arg(long, conflicts_with = "reminders")]
        no_remind: bool,
        /// daily, weekly, monthly or every:N (days).
        #[arg(long)]
        repeat: Option<Repeat>,
        /// low, normal or high.
        #[arg(long, default_value = "normal")]
        priority: Priority,
        /// Notes.
        #[arg(long)]
        notes: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Open tasks overdue or due up to a time (default now). A snooze past a
    /// task's due time postpones the task to it; one before only moves the
    /// reminder.
    Due {
        /// RFC 3339, or YYYY-MM-DD: up to the end of that day (local time).
        #[arg(long, value_parser = parse::until_end_of_day)]
        until: Option<DateTime<Utc>>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Mark a task done (a repeating one gets its next occurrence).
    Done {
        /// Task id.
        id: String,
        /// Print JSON: {"done": task, "next": task or null}.
        #[arg(long)]
        json: bool,
    },
    /// Remind again at a later time (reminders before it are dropped).
    Snooze {
        /// Task id.
        id: String,
        /// RFC 3339, or YYYY-MM-DD: 09:00 local time on that day.
        #[arg(long, value_parser = parse::snooze_until)]
        until: DateTime<Utc>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List tasks: overdue, today, upcoming (7 days), done, or all open ones.
    List {
        /// Which tasks.
        #[arg(long, value_enum, default_value_t = TaskView::Open)]
        view: TaskView,
        /// Only this contact's tasks (open and done).
        #[arg(long)]
        contact: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `kontor tasks …`.
pub fn run(store: &Store, command: TasksCommand) -> Result {
    match command {
        TasksCommand::Add {
            title,
            due,
            contact,
            deal,
            reminders,
            no_remind,
            repeat,
            priority,
            notes,
            json,
        } => {
            let reminders = match (reminders.is_empty(), no_remind) {
                (_, true) => Vec::new(),
                (true, false) => kontor_core::task::DEFAULT_REMINDERS.to_vec(),
                (false, false) => {
                    reminders.iter().map(|r| parse_offset(r)).collect::<kontor_core::Result<Vec<_>>>()?
                }
            };
            let contact_id = contact.as_deref().map(parse::id).transpose()?;
            let deal_id = deal.as_deref().map(parse::id).transpose()?;
            let input = TaskInput { title, contact_id, deal_id, due, priority, notes, reminders, repeat };
            let task = tasks::create(store, input, now())?.task;
            if json {
                return print_json(&task);
            }
            print_tasks(&[task], false)
        }
        TasksCommand::Due { until, json } => {
            print_tasks(&store.open_tasks_due_until(until.unwrap_or_else(now))?, json)
        }
        TasksCommand::Done { id, json } => {
            let changed = tasks::complete(store, parse::id(&id)?, now())?;
            report_automation(&changed.automation, json);
            let (done, next) = (changed.value.done.task, changed.value.next.map(|n| n.task));
            if json {
                return print_json(&serde_json::json!({ "done": done, "next": next }));
            }
            print_tasks(&[done], false)?;
            if let Some(next) = next {
                out!("next:");
                print_tasks(&[next], false)?;
            }
            Ok(())
        }
        TasksCommand::Snooze { id, until, json } => {
            let task = store.snooze_task(parse::id(&id)?, until, now())?;
            if json {
                return print_json(&task);
            }
            let local = until.with_timezone(&system_timezone());
            out!("{} snoozed until {}", task.title, local.format("%Y-%m-%d %H:%M %Z"));
            Ok(())
        }
        TasksCommand::List { view, contact, json } => {
            // The tasks alone: the contact names and deal titles the API's
            // task items carry are not printed, so they are not looked up.
            let tasks = match contact {
                Some(c) => store.contact_tasks(parse::id(&c)?)?,
                None => store.tasks(view, store.time_zone(), now())?,
            };
            print_tasks(&tasks, json)
        }
    }
}

fn print_tasks(tasks: &[Task], json: bool) -> Result {
    if json {
        return print_json(&tasks);
    }
    let tz = system_timezone();
    for t in tasks {
        let due = t.due_label(tz, "%Y-%m-%d      ", "%Y-%m-%d %H:%M");
        let mark = if t.done { "✓" } else { " " };
        let repeat = t.repeat.map(|r| format!("  ({r})")).unwrap_or_default();
        out!("{}  {mark} {due}  {:<6} {}{repeat}", t.id, format!("{:?}", t.priority).to_lowercase(), t.title);
    }
    if tasks.is_empty() {
        eprintln!("no tasks");
    }
    Ok(())
}
