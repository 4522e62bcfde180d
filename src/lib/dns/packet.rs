//! A decoded DNS reply that survives bad records.
//!
//! hickory-proto decodes a message all-or-nothing; a single odd NSEC3 or
//! DNSKEY would cost us the whole reply, and with it the finding. Here each
//! record is decoded on its own: one whose rdata hickory rejects is kept as
//! `RData::Unknown` with its raw bytes and listed in [`Packet::malformed`].
//! A reply cut short keeps the records read so far ([`Packet::is_incomplete`]).
//! The OPT record is parsed by hand (RFC 6891 §6.1) because hickory drops
//! malformed options silently.

use hickory_proto::op::Query as Question;
use hickory_proto::rr::rdata::NULL;
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder, Restrict};

/// A response code including the EDNS extended bits (12 bits in all).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rcode(pub u16);

impl Rcode {
    /// No error.
    pub const NOERROR: Self = Self(0);
    /// Format error.
    pub const FORMERR: Self = Self(1);
    /// Server failure.
    pub const SERVFAIL: Self = Self(2);
    /// Name does not exist.
    pub const NXDOMAIN: Self = Self(3);
    /// Not implemented.
    pub const NOTIMP: Self = Self(4);
    /// Refused.
    pub const REFUSED: Self = Self(5);
    /// Bad EDNS version (RFC 6891), only reachable with an OPT record.
    pub const BADVERS: Self = Self(16);

    /// The mnemonic, or the number for codes without one.
    pub fn mnemonic(self) -> String {
        let name = match self.0 {
            0 => "NOERROR",
            1 => "FORMERR",
            2 => "SERVFAIL",
            3 => "NXDOMAIN",
            4 => "NOTIMP",
            5 => "REFUSED",
            6 => "YXDOMAIN",
            7 => "YXRRSET",
            8 => "NXRRSET",
            9 => "NOTAUTH",
            10 => "NOTZONE",
            16 => "BADVERS",
            23 => "BADCOOKIE",
            other => return other.to_string(),
        };
        name.to_owned()
    }
}

impl std::fmt::Display for Rcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.mnemonic())
    }
}

/// The OPT record of a reply, every field as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opt {
    /// Owner name; anything but the root is a protocol error worth reporting.
    pub owner: Name,
    /// The sender's UDP payload size.
    pub udp_size: u16,
    /// Upper eight bits of the RCODE.
    pub extended_rcode: u8,
    /// EDNS version.
    pub version: u8,
    /// The DO bit.
    pub dnssec_ok: bool,
    /// The 15 bits after DO.
    pub z: u16,
    /// Options as (code, data); a truncated trailing option is kept as read.
    pub options: Vec<(u16, Vec<u8>)>,
    /// True when the option list did not parse cleanly.
    pub has_malformed_options: bool,
}

/// Which section a record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Answer section.
    Answer,
    /// Authority section.
    Authority,
    /// Additional section.
    Additional,
}

/// A record whose rdata could not be decoded; it stays in its section as
/// `RData::Unknown` holding the raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedRecord {
    /// Where it is.
    pub section: Section,
    /// Position in that section.
    pub index: usize,
    /// Its owner.
    pub name: Name,
    /// Its declared type.
    pub rtype: RecordType,
    /// Why hickory refused it.
    pub error: String,
}

/// How Zonemaster classifies a reply (engine spec §1.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Classification {
    /// RCODE NXDOMAIN.
    NxDomain,
    /// Empty answer and additional, exactly one SOA in authority.
    NoData,
    /// Empty answer, NS in authority.
    Referral,
    /// Everything else, including empty NOERROR replies.
    Answer,
}

/// A decoded reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// Message ID.
    pub id: u16,
    /// QR bit.
    pub is_response: bool,
    /// OPCODE.
    pub opcode: u8,
    /// Authoritative answer.
    pub aa: bool,
    /// Truncated.
    pub tc: bool,
    /// Recursion desired (echoed).
    pub rd: bool,
    /// Recursion available.
    pub ra: bool,
    /// The reserved Z bit of the header.
    pub z: bool,
    /// Authentic data.
    pub ad: bool,
    /// Checking disabled.
    pub cd: bool,
    /// Full RCODE (header bits plus OPT extended bits).
    pub rcode: Rcode,
    /// Question section.
    pub question: Vec<Question>,
    /// Answer section.
    pub answer: Vec<Record>,
    /// Authority section.
    pub authority: Vec<Record>,
    /// Additional section without the OPT record.
    pub additional: Vec<Record>,
    /// The OPT record, if any.
    pub opt: Option<Opt>,
    /// More than one OPT record was present (only the first is kept).
    pub has_duplicate_opt: bool,
    /// Records kept as raw bytes.
    pub malformed: Vec<MalformedRecord>,
    /// The message ended before all announced records were read.
    pub is_incomplete: bool,
}

