//! `asn_db.style` and `asn_db.sources`: which ASN lookup service
//! CONNECTIVITY03/04 use and where to find it (engine spec §1.4, §1.12).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use super::error::ProfileError;
use super::values;

/// The ASN lookup service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AsnStyle {
    /// Team Cymru's DNS interface (TXT under `origin.`/`origin6.`).
    Cymru,
    /// RIPE's RISwhois over WHOIS (TCP 43).
    Ripe,
}

impl AsnStyle {
    /// The stored spelling: lower case, as the reference keeps it.
    pub const fn as_str(self) -> &'static str {
        match self {
            AsnStyle::Cymru => "cymru",
            AsnStyle::Ripe => "ripe",
        }
    }

    /// Reads `Cymru`/`RIPE` in any case.
    fn from_text(text: &str) -> Option<Self> {
        [AsnStyle::Cymru, AsnStyle::Ripe]
            .into_iter()
            .find(|style| style.as_str().eq_ignore_ascii_case(text))
    }

    /// Reads `asn_db.style`.
    pub(super) fn parse(path: &str, value: &Value) -> Result<Self, ProfileError> {
        let text = values::string(path, value)?;
        Self::from_text(text).ok_or_else(|| ProfileError::UnknownAsnStyle {
            path: path.to_owned(),
            value: text.to_owned(),
        })
    }
}

impl fmt::Display for AsnStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Style → host names to try in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsnSources {
    sources: BTreeMap<AsnStyle, Vec<String>>,
}

impl Default for AsnSources {
    /// The code default of spec §1.4.
    fn default() -> Self {
        let cymru = vec![
            "asnlookup.zonemaster.net".to_owned(),
            "asn.cymru.com".to_owned(),
        ];
        let ripe = vec!["riswhois.ripe.net".to_owned()];
        Self {
            sources: BTreeMap::from([(AsnStyle::Cymru, cymru), (AsnStyle::Ripe, ripe)]),
        }
    }
}

/// True for a host name of at most 255 characters whose labels match
/// `[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?` (upper case accepted, stored lower).
fn is_host_name(name: &str) -> bool {
    let is_label = |label: &str| {
        let bytes = label.as_bytes();
        let is_inner = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-';
        matches!((bytes.first(), bytes.last()), (Some(first), Some(last))
            if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric())
            && bytes.len() <= 63
            && bytes.iter().all(is_inner)
    };
    name.len() <= 255 && name.split('.').all(is_label)
}

impl AsnSources {
    /// Reads `asn_db.sources`; a style left out has no sources.
    pub(super) fn parse(path: &str, value: &Value) -> Result<Self, ProfileError> {
        let mut sources = BTreeMap::new();
        for (key, names) in values::object(path, value)? {
            let key_path = values::child(path, key);
            let style = AsnStyle::from_text(key).ok_or(ProfileError::UnknownProperty {
                path: key_path.clone(),
            })?;
            let names = values::list(&key_path, names)?;
            if names.is_empty() {
                return Err(ProfileError::NoAsnSources { path: key_path });
            }
            let names = names
                .iter()
                .enumerate()
                .map(|(index, name)| Self::parse_source(&values::item(&key_path, index), name))
                .collect::<Result<Vec<_>, _>>()?;
            sources.insert(style, names);
        }
        Ok(Self { sources })
    }

    fn parse_source(path: &str, value: &Value) -> Result<String, ProfileError> {
        let name = values::string(path, value)?;
        if is_host_name(name) {
            Ok(name.to_ascii_lowercase())
        } else {
            Err(ProfileError::BadAsnSource {
                path: path.to_owned(),
                value: name.to_owned(),
            })
        }
    }

    /// The sources of `style`, in the order to try them (empty if none).
    pub fn of(&self, style: AsnStyle) -> &[String] {
        self.sources.get(&style).map_or(&[], Vec::as_slice)
    }

    /// The JSON form, keys lower-case.
    pub(super) fn to_json(&self) -> Value {
        let map: Map<String, Value> = self
            .sources
            .iter()
            .map(|(style, names)| (style.as_str().to_owned(), Value::from(names.clone())))
            .collect();
        Value::Object(map)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn styles_are_read_in_any_case_and_stored_lower_case() {
        assert_eq!(
            AsnStyle::parse("asn_db.style", &json!("Cymru")).unwrap(),
            AsnStyle::Cymru
        );
        assert_eq!(
            AsnStyle::parse("asn_db.style", &json!("ripe"))
                .unwrap()
                .to_string(),
            "ripe"
        );
        let error = AsnStyle::parse("asn_db.style", &json!("whois")).unwrap_err();
        assert!(error.to_string().contains("`whois`"));
    }

    #[test]
    fn sources_are_checked_host_names() {
        let sources = AsnSources::parse("s", &json!({"RIPE": ["RisWhois.ripe.net"]})).unwrap();
        assert_eq!(sources.of(AsnStyle::Ripe), ["riswhois.ripe.net"]);
        assert!(sources.of(AsnStyle::Cymru).is_empty());
        for bad in [
            "-a.example",
            "a-.example",
            "a..example",
            "a_b.example",
            "",
            "a.example.",
        ] {
            let error = AsnSources::parse("s", &json!({ "cymru": [bad] })).unwrap_err();
            assert!(matches!(error, ProfileError::BadAsnSource { .. }), "{bad}");
        }
        let long_label = "a".repeat(64);
        assert!(AsnSources::parse("s", &json!({ "cymru": [long_label] })).is_err());
    }

    #[test]
    fn source_lists_must_not_be_empty_and_keys_must_be_styles() {
        let error = AsnSources::parse("asn_db.sources", &json!({"Cymru": []})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "profile property `asn_db.sources.Cymru` must list at least one source"
        );
        let error =
            AsnSources::parse("asn_db.sources", &json!({"Whois": ["a.example"]})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown profile property `asn_db.sources.Whois`"
        );
    }

    #[test]
    fn the_default_tries_zonemaster_then_cymru() {
        let sources = AsnSources::default();
        assert_eq!(
            sources.of(AsnStyle::Cymru),
            ["asnlookup.zonemaster.net", "asn.cymru.com"]
        );
        assert_eq!(sources.to_json()["ripe"], json!(["riswhois.ripe.net"]));
    }
}
