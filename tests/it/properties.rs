//! Property tests (issue 16): the name normaliser, our query encoder and
//! reply decoder, profile JSON, and "never panics" for every parser that
//! reads input from outside. Case counts are bounded so each property
//! runs in a few seconds; `PROPTEST_CASES` raises them for a longer hunt.

use std::net::{Ipv4Addr, Ipv6Addr};

use hickory_proto::op::{Message, MessageType, OpCode, Query as Question, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, MX, NS, TXT};
use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
use proptest::prelude::*;
use serde_json::Value;
use zonemaster::config::BackendConfig;
use zonemaster::dns::{Edns, Packet, Query};
use zonemaster::engine::RootHints;
use zonemaster::engine::name::{NameError, display, normalize, parse_domain};
use zonemaster::engine::profile::{CustomProfile, Profile};
use zonemaster::fuzzing::{zmctl_recording, zonemaster_recording};
use zonemaster::rpc::envelope::{check_envelope, parse_body};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- names ------------------------------------------------------------------

/// An ASCII label as users type them: letters of both cases, digits, `-`.
fn ascii_label() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9][a-zA-Z0-9-]{0,20}"
}

/// A label with letters that need an A-label.
fn unicode_label() -> impl Strategy<Value = String> {
    "[a-zåäöüéñçøæßαβγδжзийкあいう]{1,12}"
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![ascii_label(), unicode_label()]
}

fn domain() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 1..5).prop_map(|labels| labels.join("."))
}

proptest! {
    #![proptest_config(config(512))]

    /// Whatever normalises is in its own normal form: lower-case ASCII,
    /// no final dot, at most 253 octets, labels of at most 63.
    #[test]
    fn normal_names_are_fixed_points(input in any::<String>()) {
        if let Ok(normal) = normalize(&input) {
            prop_assert_eq!(normalize(&normal), Ok(normal.clone()));
            check_normal_form(&normal)?;
        }
    }

    #[test]
    fn normalising_is_idempotent_on_names(input in domain()) {
        let normal = normalize(&input).expect("generated names are valid");
        prop_assert_eq!(normalize(&normal), Ok(normal.clone()));
        check_normal_form(&normal)?;
    }

    /// Case, a final dot and surrounding white space do not matter.
    #[test]
    fn case_final_dot_and_space_do_not_matter(input in domain(), space in "[ \t]{0,2}") {
        let normal = normalize(&input).expect("generated names are valid");
        let variants = [
            input.to_uppercase(),
            format!("{input}."),
            format!("{space}{input}{space}"),
        ];
        for variant in variants {
            // Upper-casing ß gives SS: a different name, not a variant.
            if variant.contains("SS") && input.contains('ß') {
                continue;
            }
            prop_assert_eq!(normalize(&variant), Ok(normal.clone()), "{:?}", variant);
        }
    }

    /// A non-ASCII label becomes the A-label that decodes back to it.
    #[test]
    fn unicode_labels_become_their_a_labels(input in unicode_label()) {
        let normal = normalize(&input).expect("generated labels are valid");
        if input.is_ascii() {
            prop_assert_eq!(normal, input.to_ascii_lowercase());
        } else {
            prop_assert!(normal.starts_with("xn--"), "{}", normal);
            let (unicode, result) = idna::domain_to_unicode(&normal);
            prop_assert!(result.is_ok());
            prop_assert_eq!(unicode, input.to_lowercase());
        }
    }

    /// 63 octets per label and 253 per name, counted on the A-label form.
    #[test]
    fn length_limits_hold(length in 1usize..80, count in 1usize..10) {
        let label = "a".repeat(length);
        let name = vec![label.as_str(); count].join(".");
        let result = normalize(&name);
        if length > 63 {
            prop_assert_eq!(result, Err(NameError::LabelTooLong(label.clone())));
        } else if name.len() > 253 {
            prop_assert_eq!(result, Err(NameError::TooLong));
        } else {
            prop_assert_eq!(result, Ok(name.clone()));
        }
    }

    /// Empty labels are refused wherever they are.
    #[test]
    fn empty_labels_are_refused(input in domain(), at in 0usize..3) {
        let broken = match at {
            0 => format!(".{input}"),
            1 => format!("{input}..se"),
            _ => format!("{input}.."),
        };
        prop_assert!(normalize(&broken).is_err(), "{:?}", broken);
    }

    /// `parse_domain` gives the name that `display` writes back.
    #[test]
    fn parsed_names_display_as_normalised(input in domain()) {
        let normal = normalize(&input).expect("generated names are valid");
        let name = parse_domain(&input).expect("generated names are valid");
        prop_assert!(name.is_fqdn());
        prop_assert_eq!(display(&name), normal);
    }
}

