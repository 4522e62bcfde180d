//! Checkers for single config values, one per type in the spec 7.2 table.
//!
//! Each returns the typed value or a short description of what was
//! expected (naming the bounds of a range); the caller adds file, line,
//! section and key.

use std::borrow::Cow;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use ipnet::IpNet;

/// What a checker says when a value is wrong: the expected form.
pub(crate) type Expected = Cow<'static, str>;

/// An integer without sign or leading zeros, within `min..=max`.
pub(crate) fn integer(value: &str, min: u32, max: u32) -> Result<u32, Expected> {
    let expected = || format!("an integer between {min} and {max}, without sign or leading zeros");
    let is_canonical = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value == "0" || !value.starts_with('0'));
    // Digits beyond u32 are out of range too, not malformed.
    let number = value.parse::<u32>().ok().filter(|_| is_canonical);
    match number {
        Some(number) if (min..=max).contains(&number) => Ok(number),
        _ => Err(expected().into()),
    }
}

/// A TCP/UDP port. The reference does not check ports; we want 1–65535.
pub(crate) fn port(value: &str) -> Result<u16, Expected> {
    integer(value, 1, 65535)
        .ok()
        .and_then(|n| u16::try_from(n).ok())
        .ok_or(Cow::Borrowed("a port number between 1 and 65535"))
}

/// `true`/`false`, or the deprecated `yes`/`no`, in any case.
///
/// The second field says whether a deprecated spelling was used, so the
/// caller can warn about it.
pub(crate) fn boolean(value: &str) -> Result<(bool, bool), Expected> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok((true, false)),
        "false" => Ok((false, false)),
        "yes" => Ok((true, true)),
        "no" => Ok((false, true)),
        _ => Err("true or false".into()),
    }
}

/// `DB.polling_interval`: > 0, ≤ 5 integer and ≤ 3 fraction digits.
///
/// Parsed by hand into milliseconds so no float rounding can creep in.
pub(crate) fn polling_interval(value: &str) -> Result<Duration, Expected> {
    const EXPECTED: Expected =
        Cow::Borrowed("a decimal number > 0 with at most 5 integer and 3 fraction digits");
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let shape_ok = !whole.is_empty()
        && whole.len() <= 5
        && fraction.len() <= 3
        && is_digits(whole)
        && is_digits(fraction)
        && !(value.contains('.') && fraction.is_empty());
    if !shape_ok {
        return Err(EXPECTED);
    }
    let whole: u64 = whole.parse().map_err(|_| EXPECTED)?;
    let fraction: u64 = format!("{fraction:0<3}").parse().map_err(|_| EXPECTED)?;
    let millis = whole * 1000 + fraction;
    if millis == 0 {
        return Err(EXPECTED);
    }
    Ok(Duration::from_millis(millis))
}

/// An IP address or an LDH host name (RFC 952/1123 labels).
pub(crate) fn host(value: &str) -> Result<String, Expected> {
    const EXPECTED: Expected = Cow::Borrowed("an LDH host name or an IP address");
    if value.parse::<IpAddr>().is_ok() {
        return Ok(value.to_owned());
    }
    let name = value.strip_suffix('.').unwrap_or(value);
    let is_label = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if !name.is_empty() && name.len() <= 253 && name.split('.').all(is_label) {
        Ok(value.to_owned())
    } else {
        Err(EXPECTED)
    }
}

/// `MYSQL.host` and `POSTGRESQL.host`: a [`host`], or (our documented
/// extension) an absolute path to a Unix socket: for PostgreSQL the
/// directory holding `.s.PGSQL.<port>` (as libpq), for MySQL the socket
/// file or a directory holding `mysqld.sock`.
pub(crate) fn db_host(value: &str) -> Result<String, Expected> {
    if value.starts_with('/') && !value.chars().any(char::is_control) {
        return Ok(value.to_owned());
    }
    host(value)
        .map_err(|_| "an LDH host name, an IP address or an absolute Unix socket path".into())
}

