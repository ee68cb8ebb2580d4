//! The day plan's route at the size a rep plans: 30 stops in northern
//! Germany (fixed seed), ordered by nearest neighbour and improved by
//! 2-opt. Reports the median and worst of 200 plans, beside nearest
//! neighbour alone (the baseline in the same run), and how much shorter
//! 2-opt made the tour. Goal (issue "Out in the field"): under 50 ms.
//!
//! `cargo bench -p kontor-core --bench route [-- STOPS]` (default 30).

#![allow(clippy::disallowed_methods, missing_docs)]

use std::time::{Duration, Instant};

use kontor_core::route::{nearest_neighbour, plan, tour_km, Point};

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(30);
    let mut seed = 42u64;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let start = Point::new(53.55, 9.99).unwrap();
    let stops: Vec<Point> =
        (0..n).map(|_| Point::new(52.5 + 2.0 * next(), 8.0 + 4.0 * next()).unwrap()).collect();
    let mut full = Vec::new();
    let mut nn = Vec::new();
    let mut tour = None;
    for _ in 0..200 {
        let t = Instant::now();
        tour = Some(plan(start, &stops, true));
        full.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(nearest_neighbour(start, &stops));
        nn.push(t.elapsed());
    }
    let stats = |mut v: Vec<Duration>| {
        v.sort_unstable();
        (v[v.len() / 2].as_secs_f64() * 1e3, v[v.len() - 1].as_secs_f64() * 1e3)
    };
    let (med, max) = stats(full);
    let (nn_med, nn_max) = stats(nn);
    let tour = tour.expect("planned");
    let nn_km = tour_km(start, &stops, &nearest_neighbour(start, &stops), true);
    println!("route of {n} stops (round trip), median / worst of 200:");
    println!(
        "  nearest neighbour + 2-opt  {med:>8.3} ms / {max:>8.3} ms   (goal < 50 ms: {})",
        if max < 50.0 { "met" } else { "not met" }
    );
    println!(
        "  nearest neighbour alone    {nn_med:>8.3} ms / {nn_max:>8.3} ms   ratio {:.1}",
        med / nn_med.max(1e-6)
    );
    println!("  tour {:.1} km straight ({:.1} km by road, ~{} min), nearest neighbour alone {:.1} km: 2-opt {:.1} % shorter",
        tour.km, tour.road_km(), tour.driving_minutes(), nn_km, (1.0 - tour.km / nn_km) * 100.0);
}
