//! Domain names as presentation text (RFC 1035 §5.1), written and read
//! back exactly.
//!
//! hickory's reader builds labels through a check that refuses bytes its
//! writer produces (`\/`), and its writer escapes bytes above 0x7e in
//! octal where RFC 1035 says decimal. Recordings must read back every name
//! the network gave us, and RFC 2317 names (`0/25.2.0.192.in-addr.arpa`)
//! must show as users write them, so both directions are ours.

use hickory_proto::rr::Name;

/// Why a presentation name could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameTextError {
    /// A `\` at the end, or `\DDD` with fewer than three digits or over 255.
    #[error("bad escape in `{0}`")]
    Escape(String),
    /// An empty label (two dots in a row, or a leading dot).
    #[error("empty label in `{0}`")]
    EmptyLabel(String),
    /// A label or name over the wire limits.
    #[error("`{0}` exceeds the length limits of a domain name")]
    TooLong(String),
}

/// `name` as presentation text with its final dot (`.` for the root):
/// letters, digits, `-`, `_`, `/` and `*` as they are, other printable
/// bytes as `\c`, the rest as `\DDD`. Case is kept.
pub fn name_to_text(name: &Name) -> String {
    if name.is_root() {
        return ".".to_owned();
    }
    let mut text = String::new();
    for label in name.iter() {
        write_label(label, &mut text);
        text.push('.');
    }
    text
}

/// One label of [`name_to_text`].
pub(crate) fn write_label(label: &[u8], text: &mut String) {
    for &byte in label {
        if byte.is_ascii_alphanumeric() || b"-_/*".contains(&byte) {
            text.push(char::from(byte));
        } else if byte.is_ascii_graphic() {
            text.push('\\');
            text.push(char::from(byte));
        } else {
            text.push_str(&format!("\\{byte:03}"));
        }
    }
}

/// Parses presentation text: `\c` and `\DDD` escapes, labels split on
/// unescaped dots, always fully qualified (`.` or empty is the root).
pub fn parse_name_text(text: &str) -> Result<Name, NameTextError> {
    if text.is_empty() || text == "." {
        return Ok(Name::root());
    }
    let mut labels: Vec<Vec<u8>> = vec![Vec::new()];
    let mut bytes = text.bytes();
    let mut ended_with_dot = false;
    while let Some(byte) = bytes.next() {
        ended_with_dot = false;
        let current = labels
            .last_mut()
            .expect("labels starts non-empty and only grows");
        match byte {
            b'\\' => current.push(unescape(&mut bytes, text)?),
            b'.' => {
                if current.is_empty() {
                    return Err(NameTextError::EmptyLabel(text.to_owned()));
                }
                labels.push(Vec::new());
                ended_with_dot = true;
            }
            other => current.push(other),
        }
    }
    if ended_with_dot {
        labels.pop();
    }
    let mut name = Name::from_labels(labels.iter().map(Vec::as_slice))
        .map_err(|_| NameTextError::TooLong(text.to_owned()))?;
    name.set_fqdn(true);
    Ok(name)
}

/// The byte after a `\`: a character, or three decimal digits.
fn unescape(bytes: &mut std::str::Bytes<'_>, text: &str) -> Result<u8, NameTextError> {
    let bad = || NameTextError::Escape(text.to_owned());
    let first = bytes.next().ok_or_else(bad)?;
    if !first.is_ascii_digit() {
        return Ok(first);
    }
    let mut value = u32::from(first - b'0');
    for _ in 0..2 {
        let digit = bytes.next().filter(u8::is_ascii_digit).ok_or_else(bad)?;
        value = value * 10 + u32::from(digit - b'0');
    }
    u8::try_from(value).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_hickory_writes_reads_back() {
        let names = [
            Name::from_labels([&b"0/25"[..], b"2", b"0", b"192", b"in-addr", b"arpa"]).unwrap(),
            Name::from_labels([&b"a b"[..], b"x\\y", b"\x00\xff", b"se"]).unwrap(),
            Name::from_ascii("WwW.Example.").unwrap(),
            Name::root(),
        ];
        for name in names {
            let text = name_to_text(&name);
            assert_eq!(parse_name_text(&text).unwrap(), name, "{text}");
        }
    }

    #[test]
    fn plain_labels_are_written_as_they_are() {
        let name = Name::from_labels([&b"0/25"[..], b"A b", b"\xff", b"se"]).unwrap();
        assert_eq!(name_to_text(&name), "0/25.A\\032b.\\255.se.");
        assert_eq!(name_to_text(&Name::root()), ".");
    }

    #[test]
    fn escapes_and_dots_are_checked() {
        assert_eq!(parse_name_text("a\\.b.se").unwrap().num_labels(), 2);
        assert_eq!(
            parse_name_text("se").unwrap(),
            Name::from_ascii("se.").unwrap()
        );
        assert!(matches!(
            parse_name_text("a\\"),
            Err(NameTextError::Escape(_))
        ));
        assert!(matches!(
            parse_name_text("a\\25"),
            Err(NameTextError::Escape(_))
        ));
        assert!(matches!(
            parse_name_text("a\\256"),
            Err(NameTextError::Escape(_))
        ));
        assert!(matches!(
            parse_name_text("a..se"),
            Err(NameTextError::EmptyLabel(_))
        ));
        let long = "a".repeat(64);
        assert!(matches!(
            parse_name_text(&long),
            Err(NameTextError::TooLong(_))
        ));
    }
}
