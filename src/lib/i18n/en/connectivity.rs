//! English texts of module Connectivity.

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
        "CN01_IPV4_DISABLED",
        "IPv4 is disabled, so these name servers were not tested: {ns_list}.",
    ),
    (
        "CN01_IPV6_DISABLED",
        "IPv6 is disabled, so these name servers were not tested: {ns_list}.",
    ),
    (
        "CN01_NO_RESPONSE_UDP",
        "Name server {ns} does not respond over UDP.",
    ),
    (
        "CN01_NO_RESPONSE_SOA_QUERY_UDP",
        "Name server {ns} does not respond to SOA queries over UDP.",
    ),
    (
        "CN01_NO_RESPONSE_NS_QUERY_UDP",
        "Name server {ns} does not respond to NS queries over UDP.",
    ),
    (
        "CN01_UNEXPECTED_RCODE_SOA_QUERY_UDP",
        "Name server {ns} answers the SOA query over UDP with the unexpected RCODE {rcode}.",
    ),
    (
        "CN01_UNEXPECTED_RCODE_NS_QUERY_UDP",
        "Name server {ns} answers the NS query over UDP with the unexpected RCODE {rcode}.",
    ),
    (
        "CN01_MISSING_SOA_RECORD_UDP",
        "Name server {ns} answers the SOA query over UDP without an SOA record.",
    ),
    (
        "CN01_MISSING_NS_RECORD_UDP",
        "Name server {ns} answers the NS query over UDP without NS records.",
    ),
    (
        "CN01_WRONG_SOA_RECORD_UDP",
        "Name server {ns} answers the SOA query over UDP with an SOA record for {domain_found} instead of {domain_expected}.",
    ),
    (
        "CN01_WRONG_NS_RECORD_UDP",
        "Name server {ns} answers the NS query over UDP with NS records for {domain_found} instead of {domain_expected}.",
    ),
    (
        "CN01_SOA_RECORD_NOT_AA_UDP",
        "Name server {ns} answers the SOA query over UDP without the AA flag: it is not authoritative for the zone.",
    ),
    (
        "CN01_NS_RECORD_NOT_AA_UDP",
        "Name server {ns} answers the NS query over UDP without the AA flag: it is not authoritative for the zone.",
    ),
    (
        "CN02_NO_RESPONSE_TCP",
        "Name server {ns} does not respond over TCP.",
    ),
    (
        "CN02_NO_RESPONSE_SOA_QUERY_TCP",
        "Name server {ns} does not respond to SOA queries over TCP.",
    ),
    (
        "CN02_NO_RESPONSE_NS_QUERY_TCP",
        "Name server {ns} does not respond to NS queries over TCP.",
    ),
    (
        "CN02_UNEXPECTED_RCODE_SOA_QUERY_TCP",
        "Name server {ns} answers the SOA query over TCP with the unexpected RCODE {rcode}.",
    ),
    (
        "CN02_UNEXPECTED_RCODE_NS_QUERY_TCP",
        "Name server {ns} answers the NS query over TCP with the unexpected RCODE {rcode}.",
    ),
    (
        "CN02_MISSING_SOA_RECORD_TCP",
        "Name server {ns} answers the SOA query over TCP without an SOA record.",
    ),
    (
        "CN02_MISSING_NS_RECORD_TCP",
        "Name server {ns} answers the NS query over TCP without NS records.",
    ),
    (
        "CN02_WRONG_SOA_RECORD_TCP",
        "Name server {ns} answers the SOA query over TCP with an SOA record for {domain_found} instead of {domain_expected}.",
    ),
    (
        "CN02_WRONG_NS_RECORD_TCP",
        "Name server {ns} answers the NS query over TCP with NS records for {domain_found} instead of {domain_expected}.",
    ),
    (
        "CN02_SOA_RECORD_NOT_AA_TCP",
        "Name server {ns} answers the SOA query over TCP without the AA flag: it is not authoritative for the zone.",
    ),
    (
        "CN02_NS_RECORD_NOT_AA_TCP",
        "Name server {ns} answers the NS query over TCP without the AA flag: it is not authoritative for the zone.",
    ),
    (
        "ERROR_ASN_DATABASE",
        "The AS lookup for {ns_ip} failed: the ASN database gave no usable answer.",
    ),
    (
        "EMPTY_ASN_SET",
        "The ASN database knows no AS that announces {ns_ip}.",
    ),
    (
        "ASN_INFOS_RAW",
        "The AS lookup for {ns_ip} returned: {data}.",
    ),
    ("ASN_INFOS_ANNOUNCE_BY", "{ns_ip} is announced by AS {asn}."),
    (
        "ASN_INFOS_ANNOUNCE_IN",
        "{ns_ip} is announced in prefix {prefix}.",
    ),
    (
        "IPV4_ONE_ASN",
        "All IPv4 name servers are in one AS ({asn}); a single network failure can make all of them unreachable.",
    ),
    (
        "IPV6_ONE_ASN",
        "All IPv6 name servers are in one AS ({asn}); a single network failure can make all of them unreachable.",
    ),
    (
        "IPV4_SAME_ASN",
        "Every IPv4 name server is announced by the same ASes ({asn_list}); more network diversity is advisable.",
    ),
    (
        "IPV6_SAME_ASN",
        "Every IPv6 name server is announced by the same ASes ({asn_list}); more network diversity is advisable.",
    ),
    (
        "IPV4_DIFFERENT_ASN",
        "The IPv4 name servers are spread over several ASes: {asn_list}.",
    ),
    (
        "IPV6_DIFFERENT_ASN",
        "The IPv6 name servers are spread over several ASes: {asn_list}.",
    ),
    (
        "CN04_ERROR_PREFIX_DATABASE",
        "The prefix lookup for {ns_ip} failed: the database gave no usable answer.",
    ),
    (
        "CN04_EMPTY_PREFIX_SET",
        "No announced prefix was found for {ns_ip}.",
    ),
    (
        "CN04_ASN_INFOS_RAW",
        "The prefix lookup for {ns_ip} returned: {data}.",
    ),
    (
        "CN04_ASN_INFOS_ANNOUNCE_IN",
        "{ns_ip} is announced in prefix {prefix}.",
    ),
    (
        "CN04_IPV4_SAME_PREFIX",
        "These name servers share the IPv4 prefix {ip_prefix}: {ns_list}.",
    ),
    (
        "CN04_IPV6_SAME_PREFIX",
        "These name servers share the IPv6 prefix {ip_prefix}: {ns_list}.",
    ),
    (
        "CN04_IPV4_DIFFERENT_PREFIX",
        "These name servers each have an IPv4 prefix of their own: {ns_list}.",
    ),
    (
        "CN04_IPV6_DIFFERENT_PREFIX",
        "These name servers each have an IPv6 prefix of their own: {ns_list}.",
    ),
    (
        "CN04_IPV4_SINGLE_PREFIX",
        "All IPv4 name servers are in one prefix; a single routing problem can make all of them unreachable.",
    ),
    (
        "CN04_IPV6_SINGLE_PREFIX",
        "All IPv6 name servers are in one prefix; a single routing problem can make all of them unreachable.",
    ),
    (
        "NAMESERVER_HAS_TCP_53",
        "The name server answers on TCP port 53.",
    ),
    (
        "NAMESERVER_HAS_UDP_53",
        "The name server answers on UDP port 53.",
    ),
    (
        "NAMESERVER_NO_TCP_53",
        "The name server does not answer on TCP port 53.",
    ),
    (
        "NAMESERVER_NO_UDP_53",
        "The name server does not answer on UDP port 53.",
    ),
];
