//! English texts of module Delegation.

use crate::i18n::catalog::ModuleTexts;

pub(super) static TEXTS: ModuleTexts = &[
    ("TEST_CASE_START", "Test case {testcase} started."),
    ("TEST_CASE_END", "Test case {testcase} finished."),
    (
        "IPV4_DISABLED",
        "IPv4 is disabled, so the {rrtype} query was not sent to name server {ns}.",
    ),
    (
        "IPV6_DISABLED",
        "IPv6 is disabled, so the {rrtype} query was not sent to name server {ns}.",
    ),
    (
        "ENOUGH_NS_DEL",
        "The parent zone delegates to {count} name servers, at least the {minimum} required: {nsname_list}.",
    ),
    (
        "NOT_ENOUGH_NS_DEL",
        "The parent zone delegates to only {count} name server(s), fewer than the {minimum} required: {nsname_list}. Add name servers.",
    ),
    (
        "ENOUGH_NS_CHILD",
        "The zone lists {count} name servers, at least the {minimum} required: {nsname_list}.",
    ),
    (
        "NOT_ENOUGH_NS_CHILD",
        "The zone lists only {count} name server(s), fewer than the {minimum} required: {nsname_list}. Add name servers.",
    ),
    (
        "ENOUGH_IPV4_NS_CHILD",
        "{count} of the zone's name servers have an IPv4 address, at least the {minimum} required: {ns_list}.",
    ),
    (
        "NOT_ENOUGH_IPV4_NS_CHILD",
        "Only {count} of the zone's name servers has an IPv4 address, fewer than the {minimum} required: {ns_list}.",
    ),
    (
        "NO_IPV4_NS_CHILD",
        "None of the zone's name servers has an IPv4 address ({minimum} required).",
    ),
    (
        "ENOUGH_IPV6_NS_CHILD",
        "{count} of the zone's name servers have an IPv6 address, at least the {minimum} required: {ns_list}.",
    ),
    (
        "NOT_ENOUGH_IPV6_NS_CHILD",
        "Only {count} of the zone's name servers has an IPv6 address, fewer than the {minimum} required: {ns_list}.",
    ),
    (
        "NO_IPV6_NS_CHILD",
        "None of the zone's name servers has an IPv6 address ({minimum} recommended).",
    ),
    (
        "ENOUGH_IPV4_NS_DEL",
        "{count} of the delegated name servers have an IPv4 address, at least the {minimum} required: {ns_list}.",
    ),
    (
        "NOT_ENOUGH_IPV4_NS_DEL",
        "Only {count} of the delegated name servers has an IPv4 address, fewer than the {minimum} required: {ns_list}.",
    ),
    (
        "NO_IPV4_NS_DEL",
        "None of the delegated name servers has an IPv4 address ({minimum} required).",
    ),
    (
        "ENOUGH_IPV6_NS_DEL",
        "{count} of the delegated name servers have an IPv6 address, at least the {minimum} required: {ns_list}.",
    ),
    (
        "NOT_ENOUGH_IPV6_NS_DEL",
        "Only {count} of the delegated name servers has an IPv6 address, fewer than the {minimum} required: {ns_list}.",
    ),
    (
        "NO_IPV6_NS_DEL",
        "None of the delegated name servers has an IPv6 address ({minimum} recommended).",
    ),
    (
        "DEL_NS_SAME_IP",
        "In the delegation, name servers {nsname_list} share the IP address {ns_ip}.",
    ),
    (
        "CHILD_NS_SAME_IP",
        "In the zone's NS records, name servers {nsname_list} share the IP address {ns_ip}.",
    ),
    (
        "SAME_IP_ADDRESS",
        "Name servers {nsname_list} share the IP address {ns_ip}; distinct servers give redundancy.",
    ),
    (
        "DEL_DISTINCT_NS_IP",
        "Every name server in the delegation has an IP address of its own.",
    ),
    (
        "CHILD_DISTINCT_NS_IP",
        "Every name server in the zone's NS records has an IP address of its own.",
    ),
    (
        "DISTINCT_IP_ADDRESS",
        "Every name server has an IP address of its own.",
    ),
    (
        "REFERRAL_SIZE_TOO_LARGE",
        "A referral to the zone takes {size} octets, more than fits in a 512-octet UDP response.",
    ),
    (
        "REFERRAL_SIZE_OK",
        "A referral to the zone takes {size} octets and fits in a 512-octet UDP response.",
    ),
    (
        "IS_NOT_AUTHORITATIVE",
        "Name server {ns} is not authoritative for the zone when asked over {proto}.",
    ),
    (
        "ARE_AUTHORITATIVE",
        "All these name servers are authoritative for the zone: {nsname_list}.",
    ),
    (
        "NO_RESPONSE",
        "Name server {ns} did not respond to the {rrtype} query for {query_name}.",
    ),
    (
        "UNEXPECTED_RCODE",
        "Name server {ns} answered the {rrtype} query for {query_name} with the unexpected RCODE {rcode}.",
    ),
    (
        "NS_IS_CNAME",
        "Name server name {nsname} is an alias (CNAME); an NS record must name a host with its own address records.",
    ),
    ("NO_NS_CNAME", "No name server name is an alias (CNAME)."),
    (
        "SOA_NOT_EXISTS",
        "Name server {ns} has no SOA record for the zone.",
    ),
    (
        "SOA_EXISTS",
        "Every name server has an SOA record for the zone.",
    ),
    (
        "EXTRA_NAME_PARENT",
        "These name servers are in the parent's delegation but not in the zone's NS records: {extra}.",
    ),
    (
        "EXTRA_NAME_CHILD",
        "These name servers are in the zone's NS records but not in the parent's delegation: {extra}.",
    ),
    (
        "NAMES_MATCH",
        "The parent's delegation and the zone's NS records name the same servers: {names}.",
    ),
    (
        "TOTAL_NAME_MISMATCH",
        "The parent's delegation ({glue}) and the zone's NS records ({child}) have no name server in common.",
    ),
];
