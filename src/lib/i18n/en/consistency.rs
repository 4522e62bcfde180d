//! English texts of module Consistency.

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
    ("NO_RESPONSE", "Name server {ns} did not respond."),
    (
        "NO_RESPONSE_SOA_QUERY",
        "Name server {ns} returned no SOA record for the zone.",
    ),
    (
        "NO_RESPONSE_NS_QUERY",
        "Name server {ns} returned no NS records for the zone.",
    ),
    (
        "SOA_SERIAL",
        "Name servers {ns_list} have SOA serial {serial}.",
    ),
    (
        "ONE_SOA_SERIAL",
        "All name servers have the same SOA serial: {serial}.",
    ),
    (
        "MULTIPLE_SOA_SERIALS",
        "The name servers disagree on the SOA serial ({count} different values); check that every server receives zone updates.",
    ),
    (
        "SOA_SERIAL_VARIATION",
        "The SOA serials range from {serial_min} to {serial_max}, a larger difference than the {max_variation} allowed.",
    ),
    (
        "ONE_SOA_RNAME",
        "All name servers have the same SOA RNAME: {rname}.",
    ),
    (
        "MULTIPLE_SOA_RNAMES",
        "The name servers disagree on the SOA RNAME ({count} different values).",
    ),
    (
        "SOA_RNAME",
        "Name servers {ns_list} have SOA RNAME {rname}.",
    ),
    (
        "ONE_SOA_TIME_PARAMETER_SET",
        "All name servers have the same SOA timers: refresh {refresh}, retry {retry}, expire {expire}, minimum {minimum}.",
    ),
    (
        "MULTIPLE_SOA_TIME_PARAMETER_SET",
        "The name servers disagree on the SOA timers ({count} different sets).",
    ),
    (
        "SOA_TIME_PARAMETER_SET",
        "Name servers {ns_list} have SOA timers refresh {refresh}, retry {retry}, expire {expire}, minimum {minimum}.",
    ),
    (
        "ONE_NS_SET",
        "All name servers return the same NS set: {nsname_list}.",
    ),
    (
        "MULTIPLE_NS_SET",
        "The name servers return {count} different NS sets; they should all serve the same NS records.",
    ),
    (
        "NS_SET",
        "Name servers {servers} return the NS set {nsname_list}.",
    ),
    (
        "CHILD_NS_FAILED",
        "Name server {ns} gave an unusable answer when asked for the address of an in-zone name server.",
    ),
    (
        "CHILD_ZONE_LAME",
        "No name server of the zone answers for the addresses of its in-zone name servers; the zone is lame.",
    ),
    (
        "IN_BAILIWICK_ADDR_MISMATCH",
        "The glue in the parent zone ({parent_addresses}) does not match the address records in the zone ({zone_addresses}); update the glue or the zone so that they agree.",
    ),
    (
        "EXTRA_ADDRESS_CHILD",
        "The zone has addresses for its in-zone name servers that the parent zone has no glue for: {ns_ip_list}.",
    ),
    (
        "OUT_OF_BAILIWICK_ADDR_MISMATCH",
        "The parent zone's addresses for an out-of-zone name server ({parent_addresses}) differ from those in the name server's own zone ({zone_addresses}).",
    ),
    (
        "ADDRESSES_MATCH",
        "The glue in the parent zone matches the authoritative address records.",
    ),
    (
        "ONE_SOA_MNAME",
        "All name servers have the same SOA MNAME: {mname}.",
    ),
    (
        "MULTIPLE_SOA_MNAMES",
        "The name servers disagree on the SOA MNAME ({count} different values).",
    ),
    (
        "SOA_MNAME",
        "Name servers {ns_list} have SOA MNAME {mname}.",
    ),
];
