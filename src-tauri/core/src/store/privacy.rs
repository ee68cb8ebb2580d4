//! The store's side of data protection (GDPR): everything about one person
//! as one document, and erasing a person for good.

use chrono::{DateTime, Utc};
use sled::Transactional;
use uuid::Uuid;

use super::contacts::put_contact;
use super::tasks::replace as replace_task;
use super::{read, write, Store};
use crate::activity::ActivityQuery;
use crate::error::{Error, Result};
use crate::transfer::PersonExport;

impl Store {
    /// Everything Kontor holds about one person.
    pub fn person_export(&self, id: Uuid, now: DateTime<Utc>) -> Result<PersonExport> {
        let contact = self.contact(id, now)?;
        let organization = contact.organization_id.and_then(|o| read(&self.orgs).get(&o).cloned());
        let score = self.contact_score(id, now)?;
        let activities =
            self.list_activities(id, &ActivityQuery { kinds: None, offset: 0, limit: u32::MAX })?.items;
        let tasks = self.contact_tasks(id)?;
        let deals = self
            .contact_deals(id)?
            .iter()
            .map(|d| serde_json::to_value(d).map_err(|e| Error::Storage(e.to_string())))
            .collect::<Result<_>>()?;
        Ok(PersonExport { exported_at: now, contact, organization, score, activities, tasks, deals })
    }

    /// Erases a person for good: the record, its index entries, activities,
    /// engagement sums, tasks and their reminders, deals.
    pub fn erase_person(&self, id: Uuid) -> Result<()> {
        let c = self.raw_contact(id)?;
        self.erase_contact_deals(id)?;
        let _guard = self.activity_writes.lock().unwrap_or_else(|p| p.into_inner());
        let activities: Vec<(Vec<u8>, Uuid)> = self
            .activities
            .scan_prefix(id.as_bytes())
            .keys()
            .map(|k| {
                let k = k?;
                let activity_id = Uuid::from_slice(&k[24..40]).map_err(|e| Error::Storage(e.to_string()))?;
                Ok((k.to_vec(), activity_id))
            })
            .collect::<Result<_>>()?;
        let tasks = self.contact_tasks(id)?;
        let trees = [
            &self.contacts,
            &self.by_name,
            &self.by_change,
            &self.activities,
            &self.activity_keys,
            &self.engagement,
            &self.tasks,
            &self.tasks_by_due,
            &self.tasks_by_contact,
            &self.reminder_queue,
        ];
        trees[..].transaction(|t| {
            put_contact(&t[0], &t[1], &t[2], Some(&c), None)?;
            for (key, activity_id) in &activities {
                t[3].remove(key.as_slice())?;
                t[4].remove(activity_id.as_bytes())?;
            }
            t[5].remove(id.as_bytes())?;
            for task in &tasks {
                replace_task((&t[6], &t[7], &t[8], &t[9]), Some(task), None)?;
            }
            Ok(())
        })?;
        self.db.flush()?;
        write(&self.sums).remove(&id);
        self.search_mut().remove(id);
        Ok(())
    }
}
