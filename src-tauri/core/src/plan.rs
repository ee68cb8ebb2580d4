//! A visit day plan: from a start, through chosen customers in the
//! shortest order found (nearest neighbour improved by 2-opt on
//! great-circle distances, see [`crate::route`]), back to the start, with
//! road kilometres and driving time estimated (a detour factor over the
//! straight line, an average speed), and each visit fitted between the
//! day's appointments.
//!
//! Pure: the store gathers the candidates and the day's appointments.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::geo::{directions_url, geo_link, Located, MapApp, PlacedContact};
use crate::route::{Point, AVERAGE_KMH, DETOUR};

/// Why a customer is suggested for a visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum VisitReason {
    /// A task with them is overdue or due that day.
    TaskDue {
        /// The task's title.
        title: String,
    },
    /// An open deal whose next step is a visit.
    DealVisit {
        /// The deal's title.
        deal: String,
    },
    /// Not visited for longer than their stage's interval.
    NotVisited {
        /// Days since the last visit (none: never visited).
        days: Option<u32>,
    },
    /// Near a stop already chosen.
    Nearby {
        /// Kilometres to the nearest chosen stop.
        km: f64,
    },
    /// Chosen by the rep.
    Chosen,
}

/// A customer who could be visited.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Candidate {
    /// Who and where.
    #[serde(flatten)]
    #[ts(flatten)]
    pub who: PlacedContact,
    /// Why.
    pub reason: VisitReason,
    /// Kilometres (great circle) from the plan's start.
    pub from_start_km: f64,
}

/// A time the rep is taken (an appointment of the day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    /// From.
    pub start: DateTime<Utc>,
    /// To.
    pub end: DateTime<Utc>,
}

/// One stop of a planned day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlannedStop {
    /// Who and where.
    #[serde(flatten)]
    #[ts(flatten)]
    pub who: PlacedContact,
    /// Estimated road kilometres from the previous stop (the start for the first).
    pub distance_km: f64,
    /// Estimated driving minutes from the previous stop.
    pub drive_minutes: u32,
    /// Arrival.
    pub arrive: DateTime<Utc>,
    /// Departure (after the visit).
    pub leave: DateTime<Utc>,
    /// Whether the visit fits into the working day.
    pub fits: bool,
    /// Why it was suggested.
    pub reason: VisitReason,
    /// A `geo:` link to it.
    pub geo: String,
}

/// A planned day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DayPlan {
    /// The day.
    pub date: NaiveDate,
    /// Where the day starts and ends.
    pub start_address: String,
    /// Latitude of the start.
    pub start_lat: f64,
    /// Longitude of the start.
    pub start_lon: f64,
    /// How the start was located.
    pub start_located: Located,
    /// The stops, in driving order.
    pub stops: Vec<PlannedStop>,
    /// Estimated road kilometres of the whole round trip (stops' legs and the way back).
    pub total_km: f64,
    /// Of them, the way back to the start.
    pub return_km: f64,
    /// Estimated driving minutes of the whole round trip.
    pub driving_minutes: u32,
    /// The factor road kilometres are estimated with over the straight line.
    pub road_factor: f64,
    /// The average speed driving time is estimated with (km/h).
    pub average_kmh: f64,
    /// The whole route in the rep's map app.
    pub directions_url: String,
}

/// The working day a plan fits visits into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayFrame {
    /// First departure, local time.
    pub from: NaiveTime,
    /// Last return, local time.
    pub to: NaiveTime,
    /// How long a visit takes.
    pub visit_minutes: u32,
}

fn road(km: f64) -> f64 {
    (km * DETOUR * 10.0).round() / 10.0
}

fn minutes(road_km: f64) -> u32 {
    (road_km / AVERAGE_KMH * 60.0).round() as u32
}

