//! Input domain names: checked and normalised once, at the edge (engine
//! spec §1.6). The error variants carry the spec's tags, so the CLI and the
//! API report the same thing the reference does.
//!
//! Non-ASCII labels go through the `idna` crate's UTS 46 processing with
//! STD3 rules (non-transitional, so `ß` stays `ß`). UTS 46 is more lenient
//! than IDNA2008 (libidn2, which the reference uses): it maps some code
//! points away and admits symbols. So we also require every code point of
//! the label to be a letter, mark, decimal digit or `-` (IDNA2008's PVALID
//! is drawn from these categories) and the conversion to round-trip.

use hickory_proto::rr::Name;

/// Why a name was rejected; `tag()` gives the spec's tag.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing was given.
    #[error("the domain name is empty")]
    Empty,
    /// U+0130 has no agreed lower case.
    #[error("`{0}` contains U+0130 (İ), whose lower case is ambiguous")]
    AmbiguousDowncasing(String),
    /// Starts with a dot.
    #[error("the domain name starts with a dot")]
    InitialDot,
    /// Two dots in a row.
    #[error("the domain name has two or more consecutive dots")]
    RepeatedDots,
    /// An ASCII label with characters outside `[A-Za-z0-9/_-]`.
    #[error("label `{0}` has characters other than letters, digits, `-`, `_` and `/`")]
    InvalidAscii(String),
    /// A non-ASCII label IDNA cannot convert.
    #[error("label `{0}` is not a valid internationalised label")]
    InvalidULabel(String),
    /// A label over 63 octets.
    #[error("label `{0}` is longer than 63 octets")]
    LabelTooLong(String),
    /// A name over 253 characters.
    #[error("the domain name is longer than 253 characters")]
    TooLong,
}

impl NameError {
    /// The Zonemaster tag for this error.
    pub fn tag(&self) -> &'static str {
        match self {
            Self::Empty => "EMPTY_DOMAIN_NAME",
            Self::AmbiguousDowncasing(_) => "AMBIGUOUS_DOWNCASING",
            Self::InitialDot => "INITIAL_DOT",
            Self::RepeatedDots => "REPEATED_DOTS",
            Self::InvalidAscii(_) => "INVALID_ASCII",
            Self::InvalidULabel(_) => "INVALID_U_LABEL",
            Self::LabelTooLong(_) => "LABEL_TOO_LONG",
            Self::TooLong => "DOMAIN_NAME_TOO_LONG",
        }
    }
}

/// The white space clients trim (spec §1.6 step 1).
fn is_trimmed_space(c: char) -> bool {
    matches!(
        c,
        '\u{20}' | '\u{09}' | '\u{A0}' | '\u{2000}'
            ..='\u{200A}' | '\u{205F}' | '\u{3000}' | '\u{1680}'
    )
}

/// Normalises `input` to the lower-case A-label form without final dot
/// (`.` for the root), trimming surrounding white space first.
pub fn normalize(input: &str) -> Result<String, NameError> {
    let trimmed = input.trim_matches(is_trimmed_space);
    if trimmed.is_empty() {
        return Err(NameError::Empty);
    }
    if trimmed.contains('\u{130}') {
        return Err(NameError::AmbiguousDowncasing(trimmed.to_owned()));
    }
    let dotted: String = trimmed
        .chars()
        .map(|c| {
            if matches!(c, '\u{FF0E}' | '\u{3002}' | '\u{FF61}') {
                '.'
            } else {
                c
            }
        })
        .collect();
    if dotted == "." {
        return Ok(".".to_owned());
    }
    if dotted.starts_with('.') {
        return Err(NameError::InitialDot);
    }
    if dotted.contains("..") {
        return Err(NameError::RepeatedDots);
    }
    let without_final_dot = dotted.strip_suffix('.').unwrap_or(&dotted);
    let labels = without_final_dot
        .split('.')
        .map(normalize_label)
        .collect::<Result<Vec<_>, _>>()?;
    let name = labels.join(".");
    if name.len() > 253 {
        return Err(NameError::TooLong);
    }
    Ok(name)
}

fn normalize_label(label: &str) -> Result<String, NameError> {
    let converted = if label.is_ascii() {
        if !label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/'))
        {
            return Err(NameError::InvalidAscii(label.to_owned()));
        }
        label.to_ascii_lowercase()
    } else {
        let lower = icu_normalizer::ComposingNormalizerBorrowed::new_nfc()
            .normalize(&label.to_lowercase())
            .into_owned();
        let invalid = || NameError::InvalidULabel(label.to_owned());
        if !lower.chars().all(is_idna2008_candidate) {
            return Err(invalid());
        }
        let ascii = idna::domain_to_ascii_strict(&lower).map_err(|_| invalid())?;
        let (unicode, result) = idna::domain_to_unicode(&ascii);
        if result.is_err() || unicode != lower.as_str() {
            return Err(invalid());
        }
        ascii
    };
    if converted.len() > 63 {
        return Err(NameError::LabelTooLong(converted));
    }
    Ok(converted)
}

