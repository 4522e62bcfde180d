//! The checks on the CNAME records of one reply (spec §1.8, CNAME steps
//! 1–6). Pure: the steps that need the resolution's state (7 and 8) live
//! with the walk.

use std::collections::{HashMap, HashSet};

use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};

use super::event::{CNAME_MAX_RECORDS, SystemEvent};
use super::resolution::CnameFailure;
use crate::dns::Packet;

/// What the checks concluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainVerdict {
    /// The reply is unusable; the event saying why is in the log.
    Failed(CnameFailure),
    /// The reply already carries the data for the end of the chain.
    Complete,
    /// The end of the chain must be looked up (steps 7 and 8).
    Follow(Name),
}

/// True when `packet` is an answer that needs CNAME processing: it has a
/// CNAME for `name` in the answer section and no `rtype` records for `name`
/// anywhere.
pub fn needs_processing(packet: &Packet, name: &Name, rtype: RecordType) -> bool {
    let sections = [&packet.answer, &packet.authority, &packet.additional];
    let has_data = sections
        .iter()
        .any(|section| Packet::records(section, name, rtype).next().is_some());
    !has_data
        && Packet::records(&packet.answer, name, RecordType::CNAME)
            .next()
            .is_some()
}

/// Runs steps 1–6 on the answer section for the question (`name`, `rtype`,
/// `class`), appending the events raised to `events`.
pub fn check_chain(
    packet: &Packet,
    name: &Name,
    rtype: RecordType,
    class: DNSClass,
    events: &mut Vec<SystemEvent>,
) -> ChainVerdict {
    events.push(SystemEvent::CnameStart {
        name: name.clone(),
        rtype,
        class,
    });
    let links = distinct_links(&packet.answer, events);
    if links.len() > CNAME_MAX_RECORDS {
        events.push(SystemEvent::CnameRecordsTooMany {
            name: name.clone(),
            count: links.len(),
        });
        return ChainVerdict::Failed(CnameFailure::TooMany);
    }
    if let Err(failure) = check_links(&links, events) {
        return ChainVerdict::Failed(failure);
    }
    let target = match follow_chain(&links, name, events) {
        Ok(target) => target,
        Err(failure) => return ChainVerdict::Failed(failure),
    };
    judge_data(packet, name, rtype, target, events)
}

/// One CNAME record as (owner, target), both lower-case.
type Link = (Name, Name);

/// Step 1: the CNAME records of `answer`, duplicates dropped and reported.
fn distinct_links(answer: &[Record], events: &mut Vec<SystemEvent>) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    let mut copies: Vec<(String, usize)> = Vec::new();
    for record in answer {
        let RData::CNAME(cname) = &record.data else {
            continue;
        };
        let link = (record.name.to_lowercase(), cname.0.to_lowercase());
        let key = format!("{}/CNAME/{}/{}", record.dns_class, link.0, link.1);
        match copies.iter_mut().find(|(seen, _)| *seen == key) {
            Some((_, extra)) => *extra += 1,
            None => {
                copies.push((key, 0));
                links.push(link);
            }
        }
    }
    let duplicated: Vec<String> = copies
        .iter()
        .filter(|(_, extra)| *extra > 0)
        .map(|(key, extra)| format!("{key} => {extra}"))
        .collect();
    if !duplicated.is_empty() {
        events.push(SystemEvent::CnameRecordsDuplicates {
            records: duplicated.join(";"),
        });
    }
    links
}

/// Steps 3 and 4, record by record in reply order. As in the reference,
/// "a target that is also an owner" means an owner of an *earlier* record,
/// so a chain listed in order passes.
fn check_links(links: &[Link], events: &mut Vec<SystemEvent>) -> Result<(), CnameFailure> {
    let mut owners: HashSet<&Name> = HashSet::new();
    let mut targets: HashSet<&Name> = HashSet::new();
    for (owner, target) in links {
        if owners.contains(owner) {
            events.push(SystemEvent::CnameRecordsMultipleForName {
                name: owner.clone(),
            });
            return Err(CnameFailure::MultipleForName);
        }
        if owner == target || targets.contains(target) || owners.contains(target) {
            events.push(SystemEvent::CnameLoopInner {
                name: join_names(links.iter().map(|(owner, _)| owner)),
                target: join_names(links.iter().map(|(_, target)| target)),
            });
            return Err(CnameFailure::LoopInner);
        }
        owners.insert(owner);
        targets.insert(target);
    }
    Ok(())
}

/// Step 5: the chain from `name` must use every record; returns its end.
fn follow_chain(
    links: &[Link],
    name: &Name,
    events: &mut Vec<SystemEvent>,
) -> Result<Name, CnameFailure> {
    let next: HashMap<&Name, &Name> = links
        .iter()
        .map(|(owner, target)| (owner, target))
        .collect();
    let mut target = name.to_lowercase();
    let mut used = 0;
    while let Some(&step) = next.get(&target) {
        if used > CNAME_MAX_RECORDS {
            // Unreachable after step 4; kept as a guard against a loop.
            return Err(CnameFailure::LoopInner);
        }
        target = step.clone();
        used += 1;
    }
    if used != links.len() {
        events.push(SystemEvent::CnameRecordsChainBroken {
            name: name.clone(),
            cname_rrs: links.len(),
            cname_counter: used,
        });
        return Err(CnameFailure::ChainBroken);
    }
    Ok(target)
}

