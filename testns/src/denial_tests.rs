//! Denial of existence through whole answers: an NSEC zone laid out as the
//! example zone of RFC 4035 Appendix A and an NSEC3 zone laid out as the
//! one of RFC 5155 Appendix A (same salt and iterations, so the owner
//! hashes are the published ones), asked the questions of those RFCs'
//! Appendix B. The RRSIGs are dummies: nothing verifies them here, only
//! which ones come along.

use hickory_proto::rr::Name;

use crate::answer::{Action, World};
use crate::message::{Reply, Request, RequestEdns};
use crate::test_support::{self, LOCAL};
use crate::zone::rtype;

/// Records of both zones (relative to `example.`), signed.
const SIGNED: &[&str] = &[
    "@ SOA ns1 bugs.x.w 1 3600 300 3600000 3600",
    "@ NS ns1",
    "@ NS ns2",
    "@ MX 1 xx",
    "a DS 57855 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "ai A 192.0.2.9",
    "ns1 A 192.0.2.1",
    "ns2 A 192.0.2.2",
    "*.w MX 1 ai",
    "x.w MX 1 xx",
    "x.y.w MX 1 xx",
    "xx A 192.0.2.10",
];

/// The secure delegation's NS record and glue: never signed.
const SECURE_CUT: &[&str] = &["a NS ns1.a", "ns1.a A 192.0.2.5"];

/// A dummy RRSIG over `rtype` at `owner` (`labels` as RFC 4034 counts).
fn signature(owner: &str, rtype: &str, labels: usize) -> String {
    format!("{owner} RRSIG {rtype} 13 {labels} 3600 20300101000000 20200101000000 1 example. AAAA")
}

/// The label count of a relative owner in `example.`, without a `*`.
fn labels_of(owner: &str) -> usize {
    if owner == "@" {
        return 1;
    }
    1 + owner.split('.').filter(|label| *label != "*").count()
}

/// `lines` each followed by a signature over it.
fn with_signatures(lines: &[String]) -> Vec<String> {
    let mut signed = Vec::new();
    for line in lines {
        let mut words = line.split_whitespace();
        let (Some(owner), Some(rtype)) = (words.next(), words.next()) else {
            continue;
        };
        signed.push(line.clone());
        signed.push(signature(owner, rtype, labels_of(owner)));
    }
    signed
}

