//! Live sockets: our own UDP/TCP transport on tokio.
//!
//! Hand-written rather than hickory's client because the engine must see
//! what a strict client throws away (see the module doc of `dns`): replies
//! from other addresses, wrong IDs, missing questions, undecodable bytes.
//!
//! Timing (engine spec §1.7): attempt `k` (0-based) is sent `k × retrans`
//! after the first; one socket listens throughout, so a late reply to an
//! earlier attempt still counts; the query gives up `timeout` after the
//! last attempt. A dead server therefore costs
//! `(retry − 1) × retrans + timeout`, and nothing more.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use futures::FutureExt;
use futures::future::BoxFuture;
use hickory_proto::rr::{Name, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::timeout_at;

use super::outcome::{Decoded, NetworkErrorKind, Outcome, Response, Stray, StrayReason};
use super::pacing::Pacer;
use super::packet::{Packet, Rcode};
use super::query::{BIG_EDNS_SIZE, Edns, Protocol, Query};
use super::special_address::special_purpose;
use super::transport::{AxfrOutcome, QueryOptions, Request, Transport};
use super::whois::{WhoisOutcome, ask_whois, whois_address};

/// A source address queries cannot be sent from.
#[derive(Debug, thiserror::Error)]
#[error("cannot send from {address} (is it an address of this host?)")]
pub struct SourceAddressError {
    /// The address.
    pub address: IpAddr,
    /// Why a socket would not bind to it.
    #[source]
    pub source: io::Error,
}

/// Sends real packets.
#[derive(Clone, Debug)]
pub struct LiveTransport {
    port: u16,
    source4: Option<Ipv4Addr>,
    source6: Option<Ipv6Addr>,
    /// Spaces the packets to each address (shared process-wide).
    pacer: Option<Arc<Pacer>>,
    /// Sends nothing to special-purpose addresses (private, loopback, …).
    is_refusing_special_addresses: bool,
}

impl Default for LiveTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl LiveTransport {
    /// Port 53, source addresses chosen by the operating system.
    pub fn new() -> Self {
        Self {
            port: 53,
            source4: None,
            source6: None,
            pacer: None,
            is_refusing_special_addresses: false,
        }
    }

    /// Sends each packet only when `pacer` gives its address a turn (the
    /// process-wide per-server query rate limit).
    pub fn with_pacer(mut self, pacer: Arc<Pacer>) -> Self {
        self.pacer = Some(pacer);
        self
    }

    /// Sends nothing to special-purpose addresses: a query to one is a
    /// network error, a transfer no response (a public service must not
    /// probe its own network for strangers).
    pub fn refusing_special_addresses(mut self) -> Self {
        self.is_refusing_special_addresses = true;
        self
    }

    /// Why nothing may be sent to `server`, if so.
    fn refusal(&self, server: IpAddr) -> Option<String> {
        let range = special_purpose(server).filter(|_| self.is_refusing_special_addresses)?;
        tracing::debug!(%server, range, "query to a special-purpose address not sent");
        Some(format!(
            "not sent: {server} is a special-purpose address ({range})"
        ))
    }

    /// Waits for the pacer's turn to send to `server`. The wait is ours,
    /// not the server's: the time the server has to answer starts when
    /// the packet leaves. A turn further away than
    /// [`super::pacing::MAX_TURN_WAIT`] is not waited for; the query is
    /// reported as not sent, a local error, never as the server's silence.
    async fn take_turn(&self, server: IpAddr) -> Result<(), String> {
        match &self.pacer {
            None => Ok(()),
            Some(pacer) => pacer
                .wait_turn(server)
                .await
                .map_err(|refusal| format!("not sent to {server}: {refusal}")),
        }
    }

    /// Talks to servers on another port (test servers without root).
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sends from these addresses (`resolver.source4` / `resolver.source6`).
    pub fn with_sources(mut self, source4: Option<Ipv4Addr>, source6: Option<Ipv6Addr>) -> Self {
        self.source4 = source4;
        self.source6 = source6;
        self
    }

    /// Checks that this host can send from the source addresses set, so a
    /// wrong one is one clear error before the run, not every query
    /// failing during it.
    ///
    /// # Errors
    ///
    /// [`SourceAddressError`] for the first address no socket binds to.
    pub fn check_sources(&self) -> Result<(), SourceAddressError> {
        let sources = [self.source4.map(IpAddr::V4), self.source6.map(IpAddr::V6)];
        for address in sources.into_iter().flatten() {
            std::net::UdpSocket::bind(SocketAddr::new(address, 0))
                .map_err(|source| SourceAddressError { address, source })?;
        }
        Ok(())
    }

    /// The configured source address of `server`'s family, if any.
    fn source(&self, server: IpAddr) -> Option<IpAddr> {
        match server {
            IpAddr::V4(_) => self.source4.map(IpAddr::V4),
            IpAddr::V6(_) => self.source6.map(IpAddr::V6),
        }
    }

    fn local_address(&self, server: IpAddr) -> SocketAddr {
        let any = match server {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        };
        SocketAddr::new(self.source(server).unwrap_or(any), 0)
    }

    async fn ask(&self, request: &Request) -> Outcome {
        if let Some(message) = self.refusal(request.server) {
            return not_sent(message);
        }
        let server = SocketAddr::new(request.server, self.port);
        let query = &request.query;
        let options = &request.options;
        if query.protocol == Protocol::Tcp {
            return self.ask_tcp(server, query, options).await;
        }
        let first = self.ask_udp(server, query, options).await;
        let falls_back = options.fallback && !query.keeps_truncated;
        if !falls_back || !first.response().is_some_and(Response::is_truncated) {
            return first;
        }
        let mut strays = strays_of(&first);
        if query.edns.is_none() {
            let bigger = query.clone().with_edns(Edns::with_size(BIG_EDNS_SIZE));
            let second = self.ask_udp(server, &bigger, options).await;
            if second
                .response()
                .is_some_and(|response| !response.is_truncated())
            {
                return mark_fallback(second, strays);
            }
            strays.extend(strays_of(&second));
        }
        let over_tcp = self.ask_tcp(server, query, options).await;
        mark_fallback(over_tcp, strays)
    }

    async fn ask_udp(&self, server: SocketAddr, query: &Query, options: &QueryOptions) -> Outcome {
        // The socket is opened when the first turn comes, not before: while
        // the pacer holds back the queries of many tests to one busy
        // address, each waiting query would hold a descriptor, an epoll
        // registration and a bound port. (The agent bench with 256 tests
        // in flight peaked at 7,491 descriptors before, 4,565–5,525 after.)
        if let Err(message) = self.take_turn(server.ip()).await {
            return not_sent(message);
        }
        let socket = match UdpSocket::bind(self.local_address(server.ip())).await {
            Ok(socket) => socket,
            Err(error) => return network_error(&error),
        };
        let id: u16 = rand::random();
        let wire = query.to_wire(id);
        let attempts = options.retry.max(1);
        let mut strays = Vec::new();
        for attempt in 0..attempts {
            if attempt > 0
                && let Err(message) = self.take_turn(server.ip()).await
            {
                return not_sent(message);
            }
            if let Err(error) = socket.send_to(&wire, server).await {
                return network_error(&error);
            }
            let sent_at = Instant::now();
            // Each attempt has `retrans` to be answered before the next
            // is sent, the last one `timeout`; all counted from the send.
            let window = if attempt + 1 < attempts {
                options.retrans
            } else {
                options.timeout
            };
            let next_attempt = sent_at + window;
            loop {
                let received = timeout_at(next_attempt.into(), receive(&socket)).await;
                let (raw, from) = match received {
                    Err(_elapsed) => break,
                    Ok(Err(error)) if is_transient(&error) => continue,
                    Ok(Err(error)) => return network_error(&error),
                    Ok(Ok(pair)) => pair,
                };
                match judge(&raw, from, server, id) {
                    Some(StrayReason::ForeignSource)
                        if query.accepts_other_source
                            && judge(&raw, server, server, id).is_none() =>
                    {
                        let rtt = sent_at.elapsed();
                        return accept(raw, from, rtt, Protocol::Udp, query, strays);
                    }
                    Some(reason) => keep_stray(&mut strays, Stray { from, reason, raw }),
                    None => {
                        let rtt = sent_at.elapsed();
                        return accept(raw, from, rtt, Protocol::Udp, query, strays);
                    }
                }
            }
        }
        Outcome::Timeout { strays }
    }

    async fn ask_tcp(&self, server: SocketAddr, query: &Query, options: &QueryOptions) -> Outcome {
        let attempts = options.retry.max(1);
        let mut last = Outcome::Timeout { strays: Vec::new() };
        for _ in 0..attempts {
            last = self.ask_tcp_once(server, query, options.timeout).await;
            if !last.is_no_response() {
                return last;
            }
            if matches!(
                last,
                Outcome::NetworkError {
                    kind: NetworkErrorKind::Unreachable,
                    ..
                }
            ) {
                return last;
            }
        }
        last
    }

    async fn ask_tcp_once(&self, server: SocketAddr, query: &Query, timeout: Duration) -> Outcome {
        if let Err(message) = self.take_turn(server.ip()).await {
            return not_sent(message);
        }
        let deadline = Instant::now() + timeout;
        let mut stream = match timeout_at(deadline.into(), self.connect(server)).await {
            Err(_elapsed) => return Outcome::Timeout { strays: Vec::new() },
            Ok(Err(error)) => return network_error(&error),
            Ok(Ok(stream)) => stream,
        };
        let id: u16 = rand::random();
        let sent_at = Instant::now();
        if let Err(error) = write_framed(&mut stream, &query.to_wire(id)).await {
            return network_error(&error);
        }
        let mut strays = Vec::new();
        loop {
            let raw = match timeout_at(deadline.into(), read_framed(&mut stream)).await {
                Err(_elapsed) => return Outcome::Timeout { strays },
                Ok(Err(error)) => return network_error(&error),
                Ok(Ok(raw)) => raw,
            };
            match judge(&raw, server, server, id) {
                Some(reason) => keep_stray(
                    &mut strays,
                    Stray {
                        from: server,
                        reason,
                        raw,
                    },
                ),
                None => {
                    return accept(raw, server, sent_at.elapsed(), Protocol::Tcp, query, strays);
                }
            }
        }
    }

    /// A TCP connection to `server`, from the configured source address
    /// if there is one. Only then is the socket bound before it connects:
    /// bound to port 0, a socket takes an ephemeral port no other socket
    /// holds, in use or in TIME_WAIT, which the kernel searches for (6 %
    /// of a loaded agent's time) and which runs out under load; left to
    /// `connect`, a port is only unique per destination.
    async fn connect(&self, server: SocketAddr) -> io::Result<TcpStream> {
        let socket = match server {
            SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
            SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
        };
        if let Some(source) = self.source(server.ip()) {
            socket.bind(SocketAddr::new(source, 0))?;
        }
        socket.connect(server).await
    }

    /// Transfers `zone`; with `first_only`, stops after the first message
    /// once it has shown the transfer is offered.
    async fn transfer(
        &self,
        server: IpAddr,
        zone: &Name,
        timeout: Duration,
        first_only: bool,
    ) -> AxfrOutcome {
        if let Some(message) = self.refusal(server) {
            return AxfrOutcome::NoResponse(message);
        }
        let address = SocketAddr::new(server, self.port);
        if let Err(message) = self.take_turn(server).await {
            return AxfrOutcome::NoResponse(message);
        }
        let deadline = Instant::now() + timeout;
        let mut stream = match timeout_at(deadline.into(), self.connect(address)).await {
            Err(_elapsed) => return AxfrOutcome::NoResponse("connection timed out".to_owned()),
            Ok(Err(error)) => return AxfrOutcome::NoResponse(error.to_string()),
            Ok(Ok(stream)) => stream,
        };
        let id: u16 = rand::random();
        let query = Query::new(zone.clone(), RecordType::AXFR).over(Protocol::Tcp);
        if let Err(error) = write_framed(&mut stream, &query.to_wire(id)).await {
            return AxfrOutcome::NoResponse(error.to_string());
        }
        let mut records = Vec::new();
        loop {
            let raw = match timeout_at(deadline.into(), read_framed(&mut stream)).await {
                Err(_elapsed) => return broken(records, "timed out", 0),
                Ok(Err(error)) => return broken(records, &error.to_string(), 0),
                Ok(Ok(raw)) => raw,
            };
            let packet = match Packet::decode(&raw) {
                Ok(packet) => packet,
                Err(error) => return broken(records, &error.to_string(), 0),
            };
            if packet.rcode != Rcode::NOERROR {
                return if records.is_empty() {
                    AxfrOutcome::Refused(packet.rcode)
                } else {
                    broken(records, "error RCODE mid-transfer", packet.rcode.0)
                };
            }
            if records.is_empty()
                && packet
                    .answer
                    .first()
                    .is_none_or(|r| r.record_type() != RecordType::SOA)
            {
                return AxfrOutcome::Refused(packet.rcode);
            }
            records.extend(packet.answer);
            if first_only {
                return AxfrOutcome::Started(records);
            }
            let soa_count = records
                .iter()
                .filter(|r| r.record_type() == RecordType::SOA)
                .count();
            if soa_count >= 2
                && records
                    .last()
                    .is_some_and(|r| r.record_type() == RecordType::SOA)
            {
                return AxfrOutcome::Complete(records);
            }
        }
    }
}

impl Transport for LiveTransport {
    fn exchange<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Outcome> {
        self.ask(request).boxed()
    }

    fn axfr<'a>(
        &'a self,
        server: IpAddr,
        zone: &'a Name,
        timeout: Duration,
    ) -> BoxFuture<'a, AxfrOutcome> {
        self.transfer(server, zone, timeout, false).boxed()
    }

    fn axfr_first<'a>(
        &'a self,
        server: IpAddr,
        zone: &'a Name,
        timeout: Duration,
    ) -> BoxFuture<'a, AxfrOutcome> {
        self.transfer(server, zone, timeout, true).boxed()
    }

    fn whois<'a>(
        &'a self,
        server: IpAddr,
        question: &'a str,
        timeout: Duration,
    ) -> BoxFuture<'a, WhoisOutcome> {
        ask_whois(self.connect(whois_address(server)), question, timeout).boxed()
    }
}