/// `MYSQL.user` and `MYSQL.database`: `[A-Za-z0-9$_]`, 1 to `max` chars.
pub(crate) fn mysql_identifier(value: &str, max: usize) -> Result<String, Expected> {
    let is_allowed = |c: char| c.is_ascii_alphanumeric() || c == '$' || c == '_';
    if (1..=max).contains(&value.len()) && value.chars().all(is_allowed) {
        Ok(value.to_owned())
    } else {
        Err("1 or more of A-Z a-z 0-9 $ _ (at most 80 for users, 64 for databases)".into())
    }
}

/// `POSTGRESQL.user` and `.database`: `^[A-Za-z_][A-Za-z0-9_$]{0,62}$`.
pub(crate) fn postgresql_identifier(value: &str) -> Result<String, Expected> {
    let mut chars = value.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if first_ok && rest_ok && value.len() <= 63 {
        Ok(value.to_owned())
    } else {
        Err("a letter or _ then up to 62 of A-Z a-z 0-9 _ $".into())
    }
}

/// A database password: printable ASCII, ≤ 100 chars, may be empty, but
/// must not start with a space or `<`.
pub(crate) fn password(value: &str) -> Result<String, Expected> {
    let is_printable = value.bytes().all(|b| (0x20..=0x7e).contains(&b));
    let bad_start = value.starts_with(' ') || value.starts_with('<');
    if is_printable && !bad_start && value.len() <= 100 {
        Ok(value.to_owned())
    } else {
        Err("printable ASCII, at most 100 characters, not starting with space or <".into())
    }
}

/// An absolute file system path.
pub(crate) fn absolute_path(value: &str) -> Result<PathBuf, Expected> {
    let path = PathBuf::from(value);
    if !value.is_empty() && path.is_absolute() {
        Ok(path)
    } else {
        Err("an absolute path".into())
    }
}

/// `RPCAPI.trusted_proxies`: IP addresses and CIDR networks separated by
/// commas (spaces allowed); empty means none. An address is its own
/// one-host network.
pub(crate) fn networks(value: &str) -> Result<Vec<IpNet>, Expected> {
    let items = value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty());
    items
        .map(|item| {
            let network = item.parse::<IpAddr>().map(IpNet::from);
            network.or_else(|_| item.parse::<IpNet>()).map_err(|_| {
                format!(
                    "IP addresses or CIDR networks separated by commas, such as \
                     127.0.0.1, ::1, 10.0.0.0/8; `{item}` is neither"
                )
                .into()
            })
        })
        .collect()
}

/// A profile name per spec 3.3, returned lower-cased.
pub(crate) fn profile_name(value: &str) -> Option<String> {
    let name = value.to_ascii_lowercase();
    let is_end = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let is_inner = |b: u8| is_end(b) || b == b'_' || b == b'-';
    let bytes = name.as_bytes();
    let ok = match bytes {
        [only] => is_end(*only),
        [first, middle @ .., last] => {
            bytes.len() <= 32
                && is_end(*first)
                && is_end(*last)
                && middle.iter().all(|&b| is_inner(b))
        }
        [] => false,
    };
    ok.then_some(name)
}

