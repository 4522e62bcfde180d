//! What came of a query: a reply, silence, a network error or garbage.
//!
//! Every variant is a finding about the server, so none of them is an
//! `Err`. Replies we did not accept (wrong source address, wrong ID) are
//! kept as [`Stray`]s on the outcome instead of vanishing.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, SystemTime};

use super::packet::Packet;
use super::query::Protocol;

/// The result of one query after retries and truncation fallback.
#[derive(Clone, Debug)]
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
    /// How the decoded message is had; read it with [`Response::packet`].
    pub decoded: Decoded,
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

/// Where a response's decoded message comes from.
///
/// A run keeps every reply it received (a query is never sent twice), and
/// decoded they weigh about ten times their wire size: hickory's `Record`
/// is 280 octets, a glue record 20 to 40 on the wire. A large zone's run
/// held 6 MB of decoded replies against 0.6 MB of wire bytes. So a reply
/// is kept as its bytes and decoded when read; while any reader still
/// holds a decoding, or while it is among the thread's latest
/// ([`RECENT`]), the next reader shares it instead of decoding again.
#[derive(Debug)]
pub enum Decoded {
    /// Decoded from [`Response::raw`] on read; the last decoding, while
    /// someone or the latest decodings hold it.
    FromRaw(Mutex<Weak<Packet>>),
    /// Held as built: a reply made in memory by a test's script, with no
    /// wire bytes to decode.
    Kept(Arc<Packet>),
}

impl Decoded {
    /// Decoding on read, for a response whose `raw` decoded as `first`
    /// when it was accepted; `first` serves the readers that come soon.
    pub fn from_raw(first: Packet) -> Self {
        let first = Arc::new(first);
        keep_recent(&first);
        Self::FromRaw(Mutex::new(Arc::downgrade(&first)))
    }

    /// A message held as it is.
    pub fn kept(packet: Packet) -> Self {
        Self::Kept(Arc::new(packet))
    }
}

impl Clone for Decoded {
    fn clone(&self) -> Self {
        match self {
            Self::FromRaw(last) => Self::FromRaw(Mutex::new(lock(last).clone())),
            Self::Kept(packet) => Self::Kept(Arc::clone(packet)),
        }
    }
}

/// How many of its latest decodings each thread keeps alive after their
/// readers let go. Test cases read the same replies over and over (the
/// zone's NS, SOA and DNSKEY answers, the parent's referral) in bursts:
/// without this a large zone's run decoded 7,030 times for 1,601 replies.
/// 64 took that to 3,341 (256: 3,077) and costs at most about 0.6 MB.
const RECENT: usize = 64;

thread_local! {
    static RECENT_DECODINGS: std::cell::RefCell<std::collections::VecDeque<Arc<Packet>>> =
        const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
}

/// Keeps `packet` among this thread's latest decodings, dropping the
/// oldest when they are [`RECENT`] already.
fn keep_recent(packet: &Arc<Packet>) {
    RECENT_DECODINGS.with_borrow_mut(|recent| {
        if recent.len() == RECENT {
            recent.pop_front();
        }
        recent.push_back(Arc::clone(packet));
    });
}