fn broken(records: Vec<hickory_proto::rr::Record>, reason: &str, rcode: u16) -> AxfrOutcome {
    let reason = if rcode == 0 {
        reason.to_owned()
    } else {
        format!("{reason} ({})", Rcode(rcode))
    };
    AxfrOutcome::Broken { records, reason }
}

/// Why a datagram is not the reply we wait for, or `None` if it is.
fn judge(raw: &[u8], from: SocketAddr, server: SocketAddr, id: u16) -> Option<StrayReason> {
    if !same_endpoint(from, server) {
        return Some(StrayReason::ForeignSource);
    }
    match raw.get(..3) {
        Some([high, low, _]) if u16::from_be_bytes([*high, *low]) != id => {
            Some(StrayReason::IdMismatch)
        }
        Some([_, _, flags]) if flags & 0x80 == 0 => Some(StrayReason::NotAResponse),
        // Too short to carry an ID: accepted, and reported as undecodable.
        _ => None,
    }
}

/// Compares endpoints, treating IPv4-mapped IPv6 as IPv4.
fn same_endpoint(left: SocketAddr, right: SocketAddr) -> bool {
    left.port() == right.port() && left.ip().to_canonical() == right.ip().to_canonical()
}

/// Waits for the next datagram on `socket` and reads it whole.
///
/// A datagram may be up to 64 KiB, but a query spends nearly all its life
/// waiting, and a big test has hundreds waiting at once: a buffer of that
/// size held through each wait was most of `zmctl check`'s peak memory
/// (15 of 24 MB for a 13-server signed zone). So the wait holds no buffer,
/// and the read borrows this thread's one.
async fn receive(socket: &UdpSocket) -> io::Result<(Arc<[u8]>, SocketAddr)> {
    loop {
        socket.readable().await?;
        match read_datagram(socket) {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
            done => return done,
        }
    }
}

