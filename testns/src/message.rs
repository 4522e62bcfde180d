//! Wire format: reading a query, writing a reply with name compression and
//! truncation to the client's buffer size.
//!
//! Replies are written by hand because the records carry raw rdata that may
//! be invalid for its type (a test server serves broken data on purpose),
//! which hickory's encoder would refuse.

use std::collections::HashMap;

use hickory_proto::rr::Name;
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};

use crate::zone::{Rr, read_wire_name, rtype};

/// The parts of a query the server looks at.
#[derive(Clone, Debug)]
pub struct Request {
    /// Message ID.
    pub id: u16,
    /// OPCODE.
    pub opcode: u8,
    /// Recursion desired (echoed).
    pub rd: bool,
    /// Checking disabled (echoed).
    pub cd: bool,
    /// Query name as sent (case kept).
    pub qname: Name,
    /// Query type.
    pub qtype: u16,
    /// Query class.
    pub qclass: u16,
    /// The OPT record, if the query had one.
    pub edns: Option<RequestEdns>,
}

/// The EDNS fields of a query.
#[derive(Clone, Debug)]
pub struct RequestEdns {
    /// Advertised UDP payload size.
    pub udp_size: u16,
    /// EDNS version.
    pub version: u8,
    /// DO bit.
    pub dnssec_ok: bool,
    /// The 15 flag bits after DO (`edns echo-flags` sends them back).
    pub z: u16,
    /// The OPT rdata as sent (`edns echo-options` sends it back).
    pub options: Vec<u8>,
}

impl Request {
    /// The query name lower-cased, for lookups.
    pub fn name(&self) -> Name {
        self.qname.to_lowercase()
    }

    /// DO bit set.
    pub fn dnssec_ok(&self) -> bool {
        self.edns.as_ref().is_some_and(|edns| edns.dnssec_ok)
    }

    /// The largest UDP reply the client accepts (RFC 6891 §6.2.5).
    pub fn udp_limit(&self) -> usize {
        usize::from(
            self.edns
                .as_ref()
                .map_or(512, |edns| edns.udp_size.max(512)),
        )
    }
}

/// Why a query could not be read; the server answers FORMERR if it can.
#[derive(Debug)]
pub enum BadQuery {
    /// Not even a header with an ID.
    Unreadable,
    /// A header but no usable question: reply FORMERR with this ID.
    Malformed {
        /// The ID to answer with.
        id: u16,
        /// The header flags byte with the opcode.
        opcode: u8,
    },
}

/// Reads a query message.
pub fn parse_request(wire: &[u8]) -> Result<Request, BadQuery> {
    let header = wire.get(..12).ok_or(BadQuery::Unreadable)?;
    let id = u16::from_be_bytes([header[0], header[1]]);
    let opcode = (header[2] >> 3) & 0x0f;
    let malformed = BadQuery::Malformed { id, opcode };
    if header[2] & 0x80 != 0 {
        return Err(BadQuery::Unreadable);
    }
    let counts: Vec<u16> = (0..4)
        .map(|i| u16::from_be_bytes([header[4 + 2 * i], header[5 + 2 * i]]))
        .collect();
    if counts[0] != 1 {
        return Err(malformed);
    }
    let mut decoder = BinDecoder::new(wire);
    decoder.read_slice(12).map_err(|_| BadQuery::Unreadable)?;
    let qname = Name::read(&mut decoder).map_err(|_| BadQuery::Malformed { id, opcode })?;
    let fixed = decoder
        .read_slice(4)
        .map_err(|_| BadQuery::Malformed { id, opcode })?
        .unverified();
    let qtype = u16::from_be_bytes([fixed[0], fixed[1]]);
    let qclass = u16::from_be_bytes([fixed[2], fixed[3]]);
    let mut edns = None;
    let others = usize::from(counts[1]) + usize::from(counts[2]) + usize::from(counts[3]);
    for _ in 0..others {
        let Ok(_owner) = Name::read(&mut decoder) else {
            break;
        };
        let Ok(fixed) = decoder.read_slice(10) else {
            break;
        };
        let fixed = fixed.unverified();
        let length = usize::from(u16::from_be_bytes([fixed[8], fixed[9]]));
        let Ok(rdata) = decoder.read_slice(length) else {
            break;
        };
        if u16::from_be_bytes([fixed[0], fixed[1]]) == rtype::OPT {
            edns = Some(RequestEdns {
                udp_size: u16::from_be_bytes([fixed[2], fixed[3]]),
                version: fixed[5],
                dnssec_ok: fixed[6] & 0x80 != 0,
                z: u16::from_be_bytes([fixed[6] & 0x7f, fixed[7]]),
                options: rdata.unverified().to_vec(),
            });
        }
    }
    Ok(Request {
        id,
        opcode,
        rd: header[2] & 0x01 != 0,
        cd: header[3] & 0x10 != 0,
        qname,
        qtype,
        qclass,
        edns,
    })
}

