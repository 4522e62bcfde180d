//! Tags of module DNSSEC (engine spec §3.6), in run order: DNSSEC07 and
//! DNSSEC11 first, then 01–06, 08–10 and 13–18.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::Dnssec;
    // Every test case.
    TEST_CASE_START("testcase");
    TEST_CASE_END("testcase");
    IPV4_DISABLED("ns", "rrtype");
    IPV6_DISABLED("ns", "rrtype");
    // DNSSEC07: signed zone and DS in the parent.
    DS07_NOT_SIGNED();
    DS07_NO_RESPONSE_DNSKEY("ns_list");
    DS07_NON_AUTH_RESPONSE_DNSKEY("ns_list");
    DS07_UNEXP_RCODE_RESP_DNSKEY("ns_list", "rcode");
    DS07_SIGNED_ON_SERVER("ns_list");
    DS07_NOT_SIGNED_ON_SERVER("ns_list");
    DS07_INCONSISTENT_SIGNED();
    DS07_SIGNED();
    DS07_NO_DS_ON_PARENT_SERVER("ns_list");
    DS07_DS_ON_PARENT_SERVER("ns_list");
    DS07_INCONSISTENT_DS();
    DS07_NO_DS_FOR_SIGNED_ZONE();
    DS07_DS_FOR_SIGNED_ZONE();
    // DNSSEC11: DS in the delegation requires a signed zone.
    DS11_UNDETERMINED_DS();
    DS11_INCONSISTENT_DS();
    DS11_PARENT_WITHOUT_DS("ns_ip_list");
    DS11_PARENT_WITH_DS("ns_ip_list");
    DS11_UNDETERMINED_SIGNED_ZONE();
    DS11_DS_BUT_UNSIGNED_ZONE();
    DS11_INCONSISTENT_SIGNED_ZONE();
    DS11_NS_WITH_UNSIGNED_ZONE("ns_ip_list");
    DS11_NS_WITH_SIGNED_ZONE("ns_ip_list");
    // DNSSEC01: DS digest algorithms.
    DS01_DS_ALGO_OK("ns_list", "keytag", "ds_algo_num", "ds_algo_descr");
    DS01_DS_ALGO_DEPRECATED("ns_list", "keytag", "ds_algo_num", "ds_algo_descr");
    DS01_DS_ALGO_NOT_DS("ns_list", "keytag", "ds_algo_num", "ds_algo_descr");
    DS01_DS_ALGO_RESERVED("ns_list", "keytag", "ds_algo_num", "ds_algo_descr");
    DS01_DS_ALGO_UNASSIGNED("ns_list", "keytag", "ds_algo_num", "ds_algo_descr");
    DS01_DS_ALGO_PRIVATE("ns_list", "keytag", "ds_algo_num", "ds_algo_descr");
    DS01_DS_ALGO_2_MISSING("ns_list", "keytag");
    DS01_NO_RESPONSE("ns_list");
    DS01_PARENT_ZONE_NO_DS("ns_list");
    DS01_PARENT_SERVER_NO_DS("ns_list");
    DS01_ROOT_N_NO_UNDEL_DS();
    DS01_UNDEL_N_NO_UNDEL_DS();
    // DNSSEC02: DS matches a DNSKEY.
    DS02_NO_DNSKEY_FOR_DS("keytag", "ns_ip_list");
    DS02_NO_MATCH_DS_DNSKEY("keytag", "ns_ip_list");
    DS02_DNSKEY_NOT_FOR_ZONE_SIGNING("keytag", "ns_ip_list");
    DS02_DNSKEY_NOT_SEP("keytag", "ns_ip_list");
    DS02_ALGO_NOT_SUPPORTED_BY_ZM("keytag", "algo_num", "algo_mnemo", "ns_ip_list");
    DS02_RRSIG_NOT_VALID_BY_DNSKEY("keytag", "ns_ip_list");
    DS02_NO_MATCHING_DNSKEY_RRSIG("keytag", "ns_ip_list");
    DS02_NO_VALID_DNSKEY_FOR_ANY_DS("ns_ip_list");
    DS02_DNSKEY_NOT_SIGNED_BY_ANY_DS("ns_ip_list");
    // DNSSEC03: NSEC3 parameters.
    DS03_NO_RESPONSE_NSEC_QUERY("ns_list");
    DS03_ERROR_RESPONSE_NSEC_QUERY("ns_list");
    DS03_NO_DNSSEC_SUPPORT("ns_list");
    DS03_SERVER_NO_DNSSEC_SUPPORT("ns_list");
    DS03_NO_NSEC3("ns_list");
    DS03_SERVER_NO_NSEC3("ns_list");
    DS03_ERR_MULT_NSEC3("ns_list");
    DS03_INCONSISTENT_HASH_ALGO();
    DS03_LEGAL_HASH_ALGO("ns_list");
    DS03_ILLEGAL_HASH_ALGO("ns_list", "algo_num");
    DS03_INCONSISTENT_NSEC3_FLAGS();
    DS03_UNASSIGNED_FLAG_USED("ns_list", "int");
    DS03_NSEC3_OPT_OUT_ENABLED_TLD("ns_list");
    DS03_NSEC3_OPT_OUT_ENABLED_NON_TLD("ns_list");
    DS03_NSEC3_OPT_OUT_DISABLED("ns_list");
    DS03_INCONSISTENT_ITERATION();
    DS03_LEGAL_ITERATION_VALUE("ns_list");
    DS03_ILLEGAL_ITERATION_VALUE("ns_list", "int");
    DS03_INCONSISTENT_SALT_LENGTH();
    DS03_LEGAL_EMPTY_SALT("ns_list");
    DS03_ILLEGAL_SALT_LENGTH("ns_list", "int");
    // DNSSEC04: RRSIG lifetimes.
    RRSIG_EXPIRATION("date", "keytag", "types");
    RRSIG_EXPIRED("expiration", "keytag", "types");
    REMAINING_SHORT("duration", "keytag", "types");
    REMAINING_LONG("duration", "keytag", "types");
    DURATION_LONG("duration", "keytag", "types");
    DURATION_OK("duration", "keytag", "types");
    // DNSSEC05: DNSKEY algorithms.
    DS05_ALGO_OK("ns_list", "keytag", "algo_num", "algo_descr", "algo_mnemo");
    DS05_ALGO_DEPRECATED("ns_list", "keytag", "algo_num", "algo_descr", "algo_mnemo");
    DS05_ALGO_NOT_RECOMMENDED("ns_list", "keytag", "algo_num", "algo_descr", "algo_mnemo");
    DS05_ALGO_NOT_ZONE_SIGN("ns_list", "keytag", "algo_num", "algo_descr", "algo_mnemo");
    DS05_ALGO_RESERVED("ns_list", "keytag", "algo_num", "algo_descr", "algo_mnemo");
    DS05_ALGO_UNASSIGNED("ns_list", "keytag", "algo_num", "algo_descr", "algo_mnemo");
    DS05_ALGO_PRIVATE("ns_list", "keytag", "algo_num", "algo_descr", "algo_mnemo");
    DS05_NO_RESPONSE("ns_list");
    DS05_ZONE_NO_DNSSEC("ns_list");
    DS05_SERVER_NO_DNSSEC("ns_list");
    // DNSSEC06: additional processing.
    EXTRA_PROCESSING_OK("server", "keys", "sigs");
    EXTRA_PROCESSING_BROKEN("server", "keys", "sigs");
    // DNSSEC08: RRSIG over DNSKEY.
    DS08_MISSING_RRSIG_IN_RESPONSE("ns_ip_list");
    DS08_DNSKEY_RRSIG_NOT_YET_VALID("keytag", "ns_ip_list");
    DS08_DNSKEY_RRSIG_EXPIRED("keytag", "ns_ip_list");
    DS08_ALGO_NOT_SUPPORTED_BY_ZM("keytag", "algo_num", "algo_mnemo", "ns_ip_list");
    DS08_NO_MATCHING_DNSKEY("keytag", "ns_ip_list");
    DS08_RRSIG_NOT_VALID_BY_DNSKEY("keytag", "ns_ip_list");
    // DNSSEC09: RRSIG over SOA.
    DS09_MISSING_RRSIG_IN_RESPONSE("ns_ip_list");
    DS09_SOA_RRSIG_NOT_YET_VALID("keytag", "ns_ip_list");
    DS09_SOA_RRSIG_EXPIRED("keytag", "ns_ip_list");
    DS09_ALGO_NOT_SUPPORTED_BY_ZM("keytag", "algo_num", "algo_mnemo", "ns_ip_list");
    DS09_NO_MATCHING_DNSKEY("keytag", "ns_ip_list");
    DS09_RRSIG_NOT_VALID_BY_DNSKEY("keytag", "ns_ip_list");
    // DNSSEC10: NSEC or NSEC3 present; the NSEC query probe.
    DS10_NSEC_QUERY_RESPONSE_ERR("ns_list");
    DS10_ERR_MULT_NSEC("ns_list");
    DS10_NSEC_MISMATCHES_APEX("ns_list");
    DS10_NSEC_GIVES_ERR_ANSWER("ns_list");
    DS10_NSEC3_NODATA_MISSING_SOA("ns_list");
    DS10_NSEC3_NODATA_WRONG_SOA("domain", "ns_list");
    DS10_ERR_MULT_NSEC3("ns_list");
    DS10_NSEC3_MISMATCHES_APEX("ns_list");
    DS10_NSEC3_ERR_TYPE_LIST("ns_list");
    DS10_NSEC3_MISSING_SIGNATURE("ns_list");
    DS10_NSEC3_RRSIG_NO_DNSKEY("keytag", "ns_list");
    DS10_NSEC3_RRSIG_EXPIRED("keytag", "ns_list");
    DS10_NSEC3_RRSIG_NOT_YET_VALID("keytag", "ns_list");
    DS10_ALGO_NOT_SUPPORTED_BY_ZM("keytag", "algo_num", "algo_mnemo", "ns_ip_list");
    DS10_NSEC3_RRSIG_VERIFY_ERROR("keytag", "ns_list");
    DS10_NSEC3_NO_VERIFIED_SIGNATURE("ns_list");
    // DNSSEC10: the NSEC3PARAM query probe.
    DS10_NSEC3PARAM_QUERY_RESPONSE_ERR("ns_list");
    DS10_ERR_MULT_NSEC3PARAM("ns_list");
    DS10_NSEC3PARAM_MISMATCHES_APEX("ns_list");
    DS10_NSEC3PARAM_GIVES_ERR_ANSWER("ns_list");
    DS10_NSEC_NODATA_MISSING_SOA("ns_list");
    DS10_NSEC_NODATA_WRONG_SOA("domain", "ns_list");
    DS10_NSEC_ERR_TYPE_LIST("ns_list");
    DS10_NSEC_MISSING_SIGNATURE("ns_list");
    DS10_NSEC_RRSIG_NO_DNSKEY("keytag", "ns_list");
    DS10_NSEC_RRSIG_EXPIRED("keytag", "ns_list");
    DS10_NSEC_RRSIG_NOT_YET_VALID("keytag", "ns_list");
    DS10_NSEC_RRSIG_VERIFY_ERROR("keytag", "ns_list");
    DS10_NSEC_NO_VERIFIED_SIGNATURE("ns_list");
    // DNSSEC10: summary.
    DS10_HAS_NSEC("ns_list");
    DS10_HAS_NSEC3("ns_list");
    DS10_MIXED_NSEC_NSEC3("ns_list");
    DS10_INCONSISTENT_NSEC_NSEC3("ns_list", "ns_list_nsec", "ns_list_nsec3");
    DS10_INCONSISTENT_NSEC("ns_list");
    DS10_INCONSISTENT_NSEC3("ns_list");
    DS10_EXPECTED_NSEC_NSEC3_MISSING("ns_list");
    DS10_ZONE_NO_DNSSEC("ns_list");
    DS10_SERVER_NO_DNSSEC("ns_list");
    // DNSSEC13: every DNSKEY algorithm signs.
    DS13_ALGO_NOT_SIGNED_DNSKEY("ns_ip_list", "algo_num", "algo_mnemo");
    DS13_ALGO_NOT_SIGNED_SOA("ns_ip_list", "algo_num", "algo_mnemo");
    DS13_ALGO_NOT_SIGNED_NS("ns_ip_list", "algo_num", "algo_mnemo");
    // DNSSEC14: RSA key sizes.
    NO_RESPONSE("ns");
    NO_RESPONSE_DNSKEY("ns");
    DNSKEY_TOO_SMALL_FOR_ALGO("algo_num", "algo_descr", "keytag", "keysize", "keysizemin", "keysizemax", "keysizerec");
    DNSKEY_SMALLER_THAN_REC("algo_num", "algo_descr", "keytag", "keysize", "keysizemin", "keysizemax", "keysizerec");
    DNSKEY_TOO_LARGE_FOR_ALGO("algo_num", "algo_descr", "keytag", "keysize", "keysizemin", "keysizemax", "keysizerec");
    KEY_SIZE_OK();
    // DNSSEC15: CDS and CDNSKEY exist.
    DS15_NO_CDS_CDNSKEY();
    DS15_HAS_CDS_NO_CDNSKEY("ns_ip_list");
    DS15_HAS_CDNSKEY_NO_CDS("ns_ip_list");
    DS15_HAS_CDS_AND_CDNSKEY("ns_ip_list");
    DS15_INCONSISTENT_CDS();
    DS15_INCONSISTENT_CDNSKEY();
    DS15_MISMATCH_CDS_CDNSKEY("ns_ip_list");
    // DNSSEC16: CDS.
    DS16_MIXED_DELETE_CDS("ns_ip_list");
    DS16_DELETE_CDS("ns_ip_list");
    DS16_CDS_WITHOUT_DNSKEY("ns_ip_list");
    DS16_CDS_MATCHES_NO_DNSKEY("keytag", "ns_ip_list");
    DS16_CDS_MATCHES_NON_ZONE_DNSKEY("keytag", "ns_ip_list");
    DS16_DNSKEY_NOT_SIGNED_BY_CDS("keytag", "ns_ip_list");
    DS16_CDS_NOT_SIGNED_BY_CDS("keytag", "ns_ip_list");
    DS16_CDS_MATCHES_NON_SEP_DNSKEY("keytag", "ns_ip_list");
    DS16_CDS_UNSIGNED("ns_ip_list");
    DS16_CDS_SIGNED_BY_UNKNOWN_DNSKEY("keytag", "ns_ip_list");
    DS16_CDS_INVALID_RRSIG("keytag", "ns_ip_list");
    // DNSSEC17: CDNSKEY.
    DS17_MIXED_DELETE_CDNSKEY("ns_ip_list");
    DS17_DELETE_CDNSKEY("ns_ip_list");
    DS17_CDNSKEY_WITHOUT_DNSKEY("ns_ip_list");
    DS17_CDNSKEY_IS_NON_ZONE("keytag", "ns_ip_list");
    DS17_CDNSKEY_IS_NON_SEP("keytag", "ns_ip_list");
    DS17_CDNSKEY_MATCHES_NO_DNSKEY("keytag", "ns_ip_list");
    DS17_DNSKEY_NOT_SIGNED_BY_CDNSKEY("keytag", "ns_ip_list");
    DS17_CDNSKEY_NOT_SIGNED_BY_CDNSKEY("keytag", "ns_ip_list");
    DS17_CDNSKEY_UNSIGNED("ns_ip_list");
    DS17_CDNSKEY_SIGNED_BY_UNKNOWN_DNSKEY("keytag", "ns_ip_list");
    DS17_CDNSKEY_INVALID_RRSIG("keytag", "ns_ip_list");
    // DNSSEC18: trust from DS to CDS and CDNSKEY.
    DS18_NO_MATCH_CDS_RRSIG_DS("ns_ip_list");
    DS18_NO_MATCH_CDNSKEY_RRSIG_DS("ns_ip_list");
    // In the default profile only, never emitted.
    HAS_NSEC3_OPTOUT();
    INVALID_NAME_RCODE();
}