/// Reads one waiting datagram into a copy of its own size.
fn read_datagram(socket: &UdpSocket) -> io::Result<(Arc<[u8]>, SocketAddr)> {
    thread_local! {
        // Filled by the kernel without being zeroed first: a 64 KiB
        // memset per read showed in profiles.
        static BUFFER: std::cell::RefCell<Vec<u8>> =
            std::cell::RefCell::new(Vec::with_capacity(65_535));
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        let (length, from) = socket.try_recv_buf_from(buffer)?;
        Ok((buffer.get(..length).unwrap_or_default().into(), from))
    })
}

fn accept(
    raw: Arc<[u8]>,
    from: SocketAddr,
    rtt: Duration,
    protocol: Protocol,
    query: &Query,
    strays: Vec<Stray>,
) -> Outcome {
    match Packet::decode(&raw) {
        Err(_) => Outcome::Malformed {
            raw,
            from,
            rtt,
            strays,
        },
        Ok(packet) => Outcome::Response(Response {
            has_question_mismatch: !packet.question_matches(query),
            decoded: Decoded::from_raw(packet),
            raw,
            from,
            rtt,
            received_at: SystemTime::now(),
            protocol,
            fell_back: false,
            strays,
        }),
    }
}

fn strays_of(outcome: &Outcome) -> Vec<Stray> {
    match outcome {
        Outcome::Response(response) => response.strays.clone(),
        Outcome::Malformed { strays, .. } | Outcome::Timeout { strays } => strays.clone(),
        Outcome::NetworkError { .. } | Outcome::ReplayMiss => Vec::new(),
    }
}

