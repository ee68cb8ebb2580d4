//! Contact lists in the orders the search index does not keep: by last
//! name, company, score, stage, next task and last activity. The order of
//! all contacts is computed from the store once and kept until the next
//! write (and, for the score, which decays, for a minute at most); a page,
//! a stage or an organisation is then a filter over it.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{lock, SortOrder, Store};
use crate::contact::Contact;
use crate::error::Result;
use crate::search::sort_key;
use crate::stage::Stage;

/// A computed order: (contact, stage) in list order.
pub(super) type Order = Arc<Vec<(Uuid, Stage)>>;

/// An order as computed: after which write, and when.
struct Computed {
    generation: u64,
    at: DateTime<Utc>,
    order: Order,
}

/// The orders computed since the last write.
#[derive(Default)]
pub(super) struct OrderCache {
    entries: Mutex<HashMap<SortOrder, Computed>>,
}

/// What a contact sorts by, kept small: the whole list is held at once.
struct Row {
    id: Uuid,
    stage: Stage,
    /// The order's own key.
    key: Key,
    /// Last name (the display name for those without one), then first name.
    names: (String, String),
}

/// An order's own key; a missing value sorts last.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Text(String),
    Number(usize),
    Newest(Reverse<DateTime<Utc>>),
    Soonest(DateTime<Utc>),
    Missing,
}

fn row(c: &Contact, sort: SortOrder, next_task: Option<DateTime<Utc>>) -> Row {
    let text = |t: &str| Key::Text(sort_key(t));
    let key = match sort {
        SortOrder::Name => text(&c.display_name),
        SortOrder::LastName => Key::Missing,
        SortOrder::Company => c.organization.as_deref().map_or(Key::Missing, text),
        SortOrder::Score => Key::Number(usize::from(u8::MAX - c.score)),
        SortOrder::Stage => {
            Key::Number(Stage::ALL.iter().position(|s| *s == c.stage).unwrap_or(Stage::ALL.len()))
        }
        SortOrder::NextTask => next_task.map_or(Key::Missing, Key::Soonest),
        SortOrder::LastActivity => c.last_activity_at.map_or(Key::Missing, |t| Key::Newest(Reverse(t))),
        SortOrder::LastChange => Key::Newest(Reverse(c.updated_at)),
    };
    let last = if c.last_name.trim().is_empty() { &c.display_name } else { &c.last_name };
    Row { id: c.id, stage: c.stage, key, names: (sort_key(last), sort_key(&c.first_name)) }
}

impl Store {
    /// Every contact in `sort`'s order (computed once per write; a score
    /// order at most a minute old).
    pub(super) fn contact_order(&self, sort: SortOrder, now: DateTime<Utc>) -> Result<Order> {
        let generation = self.generation();
        if let Some(c) = lock(&self.orders.entries).get(&sort) {
            let fresh = sort != SortOrder::Score || now - c.at < Duration::minutes(1);
            if c.generation == generation && fresh {
                return Ok(c.order.clone());
            }
        }
        let next_tasks =
            if sort == SortOrder::NextTask { self.next_task_per_contact()? } else { HashMap::new() };
        let mut rows = Vec::new();
        for value in self.t.contacts.iter().values() {
            let mut c: Contact = super::decode(&value?)?;
            match sort {
                SortOrder::Score => self.fill_score(&mut c, now)?,
                // The newest activity alone, not the whole score.
                SortOrder::LastActivity => {
                    c.last_activity_at = self.activity_times(c.id, Some(1))?.first().map(|(_, at)| *at);
                }
                _ => {}
            }
            rows.push(row(&c, sort, next_tasks.get(&c.id).copied()));
        }
        rows.sort_unstable_by(|a, b| (&a.key, &a.names, a.id).cmp(&(&b.key, &b.names, b.id)));
        let order: Order = Arc::new(rows.into_iter().map(|r| (r.id, r.stage)).collect());
        lock(&self.orders.entries).insert(sort, Computed { generation, at: now, order: order.clone() });
        Ok(order)
    }

    /// `ids` in `sort`'s order (an organisation's contacts, the ready ones).
    pub(super) fn in_order(&self, ids: &[Uuid], sort: SortOrder, now: DateTime<Utc>) -> Result<Vec<Uuid>> {
        let wanted: std::collections::HashSet<&Uuid> = ids.iter().collect();
        Ok(self
            .contact_order(sort, now)?
            .iter()
            .filter(|(id, _)| wanted.contains(id))
            .map(|(id, _)| *id)
            .collect())
    }

    /// Each contact's earliest open task.
    pub(super) fn next_task_per_contact(&self) -> Result<HashMap<Uuid, DateTime<Utc>>> {
        let mut out = HashMap::new();
        for task in self.next_open_tasks(usize::MAX)? {
            if let Some(contact) = task.contact_id {
                out.entry(contact).or_insert(task.due);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::contact::ContactInput;
    use crate::stage::ChangedBy;
    use crate::ListQuery;

    #[test]
    fn a_computed_order_holds_until_the_next_write_and_then_follows_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap();
        let add = |first: &str, last: &str| {
            let input =
                ContactInput { first_name: first.into(), last_name: last.into(), ..Default::default() };
            store.create_contact(&input, ChangedBy::Hand, now).unwrap()
        };
        let anna = add("Anna", "Zander");
        add("Bernd", "Meier");
        let names = || {
            let query = ListQuery { sort: SortOrder::LastName, ..ListQuery::default() };
            let page = store.list_contacts(&query, now).unwrap();
            page.items.into_iter().map(|c| c.display_name).collect::<Vec<_>>()
        };
        assert_eq!(names(), ["Bernd Meier", "Anna Zander"]);
        assert_eq!(names(), ["Bernd Meier", "Anna Zander"], "the same order again, from the cache");
        let input =
            ContactInput { first_name: "Anna".into(), last_name: "Adler".into(), ..Default::default() };
        store.update_contact(anna.id, &input, now).unwrap();
        assert_eq!(names(), ["Anna Adler", "Bernd Meier"], "a write makes the order anew");
    }
}