/// What a plugin decided to send.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    /// Full response code (above 15 needs an OPT record).
    pub rcode: u16,
    /// Authoritative answer.
    pub aa: bool,
    /// Answer section.
    pub answer: Vec<Rr>,
    /// Authority section.
    pub authority: Vec<Rr>,
    /// Additional section.
    pub additional: Vec<Rr>,
    /// Recursion available (`recursion`).
    pub ra: bool,
    /// The question goes back lower-cased (`qname lower`).
    pub lowers_qname: bool,
    /// How the OPT record of a reply to an EDNS query is written.
    pub opt: OptStyle,
    /// TC set whatever fits (`edns truncate-do`).
    pub is_truncated: bool,
}

/// The OPT record of a reply to an EDNS query: normal, or one of the
/// `edns` misbehaviours.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum OptStyle {
    /// Version 0, our payload size, DO echoed, no options.
    #[default]
    Normal,
    /// No OPT record at all.
    Omitted,
    /// The query's Z flags and option bytes sent back.
    Echo {
        /// Flag bits after DO.
        z: u16,
        /// OPT rdata.
        options: Vec<u8>,
    },
    /// A normal OPT claiming this EDNS version (`edns-version reply-1`).
    Version(u8),
}

impl Reply {
    /// A reply with only a response code.
    pub fn bare(rcode: u16) -> Self {
        Self {
            rcode,
            ..Self::default()
        }
    }
}

/// A FORMERR reply to a query we could not read.
pub fn formerr(id: u16, opcode: u8) -> Vec<u8> {
    let mut wire = id.to_be_bytes().to_vec();
    wire.extend_from_slice(&[0x80 | (opcode << 3), 0x01, 0, 0, 0, 0, 0, 0, 0, 0]);
    wire
}

/// Writes `reply` to `request`, truncated to `limit` octets if given.
pub fn write_reply(request: &Request, reply: &Reply, limit: Option<usize>) -> Vec<u8> {
    let mut writer = Writer::default();
    writer.bytes.extend_from_slice(&request.id.to_be_bytes());
    writer
        .bytes
        .extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    if reply.lowers_qname {
        writer.write_name(&request.name(), true);
    } else {
        writer.write_name(&request.qname, true);
    }
    writer.bytes.extend_from_slice(&request.qtype.to_be_bytes());
    writer
        .bytes
        .extend_from_slice(&request.qclass.to_be_bytes());
    let opt = request
        .edns
        .as_ref()
        .filter(|_| reply.opt != OptStyle::Omitted);
    let (z, options): (u16, &[u8]) = match &reply.opt {
        OptStyle::Echo { z, options } => (*z, options),
        _ => (0, &[]),
    };
    let opt_size = if opt.is_some() { 11 + options.len() } else { 0 };
    let budget = limit.map_or(usize::MAX, |limit| limit.saturating_sub(opt_size));
    let mut truncated = reply.is_truncated;
    let mut counts = [0u16; 3];
    for (section, records) in [&reply.answer, &reply.authority, &reply.additional]
        .into_iter()
        .enumerate()
    {
        for record in records {
            if !writer.try_record(record, budget) {
                truncated = true;
                break;
            }
            counts[section] += 1;
        }
    }
    let mut additional = counts[2];
    let version = match reply.opt {
        OptStyle::Version(version) => version,
        _ => 0,
    };
    if let Some(edns) = opt {
        let extended = u8::try_from(reply.rcode >> 4).unwrap_or(0);
        let flags = (u16::from(edns.dnssec_ok) << 15) | (z & 0x7fff);
        let length = u16::try_from(options.len()).unwrap_or(0);
        writer.bytes.extend_from_slice(&[0, 0, 41]);
        writer.bytes.extend_from_slice(&1232u16.to_be_bytes());
        writer.bytes.extend_from_slice(&[extended, version]);
        writer.bytes.extend_from_slice(&flags.to_be_bytes());
        writer.bytes.extend_from_slice(&length.to_be_bytes());
        writer
            .bytes
            .extend_from_slice(options.get(..usize::from(length)).unwrap_or_default());
        additional += 1;
    }
    let flags_high = 0x80
        | (request.opcode << 3)
        | if reply.aa { 0x04 } else { 0 }
        | if truncated { 0x02 } else { 0 }
        | u8::from(request.rd);
    let flags_low = if reply.ra { 0x80 } else { 0 }
        | if request.cd { 0x10 } else { 0 }
        | u8::try_from(reply.rcode & 0x0f).unwrap_or(0);
    writer.bytes[2] = flags_high;
    writer.bytes[3] = flags_low;
    for (at, count) in [(6, counts[0]), (8, counts[1]), (10, additional)] {
        writer.bytes[at..at + 2].copy_from_slice(&count.to_be_bytes());
    }
    writer.bytes
}