fn mark_fallback(outcome: Outcome, mut earlier: Vec<Stray>) -> Outcome {
    match outcome {
        Outcome::Response(mut response) => {
            response.fell_back = true;
            earlier.append(&mut response.strays);
            response.strays = earlier;
            Outcome::Response(response)
        }
        Outcome::Timeout { mut strays } => {
            earlier.append(&mut strays);
            Outcome::Timeout { strays: earlier }
        }
        other => other,
    }
}

/// Strays kept per query. A server (or anyone on the path) may flood a
/// query with replies until it times out, each up to 64 KiB: the first
/// few are evidence enough, the rest are read and dropped, so a query
/// holds at most this many whatever arrives.
const MAX_STRAYS: usize = 8;

/// Keeps `stray` unless [`MAX_STRAYS`] are kept already.
fn keep_stray(strays: &mut Vec<Stray>, stray: Stray) {
    if strays.len() < MAX_STRAYS {
        strays.push(stray);
    }
}

/// Errors a UDP receive may report for an earlier datagram; keep listening.
fn is_transient(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// A query this host did not send (as for a refused special-purpose
/// address): reported as unreachable, so it is not tried again.
fn not_sent(message: String) -> Outcome {
    Outcome::NetworkError {
        kind: NetworkErrorKind::Unreachable,
        message,
    }
}

fn network_error(error: &io::Error) -> Outcome {
    let kind = match error.kind() {
        io::ErrorKind::NetworkUnreachable
        | io::ErrorKind::HostUnreachable
        | io::ErrorKind::AddrNotAvailable => NetworkErrorKind::Unreachable,
        io::ErrorKind::ConnectionRefused => NetworkErrorKind::Refused,
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::UnexpectedEof
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::ConnectionAborted => NetworkErrorKind::ConnectionLost,
        _ => NetworkErrorKind::Other,
    };
    Outcome::NetworkError {
        kind,
        message: error.to_string(),
    }
}

async fn write_framed(stream: &mut TcpStream, wire: &[u8]) -> io::Result<()> {
    let length = u16::try_from(wire.len())
        .map_err(|_| io::Error::other("query longer than 65535 octets"))?;
    let mut framed = Vec::with_capacity(wire.len() + 2);
    framed.extend_from_slice(&length.to_be_bytes());
    framed.extend_from_slice(wire);
    stream.write_all(&framed).await
}

async fn read_framed(stream: &mut TcpStream) -> io::Result<Arc<[u8]>> {
    let length = stream.read_u16().await?;
    let mut raw = vec![0u8; usize::from(length)];
    stream.read_exact(&mut raw).await?;
    Ok(raw.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_judged_by_source_id_and_qr() {
        let server: SocketAddr = "127.0.0.1:53".parse().unwrap();
        let reply = [0x12, 0x34, 0x80];
        assert_eq!(judge(&reply, server, server, 0x1234), None);
        let other: SocketAddr = "127.0.0.2:53".parse().unwrap();
        assert_eq!(
            judge(&reply, other, server, 0x1234),
            Some(StrayReason::ForeignSource)
        );
        assert_eq!(
            judge(&reply, server, server, 0x1235),
            Some(StrayReason::IdMismatch)
        );
        assert_eq!(
            judge(&[0x12, 0x34, 0], server, server, 0x1234),
            Some(StrayReason::NotAResponse)
        );
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:53".parse().unwrap();
        assert_eq!(judge(&reply, mapped, server, 0x1234), None);
    }

    /// A one-shot server on 127.0.0.1: reads one query and replies with
    /// `flags` from `reply_from` (the same socket when `None`).
    async fn one_shot(flags: u8, reply_from: Option<UdpSocket>) -> u16 {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let port = socket.local_addr().unwrap().port();
        tokio::spawn(async move {
            let mut buffer = [0u8; 512];
            let (length, peer) = socket.recv_from(&mut buffer).await.unwrap();
            let mut reply = buffer[..length].to_vec();
            reply[2] = 0x80 | flags;
            let sender = reply_from.as_ref().unwrap_or(&socket);
            sender.send_to(&reply, peer).await.unwrap();
        });
        port
    }

    fn quick() -> QueryOptions {
        QueryOptions {
            timeout: Duration::from_millis(300),
            retry: 1,
            retrans: Duration::from_millis(300),
            fallback: true,
        }
    }

    async fn ask_once(port: u16, query: Query) -> Outcome {
        let request = Request {
            server: "127.0.0.1".parse().unwrap(),
            query,
            options: quick(),
        };
        LiveTransport::new()
            .with_port(port)
            .exchange(&request)
            .await
    }

    #[tokio::test]
    async fn a_reply_from_elsewhere_is_accepted_only_when_asked_for() {
        let soa = Query::new(Name::root(), RecordType::SOA);
        let other = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let other_port = other.local_addr().unwrap().port();
        let port = one_shot(0, Some(other)).await;
        let outcome = ask_once(port, soa.clone().from_any_source()).await;
        let response = outcome.response().expect("accepted");
        assert_eq!(response.from.port(), other_port);

        let other = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let port = one_shot(0, Some(other)).await;
        match ask_once(port, soa).await {
            Outcome::Timeout { strays } => {
                assert_eq!(strays.len(), 1);
                assert_eq!(strays[0].reason, StrayReason::ForeignSource);
            }
            other => panic!("expected a timeout with a stray, got {other:?}"),
        }
    }

    /// A flood of replies with the wrong id, then silence: the query keeps
    /// a few as evidence and drops the rest.
    #[tokio::test]
    async fn a_flood_of_stray_replies_is_kept_to_a_few() {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let port = socket.local_addr().unwrap().port();
        tokio::spawn(async move {
            let mut buffer = [0u8; 512];
            let (length, peer) = socket.recv_from(&mut buffer).await.unwrap();
            let mut reply = buffer[..length].to_vec();
            reply[2] = 0x80;
            reply[0] ^= 0xff;
            for _ in 0..200 {
                socket.send_to(&reply, peer).await.unwrap();
            }
        });
        let query = Query::new(Name::root(), RecordType::SOA);
        let request = Request {
            server: "127.0.0.1".parse().unwrap(),
            query,
            options: QueryOptions {
                fallback: false,
                ..quick()
            },
        };
        let outcome = LiveTransport::new()
            .with_port(port)
            .exchange(&request)
            .await;
        match outcome {
            Outcome::Timeout { strays } => {
                assert_eq!(strays.len(), MAX_STRAYS);
                assert!(strays.iter().all(|s| s.reason == StrayReason::IdMismatch));
            }
            other => panic!("expected a timeout with strays, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn queries_go_out_from_the_source_address_set() {
        let server = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let port = server.local_addr().unwrap().port();
        let source: Ipv4Addr = "127.0.0.2".parse().unwrap();
        let transport = LiveTransport::new()
            .with_port(port)
            .with_sources(Some(source), None);
        transport.check_sources().unwrap();
        let request = Request {
            server: "127.0.0.1".parse().unwrap(),
            query: Query::new(Name::root(), RecordType::SOA),
            options: quick(),
        };
        let asking = tokio::spawn(async move { transport.exchange(&request).await });
        let mut buffer = [0u8; 512];
        let (_, peer) = server.recv_from(&mut buffer).await.unwrap();
        assert_eq!(peer.ip(), IpAddr::V4(source));
        asking.abort();
    }

    #[tokio::test]
    async fn tcp_connections_come_from_the_source_address_set() {
        let server = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = server.local_addr().unwrap().port();
        let source: Ipv4Addr = "127.0.0.3".parse().unwrap();
        let transport = LiveTransport::new()
            .with_port(port)
            .with_sources(Some(source), None);
        let request = Request {
            server: "127.0.0.1".parse().unwrap(),
            query: Query::new(Name::root(), RecordType::SOA).over(Protocol::Tcp),
            options: quick(),
        };
        let asking = tokio::spawn(async move { transport.exchange(&request).await });
        let (_, peer) = server.accept().await.unwrap();
        assert_eq!(peer.ip(), IpAddr::V4(source));
        asking.abort();
    }

    #[test]
    fn a_source_address_of_another_host_is_an_error() {
        let elsewhere: Ipv4Addr = "192.0.2.1".parse().unwrap();
        let error = LiveTransport::new()
            .with_sources(Some(elsewhere), None)
            .check_sources()
            .unwrap_err();
        assert_eq!(error.address, IpAddr::V4(elsewhere));
        assert!(error.to_string().contains("192.0.2.1"), "{error}");
        assert!(LiveTransport::new().check_sources().is_ok());
    }

    /// A query waiting for its pacer turn holds no socket. Seen from
    /// outside: with a source address no socket binds to, a query whose
    /// turn is beyond reach reports the refused turn, where a socket opened
    /// first would have failed to bind; with a turn free, the bind fails.
    #[tokio::test(start_paused = true)]
    async fn no_socket_is_opened_before_the_turn() {
        use futures::FutureExt;
        let server: IpAddr = "127.0.0.1".parse().unwrap();
        let elsewhere: Ipv4Addr = "192.0.2.1".parse().unwrap();
        let ask = |pacer: Arc<Pacer>| {
            let transport = LiveTransport::new()
                .with_pacer(pacer)
                .with_sources(Some(elsewhere), None);
            let request = Request {
                server,
                query: Query::new(Name::root(), RecordType::SOA),
                options: quick(),
            };
            async move { transport.exchange(&request).await }
        };
        let message = |outcome: Outcome| match outcome {
            Outcome::NetworkError { message, .. } => message,
            other => panic!("expected a local error, got {other:?}"),
        };

        let free = message(ask(Arc::new(Pacer::new(1))).await);
        assert!(!free.contains("rate limit"), "{free}");

        // One turn a second, and the next minute and more of them booked.
        let busy = Arc::new(Pacer::new(1));
        for _ in 0..=super::super::pacing::MAX_TURN_WAIT.as_secs() {
            let _booked = busy.wait_turn(server).now_or_never();
        }
        let refused = message(ask(busy).await);
        assert!(refused.contains("rate limit"), "{refused}");
    }

    #[tokio::test]
    async fn a_truncated_reply_is_kept_when_asked_for() {
        let soa = Query::new(Name::root(), RecordType::SOA).with_edns(Edns::with_size(512));
        let port = one_shot(0x02, None).await;
        let outcome = ask_once(port, soa.clone().keeping_truncated()).await;
        let response = outcome.response().expect("the truncated reply");
        assert!(response.packet().tc && !response.fell_back);

        // Without the knob the TC reply is re-asked over TCP, where no one
        // listens: the outcome is not the UDP reply.
        let port = one_shot(0x02, None).await;
        let outcome = ask_once(port, soa).await;
        assert!(
            outcome.response().is_none_or(|r| r.fell_back),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn unreachable_network_is_a_value() {
        // TEST-NET-1 is unroutable in the test namespaces and usually here;
        // either way the outcome must not be a response.
        let transport = LiveTransport::new().with_port(9);
        let request = Request {
            server: "127.0.0.1".parse().unwrap(),
            query: Query::new(Name::root(), RecordType::SOA),
            options: QueryOptions {
                timeout: Duration::from_millis(100),
                retry: 1,
                retrans: Duration::from_millis(50),
                fallback: true,
            },
        };
        let outcome = transport.exchange(&request).await;
        assert!(outcome.is_no_response(), "{outcome:?}");
    }
}
