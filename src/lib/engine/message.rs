//! Messages: what a run reports, one catalog tag with its arguments at a
//! time (engine spec §1.2), and the per-test-case [`Report`] that
//! collects them.
//!
//! A message is typed: it holds its `&'static` catalog [`Tag`] and the
//! [`TestCase`] that emitted it (none for the framework), so a misspelt tag
//! does not compile and a runner never matches on strings. Emitting checks,
//! in every build, that the arguments are exactly the tag's set; a wrong
//! set becomes a `MODULE_ERROR` naming the bug, never a text with a raw
//! `{ns}` in front of a user.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use hickory_proto::rr::{Name, RecordType};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use serde_json::{Map, Value};

use super::level::Level;
use super::methods::NsAddress;
use super::module::Module;
use super::name::display;
use super::ns::Ns;
use super::profile::Profile;
use super::stop::StopSignal;
use super::tags::{self, Tag};
use super::testcases::TestCase;

/// One message of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// Seconds since the run started.
    pub timestamp: f64,
    /// Severity, from the profile.
    pub level: Level,
    /// The catalog entry: module, name and argument names.
    pub tag: &'static Tag,
    /// The test case that emitted it; `None` for the framework.
    pub test_case: Option<&'static TestCase>,
    /// Argument name → string or number.
    pub args: Map<String, Value>,
}

impl Message {
    /// The module whose tag this is (`Basic`, …, `System`).
    pub fn module(&self) -> Module {
        self.tag.module
    }

    /// The tag's name (`B02_NO_DELEGATION`).
    pub fn tag_name(&self) -> &'static str {
        self.tag.name
    }

    /// The test case as messages spell it (`Basic01`), or `Unspecified`
    /// outside any.
    pub fn testcase(&self) -> &'static str {
        self.test_case.map_or(UNSPECIFIED, |case| case.spelled)
    }

    /// The value of argument `name` as text, if present.
    pub fn arg(&self, name: &str) -> Option<String> {
        self.args.get(name).map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    }
}

/// What messages outside any test case say as their test case.
pub const UNSPECIFIED: &str = "Unspecified";

impl Serialize for Message {
    /// `{timestamp, level, module, testcase, tag, args}`, the shape
    /// zonemaster-cli's JSON and our stored results use.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut object = serializer.serialize_struct("Message", 6)?;
        object.serialize_field("timestamp", &self.timestamp)?;
        object.serialize_field("level", &self.level)?;
        object.serialize_field("module", self.module().name())?;
        object.serialize_field("testcase", self.testcase())?;
        object.serialize_field("tag", self.tag_name())?;
        object.serialize_field("args", &self.args)?;
        object.end()
    }
}

/// A value that can be a message argument, written one way everywhere:
/// names lower case without the final dot, servers `name/address`,
/// record types by mnemonic.
pub trait ArgValue {
    /// The argument as JSON (a string or a number).
    fn to_arg(&self) -> Value;
}

impl<T: ArgValue + ?Sized> ArgValue for &T {
    fn to_arg(&self) -> Value {
        (**self).to_arg()
    }
}

impl ArgValue for str {
    fn to_arg(&self) -> Value {
        Value::from(self)
    }
}

impl ArgValue for String {
    fn to_arg(&self) -> Value {
        Value::from(self.as_str())
    }
}

impl ArgValue for Value {
    fn to_arg(&self) -> Value {
        self.clone()
    }
}

macro_rules! numeric_args {
    ($($number:ty),*) => {
        $(impl ArgValue for $number {
            fn to_arg(&self) -> Value {
                Value::from(*self)
            }
        })*
    };
}

numeric_args!(u8, u16, u32, u64, usize, i32, i64);

impl ArgValue for Name {
    fn to_arg(&self) -> Value {
        Value::from(display(self))
    }
}

impl ArgValue for IpAddr {
    fn to_arg(&self) -> Value {
        Value::from(self.to_string())
    }
}

impl ArgValue for Ns {
    fn to_arg(&self) -> Value {
        Value::from(self.label())
    }
}

impl ArgValue for NsAddress {
    fn to_arg(&self) -> Value {
        Value::from(self.to_string())
    }
}

impl ArgValue for RecordType {
    fn to_arg(&self) -> Value {
        Value::from(self.to_string())
    }
}

