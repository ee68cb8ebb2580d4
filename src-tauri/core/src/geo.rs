//! Where customers are: address lines, the key an address is cached under,
//! pins set by hand, and geocoding through a Nominatim-compatible endpoint
//! (OpenStreetMap's by default, under its usage policy: at most one request
//! per second, a User-Agent that names the app, each address asked once —
//! the store caches every answer, "not found" included).
//!
//! Everything but [`Geocoder::lookup`] works offline.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::route::Point;

/// OpenStreetMap's public Nominatim.
pub const DEFAULT_ENDPOINT: &str = "https://nominatim.openstreetmap.org";
/// Nominatim's policy: no more than one request per second.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A position set by hand or found by geocoding.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Pin {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

// Pins hold finite numbers only (checked by `Pin::new`): equality is total.
impl Eq for Pin {}

impl Pin {
    /// A pin at valid coordinates.
    pub fn new(lat: f64, lon: f64) -> Result<Pin> {
        Point::new(lat, lon).map(|p| Pin { lat: p.lat, lon: p.lon }).ok_or_else(|| Error::InvalidInput {
            field: "pin",
            reason: format!("{lat}, {lon} are no coordinates (latitude −90…90, longitude −180…180)"),
        })
    }

    /// As a point for distances.
    pub fn point(self) -> Point {
        Point { lat: self.lat, lon: self.lon }
    }
}

/// A contact where they are: what a nearby list, a plan's suggestions and
/// its stops show of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlacedContact {
    /// The contact.
    pub contact_id: uuid::Uuid,
    /// Their name.
    pub name: String,
    /// Their organisation.
    pub organization: Option<String>,
    /// Their address.
    pub address: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// How the position was found.
    pub located: Located,
}

impl PlacedContact {
    /// Where they are.
    pub fn point(&self) -> Point {
        Point { lat: self.lat, lon: self.lon }
    }

    /// Their organisation, else their name: how a stop is labelled.
    pub fn label(&self) -> &str {
        self.organization.as_deref().unwrap_or(&self.name)
    }
}

/// How a position was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Located {
    /// Set by hand.
    Pin,
    /// Geocoded from the address.
    Address,
    /// Estimated from known places in the same postcode area.
    Postcode,
}

