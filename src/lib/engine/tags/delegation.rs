//! Tags of module Delegation (engine spec §3.5): DELEGATION01–07.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::Delegation;
    // Every test case.
    TEST_CASE_START("testcase");
    TEST_CASE_END("testcase");
    IPV4_DISABLED("ns", "rrtype");
    IPV6_DISABLED("ns", "rrtype");
    // DELEGATION01: minimum number of name servers.
    ENOUGH_NS_DEL("count", "minimum", "nsname_list");
    NOT_ENOUGH_NS_DEL("count", "minimum", "nsname_list");
    ENOUGH_NS_CHILD("count", "minimum", "nsname_list");
    NOT_ENOUGH_NS_CHILD("count", "minimum", "nsname_list");
    ENOUGH_IPV4_NS_CHILD("count", "minimum", "ns_list");
    NOT_ENOUGH_IPV4_NS_CHILD("count", "minimum", "ns_list");
    NO_IPV4_NS_CHILD("count", "minimum", "ns_list");
    ENOUGH_IPV6_NS_CHILD("count", "minimum", "ns_list");
    NOT_ENOUGH_IPV6_NS_CHILD("count", "minimum", "ns_list");
    NO_IPV6_NS_CHILD("count", "minimum", "ns_list");
    ENOUGH_IPV4_NS_DEL("count", "minimum", "ns_list");
    NOT_ENOUGH_IPV4_NS_DEL("count", "minimum", "ns_list");
    NO_IPV4_NS_DEL("count", "minimum", "ns_list");
    ENOUGH_IPV6_NS_DEL("count", "minimum", "ns_list");
    NOT_ENOUGH_IPV6_NS_DEL("count", "minimum", "ns_list");
    NO_IPV6_NS_DEL("count", "minimum", "ns_list");
    // DELEGATION02: distinct IP addresses.
    DEL_NS_SAME_IP("nsname_list", "ns_ip");
    CHILD_NS_SAME_IP("nsname_list", "ns_ip");
    SAME_IP_ADDRESS("nsname_list", "ns_ip");
    DEL_DISTINCT_NS_IP();
    CHILD_DISTINCT_NS_IP();
    DISTINCT_IP_ADDRESS();
    // DELEGATION03: no truncation of referrals.
    REFERRAL_SIZE_TOO_LARGE("size");
    REFERRAL_SIZE_OK("size");
    // DELEGATION04: name servers are authoritative.
    IS_NOT_AUTHORITATIVE("ns", "proto");
    ARE_AUTHORITATIVE("nsname_list");
    // DELEGATION05: no NS pointing at a CNAME.
    NO_RESPONSE("ns", "query_name", "rrtype");
    UNEXPECTED_RCODE("ns", "query_name", "rrtype", "rcode");
    NS_IS_CNAME("nsname");
    NO_NS_CNAME();
    // DELEGATION06: SOA exists.
    SOA_NOT_EXISTS("ns");
    SOA_EXISTS();
    // DELEGATION07: parent and child NS names agree.
    EXTRA_NAME_PARENT("extra");
    EXTRA_NAME_CHILD("extra");
    NAMES_MATCH("names");
    TOTAL_NAME_MISMATCH("glue", "child");
}
