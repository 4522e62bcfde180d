//! Answering from a recording, never touching the network.
//!
//! A query is matched on the server address, the name (case-insensitive),
//! type and class, then on EDNS presence, DO, protocol and RD; among what is
//! left an exact match of every EDNS field wins. These are the fields the
//! conformance README shows are needed to tell recorded queries apart.
//!
//! A Zonemaster `.data` recording read without its index holds its replies
//! under the reference's opaque query keys instead; a query that matches
//! nothing above is then looked up under each key it may have been filed
//! under ([`zonemaster_keys`]). A query with no match is an explicit
//! [`Outcome::ReplayMiss`], never an invented timeout: it means we asked
//! something the recording never saw.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use hickory_proto::rr::Name;

use super::outcome::Outcome;
use super::query::{Protocol, Query};
use super::recording::{Entry, RecordingError};
use super::transport::{AxfrOutcome, Request, Transport};
use super::zonemaster_key::zonemaster_keys;

/// Server, lower-case name without the final dot, type, class.
type LooseKey = (IpAddr, String, u16, u16);

/// A transport that answers from recorded exchanges.
#[derive(Default)]
pub struct Replayer {
    queries: HashMap<LooseKey, Vec<(Query, Outcome)>>,
    /// Server and Zonemaster query key: replies of a `.data` recording
    /// read without its index.
    keyed: HashMap<(IpAddr, String), Outcome>,
    transfers: HashMap<(IpAddr, String), AxfrOutcome>,
    misses: Mutex<Vec<(IpAddr, Query)>>,
}

impl Replayer {
    /// An empty replayer: every query misses.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads a recording written by [`super::Recorder`].
    pub fn from_file(path: &Path) -> Result<Self, RecordingError> {
        let io_error = |source| RecordingError::Io {
            path: path.to_owned(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io_error)?;
        Self::from_reader(BufReader::new(file), path)
    }

    /// Loads a recording from `reader`; `path` names it in errors.
    pub(crate) fn from_reader(reader: impl BufRead, path: &Path) -> Result<Self, RecordingError> {
        let io_error = |source| RecordingError::Io {
            path: path.to_owned(),
            source,
        };
        let mut replayer = Self::new();
        for (index, line) in reader.lines().enumerate() {
            let line = line.map_err(io_error)?;
            if line.trim().is_empty() {
                continue;
            }
            let syntax = |reason: String| RecordingError::Syntax {
                path: path.to_owned(),
                line: index + 1,
                reason,
            };
            let entry: Entry =
                serde_json::from_str(&line).map_err(|error| syntax(error.to_string()))?;
            replayer.add_entry(entry).map_err(syntax)?;
        }
        Ok(replayer)
    }

    fn add_entry(&mut self, entry: Entry) -> Result<(), String> {
        match (entry.query, entry.outcome, entry.axfr, entry.axfr_outcome) {
            (Some(query), Some(outcome), None, None) => {
                self.insert(entry.server, query, outcome.to_outcome()?);
                Ok(())
            }
            (None, None, Some(zone), Some(outcome)) => {
                let zone = normalise(&zone);
                self.transfers
                    .insert((entry.server.to_canonical(), zone), outcome.to_outcome()?);
                Ok(())
            }
            _ => {
                Err("an entry needs either query and outcome, or axfr and axfr_outcome".to_owned())
            }
        }
    }

    /// Adds one recorded exchange; earlier entries win on exact duplicates.
    pub fn insert(&mut self, server: IpAddr, query: Query, outcome: Outcome) {
        self.queries
            .entry(loose_key(server, &query))
            .or_default()
            .push((query, outcome));
    }

    /// Adds one reply of a Zonemaster recording under its query key
    /// (see [`super::zonemaster_key`]); later entries win.
    pub fn insert_keyed(&mut self, server: IpAddr, key: String, outcome: Outcome) {
        self.keyed.insert((server.to_canonical(), key), outcome);
    }

    /// Number of recorded query exchanges.
    pub fn len(&self) -> usize {
        self.queries.values().map(Vec::len).sum::<usize>() + self.keyed.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty() && self.keyed.is_empty() && self.transfers.is_empty()
    }

    /// Every exchange recorded with its query: server, query, outcome
    /// (order unspecified; replies filed by key alone are not listed).
    pub fn entries(&self) -> impl Iterator<Item = (IpAddr, &Query, &Outcome)> {
        self.queries.iter().flat_map(|((server, ..), entries)| {
            entries
                .iter()
                .map(move |(query, outcome)| (*server, query, outcome))
        })
    }

    /// When the recording was made, as far as it tells: the latest arrival
    /// time of its replies (`None` without any). A replayed run judges
    /// time-bound data (signature validity) as of then.
    pub fn recorded_at(&self) -> Option<std::time::SystemTime> {
        self.entries()
            .filter_map(|(_, _, outcome)| match outcome {
                Outcome::Response(response) => Some(response.received_at),
                _ => None,
            })
            .max()
    }

    /// Queries asked that the recording could not answer.
    pub fn misses(&self) -> Vec<(IpAddr, Query)> {
        self.misses
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The recorded outcome for `query` to `server`, if any: matched on
    /// its fields, else under one of its Zonemaster query keys.
    pub fn find(&self, server: IpAddr, query: &Query) -> Option<&Outcome> {
        self.find_by_fields(server, query)
            .or_else(|| self.find_by_key(server, query))
    }

    fn find_by_key(&self, server: IpAddr, query: &Query) -> Option<&Outcome> {
        if self.keyed.is_empty() {
            return None;
        }
        let server = server.to_canonical();
        zonemaster_keys(query)
            .into_iter()
            .find_map(|key| self.keyed.get(&(server, key)))
    }

    fn find_by_fields(&self, server: IpAddr, query: &Query) -> Option<&Outcome> {
        let candidates = self.queries.get(&loose_key(server, query))?;
        if let Some((_, outcome)) = candidates.iter().find(|(recorded, _)| recorded == query) {
            return Some(outcome);
        }
        let compatible: Vec<&(Query, Outcome)> = candidates
            .iter()
            .filter(|(recorded, _)| same_shape(recorded, query))
            .collect();
        compatible
            .iter()
            .find(|(recorded, _)| recorded.edns == query.edns)
            .or_else(|| compatible.first())
            .map(|(_, outcome)| outcome)
    }
}

impl Transport for Replayer {
    fn waits_on_the_network(&self) -> bool {
        false
    }

    fn exchange<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Outcome> {
        let outcome = match self.find(request.server, &request.query) {
            Some(outcome) => over_protocol(outcome.clone(), request.query.protocol),
            None => {
                let mut misses = self.misses.lock().unwrap_or_else(PoisonError::into_inner);
                misses.push((request.server, request.query.clone()));
                Outcome::ReplayMiss
            }
        };
        async move { outcome }.boxed()
    }

    fn axfr<'a>(
        &'a self,
        server: IpAddr,
        zone: &'a Name,
        _timeout: Duration,
    ) -> BoxFuture<'a, AxfrOutcome> {
        let key = (server.to_canonical(), normalise(&zone.to_ascii()));
        let outcome = self
            .transfers
            .get(&key)
            .cloned()
            .unwrap_or_else(|| AxfrOutcome::NoResponse("not in the recording".to_owned()));
        async move { outcome }.boxed()
    }
}

