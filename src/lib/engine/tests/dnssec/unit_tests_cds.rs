//! Unit tests of DNSSEC15, 16 and 17: in scripted worlds
//! ([`crate::engine::testing`]) for what the servers publish and how they
//! answer, and on the judging of DNSSEC16/17 directly for signatures
//! (scripted servers add no RRSIGs to answers), with zones signed here.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use hickory_proto::dnssec::DigestType;
use hickory_proto::dnssec::rdata::{CDNSKEY, CDS, DNSSECRData, RRSIG};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::cds_shared::{DnskeyView, Finding, Findings, ServerView, answer_records, answer_rrsigs};
use super::{dnssec16, dnssec17};
use crate::dns::Rcode;
use crate::dnssec::sign::{self, SigningKey, Validity, ZoneSigning};
use crate::engine::testing::{Asked, Behaviour, Emitted, TestRun, World, run_test_case};

const ZONE: &str = "example.com.";
const NS1: (&str, &str) = ("ns1.example.com.", "192.0.2.1");
const NS2: (&str, &str) = ("ns2.example.com.", "192.0.2.2");
const BOTH_IPS: &str = "192.0.2.1;192.0.2.2";

fn apex() -> Name {
    Name::from_ascii(ZONE).expect("a name")
}

fn ksk() -> SigningKey {
    SigningKey::generate(13, sign::KSK).expect("a key")
}

fn zsk() -> SigningKey {
    SigningKey::generate(13, sign::ZSK).expect("a key")
}

/// The CDS of `key` (digest type 2).
fn cds_of(key: &SigningKey) -> Record {
    key.cds_record(&apex(), 3600, 2).expect("a CDS")
}

/// The CDNSKEY of `key`.
fn cdnskey_of(key: &SigningKey) -> Record {
    key.cdnskey_record(&apex(), 3600)
}

/// The "delete" CDS, `0 0 0 00` (RFC 8078 §4).
fn delete_cds() -> Record {
    let cds = CDS::new(0, None, DigestType::from(0), vec![0]);
    Record::from_rdata(apex(), 3600, RData::DNSSEC(DNSSECRData::CDS(cds)))
}

/// The "delete" CDNSKEY, `0 3 0 AA==` (RFC 8078 §4).
fn delete_cdnskey() -> Record {
    let cdnskey = CDNSKEY::with_flags(0, None, vec![0]);
    Record::from_rdata(apex(), 3600, RData::DNSSEC(DNSSECRData::CDNSKEY(cdnskey)))
}

fn dnskeys(keys: &[&SigningKey]) -> Vec<Record> {
    keys.iter()
        .map(|key| key.dnskey_record(&apex(), 3600))
        .collect()
}

/// `example.com.` delegated to ns1 and ns2, ns1 serving `first` and ns2
/// `second` on top of the minimal zone.
fn world(first: Vec<Record>, second: Vec<Record>) -> World {
    World::with_delegation(ZONE, &[NS1, NS2])
        .server_records(NS1.0, NS1.1, first)
        .server_records(NS2.0, NS2.1, second)
}

fn same(records: &[Record]) -> World {
    world(records.to_vec(), records.to_vec())
}

/// The tags of the test case's findings (start and end left out).
fn findings_of(emitted: &Emitted) -> Vec<&str> {
    emitted
        .tags()
        .into_iter()
        .filter(|tag| !tag.starts_with("TEST_CASE_"))
        .collect()
}

// ---- DNSSEC15 ----------------------------------------------------------------

#[test]
fn dnssec15_no_cds_nor_cdnskey_is_said_once() {
    let emitted = run_test_case(&same(&[]), ZONE, "dnssec15");
    assert_eq!(findings_of(&emitted), ["DS15_NO_CDS_CDNSKEY"]);
}

