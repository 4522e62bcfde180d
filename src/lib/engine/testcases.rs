//! The test-case table: id, module and the function that runs it.
//!
//! This slice is the single source of what runs and in which order; the
//! profile's `test_cases`, `--test` and the API only filter it. Test cases
//! of later issues join it as they are implemented.

use futures::future::BoxFuture;

use super::context::Context;
use super::message::Report;
use super::module::Module;
use super::tests::basic;

/// A test case body: reads the context, writes its messages.
pub type RunFn = for<'a, 'r> fn(&'a Context, &'a mut Report<'r>) -> BoxFuture<'a, ()>;

/// One implemented test case.
pub struct TestCase {
    /// Lower-case id, e.g. `basic02`.
    pub id: &'static str,
    /// Its module.
    pub module: Module,
    /// One-line description for `--list-tests`.
    pub title: &'static str,
    /// The body.
    pub run: RunFn,
}

impl std::fmt::Debug for TestCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestCase")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Every implemented test case, in run order.
pub static TEST_CASES: &[TestCase] = &[
    TestCase {
        id: "basic01",
        module: Module::Basic,
        title: "The parent zone and the zone itself exist",
        run: basic::basic01::run,
    },
    TestCase {
        id: "basic02",
        module: Module::Basic,
        title: "The zone has at least one working name server",
        run: basic::basic02::run,
    },
    TestCase {
        id: "basic03",
        module: Module::Basic,
        title: "The name servers answer for www (only when none works)",
        run: basic::basic03::run,
    },
];

/// The implemented test case `id` (case-insensitive).
pub fn find_test_case(id: &str) -> Option<&'static TestCase> {
    TEST_CASES
        .iter()
        .find(|case| case.id.eq_ignore_ascii_case(id))
}

/// The implemented test cases of `module`, in order.
pub fn test_cases_of(module: Module) -> impl Iterator<Item = &'static TestCase> {
    TEST_CASES.iter().filter(move |case| case.module == module)
}
