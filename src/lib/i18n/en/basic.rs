//! English texts of module Basic.

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
        "IPV4_ENABLED",
        "IPv4 is enabled, so the {rrtype} query is sent to name server {ns}.",
    ),
    (
        "IPV6_ENABLED",
        "IPv6 is enabled, so the {rrtype} query is sent to name server {ns}.",
    ),
    (
        "B01_SERVER_ZONE_ERROR",
        "Name server {ns} gave an unusable reply to the {rrtype} query for {query_name}, so it was not used to find \
         the parent zone.",
    ),
    (
        "B01_PARENT_FOUND",
        "The parent zone is {domain}, served by {ns_list}.",
    ),
    (
        "B01_PARENT_UNDETERMINED",
        "More than one parent zone was found (name servers {ns_list}), so the parent zone is ambiguous.",
    ),
    (
        "B01_PARENT_NOT_FOUND",
        "No parent zone could be found for the zone.",
    ),
    ("B01_CHILD_FOUND", "The zone {domain} exists."),
    (
        "B01_INCONSISTENT_DELEGATION",
        "Parent zone {domain_parent} answers inconsistently for {domain_child}: name servers {ns_list} neither \
         delegate it nor answer for it like the other parent servers. All servers of the parent zone should \
         serve the same delegation.",
    ),
    (
        "B01_NO_CHILD",
        "{domain_child} does not exist as a zone: no delegation to it and no authoritative data for it was found \
         below {domain_super}.",
    ),
    (
        "B01_CHILD_IS_ALIAS",
        "{domain_child} is an alias (DNAME) for {domain_target} on name servers {ns_list}, not a zone of its own.",
    ),
    (
        "B01_INCONSISTENT_ALIAS",
        "The aliases (DNAME) for {domain} point to different targets on different name servers.",
    ),
    (
        "B01_ROOT_HAS_NO_PARENT",
        "The root zone has no parent zone, so none was looked for.",
    ),
    (
        "B01_PARENT_DISREGARDED",
        "This is an undelegated test: the parent zone is not consulted, the given name servers are used instead.",
    ),
    (
        "B02_NO_DELEGATION",
        "The parent zone has no name servers for {domain}; the zone is not delegated and cannot be tested.",
    ),
    (
        "B02_AUTH_RESPONSE_SOA",
        "Name servers {ns_list} answer authoritatively with the SOA record of {domain}.",
    ),
    (
        "B02_NO_WORKING_NS",
        "No name server of {domain} answers authoritatively with its SOA record; the zone cannot be tested.",
    ),
    (
        "B02_NS_BROKEN",
        "Name server {ns} gave an authoritative answer without the zone's SOA record.",
    ),
    (
        "B02_NS_NOT_AUTH",
        "Name server {ns} answered the SOA query without the AA flag: it is not authoritative for the zone.",
    ),
    (
        "B02_NS_NO_IP_ADDR",
        "No IP address could be found for name server {nsname}.",
    ),
    (
        "B02_NS_NO_RESPONSE",
        "Name server {ns} did not respond to the SOA query.",
    ),
    (
        "B02_UNEXPECTED_RCODE",
        "Name server {ns} answered the SOA query with the unexpected RCODE {rcode}.",
    ),
    (
        "HAS_A_RECORDS",
        "No name server answers properly for the zone, yet name server {ns} returns an A record for {domain}.",
    ),
    (
        "NO_A_RECORDS",
        "Name server {ns} returns no A record for {domain}.",
    ),
    (
        "A_QUERY_NO_RESPONSES",
        "None of the name servers responded to the A query.",
    ),
    (
        "HAS_NAMESERVER_NO_WWW_A_TEST",
        "The zone {zname} has a working name server, so the fallback query for a www address was not needed.",
    ),
    (
        "DOMAIN_NAME_LABEL_TOO_LONG",
        "A label of the domain name is longer than 63 characters.",
    ),
    (
        "DOMAIN_NAME_TOO_LONG",
        "The domain name is longer than 253 characters.",
    ),
    (
        "DOMAIN_NAME_ZERO_LENGTH_LABEL",
        "The domain name has an empty label (two dots in a row).",
    ),
];
