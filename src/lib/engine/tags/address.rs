//! Tags of module Address (engine spec §3.2): ADDRESS01–03.
//!
//! Address asks only the recursor, never a name server directly, so it has
//! no `IPV4_DISABLED`/`IPV6_DISABLED`.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::Address;
    // Every test case.
    TEST_CASE_START("testcase");
    TEST_CASE_END("testcase");
    // ADDRESS01: name server addresses must be globally reachable.
    A01_NO_NAME_SERVERS_FOUND();
    A01_GLOBALLY_REACHABLE_ADDR("ns_list");
    A01_NO_GLOBALLY_REACHABLE_ADDR();
    A01_DOCUMENTATION_ADDR("ns_list");
    A01_LOCAL_USE_ADDR("ns_list");
    A01_ADDR_NOT_GLOBALLY_REACHABLE("ns_list");
    // ADDRESS02 and ADDRESS03: reverse DNS.
    NO_RESPONSE_PTR_QUERY("domain");
    NAMESERVER_IP_WITHOUT_REVERSE("nsname", "ns_ip");
    NAMESERVERS_IP_WITH_REVERSE();
    NAMESERVER_IP_PTR_MISMATCH("nsname", "ns_ip", "names");
    NAMESERVER_IP_PTR_MATCH();
}