#[test]
fn dnssec15_both_sets_matching_everywhere_pass() {
    let key = ksk();
    let records = [dnskeys(&[&key]), vec![cds_of(&key), cdnskey_of(&key)]].concat();
    let emitted = run_test_case(&same(&records), ZONE, "dnssec15");
    assert_eq!(findings_of(&emitted), ["DS15_HAS_CDS_AND_CDNSKEY"]);
    assert_eq!(
        emitted.arg("DS15_HAS_CDS_AND_CDNSKEY", "ns_ip_list"),
        [BOTH_IPS]
    );
}

#[test]
fn dnssec15_one_kind_only_is_noticed() {
    let key = ksk();
    let emitted = run_test_case(&same(&[cds_of(&key)]), ZONE, "dnssec15");
    assert_eq!(findings_of(&emitted), ["DS15_HAS_CDS_NO_CDNSKEY"]);
    let emitted = run_test_case(&same(&[cdnskey_of(&key)]), ZONE, "dnssec15");
    assert_eq!(findings_of(&emitted), ["DS15_HAS_CDNSKEY_NO_CDS"]);
}

#[test]
fn dnssec15_servers_with_different_sets_are_inconsistent() {
    let (first, second) = (ksk(), ksk());
    let emitted = run_test_case(
        &world(vec![cds_of(&first)], vec![cds_of(&second)]),
        ZONE,
        "dnssec15",
    );
    assert_eq!(
        findings_of(&emitted),
        ["DS15_HAS_CDS_NO_CDNSKEY", "DS15_INCONSISTENT_CDS"]
    );
    let emitted = run_test_case(
        &world(vec![cdnskey_of(&first)], Vec::new()),
        ZONE,
        "dnssec15",
    );
    assert_eq!(
        findings_of(&emitted),
        ["DS15_HAS_CDNSKEY_NO_CDS", "DS15_INCONSISTENT_CDNSKEY"]
    );
    assert_eq!(
        emitted.arg("DS15_HAS_CDNSKEY_NO_CDS", "ns_ip_list"),
        [NS1.1]
    );
}

#[test]
fn dnssec15_the_same_set_in_another_order_is_consistent() {
    let (first, second) = (ksk(), ksk());
    let emitted = run_test_case(
        &world(
            vec![cds_of(&first), cds_of(&second)],
            vec![cds_of(&second), cds_of(&first)],
        ),
        ZONE,
        "dnssec15",
    );
    assert_eq!(findings_of(&emitted), ["DS15_HAS_CDS_NO_CDNSKEY"]);
}

#[test]
fn dnssec15_cds_and_cdnskey_for_different_keys_mismatch() {
    let (first, second) = (ksk(), ksk());
    let records = [cds_of(&first), cdnskey_of(&second)];
    let emitted = run_test_case(&same(&records), ZONE, "dnssec15");
    assert_eq!(
        findings_of(&emitted),
        ["DS15_HAS_CDS_AND_CDNSKEY", "DS15_MISMATCH_CDS_CDNSKEY"]
    );
    assert_eq!(
        emitted.arg("DS15_MISMATCH_CDS_CDNSKEY", "ns_ip_list"),
        [BOTH_IPS]
    );
    // One more CDNSKEY than there are CDS records mismatches too.
    let records = [cds_of(&first), cdnskey_of(&first), cdnskey_of(&second)];
    let emitted = run_test_case(&same(&records), ZONE, "dnssec15");
    assert!(emitted.has("DS15_MISMATCH_CDS_CDNSKEY"));
}

#[test]
fn dnssec15_delete_records_match_each_other() {
    let emitted = run_test_case(&same(&[delete_cds(), delete_cdnskey()]), ZONE, "dnssec15");
    assert_eq!(findings_of(&emitted), ["DS15_HAS_CDS_AND_CDNSKEY"]);
}