/// A `LANGUAGE.locale` tag `xx_YY`, split into language code and tag.
pub(crate) fn locale_tag(tag: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let ok = bytes.len() == 5
        && bytes.get(2) == Some(&b'_')
        && bytes.iter().take(2).all(u8::is_ascii_lowercase)
        && bytes.iter().skip(3).all(u8::is_ascii_uppercase);
    ok.then(|| tag.get(..2).unwrap_or_default().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_have_no_sign_or_leading_zero() {
        assert_eq!(integer("0", 0, 5), Ok(0));
        assert_eq!(integer("99999", 1, 99999), Ok(99999));
        for bad in ["", "+1", "-1", "01", "1.0", "100000", " 1"] {
            assert!(integer(bad, 0, 99999).is_err(), "{bad}");
        }
        assert!(integer("0", 1, 5).is_err());
    }

    /// Issue 4/13, point 10: a range error names its bounds.
    #[test]
    fn integer_errors_name_the_bounds() {
        for bad in ["0", "256", "4294967296", "01"] {
            let expected = integer(bad, 1, 255).unwrap_err();
            assert_eq!(
                expected, "an integer between 1 and 255, without sign or leading zeros",
                "{bad}"
            );
        }
        assert_eq!(port("0").unwrap_err(), "a port number between 1 and 65535");
    }

    #[test]
    fn ports_are_1_to_65535() {
        assert_eq!(port("3306"), Ok(3306));
        assert!(port("0").is_err());
        assert!(port("65536").is_err());
    }

    #[test]
    fn booleans_flag_deprecated_spellings() {
        assert_eq!(boolean("TRUE"), Ok((true, false)));
        assert_eq!(boolean("No"), Ok((false, true)));
        assert!(boolean("1").is_err());
    }

    #[test]
    fn polling_interval_shapes() {
        assert_eq!(polling_interval("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(
            polling_interval("12345.678").map(|d| d.as_millis()),
            Ok(12_345_678)
        );
        for bad in [
            "0", "0.000", "123456", "1.2345", ".5", "1.", "-1", "1e3", "",
        ] {
            assert!(polling_interval(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hosts() {
        for good in ["localhost", "db.example.com", "192.0.2.1", "::1", "a-b.c."] {
            assert!(host(good).is_ok(), "{good}");
        }
        for bad in ["", "-a.b", "a_b", "a..b", "x y"] {
            assert!(host(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn database_hosts() {
        for good in [
            "localhost",
            "192.0.2.1",
            "/var/run/postgresql",
            "/run/mysqld/mysqld.sock",
        ] {
            assert!(db_host(good).is_ok(), "{good}");
        }
        for bad in ["", "relative/dir", "a_b", "/x\ny"] {
            assert!(db_host(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn database_identifiers() {
        assert!(mysql_identifier("zonemaster$_1", 80).is_ok());
        assert!(mysql_identifier("", 80).is_err());
        assert!(mysql_identifier(&"a".repeat(65), 64).is_err());
        assert!(postgresql_identifier("_zm$1").is_ok());
        assert!(postgresql_identifier("1zm").is_err());
        assert!(postgresql_identifier(&"a".repeat(64)).is_err());
    }

    #[test]
    fn passwords() {
        assert!(password("").is_ok());
        assert!(password("s3cr3t >").is_ok());
        for bad in [" x", "<x", "tab\t", "é"] {
            assert!(password(bad).is_err(), "{bad}");
        }
        assert!(password(&"a".repeat(101)).is_err());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let parsed = networks(" 127.0.0.1, ::1,10.0.0.0/8 ,").unwrap();
        let texts: Vec<String> = parsed.iter().map(ToString::to_string).collect();
        assert_eq!(texts, ["127.0.0.1/32", "::1/128", "10.0.0.0/8"]);
        assert_eq!(networks("").unwrap(), []);
        for bad in ["localhost", "10.0.0.0/33", "127.0.0.1 ::1"] {
            let expected = networks(bad).unwrap_err();
            assert!(expected.contains("is neither"), "{bad}: {expected}");
        }
    }

    #[test]
    fn profile_names_and_locales() {
        assert_eq!(
            profile_name("Test_Profile-1"),
            Some("test_profile-1".into())
        );
        assert_eq!(profile_name("a"), Some("a".into()));
        assert_eq!(profile_name("-a"), None);
        assert_eq!(profile_name(&"a".repeat(33)), None);
        assert_eq!(locale_tag("sv_SE"), Some("sv".into()));
        assert_eq!(locale_tag("sv-SE"), None);
        assert_eq!(locale_tag("SV_se"), None);
    }
}
