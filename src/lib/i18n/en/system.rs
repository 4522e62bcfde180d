//! English texts of the framework (module System).

use crate::i18n::catalog::ModuleTexts;

pub(super) static TEXTS: ModuleTexts = &[
    (
        "MODULE_ERROR",
        "Module {module} failed unexpectedly ({msg}); testing went on with the next module.",
    ),
    (
        "CANNOT_CONTINUE",
        "Testing of {domain} cannot continue: it has no working name server.",
    ),
    (
        "NO_NETWORK",
        "Both IPv4 and IPv6 are disabled, so nothing can be tested.",
    ),
    (
        "UNKNOWN_MODULE",
        "Module {module} (asked for with test case {testcase}) is unknown; the modules are {module_list}.",
    ),
    (
        "UNKNOWN_METHOD",
        "Test case {testcase} of module {module} is unknown or disabled in the profile.",
    ),
    (
        "FAKE_DELEGATION_NO_IP",
        "No IP address was given or found for name server {nsname} of {domain}.",
    ),
    (
        "FAKE_DELEGATION_IN_ZONE_NO_IP",
        "Name server {nsname} lies inside {domain}, so its IP address must be given, but none was.",
    ),
    (
        "CNAME_RECORDS_TOO_MANY",
        "The answer for {name} holds {count} CNAME records, more than the {max} allowed.",
    ),
    (
        "CNAME_RECORDS_MULTIPLE_FOR_NAME",
        "{name} has more than one CNAME record.",
    ),
    (
        "CNAME_LOOP_INNER",
        "The CNAME records in the answer for {name} form a loop at {target}.",
    ),
    (
        "CNAME_RECORDS_CHAIN_BROKEN",
        "The CNAME records in the answer for {name} do not form one unbroken chain ({cname_counter} of {cname_rrs} used).",
    ),
    (
        "CNAME_NO_MATCH",
        "The answer for {name} has {type} records, but not for {target}, where its CNAME chain ends (they belong to {owner_names}).",
    ),
    (
        "CNAME_LOOP_OUTER",
        "The CNAME from {name} to {target} leads back to a name already being resolved ({targets_seen}).",
    ),
    (
        "CNAME_CHAIN_TOO_LONG",
        "Following CNAME records took {count} lookups, more than the {max} allowed.",
    ),
    ("GLOBAL_VERSION", "zonemaster-rs version {version}."),
    (
        "START_TIME",
        "The run started at {string} (Unix time {time_t}).",
    ),
    ("TEST_TARGET", "Testing zone {zone}, module {module}."),
    ("DEPENDENCY_VERSION", "Using {name} version {version}."),
    ("MODULE_VERSION", "Module {module} version {version}."),
    ("MODULE_END", "Module {module} finished."),
    (
        "LOOKUP_ERROR",
        "The {type} {class} query for {domain} to {ns} failed: {message}.",
    ),
    (
        "BLACKLISTING",
        "Name server {ns} did not answer an SOA query over {proto}; it will not be asked over {proto} again in this run.",
    ),
    (
        "IS_BLACKLISTED",
        "The {type} {class} query for {name} was not sent to {ns} over {proto}: the server did not answer before ({message}).",
    ),
    (
        "SKIP_IPV4_DISABLED",
        "IPv4 is disabled, so the {rrtype} query was not sent to {ns}.",
    ),
    (
        "SKIP_IPV6_DISABLED",
        "IPv6 is disabled, so the {rrtype} query was not sent to {ns}.",
    ),
    (
        "PACKET_BIG",
        "A response of {size} octets is larger than 4096 octets ({command}).",
    ),
    (
        "CNAME_START",
        "Following CNAME records in the answer for {name} {type} {dns_class}.",
    ),
    (
        "CNAME_RECORDS_DUPLICATES",
        "Duplicate CNAME records were ignored: {records}.",
    ),
    (
        "CNAME_FOLLOWED_IN_ZONE",
        "The CNAME chain from {name} ends at {target}, whose {type} records are in the same answer.",
    ),
    (
        "CNAME_FOLLOWED_OUT_OF_ZONE",
        "The CNAME from {name} leads to {target} in another zone, which is resolved from the root.",
    ),
    ("ASN_LOOKUP_SOURCE", "Looking up AS numbers at {name}."),
    (
        "LOGGER_CALLBACK_ERROR",
        "The message callback failed: {exception}.",
    ),
    ("EXTERNAL_QUERY", "Sent {name} {type} ({flags}) to {ip}."),
    ("CACHE_MISS", "Not in the cache: {key}."),
    (
        "MEMORY_CACHE_HIT",
        "Answered from the in-memory cache ({hash}).",
    ),
    ("REDIS_CACHE_HIT", "Answered from the Redis cache ({key})."),
    ("QUERY", "Query {name} {type} ({flags}) to {ip}."),
    (
        "IPV4_BLOCKED",
        "IPv4 is disabled; no query was sent to {ns}.",
    ),
    (
        "IPV6_BLOCKED",
        "IPv6 is disabled; no query was sent to {ns}.",
    ),
    ("NS_CREATED", "Name server {name}/{ip} set up."),
    ("CACHE_CREATED", "Query cache created for {ip}."),
    ("CACHE_FETCHED", "Query cache reused for {ip}."),
    ("SAVED_NS_CACHE", "Query cache saved to {file}."),
    ("RESTORED_NS_CACHE", "Query cache restored from {file}."),
    ("RECURSE", "Resolving {name} {type} {class} from the root."),
    (
        "RECURSE_QUERY",
        "Resolution of {name} {type} {class}: asking {ns} ({address}), from {source}.",
    ),
    ("IS_REDIRECT", "{name} {type} is redirected to {to}."),
    ("NO_SUCH_NAME", "{name} does not exist (asked for {type})."),
    ("NO_SUCH_RECORD", "{name} has no {type} records."),
    (
        "LOOP_PROTECTION",
        "Loop protection stopped {caller} while resolving {name} for zone {child_zone_name}.",
    ),
    (
        "FAKE_DELEGATION_ADDED",
        "Parent server {ns} now serves the given delegation of {domain}: {data}.",
    ),
    (
        "FAKE_DELEGATION_TO_SELF",
        "Parent server {ns} is itself a given name server of {domain}, so the delegation ({data}) was not added to it.",
    ),
    (
        "FAKE_DS_ADDED",
        "Parent server {ns} now serves the given DS records of {domain}: {data}.",
    ),
    (
        "FAKE_DELEGATION_RETURNED",
        "{name} {type} {class} was answered for {from} from the given delegation.",
    ),
    (
        "FAKE_DS_RETURNED",
        "{name} {type} {class} was answered for {from} from the given DS records.",
    ),
    (
        "FAKE_PACKET_RETURNED",
        "Answer made from given data: {packet}.",
    ),
    ("CACHED_RETURN", "Answer from the cache: {packet}."),
    ("EXTERNAL_RESPONSE", "Response: {packet}."),
    ("EMPTY_RETURN", "No response."),
];
