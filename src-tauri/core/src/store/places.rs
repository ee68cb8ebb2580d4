//! Where contacts and organisations are: the geocoding cache (every
//! address asked once, "not found" included), positions by pin, by
//! geocoded address or estimated from the postcode area, and the nearby
//! list.
//!
//! The cache is a cache: written outside the store's transactions (no
//! write generation, no "last change"), left out of backups, kept across a
//! restore.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{decode, encode, Store};
use crate::contact::{Contact, Organization};
use crate::error::{Error, Result};
use crate::geo::{address_key, postcode_in, Geocoder, Located, Pin, PlacedContact};
use crate::route::Point;

/// One cached answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedPlace {
    /// The position; none: the endpoint knows no such address.
    pin: Option<Pin>,
    /// The address's postcode (for estimates of others nearby).
    postcode: Option<String>,
    /// When it was asked.
    asked_at: DateTime<Utc>,
}

/// What a geocoding run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct GeocodeReport {
    /// Addresses asked.
    pub asked: u32,
    /// Of them, found.
    pub found: u32,
    /// Of them, unknown to the endpoint.
    pub not_found: u32,
    /// Addresses still waiting (the run stopped at its limit or at an error).
    pub waiting: u32,
    /// Why it stopped early, if it did (offline, a refusal).
    pub stopped: Option<String>,
}

/// A contact near a place.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Nearby {
    /// Who and where.
    #[serde(flatten)]
    #[ts(flatten)]
    pub who: PlacedContact,
    /// Great-circle kilometres from the place.
    pub distance_km: f64,
}

/// Where someone is, and how that is known.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Position {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Pin, geocoded address or postcode estimate.
    pub located: Located,
}

/// Known positions by postcode, for estimates: the sum of the positions
/// under each leading part of a postcode (two digits and longer), so an
/// estimate is a few lookups whatever the number of known places.
pub struct Postcodes(std::collections::HashMap<String, (f64, f64, u32)>);

impl Postcodes {
    fn new(known: impl Iterator<Item = (String, Point)>) -> Postcodes {
        let mut sums: std::collections::HashMap<String, (f64, f64, u32)> = std::collections::HashMap::new();
        for (code, p) in known {
            let chars: Vec<char> = code.chars().collect();
            for len in 2..=chars.len() {
                let e = sums.entry(chars[..len].iter().collect()).or_insert((0.0, 0.0, 0));
                e.0 += p.lat;
                e.1 += p.lon;
                e.2 += 1;
            }
        }
        Postcodes(sums)
    }

    /// A position estimated for `postcode`: the mean of the known places
    /// sharing the longest leading part of it (at least two digits), as
    /// [`crate::geo::estimate_by_postcode`] defines it.
    pub fn estimate(&self, postcode: &str) -> Option<Point> {
        let chars: Vec<char> = postcode.trim().chars().collect();
        (2..=chars.len()).rev().find_map(|len| {
            let key: String = chars[..len].iter().collect();
            self.0.get(&key).map(|(lat, lon, n)| Point { lat: lat / f64::from(*n), lon: lon / f64::from(*n) })
        })
    }
}

impl Store {
    fn cached(&self, line: &str) -> Result<Option<CachedPlace>> {
        match self.t.places.get(address_key(line).as_bytes())? {
            Some(v) => decode(&v).map(Some),
            None => Ok(None),
        }
    }

    /// The cached position of an address line: `None` when never asked,
    /// `Some(None)` when the endpoint knew none.
    pub fn cached_position(&self, line: &str) -> Result<Option<Option<Pin>>> {
        Ok(self.cached(line)?.map(|c| c.pin))
    }

    /// Caches an answer for an address line (flushed).
    pub fn cache_position(&self, line: &str, pin: Option<Pin>, now: DateTime<Utc>) -> Result<()> {
        let entry = CachedPlace { pin, postcode: postcode_in(line), asked_at: now };
        self.t.places.insert(address_key(line).as_bytes(), encode(&entry)?)?;
        self.db.flush()?;
        Ok(())
    }