#[derive(Default)]
struct Writer {
    bytes: Vec<u8>,
    /// Names already written (lower-cased, in wire form) → their offset.
    offsets: HashMap<Vec<u8>, u16>,
}

impl Writer {
    /// Appends `record` unless that would pass `budget`; then undoes it.
    fn try_record(&mut self, record: &Rr, budget: usize) -> bool {
        let mark = self.bytes.len();
        self.write_record(record);
        if self.bytes.len() > budget {
            self.bytes.truncate(mark);
            // Names written by this record all point at or after `mark`;
            // forgetting them undoes it. (Saving a copy of the table for
            // every record instead made big answers quadratic in
            // allocations: most of the server's time under a full test
            // of a 13-server signed zone.)
            self.offsets.retain(|_, offset| usize::from(*offset) < mark);
            return false;
        }
        true
    }

    fn write_record(&mut self, record: &Rr) {
        self.write_name(&record.name, true);
        self.bytes.extend_from_slice(&record.rtype.to_be_bytes());
        self.bytes.extend_from_slice(&record.class.to_be_bytes());
        self.bytes.extend_from_slice(&record.ttl.to_be_bytes());
        let length_at = self.bytes.len();
        self.bytes.extend_from_slice(&[0, 0]);
        self.write_rdata(record);
        let length = u16::try_from(self.bytes.len() - length_at - 2).unwrap_or(u16::MAX);
        self.bytes[length_at..length_at + 2].copy_from_slice(&length.to_be_bytes());
    }

    /// Compresses the names of NS, CNAME, PTR, MX and SOA rdata (RFC 1035
    /// §4.1.4 allows it for these); everything else goes out verbatim.
    fn write_rdata(&mut self, record: &Rr) {
        let rdata = &record.rdata;
        let compressed = match record.rtype {
            rtype::NS | rtype::CNAME | 12 => self.compress_names(rdata, 0, 1),
            rtype::MX => self.compress_names(rdata, 2, 1),
            rtype::SOA => self.compress_names(rdata, 0, 2),
            _ => false,
        };
        if !compressed {
            self.bytes.extend_from_slice(rdata);
        }
    }

    /// Writes `skip` raw octets, `count` compressed names, then the rest.
    fn compress_names(&mut self, rdata: &[u8], skip: usize, count: usize) -> bool {
        let Some(prefix) = rdata.get(..skip) else {
            return false;
        };
        let mut at = skip;
        let mut names = Vec::new();
        for _ in 0..count {
            let Some(name) = rdata.get(at..).and_then(read_wire_name) else {
                return false;
            };
            at += wire_length(&rdata[at..]);
            names.push(name);
        }
        self.bytes.extend_from_slice(prefix);
        for name in &names {
            self.write_name(name, true);
        }
        self.bytes
            .extend_from_slice(rdata.get(at..).unwrap_or_default());
        true
    }

    fn write_name(&mut self, name: &Name, compress: bool) {
        // The name lower-cased in wire form: each suffix is a slice of it,
        // so a look-up allocates nothing.
        let mut lowered = Vec::with_capacity(name.len());
        let mut starts = Vec::with_capacity(usize::from(name.num_labels()));
        for label in name.iter() {
            starts.push(lowered.len());
            lowered.push(u8::try_from(label.len()).unwrap_or(63));
            lowered.extend(label.iter().map(u8::to_ascii_lowercase));
        }
        for (index, label) in name.iter().enumerate() {
            let suffix = &lowered[starts[index]..];
            if compress && let Some(&offset) = self.offsets.get(suffix) {
                self.bytes
                    .extend_from_slice(&(0xc000 | offset).to_be_bytes());
                return;
            }
            if let Ok(offset) = u16::try_from(self.bytes.len())
                && offset < 0x3fff
            {
                self.offsets.insert(suffix.to_vec(), offset);
            }
            self.bytes.push(u8::try_from(label.len()).unwrap_or(63));
            self.bytes.extend_from_slice(label);
        }
        self.bytes.push(0);
    }
}

