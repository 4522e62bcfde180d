//! [`AsnLookups`]: the run's AS-number look-ups, each address once, all
//! at once, each within one timeout.
//!
//! The reference asks address after address and source after source, so
//! unreachable sources cost it a timeout per address and per source. Here
//! a test case hands over all of its addresses together; they are looked
//! up concurrently, and each look-up (all of its sources) is cut off one
//! profile timeout (`resolver.defaults.timeout`) after it started, as a
//! database error. A test case therefore waits one timeout at most for
//! all of its look-ups together. Results are memoised per run: when
//! CONNECTIVITY03 and 04 want the same address, whichever asks second
//! shares the first one's look-up.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

use crate::dns::chain::join_all;
use hickory_proto::rr::{Name, RecordType};

use super::{AsnLookup, AsnOutcome, cymru, ripe};
use crate::dns::{Packet, Rcode, WhoisOutcome};
use crate::engine::families::IpFamilies;
use crate::engine::profile::{AsnStyle, Profile};
use crate::engine::recursor::Recursor;

type SharedLookup = Shared<BoxFuture<'static, Arc<AsnLookup>>>;

/// The run's AS-number look-ups (engine spec §1.12), memoised.
pub struct AsnLookups {
    service: Arc<Service>,
    memo: Mutex<HashMap<IpAddr, SharedLookup>>,
}

impl std::fmt::Debug for AsnLookups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsnLookups")
            .field("style", &self.service.style)
            .field("sources", &self.service.sources)
            .field("bound", &self.service.bound)
            .finish_non_exhaustive()
    }
}

/// What one look-up needs: where to ask and how long it may take.
struct Service {
    recursor: Arc<Recursor>,
    style: AsnStyle,
    sources: Vec<String>,
    bound: Duration,
    families: IpFamilies,
    started: AtomicUsize,
}

impl AsnLookups {
    /// Look-ups as `profile` says (`asn_db.style`, `asn_db.sources`,
    /// `resolver.defaults.timeout`), asking through `recursor`.
    pub fn new(recursor: Arc<Recursor>, profile: &Profile) -> Self {
        let style = profile.asn_db_style();
        let families = recursor.families();
        Self {
            service: Arc::new(Service {
                recursor,
                style,
                sources: profile.asn_db_sources().of(style).to_vec(),
                bound: profile.timeout(),
                families,
                started: AtomicUsize::new(0),
            }),
            memo: Mutex::new(HashMap::new()),
        }
    }

    /// Looks up every address of `addresses` at once; results in the
    /// same order. An address looked up before in this run is not asked
    /// again.
    pub async fn look_up(&self, addresses: &[IpAddr]) -> Vec<Arc<AsnLookup>> {
        let pending: Vec<SharedLookup> = addresses
            .iter()
            .map(|address| self.lookup_of(address.to_canonical()))
            .collect();
        join_all(pending).await
    }

    /// How long one look-up may take.
    pub fn bound(&self) -> Duration {
        self.service.bound
    }

    /// Look-ups started so far in this run (one per distinct address).
    pub fn started(&self) -> usize {
        self.service.started.load(Ordering::Relaxed)
    }

    fn lookup_of(&self, address: IpAddr) -> SharedLookup {
        let mut memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        memo.entry(address)
            .or_insert_with(|| {
                let service = Arc::clone(&self.service);
                async move { Arc::new(service.look_up(address).await) }
                    .boxed()
                    .shared()
            })
            .clone()
    }
}

impl Service {
    /// One address, source after source, cut off after [`Self::bound`].
    async fn look_up(&self, address: IpAddr) -> AsnLookup {
        self.started.fetch_add(1, Ordering::Relaxed);
        let tried = Mutex::new(Vec::new());
        let outcome = tokio::time::timeout(self.bound, self.ask_sources(address, &tried))
            .await
            .unwrap_or_else(|_elapsed| {
                tracing::debug!(%address, bound = ?self.bound, "AS look-up cut off");
                AsnOutcome::DatabaseError
            });
        let sources = tried.into_inner().unwrap_or_else(PoisonError::into_inner);
        AsnLookup { sources, outcome }
    }

    /// Tries the sources in order until one answers usably; none did is
    /// a database error.
    async fn ask_sources(&self, address: IpAddr, tried: &Mutex<Vec<String>>) -> AsnOutcome {
        for source in &self.sources {
            tried
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(source.clone());
            let answer = match self.style {
                AsnStyle::Cymru => self.ask_cymru(address, source).await,
                AsnStyle::Ripe => self.ask_ripe(address, source).await,
            };
            if let Some(outcome) = answer {
                return outcome;
            }
        }
        AsnOutcome::DatabaseError
    }

