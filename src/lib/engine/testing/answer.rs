//! How a scripted server answers one question: the authoritative lookup of
//! RFC 1034 §4.3.2 cut down to what test cases meet, then the server's
//! [`Behaviour`] on top.
//!
//! Covered: answers (AA), CNAME chains inside the zone, referrals at zone
//! cuts with glue, DS answered from the parent side of a cut, NXDOMAIN and
//! NODATA with the SOA in authority, empty non-terminals, REFUSED outside
//! the served zones, an OPT record echoed to EDNS queries. Not covered:
//! wildcards, DNAME, truncation (replies are never cut to the UDP size),
//! DNSSEC records added to answers by the DO bit.

use hickory_proto::op::{Edns, Message, OpCode, Query as Question, ResponseCode};
use hickory_proto::rr::rdata::opt::EdnsOption;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::world::{Behaviour, EdnsFault, Server, Zone};
use crate::dns::{Protocol, Query, Rcode};

/// CNAME links followed inside one zone before giving up (a loop).
const MAX_CNAME_CHAIN: usize = 8;

/// The payload size the servers advertise in their OPT record.
const SERVER_EDNS_SIZE: u16 = 1232;

/// What the zone data says about a question.
enum Lookup {
    /// Records answering it (a CNAME chain first, if any).
    Answer(Vec<Record>),
    /// The name lies under a cut: the NS set and the glue for it.
    Referral { ns: Vec<Record>, glue: Vec<Record> },
    /// The name exists without records of the type.
    NoData,
    /// The name does not exist.
    NxDomain,
}

/// The reply of `server` to `query` when it behaves as `behaviour`
/// (its own, or the one a stateful behaviour comes to); `None` when it
/// stays silent.
pub(super) fn answer_as(server: &Server, query: &Query, behaviour: Behaviour) -> Option<Message> {
    let mut message = Message::response(0, OpCode::Query);
    message.metadata.recursion_desired = query.rd;
    message.metadata.checking_disabled = query.cd;
    message.metadata.recursion_available = behaviour == Behaviour::Recursive;
    let mut question_name = query.name.clone();
    if behaviour == Behaviour::LowersQuestion {
        question_name = question_name.to_lowercase();
    }
    let mut question = Question::query(question_name, query.rtype);
    question.set_query_class(query.class);
    message.add_query(question);
    let fault = match (behaviour, &query.edns) {
        (Behaviour::OnEdns(probe, fault), Some(asked)) if probe.matches(asked) => Some(fault),
        _ => None,
    };
    if let Some(asked) = &query.edns {
        match fault {
            Some(EdnsFault::Silent) => return None,
            Some(EdnsFault::Formerr) => return Some(with_rcode(message, Rcode::FORMERR)),
            Some(EdnsFault::TruncatedWithoutOpt) => {
                message.metadata.truncation = true;
                return Some(message);
            }
            Some(EdnsFault::Rcode(rcode)) => {
                message.set_edns(reply_edns(asked, fault));
                return Some(with_rcode(message, rcode));
            }
            Some(EdnsFault::WithoutOpt) => {}
            _ => {
                message.set_edns(reply_edns(asked, fault));
                let is_badvers = asked.version > 0 && !matches!(fault, Some(EdnsFault::Version(_)));
                if is_badvers {
                    return Some(with_rcode(message, Rcode::BADVERS));
                }
            }
        }
    }
    let hidden = match behaviour {
        Behaviour::Silent | Behaviour::Hangs => return None,
        Behaviour::NoTcp if query.protocol == Protocol::Tcp => return None,
        Behaviour::Ignores(rtype) if rtype == query.rtype => return None,
        Behaviour::Rcode(rcode) => return Some(with_rcode(message, rcode)),
        Behaviour::RcodeFor(rtype, rcode) if rtype == query.rtype => {
            return Some(with_rcode(message, rcode));
        }
        Behaviour::Lame => return Some(with_rcode(message, Rcode::REFUSED)),
        Behaviour::Drops(rtype) => Some(rtype),
        _ => None,
    };
    let Some(zone) = server.zone_for(&query.name) else {
        return Some(match behaviour {
            Behaviour::Recursive | Behaviour::DeniesOtherNames => {
                with_rcode(message, Rcode::NXDOMAIN)
            }
            Behaviour::RefersUpward => referral_to_root(message),
            _ => with_rcode(message, Rcode::REFUSED),
        });
    };
    let records: Vec<&Record> = zone
        .records
        .iter()
        .filter(|record| Some(record.record_type()) != hidden)
        .collect();
    let soa = || {
        records
            .iter()
            .find(|record| record.record_type() == RecordType::SOA && record.name == zone.apex)
            .map(|record| (*record).clone())
    };
    let is_authoritative = match lookup(zone, &records, &query.name, query.rtype) {
        Lookup::Answer(mut answer) => {
            if let Behaviour::OwnerRenamed(owner) = behaviour {
                let owner = super::world::name(owner);
                answer
                    .iter_mut()
                    .filter(|record| record.name == zone.apex)
                    .for_each(|record| record.name = owner.clone());
            }
            message.add_answers(answer);
            true
        }
        Lookup::Referral { ns, glue } => {
            message.add_authorities(ns);
            message.add_additionals(glue);
            false
        }
        Lookup::NoData => {
            message.add_authorities(soa());
            true
        }
        Lookup::NxDomain => {
            message.add_authorities(soa());
            message.metadata.response_code = ResponseCode::NXDomain;
            true
        }
    };
    message.metadata.authoritative = is_authoritative
        && behaviour != Behaviour::NotAuthoritative
        && fault != Some(EdnsFault::ClearsAa);
    if fault == Some(EdnsFault::EmptyAnswer) {
        message.answers.clear();
    }
    Some(message)
}