    /// The position of an address line: from the cache, else asked (and
    /// cached). An error only when it had to be asked and could not be.
    pub fn geocode(&self, geocoder: &Geocoder, line: &str, now: DateTime<Utc>) -> Result<Option<Pin>> {
        if let Some(known) = self.cached_position(line)? {
            return Ok(known);
        }
        let pin = geocoder.lookup(line)?;
        self.cache_position(line, pin, now)?;
        Ok(pin)
    }

    /// Every address of a contact or organisation (without a pin) that was
    /// never asked, once each.
    pub fn addresses_to_geocode(&self) -> Result<Vec<String>> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut consider = |line: Option<String>| -> Result<()> {
            if let Some(line) = line {
                let key = address_key(&line);
                if !key.is_empty() && seen.insert(key.clone()) && self.t.places.get(key.as_bytes())?.is_none()
                {
                    out.push(line);
                }
            }
            Ok(())
        };
        for v in self.t.organizations.iter().values() {
            let o: Organization = decode(&v?)?;
            if o.pin.is_none() && o.street.is_some() {
                consider(o.address_line())?;
            }
        }
        for v in self.t.contacts.iter().values() {
            let c: Contact = decode(&v?)?;
            if c.address.pin.is_none() && c.address.street.is_some() {
                consider(c.address.line())?;
            }
        }
        Ok(out)
    }

    /// Asks the endpoint for up to `limit` addresses never asked (at its
    /// pace: one per second for Nominatim's), caching each answer. Stops at
    /// the first failure (offline): what was found stays.
    pub fn geocode_missing(
        &self,
        geocoder: &Geocoder,
        limit: usize,
        now: impl Fn() -> DateTime<Utc>,
        mut progress: impl FnMut(&GeocodeReport),
    ) -> Result<GeocodeReport> {
        let todo = self.addresses_to_geocode()?;
        let mut report = GeocodeReport { waiting: todo.len() as u32, ..Default::default() };
        for line in todo.iter().take(limit) {
            match geocoder.lookup(line) {
                Ok(pin) => {
                    self.cache_position(line, pin, now())?;
                    report.asked += 1;
                    report.waiting -= 1;
                    if pin.is_some() {
                        report.found += 1;
                    } else {
                        report.not_found += 1;
                    }
                    progress(&report);
                }
                Err(Error::Geocoding(why)) => {
                    report.stopped = Some(why);
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    /// Every known position by postcode (cached answers, pins with a postcode).
    pub fn postcodes(&self) -> Result<Postcodes> {
        let mut known = Vec::new();
        for v in self.t.places.iter().values() {
            let c: CachedPlace = decode(&v?)?;
            if let (Some(pin), Some(code)) = (c.pin, c.postcode) {
                known.push((code, pin.point()));
            }
        }
        Ok(Postcodes::new(known.into_iter()))
    }

    /// Where a contact is: their pin, their geocoded address, their
    /// organisation's pin or address, else an estimate from their postcode.
    pub fn locate_contact(&self, c: &Contact, postcodes: &Postcodes) -> Result<Option<(Point, Located)>> {
        if let Some(pin) = c.address.pin {
            return Ok(Some((pin.point(), Located::Pin)));
        }
        if let Some(line) = c.address.line().filter(|_| c.address.street.is_some()) {
            if let Some(Some(pin)) = self.cached_position(&line)? {
                return Ok(Some((pin.point(), Located::Address)));
            }
        }
        let org = c.organization_id.and_then(|id| self.org_cached(id));
        if let Some(org) = &org {
            if let Some(pin) = org.pin {
                return Ok(Some((pin.point(), Located::Pin)));
            }
            if let Some(line) = org.address_line().filter(|_| org.street.is_some()) {
                if let Some(Some(pin)) = self.cached_position(&line)? {
                    return Ok(Some((pin.point(), Located::Address)));
                }
            }
        }
        let code = c.address.postcode.clone().or_else(|| org.and_then(|o| o.postcode));
        Ok(code.and_then(|code| postcodes.estimate(&code)).map(|p| (p, Located::Postcode)))
    }

    /// Where a contact is, reading the postcode areas only when neither a
    /// pin nor a geocoded address says (a contact page asks this).
    pub fn position_of(&self, c: &Contact) -> Result<Option<Position>> {
        let none = Postcodes::new(std::iter::empty());
        let found = match self.locate_contact(c, &none)? {
            Some(found) => Some(found),
            None => self.locate_contact(c, &self.postcodes()?)?,
        };
        Ok(found.map(|(p, located)| Position { lat: p.lat, lon: p.lon, located }))
    }

    /// A contact where they are.
    pub fn placed(&self, c: &Contact, p: Point, located: Located) -> PlacedContact {
        PlacedContact {
            contact_id: c.id,
            name: c.display_name.clone(),
            organization: c.organization.clone(),
            address: self.contact_address(c),
            lat: p.lat,
            lon: p.lon,
            located,
        }
    }

    /// A contact's address line, else their organisation's.
    pub fn contact_address(&self, c: &Contact) -> Option<String> {
        c.address
            .line()
            .or_else(|| c.organization_id.and_then(|id| self.org_cached(id)).and_then(|o| o.address_line()))
    }

    /// Where an address line is: cached, asked when a geocoder is given,
    /// else estimated from its postcode.
    pub fn locate_address(
        &self,
        line: &str,
        geocoder: Option<&Geocoder>,
        postcodes: &Postcodes,
        now: DateTime<Utc>,
    ) -> Result<Option<(Point, Located)>> {
        if let Some(p) = crate::geo::coordinates_in(line) {
            return Ok(Some((p, Located::Pin)));
        }
        let known = match (self.cached_position(line)?, geocoder) {
            (Some(known), _) => known,
            (None, Some(g)) => match self.geocode(g, line, now) {
                Ok(pin) => pin,
                // Offline: fall back to the postcode.
                Err(Error::Geocoding(_)) => None,
                Err(e) => return Err(e),
            },
            (None, None) => None,
        };
        if let Some(pin) = known {
            return Ok(Some((pin.point(), Located::Address)));
        }
        Ok(postcode_in(line).and_then(|code| postcodes.estimate(&code)).map(|p| (p, Located::Postcode)))
    }

    /// Contacts within `radius_km` of `origin`, nearest first (at most
    /// `limit`), from the cached positions (`postcodes` places those
    /// without one); `except` is left out.
    pub fn nearby(
        &self,
        origin: Point,
        radius_km: f64,
        limit: usize,
        except: Option<Uuid>,
        postcodes: &Postcodes,
    ) -> Result<Vec<Nearby>> {
        let mut out = Vec::new();
        for v in self.t.contacts.iter().values() {
            let c: Contact = decode(&v?)?;
            if Some(c.id) == except {
                continue;
            }
            let Some((p, located)) = self.locate_contact(&c, postcodes)? else { continue };
            let km = origin.km_to(p);
            if km <= radius_km {
                out.push(Nearby {
                    who: self.placed(&c, p, located),
                    distance_km: (km * 10.0).round() / 10.0,
                });
            }
        }
        out.sort_by(|a, b| a.distance_km.total_cmp(&b.distance_km).then_with(|| a.who.name.cmp(&b.who.name)));
        out.truncate(limit);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The prefix sums give what the plain definition gives.
        #[test]
        fn estimates_from_prefix_sums_are_the_plain_definitions(
            known in proptest::collection::vec(("[0-9]{5}", 47.0f64..55.0, 6.0f64..15.0), 0..60),
            asked in "[0-9]{2,5}",
        ) {
            let points: Vec<(String, Point)> = known.iter().map(|(c, lat, lon)| (c.clone(), Point { lat: *lat, lon: *lon })).collect();
            let fast = Postcodes::new(points.clone().into_iter()).estimate(&asked);
            let plain = crate::geo::estimate_by_postcode(&asked, points.iter().map(|(c, p)| (c.as_str(), *p)));
            match (fast, plain) {
                (Some(a), Some(b)) => proptest::prop_assert!((a.lat - b.lat).abs() < 1e-9 && (a.lon - b.lon).abs() < 1e-9),
                (a, b) => proptest::prop_assert_eq!(a, b),
            }
        }
    }
}
