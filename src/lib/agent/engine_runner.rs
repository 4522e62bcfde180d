//! The real [`TestRunner`]: the stored params turned into an engine
//! request, the engine run over live sockets, its messages turned into
//! result entries (spec §5.4).

use std::sync::Arc;
use std::time::SystemTime;

use async_trait::async_trait;

use super::error::AgentError;
use super::progress::ProgressSink;
use super::runner::{RunError, RunReport, TestRunner};
use crate::config::{BackendConfig, ProfileSet, ZonemasterConfig};
use crate::dns::{LiveTransport, Pacer, Transport};
use crate::engine::RootHints;
use crate::engine::check::{CheckRequest, run_check};
use crate::engine::level::Level;
use crate::engine::message::Message;
use crate::engine::profile::Profile;
use crate::engine::runner::{Progress, Selection, planned};
use crate::job::{ParamsError, TestParams};
use crate::store::{ClaimedTest, ResultEntry, TestCaseTally};

/// Steps of a run besides its test cases (spec §5.4: planned = 5 + test
/// cases), so progress never claims more than the engine has done.
const EXTRA_STEPS: usize = 5;

/// Runs tests with the engine.
pub struct EngineRunner {
    /// The configured profiles, by name.
    profiles: ProfileSet,
    /// Where recursion starts.
    hints: RootHints,
    /// Live sockets, or a replayer in tests.
    transport: Arc<dyn Transport>,
}

impl EngineRunner {
    /// A runner over live sockets.
    pub fn new(profiles: ProfileSet, hints: RootHints) -> Self {
        Self {
            profiles,
            hints,
            transport: Arc::new(LiveTransport::new()),
        }
    }

    /// A runner with the configuration's root hints (`[ZONEMASTER]
    /// root_hints`, else the IANA root servers).
    pub fn from_config(config: &BackendConfig, profiles: ProfileSet) -> Result<Self, AgentError> {
        let hints = match &config.zonemaster.root_hints {
            Some(path) => RootHints::from_file(path).map_err(|source| AgentError::RootHints {
                path: path.clone(),
                source,
            })?,
            None => RootHints::builtin(),
        };
        let live = guarded_transport(&config.zonemaster);
        Ok(Self::new(profiles, hints).with_transport(Arc::new(live)))
    }

    /// The same runner over another transport.
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = transport;
        self
    }

    /// The engine request for `test`: its profile with `net.ipv4` and
    /// `net.ipv6` forced from the params, its supplied NS and DS data.
    fn request(&self, test: &ClaimedTest) -> Result<CheckRequest, ParamsError> {
        let params = TestParams::from_stored(&test.params)?;
        let named =
            self.profiles
                .get(&params.profile)
                .ok_or_else(|| ParamsError::UnknownProfile {
                    profile: params.profile.clone(),
                })?;
        let mut profile = Profile::clone(&named);
        profile.set_ipv4(params.ipv4);
        profile.set_ipv6(params.ipv6);
        let input = params.engine_input()?;
        Ok(CheckRequest {
            zone: input.zone,
            selections: Vec::new(),
            profile: Arc::new(profile),
            hints: self.hints.clone(),
            fake: input.fake,
            transport: Arc::clone(&self.transport),
            now: SystemTime::now(),
            fixed_clock: false,
        })
    }
}

#[async_trait]
impl TestRunner for EngineRunner {
    async fn run(&self, test: &ClaimedTest, progress: ProgressSink) -> Result<RunReport, RunError> {
        let request = self.request(test)?;
        progress.plan(EXTRA_STEPS + planned_test_cases(&request.profile));
        let on_progress = |event: Progress| {
            if let Progress::Finished(_) = event {
                progress.step_done();
            }
        };
        let result = run_check(request, &on_progress).await;
        if let Some(failure) = result.failure {
            let reason = failure.explain(
                "the root hints ([ZONEMASTER] root_hints)",
                "the name servers given",
            );
            return Err(RunError::NoVerdict(reason));
        }
        Ok(RunReport {
            entries: stored_entries(&result.messages),
            testcases: Some(TestCaseTally {
                ran: u32::try_from(result.test_cases.ran).unwrap_or(u32::MAX),
                enabled: u32::try_from(result.test_cases.enabled).unwrap_or(u32::MAX),
            }),
        })
    }
}

