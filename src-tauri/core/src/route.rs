//! Distances and the order of a day's visits: great-circle distances
//! between coordinates, a tour from a start point through every stop
//! (nearest neighbour, then improved with 2-opt), and the road estimate the
//! day plan shows.
//!
//! Invariants: a planned order visits every stop exactly once; 2-opt only
//! applies a change that shortens the tour, so it never returns a longer
//! one than nearest neighbour; road kilometres are an estimate (straight
//! lines times [`DETOUR`]) and say so wherever they are shown.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Mean earth radius in kilometres.
const EARTH_KM: f64 = 6371.0088;

/// Roads are longer than straight lines: about 1.3 times in Germany's
/// road network (a common rule of thumb for regional trips).
pub const DETOUR: f64 = 1.3;

/// Average speed for the driving-time estimate, in km/h (towns and country
/// roads mixed).
pub const AVERAGE_KMH: f64 = 60.0;

/// A point on earth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Point {
    /// Latitude in degrees (−90 to 90).
    pub lat: f64,
    /// Longitude in degrees (−180 to 180).
    pub lon: f64,
}

impl Point {
    /// The point when both coordinates are in range.
    pub fn new(lat: f64, lon: f64) -> Option<Point> {
        (lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon))
        .then_some(Point { lat, lon })
    }

    /// Great-circle distance in kilometres (haversine).
    pub fn km_to(self, other: Point) -> f64 {
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dla = la2 - la1;
        let dlo = (other.lon - self.lon).to_radians();
        let a = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * EARTH_KM * a.sqrt().min(1.0).asin()
    }
}

/// A planned tour: the stops' indexes in visiting order and its length.
#[derive(Debug, Clone, PartialEq)]
pub struct Tour {
    /// Indexes into the stops given, in visiting order.
    pub order: Vec<usize>,
    /// Straight-line kilometres from the start through every stop (and back
    /// when the tour returns).
    pub km: f64,
}

impl Tour {
    /// Estimated road kilometres ([`DETOUR`] times the straight lines).
    pub fn road_km(&self) -> f64 {
        self.km * DETOUR
    }

    /// Estimated driving time in minutes at [`AVERAGE_KMH`].
    pub fn driving_minutes(&self) -> u32 {
        (self.road_km() / AVERAGE_KMH * 60.0).round() as u32
    }
}

/// The length of visiting `stops` in `order` from `start` (and back to it
/// when `round_trip`).
pub fn tour_km(start: Point, stops: &[Point], order: &[usize], round_trip: bool) -> f64 {
    let mut km = 0.0;
    let mut at = start;
    for &i in order {
        km += at.km_to(stops[i]);
        at = stops[i];
    }
    if round_trip {
        km += at.km_to(start);
    }
    km
}

/// Nearest neighbour: from `start`, always the closest stop not yet visited.
pub fn nearest_neighbour(start: Point, stops: &[Point]) -> Vec<usize> {
    let mut left: Vec<usize> = (0..stops.len()).collect();
    let mut order = Vec::with_capacity(stops.len());
    let mut at = start;
    while !left.is_empty() {
        let (k, _) = left
            .iter()
            .enumerate()
            .map(|(k, &i)| (k, at.km_to(stops[i])))
            .fold((0, f64::INFINITY), |best, cur| if cur.1 < best.1 { cur } else { best });
        let i = left.swap_remove(k);
        at = stops[i];
        order.push(i);
    }
    order
}

/// Improves `order` with 2-opt: reverses a stretch whenever that shortens
/// the tour, until no reversal does.
pub fn two_opt(start: Point, stops: &[Point], mut order: Vec<usize>, round_trip: bool) -> Vec<usize> {
    let n = order.len();
    if n < 3 {
        return order;
    }
    // The point at position p of the tour, the start being position 0.
    let at = |order: &[usize], p: usize| if p == 0 { start } else { stops[order[p - 1]] };
    let mut improved = true;
    while improved {
        improved = false;
        for i in 1..n {
            for j in i + 1..=n {
                // Reverse positions i..=j: edges (i-1, i) and (j, j+1) become (i-1, j) and (i, j+1).
                let (a, b, c) = (at(&order, i - 1), at(&order, i), at(&order, j));
                let next = if j < n {
                    Some(at(&order, j + 1))
                } else if round_trip {
                    Some(start)
                } else {
                    None
                };
                let before = a.km_to(b) + next.map_or(0.0, |d| c.km_to(d));
                let after = a.km_to(c) + next.map_or(0.0, |d| b.km_to(d));
                if after + 1e-9 < before {
                    order[i - 1..j].reverse();
                    improved = true;
                }
            }
        }
    }
    order
}

