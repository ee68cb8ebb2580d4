//! The hybrid logical clock that orders every replica's field writes.
//!
//! A stamp is (wall time in ms, counter, replica). A replica's next stamp
//! is after both its own last stamp and every stamp it has received, so an
//! edit made after seeing another replica's value orders after that value
//! even when this laptop's clock is minutes behind; the counter orders
//! stamps within one millisecond, and the replica id breaks the last tie.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

/// One hybrid-logical-clock stamp. Ordered by wall time, counter, replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (the highest seen, not always the local clock).
    pub wall_ms: u64,
    /// Orders stamps of the same millisecond.
    pub counter: u32,
    /// The replica that made the stamp.
    pub replica: Uuid,
}

impl Hlc {
    /// Before every stamp any replica makes.
    pub const ZERO: Hlc = Hlc { wall_ms: 0, counter: 0, replica: Uuid::nil() };

    /// The stamp of a local write at `now_ms`, after `last` (the clock's
    /// state: the newest stamp made or received here).
    pub fn tick(last: Hlc, now_ms: u64, replica: Uuid) -> Hlc {
        if now_ms > last.wall_ms {
            Hlc { wall_ms: now_ms, counter: 0, replica }
        } else {
            Hlc { wall_ms: last.wall_ms, counter: last.counter.saturating_add(1), replica }
        }
    }

    /// The clock's state after receiving `remote`: the later of the two,
    /// so the next [`Hlc::tick`] orders after what was seen.
    pub fn observe(last: Hlc, remote: Hlc) -> Hlc {
        last.max(remote)
    }
}

/// The text form sorts as the stamps do (fixed-width hex), which is how the
/// server compares them: `000196f3a1b2c3d4.00000000.<replica>`.
impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}.{:08x}.{}", self.wall_ms, self.counter, self.replica.simple())
    }
}

impl FromStr for Hlc {
    type Err = String;

    fn from_str(s: &str) -> Result<Hlc, String> {
        let bad = || format!("not a clock stamp: {s:?}");
        let mut parts = s.splitn(3, '.');
        let wall_ms = parts.next().and_then(|p| u64::from_str_radix(p, 16).ok()).ok_or_else(bad)?;
        let counter = parts.next().and_then(|p| u32::from_str_radix(p, 16).ok()).ok_or_else(bad)?;
        let replica = parts.next().and_then(|p| Uuid::parse_str(p).ok()).ok_or_else(bad)?;
        Ok(Hlc { wall_ms, counter, replica })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hlc, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Uuid = Uuid::from_u128(1);
    const B: Uuid = Uuid::from_u128(2);

    #[test]
    fn a_clock_behind_still_orders_after_what_it_has_seen() {
        // B's clock is two minutes ahead; A writes after seeing B's stamp.
        let from_b = Hlc::tick(Hlc::ZERO, 1_000_000 + 120_000, B);
        let seen = Hlc::observe(Hlc::tick(Hlc::ZERO, 1_000_000, A), from_b);
        let next = Hlc::tick(seen, 1_000_001, A);
        assert!(next > from_b, "{next} should order after {from_b}");
        assert_eq!(next.wall_ms, from_b.wall_ms);
        assert_eq!(next.counter, 1);
    }

    #[test]
    fn stamps_of_one_millisecond_count_up_and_the_text_sorts_like_the_stamps() {
        let mut last = Hlc::ZERO;
        let mut stamps = Vec::new();
        for now in [5, 5, 5, 4, 6, 0x1_0000_0000] {
            last = Hlc::tick(last, now, A);
            stamps.push(last);
        }
        assert!(stamps.windows(2).all(|w| w[0] < w[1]), "{stamps:?}");
        let texts: Vec<String> = stamps.iter().map(Hlc::to_string).collect();
        assert!(texts.windows(2).all(|w| w[0] < w[1]), "{texts:?}");
        for (stamp, text) in stamps.iter().zip(&texts) {
            assert_eq!(&text.parse::<Hlc>().unwrap(), stamp);
        }
        assert!(Hlc { replica: A, ..stamps[0] }.to_string() < Hlc { replica: B, ..stamps[0] }.to_string());
        assert!("12.x.y".parse::<Hlc>().is_err());
    }
}
