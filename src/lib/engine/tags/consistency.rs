//! Tags of module Consistency (engine spec §3.4): CONSISTENCY01–06.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::Consistency;
    // Every test case.
    TEST_CASE_START("testcase");
    TEST_CASE_END("testcase");
    IPV4_DISABLED("ns", "rrtype");
    IPV6_DISABLED("ns", "rrtype");
    // Per server, CONSISTENCY01–06.
    NO_RESPONSE("ns");
    NO_RESPONSE_SOA_QUERY("ns");
    NO_RESPONSE_NS_QUERY("ns");
    // CONSISTENCY01: SOA serial.
    SOA_SERIAL("serial", "ns_list");
    ONE_SOA_SERIAL("serial");
    MULTIPLE_SOA_SERIALS("count");
    SOA_SERIAL_VARIATION("serial_min", "serial_max", "max_variation");
    // CONSISTENCY02: SOA RNAME.
    ONE_SOA_RNAME("rname");
    MULTIPLE_SOA_RNAMES("count");
    SOA_RNAME("rname", "ns_list");
    // CONSISTENCY03: SOA timers.
    ONE_SOA_TIME_PARAMETER_SET("refresh", "retry", "expire", "minimum");
    MULTIPLE_SOA_TIME_PARAMETER_SET("count");
    SOA_TIME_PARAMETER_SET("refresh", "retry", "expire", "minimum", "ns_list");
    // CONSISTENCY04: NS set.
    ONE_NS_SET("nsname_list");
    MULTIPLE_NS_SET("count");
    NS_SET("nsname_list", "servers");
    // CONSISTENCY05: glue against authoritative data.
    CHILD_NS_FAILED("ns");
    CHILD_ZONE_LAME();
    IN_BAILIWICK_ADDR_MISMATCH("parent_addresses", "zone_addresses");
    EXTRA_ADDRESS_CHILD("ns_ip_list");
    OUT_OF_BAILIWICK_ADDR_MISMATCH("parent_addresses", "zone_addresses");
    ADDRESSES_MATCH();
    // CONSISTENCY06: SOA MNAME.
    ONE_SOA_MNAME("mname");
    MULTIPLE_SOA_MNAMES("count");
    SOA_MNAME("mname", "ns_list");
}
