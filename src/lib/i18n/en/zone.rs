//! English texts of module Zone.

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
        "NO_RESPONSE_SOA_QUERY",
        "No authoritative SOA record could be obtained for the zone.",
    ),
    (
        "Z01_MNAME_IS_LOCALHOST",
        "The SOA MNAME is 'localhost' on name servers {ns_ip_list}; it should name the zone's primary server.",
    ),
    (
        "Z01_MNAME_IS_DOT",
        "The SOA MNAME is '.' (no primary server named) on name servers {ns_ip_list}.",
    ),
    (
        "Z01_MNAME_NOT_IN_NS_LIST",
        "The SOA MNAME {nsname} is not one of the zone's NS records.",
    ),
    (
        "Z01_MNAME_NOT_RESOLVE",
        "The SOA MNAME {nsname} has no IP address.",
    ),
    (
        "Z01_MNAME_HAS_LOCALHOST_ADDR",
        "The SOA MNAME {nsname} resolves to the local host address {ns_ip}.",
    ),
    (
        "Z01_MNAME_NO_RESPONSE",
        "The primary server {ns} named in the SOA MNAME did not respond.",
    ),
    (
        "Z01_MNAME_UNEXPECTED_RCODE",
        "The primary server {ns} named in the SOA MNAME answered with the unexpected RCODE {rcode}.",
    ),
    (
        "Z01_MNAME_MISSING_SOA_RECORD",
        "The primary server {ns} named in the SOA MNAME returned no SOA record for the zone.",
    ),
    (
        "Z01_MNAME_NOT_AUTHORITATIVE",
        "The primary server {ns} named in the SOA MNAME is not authoritative for the zone.",
    ),
    (
        "Z01_MNAME_NOT_MASTER",
        "The SOA MNAME servers {ns_list} have serial {soaserial}, older than the zone's name servers ({soaserial_list}); the MNAME may not name the real primary.",
    ),
    (
        "Z01_MNAME_IS_MASTER",
        "The SOA MNAME servers {ns_list} have the newest serial.",
    ),
    (
        "REFRESH_MINIMUM_VALUE_LOWER",
        "The SOA refresh is {refresh} seconds, below the recommended minimum of {required_refresh}.",
    ),
    (
        "REFRESH_MINIMUM_VALUE_OK",
        "The SOA refresh is {refresh} seconds, at least the recommended {required_refresh}.",
    ),
    (
        "REFRESH_LOWER_THAN_RETRY",
        "The SOA retry ({retry} s) is not lower than the refresh ({refresh} s).",
    ),
    (
        "REFRESH_HIGHER_THAN_RETRY",
        "The SOA retry ({retry} s) is lower than the refresh ({refresh} s).",
    ),
    (
        "RETRY_MINIMUM_VALUE_LOWER",
        "The SOA retry is {retry} seconds, below the recommended minimum of {required_retry}.",
    ),
    (
        "RETRY_MINIMUM_VALUE_OK",
        "The SOA retry is {retry} seconds, at least the recommended {required_retry}.",
    ),
    (
        "EXPIRE_MINIMUM_VALUE_LOWER",
        "The SOA expire is {expire} seconds, below the recommended minimum of {required_expire}.",
    ),
    (
        "EXPIRE_LOWER_THAN_REFRESH",
        "The SOA expire ({expire} s) is lower than the refresh ({refresh} s).",
    ),
    (
        "EXPIRE_MINIMUM_VALUE_OK",
        "The SOA expire is {expire} seconds, above the refresh ({refresh} s) and at least the recommended {required_expire}.",
    ),
    (
        "SOA_DEFAULT_TTL_MAXIMUM_VALUE_HIGHER",
        "The SOA minimum (negative caching time) is {minimum} seconds, above the recommended maximum of {highest_minimum}.",
    ),
    (
        "SOA_DEFAULT_TTL_MAXIMUM_VALUE_LOWER",
        "The SOA minimum (negative caching time) is {minimum} seconds, below the recommended minimum of {lowest_minimum}.",
    ),
    (
        "SOA_DEFAULT_TTL_MAXIMUM_VALUE_OK",
        "The SOA minimum (negative caching time) is {minimum} seconds, within the recommended {lowest_minimum} to {highest_minimum}.",
    ),
    (
        "MNAME_IS_CNAME",
        "The SOA MNAME {mname} is an alias (CNAME); it should be a host name.",
    ),
    (
        "MNAME_IS_NOT_CNAME",
        "The SOA MNAME {mname} is not an alias.",
    ),
    (
        "MNAME_HAS_NO_ADDRESS",
        "The SOA MNAME {mname} has no IPv4 or IPv6 address.",
    ),
    (
        "NO_RESPONSE_MX_QUERY",
        "No authoritative answer to the MX query could be obtained for the zone.",
    ),
    (
        "MX_RECORD_IS_CNAME",
        "An MX record points at an alias (CNAME); a mail exchanger must be a host name.",
    ),
    (
        "MX_RECORD_IS_NOT_CNAME",
        "The MX record does not point at an alias.",
    ),
    (
        "Z09_NO_RESPONSE_MX_QUERY",
        "These name servers did not respond to the MX query: {ns_ip_list}.",
    ),
    (
        "Z09_UNEXPECTED_RCODE_MX",
        "These name servers answered the MX query with the unexpected RCODE {rcode}: {ns_ip_list}.",
    ),
    (
        "Z09_NON_AUTH_MX_RESPONSE",
        "These name servers answered the MX query without the AA flag: {ns_ip_list}.",
    ),
    (
        "Z09_INCONSISTENT_MX",
        "Some name servers return MX records for the zone and others do not.",
    ),
    (
        "Z09_NO_MX_FOUND",
        "These name servers return no MX records: {ns_ip_list}.",
    ),
    (
        "Z09_MX_FOUND",
        "These name servers return MX records: {ns_ip_list}.",
    ),
    (
        "Z09_INCONSISTENT_MX_DATA",
        "The name servers return different MX records.",
    ),
    (
        "Z09_MX_DATA",
        "Name servers {ns_ip_list} name the mail exchangers {mailtarget_list}.",
    ),
    (
        "Z09_NULL_MX_WITH_OTHER_MX",
        "The zone has a null MX record (no mail accepted) together with other MX records; keep only one kind.",
    ),
    (
        "Z09_NULL_MX_NON_ZERO_PREF",
        "The null MX record has a preference other than 0.",
    ),
    (
        "Z09_ROOT_EMAIL_DOMAIN",
        "The root zone has MX records; the root zone is not expected to receive mail.",
    ),
    (
        "Z09_TLD_EMAIL_DOMAIN",
        "This top-level domain has MX records; mail addresses directly under a top-level domain are discouraged.",
    ),
    (
        "Z09_MISSING_MAIL_TARGET",
        "The zone has no MX records; publish MX records, or a null MX record if the domain receives no mail.",
    ),
    (
        "NO_RESPONSE",
        "Name server {ns} did not respond to the SOA query.",
    ),
    (
        "MULTIPLE_SOA",
        "Name server {ns} returns {count} SOA records; a zone has exactly one.",
    ),
    (
        "WRONG_SOA",
        "Name server {ns} returns an SOA record owned by {owner} instead of {name}.",
    ),
    (
        "NO_SOA_IN_RESPONSE",
        "Name server {ns} answered without an SOA record.",
    ),
    (
        "ONE_SOA",
        "Every name server returns exactly one SOA record.",
    ),
    (
        "Z11_UNABLE_TO_CHECK_FOR_SPF",
        "No name server gave a usable answer to the TXT query, so the SPF policy could not be checked.",
    ),
    (
        "Z11_NO_SPF_NON_MAIL_DOMAIN",
        "The zone has no SPF policy, which is fine for a name that is not used for mail (the root, a top-level domain or under .arpa).",
    ),
    ("Z11_NO_SPF_FOUND", "No SPF policy was found for {domain}."),
    (
        "Z11_INCONSISTENT_SPF_POLICIES",
        "The name servers return different SPF policies.",
    ),
    (
        "Z11_DIFFERENT_SPF_POLICIES_FOUND",
        "One of the differing SPF policies is served by these name servers: {ns_list}.",
    ),
    (
        "Z11_SPF_MULTIPLE_RECORDS",
        "These name servers return more than one SPF policy; a domain may have at most one: {ns_list}.",
    ),
    (
        "Z11_SPF_SYNTAX_ERROR",
        "The SPF policy of {domain} on name servers {ns_list} has a syntax error.",
    ),
    (
        "Z11_NULL_SPF_NON_MAIL_DOMAIN",
        "{domain} has the null SPF policy (v=spf1 -all), as recommended for a name that sends no mail.",
    ),
    (
        "Z11_NON_NULL_SPF_NON_MAIL_DOMAIN",
        "{domain} is not expected to send mail, but its SPF policy is not the null policy (v=spf1 -all).",
    ),
    (
        "Z11_SPF_SYNTAX_OK",
        "The SPF policy of {domain} has valid syntax.",
    ),
];
