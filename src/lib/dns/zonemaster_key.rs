//! The query key of a Zonemaster recording, computed from a query.
//!
//! A Zonemaster `.data` file stores each reply under a digest of the query
//! the reference engine sent: base64 without padding of the MD5 of
//!
//! ```text
//! NAME<name>TYPE<T>CLASS<C>DNSSEC<0|1>USEVC<0|1>RECURSE<0|1>
//! [EDNS_VERSION<v>EDNS_Z<z>EDNS_EXTENDED_RCODE<rc>EDNS_DATA<data>]EDNS_UDP_SIZE<size>
//! ```
//!
//! (one line, the bracket only for queries built with explicit EDNS
//! details; `shared/conformance/README.md`, "Recorded traffic"). The digest
//! cannot be inverted, so replaying without the companion index means
//! computing, for each query we ask, the keys the reference would have
//! filed it under. Several spellings are possible for one query on the
//! wire (name case and final dot, with or without the bracket, an old
//! engine's EDNS size 0 for DNSSEC queries), so [`zonemaster_keys`] gives
//! every candidate, most likely first.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD as BASE64_NO_PAD;
use hickory_proto::rr::{DNSClass, RecordType};
use md5::{Digest, Md5};

use super::name_text::name_to_text;
use super::query::{Edns, Protocol, Query};

/// The fields a Zonemaster query key is computed from, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZonemasterKey {
    /// The name as the engine passed it: no final dot, `.` for the root.
    pub name: String,
    /// Type mnemonic in upper case (`TYPE65280` for unnamed types).
    pub rtype: String,
    /// Class mnemonic in upper case.
    pub class: String,
    /// The DO bit.
    pub dnssec: bool,
    /// TCP ("use virtual circuit").
    pub usevc: bool,
    /// The RD bit.
    pub recurse: bool,
    /// The bracketed part, for queries built with explicit EDNS details.
    pub edns: Option<ZonemasterEdns>,
    /// Advertised EDNS UDP size; 0 for a query without EDNS.
    pub edns_size: u16,
}

/// Explicit EDNS details of a Zonemaster query key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZonemasterEdns {
    /// EDNS version.
    pub version: u8,
    /// The Z flag bits.
    pub z: u16,
    /// Upper bits of the extended RCODE.
    pub rcode: u8,
    /// OPT data as the reference writes it: empty, or one option header
    /// (code, zero length) read as a decimal number (see [`edns_data_of`]).
    pub data: String,
}

impl ZonemasterKey {
    /// The key: base64 (no padding) of the MD5 of the fields' string.
    pub fn digest(&self) -> String {
        let mut text = format!(
            "NAME{}TYPE{}CLASS{}DNSSEC{}USEVC{}RECURSE{}",
            self.name,
            self.rtype,
            self.class,
            u8::from(self.dnssec),
            u8::from(self.usevc),
            u8::from(self.recurse)
        );
        if let Some(edns) = &self.edns {
            text.push_str(&format!(
                "EDNS_VERSION{}EDNS_Z{}EDNS_EXTENDED_RCODE{}EDNS_DATA{}",
                edns.version, edns.z, edns.rcode, edns.data
            ));
        }
        text.push_str(&format!("EDNS_UDP_SIZE{}", self.edns_size));
        BASE64_NO_PAD.encode(Md5::digest(text.as_bytes()))
    }
}