/// A reply to a TCP query came over TCP, whatever the recording says:
/// Zonemaster's recordings do not say how a reply travelled.
fn over_protocol(outcome: Outcome, asked: Protocol) -> Outcome {
    match outcome {
        Outcome::Response(mut response) if asked == Protocol::Tcp => {
            response.protocol = Protocol::Tcp;
            Outcome::Response(response)
        }
        other => other,
    }
}

/// EDNS presence, DO, protocol and RD agree.
fn same_shape(recorded: &Query, asked: &Query) -> bool {
    let dnssec_ok = |query: &Query| query.edns.as_ref().map(|edns| edns.dnssec_ok);
    dnssec_ok(recorded) == dnssec_ok(asked)
        && recorded.protocol == asked.protocol
        && recorded.rd == asked.rd
}

fn loose_key(server: IpAddr, query: &Query) -> LooseKey {
    (
        server.to_canonical(),
        normalise(&query.name.to_ascii()),
        u16::from(query.rtype),
        u16::from(query.class),
    )
}

/// Lower case, no final dot, `.` for the root.
pub(crate) fn normalise(name: &str) -> String {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.is_empty() {
        ".".to_owned()
    } else {
        trimmed.to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::RecordType;

    fn timeout() -> Outcome {
        Outcome::Timeout { strays: Vec::new() }
    }

    #[test]
    fn match_ignores_case_but_not_shape() {
        let server: IpAddr = "192.0.2.1".parse().unwrap();
        let mut replayer = Replayer::new();
        let query = Query::new(Name::from_ascii("Example.").unwrap(), RecordType::SOA);
        replayer.insert(server, query.clone(), timeout());
        let lower = Query::new(Name::from_ascii("example").unwrap(), RecordType::SOA);
        assert!(replayer.find(server, &lower).is_some());
        assert!(
            replayer
                .find(server, &lower.clone().with_dnssec())
                .is_none()
        );
        assert!(
            replayer
                .find(server, &lower.clone().over(Protocol::Tcp))
                .is_none()
        );
        assert!(
            replayer
                .find("192.0.2.2".parse().unwrap(), &lower)
                .is_none()
        );
    }

    #[tokio::test]
    async fn a_miss_is_explicit_and_listed() {
        let replayer = Replayer::new();
        let request = Request {
            server: "192.0.2.1".parse().unwrap(),
            query: Query::new(Name::root(), RecordType::NS),
            options: Default::default(),
        };
        assert!(matches!(
            replayer.exchange(&request).await,
            Outcome::ReplayMiss
        ));
        assert_eq!(replayer.misses().len(), 1);
    }

    #[tokio::test]
    async fn a_keyed_reply_answers_the_query_it_was_filed_under() {
        let server: IpAddr = "192.0.2.1".parse().unwrap();
        let mut replayer = Replayer::new();
        // The index's key for `se SOA`, plain, and an unrelated key.
        replayer.insert_keyed(server, "6mX4k1tezHC5iElg0RYnCw".to_owned(), timeout());
        replayer.insert_keyed(server, "unrelated".to_owned(), Outcome::ReplayMiss);
        assert_eq!(replayer.len(), 2);
        let asked = |query: Query, server| Request {
            server,
            query,
            options: Default::default(),
        };
        let se = Query::new(Name::from_ascii("SE.").unwrap(), RecordType::SOA);
        let answered = replayer.exchange(&asked(se.clone(), server)).await;
        assert!(matches!(answered, Outcome::Timeout { .. }), "{answered:?}");
        let other_server = "192.0.2.2".parse().unwrap();
        let elsewhere = replayer.exchange(&asked(se.clone(), other_server)).await;
        assert!(matches!(elsewhere, Outcome::ReplayMiss));
        let with_dnssec = replayer.exchange(&asked(se.with_dnssec(), server)).await;
        assert!(matches!(with_dnssec, Outcome::ReplayMiss));
        assert_eq!(replayer.misses().len(), 2);
    }
}
