//! The one trait every way of asking a server goes through.

use std::net::IpAddr;
use std::time::Duration;

use futures::future::BoxFuture;
use hickory_proto::rr::{Name, Record};

use super::outcome::Outcome;
use super::query::Query;
use super::whois::WhoisOutcome;

/// Timing and truncation knobs of one query, from the profile's
/// `resolver.defaults.*` (engine spec §1.4, §1.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QueryOptions {
    /// How long one attempt waits for a reply.
    pub timeout: Duration,
    /// Attempts in all (at least one).
    pub retry: u8,
    /// Time between the starts of two attempts.
    pub retrans: Duration,
    /// Re-ask a truncated UDP reply with EDNS 4096 / over TCP.
    pub fallback: bool,
}

impl Default for QueryOptions {
    /// The default profile: 5 s, 2 attempts, 3 s apart, fallback on.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(5),
            retry: 2,
            retrans: Duration::from_secs(3),
            fallback: true,
        }
    }
}

/// One query to one server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The server's address; port 53 unless the transport is told otherwise.
    pub server: IpAddr,
    /// The question.
    pub query: Query,
    /// Timing and fallback.
    pub options: QueryOptions,
}

/// The result of a zone transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AxfrOutcome {
    /// The whole zone, first and last record the SOA.
    Complete(Vec<Record>),
    /// The server refused or answered with an error RCODE.
    Refused(super::packet::Rcode),
    /// The transfer started but did not finish cleanly.
    Broken {
        /// What arrived before the failure.
        records: Vec<Record>,
        /// Why it stopped.
        reason: String,
    },
    /// No connection or no reply.
    NoResponse(String),
    /// The transfer began (its first record is the SOA) and only its
    /// first message was read, as asked ([`Transport::axfr_first`]).
    Started(Vec<Record>),
}

/// A way of asking: live sockets, recording, or replay.
pub trait Transport: Send + Sync {
    /// Sends one query (with retries and truncation fallback) and returns
    /// what came of it.
    fn exchange<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Outcome>;

    /// Transfers `zone` from `server` over TCP (RFC 5936).
    fn axfr<'a>(
        &'a self,
        server: IpAddr,
        zone: &'a Name,
        timeout: Duration,
    ) -> BoxFuture<'a, AxfrOutcome>;

    /// Asks the WHOIS server at `server` (TCP port 43) `question`, for
    /// the RIPE style of AS-number look-up (engine spec §1.12). Only a
    /// transport that opens sockets can: the others say so.
    fn whois<'a>(
        &'a self,
        server: IpAddr,
        question: &'a str,
        timeout: Duration,
    ) -> BoxFuture<'a, WhoisOutcome> {
        let _ = (server, question, timeout);
        let outcome = WhoisOutcome::NoResponse("this transport does not speak WHOIS".to_owned());
        Box::pin(async move { outcome })
    }

    /// Starts a transfer of `zone` and reads only its first message:
    /// enough to tell whether `server` offers transfers (NAMESERVER03,
    /// engine spec §3.7) without moving the whole zone. A transport that
    /// cannot stop early transfers everything.
    fn axfr_first<'a>(
        &'a self,
        server: IpAddr,
        zone: &'a Name,
        timeout: Duration,
    ) -> BoxFuture<'a, AxfrOutcome> {
        self.axfr(server, zone, timeout)
    }

    /// Whether an exchange waits on a network. Only then are speculative
    /// queries (the recursor's asking ahead) worth sending: a replay
    /// answers at once, and there a guess would only add misses whose
    /// number depends on the tasks' timing.
    fn waits_on_the_network(&self) -> bool {
        true
    }
}