fn check_normal_form(normal: &str) -> Result<(), TestCaseError> {
    prop_assert!(normal.is_ascii(), "{}", normal);
    prop_assert_eq!(normal.to_ascii_lowercase(), normal);
    prop_assert!(normal.len() <= 253, "{}", normal);
    if normal != "." {
        prop_assert!(!normal.ends_with('.'), "{}", normal);
        prop_assert!(
            normal.split('.').all(|l| !l.is_empty() && l.len() <= 63),
            "{}",
            normal
        );
    }
    Ok(())
}

// ---- DNS messages -------------------------------------------------------------

/// A wire name: 0–4 labels of raw octets (any byte, including dots and
/// upper case), at most 255 octets in all.
fn wire_name() -> impl Strategy<Value = Name> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 1..20), 0..5).prop_map(|labels| {
        let mut name = Name::from_labels(labels).expect("short labels make a valid name");
        name.set_fqdn(true);
        name
    })
}

fn edns() -> impl Strategy<Value = Option<Edns>> {
    let options = prop::collection::vec(
        (any::<u16>(), prop::collection::vec(any::<u8>(), 0..16)),
        0..4,
    );
    prop::option::of(
        (
            any::<u16>(),
            any::<u8>(),
            any::<bool>(),
            0u16..0x8000,
            options,
        )
            .prop_map(|(udp_size, version, dnssec_ok, z, options)| Edns {
                udp_size,
                version,
                dnssec_ok,
                z,
                extended_rcode: 0,
                options,
            }),
    )
}

fn query() -> impl Strategy<Value = Query> {
    (
        wire_name(),
        any::<u16>(),
        any::<u16>(),
        any::<[bool; 3]>(),
        edns(),
    )
        .prop_map(|(name, rtype, class, [rd, cd, ad], edns)| {
            let mut query = Query::new(name, RecordType::from(rtype));
            query.class = DNSClass::from(class);
            (query.rd, query.cd, query.ad) = (rd, cd, ad);
            query.edns = edns;
            query
        })
}

