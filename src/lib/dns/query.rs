//! The question we send: name, type, class, header bits, EDNS, protocol.
//!
//! A [`Query`] is a complete description of the bytes put on the wire (bar
//! the message ID), so it doubles as the cache key: two queries that differ
//! in any bit are different questions to a name server under test.

use std::net::IpAddr;

use hickory_proto::rr::{DNSClass, Name, RecordType};
use serde::{Deserialize, Serialize};

/// Plain DNS message size limit without EDNS (RFC 1035 §2.3.4).
pub const PLAIN_DNS_SIZE: u16 = 512;
/// EDNS payload size used for DNSSEC queries (the DNS flag day 2020 value).
pub const DNSSEC_EDNS_SIZE: u16 = 1232;
/// Payload size of the "big packet" retry after truncation.
pub const BIG_EDNS_SIZE: u16 = 4096;

/// UDP or TCP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// Datagrams, subject to truncation.
    Udp,
    /// A stream with two-octet length prefixes (RFC 1035 §4.2.2).
    Tcp,
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Udp => "UDP",
            Self::Tcp => "TCP",
        })
    }
}

/// The OPT pseudo-record of a query (RFC 6891 §6.1), every field settable.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edns {
    /// Advertised UDP payload size; any value, including below 512.
    pub udp_size: u16,
    /// EDNS version; anything above 0 should draw BADVERS.
    pub version: u8,
    /// The DO bit (RFC 3225).
    pub dnssec_ok: bool,
    /// The 15 flag bits after DO, as they go on the wire.
    pub z: u16,
    /// Upper eight bits of the extended RCODE; zero in a normal query.
    pub extended_rcode: u8,
    /// Options as (code, data), written in this order.
    pub options: Vec<(u16, Vec<u8>)>,
}

impl Edns {
    /// EDNS version 0 with the given payload size and nothing else.
    pub fn with_size(udp_size: u16) -> Self {
        Self {
            udp_size,
            version: 0,
            dnssec_ok: false,
            z: 0,
            extended_rcode: 0,
            options: Vec::new(),
        }
    }

    /// The DNSSEC default: version 0, DO set, 1232 octets.
    pub fn dnssec() -> Self {
        Self {
            dnssec_ok: true,
            ..Self::with_size(DNSSEC_EDNS_SIZE)
        }
    }
}

/// One question to one name server, fully specified.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Query {
    /// The name as it goes on the wire; case is kept (0x20 tests, replay).
    #[serde(with = "name_text")]
    pub name: Name,
    /// Query type, open: unknown codes are fine.
    #[serde(with = "rtype_number")]
    pub rtype: RecordType,
    /// Query class; CH is used for server identity queries.
    #[serde(with = "class_number")]
    pub class: DNSClass,
    /// Recursion desired.
    pub rd: bool,
    /// Checking disabled.
    pub cd: bool,
    /// Authentic data.
    pub ad: bool,
    /// `None` sends no OPT record at all.
    pub edns: Option<Edns>,
    /// Where the first attempt goes; UDP may still fall back to TCP.
    pub protocol: Protocol,
    /// Keep a truncated UDP reply as it came, with no retry over EDNS 4096
    /// or TCP whatever the profile's `fallback` says: NAMESERVER13 judges
    /// the truncated reply itself (engine spec §3.7).
    #[serde(default)]
    pub keeps_truncated: bool,
    /// Accept a reply with our ID from another address than the one
    /// asked (its address is then [`crate::dns::Response::from`]); a
    /// normal query sets it aside as a stray. NAMESERVER04 reports where
    /// the reply came from (engine spec §3.7).
    #[serde(default)]
    pub accepts_other_source: bool,
}

impl Query {
    /// A plain, non-recursive UDP query without EDNS, class IN.
    pub fn new(name: Name, rtype: RecordType) -> Self {
        Self {
            name,
            rtype,
            class: DNSClass::IN,
            rd: false,
            cd: false,
            ad: false,
            edns: None,
            protocol: Protocol::Udp,
            keeps_truncated: false,
            accepts_other_source: false,
        }
    }

