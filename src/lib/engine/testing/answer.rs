//! How a scripted server answers one question: the authoritative lookup of
//! RFC 1034 §4.3.2 cut down to what test cases meet, then the server's
//! [`Behaviour`] on top.
//!
//! Covered: answers (AA), CNAME chains inside the zone, wildcards,
//! referrals at zone cuts with glue, DS answered from the parent side of a
//! cut, NXDOMAIN and NODATA with the SOA in authority, empty
//! non-terminals, REFUSED outside the served zones, an OPT record echoed
//! to EDNS queries. With DO, as a signed zone's server: the RRSIGs of each
//! RRset sent, the DS of a referral (or the proof it has none) and the
//! NSEC/NSEC3 proofs of [`super::denial`]. Not covered: DNAME, truncation
//! (replies are never cut to the UDP size), the apex NS set in the
//! authority section of answers.

use hickory_proto::op::{Edns, Message, OpCode, Query as Question, ResponseCode};
use hickory_proto::rr::rdata::opt::EdnsOption;
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::denial::{Denial, signatures};
use super::world::{Behaviour, EdnsFault, Server, Zone};
use crate::dns::{Protocol, Query, Rcode};

/// CNAME links followed inside one zone before giving up (a loop).
const MAX_CNAME_CHAIN: usize = 8;

/// The payload size the servers advertise in their OPT record.
const SERVER_EDNS_SIZE: u16 = 1232;

/// What the zone data says about a question. With DO, `proof` holds the
/// NSEC/NSEC3 records (and RRSIGs) for the authority section.
enum Lookup {
    /// Records answering it (a CNAME chain first, if any).
    Answer {
        answer: Vec<Record>,
        proof: Vec<Record>,
    },
    /// The name lies under a cut: the NS set (then, with DO, the DS set or
    /// the proof there is none) and the glue for it.
    Referral {
        authority: Vec<Record>,
        glue: Vec<Record>,
    },
    /// The name exists without records of the type.
    NoData { proof: Vec<Record> },
    /// The name does not exist.
    NxDomain { proof: Vec<Record> },
}