/// Live sockets with the abuse limits of `[ZONEMASTER]`
/// (`docs/abuse-limits.md`): one pacer for every test this process runs
/// (`max_queries_per_second_per_server`), and no packet to a
/// special-purpose address unless `allow_private_addresses`, whoever
/// named it (a test's params, a delegation, a glue record).
pub fn guarded_transport(config: &ZonemasterConfig) -> LiveTransport {
    let mut live = LiveTransport::new();
    if config.max_queries_per_second_per_server > 0 {
        live = live.with_pacer(Arc::new(Pacer::new(
            config.max_queries_per_second_per_server,
        )));
    }
    if !config.allow_private_addresses {
        live = live.refusing_special_addresses();
    }
    live
}

/// The test cases a full run may execute: implemented and enabled.
fn planned_test_cases(profile: &Profile) -> usize {
    planned(&Selection::All, profile).len()
}

/// Messages at INFO and above, as result entries (spec §5.4).
pub(crate) fn stored_entries(messages: &[Message]) -> Vec<ResultEntry> {
    messages
        .iter()
        .filter(|message| message.level >= Level::Info)
        .map(|message| ResultEntry {
            level: i32::from(message.level.numeric()),
            module: message.module().name().to_owned(),
            testcase: message.testcase().to_owned(),
            tag: message.tag_name().to_owned(),
            timestamp: message.timestamp,
            args: message.args.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, json};

    use super::*;

    fn message(level: Level, tag: &'static crate::engine::tags::Tag) -> Message {
        Message {
            timestamp: 0.5,
            level,
            tag,
            test_case: crate::engine::testcases::find_test_case("basic01"),
            args: Map::new(),
        }
    }

    #[test]
    fn only_info_and_above_is_stored_with_numeric_levels() {
        use crate::engine::tags::basic as tag;
        let messages = [
            message(Level::Debug, &tag::IPV4_ENABLED),
            message(Level::Info, &tag::B01_CHILD_FOUND),
            message(Level::Critical, &tag::B02_NO_WORKING_NS),
        ];
        let entries = stored_entries(&messages);
        let summary: Vec<(i32, &str, &str)> = entries
            .iter()
            .map(|e| (e.level, e.testcase.as_str(), e.tag.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (1, "Basic01", "B01_CHILD_FOUND"),
                (5, "Basic01", "B02_NO_WORKING_NS")
            ]
        );
    }

    fn claimed(params: serde_json::Value) -> ClaimedTest {
        ClaimedTest {
            hash_id: "0123456789abcdef".to_owned(),
            domain: "example.se".to_owned(),
            params,
            batch_id: None,
            started_at: chrono::Utc::now(),
            attempts: 1,
        }
    }

    #[test]
    fn params_force_the_families_and_supply_the_delegation() {
        let runner = EngineRunner::new(ProfileSet::builtin(), RootHints::builtin());
        let request = runner
            .request(&claimed(json!({
                "domain": "example.se", "profile": "Default", "ipv4": true, "ipv6": false,
                "nameservers": [{"ns": "ns1.example.se", "ip": "192.0.2.1"}, {"ns": "ns2.other.se"}],
                "ds_info": [{"keytag": 1, "algorithm": 13, "digtype": 2, "digest": "AB"}]
            })))
            .unwrap();
        assert!(request.profile.ipv4() && !request.profile.ipv6());
        let fake = request.fake.unwrap();
        assert_eq!(fake.ns.len(), 2);
        assert_eq!(fake.ds[0].digest, "ab");
        let unknown = runner.request(&claimed(json!({"domain": "example.se", "profile": "nope"})));
        assert!(matches!(unknown, Err(ParamsError::UnknownProfile { .. })));
    }
}