    /// The same query with the DNSSEC default EDNS (DO, 1232).
    pub fn with_dnssec(mut self) -> Self {
        self.edns = Some(Edns::dnssec());
        self
    }

    /// The same query with the given OPT record.
    pub fn with_edns(mut self, edns: Edns) -> Self {
        self.edns = Some(edns);
        self
    }

    /// The same query over the given protocol.
    pub fn over(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// The same query with another class.
    pub fn in_class(mut self, class: DNSClass) -> Self {
        self.class = class;
        self
    }

    /// The same query with RD set.
    pub fn recursive(mut self) -> Self {
        self.rd = true;
        self
    }

    /// The same query without truncation fallback: a TC reply is the
    /// outcome.
    pub fn keeping_truncated(mut self) -> Self {
        self.keeps_truncated = true;
        self
    }

    /// The same query, accepting a reply from any source address.
    pub fn from_any_source(mut self) -> Self {
        self.accepts_other_source = true;
        self
    }

    /// The largest reply the server may send us over UDP.
    pub fn udp_limit(&self) -> u16 {
        self.edns
            .as_ref()
            .map_or(PLAIN_DNS_SIZE, |edns| edns.udp_size.max(PLAIN_DNS_SIZE))
    }

    /// The query as wire bytes with the given message ID.
    ///
    /// Written by hand rather than through hickory's encoder so that every
    /// OPT field (sizes below 512, Z bits, option bytes) goes out as given.
    pub fn to_wire(&self, id: u16) -> Vec<u8> {
        let mut wire = Vec::with_capacity(64);
        wire.extend_from_slice(&id.to_be_bytes());
        let mut flags: u16 = 0;
        if self.rd {
            flags |= 0x0100;
        }
        if self.ad {
            flags |= 0x0020;
        }
        if self.cd {
            flags |= 0x0010;
        }
        wire.extend_from_slice(&flags.to_be_bytes());
        let additional: u16 = u16::from(self.edns.is_some());
        for count in [1u16, 0, 0, additional] {
            wire.extend_from_slice(&count.to_be_bytes());
        }
        write_name(&mut wire, &self.name);
        wire.extend_from_slice(&u16::from(self.rtype).to_be_bytes());
        wire.extend_from_slice(&u16::from(self.class).to_be_bytes());
        if let Some(edns) = &self.edns {
            write_opt(&mut wire, edns);
        }
        wire
    }

    /// The cache key of this query sent to `server`.
    pub fn key(&self, server: IpAddr) -> QueryKey {
        QueryKey {
            server,
            name_as_sent: self.name.to_ascii(),
            query: self.clone(),
        }
    }

    /// The same packet with the other settings of the flags that only
    /// change how its reply is read (`keeps_truncated`,
    /// `accepts_other_source`): the three variants that go on the wire
    /// exactly as this one does.
    pub fn siblings(&self) -> impl Iterator<Item = Query> + '_ {
        [(false, false), (false, true), (true, false), (true, true)]
            .into_iter()
            .filter(|(keeps, accepts)| {
                (*keeps, *accepts) != (self.keeps_truncated, self.accepts_other_source)
            })
            .map(|(keeps_truncated, accepts_other_source)| Query {
                keeps_truncated,
                accepts_other_source,
                ..self.clone()
            })
    }

    /// `flags` as Zonemaster's `QUERY` messages spell them, e.g. `RD,DO`.
    pub fn describe_flags(&self) -> String {
        let mut flags = Vec::new();
        if self.rd {
            flags.push("RD");
        }
        if self.cd {
            flags.push("CD");
        }
        if self.edns.as_ref().is_some_and(|edns| edns.dnssec_ok) {
            flags.push("DO");
        }
        if self.protocol == Protocol::Tcp {
            flags.push("TCP");
        }
        flags.join(",")
    }

