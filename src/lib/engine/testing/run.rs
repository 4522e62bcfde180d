//! Running one test case against a [`World`] through the public engine
//! entry ([`run_check`]), and the messages it emitted as tags and
//! arguments to assert on.
//!
//! Going through `run_check` rather than calling the test case's function
//! means a unit test exercises what `zmctl check --test` does: the same
//! context, methods, recursor, cache and undelegated-data completion.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use hickory_proto::rr::Name;

use super::world::{World, name};
use crate::engine::check::{CheckRequest, run_check};
use crate::engine::level::Level;
use crate::engine::message::Message;
use crate::engine::module::Module;
use crate::engine::profile::Profile;
use crate::engine::runner::{Selection, planned};
use crate::engine::undelegated::{DsData, FakeDelegation};

/// Tags that frame every run rather than say anything about the zone;
/// [`Emitted`] leaves them out so that tests can compare whole tag lists.
const FRAMING_TAGS: [&str; 5] = [
    "START_TIME",
    "TEST_TARGET",
    "GLOBAL_VERSION",
    "TEST_CASE_START",
    "TEST_CASE_END",
];

/// One emitted message, reduced to what a test asserts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Emission {
    /// The tag, upper case.
    pub tag: String,
    /// `Basic`, `DNSSEC`, …, `System`.
    pub module: String,
    /// The level the profile gives it.
    pub level: Level,
    /// Argument name → value as text (numbers as their digits).
    pub args: BTreeMap<String, String>,
}

impl Emission {
    /// The only place that reads an engine [`Message`]: when its shape
    /// changes, this is the one function to fix.
    fn from_message(message: &Message) -> Self {
        let args = message
            .args
            .keys()
            .filter_map(|key| Some((key.clone(), message.arg(key)?)))
            .collect();
        Self {
            tag: message.tag_name().to_owned(),
            module: message.module().name().to_owned(),
            level: message.level,
            args,
        }
    }
}

/// The messages of one run, in order, without the [`FRAMING_TAGS`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Emitted(Vec<Emission>);

impl Emitted {
    fn from_messages(messages: &[Message]) -> Self {
        Self(
            messages
                .iter()
                .map(Emission::from_message)
                .filter(|emission| !FRAMING_TAGS.contains(&emission.tag.as_str()))
                .collect(),
        )
    }

    /// True when `tag` was emitted.
    pub fn has(&self, tag: &str) -> bool {
        self.0.iter().any(|emission| emission.tag == tag)
    }

    /// Every tag, in emission order.
    pub fn tags(&self) -> Vec<&str> {
        self.0
            .iter()
            .map(|emission| emission.tag.as_str())
            .collect()
    }

    /// The tags starting with `prefix` (`B01`), in emission order: a test
    /// case's own findings without the shared `IPV4_ENABLED` noise.
    pub fn tags_with_prefix(&self, prefix: &str) -> Vec<&str> {
        self.tags()
            .into_iter()
            .filter(|tag| tag.starts_with(prefix))
            .collect()
    }

    /// The arguments of each emission of `tag`, in order.
    pub fn args_of(&self, tag: &str) -> Vec<&BTreeMap<String, String>> {
        self.of(tag).map(|emission| &emission.args).collect()
    }

    /// Argument `arg` of each emission of `tag` that has it, in order:
    /// `emitted.arg("B02_NS_NOT_AUTH", "ns")`.
    pub fn arg(&self, tag: &str, arg: &str) -> Vec<&str> {
        self.of(tag)
            .filter_map(|emission| emission.args.get(arg).map(String::as_str))
            .collect()
    }

    /// The level of the first emission of `tag`.
    pub fn level_of(&self, tag: &str) -> Option<Level> {
        self.of(tag).next().map(|emission| emission.level)
    }

    /// Every emission, in order.
    pub fn emissions(&self) -> &[Emission] {
        &self.0
    }

    fn of<'a>(&'a self, tag: &str) -> impl Iterator<Item = &'a Emission> {
        let tag = tag.to_owned();
        self.0.iter().filter(move |emission| emission.tag == tag)
    }
}

/// One test case to run in a world, with optional undelegated data and
/// profile changes; [`run_test_case`] is the short form.
#[derive(Debug)]
pub struct TestRun<'w> {
    world: &'w World,
    zone: Name,
    test_case: String,
    fake: FakeDelegation,
    profile: Profile,
    now: Option<SystemTime>,
}

