//! SOA serial numbers compared with RFC 1982 ("Serial Number Arithmetic")
//! in 32 bits, as ZONE01 compares the primary's serial with the others'.

/// Half the serial space: two serials this far apart are incomparable
/// (RFC 1982 §3.2 leaves the comparison undefined).
const HALF: u32 = 1 << 31;

/// True when `a` is greater than `b` in RFC 1982 terms: `b` is less than
/// half the space behind `a`, counting with wrap-around. Equal serials
/// and the undefined case (exactly half apart) are not greater either
/// way.
pub fn serial_gt(a: u32, b: u32) -> bool {
    let ahead = a.wrapping_sub(b);
    ahead != 0 && ahead < HALF
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_order_within_half_the_space() {
        assert!(serial_gt(2, 1));
        assert!(!serial_gt(1, 2));
        assert!(!serial_gt(7, 7));
        assert!(serial_gt(2_025_010_102, 2_025_010_101));
        assert!(serial_gt(HALF - 1, 0));
    }

    #[test]
    fn wrap_around_makes_a_small_serial_greater() {
        assert!(serial_gt(0, u32::MAX));
        assert!(serial_gt(5, u32::MAX - 5));
        assert!(!serial_gt(u32::MAX, 0));
        assert!(serial_gt(u32::MAX, HALF));
    }

    #[test]
    fn exactly_half_apart_is_undefined_both_ways() {
        assert!(!serial_gt(HALF, 0));
        assert!(!serial_gt(0, HALF));
        assert!(!serial_gt(HALF + 7, 7));
        assert!(!serial_gt(7, HALF + 7));
        // One step either side is defined again.
        assert!(serial_gt(HALF - 1, 0));
        assert!(serial_gt(0, HALF + 1));
    }
}