    /// The OPT record in short, for traces: `none`, or e.g.
    /// `v0,size=1232,do=1,z=0,options=0`.
    pub fn describe_edns(&self) -> String {
        self.edns.as_ref().map_or_else(
            || "none".to_owned(),
            |edns| {
                format!(
                    "v{},size={},do={},z={},options={}",
                    edns.version,
                    edns.udp_size,
                    u8::from(edns.dnssec_ok),
                    edns.z,
                    edns.options.len()
                )
            },
        )
    }
}

/// The full identity of a query for caching: server, every query field and
/// the name with its case, since `Name` equality ignores case.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QueryKey {
    /// The server asked.
    pub server: IpAddr,
    /// The query name exactly as sent.
    pub name_as_sent: String,
    /// Everything else.
    pub query: Query,
}

/// Writes `name` uncompressed, labels as stored (case kept).
fn write_name(wire: &mut Vec<u8>, name: &Name) {
    for label in name.iter() {
        // A hickory label is at most 63 octets, so the length fits a u8.
        wire.push(u8::try_from(label.len()).unwrap_or(63));
        wire.extend_from_slice(label);
    }
    wire.push(0);
}

/// Writes the OPT pseudo-record of RFC 6891 §6.1.2 with every field as given.
fn write_opt(wire: &mut Vec<u8>, edns: &Edns) {
    wire.push(0); // owner: root
    wire.extend_from_slice(&41u16.to_be_bytes());
    wire.extend_from_slice(&edns.udp_size.to_be_bytes());
    wire.push(edns.extended_rcode);
    wire.push(edns.version);
    let flags = (u16::from(edns.dnssec_ok) << 15) | (edns.z & 0x7fff);
    wire.extend_from_slice(&flags.to_be_bytes());
    let mut rdata = Vec::new();
    for (code, data) in &edns.options {
        rdata.extend_from_slice(&code.to_be_bytes());
        let length = u16::try_from(data.len()).unwrap_or(u16::MAX);
        rdata.extend_from_slice(&length.to_be_bytes());
        rdata.extend_from_slice(data.get(..usize::from(length)).unwrap_or(data));
    }
    let length = u16::try_from(rdata.len()).unwrap_or(u16::MAX);
    wire.extend_from_slice(&length.to_be_bytes());
    wire.extend_from_slice(&rdata);
}

/// Serde for names as their presentation text (case kept).
mod name_text {
    use hickory_proto::rr::Name;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(name: &Name, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::super::name_text::name_to_text(name))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::super::name_text::parse_name_text(&text).map_err(serde::de::Error::custom)
    }
}