/// A zone file: the common records and `chain`, signed, then the
/// delegations to `a` and to the unsigned `insecure` (with glue).
fn zone_text(chain: &[String], insecure: &str) -> String {
    let mut lines: Vec<String> = SIGNED.iter().map(|line| (*line).to_owned()).collect();
    lines.extend(chain.iter().cloned());
    let mut lines = with_signatures(&lines);
    lines.extend(SECURE_CUT.iter().map(|line| (*line).to_owned()));
    lines.push(format!("{insecure} NS ns1.{insecure}"));
    lines.push(format!("ns1.{insecure} A 192.0.2.7"));
    let mut text = "$ORIGIN example.\n$TTL 3600\n".to_owned();
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// The NSEC zone: the chain of RFC 4035 Appendix A without the names
/// this smaller zone lacks.
fn nsec_world() -> World {
    let chain = [
        ("@", "a", "NS SOA MX RRSIG NSEC"),
        ("a", "ai", "NS DS RRSIG NSEC"),
        ("ai", "b", "A RRSIG NSEC"),
        ("b", "ns1", "NS RRSIG NSEC"),
        ("ns1", "ns2", "A RRSIG NSEC"),
        ("ns2", "*.w", "A RRSIG NSEC"),
        ("*.w", "x.w", "MX RRSIG NSEC"),
        ("x.w", "x.y.w", "MX RRSIG NSEC"),
        ("x.y.w", "xx", "MX RRSIG NSEC"),
        ("xx", "@", "A RRSIG NSEC"),
    ];
    let chain: Vec<String> = chain
        .iter()
        .map(|(owner, next, types)| format!("{owner} NSEC {next} {types}"))
        .collect();
    test_support::world(".", &zone_text(&chain, "b"), "")
}

/// Owner name → hash for salt aabbccdd and 12 iterations, from RFC 5155
/// Appendix A; `y.w` is an empty non-terminal, `c` an opt-out delegation
/// (no NSEC3 of its own).
const NSEC3_HASHES: &[(&str, &str)] = &[
    ("@", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"),
    ("a", "35mthgpgcu1qg68fab165klnsnk3dpvl"),
    ("ai", "gjeqe526plbf1g8mklp59enfd789njgi"),
    ("ns1", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
    ("ns2", "q04jkcevqvmu85r014c7dkba38o0ji5r"),
    ("w", "k8udemvp1j2f7eg6jebps17vp3n8i58h"),
    ("*.w", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"),
    ("x.w", "b4um86eghhds6nea196smvmlo4ors995"),
    ("y.w", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"),
    ("x.y.w", "2vptu5timamqttgl4luu9kg21e0aor3s"),
    ("xx", "t644ebqk9bibcna874givr6joj62mlhv"),
];

/// The NSEC3 zone, opt-out as in RFC 5155 Appendix A: its unsigned
/// delegation `c` has no NSEC3.
fn nsec3_world() -> World {
    let mut hashes: Vec<&str> = NSEC3_HASHES.iter().map(|(_, hash)| *hash).collect();
    hashes.sort_unstable();
    let mut chain: Vec<String> = hashes
        .iter()
        .enumerate()
        .map(|(index, hash)| {
            let next = hashes[(index + 1) % hashes.len()];
            format!("{hash} NSEC3 1 1 12 aabbccdd {next} A RRSIG")
        })
        .collect();
    chain.push("@ NSEC3PARAM 1 0 12 aabbccdd".to_owned());
    test_support::world(".", &zone_text(&chain, "c"), "")
}

/// The hashed owner name of `owner` in the NSEC3 zone.
fn hashed(owner: &str) -> String {
    let hash = NSEC3_HASHES
        .iter()
        .find(|(name, _)| *name == owner)
        .map(|(_, hash)| *hash)
        .unwrap();
    format!("{hash}.example.")
}

/// The reply to `name`/`qtype`, DO set or not.
fn ask(world: &World, name: &str, qtype: u16, dnssec_ok: bool) -> Reply {
    let request = Request {
        id: 1,
        opcode: 0,
        rd: false,
        cd: false,
        qname: Name::from_ascii(name).unwrap(),
        qtype,
        qclass: 1,
        edns: Some(RequestEdns {
            udp_size: 1232,
            version: 0,
            dnssec_ok,
            z: 0,
            options: Vec::new(),
        }),
    };
    match world.answer(LOCAL.parse().unwrap(), &request, false) {
        Action::Reply(reply) => reply,
        other => panic!("no reply: {other:?}"),
    }
}

/// Owners of the records of type `rtype` in `section`.
fn owners(section: &[crate::zone::Rr], rtype: u16) -> Vec<String> {
    section
        .iter()
        .filter(|r| r.rtype == rtype)
        .map(|r| r.name.to_ascii())
        .collect()
}

/// (owner, covered type) of the RRSIGs in `section`.
fn signatures(section: &[crate::zone::Rr]) -> Vec<(String, u16)> {
    section
        .iter()
        .filter_map(|r| Some((r.name.to_ascii(), r.covered_type()?)))
        .collect()
}

/// Every denial record in `section` has its RRSIGs beside it.
fn assert_signed(section: &[crate::zone::Rr], rtype: u16) {
    let sigs = signatures(section);
    for owner in owners(section, rtype) {
        assert!(sigs.contains(&(owner.clone(), rtype)), "{owner} unsigned");
    }
}

#[test]
fn nsec_nodata_carries_the_nsec_at_the_name() {
    let reply = ask(&nsec_world(), "ns1.example.", rtype::MX, true);
    assert_eq!(reply.rcode, 0);
    assert_eq!(owners(&reply.authority, rtype::SOA), ["example."]);
    assert_eq!(owners(&reply.authority, rtype::NSEC), ["ns1.example."]);
    assert_eq!(
        signatures(&reply.authority),
        [
            ("example.".to_owned(), rtype::SOA),
            ("ns1.example.".to_owned(), rtype::NSEC)
        ]
    );
}

#[test]
fn nsec_nodata_at_an_empty_non_terminal_carries_the_covering_nsec() {
    let reply = ask(&nsec_world(), "y.w.example.", rtype::A, true);
    assert_eq!(reply.rcode, 0);
    assert_eq!(owners(&reply.authority, rtype::NSEC), ["x.w.example."]);
}

#[test]
fn nsec_nxdomain_covers_the_name_and_the_wildcard() {
    // RFC 4035 B.2: ml.example.
    let reply = ask(&nsec_world(), "ml.example.", rtype::A, true);
    assert_eq!(reply.rcode, 3);
    assert_eq!(
        owners(&reply.authority, rtype::NSEC),
        ["b.example.", "example."]
    );
    assert_signed(&reply.authority, rtype::NSEC);
    // One NSEC covers both: it comes once.
    let reply = ask(&nsec_world(), "a.x.w.example.", rtype::A, true);
    assert_eq!(reply.rcode, 3);
    assert_eq!(owners(&reply.authority, rtype::NSEC), ["x.w.example."]);
    assert_eq!(signatures(&reply.authority).len(), 2);
}

#[test]
fn nsec_wildcard_answer_proves_the_name_absent() {
    // RFC 4035 B.6 and B.7: a.z.w.example.
    let world = nsec_world();
    let reply = ask(&world, "a.z.w.example.", rtype::MX, true);
    assert_eq!(owners(&reply.answer, rtype::MX), ["a.z.w.example."]);
    assert_eq!(
        signatures(&reply.answer),
        [("a.z.w.example.".to_owned(), rtype::MX)]
    );
    assert_eq!(owners(&reply.authority, rtype::NSEC), ["x.y.w.example."]);
    assert_signed(&reply.authority, rtype::NSEC);
    let reply = ask(&world, "a.z.w.example.", rtype::AAAA, true);
    assert_eq!(reply.rcode, 0);
    assert!(reply.answer.is_empty());
    assert_eq!(
        owners(&reply.authority, rtype::NSEC),
        ["x.y.w.example.", "*.w.example."]
    );
    assert_signed(&reply.authority, rtype::NSEC);
}

#[test]
fn nsec_referrals_prove_ds_or_its_absence() {
    let world = nsec_world();
    // RFC 4035 B.5: the unsigned child b.
    let reply = ask(&world, "mc.b.example.", rtype::MX, true);
    assert!(!reply.aa);
    assert_eq!(owners(&reply.authority, rtype::NS), ["b.example."]);
    assert_eq!(owners(&reply.authority, rtype::NSEC), ["b.example."]);
    assert_eq!(
        signatures(&reply.authority),
        [("b.example.".to_owned(), rtype::NSEC)]
    );
    // RFC 4035 B.4: the signed child a.
    let reply = ask(&world, "mc.a.example.", rtype::MX, true);
    assert_eq!(owners(&reply.authority, rtype::DS), ["a.example."]);
    assert_eq!(owners(&reply.authority, rtype::NSEC), Vec::<String>::new());
    assert_eq!(
        signatures(&reply.authority),
        [("a.example.".to_owned(), rtype::DS)]
    );
    // DS asked at the cut: NODATA with the same NSEC.
    let reply = ask(&world, "b.example.", rtype::DS, true);
    assert!(reply.aa);
    assert_eq!(owners(&reply.authority, rtype::NSEC), ["b.example."]);
}

#[test]
fn nsec_records_are_answered_as_data() {
    let reply = ask(&nsec_world(), "example.", rtype::NSEC, true);
    assert_eq!(owners(&reply.answer, rtype::NSEC), ["example."]);
    assert_eq!(
        signatures(&reply.answer),
        [("example.".to_owned(), rtype::NSEC)]
    );
    // An NSEC3PARAM question in an NSEC zone: NODATA, the apex NSEC.
    let reply = ask(&nsec_world(), "example.", rtype::NSEC3PARAM, true);
    assert!(reply.answer.is_empty());
    assert_eq!(owners(&reply.authority, rtype::NSEC), ["example."]);
}

#[test]
fn nsec3_nxdomain_proves_encloser_next_closer_and_wildcard() {
    // RFC 5155 B.1: a.c.x.w.example; the closest encloser x.w, the
    // next closer c.x.w (covered from the apex's hash), the wildcard
    // *.x.w (covered from a's).
    let reply = ask(&nsec3_world(), "a.c.x.w.example.", rtype::A, true);
    assert_eq!(reply.rcode, 3);
    assert_eq!(
        owners(&reply.authority, rtype::NSEC3),
        [hashed("x.w"), hashed("@"), hashed("a")]
    );
    assert_signed(&reply.authority, rtype::NSEC3);
    assert_eq!(signatures(&reply.authority).len(), 4);
}

#[test]
fn nsec3_nodata_carries_the_nsec3_of_the_name() {
    let world = nsec3_world();
    // RFC 5155 B.2 and B.2.1 (an empty non-terminal).
    for (name, owner) in [("ns1.example.", "ns1"), ("y.w.example.", "y.w")] {
        let reply = ask(&world, name, rtype::MX, true);
        assert_eq!(reply.rcode, 0);
        assert_eq!(owners(&reply.authority, rtype::SOA), ["example."]);
        assert_eq!(owners(&reply.authority, rtype::NSEC3), [hashed(owner)]);
        assert_signed(&reply.authority, rtype::NSEC3);
    }
    // What DNSSEC10 and DNSSEC03 ask: NSEC at the apex of an NSEC3 zone.
    let reply = ask(&world, "example.", rtype::NSEC, true);
    assert_eq!(owners(&reply.authority, rtype::NSEC3), [hashed("@")]);
    // RFC 5155 B.6: DS at the apex.
    let reply = ask(&world, "example.", rtype::DS, true);
    assert_eq!(owners(&reply.authority, rtype::NSEC3), [hashed("@")]);
}

#[test]
fn nsec3_wildcard_answers_prove_the_next_closer_name_absent() {
    let world = nsec3_world();
    // RFC 5155 B.4.
    let reply = ask(&world, "a.z.w.example.", rtype::MX, true);
    assert_eq!(owners(&reply.answer, rtype::MX), ["a.z.w.example."]);
    assert_eq!(owners(&reply.authority, rtype::NSEC3), [hashed("ns2")]);
    assert_signed(&reply.authority, rtype::NSEC3);
    // RFC 5155 B.5.
    let reply = ask(&world, "a.z.w.example.", rtype::AAAA, true);
    assert!(reply.answer.is_empty());
    assert_eq!(
        owners(&reply.authority, rtype::NSEC3),
        [hashed("w"), hashed("ns2"), hashed("*.w")]
    );
    assert_signed(&reply.authority, rtype::NSEC3);
}

#[test]
fn nsec3_opt_out_referral_proves_the_closest_provable_encloser() {
    // RFC 5155 B.3: the apex encloses c, whose hash a's NSEC3 covers.
    let world = nsec3_world();
    let reply = ask(&world, "mc.c.example.", rtype::MX, true);
    assert!(!reply.aa);
    assert_eq!(owners(&reply.authority, rtype::NS), ["c.example."]);
    let proof = [hashed("@"), hashed("a")];
    assert_eq!(owners(&reply.authority, rtype::NSEC3), proof);
    assert_signed(&reply.authority, rtype::NSEC3);
    let reply = ask(&world, "c.example.", rtype::DS, true);
    assert!(reply.aa);
    assert_eq!(owners(&reply.authority, rtype::NSEC3), proof);
    // The signed child: its DS, signed, no NSEC3.
    let reply = ask(&world, "mc.a.example.", rtype::MX, true);
    assert_eq!(owners(&reply.authority, rtype::DS), ["a.example."]);
    assert!(owners(&reply.authority, rtype::NSEC3).is_empty());
}

#[test]
fn nsec3_chain_records_are_answered_as_data() {
    let world = nsec3_world();
    let reply = ask(&world, "example.", rtype::NSEC3PARAM, true);
    assert_eq!(owners(&reply.answer, rtype::NSEC3PARAM), ["example."]);
    let reply = ask(&world, &hashed("ai"), rtype::NSEC3, true);
    assert_eq!(owners(&reply.answer, rtype::NSEC3), [hashed("ai")]);
    assert_signed(&reply.answer, rtype::NSEC3);
    let reply = ask(&world, "example.", rtype::RRSIG, true);
    assert!(!reply.answer.is_empty());
    assert!(reply.answer.iter().all(|r| r.rtype == rtype::RRSIG));
}

#[test]
fn without_do_nothing_changes() {
    for world in [nsec_world(), nsec3_world()] {
        for (name, qtype) in [
            ("ns1.example.", rtype::MX),
            ("ml.example.", rtype::A),
            ("a.z.w.example.", rtype::MX),
            ("a.z.w.example.", rtype::AAAA),
            ("mc.b.example.", rtype::A),
            ("mc.c.example.", rtype::A),
            ("mc.a.example.", rtype::A),
        ] {
            let reply = ask(&world, name, qtype, false);
            let sections = [&reply.answer, &reply.authority, &reply.additional];
            let dnssec_types = [rtype::RRSIG, rtype::NSEC, rtype::NSEC3, rtype::DS];
            for record in sections.iter().flat_map(|section| section.iter()) {
                assert!(!dnssec_types.contains(&record.rtype), "{name}: {record:?}");
            }
        }
    }
}

#[test]
fn an_nsec3_zone_with_another_hash_algorithm_proves_nothing() {
    let text = format!(
        "{}@ NSEC3PARAM 2 0 0 -\n@ NSEC example. A\n",
        test_support::EXAMPLE_ZONE
    );
    let world = test_support::world(".", &text, "");
    let reply = ask(&world, "nothing.example.", rtype::A, true);
    assert_eq!(reply.rcode, 3);
    assert_eq!(owners(&reply.authority, rtype::SOA), ["example."]);
    assert_eq!(reply.authority.len(), 1);
}
