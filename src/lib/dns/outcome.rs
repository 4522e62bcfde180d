//! What came of a query: a reply, silence, a network error or garbage.
//!
//! Every variant is a finding about the server, so none of them is an
//! `Err`. Replies we did not accept (wrong source address, wrong ID) are
//! kept as [`Stray`]s on the outcome instead of vanishing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::packet::Packet;
use super::query::Protocol;

/// The result of one query after retries and truncation fallback.
#[derive(Clone, Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "outcomes live behind an Arc in the cache; boxing adds a second allocation"
)]
pub enum Outcome {
    /// A reply that decoded (possibly with malformed records inside).
    Response(Response),
    /// A reply that could not be decoded at all (shorter than a header).
    Malformed {
        /// The bytes as received.
        raw: Arc<[u8]>,
        /// Who sent them.
        from: SocketAddr,
        /// Time from sending to receiving.
        rtt: Duration,
        /// Replies ignored on the way.
        strays: Vec<Stray>,
    },
    /// Nothing usable arrived within the attempts the profile allows.
    Timeout {
        /// Replies ignored on the way.
        strays: Vec<Stray>,
    },
    /// Replay only: the recording holds no answer to this query, so the
    /// verdict that depends on it cannot be compared with the recording.
    ReplayMiss,
    /// The network said no: unreachable, connection refused, no route.
    NetworkError {
        /// What kind of failure.
        kind: NetworkErrorKind,
        /// The operating system's words, for logs.
        message: String,
    },
}

/// Kinds of network failure the engine can tell apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkErrorKind {
    /// No route, network unreachable, host unreachable.
    Unreachable,
    /// ICMP port unreachable on UDP, RST on TCP.
    Refused,
    /// The TCP connection broke or closed mid-reply.
    ConnectionLost,
    /// Anything else the operating system reported.
    Other,
}

/// An accepted reply.
#[derive(Clone, Debug)]
pub struct Response {
    /// The decoded message.
    pub packet: Packet,
    /// The message exactly as received.
    pub raw: Arc<[u8]>,
    /// The address and port it came from.
    pub from: SocketAddr,
    /// Time from the last send to this reply.
    pub rtt: Duration,
    /// When it arrived (DNSSEC validity is judged against this in replay).
    pub received_at: SystemTime,
    /// The protocol that finally carried the reply.
    pub protocol: Protocol,
    /// Whether the UDP reply was truncated and re-asked (EDNS 4096 or TCP).
    pub fell_back: bool,
    /// The reply's question does not match ours (or is missing); we still
    /// accept a reply with the right source and ID, and say so here.
    pub has_question_mismatch: bool,
    /// Replies ignored on the way.
    pub strays: Vec<Stray>,
}

/// A reply we did not accept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stray {
    /// Who sent it.
    pub from: SocketAddr,
    /// Why it was not accepted.
    pub reason: StrayReason,
    /// Its bytes.
    pub raw: Arc<[u8]>,
}

/// Why a reply was set aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrayReason {
    /// It came from another address or port than the one asked.
    ForeignSource,
    /// Its message ID is not the one we sent.
    IdMismatch,
    /// It is not a response (QR clear).
    NotAResponse,
}

impl Outcome {
    /// The accepted reply, if there is one.
    pub fn response(&self) -> Option<&Response> {
        match self {
            Self::Response(response) => Some(response),
            _ => None,
        }
    }

    /// The decoded packet, if there is one.
    pub fn packet(&self) -> Option<&Packet> {
        self.response().map(|response| &response.packet)
    }

    /// True for a timeout or a network error: the server said nothing.
    pub fn is_no_response(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::NetworkError { .. })
    }

    /// The round-trip time of a reply, decoded or not.
    pub fn rtt(&self) -> Option<Duration> {
        match self {
            Self::Response(response) => Some(response.rtt),
            Self::Malformed { rtt, .. } => Some(*rtt),
            _ => None,
        }
    }

    /// Queries this outcome cost one after the other: two when a
    /// truncated reply was asked again (the second could only be sent
    /// once the first was in), one otherwise.
    pub fn round_trips(&self) -> u32 {
        match self {
            Self::Response(response) if response.fell_back => 2,
            _ => 1,
        }
    }

    /// A short description for logs and `--json` output.
    pub fn summary(&self) -> String {
        match self {
            Self::Response(response) => format!(
                "{} from {} in {} ms{}",
                response.packet.rcode,
                response.from,
                response.rtt.as_millis(),
                if response.packet.tc { " (TC)" } else { "" }
            ),
            Self::Malformed { raw, from, .. } => {
                format!("undecodable reply of {} octets from {from}", raw.len())
            }
            Self::Timeout { .. } => "no response".to_owned(),
            Self::ReplayMiss => "not in the recording".to_owned(),
            Self::NetworkError { message, .. } => format!("network error: {message}"),
        }
    }
}