#[test]
fn dnssec15_ignores_servers_that_do_not_answer_with_authority() {
    let (first, second) = (ksk(), ksk());
    let world = world(vec![cds_of(&first)], vec![cds_of(&second)])
        .behave(NS2.1, Behaviour::NotAuthoritative);
    let emitted = run_test_case(&world, ZONE, "dnssec15");
    assert_eq!(findings_of(&emitted), ["DS15_HAS_CDS_NO_CDNSKEY"]);
    assert_eq!(
        emitted.arg("DS15_HAS_CDS_NO_CDNSKEY", "ns_ip_list"),
        [NS1.1]
    );
    let silent = same(&[]).behave(NS1.1, Behaviour::Silent);
    let emitted = run_test_case(&silent, ZONE, "dnssec15");
    assert_eq!(findings_of(&emitted), ["DS15_NO_CDS_CDNSKEY"]);
}

#[test]
fn dnssec15_a_refused_cdnskey_leaves_the_cds_judged() {
    let key = ksk();
    let world = same(&[cds_of(&key), cdnskey_of(&key)]).behave_for(
        NS2.1,
        RecordType::CDNSKEY,
        Behaviour::Rcode(Rcode::REFUSED),
    );
    let emitted = run_test_case(&world, ZONE, "dnssec15");
    assert_eq!(findings_of(&emitted), ["DS15_HAS_CDS_AND_CDNSKEY"]);
    assert_eq!(
        emitted.arg("DS15_HAS_CDS_AND_CDNSKEY", "ns_ip_list"),
        [NS1.1]
    );
}

#[test]
fn dnssec15_asks_cdnskey_only_where_cds_was_usable() {
    let world = same(&[]).behave_for(NS2.1, RecordType::CDS, Behaviour::Rcode(Rcode::SERVFAIL));
    let _ = run_test_case(&world, ZONE, "dnssec15");
    let ns1: IpAddr = NS1.1.parse().expect("an address");
    assert_eq!(
        asked_for(&world, RecordType::CDNSKEY),
        BTreeSet::from([ns1])
    );
}

/// The servers asked a question of type `rtype` for the zone.
fn asked_for(world: &World, rtype: RecordType) -> BTreeSet<IpAddr> {
    world
        .asked()
        .iter()
        .filter_map(|asked| match asked {
            Asked::Dns {
                server,
                name,
                rtype: asked_type,
            } if *asked_type == rtype && *name == apex() => Some(*server),
            _ => None,
        })
        .collect()
}

// ---- DNSSEC16 and DNSSEC17 in scripted worlds (no signatures) ------------------

#[test]
fn dnssec16_and_17_say_nothing_without_the_records() {
    let key = ksk();
    let world = same(&dnskeys(&[&key]));
    for test_case in ["dnssec16", "dnssec17"] {
        let emitted = run_test_case(&world, ZONE, test_case);
        assert_eq!(findings_of(&emitted), Vec::<&str>::new(), "{test_case}");
    }
}

#[test]
fn dnssec16_and_17_a_delete_record_alone_is_all_that_is_said() {
    let world = same(&[delete_cds(), delete_cdnskey()]);
    let emitted = run_test_case(&world, ZONE, "dnssec16");
    assert_eq!(findings_of(&emitted), ["DS16_DELETE_CDS"]);
    assert_eq!(emitted.arg("DS16_DELETE_CDS", "ns_ip_list"), [BOTH_IPS]);
    let emitted = run_test_case(&world, ZONE, "dnssec17");
    assert_eq!(findings_of(&emitted), ["DS17_DELETE_CDNSKEY"]);
}

#[test]
fn dnssec16_and_17_a_delete_record_among_others_is_an_error() {
    let key = ksk();
    let records = [
        dnskeys(&[&key]),
        vec![
            delete_cds(),
            cds_of(&key),
            delete_cdnskey(),
            cdnskey_of(&key),
        ],
    ]
    .concat();
    let emitted = run_test_case(&same(&records), ZONE, "dnssec16");
    assert_eq!(findings_of(&emitted), ["DS16_MIXED_DELETE_CDS"]);
    let emitted = run_test_case(&same(&records), ZONE, "dnssec17");
    assert_eq!(findings_of(&emitted), ["DS17_MIXED_DELETE_CDNSKEY"]);
}

