//! English texts of module Nameserver.

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
        "NO_RESPONSE",
        "Name server {ns} did not respond to a query for {domain}.",
    ),
    (
        "IS_A_RECURSOR",
        "Name server {ns} answers recursive queries; an authoritative name server should not be an open resolver.",
    ),
    (
        "NO_RECURSOR",
        "Name server {ns} does not answer recursive queries.",
    ),
    ("NO_EDNS_SUPPORT", "Name server {ns} does not support EDNS."),
    (
        "EDNS_RESPONSE_WITHOUT_EDNS",
        "Name server {ns} answered an EDNS query for {domain} without EDNS (no OPT record).",
    ),
    (
        "EDNS_VERSION_ERROR",
        "Name server {ns} answered an EDNS version 0 query for {domain} with another EDNS version.",
    ),
    (
        "NS_ERROR",
        "Name server {ns} gave an erroneous answer to an EDNS query.",
    ),
    (
        "BREAKS_ON_EDNS",
        "Name server {ns} answers plain queries for {domain} but not queries with EDNS.",
    ),
    (
        "EDNS0_SUPPORT",
        "These name servers support EDNS version 0: {ns_list}.",
    ),
    (
        "AXFR_AVAILABLE",
        "Name server {ns} lets anyone transfer the whole zone (AXFR); consider restricting zone transfers.",
    ),
    (
        "AXFR_FAILURE",
        "Name server {ns} does not allow zone transfer (AXFR) to us.",
    ),
    (
        "DIFFERENT_SOURCE_IP",
        "Name server {ns} replied from another IP address ({source}) than the one it was asked on.",
    ),
    (
        "SAME_SOURCE_IP",
        "Every name server replied from the IP address it was asked on: {names}.",
    ),
    (
        "A_UNEXPECTED_RCODE",
        "Name server {ns} answered the A query with the unexpected RCODE {rcode}.",
    ),
    (
        "AAAA_QUERY_DROPPED",
        "Name server {ns} answers A queries but did not respond to a AAAA query.",
    ),
    (
        "AAAA_UNEXPECTED_RCODE",
        "Name server {ns} answered the AAAA query with the unexpected RCODE {rcode}.",
    ),
    (
        "AAAA_BAD_RDATA",
        "Name server {ns} returned a AAAA record with {length} octets of data instead of 16.",
    ),
    (
        "AAAA_WELL_PROCESSED",
        "These name servers answer AAAA queries correctly: {ns_list}.",
    ),
    (
        "CAN_NOT_BE_RESOLVED",
        "No IP address could be found for these name server names: {nsname_list}.",
    ),
    (
        "NO_RESOLUTION",
        "None of the name server names could be resolved to an IP address: {names}.",
    ),
    (
        "CAN_BE_RESOLVED",
        "Every name server name resolves to an IP address.",
    ),
    (
        "UPWARD_REFERRAL_IRRELEVANT",
        "This is the root zone, so the check for upward referrals does not apply.",
    ),
    (
        "UPWARD_REFERRAL",
        "Name server {ns} answers a query for the root with an upward referral; it should refuse or answer without one.",
    ),
    (
        "NO_UPWARD_REFERRAL",
        "None of these name servers gives upward referrals: {nsname_list}.",
    ),
    (
        "QNAME_CASE_SENSITIVE",
        "Name server {ns} keeps the letter case of the query name {domain} in its answer.",
    ),
    (
        "QNAME_CASE_INSENSITIVE",
        "Name server {ns} changed the letter case of the query name {domain} in its answer; the question must be copied as asked.",
    ),
    (
        "CASE_QUERY_SAME_ANSWER",
        "Name server {ns} gives the same answer to {type} queries for {query1} and {query2}.",
    ),
    (
        "CASE_QUERY_DIFFERENT_ANSWER",
        "Name server {ns} gives different answers to {type} queries for {query1} and {query2}, which differ only in letter case.",
    ),
    (
        "CASE_QUERY_SAME_RC",
        "Name server {ns} answers {type} queries for {query1} and {query2} with the same RCODE, {rcode}.",
    ),
    (
        "CASE_QUERY_DIFFERENT_RC",
        "Name server {ns} answers {type} queries for {query1} and {query2} with different RCODEs, {rcode1} and {rcode2}.",
    ),
    (
        "CASE_QUERY_NO_ANSWER",
        "Name server {ns} did not respond to one of the mixed-case {type} queries for {domain}.",
    ),
    (
        "CASE_QUERIES_RESULTS_OK",
        "Every name server answers {type} queries for {domain} the same whatever the letter case.",
    ),
    (
        "CASE_QUERIES_RESULTS_DIFFER",
        "The answers to {type} queries for {domain} depend on the letter case of the name; names must be compared without regard to case.",
    ),
    (
        "N10_NO_RESPONSE_EDNS1_QUERY",
        "These name servers did not respond to a query with EDNS version 1: {ns_ip_list}.",
    ),
    (
        "N10_UNEXPECTED_RCODE",
        "These name servers answered a query with EDNS version 1 with RCODE {rcode} instead of BADVERS: {ns_ip_list}.",
    ),
    (
        "N10_EDNS_RESPONSE_ERROR",
        "These name servers answered a query with EDNS version 1 incorrectly; expected BADVERS with EDNS version 0 and an empty answer: {ns_ip_list}.",
    ),
    (
        "N11_NO_RESPONSE",
        "These name servers did not respond to a query with an unknown EDNS option: {ns_ip_list}.",
    ),
    (
        "N11_UNEXPECTED_RCODE",
        "These name servers answered a query with an unknown EDNS option with RCODE {rcode}: {ns_ip_list}.",
    ),
    (
        "N11_NO_EDNS",
        "These name servers answered a query with an unknown EDNS option without EDNS: {ns_ip_list}.",
    ),
    (
        "N11_UNEXPECTED_ANSWER_SECTION",
        "These name servers answered an SOA query with an unknown EDNS option without the SOA record: {ns_ip_list}.",
    ),
    (
        "N11_UNSET_AA",
        "These name servers answered a query with an unknown EDNS option without the AA flag: {ns_ip_list}.",
    ),
    (
        "N11_RETURNS_UNKNOWN_OPTION_CODE",
        "These name servers echo an unknown EDNS option back; it should be ignored: {ns_ip_list}.",
    ),
    (
        "Z_FLAGS_NOTCLEAR",
        "Name server {ns} set reserved EDNS flags (Z) in its response; they must be zero.",
    ),
    (
        "MISSING_OPT_IN_TRUNCATED",
        "Name server {ns} sent a truncated response to an EDNS query without an OPT record.",
    ),
    (
        "N15_ERROR_ON_VERSION_QUERY",
        "These name servers gave no answer or an error to the {query_name} query: {ns_list}.",
    ),
    (
        "N15_SOFTWARE_VERSION",
        "These name servers reveal the software version \"{string}\" in {query_name}: {ns_list}.",
    ),
    (
        "N15_WRONG_CLASS",
        "These name servers answered a CH-class version query with records of another class: {ns_list}.",
    ),
    (
        "N15_NO_VERSION_REVEALED",
        "These name servers do not reveal their software version: {ns_list}.",
    ),
    ("QUERY_DROPPED", "The name server dropped a query."),
];
