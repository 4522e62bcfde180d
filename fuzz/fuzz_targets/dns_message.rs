//! A reply from a name server: our record-by-record decoder and everything
//! the engine reads off the result, then hickory's own decoder on the
//! same bytes (the engine uses its record types), re-encoded and decoded
//! again.
#![no_main]

use hickory_proto::dnssec::rdata::{DNSKEY, DNSSECRData};
use hickory_proto::op::Message;
use hickory_proto::rr::{RData, Record};
use libfuzzer_sys::fuzz_target;
use zonemaster::dns::{Packet, Query, name_to_text, zonemaster_keys};
use zonemaster::dnssec;
use zonemaster::engine::name::display;

fuzz_target!(|wire: &[u8]| {
    if let Ok(packet) = Packet::decode(wire) {
        read_like_the_engine(&packet);
    }
    if let Ok(message) = Message::from_vec(wire) {
        if let Ok(again) = message.to_vec() {
            let _ = Message::from_vec(&again);
            let _ = Packet::decode(&again);
        }
    }
});

fn read_like_the_engine(packet: &Packet) {
    let _ = packet.classify();
    let _ = packet.rcode.mnemonic();
    for question in &packet.question {
        let _ = name_to_text(question.name());
        let query = Query::new(question.name().clone(), question.query_type());
        let _ = packet.question_matches(&query);
        let _ = zonemaster_keys(&query);
        for rtype in [question.query_type(), hickory_proto::rr::RecordType::NS] {
            let _ = Packet::records(&packet.answer, question.name(), rtype).count();
        }
    }
    let sections = [&packet.answer, &packet.authority, &packet.additional];
    for record in sections.into_iter().flatten() {
        read_record(record);
    }
    if let Some(opt) = &packet.opt {
        let _ = name_to_text(&opt.owner);
    }
    verify_signatures(packet);
}

/// Every RRSIG of the answer against every DNSKEY of the reply: the keys
/// come from the server too, so their parsing is on the attack surface.
fn verify_signatures(packet: &Packet) {
    let all = || {
        [&packet.answer, &packet.authority, &packet.additional]
            .into_iter()
            .flatten()
    };
    let keys: Vec<&DNSKEY> = all()
        .filter_map(|record| match &record.data {
            RData::DNSSEC(DNSSECRData::DNSKEY(key)) => Some(key),
            _ => None,
        })
        .take(4)
        .collect();
    let signatures = all().filter_map(|record| match &record.data {
        RData::DNSSEC(DNSSECRData::RRSIG(rrsig)) => Some(rrsig),
        _ => None,
    });
    for rrsig in signatures.take(4) {
        let covered = rrsig.input().type_covered;
        let rrset: Vec<Record> = all()
            .filter(|record| record.record_type() == covered)
            .cloned()
            .collect();
        for key in &keys {
            let _ = dnssec::verify_rrsig(rrsig, key, &rrset);
        }
    }
}

fn read_record(record: &Record) {
    let _ = name_to_text(&record.name);
    let _ = display(&record.name);
    let _ = record.to_string();
    let _ = dnssec::canonical::canonical_rdata(record);
    let _ = dnssec::canonical_name_wire(&record.name);
    let _ = dnssec::denial::nsec_types(record);
    let _ = dnssec::denial::Nsec3Fields::of(record);
    match &record.data {
        RData::DNSSEC(DNSSECRData::DNSKEY(key)) => {
            let _ = dnssec::keytag::key_tag(&dnssec::dnskey_wire(key));
        }
        RData::DNSSEC(DNSSECRData::RRSIG(rrsig)) => {
            let _ = dnssec::canonical::signed_owner(&record.name, rrsig.input().num_labels);
        }
        _ => {}
    }
}
