//! Choosing a server block and running its plugins for one query.
//!
//! Block choice and plugin order follow the conformance README: blocks
//! bound to the receiving address, the longest matching zone (the least
//! specific non-root one for DS), `view` filters; then chaos → acl →
//! header → template → file whatever order they were written in.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use hickory_proto::rr::Name;

use crate::config::{Block, Template};
use crate::denial::Denial;
use crate::message::{Reply, Request};
use crate::zone::{Rr, Zone, fqdn, parent, rtype};

const IN: u16 = 1;
const CH: u16 = 3;
const NOERROR: u16 = 0;
const SERVFAIL: u16 = 2;
const NXDOMAIN: u16 = 3;
const NOTIMP: u16 = 4;
const REFUSED: u16 = 5;
const BADVERS: u16 = 16;

/// What to do with a query.
#[derive(Debug)]
pub enum Action {
    /// Send this reply.
    Reply(Reply),
    /// Send this zone transfer (TCP only), one reply per message.
    Transfer(Vec<Reply>),
    /// Say nothing (`acl … drop`).
    Drop,
}

/// Every block, by the address it listens on.
pub struct World {
    by_address: HashMap<IpAddr, Vec<Arc<Block>>>,
}

impl World {
    /// Indexes blocks by bind address, keeping configuration order.
    pub fn new(blocks: Vec<Block>) -> Self {
        let mut by_address: HashMap<IpAddr, Vec<Arc<Block>>> = HashMap::new();
        for block in blocks.into_iter().map(Arc::new) {
            for address in &block.binds {
                by_address
                    .entry(address.to_canonical())
                    .or_default()
                    .push(Arc::clone(&block));
            }
        }
        Self { by_address }
    }

    /// Every (address, port) something listens on.
    pub fn listen_addresses(&self) -> Vec<(IpAddr, u16)> {
        let mut pairs: Vec<(IpAddr, u16)> = self
            .by_address
            .iter()
            .flat_map(|(address, blocks)| blocks.iter().map(move |block| (*address, block.port)))
            .collect();
        pairs.sort();
        pairs.dedup();
        pairs
    }

    /// Whether anything on `address` serves TCP (`is_tcp`) or UDP: false
    /// when every block bound there excludes it (`transport`), so that no
    /// socket is opened for it.
    pub fn listens(&self, address: IpAddr, is_tcp: bool) -> bool {
        self.by_address
            .get(&address.to_canonical())
            .is_some_and(|blocks| blocks.iter().any(|block| block.misbehaviour.serves(is_tcp)))
    }

    /// Decides what to answer `request` arriving on `local`.
    pub fn answer(&self, local: IpAddr, request: &Request, is_tcp: bool) -> Action {
        if self
            .choose_block(local, request)
            .is_some_and(|block| !block.misbehaviour.serves(is_tcp))
        {
            return Action::Drop;
        }
        if request.opcode != 0 {
            return Action::Reply(Reply::bare(NOTIMP));
        }
        if request.edns.as_ref().is_some_and(|edns| edns.version > 0)
            && !self
                .choose_block(local, request)
                .is_some_and(|block| block.misbehaviour.ignores_edns_version())
        {
            return Action::Reply(Reply::bare(BADVERS));
        }
        if request.qclass != IN && request.qclass != CH {
            return Action::Reply(Reply::bare(REFUSED));
        }
        let Some(block) = self.choose_block(local, request) else {
            return Action::Reply(Reply::bare(REFUSED));
        };
        let name = request.name();
        let served = block.files.iter().any(|zone| zone.origin.zone_of(&name));
        let mut action = block
            .misbehaviour
            .intercept(request, served)
            .unwrap_or_else(|| run_plugins(&block, request, is_tcp));
        if let (Some(set_aa), Action::Reply(reply)) = (block.set_aa, &mut action) {
            reply.aa = set_aa;
        }
        if let Action::Reply(reply) = &mut action {
            block.misbehaviour.shape(request, reply);
        }
        action
    }