/// Plans `date` from `start` through `chosen` (already limited to what the
/// rep wants), fitting each visit after the previous one and outside `busy`.
#[allow(clippy::too_many_arguments)]
pub fn plan_day(
    date: NaiveDate,
    start_address: &str,
    start: (Point, Located),
    chosen: Vec<Candidate>,
    busy: &[Busy],
    frame: DayFrame,
    tz: Tz,
    app: MapApp,
) -> DayPlan {
    let points: Vec<Point> = chosen.iter().map(|c| c.who.point()).collect();
    let tour = crate::route::plan(start.0, &points, true);
    let local = |t: NaiveTime| crate::task::local_to_utc(date.and_time(t), tz);
    let day_end = local(frame.to);
    let mut at = local(frame.from);
    let mut here = start.0;
    let mut stops = Vec::with_capacity(tour.order.len());
    let visit = Duration::minutes(i64::from(frame.visit_minutes));
    for &i in &tour.order {
        let c = &chosen[i];
        let km = road(here.km_to(c.who.point()));
        let drive = minutes(km);
        let mut arrive = at + Duration::minutes(i64::from(drive));
        // After any appointment the visit would overlap (the drive is
        // taken to start after it).
        let mut sorted: Vec<&Busy> = busy.iter().collect();
        sorted.sort_by_key(|b| b.start);
        for b in sorted {
            if arrive < b.end && arrive + visit > b.start {
                arrive = b.end + Duration::minutes(i64::from(drive));
            }
        }
        let leave = arrive + visit;
        stops.push(PlannedStop {
            who: c.who.clone(),
            distance_km: km,
            drive_minutes: drive,
            arrive,
            leave,
            fits: leave <= day_end,
            reason: c.reason.clone(),
            geo: geo_link(c.who.point(), c.who.label()),
        });
        at = leave;
        here = c.who.point();
    }
    let return_km = if stops.is_empty() { 0.0 } else { road(here.km_to(start.0)) };
    let legs: f64 = stops.iter().map(|s| s.distance_km).sum();
    let total_km = ((legs + return_km) * 10.0).round() / 10.0;
    if let Some(last) = stops.last_mut() {
        last.fits = last.fits && last.leave + Duration::minutes(i64::from(minutes(return_km))) <= day_end;
    }
    let mut route = vec![start.0];
    route.extend(stops.iter().map(|s| s.who.point()));
    route.push(start.0);
    DayPlan {
        date,
        start_address: start_address.to_owned(),
        start_lat: start.0.lat,
        start_lon: start.0.lon,
        start_located: start.1,
        driving_minutes: stops.iter().map(|s| s.drive_minutes).sum::<u32>() + minutes(return_km),
        stops,
        total_km,
        return_km,
        road_factor: DETOUR,
        average_kmh: AVERAGE_KMH,
        directions_url: directions_url(app, &route),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;

    use uuid::Uuid;

    use super::*;

    fn candidate(name: &str, lat: f64, lon: f64) -> Candidate {
        Candidate {
            who: PlacedContact {
                contact_id: Uuid::from_u128(name.len() as u128 + u128::from(name.as_bytes()[0])),
                name: name.into(),
                organization: None,
                address: None,
                lat,
                lon,
                located: Located::Address,
            },
            reason: VisitReason::Chosen,
            from_start_km: 0.0,
        }
    }

    fn frame() -> DayFrame {
        DayFrame {
            from: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            to: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
            visit_minutes: 60,
        }
    }

    #[test]
    fn stops_on_a_line_are_visited_in_order_and_the_legs_add_up_to_the_total() {
        let date = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
        let start = Point { lat: 53.55, lon: 10.0 };
        // Eastward on one parallel, given in a shuffled order.
        let chosen =
            vec![candidate("C", 53.55, 10.6), candidate("A", 53.55, 10.2), candidate("B", 53.55, 10.4)];
        let plan =
            plan_day(date, "Büro", (start, Located::Address), chosen, &[], frame(), Berlin, MapApp::Google);
        let names: Vec<&str> = plan.stops.iter().map(|s| s.who.name.as_str()).collect();
        assert!(names == ["A", "B", "C"] || names == ["C", "B", "A"], "{names:?}");
        let legs: f64 = plan.stops.iter().map(|s| s.distance_km).sum::<f64>() + plan.return_km;
        assert!((legs - plan.total_km).abs() < 0.11, "{legs} vs {}", plan.total_km);
        // 0.6° of longitude at 53.55° N is about 39.7 km each way, times 1.3.
        assert!((plan.total_km - 2.0 * 39.7 * 1.3).abs() < 2.0, "{}", plan.total_km);
        assert!(plan.stops.iter().all(|s| s.fits));
        assert_eq!(
            plan.stops[0].arrive,
            Utc.with_ymd_and_hms(2026, 5, 4, 6, 0, 0).unwrap()
                + Duration::minutes(i64::from(plan.stops[0].drive_minutes))
        );
    }

    #[test]
    fn a_visit_that_would_overlap_an_appointment_comes_after_it() {
        let date = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
        let start = Point { lat: 53.55, lon: 10.0 };
        let busy = [Busy {
            start: Utc.with_ymd_and_hms(2026, 5, 4, 6, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 5, 4, 9, 0, 0).unwrap(),
        }];
        let plan = plan_day(
            date,
            "Büro",
            (start, Located::Address),
            vec![candidate("A", 53.56, 10.01)],
            &busy,
            frame(),
            Berlin,
            MapApp::OpenStreetMap,
        );
        assert!(plan.stops[0].arrive >= busy[0].end, "{:?}", plan.stops[0].arrive);
        assert!(plan.directions_url.contains("loc=53.550000,10.000000"));
    }
}