/// Length of an uncompressed wire name at the start of `bytes`.
fn wire_length(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(&length) = bytes.get(at) {
        at += 1 + usize::from(length);
        if length == 0 {
            break;
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(name: &str, qtype: u16, edns: Option<u16>) -> Vec<u8> {
        let mut wire = vec![
            0x12,
            0x34,
            0x01,
            0,
            0,
            1,
            0,
            0,
            0,
            0,
            0,
            u8::from(edns.is_some()),
        ];
        for label in name.trim_end_matches('.').split('.') {
            wire.push(u8::try_from(label.len()).unwrap());
            wire.extend_from_slice(label.as_bytes());
        }
        wire.push(0);
        wire.extend_from_slice(&qtype.to_be_bytes());
        wire.extend_from_slice(&[0, 1]);
        if let Some(size) = edns {
            wire.extend_from_slice(&[0, 0, 41]);
            wire.extend_from_slice(&size.to_be_bytes());
            wire.extend_from_slice(&[0, 0, 0x80, 0, 0, 0]);
        }
        wire
    }

    fn txt(owner: &str, text: &str) -> Rr {
        let mut rdata = vec![u8::try_from(text.len()).unwrap()];
        rdata.extend_from_slice(text.as_bytes());
        Rr {
            name: Name::from_ascii(owner).unwrap(),
            rtype: rtype::TXT,
            class: 1,
            ttl: 60,
            rdata,
        }
    }

    #[test]
    fn parses_question_and_opt() {
        let request = parse_request(&query("WwW.example.", 16, Some(1232))).unwrap();
        assert_eq!(request.id, 0x1234);
        assert!(request.rd);
        assert_eq!(request.qname.to_ascii(), "WwW.example.");
        assert_eq!(request.qtype, 16);
        assert!(request.dnssec_ok());
        assert_eq!(request.udp_limit(), 1232);
        assert!(matches!(parse_request(&[1, 2]), Err(BadQuery::Unreadable)));
    }

    #[test]
    fn truncates_to_the_limit_and_sets_tc() {
        let request = parse_request(&query("big.example.", 16, None)).unwrap();
        let records: Vec<Rr> = (0..30)
            .map(|i| txt("big.example.", &format!("{i:02}{}", "x".repeat(40))))
            .collect();
        let reply = Reply {
            rcode: 0,
            aa: true,
            answer: records,
            ..Reply::default()
        };
        let small = write_reply(&request, &reply, Some(512));
        assert!(small.len() <= 512);
        assert_eq!(small[2] & 0x02, 0x02, "TC set");
        let full = write_reply(&request, &reply, None);
        assert_eq!(full[2] & 0x02, 0, "TC clear");
        assert_eq!(u16::from_be_bytes([full[6], full[7]]), 30);
    }

    #[test]
    fn a_record_left_out_leaves_no_name_to_point_at() {
        // The answer does not fit; the authority record after it, with
        // the same owner, must not be compressed against the bytes that
        // were taken back.
        let request = parse_request(&query("a.example.", 16, None)).unwrap();
        let reply = Reply {
            answer: vec![txt("x.big.example.", &"z".repeat(200))],
            authority: vec![txt("x.big.example.", "y")],
            ..Reply::default()
        };
        let wire = write_reply(&request, &reply, Some(100));
        let decoded = hickory_proto::op::Message::from_vec(&wire).unwrap();
        assert!(decoded.answers.is_empty());
        assert_eq!(decoded.authorities.len(), 1);
        assert_eq!(decoded.authorities[0].name.to_ascii(), "x.big.example.");
    }

    #[test]
    fn owner_names_are_compressed() {
        let request = parse_request(&query("a.example.", 16, None)).unwrap();
        let reply = Reply {
            answer: vec![txt("a.example.", "x"), txt("a.example.", "y")],
            ..Reply::default()
        };
        let wire = write_reply(&request, &reply, None);
        let decoded = hickory_proto::op::Message::from_vec(&wire).unwrap();
        assert_eq!(decoded.answers.len(), 2);
        assert!(
            wire.len() < 12 + 15 + 2 * (11 + 12),
            "pointers used: {} octets",
            wire.len()
        );
    }
}