/// "Street, Postcode City, Country" (the parts present); none without any.
pub fn join_address(
    street: Option<&str>,
    postcode: Option<&str>,
    city: Option<&str>,
    country: Option<&str>,
) -> Option<String> {
    fn nonempty(s: Option<&str>) -> Option<&str> {
        s.map(str::trim).filter(|s| !s.is_empty())
    }
    let town = [nonempty(postcode), nonempty(city)].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let parts: Vec<&str> =
        [nonempty(street), Some(town.as_str()).filter(|t| !t.is_empty()), nonempty(country)]
            .into_iter()
            .flatten()
            .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The key an address is cached under: folded (case, accents, ß), words
/// joined by one space, punctuation dropped. "Elbchaussee 1, 22763
/// Hamburg" and "elbchaussee 1 22763 hamburg" are one address.
pub fn address_key(line: &str) -> String {
    let folded = crate::text::fold(line);
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The postcode in an address line: the first group of 4–5 digits.
pub fn postcode_in(line: &str) -> Option<String> {
    line.split(|c: char| !c.is_ascii_digit()).find(|w| (4..=5).contains(&w.len())).map(str::to_owned)
}

/// Coordinates written as "53.55, 10.0" (or "geo:53.55,10.0").
pub fn coordinates_in(text: &str) -> Option<Point> {
    let text = text.trim().strip_prefix("geo:").unwrap_or(text.trim());
    let (lat, lon) = text.split_once(',')?;
    Point::new(lat.trim().parse().ok()?, lon.trim().split(['?', ';']).next()?.trim().parse().ok()?)
}

/// A position estimated from positions known in the same postcode area:
/// the mean of those sharing the longest leading part of `postcode` (at
/// least its first two digits, the German Leitregion).
pub fn estimate_by_postcode<'a>(
    postcode: &str,
    known: impl Iterator<Item = (&'a str, Point)>,
) -> Option<Point> {
    let mut best: (usize, f64, f64, u32) = (0, 0.0, 0.0, 0);
    for (code, p) in known {
        let shared = code.chars().zip(postcode.chars()).take_while(|(a, b)| a == b).count();
        if shared < 2 || shared < best.0 {
            continue;
        }
        if shared > best.0 {
            best = (shared, 0.0, 0.0, 0);
        }
        best.1 += p.lat;
        best.2 += p.lon;
        best.3 += 1;
    }
    (best.3 > 0).then(|| Point { lat: best.1 / f64::from(best.3), lon: best.2 / f64::from(best.3) })
}

/// Asks a Nominatim-compatible endpoint, no more often than once per
/// [`MIN_INTERVAL`] (across threads).
pub struct Geocoder {
    endpoint: String,
    user_agent: String,
    agent: ureq::Agent,
    last: Mutex<Option<Instant>>,
    interval: Duration,
}

impl Geocoder {
    /// A geocoder for `endpoint` (its base URL; `/search` is added), naming
    /// Kontor `version` in its User-Agent.
    pub fn new(endpoint: &str, version: &str) -> Geocoder {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .build()
            .into();
        Geocoder {
            endpoint: endpoint.trim().trim_end_matches('/').trim_end_matches("/search").to_owned(),
            user_agent: format!(
                "Kontor/{version} (offline-first desktop CRM; geocoding its user's customer addresses)"
            ),
            agent,
            last: Mutex::new(None),
            interval: MIN_INTERVAL,
        }
    }

    /// The same with another pause between requests (tests of the limit).
    pub fn with_interval(mut self, interval: Duration) -> Geocoder {
        self.interval = interval;
        self
    }

    /// The same with another time limit per request.
    pub fn with_timeout(mut self, timeout: Duration) -> Geocoder {
        self.agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .build()
            .into();
        self
    }

    /// The position of an address line: `Ok(None)` when the endpoint knows
    /// none; an error when it cannot be asked (offline, a timeout, a refusal).
    pub fn lookup(&self, line: &str) -> Result<Option<Pin>> {
        {
            let mut last = self.last.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(at) = *last {
                let wait = self.interval.saturating_sub(at.elapsed());
                if !wait.is_zero() {
                    std::thread::sleep(wait);
                }
            }
            *last = Some(Instant::now());
        }
        let url = format!("{}/search", self.endpoint);
        let failed = |why: String| Error::Geocoding(why);
        let mut response = self
            .agent
            .get(&url)
            .query("q", line)
            .query("format", "jsonv2")
            .query("limit", "1")
            .header("User-Agent", &self.user_agent)
            .header("Accept-Language", "de,en")
            .call()
            .map_err(|e| failed(e.to_string()))?;
        let status = response.status().as_u16();
        if status == 429 {
            return Err(failed("the server asks to slow down (HTTP 429)".into()));
        }
        if status != 200 {
            return Err(failed(format!("the server answered HTTP {status}")));
        }
        let body = response.body_mut().read_to_string().map_err(|e| failed(e.to_string()))?;
        parse_search(&body).map_err(failed)
    }
}

/// Nominatim's `/search?format=jsonv2` answer: a list of places with
/// `lat` and `lon` as strings; the first is the best.
pub fn parse_search(body: &str) -> std::result::Result<Option<Pin>, String> {
    #[derive(Deserialize)]
    struct Place {
        lat: serde_json::Value,
        lon: serde_json::Value,
    }
    let places: Vec<Place> =
        serde_json::from_str(body).map_err(|e| format!("the answer is not Nominatim's JSON: {e}"))?;
    let Some(first) = places.first() else { return Ok(None) };
    let number = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        serde_json::Value::Number(n) => n.as_f64(),
        _ => None,
    };
    match (number(&first.lat), number(&first.lon)) {
        (Some(lat), Some(lon)) => Pin::new(lat, lon).map(Some).map_err(|e| e.to_string()),
        _ => Err("the answer's coordinates are no numbers".into()),
    }
}

/// A directions URL through `points` in order (start first) for the rep's map app.
pub fn directions_url(app: MapApp, points: &[Point]) -> String {
    let coord = |p: &Point| format!("{:.6},{:.6}", p.lat, p.lon);
    match app {
        MapApp::Google => {
            let (Some(first), Some(last)) = (points.first(), points.last()) else { return String::new() };
            let middle: Vec<String> = if points.len() > 2 {
                points[1..points.len() - 1].iter().map(coord).collect()
            } else {
                Vec::new()
            };
            let mut url = format!(
                "https://www.google.com/maps/dir/?api=1&origin={}&destination={}&travelmode=driving",
                coord(first),
                coord(last)
            );
            if !middle.is_empty() {
                url.push_str("&waypoints=");
                url.push_str(&middle.join("%7C"));
            }
            url
        }
        MapApp::OpenStreetMap => {
            // OSRM's map (OpenStreetMap's data) routes through every stop.
            let locs: Vec<String> = points.iter().map(|p| format!("loc={}", coord(p))).collect();
            format!("https://map.project-osrm.org/?z=10&{}&hl=de&srv=0", locs.join("&"))
        }
    }
}

/// A `geo:` link (RFC 5870) to one stop, with its label.
pub fn geo_link(p: Point, label: &str) -> String {
    let label: String = label
        .chars()
        .map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("+");
    format!("geo:{:.6},{:.6}?q={:.6},{:.6}({label})", p.lat, p.lon, p.lat, p.lon)
}

/// Which map app opens a route.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MapApp {
    /// OpenStreetMap.
    #[default]
    OpenStreetMap,
    /// Google Maps.
    Google,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_one_line_and_one_key_however_it_is_written() {
        let line = join_address(Some("Elbchaussee 1"), Some("22763"), Some(" Hamburg"), None);
        assert_eq!(line.as_deref(), Some("Elbchaussee 1, 22763 Hamburg"));
        assert_eq!(address_key("Elbchaussee 1, 22763 Hamburg"), address_key(" elbchaussee 1  22763 HAMBURG"));
        assert_eq!(address_key("Königstraße 5"), "konigstrasse 5");
        assert_eq!(join_address(None, Some(" "), None, None), None);
        assert_eq!(postcode_in("Elbchaussee 1, 22763 Hamburg").as_deref(), Some("22763"));
        assert_eq!(coordinates_in(" 53.55, 10.0 "), Some(Point { lat: 53.55, lon: 10.0 }));
        assert_eq!(coordinates_in("geo:53.55,10.0?q=x"), Some(Point { lat: 53.55, lon: 10.0 }));
        assert_eq!(coordinates_in("Elbchaussee 1, 22763 Hamburg"), None);
        assert_eq!(coordinates_in("95, 10"), None);
    }

    #[test]
    fn nominatim_answers_are_read_and_an_empty_one_is_none() {
        let body = r#"[{"place_id":1,"lat":"53.5456","lon":"9.9314","display_name":"Elbchaussee"}]"#;
        assert_eq!(parse_search(body), Ok(Some(Pin { lat: 53.5456, lon: 9.9314 })));
        assert_eq!(parse_search("[]"), Ok(None));
        assert!(parse_search("<html>Bandwidth exceeded</html>").is_err());
        assert!(parse_search(r#"[{"lat":"north","lon":"9"}]"#).is_err());
    }

    #[test]
    fn a_missing_position_is_estimated_from_the_longest_shared_postcode_prefix() {
        let known = [
            ("22763", Point { lat: 53.55, lon: 9.93 }),
            ("22765", Point { lat: 53.56, lon: 9.95 }),
            ("20095", Point { lat: 53.55, lon: 10.0 }),
            ("80331", Point { lat: 48.13, lon: 11.57 }),
        ];
        let p = estimate_by_postcode("22767", known.iter().map(|(c, p)| (*c, *p))).unwrap();
        assert!((p.lat - 53.555).abs() < 1e-9 && (p.lon - 9.94).abs() < 1e-9, "{p:?}");
        assert_eq!(estimate_by_postcode("01067", known.iter().map(|(c, p)| (*c, *p))), None);
    }

    #[test]
    fn route_links_name_every_stop_in_order() {
        let pts =
            [Point { lat: 53.5, lon: 10.0 }, Point { lat: 53.6, lon: 9.9 }, Point { lat: 53.7, lon: 9.8 }];
        let g = directions_url(MapApp::Google, &pts);
        assert!(g.contains("origin=53.500000,10.000000"), "{g}");
        assert!(g.contains("destination=53.700000,9.800000"), "{g}");
        assert!(g.contains("waypoints=53.600000,9.900000"), "{g}");
        let o = directions_url(MapApp::OpenStreetMap, &pts);
        assert!(o.contains("loc=53.500000,10.000000&loc=53.600000,9.900000&loc=53.700000,9.800000"), "{o}");
        assert_eq!(
            geo_link(pts[1], "Elb Brauerei (Hamburg)"),
            "geo:53.600000,9.900000?q=53.600000,9.900000(Elb+Brauerei+Hamburg)"
        );
    }
}
