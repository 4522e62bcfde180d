//! The test-case table: every Zonemaster test case with its module, its
//! title and, once implemented, the function that runs it.
//!
//! This slice is the one list of test cases (spec §2.1, §3): its order is
//! the run order (modules in their fixed order, DNSSEC07 and DNSSEC11
//! before the other DNSSEC cases); the ids a profile may name, `--test`,
//! `--list-tests` and the API's test-case descriptions all come from it.
//! DNSSEC12 and NAMESERVER14 do not exist (spec §4).
//!
//! A test case is a plain `async fn(&Context, &mut Report)`; the
//! [`test_case!`] line that registers it does the boxing, so no file
//! carries a shim.

use futures::future::BoxFuture;

use super::context::Context;
use super::message::Report;
use super::module::Module;
use super::tests::{
    address, basic, connectivity, consistency, delegation, dnssec, nameserver, syntax, zone,
};

/// A test case body as the table holds it: reads the context, writes its
/// messages.
pub type RunFn = for<'a> fn(&'a Context, &'a mut Report) -> BoxFuture<'a, ()>;

/// One test case of the table.
pub struct TestCase {
    /// Lower-case id, e.g. `basic02`.
    pub id: &'static str,
    /// The id as messages spell it, e.g. `Basic02`, `DNSSEC07`.
    pub spelled: &'static str,
    /// Its module.
    pub module: Module,
    /// One line in English: `--list-tests` and the API's description.
    pub title: &'static str,
    /// The body; `None` until it is implemented.
    pub run: Option<RunFn>,
}

impl TestCase {
    /// True when the engine can run it.
    pub fn is_implemented(&self) -> bool {
        self.run.is_some()
    }
}

