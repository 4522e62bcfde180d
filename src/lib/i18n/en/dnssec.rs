//! English texts of module DNSSEC.

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
    ("DS07_NOT_SIGNED", "The zone is not signed with DNSSEC."),
    (
        "DS07_NO_RESPONSE_DNSKEY",
        "These name servers did not respond to the DNSKEY query: {ns_list}.",
    ),
    (
        "DS07_NON_AUTH_RESPONSE_DNSKEY",
        "These name servers answered the DNSKEY query without the AA flag: {ns_list}.",
    ),
    (
        "DS07_UNEXP_RCODE_RESP_DNSKEY",
        "These name servers answered the DNSKEY query with the unexpected RCODE {rcode}: {ns_list}.",
    ),
    (
        "DS07_SIGNED_ON_SERVER",
        "The zone is signed on these name servers: {ns_list}.",
    ),
    (
        "DS07_NOT_SIGNED_ON_SERVER",
        "The zone is not signed on these name servers: {ns_list}.",
    ),
    (
        "DS07_INCONSISTENT_SIGNED",
        "The zone is signed on some name servers and unsigned on others.",
    ),
    ("DS07_SIGNED", "The zone is signed on every name server."),
    (
        "DS07_NO_DS_ON_PARENT_SERVER",
        "These parent zone servers have no DS record for the zone: {ns_list}.",
    ),
    (
        "DS07_DS_ON_PARENT_SERVER",
        "These parent zone servers have a DS record for the zone: {ns_list}.",
    ),
    (
        "DS07_INCONSISTENT_DS",
        "Some parent zone servers have a DS record for the zone and others do not.",
    ),
    (
        "DS07_NO_DS_FOR_SIGNED_ZONE",
        "The zone is signed but the parent zone has no DS record for it, so it is not part of a chain of trust. Publish a DS record at the parent.",
    ),
    (
        "DS07_DS_FOR_SIGNED_ZONE",
        "The zone is signed and the parent zone has a DS record for it.",
    ),
    (
        "DS11_UNDETERMINED_DS",
        "No parent zone server gave a usable answer to the DS query, so it is unknown whether the zone has a DS record.",
    ),
    (
        "DS11_INCONSISTENT_DS",
        "Some parent zone servers have a DS record for the zone and others do not.",
    ),
    (
        "DS11_PARENT_WITHOUT_DS",
        "These parent zone servers have no DS record for the zone: {ns_ip_list}.",
    ),
    (
        "DS11_PARENT_WITH_DS",
        "These parent zone servers have a DS record for the zone: {ns_ip_list}.",
    ),
    (
        "DS11_UNDETERMINED_SIGNED_ZONE",
        "No name server gave a usable answer to the DNSKEY query, so it is unknown whether the zone is signed.",
    ),
    (
        "DS11_DS_BUT_UNSIGNED_ZONE",
        "The parent zone has a DS record for the zone but the zone is not signed; validating resolvers will fail to resolve it. Remove the DS record or sign the zone.",
    ),
    (
        "DS11_INCONSISTENT_SIGNED_ZONE",
        "The zone has a DS record in the parent zone but is signed on some name servers only.",
    ),
    (
        "DS11_NS_WITH_UNSIGNED_ZONE",
        "These name servers serve the zone unsigned: {ns_ip_list}.",
    ),
    (
        "DS11_NS_WITH_SIGNED_ZONE",
        "These name servers serve the zone signed: {ns_ip_list}.",
    ),
    (
        "DS01_DS_ALGO_OK",
        "The DS record with key tag {keytag} on parent servers {ns_list} uses digest algorithm {ds_algo_num} ({ds_algo_descr}), which is fine.",
    ),
    (
        "DS01_DS_ALGO_DEPRECATED",
        "The DS record with key tag {keytag} on parent servers {ns_list} uses digest algorithm {ds_algo_num} ({ds_algo_descr}), which is deprecated and should be replaced.",
    ),
    (
        "DS01_DS_ALGO_NOT_DS",
        "The DS record with key tag {keytag} on parent servers {ns_list} uses digest algorithm {ds_algo_num} ({ds_algo_descr}), which must not be used in DS records.",
    ),
    (
        "DS01_DS_ALGO_RESERVED",
        "The DS record with key tag {keytag} on parent servers {ns_list} uses digest algorithm {ds_algo_num} ({ds_algo_descr}), which is reserved and must not be used.",
    ),
    (
        "DS01_DS_ALGO_UNASSIGNED",
        "The DS record with key tag {keytag} on parent servers {ns_list} uses digest algorithm {ds_algo_num} ({ds_algo_descr}), which is unassigned and must not be used.",
    ),
    (
        "DS01_DS_ALGO_PRIVATE",
        "The DS record with key tag {keytag} on parent servers {ns_list} uses digest algorithm {ds_algo_num} ({ds_algo_descr}), which is for private use and should not be used in a public zone.",
    ),
    (
        "DS01_DS_ALGO_2_MISSING",
        "Parent servers {ns_list} have a DS record for key tag {keytag} but none with digest algorithm 2 (SHA-256); add one.",
    ),
    (
        "DS01_NO_RESPONSE",
        "No parent zone server gave a usable answer to the DS query: {ns_list}.",
    ),
    (
        "DS01_PARENT_ZONE_NO_DS",
        "The parent zone has no DS record for the zone (servers {ns_list}).",
    ),
    (
        "DS01_PARENT_SERVER_NO_DS",
        "These parent zone servers lack the DS record that other parent servers have: {ns_list}.",
    ),
    (
        "DS01_ROOT_N_NO_UNDEL_DS",
        "The root zone has no parent and no DS record was given, so there is no DS record to check.",
    ),
    (
        "DS01_UNDEL_N_NO_UNDEL_DS",
        "This is an undelegated test without DS records, so there is no DS record to check.",
    ),
    (
        "DS02_NO_DNSKEY_FOR_DS",
        "The DS record with key tag {keytag} matches no DNSKEY record on name servers {ns_ip_list}.",
    ),
    (
        "DS02_NO_MATCH_DS_DNSKEY",
        "The DNSKEY record with key tag {keytag} on name servers {ns_ip_list} does not match the digest of the DS record with that key tag.",
    ),
    (
        "DS02_DNSKEY_NOT_FOR_ZONE_SIGNING",
        "The DNSKEY record with key tag {keytag} that the DS record points at is not a zone key (ZONE flag unset) on name servers {ns_ip_list}.",
    ),
    (
        "DS02_DNSKEY_NOT_SEP",
        "The DNSKEY record with key tag {keytag} that the DS record points at lacks the SEP flag on name servers {ns_ip_list}.",
    ),
    (
        "DS02_ALGO_NOT_SUPPORTED_BY_ZM",
        "The RRSIG by key tag {keytag} on name servers {ns_ip_list} uses algorithm {algo_num} ({algo_mnemo}), which this tool cannot verify.",
    ),
    (
        "DS02_RRSIG_NOT_VALID_BY_DNSKEY",
        "The RRSIG over the DNSKEY set by key tag {keytag} does not verify on name servers {ns_ip_list}.",
    ),
    (
        "DS02_NO_MATCHING_DNSKEY_RRSIG",
        "No valid RRSIG over the DNSKEY set is made by key tag {keytag}, which the DS record points at, on name servers {ns_ip_list}.",
    ),
    (
        "DS02_NO_VALID_DNSKEY_FOR_ANY_DS",
        "None of the DS records matches a DNSKEY record on name servers {ns_ip_list}; the chain of trust is broken.",
    ),
    (
        "DS02_DNSKEY_NOT_SIGNED_BY_ANY_DS",
        "The DNSKEY set is not signed by any key that a DS record points at on name servers {ns_ip_list}; the chain of trust is broken.",
    ),
    (
        "DS03_NO_RESPONSE_NSEC_QUERY",
        "These name servers did not respond to the NSEC query: {ns_list}.",
    ),
    (
        "DS03_ERROR_RESPONSE_NSEC_QUERY",
        "These name servers answered the NSEC query with an error or without the AA flag: {ns_list}.",
    ),
    (
        "DS03_NO_DNSSEC_SUPPORT",
        "The zone is not signed (no DNSKEY on name servers {ns_list}), so there are no NSEC3 parameters to check.",
    ),
    (
        "DS03_SERVER_NO_DNSSEC_SUPPORT",
        "These name servers serve the zone without DNSKEY records while others serve it signed: {ns_list}.",
    ),
    (
        "DS03_NO_NSEC3",
        "The zone uses NSEC, not NSEC3 (name servers {ns_list}).",
    ),
    (
        "DS03_SERVER_NO_NSEC3",
        "These name servers return no NSEC3 records while others do: {ns_list}.",
    ),
    (
        "DS03_ERR_MULT_NSEC3",
        "These name servers returned more than one NSEC3 record where one was expected: {ns_list}.",
    ),
    (
        "DS03_INCONSISTENT_HASH_ALGO",
        "The name servers use different NSEC3 hash algorithms.",
    ),
    (
        "DS03_LEGAL_HASH_ALGO",
        "The NSEC3 hash algorithm on name servers {ns_list} is SHA-1, the only one defined.",
    ),
    (
        "DS03_ILLEGAL_HASH_ALGO",
        "Name servers {ns_list} use the undefined NSEC3 hash algorithm {algo_num}.",
    ),
    (
        "DS03_INCONSISTENT_NSEC3_FLAGS",
        "The name servers use different NSEC3 flags.",
    ),
    (
        "DS03_UNASSIGNED_FLAG_USED",
        "Name servers {ns_list} set the unassigned NSEC3 flag bit {int}.",
    ),
    (
        "DS03_NSEC3_OPT_OUT_ENABLED_TLD",
        "Name servers {ns_list} use NSEC3 opt-out, which is common for a top-level domain.",
    ),
    (
        "DS03_NSEC3_OPT_OUT_ENABLED_NON_TLD",
        "Name servers {ns_list} use NSEC3 opt-out, which is not recommended below the top level.",
    ),
    (
        "DS03_NSEC3_OPT_OUT_DISABLED",
        "Name servers {ns_list} do not use NSEC3 opt-out.",
    ),
    (
        "DS03_INCONSISTENT_ITERATION",
        "The name servers use different NSEC3 iteration counts.",
    ),
    (
        "DS03_LEGAL_ITERATION_VALUE",
        "The NSEC3 iteration count on name servers {ns_list} is 0, as recommended.",
    ),
    (
        "DS03_ILLEGAL_ITERATION_VALUE",
        "Name servers {ns_list} use {int} NSEC3 iterations; 0 is recommended (RFC 9276).",
    ),
    (
        "DS03_INCONSISTENT_SALT_LENGTH",
        "The name servers use NSEC3 salts of different lengths.",
    ),
    (
        "DS03_LEGAL_EMPTY_SALT",
        "The NSEC3 salt on name servers {ns_list} is empty, as recommended.",
    ),
    (
        "DS03_ILLEGAL_SALT_LENGTH",
        "Name servers {ns_list} use an NSEC3 salt of {int} octets; an empty salt is recommended (RFC 9276).",
    ),
    (
        "RRSIG_EXPIRATION",
        "The RRSIG by key tag {keytag} over the {types} set expires at {date}.",
    ),
    (
        "RRSIG_EXPIRED",
        "The RRSIG by key tag {keytag} over the {types} set has expired ({expiration}).",
    ),
    (
        "REMAINING_SHORT",
        "The RRSIG by key tag {keytag} over the {types} set expires in {duration} seconds, too soon to be safe; re-sign earlier.",
    ),
    (
        "REMAINING_LONG",
        "The RRSIG by key tag {keytag} over the {types} set is valid for {duration} more seconds, which is unusually long.",
    ),
    (
        "DURATION_LONG",
        "The RRSIG by key tag {keytag} over the {types} set has a validity period of {duration} seconds, which is unusually long.",
    ),
    (
        "DURATION_OK",
        "The RRSIG by key tag {keytag} over the {types} set has a validity period of {duration} seconds.",
    ),
    (
        "DS05_ALGO_OK",
        "The DNSKEY record with key tag {keytag} on name servers {ns_list} uses algorithm {algo_num} ({algo_mnemo}, {algo_descr}), which is fine for zone signing.",
    ),
    (
        "DS05_ALGO_DEPRECATED",
        "The DNSKEY record with key tag {keytag} on name servers {ns_list} uses algorithm {algo_num} ({algo_mnemo}, {algo_descr}), which is deprecated and should be replaced.",
    ),
    (
        "DS05_ALGO_NOT_RECOMMENDED",
        "The DNSKEY record with key tag {keytag} on name servers {ns_list} uses algorithm {algo_num} ({algo_mnemo}, {algo_descr}), which is not recommended for zone signing.",
    ),
    (
        "DS05_ALGO_NOT_ZONE_SIGN",
        "The DNSKEY record with key tag {keytag} on name servers {ns_list} uses algorithm {algo_num} ({algo_mnemo}, {algo_descr}), which must not be used for zone signing.",
    ),
    (
        "DS05_ALGO_RESERVED",
        "The DNSKEY record with key tag {keytag} on name servers {ns_list} uses algorithm {algo_num} ({algo_mnemo}, {algo_descr}), which is reserved and must not be used.",
    ),
    (
        "DS05_ALGO_UNASSIGNED",
        "The DNSKEY record with key tag {keytag} on name servers {ns_list} uses algorithm {algo_num} ({algo_mnemo}, {algo_descr}), which is unassigned and must not be used.",
    ),
    (
        "DS05_ALGO_PRIVATE",
        "The DNSKEY record with key tag {keytag} on name servers {ns_list} uses algorithm {algo_num} ({algo_mnemo}, {algo_descr}), which is for private use and should not be used in a public zone.",
    ),
    (
        "DS05_NO_RESPONSE",
        "No name server gave a usable answer to the DNSKEY query: {ns_list}.",
    ),
    (
        "DS05_ZONE_NO_DNSSEC",
        "The zone is not signed (no DNSKEY on name servers {ns_list}).",
    ),
    (
        "DS05_SERVER_NO_DNSSEC",
        "These name servers serve no DNSKEY records while others do: {ns_list}.",
    ),
    (
        "EXTRA_PROCESSING_OK",
        "Server {server} returned {keys} DNSKEY and {sigs} RRSIG records for the DNSKEY query.",
    ),
    (
        "EXTRA_PROCESSING_BROKEN",
        "Server {server} returned {keys} DNSKEY and {sigs} RRSIG records for the DNSKEY query; both DNSKEY and RRSIG records are needed.",
    ),
    (
        "DS08_MISSING_RRSIG_IN_RESPONSE",
        "The DNSKEY set is not signed (no RRSIG) on name servers {ns_ip_list}.",
    ),
    (
        "DS08_DNSKEY_RRSIG_NOT_YET_VALID",
        "The RRSIG by key tag {keytag} over the DNSKEY set is not valid yet on name servers {ns_ip_list}.",
    ),
    (
        "DS08_DNSKEY_RRSIG_EXPIRED",
        "The RRSIG by key tag {keytag} over the DNSKEY set has expired on name servers {ns_ip_list}.",
    ),
    (
        "DS08_ALGO_NOT_SUPPORTED_BY_ZM",
        "The RRSIG by key tag {keytag} over the DNSKEY set on name servers {ns_ip_list} uses algorithm {algo_num} ({algo_mnemo}), which this tool cannot verify.",
    ),
    (
        "DS08_NO_MATCHING_DNSKEY",
        "The RRSIG by key tag {keytag} over the DNSKEY set matches no DNSKEY record on name servers {ns_ip_list}.",
    ),
    (
        "DS08_RRSIG_NOT_VALID_BY_DNSKEY",
        "The RRSIG by key tag {keytag} over the DNSKEY set does not verify on name servers {ns_ip_list}.",
    ),
    (
        "DS09_MISSING_RRSIG_IN_RESPONSE",
        "The SOA record is not signed (no RRSIG) on name servers {ns_ip_list}.",
    ),
    (
        "DS09_SOA_RRSIG_NOT_YET_VALID",
        "The RRSIG by key tag {keytag} over the SOA record is not valid yet on name servers {ns_ip_list}.",
    ),
    (
        "DS09_SOA_RRSIG_EXPIRED",
        "The RRSIG by key tag {keytag} over the SOA record has expired on name servers {ns_ip_list}.",
    ),
    (
        "DS09_ALGO_NOT_SUPPORTED_BY_ZM",
        "The RRSIG by key tag {keytag} over the SOA record on name servers {ns_ip_list} uses algorithm {algo_num} ({algo_mnemo}), which this tool cannot verify.",
    ),
    (
        "DS09_NO_MATCHING_DNSKEY",
        "The RRSIG by key tag {keytag} over the SOA record matches no DNSKEY record on name servers {ns_ip_list}.",
    ),
    (
        "DS09_RRSIG_NOT_VALID_BY_DNSKEY",
        "The RRSIG by key tag {keytag} over the SOA record does not verify on name servers {ns_ip_list}.",
    ),
    (
        "DS10_NSEC_QUERY_RESPONSE_ERR",
        "These name servers gave no usable answer to the NSEC query for the zone apex: {ns_list}.",
    ),
    (
        "DS10_ERR_MULT_NSEC",
        "These name servers returned more than one NSEC record for the zone apex: {ns_list}.",
    ),
    (
        "DS10_NSEC_MISMATCHES_APEX",
        "These name servers returned an NSEC record owned by another name than the zone apex: {ns_list}.",
    ),
    (
        "DS10_NSEC_GIVES_ERR_ANSWER",
        "These name servers answered the NSEC query for the zone apex with other records than NSEC: {ns_list}.",
    ),
    (
        "DS10_NSEC3_NODATA_MISSING_SOA",
        "These name servers gave an NSEC3 NODATA answer without the SOA record: {ns_list}.",
    ),
    (
        "DS10_NSEC3_NODATA_WRONG_SOA",
        "These name servers gave an NSEC3 NODATA answer with an SOA record for {domain} instead of the zone: {ns_list}.",
    ),
    (
        "DS10_ERR_MULT_NSEC3",
        "These name servers returned more than one NSEC3 record for the zone apex: {ns_list}.",
    ),
    (
        "DS10_NSEC3_MISMATCHES_APEX",
        "These name servers returned an NSEC3 record that does not match the hash of the zone apex: {ns_list}.",
    ),
    (
        "DS10_NSEC3_ERR_TYPE_LIST",
        "The NSEC3 record for the zone apex on these name servers lists the wrong record types: {ns_list}.",
    ),
    (
        "DS10_NSEC3_MISSING_SIGNATURE",
        "The NSEC3 record for the zone apex is not signed on these name servers: {ns_list}.",
    ),
    (
        "DS10_NSEC3_RRSIG_NO_DNSKEY",
        "The RRSIG over the NSEC3 record is made by key tag {keytag}, which matches no DNSKEY record, on name servers {ns_list}.",
    ),
    (
        "DS10_NSEC3_RRSIG_EXPIRED",
        "The RRSIG by key tag {keytag} over the NSEC3 record has expired on name servers {ns_list}.",
    ),
    (
        "DS10_NSEC3_RRSIG_NOT_YET_VALID",
        "The RRSIG by key tag {keytag} over the NSEC3 record is not valid yet on name servers {ns_list}.",
    ),
    (
        "DS10_ALGO_NOT_SUPPORTED_BY_ZM",
        "The RRSIG by key tag {keytag} on name servers {ns_ip_list} uses algorithm {algo_num} ({algo_mnemo}), which this tool cannot verify.",
    ),
    (
        "DS10_NSEC3_RRSIG_VERIFY_ERROR",
        "The RRSIG by key tag {keytag} over the NSEC3 record does not verify on name servers {ns_list}.",
    ),
    (
        "DS10_NSEC3_NO_VERIFIED_SIGNATURE",
        "No RRSIG over the NSEC3 record could be verified on these name servers: {ns_list}.",
    ),
    (
        "DS10_NSEC3PARAM_QUERY_RESPONSE_ERR",
        "These name servers gave no usable answer to the NSEC3PARAM query for the zone apex: {ns_list}.",
    ),
    (
        "DS10_ERR_MULT_NSEC3PARAM",
        "These name servers returned more than one NSEC3PARAM record: {ns_list}.",
    ),
    (
        "DS10_NSEC3PARAM_MISMATCHES_APEX",
        "These name servers returned an NSEC3PARAM record owned by another name than the zone apex: {ns_list}.",
    ),
    (
        "DS10_NSEC3PARAM_GIVES_ERR_ANSWER",
        "These name servers answered the NSEC3PARAM query with other records than NSEC3PARAM: {ns_list}.",
    ),
    (
        "DS10_NSEC_NODATA_MISSING_SOA",
        "These name servers gave an NSEC NODATA answer without the SOA record: {ns_list}.",
    ),
    (
        "DS10_NSEC_NODATA_WRONG_SOA",
        "These name servers gave an NSEC NODATA answer with an SOA record for {domain} instead of the zone: {ns_list}.",
    ),
    (
        "DS10_NSEC_ERR_TYPE_LIST",
        "The NSEC record for the zone apex on these name servers lists the wrong record types: {ns_list}.",
    ),
    (
        "DS10_NSEC_MISSING_SIGNATURE",
        "The NSEC record for the zone apex is not signed on these name servers: {ns_list}.",
    ),
    (
        "DS10_NSEC_RRSIG_NO_DNSKEY",
        "The RRSIG over the NSEC record is made by key tag {keytag}, which matches no DNSKEY record, on name servers {ns_list}.",
    ),
    (
        "DS10_NSEC_RRSIG_EXPIRED",
        "The RRSIG by key tag {keytag} over the NSEC record has expired on name servers {ns_list}.",
    ),
    (
        "DS10_NSEC_RRSIG_NOT_YET_VALID",
        "The RRSIG by key tag {keytag} over the NSEC record is not valid yet on name servers {ns_list}.",
    ),
    (
        "DS10_NSEC_RRSIG_VERIFY_ERROR",
        "The RRSIG by key tag {keytag} over the NSEC record does not verify on name servers {ns_list}.",
    ),
    (
        "DS10_NSEC_NO_VERIFIED_SIGNATURE",
        "No RRSIG over the NSEC record could be verified on these name servers: {ns_list}.",
    ),
    (
        "DS10_HAS_NSEC",
        "The zone uses NSEC (name servers {ns_list}).",
    ),
    (
        "DS10_HAS_NSEC3",
        "The zone uses NSEC3 (name servers {ns_list}).",
    ),
    (
        "DS10_MIXED_NSEC_NSEC3",
        "These name servers return both NSEC and NSEC3 records; a zone must use one or the other: {ns_list}.",
    ),
    (
        "DS10_INCONSISTENT_NSEC_NSEC3",
        "Some name servers use NSEC ({ns_list_nsec}) and others NSEC3 ({ns_list_nsec3}).",
    ),
    (
        "DS10_INCONSISTENT_NSEC",
        "These name servers show NSEC records to one query but not to the other: {ns_list}.",
    ),
    (
        "DS10_INCONSISTENT_NSEC3",
        "These name servers show NSEC3 records to one query but not to the other: {ns_list}.",
    ),
    (
        "DS10_EXPECTED_NSEC_NSEC3_MISSING",
        "These name servers serve a signed zone without NSEC or NSEC3 records: {ns_list}.",
    ),
    (
        "DS10_ZONE_NO_DNSSEC",
        "The zone is not signed (name servers {ns_list}), so there are no NSEC or NSEC3 records to check.",
    ),
    (
        "DS10_SERVER_NO_DNSSEC",
        "These name servers serve the zone unsigned while others serve it signed: {ns_list}.",
    ),
    (
        "DS13_ALGO_NOT_SIGNED_DNSKEY",
        "The DNSKEY set on name servers {ns_ip_list} is not signed with algorithm {algo_num} ({algo_mnemo}), which the DNSKEY set uses; every algorithm in the DNSKEY set must sign the zone.",
    ),
    (
        "DS13_ALGO_NOT_SIGNED_SOA",
        "The SOA set on name servers {ns_ip_list} is not signed with algorithm {algo_num} ({algo_mnemo}), which the DNSKEY set uses; every algorithm in the DNSKEY set must sign the zone.",
    ),
    (
        "DS13_ALGO_NOT_SIGNED_NS",
        "The NS set on name servers {ns_ip_list} is not signed with algorithm {algo_num} ({algo_mnemo}), which the DNSKEY set uses; every algorithm in the DNSKEY set must sign the zone.",
    ),
    (
        "NO_RESPONSE",
        "Name server {ns} did not respond to the DNSKEY query.",
    ),
    (
        "NO_RESPONSE_DNSKEY",
        "Name server {ns} returned no DNSKEY records.",
    ),
    (
        "DNSKEY_TOO_SMALL_FOR_ALGO",
        "The DNSKEY with key tag {keytag} (algorithm {algo_num}, {algo_descr}) is {keysize} bits, smaller than the minimum of {keysizemin} bits.",
    ),
    (
        "DNSKEY_SMALLER_THAN_REC",
        "The DNSKEY with key tag {keytag} (algorithm {algo_num}, {algo_descr}) is {keysize} bits, smaller than the recommended {keysizerec} bits.",
    ),
    (
        "DNSKEY_TOO_LARGE_FOR_ALGO",
        "The DNSKEY with key tag {keytag} (algorithm {algo_num}, {algo_descr}) is {keysize} bits, larger than the maximum of {keysizemax} bits.",
    ),
    (
        "KEY_SIZE_OK",
        "Every RSA DNSKEY has an acceptable key size.",
    ),
    (
        "DS15_NO_CDS_CDNSKEY",
        "The zone publishes no CDS or CDNSKEY records.",
    ),
    (
        "DS15_HAS_CDS_NO_CDNSKEY",
        "These name servers publish CDS but no CDNSKEY records: {ns_ip_list}.",
    ),
    (
        "DS15_HAS_CDNSKEY_NO_CDS",
        "These name servers publish CDNSKEY but no CDS records: {ns_ip_list}.",
    ),
    (
        "DS15_HAS_CDS_AND_CDNSKEY",
        "These name servers publish both CDS and CDNSKEY records: {ns_ip_list}.",
    ),
    (
        "DS15_INCONSISTENT_CDS",
        "The name servers publish different CDS records.",
    ),
    (
        "DS15_INCONSISTENT_CDNSKEY",
        "The name servers publish different CDNSKEY records.",
    ),
    (
        "DS15_MISMATCH_CDS_CDNSKEY",
        "On these name servers the CDS and CDNSKEY records do not point at the same keys: {ns_ip_list}.",
    ),
    (
        "DS16_MIXED_DELETE_CDS",
        "These name servers publish a delete CDS record (algorithm 0) together with other CDS records: {ns_ip_list}.",
    ),
    (
        "DS16_DELETE_CDS",
        "These name servers publish a delete CDS record, asking the parent to remove the DS records: {ns_ip_list}.",
    ),
    (
        "DS16_CDS_WITHOUT_DNSKEY",
        "These name servers publish CDS records but no DNSKEY records: {ns_ip_list}.",
    ),
    (
        "DS16_CDS_MATCHES_NO_DNSKEY",
        "The CDS record with key tag {keytag} matches no DNSKEY record on name servers {ns_ip_list}.",
    ),
    (
        "DS16_CDS_MATCHES_NON_ZONE_DNSKEY",
        "The CDS record with key tag {keytag} points at a DNSKEY that is not a zone key on name servers {ns_ip_list}.",
    ),
    (
        "DS16_DNSKEY_NOT_SIGNED_BY_CDS",
        "The DNSKEY set is not signed by key tag {keytag}, which a CDS record points at, on name servers {ns_ip_list}.",
    ),
    (
        "DS16_CDS_NOT_SIGNED_BY_CDS",
        "The CDS set is not signed by key tag {keytag}, which a CDS record points at, on name servers {ns_ip_list}.",
    ),
    (
        "DS16_CDS_MATCHES_NON_SEP_DNSKEY",
        "The CDS record with key tag {keytag} points at a DNSKEY without the SEP flag on name servers {ns_ip_list}.",
    ),
    (
        "DS16_CDS_UNSIGNED",
        "The CDS records are not signed on these name servers: {ns_ip_list}.",
    ),
    (
        "DS16_CDS_SIGNED_BY_UNKNOWN_DNSKEY",
        "The CDS set has an RRSIG by key tag {keytag}, which matches no DNSKEY record, on name servers {ns_ip_list}.",
    ),
    (
        "DS16_CDS_INVALID_RRSIG",
        "The RRSIG by key tag {keytag} over the CDS set does not verify on name servers {ns_ip_list}.",
    ),
    (
        "DS17_MIXED_DELETE_CDNSKEY",
        "These name servers publish a delete CDNSKEY record (algorithm 0) together with other CDNSKEY records: {ns_ip_list}.",
    ),
    (
        "DS17_DELETE_CDNSKEY",
        "These name servers publish a delete CDNSKEY record, asking the parent to remove the DS records: {ns_ip_list}.",
    ),
    (
        "DS17_CDNSKEY_WITHOUT_DNSKEY",
        "These name servers publish CDNSKEY records but no DNSKEY records: {ns_ip_list}.",
    ),
    (
        "DS17_CDNSKEY_IS_NON_ZONE",
        "The CDNSKEY record with key tag {keytag} is not a zone key on name servers {ns_ip_list}.",
    ),
    (
        "DS17_CDNSKEY_IS_NON_SEP",
        "The CDNSKEY record with key tag {keytag} lacks the SEP flag on name servers {ns_ip_list}.",
    ),
    (
        "DS17_CDNSKEY_MATCHES_NO_DNSKEY",
        "The CDNSKEY record with key tag {keytag} matches no DNSKEY record on name servers {ns_ip_list}.",
    ),
    (
        "DS17_DNSKEY_NOT_SIGNED_BY_CDNSKEY",
        "The DNSKEY set is not signed by key tag {keytag}, which a CDNSKEY record names, on name servers {ns_ip_list}.",
    ),
    (
        "DS17_CDNSKEY_NOT_SIGNED_BY_CDNSKEY",
        "The CDNSKEY set is not signed by key tag {keytag}, which a CDNSKEY record names, on name servers {ns_ip_list}.",
    ),
    (
        "DS17_CDNSKEY_UNSIGNED",
        "The CDNSKEY records are not signed on these name servers: {ns_ip_list}.",
    ),
    (
        "DS17_CDNSKEY_SIGNED_BY_UNKNOWN_DNSKEY",
        "The CDNSKEY set has an RRSIG by key tag {keytag}, which matches no DNSKEY record, on name servers {ns_ip_list}.",
    ),
    (
        "DS17_CDNSKEY_INVALID_RRSIG",
        "The RRSIG by key tag {keytag} over the CDNSKEY set does not verify on name servers {ns_ip_list}.",
    ),
    (
        "DS18_NO_MATCH_CDS_RRSIG_DS",
        "On these name servers the CDS set is not signed by any key that the current DS records point at, so it cannot be trusted: {ns_ip_list}.",
    ),
    (
        "DS18_NO_MATCH_CDNSKEY_RRSIG_DS",
        "On these name servers the CDNSKEY set is not signed by any key that the current DS records point at, so it cannot be trusted: {ns_ip_list}.",
    ),
    ("HAS_NSEC3_OPTOUT", "The zone uses NSEC3 opt-out."),
    (
        "INVALID_NAME_RCODE",
        "A query for an invalid name got an unexpected RCODE.",
    ),
];
