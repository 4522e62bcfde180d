//! The SOA timers ZONE02–ZONE06 judge (RFC 1035 §3.3.13), as unsigned
//! 32-bit numbers, and the judgements themselves as pure functions.

use hickory_proto::rr::rdata::SOA;

/// REFRESH, RETRY, EXPIRE and MINIMUM of one SOA, in seconds.
///
/// hickory keeps the first three as `i32`; on the wire they are unsigned
/// 32-bit numbers, and the reference compares them as such, so a value
/// of 2^31 or more is large, not negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SoaTimers {
    /// How often a secondary checks the serial.
    pub refresh: u32,
    /// How long a secondary waits after a failed check.
    pub retry: u32,
    /// How long a secondary serves data it cannot refresh.
    pub expire: u32,
    /// The negative-caching TTL (RFC 2308 §4).
    pub minimum: u32,
}

impl SoaTimers {
    /// The timers of `soa`.
    pub fn of(soa: &SOA) -> Self {
        Self {
            refresh: unsigned(soa.refresh),
            retry: unsigned(soa.retry),
            expire: unsigned(soa.expire),
            minimum: soa.minimum,
        }
    }
}

/// The wire value of a timer hickory holds as `i32`.
fn unsigned(value: i32) -> u32 {
    u32::from_be_bytes(value.to_be_bytes())
}

/// What ZONE05 finds wrong with EXPIRE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpireProblems {
    /// Below `SOA_EXPIRE_MINIMUM_VALUE`.
    pub is_below_minimum: bool,
    /// Below REFRESH: the data expires before it is refreshed.
    pub is_below_refresh: bool,
}

/// ZONE05: EXPIRE against the profile's minimum and against REFRESH.
pub fn expire_problems(timers: SoaTimers, minimum: u64) -> ExpireProblems {
    ExpireProblems {
        is_below_minimum: u64::from(timers.expire) < minimum,
        is_below_refresh: timers.expire < timers.refresh,
    }
}

/// ZONE06's verdict on MINIMUM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MinimumVerdict {
    /// Above `SOA_DEFAULT_TTL_MAXIMUM_VALUE`.
    Higher,
    /// Below `SOA_DEFAULT_TTL_MINIMUM_VALUE`.
    Lower,
    /// Within both bounds (inclusive).
    Ok,
}

/// ZONE06: MINIMUM against the highest and lowest acceptable values; the
/// upper bound is checked first, as the reference does when a profile
/// makes the bounds cross.
pub fn minimum_verdict(minimum: u32, highest: u64, lowest: u64) -> MinimumVerdict {
    let minimum = u64::from(minimum);
    if minimum > highest {
        MinimumVerdict::Higher
    } else if minimum < lowest {
        MinimumVerdict::Lower
    } else {
        MinimumVerdict::Ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::Name;

    fn soa(refresh: i32, retry: i32, expire: i32, minimum: u32) -> SOA {
        let name = Name::from_ascii("ns.example.").unwrap();
        SOA::new(name.clone(), name, 1, refresh, retry, expire, minimum)
    }

    #[test]
    fn timers_are_unsigned_as_on_the_wire() {
        let timers = SoaTimers::of(&soa(-1, i32::MIN, 0, u32::MAX));
        assert_eq!(timers.refresh, u32::MAX);
        assert_eq!(timers.retry, 1 << 31);
        assert_eq!(timers.expire, 0);
        assert_eq!(timers.minimum, u32::MAX);
        assert_eq!(
            SoaTimers::of(&soa(14_400, 3600, 604_800, 300)).refresh,
            14_400
        );
    }

    #[test]
    fn expire_at_the_minimum_is_enough() {
        let timers = SoaTimers::of(&soa(14_400, 3600, 604_800, 300));
        let found = expire_problems(timers, 604_800);
        assert!(!found.is_below_minimum && !found.is_below_refresh);
        let found = expire_problems(timers, 604_801);
        assert!(found.is_below_minimum && !found.is_below_refresh);
    }

    #[test]
    fn expire_below_refresh_and_minimum_are_two_findings() {
        let timers = SoaTimers::of(&soa(86_400, 3600, 3600, 300));
        let found = expire_problems(timers, 604_800);
        assert!(found.is_below_minimum && found.is_below_refresh);
        // Equal to REFRESH is not below it.
        let timers = SoaTimers::of(&soa(3600, 3600, 3600, 300));
        assert!(!expire_problems(timers, 1).is_below_refresh);
        // A huge expire (top bit set) is above everything.
        let timers = SoaTimers::of(&soa(3600, 3600, -2, 300));
        let found = expire_problems(timers, 604_800);
        assert!(!found.is_below_minimum && !found.is_below_refresh);
    }

    #[test]
    fn minimum_bounds_are_inclusive() {
        assert_eq!(minimum_verdict(300, 86_400, 300), MinimumVerdict::Ok);
        assert_eq!(minimum_verdict(86_400, 86_400, 300), MinimumVerdict::Ok);
        assert_eq!(minimum_verdict(299, 86_400, 300), MinimumVerdict::Lower);
        assert_eq!(minimum_verdict(86_401, 86_400, 300), MinimumVerdict::Higher);
        assert_eq!(minimum_verdict(0, 86_400, 300), MinimumVerdict::Lower);
        assert_eq!(
            minimum_verdict(u32::MAX, 86_400, 300),
            MinimumVerdict::Higher
        );
        // Crossed bounds: the upper one wins.
        assert_eq!(minimum_verdict(5000, 3600, 7200), MinimumVerdict::Higher);
    }
}