impl PartialEq for TestCase {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl std::fmt::Debug for TestCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCase")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// One row of [`TEST_CASES`]; with a function path, the test case is
/// implemented by that `async fn`.
macro_rules! test_case {
    ($module:ident, $id:literal, $spelled:literal, $title:literal) => {
        TestCase {
            id: $id,
            spelled: $spelled,
            module: Module::$module,
            title: $title,
            run: None,
        }
    };
    ($module:ident, $id:literal, $spelled:literal, $title:literal, $run:path) => {
        TestCase {
            id: $id,
            spelled: $spelled,
            module: Module::$module,
            title: $title,
            run: Some(|ctx, report| Box::pin($run(ctx, report))),
        }
    };
}

/// Every test case, in run order.
pub static TEST_CASES: &[TestCase] = &[
    test_case!(
        Basic,
        "basic01",
        "Basic01",
        "The parent zone and the zone itself exist",
        basic::basic01::basic01
    ),
    test_case!(
        Basic,
        "basic02",
        "Basic02",
        "The zone has at least one working name server",
        basic::basic02::basic02
    ),
    test_case!(
        Basic,
        "basic03",
        "Basic03",
        "The name servers answer a query for www",
        basic::basic03::basic03
    ),
    test_case!(
        Address,
        "address01",
        "Address01",
        "Name server addresses are globally routable",
        address::address01::address01
    ),
    test_case!(
        Address,
        "address02",
        "Address02",
        "Name server addresses have reverse DNS entries",
        address::address02::address02
    ),
    test_case!(
        Address,
        "address03",
        "Address03",
        "Reverse DNS of name server addresses matches their names",
        address::address03::address03
    ),
    test_case!(
        Connectivity,
        "connectivity01",
        "Connectivity01",
        "Name servers answer over UDP",
        connectivity::connectivity01::connectivity01
    ),
    test_case!(
        Connectivity,
        "connectivity02",
        "Connectivity02",
        "Name servers answer over TCP",
        connectivity::connectivity02::connectivity02
    ),
    test_case!(
        Connectivity,
        "connectivity03",
        "Connectivity03",
        "Name servers are spread over several autonomous systems",
        connectivity::connectivity03::connectivity03
    ),
    test_case!(
        Connectivity,
        "connectivity04",
        "Connectivity04",
        "Name servers are spread over several IP prefixes",
        connectivity::connectivity04::connectivity04
    ),
    test_case!(
        Consistency,
        "consistency01",
        "Consistency01",
        "All name servers serve the same SOA serial number",
        consistency::consistency01::consistency01
    ),
    test_case!(
        Consistency,
        "consistency02",
        "Consistency02",
        "All name servers serve the same SOA RNAME",
        consistency::consistency02::consistency02
    ),
    test_case!(
        Consistency,
        "consistency03",
        "Consistency03",
        "All name servers serve the same SOA timers",
        consistency::consistency03::consistency03
    ),
    test_case!(
        Consistency,
        "consistency04",
        "Consistency04",
        "All name servers serve the same NS set",
        consistency::consistency04::consistency04
    ),
    test_case!(
        Consistency,
        "consistency05",
        "Consistency05",
        "Glue in the parent agrees with the zone's own address records",
        consistency::consistency05::consistency05
    ),
    test_case!(
        Consistency,
        "consistency06",
        "Consistency06",
        "All name servers serve the same SOA MNAME",
        consistency::consistency06::consistency06
    ),
    test_case!(
        Delegation,
        "delegation01",
        "Delegation01",
        "The delegation has enough name servers",
        delegation::delegation01::delegation01
    ),
    test_case!(
        Delegation,
        "delegation02",
        "Delegation02",
        "Name servers have distinct IP addresses",
        delegation::delegation02::delegation02
    ),
    test_case!(
        Delegation,
        "delegation03",
        "Delegation03",
        "Referrals fit in a response without truncation",
        delegation::delegation03::delegation03
    ),
    test_case!(
        Delegation,
        "delegation04",
        "Delegation04",
        "Every name server is authoritative for the zone",
        delegation::delegation04::delegation04
    ),
    test_case!(
        Delegation,
        "delegation05",
        "Delegation05",
        "No name server name is a CNAME alias",
        delegation::delegation05::delegation05
    ),
    test_case!(
        Delegation,
        "delegation06",
        "Delegation06",
        "Every name server serves an SOA record",
        delegation::delegation06::delegation06
    ),
    test_case!(
        Delegation,
        "delegation07",
        "Delegation07",
        "Glue names in the parent exist as name servers in the child",
        delegation::delegation07::delegation07
    ),
    test_case!(
        Dnssec,
        "dnssec07",
        "DNSSEC07",
        "A DS record in the parent comes with a DNSKEY in the zone",
        dnssec::dnssec07::dnssec07
    ),
    test_case!(
        Dnssec,
        "dnssec11",
        "DNSSEC11",
        "A zone with a DS record in the parent is signed",
        dnssec::dnssec11::dnssec11
    ),
    test_case!(
        Dnssec,
        "dnssec01",
        "DNSSEC01",
        "DS records use a permitted digest algorithm",
        dnssec::dnssec01::dnssec01
    ),
    test_case!(
        Dnssec,
        "dnssec02",
        "DNSSEC02",
        "DS records match a DNSKEY of the zone",
        dnssec::dnssec02::dnssec02
    ),
    test_case!(
        Dnssec,
        "dnssec03",
        "DNSSEC03",
        "NSEC3 parameters are sensible",
        dnssec::dnssec03::dnssec03
    ),
    test_case!(
        Dnssec,
        "dnssec04",
        "DNSSEC04",
        "RRSIG validity periods are neither too short nor too long",
        dnssec::dnssec04::dnssec04
    ),
    test_case!(
        Dnssec,
        "dnssec05",
        "DNSSEC05",
        "DNSKEY records use permitted algorithms",
        dnssec::dnssec05::dnssec05
    ),
    test_case!(
        Dnssec,
        "dnssec06",
        "DNSSEC06",
        "Name servers return DNSSEC records in additional processing",
        dnssec::dnssec06::dnssec06
    ),
    test_case!(
        Dnssec,
        "dnssec08",
        "DNSSEC08",
        "The DNSKEY set has a valid signature",
        dnssec::dnssec08::dnssec08
    ),
    test_case!(
        Dnssec,
        "dnssec09",
        "DNSSEC09",
        "The SOA record has a valid signature made by a zone key",
        dnssec::dnssec09::dnssec09
    ),
    test_case!(
        Dnssec,
        "dnssec10",
        "DNSSEC10",
        "The zone has NSEC or NSEC3 records",
        dnssec::dnssec10::dnssec10
    ),
    test_case!(
        Dnssec,
        "dnssec13",
        "DNSSEC13",
        "Every DNSKEY algorithm signs the zone",
        dnssec::dnssec13::dnssec13
    ),
    test_case!(
        Dnssec,
        "dnssec14",
        "DNSSEC14",
        "RSA DNSKEY records have acceptable key sizes",
        dnssec::dnssec14::dnssec14
    ),
    test_case!(
        Dnssec,
        "dnssec15",
        "DNSSEC15",
        "CDS and CDNSKEY records are present and consistent",
        dnssec::dnssec15::dnssec15
    ),
    test_case!(
        Dnssec,
        "dnssec16",
        "DNSSEC16",
        "CDS records are valid",
        dnssec::dnssec16::dnssec16
    ),
    test_case!(
        Dnssec,
        "dnssec17",
        "DNSSEC17",
        "CDNSKEY records are valid",
        dnssec::dnssec17::dnssec17
    ),
    test_case!(
        Dnssec,
        "dnssec18",
        "DNSSEC18",
        "The DS set establishes trust in the CDS and CDNSKEY records",
        dnssec::dnssec18::dnssec18
    ),
    test_case!(
        Nameserver,
        "nameserver01",
        "Nameserver01",
        "Name servers are not open recursive resolvers",
        nameserver::nameserver01::nameserver01
    ),
    test_case!(
        Nameserver,
        "nameserver02",
        "Nameserver02",
        "Name servers support EDNS0",
        nameserver::nameserver02::nameserver02
    ),
    test_case!(
        Nameserver,
        "nameserver03",
        "Nameserver03",
        "Name servers refuse zone transfers (AXFR) to anyone",
        nameserver::nameserver03::nameserver03
    ),
    test_case!(
        Nameserver,
        "nameserver04",
        "Nameserver04",
        "Responses come from the address the query was sent to",
        nameserver::nameserver04::nameserver04
    ),
    test_case!(
        Nameserver,
        "nameserver05",
        "Nameserver05",
        "Name servers answer AAAA queries correctly",
        nameserver::nameserver05::nameserver05
    ),
    test_case!(
        Nameserver,
        "nameserver06",
        "Nameserver06",
        "Name server names resolve to addresses",
        nameserver::nameserver06::nameserver06
    ),
    test_case!(
        Nameserver,
        "nameserver07",
        "Nameserver07",
        "Name servers give no upward referrals",
        nameserver::nameserver07::nameserver07
    ),
    test_case!(
        Nameserver,
        "nameserver08",
        "Nameserver08",
        "Name servers ignore the case of the query name",
        nameserver::nameserver08::nameserver08
    ),
    test_case!(
        Nameserver,
        "nameserver09",
        "Nameserver09",
        "Name servers agree when the query name changes case",
        nameserver::nameserver09::nameserver09
    ),
    test_case!(
        Nameserver,
        "nameserver10",
        "Nameserver10",
        "Name servers handle an unknown EDNS version",
        nameserver::nameserver10::nameserver10
    ),
    test_case!(
        Nameserver,
        "nameserver11",
        "Nameserver11",
        "Name servers ignore unknown EDNS options",
        nameserver::nameserver11::nameserver11
    ),
    test_case!(
        Nameserver,
        "nameserver12",
        "Nameserver12",
        "Name servers ignore unknown EDNS flags",
        nameserver::nameserver12::nameserver12
    ),
    test_case!(
        Nameserver,
        "nameserver13",
        "Nameserver13",
        "Truncated EDNS responses still carry an OPT record",
        nameserver::nameserver13::nameserver13
    ),
    test_case!(
        Nameserver,
        "nameserver15",
        "Nameserver15",
        "Name servers do not reveal their software version",
        nameserver::nameserver15::nameserver15
    ),
    test_case!(
        Syntax,
        "syntax01",
        "Syntax01",
        "The domain name has only permitted characters",
        syntax::syntax01::syntax01
    ),
    test_case!(
        Syntax,
        "syntax02",
        "Syntax02",
        "No label of the domain name starts or ends with a hyphen",
        syntax::syntax02::syntax02
    ),
    test_case!(
        Syntax,
        "syntax03",
        "Syntax03",
        "No label has a double hyphen in positions 3 and 4 unless it is an A-label",
        syntax::syntax03::syntax03
    ),
    test_case!(
        Syntax,
        "syntax04",
        "Syntax04",
        "Name server names are valid host names",
        syntax::syntax04::syntax04
    ),
    test_case!(
        Syntax,
        "syntax05",
        "Syntax05",
        "The SOA RNAME does not misuse the @ character",
        syntax::syntax05::syntax05
    ),
    test_case!(
        Syntax,
        "syntax06",
        "Syntax06",
        "The SOA RNAME is a usable mail address",
        syntax::syntax06::syntax06
    ),
    test_case!(
        Syntax,
        "syntax07",
        "Syntax07",
        "The SOA MNAME is a valid host name",
        syntax::syntax07::syntax07
    ),
    test_case!(
        Syntax,
        "syntax08",
        "Syntax08",
        "MX targets are valid host names",
        syntax::syntax08::syntax08
    ),
    test_case!(
        Zone,
        "zone01",
        "Zone01",
        "The SOA MNAME is a fully qualified authoritative name server",
        zone::zone01::zone01
    ),
    test_case!(
        Zone,
        "zone02",
        "Zone02",
        "The SOA refresh value is large enough",
        zone::zone02::zone02
    ),
    test_case!(
        Zone,
        "zone03",
        "Zone03",
        "The SOA retry value is lower than the refresh value",
        zone::zone03::zone03
    ),
    test_case!(
        Zone,
        "zone04",
        "Zone04",
        "The SOA retry value is at least an hour",
        zone::zone04::zone04
    ),
    test_case!(
        Zone,
        "zone05",
        "Zone05",
        "The SOA expire value is large enough",
        zone::zone05::zone05
    ),
    test_case!(
        Zone,
        "zone06",
        "Zone06",
        "The SOA minimum value is not too large",
        zone::zone06::zone06
    ),
    test_case!(
        Zone,
        "zone07",
        "Zone07",
        "The SOA MNAME is not a CNAME alias",
        zone::zone07::zone07
    ),
    test_case!(
        Zone,
        "zone08",
        "Zone08",
        "MX targets are not CNAME aliases",
        zone::zone08::zone08
    ),
    test_case!(
        Zone,
        "zone09",
        "Zone09",
        "The zone has a usable MX record or a null MX",
        zone::zone09::zone09
    ),
    test_case!(
        Zone,
        "zone10",
        "Zone10",
        "The zone has exactly one SOA record",
        zone::zone10::zone10
    ),
    test_case!(
        Zone,
        "zone11",
        "Zone11",
        "The zone's SPF policy is well formed",
        zone::zone11::zone11
    ),
];

/// The test case `id` (any case), implemented or not.
pub fn find_test_case(id: &str) -> Option<&'static TestCase> {
    TEST_CASES
        .iter()
        .find(|case| case.id.eq_ignore_ascii_case(id))
}