    /// The TXT record for `address` at `source`; `None` when the source
    /// gave no usable answer (silence, SERVFAIL, REFUSED, an NXDOMAIN
    /// from outside the source's zone).
    async fn ask_cymru(&self, address: IpAddr, source: &str) -> Option<AsnOutcome> {
        let source = source_name(source)?;
        let name = cymru::query_name(address, &source).ok()?;
        let resolution = self.recursor.recurse(&name, RecordType::TXT).await;
        let packet = resolution.packet()?;
        match packet.rcode {
            Rcode::NOERROR => {
                let strings: Vec<String> = packet
                    .answers_of(RecordType::TXT)
                    .filter_map(cymru::txt_text)
                    .collect();
                Some(cymru::judge_txt(
                    address,
                    strings.iter().map(String::as_str),
                ))
            }
            Rcode::NXDOMAIN if has_soa_of(packet, &source) => Some(AsnOutcome::Empty),
            _ => None,
        }
    }

    /// The WHOIS reply of the first address of `source` that gives one;
    /// `None` when none does.
    async fn ask_ripe(&self, address: IpAddr, source: &str) -> Option<AsnOutcome> {
        let host = source_name(source)?;
        let question = ripe::question(address);
        let servers = self.recursor.addresses_for(&host).await;
        for server in servers.into_iter().filter(|s| self.families.allows(*s)) {
            let client = self.recursor.client();
            match client.whois(server, &question, self.bound).await {
                WhoisOutcome::Reply(text) => return Some(ripe::judge_reply(&text)),
                WhoisOutcome::NoResponse(reason) => {
                    tracing::debug!(%server, %reason, "WHOIS server did not answer");
                }
            }
        }
        None
    }
}

/// A source from the profile as a fully qualified name.
fn source_name(source: &str) -> Option<Name> {
    let mut name = Name::from_ascii(source).ok()?;
    name.set_fqdn(true);
    Some(name)
}

/// True when the authority section has an SOA of `source`'s zone (the
/// source itself or a zone inside it): the database says "no such
/// address", not some zone above it that never heard of the source.
fn has_soa_of(packet: &Packet, source: &Name) -> bool {
    packet
        .authority
        .iter()
        .any(|record| record.record_type() == RecordType::SOA && source.zone_of(&record.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::Transport;
    use crate::engine::context::run_client;
    use crate::engine::testing::World;

    fn lookups_in(world: &World) -> AsnLookups {
        let transport: Arc<dyn Transport> = Arc::new(world.clone());
        let profile = Profile::default();
        let client = run_client(&transport, &profile);
        let recursor = Recursor::new(client, world.root_hints(), IpFamilies::default());
        AsnLookups::new(Arc::new(recursor), &profile)
    }

    #[tokio::test]
    async fn each_address_is_looked_up_once_per_run() {
        let world = World::with_delegation("example.com.", &[("ns1.example.com.", "192.0.2.1")]);
        let lookups = lookups_in(&world);
        let (a, b): (IpAddr, IpAddr) =
            ("192.0.2.1".parse().unwrap(), "2001:db8::1".parse().unwrap());
        let (first, second) =
            crate::dns::chain::join(lookups.look_up(&[a, b]), lookups.look_up(&[b, a])).await;
        assert_eq!(lookups.started(), 2);
        assert!(Arc::ptr_eq(&first[0], &second[1]));
        assert!(Arc::ptr_eq(&first[1], &second[0]));
        let again = lookups.look_up(&[a]).await;
        assert_eq!(lookups.started(), 2);
        assert!(Arc::ptr_eq(&first[0], &again[0]));
        // Neither default source exists in this world.
        assert_eq!(first[0].outcome, AsnOutcome::DatabaseError);
        assert_eq!(
            first[0].sources,
            ["asnlookup.zonemaster.net", "asn.cymru.com"]
        );
    }

    #[test]
    fn the_bound_is_the_profile_timeout() {
        let world = World::new();
        assert_eq!(lookups_in(&world).bound(), Duration::from_secs(5));
    }

    #[test]
    fn sources_become_names_and_only_their_own_soa_means_empty() {
        let source = source_name("asnlookup.zonemaster.net").unwrap();
        assert!(source.is_fqdn());
        let soa = |owner: &str| {
            crate::engine::testing::parse_record(&format!(
                "{owner} SOA ns.example. h.example. 1 2 3 4 5"
            ))
            .unwrap()
        };
        let mut packet = Packet::decode(&[0u8; 12]).unwrap();
        packet.authority = vec![soa("asnlookup.zonemaster.net.")];
        assert!(has_soa_of(&packet, &source));
        packet.authority = vec![soa("origin.asnlookup.zonemaster.net.")];
        assert!(has_soa_of(&packet, &source));
        packet.authority = vec![soa("net.")];
        assert!(!has_soa_of(&packet, &source));
        packet.authority = vec![soa(".")];
        assert!(!has_soa_of(&packet, &source));
    }
}