/// Every key under which a Zonemaster recording may hold `query`, most
/// likely first, without duplicates.
///
/// Names are tried as sent and lower-cased, without and with the final
/// dot (the reference passed some names straight from record data). An
/// EDNS query is tried without the bracket when its fields are the
/// defaults a plain query gets, then with it; a DNSSEC query also under
/// EDNS size 0, as older recordings file those.
pub fn zonemaster_keys(query: &Query) -> Vec<String> {
    let mut keys = Vec::new();
    for shape in shapes(query.edns.as_ref()) {
        for name in name_spellings(query) {
            let key = ZonemasterKey {
                name,
                rtype: type_mnemonic(query.rtype),
                class: class_mnemonic(query.class),
                dnssec: query.edns.as_ref().is_some_and(|edns| edns.dnssec_ok),
                usevc: query.protocol == Protocol::Tcp,
                recurse: query.rd,
                edns: shape.edns.clone(),
                edns_size: shape.edns_size,
            }
            .digest();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// The EDNS part of one candidate key.
struct Shape {
    edns: Option<ZonemasterEdns>,
    edns_size: u16,
}

fn shapes(edns: Option<&Edns>) -> Vec<Shape> {
    let Some(edns) = edns else {
        return vec![Shape {
            edns: None,
            edns_size: 0,
        }];
    };
    let mut shapes = Vec::new();
    let is_plain = edns.version == 0 && edns.z == 0 && edns.extended_rcode == 0;
    if is_plain && edns.options.is_empty() {
        shapes.push(Shape {
            edns: None,
            edns_size: edns.udp_size,
        });
        if edns.dnssec_ok && edns.udp_size != 0 {
            shapes.push(Shape {
                edns: None,
                edns_size: 0,
            });
        }
    }
    if let Some(data) = edns_data_of(&edns.options) {
        shapes.push(Shape {
            edns: Some(ZonemasterEdns {
                version: edns.version,
                z: edns.z,
                rcode: edns.extended_rcode,
                data,
            }),
            edns_size: edns.udp_size,
        });
    }
    shapes
}

/// `EDNS_DATA` for our options: empty for none; for one option without
/// data, its four-octet header (code, zero length) read as a big-endian
/// number, which is how the reference logs the OPT rdata it was given
/// (`8978432` is option 137). Other option lists have no known spelling.
pub fn edns_data_of(options: &[(u16, Vec<u8>)]) -> Option<String> {
    match options {
        [] => Some(String::new()),
        [(code, data)] if data.is_empty() => Some((u32::from(*code) << 16).to_string()),
        _ => None,
    }
}

/// The query name without its final dot, then with it; each as sent and
/// lower-cased.
fn name_spellings(query: &Query) -> Vec<String> {
    let text = name_to_text(&query.name);
    let bare = match text.strip_suffix('.') {
        Some("") | None => text.clone(),
        Some(bare) => bare.to_owned(),
    };
    let mut spellings = Vec::new();
    for name in [
        bare.clone(),
        bare.to_ascii_lowercase(),
        text.clone(),
        text.to_ascii_lowercase(),
    ] {
        if !spellings.contains(&name) {
            spellings.push(name);
        }
    }
    spellings
}

/// Upper-case mnemonic; `TYPEn` (RFC 3597 §5) where hickory has no name.
pub fn type_mnemonic(rtype: RecordType) -> String {
    match rtype {
        RecordType::Unknown(_) | RecordType::ZERO => format!("TYPE{}", u16::from(rtype)),
        named => named.to_string(),
    }
}

/// Reads a type mnemonic of [`type_mnemonic`], `TYPEn` included.
pub fn parse_type_mnemonic(text: &str) -> Option<RecordType> {
    match text.strip_prefix("TYPE").map(str::parse::<u16>) {
        Some(Ok(code)) => Some(RecordType::from(code)),
        _ => text.parse().ok(),
    }
}

/// Upper-case mnemonic; `CLASSn` (RFC 3597) for others.
pub fn class_mnemonic(class: DNSClass) -> String {
    match class {
        DNSClass::IN => "IN".to_owned(),
        DNSClass::CH => "CH".to_owned(),
        DNSClass::HS => "HS".to_owned(),
        DNSClass::NONE => "NONE".to_owned(),
        DNSClass::ANY => "ANY".to_owned(),
        other => format!("CLASS{}", u16::from(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::Name;

    fn query(name: &str, rtype: RecordType) -> Query {
        Query::new(Name::from_ascii(name).unwrap(), rtype)
    }

    /// Keys taken from the conformance index files.
    #[test]
    fn plain_tcp_recursive_and_chaos_queries_give_the_recorded_keys() {
        let keys = |query: Query| zonemaster_keys(&query);
        assert_eq!(
            keys(query("se.", RecordType::SOA))[0],
            "6mX4k1tezHC5iElg0RYnCw"
        );
        assert_eq!(
            keys(Query::new(Name::root(), RecordType::SOA))[0],
            "9kfShNTLVy4wDehBPdpCXg"
        );
        assert_eq!(
            keys(query("afnic.fr.", RecordType::SOA).over(Protocol::Tcp))[0],
            "G5mY7b4q1l50Mf6YfNGUtg"
        );
        assert_eq!(
            keys(query("version.server.", RecordType::TXT).in_class(DNSClass::CH))[0],
            "GbUYvyjHYlTg52jPkARwQA"
        );
        let recursive = keys(query("se.", RecordType::SOA).recursive());
        assert!(!recursive.contains(&"6mX4k1tezHC5iElg0RYnCw".to_owned()));
    }

    #[test]
    fn a_dnssec_query_is_filed_under_1232_or_under_the_old_size_0() {
        let keys = zonemaster_keys(&query("se.", RecordType::CDS).with_dnssec());
        assert_eq!(keys[0], "DLNhDYvFXT6Y5obPzJs0XQ");
        let old = zonemaster_keys(&query("y.nu.", RecordType::DNSKEY).with_dnssec());
        assert!(
            old.contains(&"jSDWz3a4NqWZDKTXN7hjoA".to_owned()),
            "{old:?}"
        );
    }

    #[test]
    fn explicit_edns_is_tried_with_the_bracket_and_its_option_as_a_number() {
        let plain =
            zonemaster_keys(&query("bemacom.se.", RecordType::SOA).with_edns(Edns::with_size(512)));
        assert!(
            plain.contains(&"fkoLPsT6NfuOPorPhidXdg".to_owned()),
            "{plain:?}"
        );
        let mut edns = Edns::with_size(512);
        edns.options = vec![(137, Vec::new())];
        let with_option = zonemaster_keys(&query("bemacom.se.", RecordType::SOA).with_edns(edns));
        assert_eq!(with_option.len(), 2, "bare and dotted name, bracket only");
        assert_eq!(with_option[0], "oQQtpyGjdcwWGxYw0237qQ");
    }

    #[test]
    fn names_are_tried_as_sent_lower_cased_and_with_the_final_dot() {
        let keys = zonemaster_keys(&query("MX4.nic.fr.", RecordType::CNAME));
        assert_eq!(keys.len(), 4);
        assert!(
            keys.contains(&"Rfpkr0zaZPr+IFWiqgpoCw".to_owned()),
            "{keys:?}"
        );
        let upper = ZonemasterKey {
            name: "INCONSISTENT-SPF.zone11.xa".to_owned(),
            rtype: "TXT".to_owned(),
            class: "IN".to_owned(),
            dnssec: false,
            usevc: false,
            recurse: false,
            edns: None,
            edns_size: 0,
        };
        assert_eq!(upper.digest(), "AW5wry2UdEBzuxhex8kpGQ");
        let asked = zonemaster_keys(&query("INCONSISTENT-SPF.zone11.xa.", RecordType::TXT));
        assert_eq!(asked[0], "AW5wry2UdEBzuxhex8kpGQ");
    }

    #[test]
    fn option_lists_and_types_without_a_spelling() {
        assert_eq!(edns_data_of(&[]), Some(String::new()));
        assert_eq!(
            edns_data_of(&[(137, Vec::new())]),
            Some("8978432".to_owned())
        );
        assert_eq!(edns_data_of(&[(10, vec![1, 2])]), None);
        let mut edns = Edns::with_size(512);
        edns.options = vec![(10, vec![1, 2])];
        assert!(zonemaster_keys(&query("se.", RecordType::SOA).with_edns(edns)).is_empty());
        assert_eq!(type_mnemonic(RecordType::Unknown(65280)), "TYPE65280");
        assert_eq!(
            parse_type_mnemonic("TYPE65280"),
            Some(RecordType::Unknown(65280))
        );
        assert_eq!(
            parse_type_mnemonic("NSEC3PARAM"),
            Some(RecordType::NSEC3PARAM)
        );
        assert_eq!(parse_type_mnemonic("BOGUS"), None);
        assert_eq!(class_mnemonic(DNSClass::CH), "CH");
    }
}
