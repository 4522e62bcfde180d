//! Messages: what a run reports, one tag with its arguments at a time
//! (engine spec §1.2), and the per-test-case [`Report`] that collects them.

use std::time::Instant;

use serde::Serialize;
use serde_json::{Map, Value};

use super::level::Level;
use super::module::Module;
use super::profile::Profile;
use super::tags::Tag;

/// One message of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message {
    /// Seconds since the run started.
    pub timestamp: f64,
    /// Severity, from the profile.
    pub level: Level,
    /// `Basic`, `DNSSEC`, …, `System`.
    pub module: String,
    /// The running test case as spelled in messages (`Basic01`), or
    /// `Unspecified` outside any.
    pub testcase: String,
    /// The tag, upper case.
    pub tag: String,
    /// Argument name → string or number.
    pub args: Map<String, Value>,
}

impl Message {
    /// The value of argument `name` as text, if present.
    pub fn arg(&self, name: &str) -> Option<String> {
        self.args.get(name).map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
    }
}

/// Arguments of one message, in the order written.
pub type Args = Vec<(&'static str, Value)>;

/// Builds [`Args`]: `args![domain = name, count = 3]`.
#[macro_export]
macro_rules! args {
    () => { ::std::vec::Vec::<(&'static str, ::serde_json::Value)>::new() };
    ($($name:ident = $value:expr),+ $(,)?) => {
        vec![$((stringify!($name), ::serde_json::Value::from($value))),+]
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
pub struct Report<'a> {
    profile: &'a Profile,
    started: Instant,
    testcase: String,
    messages: Vec<Message>,
}

impl<'a> Report<'a> {
    /// A report for `testcase` (already spelled), timestamps from `started`.
    pub fn new(profile: &'a Profile, started: Instant, testcase: String) -> Self {
        Self {
            profile,
            started,
            testcase,
            messages: Vec::new(),
        }
    }

    /// Emits `tag` with `args`, its level taken from the profile.
    ///
    /// An argument the catalog does not list for the tag is a bug of ours;
    /// tests catch it (debug assertion), releases keep the message.
    pub fn emit(&mut self, tag: &Tag, args: Args) {
        debug_assert!(
            args.iter().all(|(name, _)| tag.args.contains(name)),
            "{} emitted with arguments {:?}, catalog lists {:?}",
            tag.name,
            args.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
            tag.args
        );
        let args: Map<String, Value> = args
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
        let level = self.profile.level_of(tag, &args);
        self.messages.push(Message {
            timestamp: self.started.elapsed().as_secs_f64(),
            level,
            module: tag.module.name().to_owned(),
            testcase: self.testcase.clone(),
            tag: tag.name.to_owned(),
            args,
        });
    }

    /// True when `tag` was emitted in this report.
    pub fn has(&self, tag: &Tag) -> bool {
        self.messages.iter().any(|message| message.tag == tag.name)
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