    /// The address a UDP reply to `request` arriving on `local` leaves
    /// from, when it is not `local` (`reply-from`).
    /// A `reply-from` address of the other family than `local` is not
    /// used: the reply could not reach the client from it.
    pub fn reply_source(&self, local: IpAddr, request: &Request) -> Option<IpAddr> {
        self.choose_block(local, request)?
            .misbehaviour
            .reply_from
            .filter(|source| source.is_ipv4() == local.is_ipv4())
    }

    /// Every `reply-from` address, to bind for sending.
    pub fn reply_sources(&self) -> Vec<(IpAddr, u16)> {
        let mut pairs: Vec<(IpAddr, u16)> = self
            .by_address
            .values()
            .flatten()
            .filter_map(|block| Some((block.misbehaviour.reply_from?, block.port)))
            .collect();
        pairs.sort();
        pairs.dedup();
        pairs
    }

    fn choose_block(&self, local: IpAddr, request: &Request) -> Option<Arc<Block>> {
        let blocks = self.by_address.get(&local.to_canonical())?;
        let name = request.name();
        let mut candidates: Vec<(usize, &Arc<Block>)> = blocks
            .iter()
            .filter_map(|block| {
                let best = block
                    .zones
                    .iter()
                    .filter(|zone| zone.zone_of(&name))
                    .map(|zone| zone.num_labels())
                    .max()?;
                Some((usize::from(best), block))
            })
            .collect();
        if request.qtype == rtype::DS {
            // The parent answers DS: least specific zone first, root last.
            candidates.sort_by_key(|(labels, _)| if *labels == 0 { usize::MAX } else { *labels });
        } else {
            candidates.sort_by_key(|(labels, _)| std::cmp::Reverse(*labels));
        }
        candidates
            .into_iter()
            .map(|(_, block)| block)
            .find(|block| {
                block
                    .view_types
                    .as_ref()
                    .is_none_or(|types| types.contains(&request.qtype))
            })
            .cloned()
    }
}

fn run_plugins(block: &Block, request: &Request, is_tcp: bool) -> Action {
    if let Some(reply) = chaos(block, request) {
        return Action::Reply(reply);
    }
    if is_dropped(block, request) {
        return Action::Drop;
    }
    for template in &block.templates {
        match apply_template(template, request) {
            TemplateResult::Reply(reply) => return Action::Reply(reply),
            TemplateResult::Fail => return Action::Reply(Reply::bare(SERVFAIL)),
            TemplateResult::PassOn => {}
        }
    }
    if request.qclass != IN {
        return Action::Reply(Reply::bare(REFUSED));
    }
    let name = request.name();
    let Some(zone) = block
        .files
        .iter()
        .filter(|zone| zone.origin.zone_of(&name))
        .max_by_key(|zone| zone.origin.num_labels())
    else {
        // Nothing in the block handled the query: the reference server
        // answers SERVFAIL ("no next plugin"), unlike a missing block.
        return Action::Reply(Reply::bare(SERVFAIL));
    };
    if request.qtype == rtype::AXFR {
        return if is_tcp && zone.origin == name {
            Action::Transfer(transfer(zone))
        } else {
            Action::Reply(Reply::bare(REFUSED))
        };
    }
    Action::Reply(answer_from_zone(zone, request))
}

