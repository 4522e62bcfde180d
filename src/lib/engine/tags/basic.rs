//! Tags of module Basic (engine spec §3.1): BASIC01–03 and the skip notice
//! between BASIC02 and BASIC03.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::Basic;
    // Every test case.
    TEST_CASE_START("testcase");
    TEST_CASE_END("testcase");
    IPV4_DISABLED("ns", "rrtype");
    IPV6_DISABLED("ns", "rrtype");
    IPV4_ENABLED("ns", "rrtype");
    IPV6_ENABLED("ns", "rrtype");
    // BASIC01: the parent zone and the zone itself.
    B01_SERVER_ZONE_ERROR("query_name", "rrtype", "ns");
    B01_PARENT_FOUND("domain", "ns_list");
    B01_PARENT_UNDETERMINED("ns_list");
    B01_PARENT_NOT_FOUND();
    B01_CHILD_FOUND("domain");
    B01_INCONSISTENT_DELEGATION("domain_parent", "domain_child", "ns_list");
    B01_NO_CHILD("domain_child", "domain_super");
    B01_CHILD_IS_ALIAS("domain_child", "domain_target", "ns_list");
    B01_INCONSISTENT_ALIAS("domain");
    B01_ROOT_HAS_NO_PARENT();
    B01_PARENT_DISREGARDED();
    // BASIC02: at least one working name server.
    B02_NO_DELEGATION("domain");
    B02_AUTH_RESPONSE_SOA("domain", "ns_list");
    B02_NO_WORKING_NS("domain");
    B02_NS_BROKEN("ns");
    B02_NS_NOT_AUTH("ns");
    B02_NS_NO_IP_ADDR("nsname");
    B02_NS_NO_RESPONSE("ns");
    B02_UNEXPECTED_RCODE("ns", "rcode");
    // BASIC03: the "broken but functional" test.
    HAS_A_RECORDS("ns", "domain");
    NO_A_RECORDS("ns", "domain");
    A_QUERY_NO_RESPONSES();
    // Emitted by the module instead of BASIC03 (testcase `Unspecified`).
    HAS_NAMESERVER_NO_WWW_A_TEST("zname");
    // In the default profile only; input errors are caught by name
    // normalisation (§1.6) now, so these are never emitted.
    DOMAIN_NAME_LABEL_TOO_LONG();
    DOMAIN_NAME_TOO_LONG();
    DOMAIN_NAME_ZERO_LENGTH_LABEL();
}