/// The records a name has in a zone, directly or through a wildcard.
struct Found {
    /// The records, owners rewritten to the name when from a wildcard.
    records: Vec<Record>,
    /// The closest encloser whose wildcard they come from.
    wildcard_of: Option<Name>,
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
    let dnssec_ok = query.edns.as_ref().is_some_and(|edns| edns.dnssec_ok);
    let soa = || {
        let soa = records
            .iter()
            .find(|record| record.record_type() == RecordType::SOA && record.name == zone.apex)
            .map(|record| (*record).clone());
        let signatures = if dnssec_ok {
            signatures(records.iter().copied(), &zone.apex, RecordType::SOA)
        } else {
            Vec::new()
        };
        soa.into_iter().chain(signatures)
    };
    let asked = Asked {
        name: &query.name,
        rtype: query.rtype,
        dnssec_ok,
    };
    let is_authoritative = match lookup(zone, &records, &asked) {
        Lookup::Answer { mut answer, proof } => {
            if let Behaviour::OwnerRenamed(owner) = behaviour {
                let owner = super::world::name(owner);
                answer
                    .iter_mut()
                    .filter(|record| record.name == zone.apex)
                    .for_each(|record| record.name = owner.clone());
            }
            message.add_answers(answer);
            message.add_authorities(proof);
            true
        }
        Lookup::Referral { authority, glue } => {
            message.add_authorities(authority);
            message.add_additionals(glue);
            false
        }
        Lookup::NoData { proof } => {
            message.add_authorities(soa());
            message.add_authorities(proof);
            true
        }
        Lookup::NxDomain { proof } => {
            message.add_authorities(soa());
            message.add_authorities(proof);
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

/// A question as the lookup sees it.
struct Asked<'q> {
    name: &'q Name,
    rtype: RecordType,
    dnssec_ok: bool,
}

/// The authoritative lookup of a question in `zone`'s `records`.
fn lookup(zone: &Zone, records: &[&Record], asked: &Asked<'_>) -> Lookup {
    let denial = asked.dnssec_ok.then(|| Denial::of(&zone.apex, records));
    let prove =
        |proof: &dyn Fn(&Denial<'_>) -> Vec<Record>| denial.as_ref().map(proof).unwrap_or_default();
    if let Some(cut) = cut_above(zone, records, asked.name)
        && !(asked.rtype == RecordType::DS && cut == *asked.name)
    {
        let mut authority = of_type(records, &cut, RecordType::NS);
        let glue = records
            .iter()
            .filter(|record| matches!(record.record_type(), RecordType::A | RecordType::AAAA))
            .filter(|record| {
                authority
                    .iter()
                    .any(|ns| ns_target(ns) == Some(&record.name))
            })
            .map(|record| (*record).clone())
            .collect();
        if asked.dnssec_ok {
            let ds = signed(records, &cut, RecordType::DS);
            authority.extend(if ds.is_empty() {
                prove(&|denial| denial.no_data(&cut))
            } else {
                ds
            });
        }
        return Lookup::Referral { authority, glue };
    }
    let mut answer = Vec::new();
    let mut proof = Vec::new();
    let mut owner = asked.name.clone();
    for _ in 0..MAX_CNAME_CHAIN {
        let found = match find(zone, records, &owner) {
            Ok(found) => found,
            Err(encloser) => {
                proof.extend(prove(&|denial| denial.name_error(&owner, &encloser)));
                break;
            }
        };
        let held: Vec<&Record> = found.records.iter().collect();
        let wildcard_proof = || match &found.wildcard_of {
            Some(encloser) => prove(&|denial| denial.wildcard_answer(&owner, encloser)),
            None => Vec::new(),
        };
        // ANY already takes the RRSIGs along.
        let wanted = if asked.dnssec_ok && asked.rtype != RecordType::ANY {
            signed(&held, &owner, asked.rtype)
        } else {
            of_type(&held, &owner, asked.rtype)
        };
        if !wanted.is_empty() {
            answer.extend(wanted);
            proof.extend(wildcard_proof());
            return Lookup::Answer { answer, proof };
        }
        let cname = of_type(&held, &owner, RecordType::CNAME);
        let Some(target) = cname.first().and_then(cname_target) else {
            proof.extend(prove(&|denial| match &found.wildcard_of {
                Some(encloser) => denial.wildcard_no_data(&owner, encloser),
                None => denial.no_data(&owner),
            }));
            break;
        };
        answer.extend(if asked.dnssec_ok {
            signed(&held, &owner, RecordType::CNAME)
        } else {
            cname
        });
        proof.extend(wildcard_proof());
        if !zone.apex.zone_of(&target) {
            break;
        }
        owner = target;
    }
    if !answer.is_empty() {
        Lookup::Answer { answer, proof }
    } else if find(zone, records, asked.name).is_ok() {
        Lookup::NoData { proof }
    } else {
        Lookup::NxDomain { proof }
    }
}

/// What `zone` holds at `name`: its records, or a wildcard's renamed to
/// it; else the closest existing ancestor, for the NXDOMAIN proof.
fn find(zone: &Zone, records: &[&Record], name: &Name) -> Result<Found, Name> {
    let exists = |name: &Name| records.iter().any(|record| name.zone_of(&record.name));
    if exists(name) {
        let records = of_type(records, name, RecordType::ANY);
        return Ok(Found {
            records,
            wildcard_of: None,
        });
    }
    let mut encloser = name.base_name();
    while zone.apex.zone_of(&encloser) && encloser != zone.apex && !exists(&encloser) {
        encloser = encloser.base_name();
    }
    let wildcard = encloser.prepend_label("*").map_err(|_| encloser.clone())?;
    let records: Vec<Record> = of_type(records, &wildcard, RecordType::ANY)
        .into_iter()
        .map(|mut record| {
            record.name = name.clone();
            record
        })
        .collect();
    if records.is_empty() {
        return Err(encloser);
    }
    Ok(Found {
        records,
        wildcard_of: Some(encloser),
    })
}

/// The `rtype` records at `owner` followed by their RRSIGs.
fn signed(records: &[&Record], owner: &Name, rtype: RecordType) -> Vec<Record> {
    let mut set = of_type(records, owner, rtype);
    if !set.is_empty() {
        set.extend(signatures(records.iter().copied(), owner, rtype));
    }
    set
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