#[test]
fn dnssec16_and_17_records_without_a_dnskey_set() {
    let key = ksk();
    let world = world(
        vec![cds_of(&key), cdnskey_of(&key)],
        [dnskeys(&[&key]), vec![cds_of(&key), cdnskey_of(&key)]].concat(),
    );
    let emitted = run_test_case(&world, ZONE, "dnssec16");
    assert_eq!(
        emitted.arg("DS16_CDS_WITHOUT_DNSKEY", "ns_ip_list"),
        [NS1.1]
    );
    let emitted = run_test_case(&world, ZONE, "dnssec17");
    assert_eq!(
        emitted.arg("DS17_CDNSKEY_WITHOUT_DNSKEY", "ns_ip_list"),
        [NS1.1]
    );
    assert_eq!(
        emitted.level_of("DS17_CDNSKEY_WITHOUT_DNSKEY"),
        Some(crate::engine::level::Level::Error)
    );
}

#[test]
fn dnssec16_unsigned_cds_of_a_ksk() {
    let key = ksk();
    let records = [dnskeys(&[&key]), vec![cds_of(&key)]].concat();
    let emitted = run_test_case(&same(&records), ZONE, "dnssec16");
    assert_eq!(
        findings_of(&emitted),
        [
            "DS16_DNSKEY_NOT_SIGNED_BY_CDS",
            "DS16_CDS_NOT_SIGNED_BY_CDS",
            "DS16_CDS_UNSIGNED"
        ]
    );
    let tag = key.key_tag().to_string();
    assert_eq!(
        emitted.arg("DS16_CDS_NOT_SIGNED_BY_CDS", "keytag"),
        [tag.as_str()]
    );
    assert_eq!(emitted.arg("DS16_CDS_UNSIGNED", "ns_ip_list"), [BOTH_IPS]);
}

#[test]
fn dnssec16_cds_for_a_missing_non_zone_or_non_sep_key() {
    let (ksk, missing, zsk) = (ksk(), self::ksk(), zsk());
    let non_zone = self::ksk().with_flags(sign::SEP);
    let records = [
        dnskeys(&[&ksk, &zsk, &non_zone]),
        vec![cds_of(&missing), cds_of(&zsk), cds_of(&non_zone)],
    ]
    .concat();
    let emitted = run_test_case(&same(&records), ZONE, "dnssec16");
    let tag_of = |tag: &str| emitted.arg(tag, "keytag");
    assert_eq!(
        tag_of("DS16_CDS_MATCHES_NO_DNSKEY"),
        [missing.key_tag().to_string()]
    );
    assert_eq!(
        tag_of("DS16_CDS_MATCHES_NON_ZONE_DNSKEY"),
        [non_zone.key_tag().to_string()]
    );
    assert_eq!(
        tag_of("DS16_CDS_MATCHES_NON_SEP_DNSKEY"),
        [zsk.key_tag().to_string()]
    );
    // A non-zone key is not looked at further.
    assert_eq!(
        tag_of("DS16_CDS_NOT_SIGNED_BY_CDS"),
        [zsk.key_tag().to_string()]
    );
}

#[test]
fn dnssec17_judges_a_cdnskey_by_its_own_flags() {
    let (ksk, missing, zsk) = (ksk(), self::ksk(), zsk());
    let non_zone = self::ksk().with_flags(sign::SEP);
    let records = [
        dnskeys(&[&ksk, &zsk]),
        vec![
            cdnskey_of(&missing),
            cdnskey_of(&zsk),
            cdnskey_of(&non_zone),
        ],
    ]
    .concat();
    let emitted = run_test_case(&same(&records), ZONE, "dnssec17");
    let tag_of = |tag: &str| emitted.arg(tag, "keytag");
    assert_eq!(
        tag_of("DS17_CDNSKEY_MATCHES_NO_DNSKEY"),
        [missing.key_tag().to_string()]
    );
    // Not in the DNSKEY set, yet judged by its own flags.
    assert_eq!(
        tag_of("DS17_CDNSKEY_IS_NON_ZONE"),
        [non_zone.key_tag().to_string()]
    );
    assert_eq!(
        tag_of("DS17_CDNSKEY_IS_NON_SEP"),
        [zsk.key_tag().to_string()]
    );
    assert_eq!(
        tag_of("DS17_DNSKEY_NOT_SIGNED_BY_CDNSKEY"),
        [zsk.key_tag().to_string()]
    );
    assert!(emitted.has("DS17_CDNSKEY_UNSIGNED"));
}

