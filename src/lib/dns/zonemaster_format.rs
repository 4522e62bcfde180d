//! Reading the Zonemaster project's recordings into a [`Replayer`].
//!
//! A `.data` file has one line per name server: `NAME IP JSON`, the JSON
//! mapping an opaque query key to `null` (no response) or a packet with its
//! wire bytes (base64), sender, arrival time and query time. The keys are
//! digests: the companion `.index.jsonl` (one line per key and IP with
//! the decoded query fields) says which query each packet answers, and
//! without it the replayer computes the keys of each query it is asked
//! ([`super::zonemaster_key`]). See `shared/conformance/README.md`,
//! "Recorded traffic".

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hickory_proto::rr::{DNSClass, Name};
use serde::Deserialize;

use super::outcome::{Decoded, Outcome, Response};
use super::packet::Packet;
use super::query::{Edns, Protocol, Query};
use super::recording::{RecordingError, epoch_time};
use super::replay::Replayer;
use super::zonemaster_key::{ZonemasterEdns, ZonemasterKey, parse_type_mnemonic};

#[derive(Deserialize)]
struct IndexLine {
    ip: String,
    key: String,
    response: bool,
    query: IndexQuery,
}

#[derive(Deserialize)]
struct IndexQuery {
    qname: String,
    qtype: String,
    qclass: String,
    dnssec: u8,
    usevc: u8,
    recurse: u8,
    edns_size: u16,
    edns: Option<IndexEdns>,
}

#[derive(Deserialize)]
struct IndexEdns {
    version: u8,
    z: u16,
    rcode: u8,
    data: String,
}

#[derive(Deserialize)]
struct PacketWrapper {
    #[serde(rename = "Zonemaster::Engine::Packet")]
    engine: LdnsWrapper,
}

#[derive(Deserialize)]
struct LdnsWrapper {
    #[serde(rename = "Zonemaster::LDNS::Packet")]
    ldns: RecordedPacket,
}

#[derive(Deserialize)]
struct RecordedPacket {
    data: String,
    answerfrom: String,
    timestamp: f64,
    #[serde(default)]
    querytime: u64,
}

/// What loading a recording found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Index lines, i.e. distinct recorded queries (without an index: the
    /// data's query keys).
    pub queries: usize,
    /// Queries recorded with a reply packet.
    pub with_response: usize,
    /// Index lines that say a reply exists but whose packet is not in the data.
    pub missing_packets: usize,
    /// Reply packets too broken to decode.
    pub undecodable: usize,
}

/// One line of an `.index.jsonl` file: a recorded query, decoded.
#[derive(Clone, Debug)]
pub struct IndexEntry {
    /// The server asked.
    pub server: IpAddr,
    /// The key the reply is filed under in the `.data` file.
    pub key: String,
    /// Whether a reply packet was recorded.
    pub has_response: bool,
    /// The query as we would send it.
    pub query: Query,
    /// The fields the key was computed from, as the index gives them.
    pub key_fields: ZonemasterKey,
}

/// Reads an `.index.jsonl` file.
pub fn read_index(path: &Path) -> Result<Vec<IndexEntry>, RecordingError> {
    parse_index(&read(path)?, path)
}

/// Parses the text of an `.index.jsonl` file read from `path`.
pub(crate) fn parse_index(text: &str, path: &Path) -> Result<Vec<IndexEntry>, RecordingError> {
    let mut entries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let syntax = |reason: String| RecordingError::Syntax {
            path: path.to_owned(),
            line: number + 1,
            reason,
        };
        let line: IndexLine =
            serde_json::from_str(line).map_err(|error| syntax(error.to_string()))?;
        let server: IpAddr = line
            .ip
            .parse()
            .map_err(|_| syntax(format!("bad address {:?}", line.ip)))?;
        entries.push(IndexEntry {
            server,
            query: to_query(&line.query).map_err(syntax)?,
            key_fields: key_fields_of(&line.query),
            key: line.key,
            has_response: line.response,
        });
    }
    Ok(entries)
}