/// The OPT record of a reply to a query with `asked`.
fn reply_edns(asked: &crate::dns::Edns, fault: Option<EdnsFault>) -> Edns {
    let mut edns = Edns::new();
    edns.set_max_payload(SERVER_EDNS_SIZE)
        .set_dnssec_ok(asked.dnssec_ok);
    match fault {
        Some(EdnsFault::Version(version)) => {
            edns.set_version(version);
        }
        Some(EdnsFault::Echoes) => {
            for (code, data) in &asked.options {
                edns.options_mut()
                    .insert(EdnsOption::Unknown(*code, data.clone()));
            }
            edns.flags_mut().z = asked.z;
        }
        _ => {}
    }
    edns
}

/// An upward referral: the root's NS record in authority, AA clear.
fn referral_to_root(mut message: Message) -> Message {
    let root_server = Name::from_ascii("a.root.").expect("a constant name");
    message.add_authority(Record::from_rdata(
        Name::root(),
        3600,
        RData::NS(hickory_proto::rr::rdata::NS(root_server)),
    ));
    message
}

/// The message with `rcode` and nothing in its sections.
fn with_rcode(mut message: Message, rcode: Rcode) -> Message {
    message.metadata.response_code = <ResponseCode as From<u16>>::from(rcode.0);
    message
}

/// The authoritative lookup of `name`/`rtype` in `zone`'s `records`.
fn lookup(zone: &Zone, records: &[&Record], name: &Name, rtype: RecordType) -> Lookup {
    if let Some(cut) = cut_above(zone, records, name)
        && !(rtype == RecordType::DS && cut == *name)
    {
        let ns = of_type(records, &cut, RecordType::NS);
        let glue = records
            .iter()
            .filter(|record| matches!(record.record_type(), RecordType::A | RecordType::AAAA))
            .filter(|record| ns.iter().any(|ns| ns_target(ns) == Some(&record.name)))
            .map(|record| (*record).clone())
            .collect();
        return Lookup::Referral { ns, glue };
    }
    let mut answer = Vec::new();
    let mut owner = name.clone();
    for _ in 0..MAX_CNAME_CHAIN {
        let found = of_type(records, &owner, rtype);
        if !found.is_empty() {
            answer.extend(found);
            return Lookup::Answer(answer);
        }
        let cname = of_type(records, &owner, RecordType::CNAME);
        let Some(target) = cname.first().and_then(cname_target) else {
            break;
        };
        answer.extend(cname);
        if !zone.apex.zone_of(&target) {
            break;
        }
        owner = target;
    }
    if !answer.is_empty() {
        Lookup::Answer(answer)
    } else if records.iter().any(|record| name.zone_of(&record.name)) {
        Lookup::NoData
    } else {
        Lookup::NxDomain
    }
}

/// The highest name with NS records strictly between the apex and `name`
/// (or `name` itself): where the zone stops being authoritative.
fn cut_above(zone: &Zone, records: &[&Record], name: &Name) -> Option<Name> {
    let apex_labels = usize::from(zone.apex.num_labels());
    (apex_labels + 1..=usize::from(name.num_labels()))
        .map(|labels| name.trim_to(labels))
        .find(|candidate| {
            records
                .iter()
                .any(|r| r.record_type() == RecordType::NS && r.name == *candidate)
        })
}

/// Clones of the records owned by `owner` of type `rtype` (every type for
/// ANY).
fn of_type(records: &[&Record], owner: &Name, rtype: RecordType) -> Vec<Record> {
    records
        .iter()
        .filter(|record| record.name == *owner)
        .filter(|record| rtype == RecordType::ANY || record.record_type() == rtype)
        .map(|record| (*record).clone())
        .collect()
}

fn ns_target(record: &Record) -> Option<&Name> {
    match &record.data {
        RData::NS(ns) => Some(&ns.0),
        _ => None,
    }
}

fn cname_target(record: &Record) -> Option<Name> {
    match &record.data {
        RData::CNAME(cname) => Some(cname.0.clone()),
        _ => None,
    }
}