/// Arguments of one message, in the order written.
pub type Args = Vec<(&'static str, Value)>;

/// Builds [`Args`]: `args![domain = ctx.zone, ns = server, count = 3]`;
/// each value goes through [`ArgValue`], by reference. A name is any one
/// token, so keyword-named arguments (NAMESERVER09's `type`) are written
/// as they are.
#[macro_export]
macro_rules! args {
    () => { ::std::vec::Vec::<(&'static str, ::serde_json::Value)>::new() };
    ($($name:tt = $value:expr),+ $(,)?) => {
        vec![$((
            stringify!($name),
            $crate::engine::message::ArgValue::to_arg(&$value),
        )),+]
    };
}

/// The test case name as messages spell it: `basic01` → `Basic01`,
/// `dnssec05` → `DNSSEC05`.
pub fn spell_test_case(id: &str, module: Module) -> String {
    let digits = id.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    format!("{}{digits}", module.name())
}

/// Collects the messages of one test case (or of the framework).
#[derive(Debug)]
pub struct Report {
    profile: Arc<Profile>,
    started: Instant,
    test_case: Option<&'static TestCase>,
    messages: Vec<Message>,
    /// Told the level of every message, when the run can stop early.
    stop: Option<Arc<StopSignal>>,
}

impl Report {
    /// A report of the framework (test case `Unspecified`).
    pub fn framework(profile: &Arc<Profile>, started: Instant) -> Self {
        Self::new(profile, started, None)
    }

    /// A report of `test_case`, timestamps counted from `started`.
    pub fn for_test_case(
        profile: &Arc<Profile>,
        started: Instant,
        test_case: &'static TestCase,
    ) -> Self {
        Self::new(profile, started, Some(test_case))
    }

    fn new(profile: &Arc<Profile>, started: Instant, test_case: Option<&'static TestCase>) -> Self {
        Self {
            profile: Arc::clone(profile),
            started,
            test_case,
            messages: Vec::new(),
            stop: None,
        }
    }

    /// The same report, telling `stop` the level of each message it
    /// collects from now on.
    pub fn watched_by(mut self, stop: &Arc<StopSignal>) -> Self {
        self.stop = Some(Arc::clone(stop));
        self
    }

    /// The test case reported on, if any.
    pub fn test_case(&self) -> Option<&'static TestCase> {
        self.test_case
    }

    /// The module of the test case reported on (`System` for the
    /// framework): whose `IPV4_DISABLED` and the like to emit.
    pub fn module(&self) -> Module {
        self.test_case.map_or(Module::System, |case| case.module)
    }

    /// Emits `tag` with `args`, its level taken from the profile.
    ///
    /// Arguments that are not exactly the tag's set are a bug of ours: the
    /// message becomes a `MODULE_ERROR` that names it, so tests fail and
    /// users see what went wrong instead of a half-filled text.
    pub fn emit(&mut self, tag: &'static Tag, args: Args) {
        if let Err(problem) = tag.check_args(args.iter().map(|(name, _)| *name)) {
            tracing::error!(%problem, "a message does not match its catalog entry");
            let module = tag.module.name();
            self.push(&tags::MODULE_ERROR, args![module = module, msg = problem]);
            return;
        }
        self.push(tag, args);
    }

    fn push(&mut self, tag: &'static Tag, args: Args) {
        let args: Map<String, Value> = args
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
        let level = self.profile.level_of(tag, &args);
        if let Some(stop) = &self.stop {
            stop.note(level);
        }
        self.messages.push(Message {
            timestamp: self.started.elapsed().as_secs_f64(),
            level,
            tag,
            test_case: self.test_case,
            args,
        });
    }

    /// True when `tag` was emitted in this report.
    pub fn has(&self, tag: &Tag) -> bool {
        self.messages.iter().any(|message| message.tag == tag)
    }

    /// True when nothing was emitted yet.
    pub fn is_quiet(&self) -> bool {
        self.messages.is_empty()
    }

    /// The messages so far.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The messages, consuming the report.
    pub fn into_messages(self) -> Vec<Message> {
        self.messages
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tags::basic as tag;
    use crate::engine::testcases::find_test_case;

    fn report() -> Report {
        let case = find_test_case("basic02").expect("basic02 is in the table");
        Report::for_test_case(&Arc::new(Profile::default()), Instant::now(), case)
    }

    #[test]
    fn arguments_render_one_way() {
        let name = Name::from_ascii("NS1.Example.SE.").unwrap();
        let server = Ns {
            name: name.clone(),
            address: "192.0.2.1".parse().unwrap(),
        };
        let args = args![
            ns = server,
            nsname = name,
            rrtype = RecordType::SOA,
            count = 3u32
        ];
        let values: Vec<Value> = args.into_iter().map(|(_, value)| value).collect();
        assert_eq!(
            values,
            [
                Value::from("ns1.example.se/192.0.2.1"),
                Value::from("ns1.example.se"),
                Value::from("SOA"),
                Value::from(3)
            ]
        );
    }

    #[test]
    fn a_message_knows_its_tag_and_test_case() {
        let mut report = report();
        report.emit(&tag::B02_NO_DELEGATION, args![domain = "example.se"]);
        let message = &report.messages()[0];
        assert_eq!(message.tag_name(), "B02_NO_DELEGATION");
        assert_eq!(message.testcase(), "Basic02");
        assert_eq!(message.module(), Module::Basic);
        let json = serde_json::to_value(message).unwrap();
        assert_eq!(json["module"], "Basic");
        assert_eq!(json["testcase"], "Basic02");
        assert_eq!(json["tag"], "B02_NO_DELEGATION");
        assert_eq!(json["args"]["domain"], "example.se");
    }

    /// Issue 9 (5/13), item 5: a missing or unknown argument is caught in
    /// every build and never reaches a user as a raw placeholder.
    #[test]
    fn a_wrong_argument_set_becomes_a_module_error() {
        for wrong in [args![], args![domain = "x", ns = "y"]] {
            let mut report = report();
            report.emit(&tag::B02_NO_DELEGATION, wrong);
            let message = &report.messages()[0];
            assert_eq!(message.tag_name(), "MODULE_ERROR");
            assert!(
                message.arg("msg").unwrap().contains("B02_NO_DELEGATION"),
                "{message:?}"
            );
        }
    }

    #[test]
    fn optional_arguments_may_be_left_out() {
        let mut report = Report::framework(&Arc::new(Profile::default()), Instant::now());
        report.emit(&tags::TEST_TARGET, args![zone = "se", module = "all"]);
        report.emit(
            &tags::TEST_TARGET,
            args![zone = "se", module = "Basic", testcase = "basic01"],
        );
        let names: Vec<&str> = report.messages().iter().map(Message::tag_name).collect();
        assert_eq!(names, ["TEST_TARGET", "TEST_TARGET"]);
    }
}