#[test]
fn dnssec16_asks_dnskey_only_where_cds_was_found() {
    let key = ksk();
    let world = world(
        [dnskeys(&[&key]), vec![cds_of(&key)]].concat(),
        dnskeys(&[&key]),
    );
    let _ = run_test_case(&world, ZONE, "dnssec16");
    let ns1: IpAddr = NS1.1.parse().expect("an address");
    assert_eq!(asked_for(&world, RecordType::DNSKEY), BTreeSet::from([ns1]));
}

// ---- DNSSEC16 and DNSSEC17 judging signatures -----------------------------------

const NOW: Duration = Duration::from_secs(1_770_000_000);

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + NOW
}

fn address() -> IpAddr {
    NS1.1.parse().expect("an address")
}

/// A zone with the DNSKEYs of `ksk` and `zsk` and `extra` records, signed
/// by both (the KSK signing the key sets).
fn signed(ksk: &SigningKey, zsk: &SigningKey, extra: &[Record]) -> Vec<Record> {
    let soa = Record::from_rdata(
        apex(),
        3600,
        RData::SOA(hickory_proto::rr::rdata::SOA::new(
            Name::from_ascii(NS1.0).expect("a name"),
            Name::from_ascii("hostmaster.example.com.").expect("a name"),
            1,
            21_600,
            3_600,
            1_209_600,
            3_600,
        )),
    );
    let records = [vec![soa], extra.to_vec()].concat();
    let signing = ZoneSigning {
        validity: Validity::usual(now()),
        ..ZoneSigning::nsec(now())
    };
    sign::sign_zone(&apex(), &records, &[ksk, zsk], &signing).expect("signed")
}

fn covering(records: &[Record], rtype: RecordType) -> Vec<Record> {
    records
        .iter()
        .filter(|record| {
            record.record_type() == rtype
                || sign::rrsig_of(record).is_some_and(|rrsig| rrsig.input().type_covered == rtype)
        })
        .cloned()
        .collect()
}

/// What a server serving `zone` answers, asked `rtype` and DNSKEY.
fn view(zone: &[Record], rtype: RecordType) -> ServerView {
    let answer = covering(zone, rtype);
    ServerView {
        address: address(),
        records: answer_records(&answer, rtype),
        signatures: answer_rrsigs(&answer),
        dnskey: DnskeyView::from_answer(&covering(zone, RecordType::DNSKEY), now()),
    }
}

fn both_findings(zone: &[Record]) -> (Findings, Findings) {
    (
        dnssec16::findings(&[view(zone, RecordType::CDS)]),
        dnssec17::findings(&[view(zone, RecordType::CDNSKEY)]),
    )
}

fn kinds(findings: &Findings) -> Vec<Finding> {
    findings.keys().copied().collect()
}

#[test]
fn a_signed_zone_with_cds_and_cdnskey_of_its_ksk_passes() {
    let (ksk, zsk) = (ksk(), zsk());
    let zone = signed(&ksk, &zsk, &[cds_of(&ksk), cdnskey_of(&ksk)]);
    let (cds, cdnskey) = both_findings(&zone);
    assert_eq!(kinds(&cds), []);
    assert_eq!(kinds(&cdnskey), []);
}

