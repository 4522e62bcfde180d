//! The read-only context every test case of one run shares.
//!
//! One DNS client (one cache) per run, one recursor, one set of memoised
//! name-server methods; the clock is injected so that signature validity
//! can be judged at a fixed time (replays, tests).

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use hickory_proto::rr::Name;

use super::asn::AsnLookups;
use super::families::IpFamilies;
use super::hints::RootHints;
use super::methods::MethodsV2;
use super::profile::Profile;
use super::recursor::Recursor;
use super::stop::StopSignal;
use super::undelegated::FakeDelegation;
use super::zone::ZoneV1;
use crate::dns::{Client, ClientConfig, QueryOptions, Response, Transport};

/// What a run is set up from.
pub struct RunSetup {
    /// The zone to test, normalised.
    pub zone: Name,
    /// The effective profile.
    pub profile: Arc<Profile>,
    /// Root hints.
    pub hints: RootHints,
    /// Live, recording or replaying.
    pub transport: Arc<dyn Transport>,
    /// Supplied NS/DS data, if any.
    pub fake: Option<FakeDelegation>,
    /// "Now" for time-dependent checks.
    pub now: SystemTime,
    /// True when signatures are judged at `now` rather than at the time
    /// each reply arrived ([`Context::time_of`]).
    pub fixed_clock: bool,
}

/// Shared state of one run.
pub struct Context {
    /// The zone under test.
    pub zone: Name,
    /// The effective profile.
    pub profile: Arc<Profile>,
    /// The run's DNS client (cache, statistics).
    pub client: Client,
    /// Iterative resolution from the hints.
    pub recursor: Arc<Recursor>,
    /// MethodsV2 helpers for the zone.
    pub methods: Arc<MethodsV2>,
    /// Version-1 methods for the zone.
    pub zone_v1: Arc<ZoneV1>,
    /// AS-number look-ups, memoised (CONNECTIVITY03 and 04).
    pub asn: Arc<AsnLookups>,
    /// Supplied NS/DS data, if any.
    pub fake: Option<FakeDelegation>,
    /// Allowed IP families.
    pub families: IpFamilies,
    /// "Now" for time-dependent checks.
    pub now: SystemTime,
    /// True when signatures are judged at `now` rather than at the time
    /// each reply arrived.
    pub fixed_clock: bool,
    /// When the run started (message timestamps count from here).
    pub started: Instant,
    /// Ends the run early at a message of its stop level (never, unless
    /// [`Context::stopping_at`] set one).
    pub stop: Arc<StopSignal>,
}

impl Context {
    /// Builds the run's client, recursor and methods.
    pub fn new(setup: RunSetup) -> Self {
        let client = run_client(&setup.transport, &setup.profile);
        Self::with_client(setup, client)
    }

    /// Builds the run around an existing client (and its cache), which
    /// must come from [`run_client`] for the same profile.
    pub fn with_client(setup: RunSetup, client: Client) -> Self {
        let profile = setup.profile;
        let families = families_of(&profile);
        let recursor = Arc::new(Recursor::new(client.clone(), setup.hints, families));
        let methods = Arc::new(MethodsV2::new(
            Arc::clone(&recursor),
            setup.zone.clone(),
            setup.fake.clone(),
        ));
        let zone_v1 = Arc::new(ZoneV1::new(
            Arc::clone(&recursor),
            Arc::clone(&methods),
            setup.zone.clone(),
            setup.fake.clone(),
        ));
        let asn = Arc::new(AsnLookups::new(Arc::clone(&recursor), &profile));
        Self {
            zone: setup.zone,
            profile,
            client,
            recursor,
            methods,
            zone_v1,
            asn,
            fake: setup.fake,
            families,
            now: setup.now,
            fixed_clock: setup.fixed_clock,
            started: Instant::now(),
            stop: Arc::new(StopSignal::never()),
        }
    }

    /// The same run, ended early by `stop` (zonemaster-cli's
    /// `--stop-level`).
    pub fn stopping_at(mut self, stop: Arc<StopSignal>) -> Self {
        self.stop = stop;
        self
    }

    /// The time at which signatures in `response` are judged: the run's
    /// fixed clock when there is one (`--now`, tests), otherwise when the
    /// reply arrived, which in a replay is when it was recorded (a
    /// Zonemaster `.data` file's per-reply `timestamp`).
    pub fn time_of(&self, response: &Response) -> SystemTime {
        if self.fixed_clock {
            self.now
        } else {
            response.received_at
        }
    }

    /// True when the user supplied name servers (spec §1.11).
    pub fn is_undelegated(&self) -> bool {
        self.fake
            .as_ref()
            .is_some_and(FakeDelegation::is_undelegated)
    }
}

/// The IP families the profile allows.
pub fn families_of(profile: &Profile) -> IpFamilies {
    IpFamilies {
        ipv4: profile.ipv4(),
        ipv6: profile.ipv6(),
    }
}

/// The DNS client of a run: the profile's timing over `transport`.
pub fn run_client(transport: &Arc<dyn Transport>, profile: &Profile) -> Client {
    let options = QueryOptions {
        timeout: profile.timeout(),
        retry: profile.retry(),
        retrans: profile.retrans(),
        fallback: profile.fallback(),
    };
    let config = ClientConfig {
        options,
        ..ClientConfig::default()
    };
    Client::new(Arc::clone(transport), config)
}
