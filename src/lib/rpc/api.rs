//! The API itself: its state and the processing of one HTTP body into one
//! response (backend spec §2.2), independent of the HTTP server.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Instant;

use futures::future::join_all;
use ipnet::IpNet;
use serde_json::{Map, Value};

use super::envelope::{Body, Request, check_envelope, failure, parse_body, success};
use super::error::{ParamError, RpcError, Status};
use super::methods::{self, Method};
use super::rate_limit::TestRateLimit;
use super::validate::{Known, validate};
use crate::config::{BackendConfig, ProfileSet, RpcapiConfig};
use crate::dns::{LiveTransport, QueryOptions};
use crate::engine::{HintsError, IpFamilies, RootHints};
use crate::i18n::{ApiText, Language, api_text};
use crate::lookup::LookupSetup;
use crate::metrics::Metrics;
use crate::store::{Store, Timestamp};
use crate::telemetry::Telemetry;

/// Size limits of requests: the first two are `zm-rpcapi` options, the
/// others `[RPCAPI]` keys (`max_batch_domains` also an option).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiOptions {
    /// Largest accepted HTTP body, in bytes.
    pub max_body_bytes: usize,
    /// Most requests in one JSON-RPC batch (array body).
    pub max_batch_requests: usize,
    /// Most domains in one `add_batch_job`/`batch_create`.
    pub max_batch_domains: usize,
    /// Most `nameservers` items in one test's params.
    pub max_nameservers: usize,
    /// Most `ds_info` items in one test's params.
    pub max_ds_info: usize,
}

impl Default for ApiOptions {
    /// 1 MiB bodies, 100 requests per batch, and the `[RPCAPI]` defaults.
    fn default() -> Self {
        Self::from_config(&RpcapiConfig::default())
    }
}

impl ApiOptions {
    /// The default HTTP limits with the item caps of `config`.
    pub fn from_config(config: &RpcapiConfig) -> Self {
        let size = |value: u32| usize::try_from(value).unwrap_or(usize::MAX);
        Self {
            max_body_bytes: 1 << 20,
            max_batch_requests: 100,
            max_batch_domains: size(config.max_batch_domains),
            max_nameservers: size(config.max_nameservers),
            max_ds_info: size(config.max_ds_info),
        }
    }
}

/// Where "now" comes from; tests move it.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Who sent a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The remote address as the API sees it: the peer, or behind a
    /// trusted proxy (`RPCAPI.trusted_proxies`) the client it forwarded
    /// for.
    pub remote_ip: String,
    /// The peer is not a trusted proxy but sent `X-Forwarded-For`: it may
    /// be a proxy nobody listed, forwarding for a client we cannot know,
    /// so it is not trusted as local even on loopback.
    pub is_forwarded_by_untrusted_peer: bool,
}

impl Caller {
    /// A caller at `remote_ip`, seen directly or through trusted proxies.
    pub fn direct(remote_ip: String) -> Self {
        Self {
            remote_ip,
            is_forwarded_by_untrusted_peer: false,
        }
    }

    /// A peer at `remote_ip` that is not a trusted proxy but sent a
    /// forwarding header.
    pub fn forwarded_by_untrusted(remote_ip: String) -> Self {
        Self {
            remote_ip,
            is_forwarded_by_untrusted_peer: true,
        }
    }

    /// True when the caller may use administrative methods with the
    /// default `allow_add_api_user_from`: it is at loopback, and not
    /// behind a proxy we were not told to trust.
    pub fn is_local_administrator(&self) -> bool {
        !self.is_forwarded_by_untrusted_peer && self.is_loopback()
    }

    /// True when the caller may use administrative methods: its address
    /// is in `allowed` (`RPCAPI.allow_add_api_user_from`), and it is not
    /// behind a proxy we were not told to trust (whose forwarding header
    /// could name anyone).
    pub fn may_administer(&self, allowed: &[IpNet]) -> bool {
        let Ok(ip) = self.remote_ip.parse::<IpAddr>() else {
            return false;
        };
        let ip = ip.to_canonical();
        !self.is_forwarded_by_untrusted_peer && allowed.iter().any(|network| network.contains(&ip))
    }

    /// True for `127.0.0.1`, `::1` and `::ffff:127.0.0.1`, the addresses
    /// allowed to call administrative methods (spec §4.1).
    pub fn is_loopback(&self) -> bool {
        match self.remote_ip.parse::<IpAddr>() {
            Ok(IpAddr::V4(v4)) => v4 == Ipv4Addr::LOCALHOST,
            Ok(IpAddr::V6(v6)) => {
                v6 == Ipv6Addr::LOCALHOST || v6 == Ipv4Addr::LOCALHOST.to_ipv6_mapped()
            }
            Err(_) => false,
        }
    }
}

/// Why the API could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ApiSetupError {
    /// `ZONEMASTER.root_hints` names an unusable file.
    #[error("cannot use the root hints of ZONEMASTER.root_hints")]
    Hints(#[from] HintsError),
}