/// Loads `data` (a `.data` recording) with the query fields of `index`.
pub fn load_zonemaster_recording(
    data: &Path,
    index: &Path,
) -> Result<(Replayer, LoadReport), RecordingError> {
    Ok(match_index(read_data(data)?, read_index(index)?))
}

/// Files each packet of `packets` under the query its index entry names.
pub(crate) fn match_index(packets: PacketMap, index: Vec<IndexEntry>) -> (Replayer, LoadReport) {
    let mut replayer = Replayer::new();
    let mut report = LoadReport::default();
    for entry in index {
        report.queries += 1;
        let recorded = packets.get(&(entry.server.to_canonical(), entry.key));
        let outcome = match recorded {
            Some(Some(packet)) if entry.has_response => {
                report.with_response += 1;
                report.undecodable += usize::from(matches!(packet, Outcome::Malformed { .. }));
                packet.clone()
            }
            _ if entry.has_response => {
                report.missing_packets += 1;
                no_response()
            }
            _ => no_response(),
        };
        replayer.insert(entry.server, entry.query, outcome);
    }
    (replayer, report)
}

/// Loads `data` (a `.data` recording) alone: replies stay filed under the
/// recording's query keys, which the replayer computes for each query.
pub fn load_zonemaster_data(data: &Path) -> Result<(Replayer, LoadReport), RecordingError> {
    Ok(keyed(read_data(data)?))
}

/// Files each packet of `packets` under its recorded query key.
pub(crate) fn keyed(packets: PacketMap) -> (Replayer, LoadReport) {
    let mut replayer = Replayer::new();
    let mut report = LoadReport::default();
    for ((server, key), packet) in packets {
        report.queries += 1;
        let outcome = match packet {
            Some(packet) => {
                report.with_response += 1;
                report.undecodable += usize::from(matches!(packet, Outcome::Malformed { .. }));
                packet
            }
            None => no_response(),
        };
        replayer.insert_keyed(server, key, outcome);
    }
    (replayer, report)
}

/// A query recorded without a reply: the reference's timeout.
fn no_response() -> Outcome {
    Outcome::Timeout { strays: Vec::new() }
}

/// The packets of a `.data` file by server and query key; `None` where
/// the query went unanswered.
pub(crate) type PacketMap = HashMap<(IpAddr, String), Option<Outcome>>;

fn read_data(path: &Path) -> Result<PacketMap, RecordingError> {
    parse_data(&read(path)?, path)
}

/// Parses the text of a `.data` file read from `path`.
pub(crate) fn parse_data(text: &str, path: &Path) -> Result<PacketMap, RecordingError> {
    let mut packets = HashMap::new();
    for (number, line) in text.lines().enumerate() {
        let syntax = |reason: String| RecordingError::Syntax {
            path: path.to_owned(),
            line: number + 1,
            reason,
        };
        if line.trim().is_empty() {
            continue;
        }
        let mut fields = line.splitn(3, ' ');
        let (Some(_name), Some(ip), Some(json)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(syntax("expected `NAME IP {json}`".to_owned()));
        };
        let server: IpAddr = ip
            .parse()
            .map_err(|_| syntax(format!("bad address {ip:?}")))?;
        let map: HashMap<String, Option<PacketWrapper>> =
            serde_json::from_str(json).map_err(|error| syntax(error.to_string()))?;
        for (key, wrapper) in map {
            let outcome = match wrapper {
                None => None,
                Some(wrapper) => Some(to_outcome(&wrapper.engine.ldns).map_err(syntax)?),
            };
            packets.insert((server.to_canonical(), key), outcome);
        }
    }
    Ok(packets)
}

fn read(path: &Path) -> Result<String, RecordingError> {
    std::fs::read_to_string(path).map_err(|source| RecordingError::Io {
        path: path.to_owned(),
        source,
    })
}