/// `chaos VERSION`: server identity TXT records in class CH.
fn chaos(block: &Block, request: &Request) -> Option<Reply> {
    let version = block.chaos.as_ref()?;
    if request.qclass != CH || request.qtype != rtype::TXT {
        return None;
    }
    let name = request.name().to_ascii();
    let text = match name.as_str() {
        "version.bind." | "version.server." => version.clone(),
        "authors.bind." => "zm-testns".to_owned(),
        "hostname.bind." | "id.server." => "zm-testns".to_owned(),
        _ => return None,
    };
    let mut rdata = Vec::new();
    for chunk in text.as_bytes().chunks(255) {
        rdata.push(u8::try_from(chunk.len()).unwrap_or(255));
        rdata.extend_from_slice(chunk);
    }
    if text.is_empty() {
        rdata.push(0);
    }
    let record = Rr {
        name: request.name(),
        rtype: rtype::TXT,
        class: CH,
        ttl: 0,
        rdata,
    };
    Some(Reply {
        rcode: NOERROR,
        aa: false,
        answer: vec![record],
        ..Reply::default()
    })
}

fn is_dropped(block: &Block, request: &Request) -> bool {
    let name = request.name();
    block.acls.iter().any(|acl| {
        let zones = if acl.zones.is_empty() {
            &block.zones
        } else {
            &acl.zones
        };
        zones.iter().any(|zone| zone.zone_of(&name))
            && acl
                .types
                .as_ref()
                .is_none_or(|types| types.contains(&request.qtype))
    })
}

enum TemplateResult {
    Reply(Reply),
    Fail,
    PassOn,
}

fn apply_template(template: &Template, request: &Request) -> TemplateResult {
    let name = request.name();
    let applies = template.class.is_none_or(|class| class == request.qclass)
        && template.rtype.is_none_or(|rtype| rtype == request.qtype)
        && template.zones.iter().any(|zone| zone.zone_of(&name));
    if !applies {
        return TemplateResult::PassOn;
    }
    if !template.matches.is_empty() {
        let text = name.to_ascii();
        if !template.matches.iter().any(|regex| regex.is_match(&text)) {
            return if template.fallthrough {
                TemplateResult::PassOn
            } else {
                TemplateResult::Fail
            };
        }
    }
    if template.rcode == SERVFAIL || template.is_broken {
        return TemplateResult::Reply(Reply::bare(SERVFAIL));
    }
    TemplateResult::Reply(Reply {
        rcode: template.rcode,
        aa: true,
        answer: template.answer.clone(),
        authority: template.authority.clone(),
        additional: template.additional.clone(),
        ..Reply::default()
    })
}

/// The closest delegation point strictly below the apex on the way to `name`.
fn zone_cut(zone: &Zone, name: &Name) -> Option<Name> {
    let apex_labels = zone.origin.num_labels();
    (apex_labels + 1..=name.num_labels())
        .map(|labels| fqdn(name.trim_to(usize::from(labels))))
        .find(|candidate| !zone.rrset(candidate, rtype::NS).is_empty())
}

fn with_signatures(zone: &Zone, records: Vec<Rr>, dnssec_ok: bool) -> Vec<Rr> {
    let Some(first) = records.first() else {
        return records;
    };
    let signatures = if dnssec_ok {
        zone.signatures(&first.name, first.rtype)
    } else {
        Vec::new()
    };
    records.into_iter().chain(signatures).collect()
}

/// Addresses in the zone for the targets of NS, MX and SRV records,
/// restricted to targets at or below `below` when given (referral glue is
/// in-bailiwick only, as the reference server does).
fn glue(zone: &Zone, records: &[Rr], below: Option<&Name>, dnssec_ok: bool) -> Vec<Rr> {
    let mut glue = Vec::new();
    for record in records {
        let target = match record.rtype {
            rtype::NS => record.target(0),
            rtype::MX => record.target(2),
            rtype::SRV => record.target(6),
            _ => None,
        };
        let Some(target) = target else { continue };
        // Out-of-zone data in a zone file is not served.
        if !zone.origin.zone_of(&target) || below.is_some_and(|cut| !cut.zone_of(&target)) {
            continue;
        }
        for kind in [rtype::A, rtype::AAAA] {
            for address in with_signatures(zone, zone.rrset(&target, kind), dnssec_ok) {
                if !glue.contains(&address) {
                    glue.push(address);
                }
            }
        }
    }
    glue
}