/// The shortest tour this finds from `start` through every stop: nearest
/// neighbour improved by 2-opt.
pub fn plan(start: Point, stops: &[Point], round_trip: bool) -> Tour {
    let order = two_opt(start, stops, nearest_neighbour(start, stops), round_trip);
    let km = tour_km(start, stops, &order, round_trip);
    Tour { order, km }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn p(lat: f64, lon: f64) -> Point {
        Point::new(lat, lon).unwrap()
    }

    #[test]
    fn distances_between_german_cities_match_the_atlas() {
        let hamburg = p(53.5511, 9.9937);
        let berlin = p(52.5200, 13.4050);
        let munich = p(48.1351, 11.5820);
        assert!((hamburg.km_to(berlin) - 255.0).abs() < 3.0, "{}", hamburg.km_to(berlin));
        assert!((berlin.km_to(munich) - 504.0).abs() < 5.0, "{}", berlin.km_to(munich));
        assert_eq!(hamburg.km_to(hamburg), 0.0);
        assert!(Point::new(91.0, 0.0).is_none() && Point::new(0.0, f64::NAN).is_none());
    }

    #[test]
    fn stops_on_a_line_are_visited_in_line_whatever_order_they_come_in() {
        // Start in the west; stops every 0.1° of longitude to the east.
        let start = p(53.0, 9.0);
        let stops = [p(53.0, 9.4), p(53.0, 9.1), p(53.0, 9.3), p(53.0, 9.2)];
        let tour = plan(start, &stops, false);
        assert_eq!(tour.order, [1, 3, 2, 0]);
        assert!((tour.km - start.km_to(stops[0])).abs() < 0.01, "{}", tour.km);
        assert_eq!(tour.road_km(), tour.km * DETOUR);
    }

    #[test]
    fn two_opt_finds_the_shorter_way_nearest_neighbour_misses() {
        // On one parallel: start at 9.0°, stops at 9.1°, 8.88° and 9.35°.
        // Nearest neighbour goes east, back west, then far east (0.79° in
        // all); the shortest open tour goes west first (0.59°).
        let start = p(53.0, 9.0);
        let stops = [p(53.0, 9.1), p(53.0, 8.88), p(53.0, 9.35)];
        assert_eq!(nearest_neighbour(start, &stops), [0, 1, 2]);
        let tour = plan(start, &stops, false);
        assert_eq!(tour.order, [1, 0, 2]);
        assert!(tour.km < tour_km(start, &stops, &[0, 1, 2], false));
        // As a round trip every order of a line is as long: nothing to gain.
        let round = plan(start, &stops, true);
        assert!((round.km - tour_km(start, &stops, &[1, 0, 2], true)).abs() < 0.01);
    }

    proptest! {
        #[test]
        fn two_opt_never_lengthens_and_visits_every_stop_once(
            coords in prop::collection::vec((47.0f64..55.0, 6.0f64..15.0), 0..25),
            round_trip: bool,
        ) {
            let start = p(51.0, 10.0);
            let stops: Vec<Point> = coords.iter().map(|&(a, b)| p(a, b)).collect();
            let nn = nearest_neighbour(start, &stops);
            let better = two_opt(start, &stops, nn.clone(), round_trip);
            prop_assert!(tour_km(start, &stops, &better, round_trip) <= tour_km(start, &stops, &nn, round_trip) + 1e-9);
            let mut seen = better.clone();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..stops.len()).collect::<Vec<_>>());
        }
    }
}
