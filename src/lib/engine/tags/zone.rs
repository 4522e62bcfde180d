//! Tags of module Zone (engine spec §3.9): ZONE01–11.

use super::Tag;
use crate::engine::module::Module;

declare_tags! { Module::Zone;
    // Every test case.
    TEST_CASE_START("testcase");
    TEST_CASE_END("testcase");
    IPV4_DISABLED("ns", "rrtype");
    IPV6_DISABLED("ns", "rrtype");
    // ZONE02–07: no authoritative SOA to look at.
    NO_RESPONSE_SOA_QUERY();
    // ZONE01: the SOA MNAME is a fully qualified primary server.
    Z01_MNAME_IS_LOCALHOST("ns_ip_list");
    Z01_MNAME_IS_DOT("ns_ip_list");
    Z01_MNAME_NOT_IN_NS_LIST("nsname");
    Z01_MNAME_NOT_RESOLVE("nsname");
    Z01_MNAME_HAS_LOCALHOST_ADDR("nsname", "ns_ip");
    Z01_MNAME_NO_RESPONSE("ns");
    Z01_MNAME_UNEXPECTED_RCODE("ns", "rcode");
    Z01_MNAME_MISSING_SOA_RECORD("ns");
    Z01_MNAME_NOT_AUTHORITATIVE("ns");
    Z01_MNAME_NOT_MASTER("ns_list", "soaserial", "soaserial_list");
    Z01_MNAME_IS_MASTER("ns_list");
    // ZONE02: SOA refresh.
    REFRESH_MINIMUM_VALUE_LOWER("refresh", "required_refresh");
    REFRESH_MINIMUM_VALUE_OK("refresh", "required_refresh");
    // ZONE03: SOA retry below refresh.
    REFRESH_LOWER_THAN_RETRY("retry", "refresh");
    REFRESH_HIGHER_THAN_RETRY("retry", "refresh");
    // ZONE04: SOA retry.
    RETRY_MINIMUM_VALUE_LOWER("retry", "required_retry");
    RETRY_MINIMUM_VALUE_OK("retry", "required_retry");
    // ZONE05: SOA expire.
    EXPIRE_MINIMUM_VALUE_LOWER("expire", "required_expire");
    EXPIRE_LOWER_THAN_REFRESH("expire", "refresh");
    EXPIRE_MINIMUM_VALUE_OK("expire", "refresh", "required_expire");
    // ZONE06: SOA minimum.
    SOA_DEFAULT_TTL_MAXIMUM_VALUE_HIGHER("minimum", "highest_minimum");
    SOA_DEFAULT_TTL_MAXIMUM_VALUE_LOWER("minimum", "lowest_minimum");
    SOA_DEFAULT_TTL_MAXIMUM_VALUE_OK("minimum", "highest_minimum", "lowest_minimum");
    // ZONE07: the SOA MNAME is not an alias.
    MNAME_IS_CNAME("mname");
    MNAME_IS_NOT_CNAME("mname");
    MNAME_HAS_NO_ADDRESS("mname");
    // ZONE08: MX is not an alias.
    NO_RESPONSE_MX_QUERY();
    MX_RECORD_IS_CNAME();
    MX_RECORD_IS_NOT_CNAME();
    // ZONE09: MX present.
    Z09_NO_RESPONSE_MX_QUERY("ns_ip_list");
    Z09_UNEXPECTED_RCODE_MX("rcode", "ns_ip_list");
    Z09_NON_AUTH_MX_RESPONSE("ns_ip_list");
    Z09_INCONSISTENT_MX();
    Z09_NO_MX_FOUND("ns_ip_list");
    Z09_MX_FOUND("ns_ip_list");
    Z09_INCONSISTENT_MX_DATA();
    Z09_MX_DATA("mailtarget_list", "ns_ip_list");
    Z09_NULL_MX_WITH_OTHER_MX();
    Z09_NULL_MX_NON_ZERO_PREF();
    Z09_ROOT_EMAIL_DOMAIN();
    Z09_TLD_EMAIL_DOMAIN();
    Z09_MISSING_MAIL_TARGET();
    // ZONE10: one SOA.
    NO_RESPONSE("ns");
    MULTIPLE_SOA("ns", "count");
    WRONG_SOA("ns", "owner", "name");
    NO_SOA_IN_RESPONSE("ns");
    ONE_SOA();
    // ZONE11: SPF policy.
    Z11_UNABLE_TO_CHECK_FOR_SPF();
    Z11_NO_SPF_NON_MAIL_DOMAIN();
    Z11_NO_SPF_FOUND("domain");
    Z11_INCONSISTENT_SPF_POLICIES();
    Z11_DIFFERENT_SPF_POLICIES_FOUND("ns_list");
    Z11_SPF_MULTIPLE_RECORDS("ns_list");
    Z11_SPF_SYNTAX_ERROR("domain", "ns_list");
    Z11_NULL_SPF_NON_MAIL_DOMAIN("domain");
    Z11_NON_NULL_SPF_NON_MAIL_DOMAIN("domain");
    Z11_SPF_SYNTAX_OK("domain");
}