/// Why a reply could not be decoded at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    /// Shorter than a header.
    #[error("message of {0} octets is shorter than a DNS header")]
    TooShort(usize),
}

/// The shortest a resource record can be on the wire: a root owner (one
/// octet), type, class, TTL and RDLENGTH (ten), no RDATA.
const MIN_RECORD_LEN: usize = 11;

impl Packet {
    /// Decodes `wire`, keeping whatever can be kept.
    pub fn decode(wire: &[u8]) -> Result<Self, PacketError> {
        let header = wire.get(..12).ok_or(PacketError::TooShort(wire.len()))?;
        let word = |at: usize| u16::from_be_bytes([header[at], header[at + 1]]);
        let (id, flags) = (word(0), word(2));
        let counts = [word(4), word(6), word(8), word(10)];
        let mut packet = Self {
            id,
            is_response: flags & 0x8000 != 0,
            opcode: u8::try_from((flags >> 11) & 0x0f).unwrap_or(0),
            aa: flags & 0x0400 != 0,
            tc: flags & 0x0200 != 0,
            rd: flags & 0x0100 != 0,
            ra: flags & 0x0080 != 0,
            z: flags & 0x0040 != 0,
            ad: flags & 0x0020 != 0,
            cd: flags & 0x0010 != 0,
            rcode: Rcode(flags & 0x000f),
            question: Vec::new(),
            answer: Vec::new(),
            authority: Vec::new(),
            additional: Vec::new(),
            opt: None,
            has_duplicate_opt: false,
            malformed: Vec::new(),
            is_incomplete: false,
        };
        let mut decoder = BinDecoder::new(wire);
        decoder
            .read_slice(12)
            .map_err(|_| PacketError::TooShort(wire.len()))?;
        packet.read_sections(&mut decoder, counts);
        if let Some(opt) = &packet.opt {
            packet.rcode = Rcode((u16::from(opt.extended_rcode) << 4) | packet.rcode.0);
        }
        Ok(packet)
    }

    fn read_sections(&mut self, decoder: &mut BinDecoder<'_>, counts: [u16; 4]) {
        for _ in 0..counts[0] {
            match Question::read(decoder) {
                Ok(question) => self.question.push(question),
                Err(_) => {
                    self.is_incomplete = true;
                    return;
                }
            }
        }
        let sections = [
            (Section::Answer, counts[1]),
            (Section::Authority, counts[2]),
            (Section::Additional, counts[3]),
        ];
        for (section, count) in sections {
            // Sized from the header, so a cached reply holds no growth
            // slack (it was a third of a big test's heap); a record takes
            // at least 11 octets, so a lying count reserves no more than
            // the message could hold.
            let room = usize::from(count).min(decoder.len() / MIN_RECORD_LEN);
            match section {
                Section::Answer => self.answer.reserve_exact(room),
                Section::Authority => self.authority.reserve_exact(room),
                Section::Additional => self.additional.reserve_exact(room),
            }
            for _ in 0..count {
                if !self.read_record(decoder, section) {
                    self.is_incomplete = true;
                    return;
                }
            }
        }
    }