/// The lock holds a weak pointer only: a panic elsewhere leaves nothing
/// half-written in it.
fn lock(last: &Mutex<Weak<Packet>>) -> std::sync::MutexGuard<'_, Weak<Packet>> {
    last.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Response {
    /// A reply from `from` over `protocol`, received now, at once (an RTT
    /// of zero), with nothing unusual about it; set the other fields by
    /// struct update where they differ.
    pub fn new(decoded: Decoded, raw: Arc<[u8]>, from: SocketAddr, protocol: Protocol) -> Self {
        Self {
            decoded,
            raw,
            from,
            rtt: Duration::ZERO,
            received_at: SystemTime::now(),
            protocol,
            fell_back: false,
            has_question_mismatch: false,
            strays: Vec::new(),
        }
    }

    /// The decoded message.
    pub fn packet(&self) -> Arc<Packet> {
        match &self.decoded {
            Decoded::Kept(packet) => Arc::clone(packet),
            Decoded::FromRaw(last) => {
                let mut last = lock(last);
                if let Some(packet) = last.upgrade() {
                    return packet;
                }
                let packet = Arc::new(Packet::decode(&self.raw).expect(
                    "a response decoding on read holds bytes that decoded when it was accepted",
                ));
                *last = Arc::downgrade(&packet);
                keep_recent(&packet);
                packet
            }
        }
    }

    /// The TC bit, read without decoding the message.
    pub fn is_truncated(&self) -> bool {
        match &self.decoded {
            Decoded::Kept(packet) => packet.tc,
            Decoded::FromRaw(_) => self.raw.get(2).is_some_and(|flags| flags & 0x02 != 0),
        }
    }
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
    pub fn packet(&self) -> Option<Arc<Packet>> {
        self.response().map(Response::packet)
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
            Self::Response(response) => {
                let packet = response.packet();
                format!(
                    "{} from {} in {} ms{}",
                    packet.rcode,
                    response.from,
                    response.rtt.as_millis(),
                    if packet.tc { " (TC)" } else { "" }
                )
            }
            Self::Malformed { raw, from, .. } => {
                format!("undecodable reply of {} octets from {from}", raw.len())
            }
            Self::Timeout { .. } => "no response".to_owned(),
            Self::ReplayMiss => "not in the recording".to_owned(),
            Self::NetworkError { message, .. } => format!("network error: {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reply to `x. TXT`, authoritative, with `tc` as given and one TXT
    /// answer.
    fn reply(tc: bool) -> Response {
        let flags = if tc { 0x86 } else { 0x84 };
        let mut wire = vec![0x12, 0x34, flags, 0x00, 0, 1, 0, 1, 0, 0, 0, 0];
        wire.extend_from_slice(b"\x01x\x00\x00\x10\x00\x01");
        wire.extend_from_slice(b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x3c\x00\x03\x02ok");
        let decoded = Decoded::from_raw(Packet::decode(&wire).unwrap());
        let from = SocketAddr::from(([127, 0, 0, 1], 53));
        Response::new(decoded, Arc::from(wire), from, Protocol::Udp)
    }

    fn holds_a_decoding(response: &Response) -> bool {
        match &response.decoded {
            Decoded::FromRaw(last) => lock(last).strong_count() > 0,
            Decoded::Kept(_) => true,
        }
    }

    /// Makes [`RECENT`] other decodings on this thread, so that none made
    /// before is among the latest any more.
    fn decode_others() {
        for _ in 0..RECENT {
            drop(reply(true));
        }
    }

    #[test]
    fn a_reply_is_held_as_bytes_and_decoded_while_read() {
        let response = reply(false);
        let first = response.packet();
        assert_eq!(first.id, 0x1234);
        assert_eq!(first.answer.len(), 1);
        let second = response.packet();
        assert!(
            Arc::ptr_eq(&first, &second),
            "readers at once share one decoding"
        );
        drop((first, second));
        assert!(
            holds_a_decoding(&response),
            "a recent decoding is kept a while"
        );
        decode_others();
        assert!(
            !holds_a_decoding(&response),
            "an old one without readers is not"
        );
        let again = response.packet();
        assert_eq!(*again, Packet::decode(&response.raw).unwrap());
        drop(again);
        decode_others();
        assert!(!holds_a_decoding(&response), "nor is one decoded again");
    }

    #[test]
    fn only_the_latest_decodings_are_kept() {
        let responses: Vec<Response> = (0..RECENT + 10).map(|_| reply(false)).collect();
        let held = responses
            .iter()
            .filter(|response| holds_a_decoding(response))
            .count();
        assert_eq!(held, RECENT);
        assert!(responses[10..].iter().all(holds_a_decoding));
    }

    #[test]
    fn a_clone_shares_the_bytes_and_not_a_finished_decoding() {
        let response = reply(false);
        let held = response.packet();
        let clone = response.clone();
        assert!(Arc::ptr_eq(&held, &clone.packet()));
        drop(held);
        decode_others();
        assert!(!holds_a_decoding(&clone));
        assert!(Arc::ptr_eq(&response.raw, &clone.raw));
    }

    #[test]
    fn truncation_is_read_from_the_header() {
        for tc in [false, true] {
            let response = reply(tc);
            decode_others();
            assert_eq!(response.is_truncated(), tc);
            assert!(
                !holds_a_decoding(&response),
                "reading the bit decoded nothing"
            );
            assert_eq!(response.packet().tc, tc);
        }
        let kept = Response {
            decoded: Decoded::kept(Packet {
                tc: true,
                ..(*reply(false).packet()).clone()
            }),
            raw: Arc::from(Vec::new()),
            ..reply(false)
        };
        assert!(kept.is_truncated());
        assert!(kept.packet().tc);
    }
}
