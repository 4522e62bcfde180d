//! Tags of module Syntax (engine spec §3.8): SYNTAX01–08.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::Syntax;
    // Every test case.
    TEST_CASE_START("testcase");
    TEST_CASE_END("testcase");
    IPV4_DISABLED("ns", "rrtype");
    IPV6_DISABLED("ns", "rrtype");
    // SYNTAX01: legal characters in the zone name.
    ONLY_ALLOWED_CHARS("domain");
    NON_ALLOWED_CHARS("domain");
    // SYNTAX02: hyphens at label ends.
    INITIAL_HYPHEN("label", "domain");
    TERMINAL_HYPHEN("label", "domain");
    NO_ENDING_HYPHENS("domain");
    // SYNTAX03: double hyphen in positions 3–4.
    DISCOURAGED_DOUBLE_DASH("label", "domain");
    NO_DOUBLE_DASH("domain");
    // SYNTAX04: NS names.
    NAMESERVER_NON_ALLOWED_CHARS("domain");
    NAMESERVER_DISCOURAGED_DOUBLE_DASH("label", "domain");
    NAMESERVER_NUMERIC_TLD("domain", "tld");
    NAMESERVER_SYNTAX_OK("domain");
    // SYNTAX05: '@' in the SOA RNAME.
    RNAME_MISUSED_AT_SIGN("rname");
    RNAME_NO_AT_SIGN("rname");
    NO_RESPONSE_SOA_QUERY();
    // SYNTAX06: the SOA RNAME as a mail address.
    NO_RESPONSE("ns", "domain");
    RNAME_RFC822_INVALID("rname");
    RNAME_MAIL_DOMAIN_INVALID("domain");
    RNAME_MAIL_ILLEGAL_CNAME("domain");
    RNAME_MAIL_DOMAIN_LOCALHOST("domain", "localhost");
    RNAME_RFC822_VALID("rname");
    // SYNTAX07: the SOA MNAME.
    MNAME_NON_ALLOWED_CHARS("domain");
    MNAME_DISCOURAGED_DOUBLE_DASH("label", "domain");
    MNAME_NUMERIC_TLD("domain", "tld");
    MNAME_SYNTAX_OK("domain");
    // SYNTAX08: MX names.
    MX_NON_ALLOWED_CHARS("domain");
    MX_DISCOURAGED_DOUBLE_DASH("label", "domain");
    MX_NUMERIC_TLD("domain", "tld");
    MX_SYNTAX_OK("domain");
    NO_RESPONSE_MX_QUERY();
}
