//! Tags of module Nameserver (engine spec §3.7): NAMESERVER01–13 and 15.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::Nameserver;
    // Every test case.
    TEST_CASE_START("testcase");
    TEST_CASE_END("testcase");
    IPV4_DISABLED("ns", "rrtype");
    IPV6_DISABLED("ns", "rrtype");
    // A silent server (NAMESERVER01, 02, 05, 12, 13).
    NO_RESPONSE("ns", "domain");
    // NAMESERVER01: not a recursor.
    IS_A_RECURSOR("ns");
    NO_RECURSOR("ns");
    // NAMESERVER02: EDNS0 support.
    NO_EDNS_SUPPORT("ns");
    EDNS_RESPONSE_WITHOUT_EDNS("ns", "domain");
    EDNS_VERSION_ERROR("ns", "domain");
    NS_ERROR("ns");
    BREAKS_ON_EDNS("ns", "domain");
    EDNS0_SUPPORT("ns_list");
    // NAMESERVER03: zone transfer.
    AXFR_AVAILABLE("ns");
    AXFR_FAILURE("ns");
    // NAMESERVER04: same source address.
    DIFFERENT_SOURCE_IP("ns", "source");
    SAME_SOURCE_IP("names");
    // NAMESERVER05: AAAA queries.
    A_UNEXPECTED_RCODE("ns", "rcode");
    AAAA_QUERY_DROPPED("ns");
    AAAA_UNEXPECTED_RCODE("ns", "rcode");
    AAAA_BAD_RDATA("ns", "length");
    AAAA_WELL_PROCESSED("ns_list");
    // NAMESERVER06: NS names resolve.
    CAN_NOT_BE_RESOLVED("nsname_list");
    NO_RESOLUTION("names");
    CAN_BE_RESOLVED();
    // NAMESERVER07: upward referral.
    UPWARD_REFERRAL_IRRELEVANT();
    UPWARD_REFERRAL("ns");
    NO_UPWARD_REFERRAL("nsname_list");
    // NAMESERVER08: QNAME case insensitivity.
    QNAME_CASE_SENSITIVE("ns", "domain");
    QNAME_CASE_INSENSITIVE("ns", "domain");
    // NAMESERVER09: QNAME case sensitivity.
    CASE_QUERY_SAME_ANSWER("ns", "type", "query1", "query2");
    CASE_QUERY_DIFFERENT_ANSWER("ns", "type", "query1", "query2");
    CASE_QUERY_SAME_RC("ns", "type", "query1", "query2", "rcode");
    CASE_QUERY_DIFFERENT_RC("ns", "type", "query1", "query2", "rcode1", "rcode2");
    CASE_QUERY_NO_ANSWER("ns", "type", "domain");
    CASE_QUERIES_RESULTS_OK("type", "domain");
    CASE_QUERIES_RESULTS_DIFFER("type", "domain");
    // NAMESERVER10: undefined EDNS version.
    N10_NO_RESPONSE_EDNS1_QUERY("ns_ip_list");
    N10_UNEXPECTED_RCODE("rcode", "ns_ip_list");
    N10_EDNS_RESPONSE_ERROR("ns_ip_list");
    // NAMESERVER11: unknown EDNS option code.
    N11_NO_RESPONSE("ns_ip_list");
    N11_UNEXPECTED_RCODE("rcode", "ns_ip_list");
    N11_NO_EDNS("ns_ip_list");
    N11_UNEXPECTED_ANSWER_SECTION("ns_ip_list");
    N11_UNSET_AA("ns_ip_list");
    N11_RETURNS_UNKNOWN_OPTION_CODE("ns_ip_list");
    // NAMESERVER12: unknown EDNS flags (with NO_EDNS_SUPPORT, NS_ERROR).
    Z_FLAGS_NOTCLEAR("ns");
    // NAMESERVER13: truncated response to an EDNS query.
    MISSING_OPT_IN_TRUNCATED("ns");
    // NAMESERVER15: revealed software version.
    N15_ERROR_ON_VERSION_QUERY("query_name", "ns_list");
    N15_SOFTWARE_VERSION("string", "query_name", "ns_list");
    N15_WRONG_CLASS("ns_list");
    N15_NO_VERSION_REVEALED("ns_list");
    // In the default profile only, never emitted.
    QUERY_DROPPED();
}
