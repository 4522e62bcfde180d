//! English test-case descriptions, one short line each, keyed by the
//! upper-case test-case id (spec §10.3). Our own wording.

use super::Texts;

/// Upper-case id → description, in run order.
pub(super) static DESCRIPTIONS: Texts = &[
    ("BASIC01", "The parent zone and the zone itself exist"),
    ("BASIC02", "The zone has at least one working name server"),
    ("BASIC03", "The name servers answer a query for www"),
    ("ADDRESS01", "Name server addresses are globally routable"),
    (
        "ADDRESS02",
        "Name server addresses have reverse DNS entries",
    ),
    (
        "ADDRESS03",
        "Reverse DNS of name server addresses matches their names",
    ),
    ("CONNECTIVITY01", "Name servers answer over UDP"),
    ("CONNECTIVITY02", "Name servers answer over TCP"),
    (
        "CONNECTIVITY03",
        "Name servers are spread over several autonomous systems",
    ),
    (
        "CONNECTIVITY04",
        "Name servers are spread over several IP prefixes",
    ),
    (
        "CONSISTENCY01",
        "All name servers serve the same SOA serial number",
    ),
    ("CONSISTENCY02", "All name servers serve the same SOA RNAME"),
    (
        "CONSISTENCY03",
        "All name servers serve the same SOA timers",
    ),
    ("CONSISTENCY04", "All name servers serve the same NS set"),
    (
        "CONSISTENCY05",
        "Glue in the parent agrees with the zone's own address records",
    ),
    ("CONSISTENCY06", "All name servers serve the same SOA MNAME"),
    ("DELEGATION01", "The delegation has enough name servers"),
    ("DELEGATION02", "Name servers have distinct IP addresses"),
    (
        "DELEGATION03",
        "Referrals fit in a response without truncation",
    ),
    (
        "DELEGATION04",
        "Every name server is authoritative for the zone",
    ),
    ("DELEGATION05", "No name server name is a CNAME alias"),
    ("DELEGATION06", "Every name server serves an SOA record"),
    (
        "DELEGATION07",
        "Glue names in the parent exist as name servers in the child",
    ),
    (
        "DNSSEC07",
        "A DS record in the parent comes with a DNSKEY in the zone",
    ),
    (
        "DNSSEC11",
        "A zone with a DS record in the parent is signed",
    ),
    ("DNSSEC01", "DS records use a permitted digest algorithm"),
    ("DNSSEC02", "DS records match a DNSKEY of the zone"),
    ("DNSSEC03", "NSEC3 parameters are sensible"),
    (
        "DNSSEC04",
        "RRSIG validity periods are neither too short nor too long",
    ),
    ("DNSSEC05", "DNSKEY records use permitted algorithms"),
    (
        "DNSSEC06",
        "Name servers return DNSSEC records in additional processing",
    ),
    ("DNSSEC08", "The DNSKEY set has a valid signature"),
    (
        "DNSSEC09",
        "The SOA record has a valid signature made by a zone key",
    ),
    ("DNSSEC10", "The zone has NSEC or NSEC3 records"),
    ("DNSSEC13", "Every DNSKEY algorithm signs the zone"),
    ("DNSSEC14", "RSA DNSKEY records have acceptable key sizes"),
    (
        "DNSSEC15",
        "CDS and CDNSKEY records are present and consistent",
    ),
    ("DNSSEC16", "CDS records are valid"),
    ("DNSSEC17", "CDNSKEY records are valid"),
    (
        "DNSSEC18",
        "The DS set establishes trust in the CDS and CDNSKEY records",
    ),
    (
        "NAMESERVER01",
        "Name servers are not open recursive resolvers",
    ),
    ("NAMESERVER02", "Name servers support EDNS0"),
    (
        "NAMESERVER03",
        "Name servers refuse zone transfers (AXFR) to anyone",
    ),
    (
        "NAMESERVER04",
        "Responses come from the address the query was sent to",
    ),
    ("NAMESERVER05", "Name servers answer AAAA queries correctly"),
    ("NAMESERVER06", "Name server names resolve to addresses"),
    ("NAMESERVER07", "Name servers give no upward referrals"),
    (
        "NAMESERVER08",
        "Name servers ignore the case of the query name",
    ),
    (
        "NAMESERVER09",
        "Name servers agree when the query name changes case",
    ),
    (
        "NAMESERVER10",
        "Name servers handle an unknown EDNS version",
    ),
    ("NAMESERVER11", "Name servers ignore unknown EDNS options"),
    ("NAMESERVER12", "Name servers ignore unknown EDNS flags"),
    (
        "NAMESERVER13",
        "Truncated EDNS responses still carry an OPT record",
    ),
    (
        "NAMESERVER15",
        "Name servers do not reveal their software version",
    ),
    ("SYNTAX01", "The domain name has only permitted characters"),
    (
        "SYNTAX02",
        "No label of the domain name starts or ends with a hyphen",
    ),
    (
        "SYNTAX03",
        "No label has a double hyphen in positions 3 and 4 unless it is an A-label",
    ),
    ("SYNTAX04", "Name server names are valid host names"),
    ("SYNTAX05", "The SOA RNAME does not misuse the @ character"),
    ("SYNTAX06", "The SOA RNAME is a usable mail address"),
    ("SYNTAX07", "The SOA MNAME is a valid host name"),
    ("SYNTAX08", "MX targets are valid host names"),
    (
        "ZONE01",
        "The SOA MNAME is a fully qualified authoritative name server",
    ),
    ("ZONE02", "The SOA refresh value is large enough"),
    (
        "ZONE03",
        "The SOA retry value is lower than the refresh value",
    ),
    ("ZONE04", "The SOA retry value is at least an hour"),
    ("ZONE05", "The SOA expire value is large enough"),
    ("ZONE06", "The SOA minimum value is not too large"),
    ("ZONE07", "The SOA MNAME is not a CNAME alias"),
    ("ZONE08", "MX targets are not CNAME aliases"),
    ("ZONE09", "The zone has a usable MX record or a null MX"),
    ("ZONE10", "The zone has exactly one SOA record"),
    ("ZONE11", "The zone's SPF policy is well formed"),
];