fn to_outcome(recorded: &RecordedPacket) -> Result<Outcome, String> {
    let raw: Arc<[u8]> = BASE64
        .decode(&recorded.data)
        .map_err(|error| format!("bad base64: {error}"))?
        .into();
    let from_ip: IpAddr = recorded
        .answerfrom
        .parse()
        .map_err(|_| format!("bad answerfrom {:?}", recorded.answerfrom))?;
    let from = SocketAddr::new(from_ip, 53);
    let rtt = Duration::from_millis(recorded.querytime);
    let Ok(packet) = Packet::decode(&raw) else {
        return Ok(Outcome::Malformed {
            raw,
            from,
            rtt,
            strays: Vec::new(),
        });
    };
    Ok(Outcome::Response(Response {
        protocol: if packet.tc {
            Protocol::Udp
        } else {
            Protocol::Tcp
        },
        decoded: Decoded::from_raw(packet),
        raw,
        from,
        rtt,
        received_at: epoch_time(recorded.timestamp),
        fell_back: false,
        has_question_mismatch: false,
        strays: Vec::new(),
    }))
}

/// Rebuilds the query the reference engine sent from its index fields.
fn to_query(fields: &IndexQuery) -> Result<Query, String> {
    let name = if fields.qname == "." {
        Name::root()
    } else {
        Name::from_ascii(&fields.qname)
            .map_err(|error| format!("bad qname {:?}: {error}", fields.qname))?
    };
    let rtype = parse_type_mnemonic(&fields.qtype)
        .ok_or_else(|| format!("unknown qtype {:?}", fields.qtype))?;
    let class = match fields.qclass.as_str() {
        "IN" => DNSClass::IN,
        "CH" => DNSClass::CH,
        "HS" => DNSClass::HS,
        other => return Err(format!("unknown qclass {other:?}")),
    };
    let mut query = Query::new(name, rtype).in_class(class);
    query.rd = fields.recurse != 0;
    query.protocol = if fields.usevc != 0 {
        Protocol::Tcp
    } else {
        Protocol::Udp
    };
    query.edns = edns_of(fields)?;
    Ok(query)
}

/// The index's fields in the key's terms.
fn key_fields_of(fields: &IndexQuery) -> ZonemasterKey {
    ZonemasterKey {
        name: fields.qname.clone(),
        rtype: fields.qtype.clone(),
        class: fields.qclass.clone(),
        dnssec: fields.dnssec != 0,
        usevc: fields.usevc != 0,
        recurse: fields.recurse != 0,
        edns: fields.edns.as_ref().map(|edns| ZonemasterEdns {
            version: edns.version,
            z: edns.z,
            rcode: edns.rcode,
            data: edns.data.clone(),
        }),
        edns_size: fields.edns_size,
    }
}

fn edns_of(fields: &IndexQuery) -> Result<Option<Edns>, String> {
    let dnssec_ok = fields.dnssec != 0;
    if fields.edns.is_none() && fields.edns_size == 0 && !dnssec_ok {
        return Ok(None);
    }
    let mut edns = Edns::with_size(fields.edns_size);
    edns.dnssec_ok = dnssec_ok;
    if let Some(details) = &fields.edns {
        edns.version = details.version;
        edns.z = details.z;
        edns.extended_rcode = details.rcode;
        edns.options = option_of(&details.data)?;
    }
    Ok(Some(edns))
}

/// The reference engine logs OPT rdata as a number: its four octets are
/// one option header (code, zero length), e.g. `8978432` = code 137.
fn option_of(data: &str) -> Result<Vec<(u16, Vec<u8>)>, String> {
    if data.is_empty() {
        return Ok(Vec::new());
    }
    let number: u32 = data
        .parse()
        .map_err(|_| format!("unreadable EDNS data {data:?}"))?;
    let [high, low, ..] = number.to_be_bytes();
    Ok(vec![(u16::from_be_bytes([high, low]), Vec::new())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_edns_data_is_an_empty_option() {
        assert_eq!(option_of("8978432").unwrap(), vec![(137, Vec::new())]);
        assert!(option_of("").unwrap().is_empty());
        assert!(option_of("zz").is_err());
    }
}