#[test]
fn records_of_the_zsk_are_not_signed_by_it() {
    let (ksk, zsk) = (ksk(), zsk());
    let zone = signed(&ksk, &zsk, &[cds_of(&zsk), cdnskey_of(&zsk)]);
    let tag = zsk.key_tag();
    let (cds, cdnskey) = both_findings(&zone);
    assert_eq!(
        kinds(&cds),
        [
            Finding::NonSep(tag),
            Finding::DnskeyNotSignedBy(tag),
            Finding::NotSignedBy(tag)
        ]
    );
    assert_eq!(kinds(&cdnskey), kinds(&cds));
}

/// `zone` with the RRSIGs over `rtype` replaced by what `change` makes of
/// them.
fn with_rrsigs(
    zone: &[Record],
    rtype: RecordType,
    change: impl Fn(&RRSIG) -> RRSIG,
) -> Vec<Record> {
    zone.iter()
        .map(|record| match sign::rrsig_of(record) {
            Some(rrsig) if rrsig.input().type_covered == rtype => {
                let mut changed = record.clone();
                changed.data = RData::DNSSEC(DNSSECRData::RRSIG(change(rrsig)));
                changed
            }
            _ => record.clone(),
        })
        .collect()
}

fn flipped(rrsig: &RRSIG) -> RRSIG {
    let mut signature = rrsig.sig().to_vec();
    if let Some(first) = signature.first_mut() {
        *first ^= 0xff;
    }
    RRSIG::from_sig(rrsig.input().clone(), signature)
}

#[test]
fn a_broken_signature_over_the_records_is_invalid() {
    let (ksk, zsk) = (ksk(), zsk());
    let zone = signed(&ksk, &zsk, &[cds_of(&ksk), cdnskey_of(&ksk)]);
    let zone = with_rrsigs(&zone, RecordType::CDS, flipped);
    let zone = with_rrsigs(&zone, RecordType::CDNSKEY, flipped);
    let (cds, cdnskey) = both_findings(&zone);
    assert_eq!(kinds(&cds), [Finding::InvalidRrsig(ksk.key_tag())]);
    assert_eq!(kinds(&cdnskey), [Finding::InvalidRrsig(ksk.key_tag())]);
}

#[test]
fn an_expired_or_future_signature_is_invalid() {
    let (ksk, zsk) = (ksk(), zsk());
    let zone = signed(&ksk, &zsk, &[cds_of(&ksk)]);
    let cds_set = answer_records(&zone, RecordType::CDS);
    for validity in [
        Validity {
            inception: 1_769_000_000,
            expiration: 1_769_500_000,
        },
        Validity {
            inception: 1_770_100_000,
            expiration: 1_771_000_000,
        },
    ] {
        let resigned = ksk
            .sign_rrset(&cds_set, &apex(), validity)
            .expect("a signature");
        let zone: Vec<Record> = zone
            .iter()
            .filter(|record| {
                sign::rrsig_of(record)
                    .is_none_or(|rrsig| rrsig.input().type_covered != RecordType::CDS)
            })
            .cloned()
            .chain([resigned])
            .collect();
        let findings = dnssec16::findings(&[view(&zone, RecordType::CDS)]);
        assert_eq!(kinds(&findings), [Finding::InvalidRrsig(ksk.key_tag())]);
    }
}

#[test]
fn a_signature_by_a_key_outside_the_set_is_unknown() {
    let (ksk, zsk, stranger) = (ksk(), zsk(), self::ksk());
    let zone = signed(&ksk, &zsk, &[cds_of(&ksk)]);
    let cds_set = answer_records(&zone, RecordType::CDS);
    let foreign = stranger
        .sign_rrset(&cds_set, &apex(), Validity::usual(now()))
        .expect("a signature");
    let zone = [zone, vec![foreign]].concat();
    let findings = dnssec16::findings(&[view(&zone, RecordType::CDS)]);
    assert_eq!(
        kinds(&findings),
        [Finding::SignedByUnknown(stranger.key_tag())]
    );
}

