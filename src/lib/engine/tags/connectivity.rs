//! Tags of module Connectivity (engine spec §3.3): CONNECTIVITY01–04.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::Connectivity;
    // Every test case.
    TEST_CASE_START("testcase");
    TEST_CASE_END("testcase");
    IPV4_DISABLED("ns", "rrtype");
    IPV6_DISABLED("ns", "rrtype");
    // CONNECTIVITY01: UDP.
    CN01_IPV4_DISABLED("ns_list");
    CN01_IPV6_DISABLED("ns_list");
    CN01_NO_RESPONSE_UDP("ns");
    CN01_NO_RESPONSE_SOA_QUERY_UDP("ns");
    CN01_NO_RESPONSE_NS_QUERY_UDP("ns");
    CN01_UNEXPECTED_RCODE_SOA_QUERY_UDP("ns", "rcode");
    CN01_UNEXPECTED_RCODE_NS_QUERY_UDP("ns", "rcode");
    CN01_MISSING_SOA_RECORD_UDP("ns");
    CN01_MISSING_NS_RECORD_UDP("ns");
    CN01_WRONG_SOA_RECORD_UDP("ns", "domain_found", "domain_expected");
    CN01_WRONG_NS_RECORD_UDP("ns", "domain_found", "domain_expected");
    CN01_SOA_RECORD_NOT_AA_UDP("ns");
    CN01_NS_RECORD_NOT_AA_UDP("ns");
    // CONNECTIVITY02: TCP.
    CN02_NO_RESPONSE_TCP("ns");
    CN02_NO_RESPONSE_SOA_QUERY_TCP("ns");
    CN02_NO_RESPONSE_NS_QUERY_TCP("ns");
    CN02_UNEXPECTED_RCODE_SOA_QUERY_TCP("ns", "rcode");
    CN02_UNEXPECTED_RCODE_NS_QUERY_TCP("ns", "rcode");
    CN02_MISSING_SOA_RECORD_TCP("ns");
    CN02_MISSING_NS_RECORD_TCP("ns");
    CN02_WRONG_SOA_RECORD_TCP("ns", "domain_found", "domain_expected");
    CN02_WRONG_NS_RECORD_TCP("ns", "domain_found", "domain_expected");
    CN02_SOA_RECORD_NOT_AA_TCP("ns");
    CN02_NS_RECORD_NOT_AA_TCP("ns");
    // CONNECTIVITY03: AS diversity.
    ERROR_ASN_DATABASE("ns_ip");
    EMPTY_ASN_SET("ns_ip");
    ASN_INFOS_RAW("ns_ip", "data");
    ASN_INFOS_ANNOUNCE_BY("ns_ip", "asn");
    ASN_INFOS_ANNOUNCE_IN("ns_ip", "prefix");
    IPV4_ONE_ASN("asn");
    IPV6_ONE_ASN("asn");
    IPV4_SAME_ASN("asn_list");
    IPV6_SAME_ASN("asn_list");
    IPV4_DIFFERENT_ASN("asn_list");
    IPV6_DIFFERENT_ASN("asn_list");
    // CONNECTIVITY04: IP prefix diversity.
    CN04_ERROR_PREFIX_DATABASE("ns_ip");
    CN04_EMPTY_PREFIX_SET("ns_ip");
    CN04_ASN_INFOS_RAW("ns_ip", "data");
    CN04_ASN_INFOS_ANNOUNCE_IN("ns_ip", "prefix");
    CN04_IPV4_SAME_PREFIX("ip_prefix", "ns_list");
    CN04_IPV6_SAME_PREFIX("ip_prefix", "ns_list");
    CN04_IPV4_DIFFERENT_PREFIX("ns_list");
    CN04_IPV6_DIFFERENT_PREFIX("ns_list");
    CN04_IPV4_SINGLE_PREFIX();
    CN04_IPV6_SINGLE_PREFIX();
    // In the default profile only, never emitted.
    NAMESERVER_HAS_TCP_53();
    NAMESERVER_HAS_UDP_53();
    NAMESERVER_NO_TCP_53();
    NAMESERVER_NO_UDP_53();
}
