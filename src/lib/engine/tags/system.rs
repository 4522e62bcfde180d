//! Tags of the framework pseudo-module System (engine spec §1.13): the run
//! itself, the query layer, the recursor and undelegated data. Grouped by
//! their default level.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::System;
    // CRITICAL.
    MODULE_ERROR("module", "msg");
    CANNOT_CONTINUE("domain");
    NO_NETWORK();
    UNKNOWN_MODULE("module", "testcase", "module_list");
    UNKNOWN_METHOD("module", "testcase");
    // ERROR.
    FAKE_DELEGATION_NO_IP("domain", "nsname");
    FAKE_DELEGATION_IN_ZONE_NO_IP("domain", "nsname");
    CNAME_RECORDS_TOO_MANY("name", "count", "max");
    CNAME_RECORDS_MULTIPLE_FOR_NAME("name");
    CNAME_LOOP_INNER("name", "target");
    CNAME_RECORDS_CHAIN_BROKEN("name", "cname_rrs", "cname_counter");
    CNAME_NO_MATCH("name", "type", "target", "owner_names");
    CNAME_LOOP_OUTER("name", "target", "targets_seen");
    CNAME_CHAIN_TOO_LONG("count", "max");
    // INFO.
    GLOBAL_VERSION("version");
    // DEBUG.
    START_TIME("time_t", "string");
    TEST_TARGET("zone", "module"; "testcase");
    DEPENDENCY_VERSION("name", "version");
    MODULE_VERSION("module", "version");
    MODULE_END("module");
    LOOKUP_ERROR("message", "ns", "domain", "type", "class");
    BLACKLISTING("ns", "proto");
    IS_BLACKLISTED("message", "ns", "name", "type", "class", "proto", "dnssec", "edns_size");
    SKIP_IPV4_DISABLED("ns", "rrtype");
    SKIP_IPV6_DISABLED("ns", "rrtype");
    PACKET_BIG("size", "command");
    CNAME_START("name", "type", "dns_class");
    CNAME_RECORDS_DUPLICATES("records");
    CNAME_FOLLOWED_IN_ZONE("name", "type", "target");
    CNAME_FOLLOWED_OUT_OF_ZONE("name", "target");
    ASN_LOOKUP_SOURCE("name");
    LOGGER_CALLBACK_ERROR("exception");
    // DEBUG because the default profile does not list them.
    EXTERNAL_QUERY("name", "type", "flags", "ip");
    CACHE_MISS("key");
    MEMORY_CACHE_HIT("hash");
    REDIS_CACHE_HIT("key");
    // DEBUG2.
    QUERY("name", "type", "flags", "ip");
    IPV4_BLOCKED("ns");
    IPV6_BLOCKED("ns");
    NS_CREATED("name", "ip");
    CACHE_CREATED("ip");
    CACHE_FETCHED("ip");
    SAVED_NS_CACHE("file");
    RESTORED_NS_CACHE("file");
    RECURSE("name", "type", "class");
    RECURSE_QUERY("source", "ns", "address", "name", "type", "class");
    IS_REDIRECT("name", "type", "to");
    NO_SUCH_NAME("name", "type");
    NO_SUCH_RECORD("name", "type");
    LOOP_PROTECTION("caller", "child_zone_name", "name", "intermediate_query_name");
    FAKE_DELEGATION_ADDED("ns", "domain", "data");
    FAKE_DELEGATION_TO_SELF("ns", "domain", "data");
    FAKE_DS_ADDED("domain", "data", "ns");
    FAKE_DELEGATION_RETURNED("name", "type", "class", "from");
    FAKE_DS_RETURNED("name", "type", "class", "from");
    // DEBUG3.
    FAKE_PACKET_RETURNED("packet");
    CACHED_RETURN("packet");
    EXTERNAL_RESPONSE("packet");
    EMPTY_RETURN();
}
