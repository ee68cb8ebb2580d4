//! The mileage log in the store: entries keyed by their number, written
//! once and never changed or removed (not by an erasure either: the tax
//! office's retention period wins; the log names partners, not contacts'
//! data).

use chrono::{DateTime, NaiveDate, Utc};

use super::{abort, decode, encode_tx, new_id, Store};
use crate::error::{Error, Result};
use crate::mileage::{Trip, TripInput};

impl Store {
    /// Appends a trip to the log; its odometer start defaults to where the
    /// latest version of the log's last trip ended.
    pub fn add_trip(&self, input: TripInput, now: DateTime<Utc>) -> Result<Trip> {
        // One writer of the log at a time in this process (the store's lock
        // keeps other processes out): the number read is the number written.
        static WRITING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _one = super::lock(&WRITING);
        let all = self.trips(None, None)?;
        let number = all.last().map_or(1, |t| t.number + 1);
        if let Some(n) = input.corrects {
            if !all.iter().any(|t| t.number == n) {
                return Err(Error::NotFound { kind: "trip", id: n.to_string() });
            }
        }
        let superseded: std::collections::HashSet<u32> = all.iter().filter_map(|t| t.corrects).collect();
        let last_end = all.iter().filter(|t| !superseded.contains(&t.number)).map(|t| t.odometer_end).max();
        let trip = input.into_trip(new_id(now), number, last_end, now)?;
        self.transact(now, |tx| {
            if tx.trips.get(number.to_be_bytes())?.is_some() {
                return abort(Error::Storage(format!("mileage log entry {number} exists")));
            }
            tx.trips.insert(&number.to_be_bytes(), encode_tx(&trip)?)?;
            Ok(())
        })?;
        Ok(trip)
    }

    /// The log's entries driven between `from` and `to` (inclusive), in
    /// log order, with every correction of them (whatever its date).
    pub fn trips(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Vec<Trip>> {
        let mut all = Vec::new();
        for v in self.t.trips.iter().values() {
            all.push(decode::<Trip>(&v?)?);
        }
        let within = |t: &Trip| from.is_none_or(|f| t.date >= f) && to.is_none_or(|e| t.date <= e);
        let chosen: std::collections::HashSet<u32> =
            all.iter().filter(|t| within(t)).map(|t| t.number).collect();
        Ok(all
            .into_iter()
            .filter(|t| chosen.contains(&t.number) || t.corrects.is_some_and(|c| chosen.contains(&c)))
            .collect())
    }

    /// The last odometer reading in the log (latest versions only).
    pub fn last_odometer(&self) -> Result<Option<u32>> {
        let all = self.trips(None, None)?;
        let superseded: std::collections::HashSet<u32> = all.iter().filter_map(|t| t.corrects).collect();
        Ok(all.iter().filter(|t| !superseded.contains(&t.number)).map(|t| t.odometer_end).max())
    }
}
