//! English texts of module Address.

use crate::i18n::catalog::ModuleTexts;

pub(super) static TEXTS: ModuleTexts = &[
    ("TEST_CASE_START", "Test case {testcase} started."),
    ("TEST_CASE_END", "Test case {testcase} finished."),
    (
        "A01_NO_NAME_SERVERS_FOUND",
        "No name servers were found for the zone, so their addresses could not be checked.",
    ),
    (
        "A01_GLOBALLY_REACHABLE_ADDR",
        "These name servers have globally reachable IP addresses: {ns_list}.",
    ),
    (
        "A01_NO_GLOBALLY_REACHABLE_ADDR",
        "No name server has a globally reachable IP address, so the zone cannot be reached from the Internet.",
    ),
    (
        "A01_DOCUMENTATION_ADDR",
        "These name servers use IP addresses reserved for documentation, which are never routed: {ns_list}.",
    ),
    (
        "A01_LOCAL_USE_ADDR",
        "These name servers use IP addresses reserved for private or local use, which the Internet cannot \
         reach: {ns_list}.",
    ),
    (
        "A01_ADDR_NOT_GLOBALLY_REACHABLE",
        "These name servers use special-purpose IP addresses that are not globally reachable: {ns_list}.",
    ),
    (
        "NO_RESPONSE_PTR_QUERY",
        "No response to the PTR query for {domain}.",
    ),
    (
        "NAMESERVER_IP_WITHOUT_REVERSE",
        "IP address {ns_ip} of name server {nsname} has no reverse DNS (PTR) record.",
    ),
    (
        "NAMESERVERS_IP_WITH_REVERSE",
        "Every name server IP address has a reverse DNS (PTR) record.",
    ),
    (
        "NAMESERVER_IP_PTR_MISMATCH",
        "The reverse DNS of {ns_ip} ({names}) does not point back to the name server name {nsname}.",
    ),
    (
        "NAMESERVER_IP_PTR_MATCH",
        "The reverse DNS of every name server IP address matches the name server's name.",
    ),
];