/// The test cases of `module`, in run order, implemented or not.
pub fn test_cases_of(module: Module) -> impl Iterator<Item = &'static TestCase> {
    TEST_CASES.iter().filter(move |case| case.module == module)
}

/// The test cases the engine can run, in run order.
pub fn implemented() -> impl Iterator<Item = &'static TestCase> {
    TEST_CASES.iter().filter(|case| case.is_implemented())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::message::spell_test_case;

    #[test]
    fn ids_are_unique_and_spelled_as_messages_spell_them() {
        let mut ids: Vec<&str> = TEST_CASES.iter().map(|case| case.id).collect();
        assert_eq!(ids.len(), 73);
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 73);
        for case in TEST_CASES {
            assert_eq!(case.spelled, spell_test_case(case.id, case.module));
            assert!(
                case.id
                    .starts_with(&case.module.name().to_ascii_lowercase())
            );
        }
    }

    /// Spec §2.1: modules in their fixed order, a module's test cases
    /// together, DNSSEC07 and DNSSEC11 first in DNSSEC.
    #[test]
    fn the_table_is_in_run_order() {
        let modules: Vec<Module> = TEST_CASES.iter().map(|case| case.module).collect();
        let mut expected: Vec<Module> = Module::RUN_ORDER
            .iter()
            .copied()
            .filter(|module| *module != Module::System)
            .collect();
        let mut seen = modules.clone();
        seen.dedup();
        expected.retain(|module| seen.contains(module));
        assert_eq!(seen, expected);
        let dnssec: Vec<&str> = test_cases_of(Module::Dnssec).map(|case| case.id).collect();
        assert_eq!(&dnssec[..3], ["dnssec07", "dnssec11", "dnssec01"]);
        assert!(find_test_case("dnssec12").is_none() && find_test_case("nameserver14").is_none());
    }

    #[test]
    fn lookups_ignore_case() {
        assert_eq!(
            find_test_case("BASIC02").map(|case| case.id),
            Some("basic02")
        );
        assert!(implemented().all(TestCase::is_implemented));
        assert!(
            ["basic01", "basic02", "basic03"]
                .iter()
                .all(|id| implemented().any(|case| case.id == *id))
        );
    }
}