fn referral(zone: &Zone, cut: &Name, dnssec_ok: bool) -> Reply {
    let ns = zone.rrset(cut, rtype::NS);
    let mut authority = ns.clone();
    if dnssec_ok {
        let ds = zone.rrset(cut, rtype::DS);
        if ds.is_empty() {
            authority.extend(Denial::of(zone).no_data(cut));
        } else {
            authority.extend(with_signatures(zone, ds, true));
        }
    }
    Reply {
        rcode: NOERROR,
        aa: false,
        answer: Vec::new(),
        additional: glue(zone, &ns, Some(cut), false),
        authority,
        ..Reply::default()
    }
}

/// The records a name has, directly or through a wildcard.
struct Found {
    /// The records, owners rewritten to the name when from a wildcard.
    records: Vec<Rr>,
    /// The closest encloser whose wildcard they come from.
    wildcard_of: Option<Name>,
}

/// Records at `name`, or those of a matching wildcard with the owner
/// rewritten; `None` when neither exists.
fn records_at(zone: &Zone, name: &Name) -> Option<Found> {
    if zone.exists(name) {
        return Some(Found {
            records: zone.at(name).cloned().collect(),
            wildcard_of: None,
        });
    }
    let mut encloser = parent(name);
    while zone.origin.zone_of(&encloser) {
        if zone.exists(&encloser) {
            let wildcard = fqdn(encloser.prepend_label("*").ok()?);
            let records: Vec<Rr> = zone
                .at(&wildcard)
                .map(|record| Rr {
                    name: name.clone(),
                    ..record.clone()
                })
                .collect();
            return (!records.is_empty()).then_some(Found {
                records,
                wildcard_of: Some(encloser),
            });
        }
        if encloser.is_root() {
            break;
        }
        encloser = parent(&encloser);
    }
    None
}

fn answer_from_zone(zone: &Zone, request: &Request) -> Reply {
    let dnssec_ok = request.dnssec_ok();
    // Read only with DO: the chain is looked up afresh for each query.
    let denial = dnssec_ok.then(|| Denial::of(zone));
    let prove = |proof: &dyn Fn(&Denial) -> Vec<Rr>| denial.as_ref().map(proof).unwrap_or_default();
    let mut name = request.name();
    if let Some(cut) = zone_cut(zone, &name)
        && !(request.qtype == rtype::DS && cut == name)
    {
        return referral(zone, &cut, dnssec_ok);
    }
    let mut answer = Vec::new();
    // With DO: the NSEC/NSEC3 records proving what the answer denies.
    let mut proof = Vec::new();
    for _ in 0..8 {
        let Some(found) = records_at(zone, &name) else {
            proof.extend(prove(&|denial| denial.name_error(&name)));
            return negative(zone, answer, NXDOMAIN, dnssec_ok.then_some(proof));
        };
        let Found {
            records,
            wildcard_of,
        } = found;
        let wanted: Vec<Rr> = records
            .iter()
            .filter(|r| {
                r.rtype == request.qtype || (request.qtype == rtype::ANY && r.rtype != rtype::RRSIG)
            })
            .cloned()
            .collect();
        if !wanted.is_empty() {
            let signed = with_signatures_of(&records, wanted, request.qtype, dnssec_ok);
            answer.extend(signed);
            if let Some(encloser) = &wildcard_of {
                proof.extend(prove(&|denial| denial.wildcard_answer(&name, encloser)));
            }
            return positive(zone, answer, request.qtype, dnssec_ok.then_some(proof));
        }
        let cname: Vec<Rr> = records
            .iter()
            .filter(|r| r.rtype == rtype::CNAME)
            .cloned()
            .collect();
        let Some(target) = cname.first().and_then(|r| r.target(0)) else {
            proof.extend(prove(&|denial| match &wildcard_of {
                Some(encloser) => denial.wildcard_no_data(&name, encloser),
                None => denial.no_data(&name),
            }));
            return negative(zone, answer, NOERROR, dnssec_ok.then_some(proof));
        };
        answer.extend(with_signatures_of(&records, cname, rtype::CNAME, dnssec_ok));
        if let Some(encloser) = &wildcard_of {
            proof.extend(prove(&|denial| denial.wildcard_answer(&name, encloser)));
        }
        if !zone.origin.zone_of(&target) || zone_cut(zone, &target).is_some() {
            return positive(zone, answer, request.qtype, dnssec_ok.then_some(proof));
        }
        name = target;
    }
    positive(zone, answer, request.qtype, dnssec_ok.then_some(proof))
}