/// Serde for record types as their numeric code (open set).
mod rtype_number {
    use hickory_proto::rr::RecordType;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(rtype: &RecordType, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u16(u16::from(*rtype))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<RecordType, D::Error> {
        Ok(RecordType::from(u16::deserialize(deserializer)?))
    }
}

/// Serde for classes as their numeric code.
mod class_number {
    use hickory_proto::rr::DNSClass;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(class: &DNSClass, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u16(u16::from(*class))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DNSClass, D::Error> {
        Ok(DNSClass::from(u16::deserialize(deserializer)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_tells_queries_apart_by_their_opt_record() {
        let query = Query::new(Name::root(), RecordType::SOA);
        assert_eq!(query.describe_edns(), "none");
        let dnssec = query.clone().with_dnssec();
        assert_eq!(dnssec.describe_edns(), "v0,size=1232,do=1,z=0,options=0");
        let odd = query.with_edns(Edns {
            version: 1,
            z: 3,
            options: vec![(137, Vec::new())],
            ..Edns::with_size(512)
        });
        assert_eq!(odd.describe_edns(), "v1,size=512,do=0,z=3,options=1");
    }

    #[test]
    fn plain_query_has_no_opt_and_keeps_case() {
        let query = Query::new(Name::from_ascii("WwW.Example.").unwrap(), RecordType::A);
        let wire = query.to_wire(0x1234);
        assert_eq!(&wire[..4], &[0x12, 0x34, 0x00, 0x00]);
        assert_eq!(&wire[10..12], &[0, 0], "no additional record");
        assert_eq!(&wire[12..16], b"\x03WwW");
    }

    #[test]
    fn opt_fields_are_written_verbatim() {
        let edns = Edns {
            udp_size: 100,
            version: 1,
            dnssec_ok: true,
            z: 0x0001,
            extended_rcode: 0,
            options: vec![(3, Vec::new()), (65001, vec![1, 2])],
        };
        let query = Query::new(Name::root(), RecordType::SOA).with_edns(edns);
        let wire = query.to_wire(1);
        let opt = &wire[12 + 1 + 4..];
        assert_eq!(opt[0], 0, "root owner");
        assert_eq!(&opt[1..3], &[0, 41]);
        assert_eq!(&opt[3..5], &[0, 100], "size below 512 kept");
        assert_eq!(opt[6], 1, "version");
        assert_eq!(&opt[7..9], &[0x80, 0x01], "DO and Z");
        assert_eq!(&opt[9..11], &[0, 10]);
        assert_eq!(&opt[11..], &[0, 3, 0, 0, 0xfd, 0xe9, 0, 2, 1, 2]);
    }

    #[test]
    fn keys_differ_by_case_and_flags() {
        let server: IpAddr = "127.0.0.1".parse().unwrap();
        let lower = Query::new(Name::from_ascii("a.example.").unwrap(), RecordType::A);
        let upper = Query::new(Name::from_ascii("A.example.").unwrap(), RecordType::A);
        assert_ne!(lower.key(server), upper.key(server));
        assert_ne!(lower.key(server), lower.clone().with_dnssec().key(server));
        assert_eq!(lower.key(server), lower.clone().key(server));
    }

    /// Every knob a Nameserver probe varies makes another question: a
    /// cached reply to one must never answer another.
    #[test]
    fn every_probe_knob_is_in_the_key() {
        let server: IpAddr = "127.0.0.1".parse().unwrap();
        let base = Query::new(Name::from_ascii("example.").unwrap(), RecordType::SOA)
            .with_edns(Edns::with_size(512));
        let edns = |change: fn(&mut Edns)| {
            let mut edns = Edns::with_size(512);
            change(&mut edns);
            base.clone().with_edns(edns)
        };
        let variants = [
            edns(|e| e.version = 1),
            edns(|e| e.z = 3),
            edns(|e| e.options.push((137, Vec::new()))),
            edns(|e| e.dnssec_ok = true),
            edns(|e| e.udp_size = 1232),
            Query::new(Name::from_ascii("EXample.").unwrap(), RecordType::SOA)
                .with_edns(Edns::with_size(512)),
            base.clone().over(Protocol::Tcp),
            base.clone().in_class(DNSClass::CH),
            base.clone().recursive(),
            base.clone().keeping_truncated(),
            base.clone().from_any_source(),
            Query::new(Name::from_ascii("example.").unwrap(), RecordType::SOA),
        ];
        for (index, variant) in variants.iter().enumerate() {
            assert_ne!(base.key(server), variant.key(server), "variant {index}");
            for other in &variants[index + 1..] {
                assert_ne!(variant.key(server), other.key(server));
            }
        }
    }

    #[test]
    fn recordings_without_the_new_knobs_still_load() {
        let text = r#"{"name":"example.","rtype":6,"class":1,"rd":false,"cd":false,"ad":false,"edns":null,"protocol":"udp"}"#;
        let query: Query = serde_json::from_str(text).unwrap();
        assert!(!query.keeps_truncated && !query.accepts_other_source);
    }
}