/// Step 6: if the reply has records of the asked type, they must belong to
/// the end of the chain.
fn judge_data(
    packet: &Packet,
    name: &Name,
    rtype: RecordType,
    target: Name,
    events: &mut Vec<SystemEvent>,
) -> ChainVerdict {
    if packet.answers_of(rtype).next().is_none() {
        return ChainVerdict::Follow(target);
    }
    if Packet::records(&packet.answer, &target, rtype)
        .next()
        .is_some()
    {
        events.push(SystemEvent::CnameFollowedInZone {
            name: name.clone(),
            rtype,
            target,
        });
        return ChainVerdict::Complete;
    }
    let sections = [&packet.answer, &packet.authority, &packet.additional];
    let owners = sections
        .iter()
        .flat_map(|section| section.iter())
        .filter(|record| record.record_type() == rtype)
        .map(|record| &record.name);
    events.push(SystemEvent::CnameNoMatch {
        name: name.clone(),
        rtype,
        target,
        owner_names: join_names(owners),
    });
    ChainVerdict::Failed(CnameFailure::NoMatch)
}

/// Names in display form joined by `;`.
pub(super) fn join_names<'a>(names: impl Iterator<Item = &'a Name>) -> String {
    names
        .map(crate::engine::name::display)
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::{A, CNAME};

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    fn cname(owner: &str, target: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::CNAME(CNAME(name(target))))
    }

    fn a(owner: &str) -> Record {
        Record::from_rdata(name(owner), 60, RData::A(A("192.0.2.1".parse().unwrap())))
    }

    fn answer(records: Vec<Record>) -> Packet {
        let mut packet = Packet::decode(&[0, 1, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        packet.answer = records;
        packet
    }

    fn verdict(records: Vec<Record>) -> (ChainVerdict, Vec<&'static str>) {
        let mut events = Vec::new();
        let verdict = check_chain(
            &answer(records),
            &name("a.test."),
            RecordType::A,
            DNSClass::IN,
            &mut events,
        );
        (verdict, events.iter().map(SystemEvent::tag).collect())
    }

    #[test]
    fn a_chain_with_its_data_is_complete() {
        let (verdict, tags) = verdict(vec![
            cname("a.test.", "b.test."),
            cname("b.test.", "c.test."),
            a("c.test."),
        ]);
        assert_eq!(verdict, ChainVerdict::Complete);
        assert_eq!(tags, ["CNAME_START", "CNAME_FOLLOWED_IN_ZONE"]);
    }

    #[test]
    fn a_chain_without_data_asks_for_its_end() {
        let (verdict, _) = verdict(vec![
            cname("A.test.", "B.test."),
            cname("b.test.", "c.test."),
        ]);
        assert_eq!(verdict, ChainVerdict::Follow(name("c.test.")));
    }

    #[test]
    fn duplicates_are_dropped_and_reported() {
        let (verdict, tags) = verdict(vec![
            cname("a.test.", "b.test."),
            cname("a.test.", "b.test."),
        ]);
        assert_eq!(verdict, ChainVerdict::Follow(name("b.test.")));
        assert_eq!(tags, ["CNAME_START", "CNAME_RECORDS_DUPLICATES"]);
    }

    #[test]
    fn each_broken_chain_has_its_failure() {
        let cases = [
            (vec![cname("a.test.", "a.test.")], CnameFailure::LoopInner),
            (
                vec![cname("a.test.", "b.test."), cname("b.test.", "a.test.")],
                CnameFailure::LoopInner,
            ),
            (
                vec![cname("a.test.", "b.test."), cname("a.test.", "c.test.")],
                CnameFailure::MultipleForName,
            ),
            (
                vec![cname("a.test.", "b.test."), cname("x.test.", "y.test.")],
                CnameFailure::ChainBroken,
            ),
            (
                vec![cname("a.test.", "b.test."), a("z.test.")],
                CnameFailure::NoMatch,
            ),
        ];
        for (records, failure) in cases {
            assert_eq!(verdict(records).0, ChainVerdict::Failed(failure));
        }
    }

    #[test]
    fn more_than_nine_records_is_too_many() {
        let records = (0..10)
            .map(|i| cname(&format!("n{i}.test."), &format!("n{}.test.", i + 1)))
            .collect();
        assert_eq!(
            verdict(records).0,
            ChainVerdict::Failed(CnameFailure::TooMany)
        );
    }

    #[test]
    fn only_cname_answers_without_data_need_processing() {
        let qname = name("a.test.");
        assert!(needs_processing(
            &answer(vec![cname("a.test.", "b.test.")]),
            &qname,
            RecordType::A
        ));
        assert!(!needs_processing(
            &answer(vec![cname("a.test.", "b.test."), a("a.test.")]),
            &qname,
            RecordType::A
        ));
        assert!(!needs_processing(
            &answer(vec![cname("a.test.", "b.test.")]),
            &qname,
            RecordType::CNAME
        ));
    }
}