/// `wanted` plus, with DO, the RRSIGs among `records` covering `rtype`.
fn with_signatures_of(records: &[Rr], wanted: Vec<Rr>, rtype: u16, dnssec_ok: bool) -> Vec<Rr> {
    let signatures = records
        .iter()
        .filter(|r| {
            dnssec_ok
                && (r.covered_type() == Some(rtype)
                    || (rtype == rtype::ANY && r.rtype == rtype::RRSIG))
        })
        .cloned();
    wanted.into_iter().chain(signatures).collect::<Vec<_>>()
}

/// An answer; `proof` (with DO only) holds the denial records of a
/// wildcard expansion, put in authority after the apex NS set.
fn positive(zone: &Zone, answer: Vec<Rr>, qtype: u16, proof: Option<Vec<Rr>>) -> Reply {
    let dnssec_ok = proof.is_some();
    let apex_ns = zone.rrset(&zone.origin, rtype::NS);
    let mut authority = if qtype == rtype::NS
        && answer
            .iter()
            .any(|r| r.rtype == rtype::NS && r.name == zone.origin)
    {
        Vec::new()
    } else {
        with_signatures(zone, apex_ns.clone(), dnssec_ok)
    };
    authority.extend(proof.into_iter().flatten());
    // The reference server adds addresses for NS/MX/SRV targets in the
    // answer only, never for the apex NS records in authority.
    let additional = glue(zone, &answer, None, dnssec_ok);
    Reply {
        rcode: NOERROR,
        aa: true,
        answer,
        authority,
        additional,
        ..Reply::default()
    }
}

/// NXDOMAIN or NODATA; `proof` (with DO only) holds the denial records,
/// put in authority after the SOA.
fn negative(zone: &Zone, answer: Vec<Rr>, rcode: u16, proof: Option<Vec<Rr>>) -> Reply {
    // After a CNAME the reference server puts the apex NS records, not the
    // SOA, in the authority section.
    let owner_type = if answer.is_empty() {
        rtype::SOA
    } else {
        rtype::NS
    };
    let dnssec_ok = proof.is_some();
    let mut authority = with_signatures(zone, zone.rrset(&zone.origin, owner_type), dnssec_ok);
    authority.extend(proof.into_iter().flatten());
    Reply {
        rcode,
        aa: true,
        answer,
        authority,
        additional: Vec::new(),
        ..Reply::default()
    }
}

/// The zone as AXFR messages: SOA, everything else, SOA.
fn transfer(zone: &Zone) -> Vec<Reply> {
    let soa = zone.rrset(&zone.origin, rtype::SOA);
    let Some(soa) = soa.first() else {
        return vec![Reply::bare(SERVFAIL)];
    };
    let mut records = vec![soa.clone()];
    records.extend(
        zone.records()
            .iter()
            .filter(|r| r.rtype != rtype::SOA || r.name != zone.origin)
            .cloned(),
    );
    records.push(soa.clone());
    records
        .chunks(100)
        .map(|chunk| Reply {
            rcode: NOERROR,
            aa: true,
            answer: chunk.to_vec(),
            ..Reply::default()
        })
        .collect()
}