/// Letters, marks, decimal digits and `-`: where IDNA2008 finds PVALID.
fn is_idna2008_candidate(c: char) -> bool {
    use icu_properties::CodePointMapData;
    use icu_properties::props::GeneralCategory as Category;
    if c == '-' || c.is_ascii_alphanumeric() {
        return true;
    }
    matches!(
        CodePointMapData::<Category>::new().get(c),
        Category::LowercaseLetter
            | Category::OtherLetter
            | Category::ModifierLetter
            | Category::NonspacingMark
            | Category::SpacingMark
            | Category::DecimalNumber
    )
}

/// Normalises `input` and turns it into a fully qualified [`Name`].
pub fn parse_domain(input: &str) -> Result<Name, NameError> {
    let normalized = normalize(input)?;
    to_name(&normalized)
}

/// A normalised name as a hickory [`Name`], built from its labels' raw
/// bytes: hickory's text parser refuses `/` (RFC 2317 classless
/// delegations such as `0/25.2.0.192.in-addr.arpa`), which spec §1.6
/// allows.
fn to_name(normalized: &str) -> Result<Name, NameError> {
    if normalized == "." {
        return Ok(Name::root());
    }
    let mut name = Name::from_labels(normalized.split('.').map(str::as_bytes))
        .map_err(|_| NameError::InvalidAscii(normalized.to_owned()))?;
    name.set_fqdn(true);
    Ok(name)
}

/// `name` as Zonemaster writes it: lower case, no final dot, `.` for root
/// (RFC 2317's `/` kept as it is).
pub fn display(name: &Name) -> String {
    let text = crate::dns::name_to_text(&name.to_lowercase());
    match text.strip_suffix('.') {
        Some(relative) if !relative.is_empty() => relative.to_owned(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_names_are_lowercased_without_final_dot() {
        assert_eq!(normalize(" Example.SE. ").unwrap(), "example.se");
        assert_eq!(normalize(".").unwrap(), ".");
        assert_eq!(normalize("_dmarc.x/y.se").unwrap(), "_dmarc.x/y.se");
    }

    #[test]
    fn unicode_names_become_a_labels() {
        assert_eq!(normalize("Räksmörgås.SE").unwrap(), "xn--rksmrgs-5wao1o.se");
        assert_eq!(normalize("exa\u{3002}mple").unwrap(), "exa.mple");
        let decomposed = "ra\u{308}ksmo\u{308}rga\u{30a}s.se";
        assert_eq!(normalize(decomposed).unwrap(), "xn--rksmrgs-5wao1o.se");
    }

    #[test]
    fn each_error_has_its_tag() {
        let tag = |input: &str| normalize(input).unwrap_err().tag();
        assert_eq!(tag(""), "EMPTY_DOMAIN_NAME");
        assert_eq!(tag("\u{130}.se"), "AMBIGUOUS_DOWNCASING");
        assert_eq!(tag(".se"), "INITIAL_DOT");
        assert_eq!(tag("a..se"), "REPEATED_DOTS");
        assert_eq!(tag("a b.se"), "INVALID_ASCII");
        assert_eq!(tag("a\u{0}.se"), "INVALID_ASCII");
        assert_eq!(tag("\u{2764}\u{FE0F}x.se"), "INVALID_U_LABEL");
        assert_eq!(tag(&format!("{}.se", "a".repeat(64))), "LABEL_TOO_LONG");
        let long = vec!["a".repeat(60); 5].join(".");
        assert_eq!(tag(&long), "DOMAIN_NAME_TOO_LONG");
    }

    #[test]
    fn display_is_lowercase_without_dot() {
        assert_eq!(
            display(&Name::from_ascii("NS1.Example.").unwrap()),
            "ns1.example"
        );
        assert_eq!(display(&Name::root()), ".");
    }

    /// Issue 8 (4/13), point 5: RFC 2317 names are accepted and shown as given.
    #[test]
    fn classless_reverse_names_are_domains() {
        let name = parse_domain("0/25.2.0.192.IN-ADDR.ARPA.").unwrap();
        assert_eq!(name.num_labels(), 6);
        assert_eq!(display(&name), "0/25.2.0.192.in-addr.arpa");
        let child = Name::from_ascii("ns1.")
            .unwrap()
            .append_domain(&name)
            .unwrap();
        assert!(name.zone_of(&child));
        // What we show reads back as the same name.
        assert_eq!(crate::dns::parse_name_text(&display(&name)).unwrap(), name);
    }
}