impl<'w> TestRun<'w> {
    /// `test_case` (`basic02`) on `zone` (absolute) in `world`, default
    /// profile.
    pub fn new(world: &'w World, zone: &str, test_case: &str) -> Self {
        Self {
            world,
            zone: name(zone),
            test_case: test_case.to_owned(),
            fake: FakeDelegation::default(),
            profile: Profile::default(),
            now: None,
        }
    }

    /// Tests `zone` instead: a name zone text cannot write (a label
    /// starting with a hyphen, an `@`).
    pub fn zone(mut self, zone: Name) -> Self {
        self.zone = zone;
        self
    }

    /// Adds a supplied name server, as `--ns name[/address]` does; any
    /// makes the run undelegated.
    ///
    /// # Panics
    ///
    /// On a bad name or address.
    pub fn ns(mut self, host: &str, address: Option<&str>) -> Self {
        let address = address.map(|text| {
            text.parse()
                .unwrap_or_else(|error| panic!("`{text}` is not an address: {error}"))
        });
        self.fake.add_ns(name(host), address);
        self
    }

    /// Adds a supplied DS record, as `--ds keytag,algorithm,type,digest`.
    pub fn ds(mut self, keytag: u64, algorithm: u64, digtype: u64, digest: &str) -> Self {
        self.fake.ds.push(DsData {
            keytag,
            algorithm,
            digtype,
            digest: digest.to_ascii_lowercase(),
        });
        self
    }

    /// Judges signatures at `now` (as `--now` does) instead of at each
    /// reply's arrival.
    pub fn at(mut self, now: SystemTime) -> Self {
        self.now = Some(now);
        self
    }

    /// Changes the profile before the run (`|p| p.set_ipv6(false)`).
    pub fn profile(mut self, change: impl FnOnce(&mut Profile)) -> Self {
        change(&mut self.profile);
        self
    }

    /// Runs the test case and returns what it emitted.
    ///
    /// # Panics
    ///
    /// When the test case is unknown or the profile disables it: a unit
    /// test that ran nothing must not pass.
    pub async fn run_async(self) -> Emitted {
        let selection = Selection::TestCase(self.test_case.clone());
        assert!(
            !planned(&selection, &self.profile).is_empty(),
            "{} is not an implemented test case the profile enables",
            self.test_case
        );
        let fake = (!self.fake.ns.is_empty() || !self.fake.ds.is_empty()).then_some(self.fake);
        let request = CheckRequest {
            zone: self.zone,
            selections: vec![selection],
            profile: Arc::new(self.profile),
            hints: self.world.root_hints(),
            fake,
            transport: Arc::new(self.world.clone()),
            now: self.now.unwrap_or_else(SystemTime::now),
            fixed_clock: self.now.is_some(),
        };
        let result = run_check(request, &|_| {}).await;
        Emitted::from_messages(&result.messages)
    }

    /// [`TestRun::run_async`] on a runtime of its own, for plain `#[test]`
    /// functions (not from inside a `#[tokio::test]`: use `run_async`).
    pub fn run(self) -> Emitted {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime builds in a test process")
            .block_on(self.run_async())
    }
}

/// Runs `test_case` on `zone` in `world` with the default profile.
pub fn run_test_case(world: &World, zone: &str, test_case: &str) -> Emitted {
    TestRun::new(world, zone, test_case).run()
}

/// Runs `module` on `zone` in `world` with the default profile: its test
/// cases as a module run starts them (concurrently, sharing the run).
pub fn run_module(world: &World, zone: &str, module: Module) -> Emitted {
    Emitted::from_messages(&module_messages(world, name(zone), module))
}

/// The test cases a run of `module` on `zone` in `world` started, in
/// order (their spelling, `Syntax04`): what a module's skip rules let run.
pub fn test_cases_run(world: &World, zone: Name, module: Module) -> Vec<String> {
    module_messages(world, zone, module)
        .iter()
        .filter(|message| message.tag_name() == "TEST_CASE_START")
        .filter_map(|message| message.arg("testcase"))
        .collect()
}

/// Every message of a default-profile run of `module`.
fn module_messages(world: &World, zone: Name, module: Module) -> Vec<Message> {
    let request = CheckRequest {
        zone,
        selections: vec![Selection::Module(module)],
        profile: Arc::new(Profile::default()),
        hints: world.root_hints(),
        fake: None,
        transport: Arc::new(world.clone()),
        now: SystemTime::now(),
        fixed_clock: false,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a test can start a runtime");
    runtime.block_on(run_check(request, &|_| {})).messages
}