fn rdata() -> impl Strategy<Value = RData> {
    prop_oneof![
        any::<u32>().prop_map(|a| RData::A(A(Ipv4Addr::from(a)))),
        any::<u128>().prop_map(|a| RData::AAAA(AAAA(Ipv6Addr::from(a)))),
        wire_name().prop_map(|name| RData::NS(NS(name))),
        (any::<u16>(), wire_name())
            .prop_map(|(preference, name)| RData::MX(MX::new(preference, name))),
        prop::collection::vec("[ -~]{0,30}", 1..3).prop_map(|texts| RData::TXT(TXT::new(texts))),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    (wire_name(), any::<u32>(), rdata())
        .prop_map(|(name, ttl, rdata)| Record::from_rdata(name, ttl, rdata))
}

proptest! {
    #![proptest_config(config(256))]

    /// Our query encoder and our reply decoder agree on every field.
    #[test]
    fn queries_decode_to_what_was_encoded(query in query(), id in any::<u16>()) {
        let packet = Packet::decode(&query.to_wire(id)).expect("a query has a header");
        prop_assert_eq!(packet.id, id);
        prop_assert!(!packet.is_response);
        prop_assert_eq!((packet.rd, packet.cd, packet.ad), (query.rd, query.cd, query.ad));
        prop_assert!(!packet.is_incomplete);
        prop_assert!(packet.question_matches(&query));
        prop_assert_eq!(packet.question[0].name().to_ascii(), query.name.to_ascii());
        match (&packet.opt, &query.edns) {
            (None, None) => {}
            (Some(opt), Some(edns)) => {
                prop_assert!(opt.owner.is_root());
                prop_assert_eq!(opt.udp_size, edns.udp_size);
                prop_assert_eq!(opt.version, edns.version);
                prop_assert_eq!(opt.dnssec_ok, edns.dnssec_ok);
                prop_assert_eq!(opt.z, edns.z);
                prop_assert_eq!(&opt.options, &edns.options);
                prop_assert!(!opt.has_malformed_options);
            }
            (opt, edns) => prop_assert!(false, "OPT {:?} for EDNS {:?}", opt, edns),
        }
    }

    /// A reply encoded by hickory (with name compression) decodes to the
    /// same records in the same sections.
    #[test]
    fn replies_decode_to_what_was_encoded(
        id in any::<u16>(),
        answer in prop::collection::vec(record(), 0..4),
        authority in prop::collection::vec(record(), 0..4),
        additional in prop::collection::vec(record(), 0..4),
        rcode in 0u16..16,
    ) {
        let mut message = Message::new(id, MessageType::Response, OpCode::Query);
        message.metadata.response_code = ResponseCode::from(0, u8::try_from(rcode).unwrap());
        message.add_query(Question::query(Name::root(), RecordType::NS));
        message.add_answers(answer.clone());
        message.add_authorities(authority.clone());
        message.add_additionals(additional.clone());
        let wire = message.to_vec().expect("generated records encode");
        let packet = Packet::decode(&wire).expect("a reply has a header");
        prop_assert_eq!(packet.id, id);
        prop_assert!(packet.is_response);
        prop_assert_eq!(packet.rcode.0, rcode);
        prop_assert!(packet.malformed.is_empty(), "{:?}", packet.malformed);
        prop_assert!(!packet.is_incomplete);
        prop_assert_eq!(packet.answer, answer);
        prop_assert_eq!(packet.authority, authority);
        prop_assert_eq!(packet.additional, additional);
    }
}

// ---- profiles -----------------------------------------------------------------

/// Values for some of a profile's properties, right and wrong.
fn profile_setting() -> impl Strategy<Value = (&'static str, Value)> {
    let names = prop::sample::select(vec![
        "resolver.defaults.timeout",
        "resolver.defaults.retry",
        "resolver.defaults.retrans",
        "resolver.defaults.fallback",
        "net.ipv4",
        "net.ipv6",
        "net.ipv4_source",
        "no_network",
        "asn_db.style",
        "test_cases_vars.zone02.SOA_REFRESH_MINIMUM_VALUE",
    ]);
    let values = prop_oneof![
        any::<bool>().prop_map(Value::from),
        (0u64..100_000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z0-9.:]{0,12}".prop_map(Value::from),
        Just(Value::Null),
    ];
    (names, values)
}

proptest! {
    #![proptest_config(config(256))]

    /// A profile written as JSON reads back as the same profile.
    #[test]
    fn profiles_survive_their_own_json(settings in prop::collection::vec(profile_setting(), 0..6)) {
        let mut profile = Profile::default();
        for (name, value) in settings {
            let _ = profile.set(name, value);
        }
        let again = Profile::from_json(&profile.to_json()).expect("our own JSON reads");
        prop_assert_eq!(again.to_json_value(), profile.to_json_value());
        prop_assert_eq!(again, profile);
    }
}

// ---- never panics -------------------------------------------------------------

/// Text shaped like an ini file, to get past the first line.
fn ini_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "\\[(DB|MYSQL|POSTGRESQL|SQLITE|ZONEMASTER|RPCAPI|LANGUAGE|METRICS|PUBLIC PROFILES|PRIVATE PROFILES|[A-Z ]{0,8})\\]",
        "(engine|host|port|user|password|database|database_file|polling_interval|max_zonemaster_execution_time|number_of_processes_for_frontend_testing|number_of_processes_for_batch_testing|age_reuse_previous_test|enable_add_api_user|enable_add_batch_job|trusted_proxies|locale|statsd_host|statsd_port|root_hints|lock_on_queue|[a-z_]{1,8}) ?= ?[ -~]{0,24}",
        "[;#][ -~]{0,10}",
        "[ -~]{0,20}",
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

/// Text shaped like a hints file.
fn hints_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "\\. +[0-9]{0,7} +(IN +)?NS +[a-z.]{0,12}",
        "[a-z.]{0,12} +[0-9]{0,7} +(IN +)?(A|AAAA) +[0-9a-f.:]{0,20}",
        "[ -~]{0,30}",
    ];
    prop::collection::vec(line, 0..8).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_reply_decoder_never_panics(wire in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(packet) = Packet::decode(&wire) {
            let _ = packet.classify();
        }
    }

    #[test]
    fn the_config_reader_never_panics(text in prop_oneof![ini_text(), any::<String>()]) {
        let _ = BackendConfig::parse(&text, "prop.ini");
    }

    #[test]
    fn the_hints_reader_never_panics(text in prop_oneof![hints_text(), any::<String>()]) {
        let _ = RootHints::parse(&text);
    }

    #[test]
    fn the_profile_readers_never_panic(text in any::<String>()) {
        let _ = Profile::from_json(&text);
        let _ = CustomProfile::from_json(&text);
    }

    #[test]
    fn the_recording_readers_never_panic(
        name in "[a-z.]{0,10}",
        ip in "[0-9a-f.:]{0,16}",
        json in any::<String>(),
        index in any::<String>(),
    ) {
        let data = format!("{name} {ip} {json}");
        let _ = zonemaster_recording(&data, None);
        let _ = zonemaster_recording(&data, Some(&index));
        let _ = zmctl_recording(&json);
    }

    #[test]
    fn the_request_reader_never_panics(body in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(zonemaster::rpc::envelope::Body::Single(value)) = parse_body(&body, 100) {
            let _ = check_envelope(value);
        }
    }
}