/// The JSON-RPC API: configuration, profiles, store, metrics and the DNS
/// set-up of the look-up methods. Shared by every connection.
pub struct Api {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) config: BackendConfig,
    pub(crate) profiles: ProfileSet,
    pub(crate) metrics: Metrics,
    pub(crate) telemetry: Telemetry,
    pub(crate) clock: Clock,
    pub(crate) lookup: LookupSetup,
    pub(crate) options: ApiOptions,
    /// `RPCAPI.rate_limit_*`; `None` when off.
    pub(crate) rate_limit: Option<TestRateLimit>,
}

impl Api {
    /// An API over `store` with live DNS from the configured (or
    /// built-in) root hints, the system clock, default limits and no
    /// metrics.
    pub fn new(
        store: Arc<dyn Store>,
        config: BackendConfig,
        profiles: ProfileSet,
    ) -> Result<Self, ApiSetupError> {
        let hints = match &config.zonemaster.root_hints {
            Some(path) => RootHints::from_file(path)?,
            None => RootHints::builtin(),
        };
        let mut live = LiveTransport::new();
        if !config.zonemaster.allow_private_addresses {
            live = live.refusing_special_addresses();
        }
        let lookup = LookupSetup {
            hints,
            families: IpFamilies::default(),
            options: QueryOptions::default(),
            transport: Arc::new(live),
        };
        let rate_limit = TestRateLimit::new(
            config.rpcapi.rate_limit_tests_per_minute,
            config.rpcapi.rate_limit_burst,
        );
        let options = ApiOptions::from_config(&config.rpcapi);
        Ok(Self {
            store,
            config,
            profiles,
            metrics: Metrics::disabled(),
            telemetry: Telemetry::disabled(),
            clock: Arc::new(chrono::Utc::now),
            lookup,
            options,
            rate_limit,
        })
    }

