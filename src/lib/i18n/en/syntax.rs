//! English texts of module Syntax.

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
        "ONLY_ALLOWED_CHARS",
        "The name {domain} contains only letters, digits and hyphens.",
    ),
    (
        "NON_ALLOWED_CHARS",
        "The name {domain} contains characters other than letters, digits and hyphens.",
    ),
    (
        "INITIAL_HYPHEN",
        "Label {label} of {domain} starts with a hyphen.",
    ),
    (
        "TERMINAL_HYPHEN",
        "Label {label} of {domain} ends with a hyphen.",
    ),
    (
        "NO_ENDING_HYPHENS",
        "No label of {domain} starts or ends with a hyphen.",
    ),
    (
        "DISCOURAGED_DOUBLE_DASH",
        "Label {label} of {domain} has a double hyphen in positions 3 and 4 but is not an IDN label (xn--).",
    ),
    (
        "NO_DOUBLE_DASH",
        "No label of {domain} has a double hyphen in positions 3 and 4.",
    ),
    (
        "NAMESERVER_NON_ALLOWED_CHARS",
        "Name server name {domain} contains characters other than letters, digits and hyphens.",
    ),
    (
        "NAMESERVER_DISCOURAGED_DOUBLE_DASH",
        "Label {label} of name server name {domain} has a double hyphen in positions 3 and 4 but is not an IDN label.",
    ),
    (
        "NAMESERVER_NUMERIC_TLD",
        "Name server name {domain} ends in the all-numeric top-level label {tld}.",
    ),
    (
        "NAMESERVER_SYNTAX_OK",
        "Name server name {domain} is a valid host name.",
    ),
    (
        "RNAME_MISUSED_AT_SIGN",
        "The SOA RNAME {rname} contains an '@'; write the mailbox with a dot instead (hostmaster.example.com).",
    ),
    ("RNAME_NO_AT_SIGN", "The SOA RNAME {rname} contains no '@'."),
    (
        "NO_RESPONSE_SOA_QUERY",
        "No SOA record could be obtained for the zone.",
    ),
    (
        "NO_RESPONSE",
        "Name server {ns} did not respond to the SOA query for {domain}.",
    ),
    (
        "RNAME_RFC822_INVALID",
        "The SOA RNAME {rname} does not form a valid mail address.",
    ),
    (
        "RNAME_MAIL_DOMAIN_INVALID",
        "The mail domain {domain} of the SOA RNAME has no usable mail server.",
    ),
    (
        "RNAME_MAIL_ILLEGAL_CNAME",
        "The mail server {domain} of the SOA RNAME is an alias (CNAME).",
    ),
    (
        "RNAME_MAIL_DOMAIN_LOCALHOST",
        "The mail server {domain} of the SOA RNAME resolves to the local host address {localhost}.",
    ),
    (
        "RNAME_RFC822_VALID",
        "The SOA RNAME {rname} forms a valid mail address.",
    ),
    (
        "MNAME_NON_ALLOWED_CHARS",
        "The SOA MNAME {domain} contains characters other than letters, digits and hyphens.",
    ),
    (
        "MNAME_DISCOURAGED_DOUBLE_DASH",
        "Label {label} of the SOA MNAME {domain} has a double hyphen in positions 3 and 4 but is not an IDN label.",
    ),
    (
        "MNAME_NUMERIC_TLD",
        "The SOA MNAME {domain} ends in the all-numeric top-level label {tld}.",
    ),
    (
        "MNAME_SYNTAX_OK",
        "The SOA MNAME {domain} is a valid host name.",
    ),
    (
        "MX_NON_ALLOWED_CHARS",
        "The mail exchanger name {domain} contains characters other than letters, digits and hyphens.",
    ),
    (
        "MX_DISCOURAGED_DOUBLE_DASH",
        "Label {label} of the mail exchanger name {domain} has a double hyphen in positions 3 and 4 but is not an IDN label.",
    ),
    (
        "MX_NUMERIC_TLD",
        "The mail exchanger name {domain} ends in the all-numeric top-level label {tld}.",
    ),
    (
        "MX_SYNTAX_OK",
        "The mail exchanger name {domain} is a valid host name.",
    ),
    (
        "NO_RESPONSE_MX_QUERY",
        "No answer to the MX query could be obtained for the zone.",
    ),
];