    /// Reads one record; false when the message ends or the framing is broken.
    fn read_record(&mut self, decoder: &mut BinDecoder<'_>, section: Section) -> bool {
        let Ok(name) = Name::read(decoder) else {
            return false;
        };
        let Ok(fixed) = decoder.read_slice(10).map(Restrict::unverified) else {
            return false;
        };
        let rtype_code = u16::from_be_bytes([fixed[0], fixed[1]]);
        let class_code = u16::from_be_bytes([fixed[2], fixed[3]]);
        let ttl = u32::from_be_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]);
        let length = u16::from_be_bytes([fixed[8], fixed[9]]);
        let start = decoder.index();
        let Ok(raw) = decoder
            .read_slice(usize::from(length))
            .map(Restrict::unverified)
        else {
            return false;
        };
        let rtype = RecordType::from(rtype_code);
        if rtype == RecordType::OPT {
            self.keep_opt(name, class_code, ttl, raw);
            return true;
        }
        let rdata = decode_rdata(decoder, start, rtype, length, raw);
        let section_records = match section {
            Section::Answer => &mut self.answer,
            Section::Authority => &mut self.authority,
            Section::Additional => &mut self.additional,
        };
        let rdata = match rdata {
            Ok(rdata) => rdata,
            Err(error) => {
                self.malformed.push(MalformedRecord {
                    section,
                    index: section_records.len(),
                    name: name.clone(),
                    rtype,
                    error,
                });
                raw_rdata(rtype, raw)
            }
        };
        let mut record = Record::from_rdata(name, ttl, rdata);
        record.dns_class = DNSClass::from(class_code);
        section_records.push(record);
        true
    }

    fn keep_opt(&mut self, owner: Name, class_code: u16, ttl: u32, raw: &[u8]) {
        if self.opt.is_some() {
            self.has_duplicate_opt = true;
            return;
        }
        let [extended_rcode, version, flags_high, flags_low] = ttl.to_be_bytes();
        let flags = u16::from_be_bytes([flags_high, flags_low]);
        let (options, has_malformed_options) = parse_options(raw);
        self.opt = Some(Opt {
            owner,
            udp_size: class_code,
            extended_rcode,
            version,
            dnssec_ok: flags & 0x8000 != 0,
            z: flags & 0x7fff,
            options,
            has_malformed_options,
        });
    }

    /// Zonemaster's reply classification (engine spec §1.7).
    pub fn classify(&self) -> Classification {
        if self.rcode == Rcode::NXDOMAIN {
            Classification::NxDomain
        } else if self.answer.is_empty()
            && self.additional.is_empty()
            && self.authority.len() == 1
            && self
                .authority
                .iter()
                .all(|r| r.record_type() == RecordType::SOA)
        {
            Classification::NoData
        } else if self.answer.is_empty()
            && self
                .authority
                .iter()
                .any(|r| r.record_type() == RecordType::NS)
        {
            Classification::Referral
        } else {
            Classification::Answer
        }
    }

    /// Records of `rtype` owned by `name` (case-insensitive) in a section.
    pub fn records<'a>(
        section: &'a [Record],
        name: &'a Name,
        rtype: RecordType,
    ) -> impl Iterator<Item = &'a Record> + 'a {
        section
            .iter()
            .filter(move |r| r.record_type() == rtype && r.name.eq_ignore_root(name))
    }

    /// Every record of `rtype` in the answer section, whatever its owner.
    pub fn answers_of(&self, rtype: RecordType) -> impl Iterator<Item = &Record> {
        self.answer.iter().filter(move |r| r.record_type() == rtype)
    }

    /// True when the message ID, QR bit and question match `query`.
    pub fn question_matches(&self, query: &crate::dns::Query) -> bool {
        self.question.len() == 1
            && self.question.iter().all(|q| {
                q.name().eq_ignore_root(&query.name)
                    && q.query_type() == query.rtype
                    && q.query_class() == query.class
            })
    }
}

/// Decodes rdata at `start` with hickory, insisting it uses exactly `length`.
fn decode_rdata(
    decoder: &BinDecoder<'_>,
    start: usize,
    rtype: RecordType,
    length: u16,
    raw: &[u8],
) -> Result<RData, String> {
    let Ok(start_index) = u16::try_from(start) else {
        return Ok(raw_rdata(rtype, raw));
    };
    let mut rdata_decoder = decoder.clone(start_index);
    let rdata = RData::read(&mut rdata_decoder, rtype, Restrict::new(length))
        .map_err(|error| error.to_string())?;
    let used = rdata_decoder.index() - start;
    if used != usize::from(length) {
        return Err(format!("rdata uses {used} of {length} octets"));
    }
    Ok(rdata)
}

/// Keeps rdata as raw bytes (`NULL::with` refuses an empty buffer).
pub(crate) fn raw_rdata(rtype: RecordType, raw: &[u8]) -> RData {
    let rdata = if raw.is_empty() {
        NULL::new()
    } else {
        NULL::with(raw.to_vec())
    };
    RData::Unknown { code: rtype, rdata }
}