    /// The same API sending metrics to `metrics`.
    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.metrics = metrics;
        self
    }

    /// The same API counting requests in `telemetry` (Prometheus), beside
    /// StatsD.
    pub fn with_telemetry(mut self, telemetry: Telemetry) -> Self {
        self.telemetry = telemetry;
        self
    }

    /// The same API reading the time from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The same API with other limits.
    pub fn with_options(mut self, options: ApiOptions) -> Self {
        self.options = options;
        self
    }

    /// The same API resolving with `lookup` (hints, timing, transport).
    pub fn with_lookup(mut self, lookup: LookupSetup) -> Self {
        self.lookup = lookup;
        self
    }

    /// The limits in force.
    pub fn options(&self) -> &ApiOptions {
        &self.options
    }

    /// The current time.
    pub(crate) fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// Answers one HTTP body: a response object, or an array for a batch.
    pub async fn handle(&self, body: &[u8], caller: &Caller) -> Value {
        match parse_body(body, self.options.max_batch_requests) {
            Ok(Body::Single(value)) => self.handle_one(value, caller).await,
            Ok(Body::Batch(values)) => {
                let responses = values
                    .into_iter()
                    .map(|value| self.handle_one(value, caller));
                #[allow(
                    clippy::disallowed_methods,
                    reason = "a JSON-RPC batch, not a DNS run: no critical path to keep"
                )]
                let answered = join_all(responses);
                Value::Array(answered.await)
            }
            Err(error) => self.refuse(&error),
        }
    }

    /// The response to a body refused before any request in it was read
    /// (counted under `unknown`).
    pub fn refuse(&self, error: &RpcError) -> Value {
        self.record("unknown", error.status());
        self.telemetry
            .api_request("unknown", Some(error_code(error)), None);
        failure(Value::Null, error)
    }

    /// Answers one request value.
    async fn handle_one(&self, value: Value, caller: &Caller) -> Value {
        let started = Instant::now();
        let request = match check_envelope(value) {
            Ok(request) => request,
            Err(error) => return self.refuse(&error),
        };
        let known = Method::from_name(&request.method);
        // Only our own names in metric keys, to bound their number.
        let metric_name = known.map_or("unknown", Method::name);
        let method = known.filter(|method| method.is_enabled(&self.config.rpcapi));
        let outcome = match method {
            Some(method) => self.run(method, &request, caller).await,
            None => Err(RpcError::MethodNotFound {
                method: request.method.clone(),
            }),
        };
        match outcome {
            Ok(result) => {
                self.record(metric_name, Status::Success);
                self.telemetry
                    .api_request(metric_name, None, Some(started.elapsed()));
                success(request.id, result)
            }
            Err(error) => {
                self.log_failure(&request.method, &error);
                self.record(metric_name, error.status());
                if matches!(error, RpcError::Store(_)) {
                    self.telemetry.database_error("api_request");
                }
                let code = Some(error_code(&error));
                self.telemetry
                    .api_request(metric_name, code, Some(started.elapsed()));
                failure(request.id, &error)
            }
        }
    }

    /// Validates the params of an enabled method and runs it.
    async fn run(
        &self,
        method: Method,
        request: &Request,
        caller: &Caller,
    ) -> Result<Value, RpcError> {
        let params = self.checked_params(method, request.params.as_ref())?;
        self.check_rate(method, &params, caller)?;
        methods::call(self, method, params, caller).await
    }

    /// Counts the tests `method` would start against the caller's
    /// `RPCAPI.rate_limit_*` budget: one for a test (reused or not: the
    /// limit is checked before the store is asked), one per domain for a
    /// batch.
    fn check_rate(
        &self,
        method: Method,
        params: &Map<String, Value>,
        caller: &Caller,
    ) -> Result<(), RpcError> {
        let Some(limit) = &self.rate_limit else {
            return Ok(());
        };
        let requested = match method {
            Method::StartDomainTest | Method::JobCreate => 1,
            Method::AddBatchJob | Method::BatchCreate => params
                .get("domains")
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            _ => return Ok(()),
        };
        limit
            .take(&caller.remote_ip, requested, self.now())
            .map_err(|over| RpcError::RateLimited {
                remote_ip: caller.remote_ip.clone(),
                requested,
                retry_after: over.retry_after,
            })
    }

    /// The params, coerced, or -32602 (spec §2.2 step 3).
    fn checked_params(
        &self,
        method: Method,
        params: Option<&Value>,
    ) -> Result<Map<String, Value>, RpcError> {
        let schema = method.schema(&self.options);
        let params = match params {
            // A method without params takes absence, null or {}.
            None | Some(Value::Null) if !schema.has_required() => return Ok(Map::new()),
            None => return Err(RpcError::MissingParams),
            Some(params) => params,
        };
        let known = Known {
            profiles: &self.profiles,
            languages: &self.config.language.locales,
            allows_private_addresses: self.config.zonemaster.allow_private_addresses,
        };
        match validate(&schema.0, params, known) {
            Ok(Value::Object(coerced)) => Ok(coerced),
            Ok(_) => Ok(Map::new()),
            Err(violations) => {
                let language = self.message_language(params);
                Err(RpcError::InvalidParams {
                    message: api_text(ApiText::InvalidParams, &[], language).text,
                    items: violations
                        .iter()
                        .map(|violation| ParamError {
                            path: violation.path.clone(),
                            message: violation.problem.message(language),
                        })
                        .collect(),
                })
            }
        }
    }

    /// The language of validation messages: `params.language` when it is a
    /// configured language code, else English (spec §2.4).
    pub(crate) fn message_language(&self, params: &Value) -> Language {
        params
            .get("language")
            .and_then(Value::as_str)
            .filter(|code| self.config.language.locales.contains_key(*code))
            .map_or(Language::En, |code| self.catalog_language(code))
    }

    /// The catalog for a configured language code; English (logged) when
    /// we have none for it.
    pub(crate) fn catalog_language(&self, code: &str) -> Language {
        code.parse().unwrap_or_else(|_| {
            tracing::warn!(
                language = code,
                "no message catalog for this configured language; English is used"
            );
            Language::En
        })
    }

    /// Counts a request for the metrics.
    fn record(&self, method: &str, status: Status) {
        self.metrics
            .count(&format!("rpcapi.requests.{method}.{}", status.as_str()));
    }

    /// Logs a failed request: our faults at error level, with the cause.
    fn log_failure(&self, method: &str, error: &RpcError) {
        if error.is_internal() {
            let mut chain = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                chain.push_str(": ");
                chain.push_str(&cause.to_string());
                source = cause.source();
            }
            tracing::error!(method, error = %chain, "request failed");
        } else {
            tracing::debug!(method, error = %error, "request refused");
        }
    }
}

/// The numeric JSON-RPC code of `error` (some are sent as strings, as
/// the reference does), for the Prometheus `result` label.
fn error_code(error: &RpcError) -> i64 {
    let object = error.to_error_object();
    let code = &object["code"];
    code.as_i64()
        .or_else(|| code.as_str().and_then(|text| text.parse().ok()))
        .unwrap_or(super::error::INTERNAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_callers_are_the_three_spec_addresses() {
        let caller = |ip: &str| Caller::direct(ip.to_owned());
        assert!(caller("127.0.0.1").is_loopback());
        assert!(caller("::1").is_loopback());
        assert!(caller("::ffff:127.0.0.1").is_loopback());
        assert!(!caller("127.0.0.2").is_loopback());
        assert!(!caller("192.0.2.1").is_loopback());
        assert!(!caller("localhost").is_loopback());
        assert!(caller("::1").is_local_administrator());
        let proxied = Caller::forwarded_by_untrusted("127.0.0.1".to_owned());
        assert!(proxied.is_loopback() && !proxied.is_local_administrator());
    }

    #[test]
    fn error_codes_are_numbers_whether_sent_as_text_or_not() {
        let parse = RpcError::Parse {
            diagnostic: String::new(),
        };
        assert_eq!(error_code(&parse), -32700);
        assert_eq!(error_code(&RpcError::MissingParams), -32602);
        let missing = RpcError::TestNotFound {
            test_id: "0".into(),
        };
        assert_eq!(error_code(&missing), -32000);
    }
}
