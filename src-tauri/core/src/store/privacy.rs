//! The store's side of data protection (GDPR): everything about one person
//! as one document, and erasing a person for good.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::contacts::{not_found, put_contact};
use super::deals::put_deal;
use super::search::put_doc;
use super::tasks::replace as replace_task;
use super::{abort, decode_tx, Store, Tx, TxResult};
use crate::activity::ActivityQuery;
use crate::contact::Contact;
use crate::deal::Deal;
use crate::error::{Error, Result};
use crate::export::PersonExport;
use crate::search::segment::Builder;
use crate::search::{DocKey, DocKind};
use crate::task::Task;

/// Removes a contact with everything that is theirs, inside a
/// transaction: deals, activities (by key and id), engagement sums, tasks,
/// and the contact with its indexes. Erasing a person and deleting many
/// share it.
pub(super) fn remove_contact(
    tx: &Tx,
    c: &Contact,
    activities: &[(Vec<u8>, Uuid)],
    tasks: &[Task],
    deals: &[Deal],
) -> TxResult<()> {
    for deal in deals {
        put_deal(tx, deal.id, Some(deal), None)?;
    }
    for (key, activity_id) in activities {
        tx.activities.remove(key.as_slice())?;
        tx.activity_keys.remove(activity_id.as_bytes())?;
    }
    tx.engagement.remove(c.id.as_bytes())?;
    for task in tasks {
        replace_task(tx, Some(task), None)?;
    }
    put_contact(tx, Some(c), None)
}

impl Store {
    /// Everything Kontor holds about one person.
    pub fn person_export(&self, id: Uuid, now: DateTime<Utc>) -> Result<PersonExport> {
        let contact = self.contact(id, now)?;
        let organization = contact.organization_id.and_then(|o| self.org_cached(o));
        let score = self.contact_score(id, now)?;
        let activities =
            self.list_activities(id, &ActivityQuery { kinds: None, offset: 0, limit: u32::MAX })?.items;
        let tasks = self.contact_tasks(id)?;
        let deals = self
            .contact_deals(id)?
            .iter()
            .map(|d| serde_json::to_value(d).map_err(|e| Error::Storage(e.to_string())))
            .collect::<Result<_>>()?;
        let appointments = self.contact_appointments(id)?;
        Ok(PersonExport {
            exported_at: now,
            contact,
            organization,
            score,
            activities,
            tasks,
            deals,
            appointments,
        })
    }

    /// Erases a person for good, in one transaction: the record, its index
    /// entries, activities, engagement sums, tasks and their reminders,
    /// deals. The search index is written anew without the person at once
    /// (the old segment file held their name, email and phone).
    ///
    /// The id goes on the erasure list first (`<data dir>/erased`, ids
    /// only; the lone organisation's too): backups written before hold the
    /// person still, and every restore leaves out what the list names.
    pub fn erase_person(&self, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        let contact = self.raw_contact(id)?;
        self.remember_erased(id)?;
        let activities: Vec<(Vec<u8>, Uuid)> = self
            .t
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
        let deals = self.contact_deals(id)?;
        let appointments = self.contact_appointments(id)?;
        // An organisation only this person belonged to names them too.
        // (An erasure another laptop made: whether the organisation goes
        // too is that laptop's to say, by its own erasure of it.)
        let lone_org = match contact.organization_id {
            Some(_) if super::sync::applying_remote() => None,
            Some(org) if self.members(org)?.iter().all(|m| *m == id) => self.organization(org).ok(),
            _ => None,
        };
        if let Some(org) = &lone_org {
            self.remember_erased(org.id)?;
        }
        // "Not a duplicate" notes that name them go too, and undo records
        // that hold them.
        let mut notes = self.undo_keys_naming(id)?;
        for key in self.t.meta.scan_prefix(super::duplicates::NOT_DUPLICATE).keys() {
            let key = key?;
            if String::from_utf8_lossy(&key).contains(&id.to_string()) {
                notes.push(key);
            }
        }
        // Team sync's registers, conflicts and unsent operations name them too.
        use crate::sync::EntityKind;
        let mut records = vec![(EntityKind::Contact, id)];
        records.extend(activities.iter().map(|(_, a)| (EntityKind::Activity, *a)));
        records.extend(tasks.iter().map(|t| (EntityKind::Task, t.id)));
        records.extend(deals.iter().map(|d| (EntityKind::Deal, d.id)));
        records.extend(appointments.iter().map(|a| (EntityKind::Appointment, a.id)));
        if let Some(org) = &lone_org {
            records.push((EntityKind::Organization, crate::sync::organization_id(&org.name)));
        }
        let sync_keys = self.sync_keys_naming(&records)?;
        self.transact(now, |tx| {
            for key in &notes {
                tx.meta.remove(key)?;
            }
            super::sync::forget_tx(tx, &sync_keys)?;
            let Some(bytes) = tx.contacts.get(id.as_bytes())? else { return abort(not_found(id)) };
            let c: Contact = decode_tx(&bytes)?;
            // Removed without operations of their own: the erasures below
            // take every operation about them off the server.
            let quiet = tx.quiet();
            remove_contact(&quiet, &c, &activities, &tasks, &deals)?;
            for a in &appointments {
                super::appointments::replace(&quiet, Some(a), None)?;
            }
            for (kind, record) in &records {
                super::sync::record_erase(tx, *kind, *record)?;
            }
            if let Some(org) = &lone_org {
                tx.organizations.remove(org.id.as_bytes())?;
                tx.org_by_name.remove(crate::text::fold(&org.name).as_bytes())?;
                put_doc(tx, DocKey::new(DocKind::Organization, org.id), None)?;
            }
            Ok(())
        })?;
        if let Some(org) = &lone_org {
            self.orgs.forget(org.id);
        }
        // sled keeps the old versions in its log: the store is rewritten
        // without them once it is closed (see `store::compact`).
        super::compact::mark_pending(&self.dir)?;
        self.merge_into_segment(Builder::default(), now)
    }

    /// The ids on the erasure list (none when there is no list; an error
    /// when it cannot be read, so a restore never brings anyone back for
    /// want of it).
    pub fn erased_ids(&self) -> Result<Vec<Uuid>> {
        let path = self.dir.join(ERASED);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&path, &e)),
        };
        Ok(text.lines().filter_map(|l| Uuid::parse_str(l.trim()).ok()).collect())
    }

    fn remember_erased(&self, id: Uuid) -> Result<()> {
        use std::io::Write;
        let path = self.dir.join(ERASED);
        if self.erased_ids()?.contains(&id) {
            return Ok(());
        }
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(&path)
            .and_then(|mut f| {
                // One write, the id between line ends: a kill mid-write
                // leaves no line that runs into the next one.
                f.write_all(format!("\n{id}\n").as_bytes())?;
                f.sync_all()
            })
            .map_err(|e| Error::io(&path, &e))
    }
}

/// The erasure list's file in the data directory.
const ERASED: &str = "erased";