/// Splits OPT rdata into options; the flag says whether it was well formed.
fn parse_options(raw: &[u8]) -> (Vec<(u16, Vec<u8>)>, bool) {
    let mut options = Vec::new();
    let mut rest = raw;
    while !rest.is_empty() {
        let Some(head) = rest.get(..4) else {
            return (options, true);
        };
        let code = u16::from_be_bytes([head[0], head[1]]);
        let length = usize::from(u16::from_be_bytes([head[2], head[3]]));
        let Some(data) = rest.get(4..4 + length) else {
            options.push((code, rest.get(4..).unwrap_or_default().to_vec()));
            return (options, true);
        };
        options.push((code, data.to_vec()));
        rest = rest.get(4 + length..).unwrap_or_default();
    }
    (options, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reply to `x. TXT` with one good TXT answer, a 4-octet NSEC3 (too
    /// short to decode) in additional and an OPT with a cut-off option.
    fn reply_with_bad_nsec3() -> Vec<u8> {
        let mut wire = vec![0xab, 0xcd, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 2];
        wire.extend_from_slice(b"\x01x\x00\x00\x10\x00\x01");
        wire.extend_from_slice(b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x3c\x00\x03\x02ok");
        wire.extend_from_slice(b"\xc0\x0c\x00\x32\x00\x01\x00\x00\x00\x3c\x00\x04\x01\x02\x03\x04");
        wire.extend_from_slice(b"\x00\x00\x29\x04\xd0\x01\x00\x80\x00\x00\x05\x00\x0a\x00\x08\x01");
        wire
    }

    #[test]
    fn one_bad_record_keeps_the_rest() {
        let packet = Packet::decode(&reply_with_bad_nsec3()).unwrap();
        assert_eq!(packet.id, 0xabcd);
        assert!(packet.aa && packet.is_response);
        assert_eq!(packet.answer.len(), 1);
        assert_eq!(packet.answer[0].record_type(), RecordType::TXT);
        assert_eq!(packet.additional.len(), 1);
        assert_eq!(packet.malformed.len(), 1);
        assert_eq!(packet.malformed[0].rtype, RecordType::NSEC3);
        match &packet.additional[0].data {
            RData::Unknown { rdata, .. } => assert_eq!(rdata.anything, &[1, 2, 3, 4]),
            other => panic!("expected raw rdata, got {other:?}"),
        }
        assert!(!packet.is_incomplete);
    }

    #[test]
    fn opt_is_parsed_by_hand_with_extended_rcode() {
        let packet = Packet::decode(&reply_with_bad_nsec3()).unwrap();
        let opt = packet.opt.as_ref().unwrap();
        assert_eq!(opt.udp_size, 1232);
        assert_eq!(opt.extended_rcode, 1);
        assert!(opt.dnssec_ok);
        assert!(opt.has_malformed_options);
        assert_eq!(opt.options, vec![(10, vec![1])]);
        assert_eq!(packet.rcode, Rcode::BADVERS);
    }

    #[test]
    fn truncated_message_keeps_what_was_read() {
        let mut wire = reply_with_bad_nsec3();
        wire.truncate(40);
        let packet = Packet::decode(&wire).unwrap();
        assert!(packet.is_incomplete);
        assert_eq!(packet.answer.len(), 1);
    }

    #[test]
    fn short_garbage_is_an_error() {
        assert_eq!(Packet::decode(&[1, 2, 3]), Err(PacketError::TooShort(3)));
    }

    #[test]
    fn section_counts_size_the_sections_only_as_far_as_the_message_goes() {
        // Claims 65,535 records in each section and holds 22 octets of
        // them: room for two, not for the claim.
        let mut wire = vec![0, 1, 0x84, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        wire.extend_from_slice(&[0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 0]);
        wire.extend_from_slice(&[0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 0]);
        let packet = Packet::decode(&wire).unwrap();
        assert!(packet.is_incomplete);
        assert_eq!(packet.answer.len(), 2);
        assert!(packet.answer.capacity() <= 2);
        assert!(packet.authority.capacity() == 0);
    }

    #[test]
    fn empty_noerror_is_an_answer() {
        let wire = [0, 1, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            Packet::decode(&wire).unwrap().classify(),
            Classification::Answer
        );
    }
}