#[test]
fn findings_gather_the_servers_they_were_found_on() {
    let (ksk, zsk) = (ksk(), zsk());
    let zone = signed(&ksk, &zsk, &[cds_of(&zsk)]);
    let mut second = view(&zone, RecordType::CDS);
    second.address = NS2.1.parse().expect("an address");
    let findings = dnssec16::findings(&[view(&zone, RecordType::CDS), second]);
    let servers = findings
        .get(&Finding::NonSep(zsk.key_tag()))
        .expect("the finding");
    assert_eq!(servers.len(), 2);
}

#[test]
fn a_disabled_family_is_said_for_both_questions() {
    let key = ksk();
    let records = [dnskeys(&[&key]), vec![cds_of(&key), cdnskey_of(&key)]].concat();
    let v6 = ("ns2.example.com.", "2001:db8::2");
    let world = World::with_delegation(ZONE, &[NS1, v6])
        .server_records(NS1.0, NS1.1, records.clone())
        .server_records(v6.0, v6.1, records);
    for (test_case, second) in [
        ("dnssec15", "CDNSKEY"),
        ("dnssec16", "DNSKEY"),
        ("dnssec17", "DNSKEY"),
    ] {
        let emitted = TestRun::new(&world, ZONE, test_case)
            .profile(|profile| profile.set_ipv6(false))
            .run();
        let first = if test_case == "dnssec17" {
            "CDNSKEY"
        } else {
            "CDS"
        };
        assert_eq!(
            emitted.arg("IPV6_DISABLED", "rrtype"),
            [first, second],
            "{test_case}"
        );
        assert_eq!(
            emitted.arg("IPV6_DISABLED", "ns"),
            ["ns2.example.com/2001:db8::2"; 2],
            "{test_case}"
        );
    }
    let emitted = TestRun::new(&world, ZONE, "dnssec15")
        .profile(|profile| profile.set_ipv6(false))
        .run();
    assert_eq!(
        emitted.arg("DS15_HAS_CDS_AND_CDNSKEY", "ns_ip_list"),
        [NS1.1]
    );
}

#[test]
fn records_hickory_refuses_are_read_from_their_octets() {
    use super::cds_shared::{ChildRecord, key_fields};
    // A CDNSKEY with protocol 2, which hickory will not decode.
    let key = ksk();
    let mut octets = vec![1, 1, 2, 13];
    octets.extend_from_slice(key.public_key());
    let raw = Record::from_rdata(
        apex(),
        3600,
        crate::dns::packet::raw_rdata(RecordType::CDNSKEY, &octets),
    );
    let fields = key_fields(&raw).expect("fields");
    assert_eq!((fields.flags, fields.algorithm), (sign::KSK, 13));
    assert_eq!(fields.tag, crate::dnssec::keytag::key_tag(&octets));
    let cds = ChildRecord::from_cds(&Record::from_rdata(
        apex(),
        3600,
        crate::dns::packet::raw_rdata(RecordType::CDS, &[0x12, 0x34, 0, 0, 0]),
    ))
    .expect("a CDS");
    assert_eq!((cds.tag, cds.is_delete()), (0x1234, true));
    // Too short to read.
    let short = Record::from_rdata(
        apex(),
        3600,
        crate::dns::packet::raw_rdata(RecordType::CDNSKEY, &[1, 1]),
    );
    assert_eq!(key_fields(&short), None);
}

#[test]
fn a_signature_of_an_algorithm_we_cannot_check_is_not_called_invalid() {
    // The KSK's key material is P-256, announced as algorithm 253 (private):
    // its signatures carry 253, which we cannot verify.
    let ksk = SigningKey::generate(13, sign::KSK)
        .expect("a key")
        .published_as(253);
    let zsk = zsk();
    let zone = signed(&ksk, &zsk, &[cds_of(&ksk), cdnskey_of(&ksk)]);
    let (cds, cdnskey) = both_findings(&zone);
    assert!(kinds(&cds).is_empty(), "{cds:?}");
    assert!(kinds(&cdnskey).is_empty(), "{cdnskey:?}");
}
