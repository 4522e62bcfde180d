//! Sockets: one UDP socket and one TCP listener per configured address,
//! `lo` set-up, the `ready` line, and shutdown on SIGTERM/SIGINT.

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use hickory_proto::rr::Name;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::signal::unix::{SignalKind, signal};

use crate::answer::{Action, World};
use crate::message::{BadQuery, Reply, Request, formerr, parse_request, write_reply};
use crate::zone::{Rr, rtype};

/// DNS messages received so far, over every address and transport, the
/// questions about this count excepted.
static RECEIVED: AtomicU64 = AtomicU64::new(0);

/// The name a `CH TXT` question asks to learn [`RECEIVED`]: benchmarks
/// count the queries a tool under test sent, whatever the tool reports.
const COUNT_NAME: &str = "queries.zm-testns.";

/// Set by `--log-queries`: every counted query is printed on stdout.
pub static LOG_QUERIES: AtomicBool = AtomicBool::new(false);

/// One line per query for `--log-queries`: the server address, the
/// transport, then the question and the flags that make it distinct.
fn log_query(local: IpAddr, tcp: bool, request: &Request) {
    let edns = request.edns.as_ref().map_or_else(
        || "noedns".to_owned(),
        |edns| {
            format!(
                "edns{} do={} size={} z={} options={}",
                edns.version,
                u8::from(edns.dnssec_ok),
                edns.udp_size,
                edns.z,
                edns.options.len()
            )
        },
    );
    println!(
        "query {local} {} {} {} {} rd={} {edns}",
        if tcp { "tcp" } else { "udp" },
        request.qname,
        request.qclass,
        request.qtype,
        u8::from(request.rd),
    );
}

/// The reply to a question about the count, or `None` (and the message
/// is counted, and logged when asked) for any other.
fn count(local: IpAddr, tcp: bool, request: Result<&Request, &BadQuery>) -> Option<Reply> {
    const CH: u16 = 3;
    let asks_count = request.is_ok_and(|request| {
        request.qclass == CH
            && request.qtype == rtype::TXT
            && Name::from_ascii(COUNT_NAME).is_ok_and(|name| request.name() == name)
    });
    if !asks_count {
        RECEIVED.fetch_add(1, Ordering::Relaxed);
        if let Ok(request) = request
            && LOG_QUERIES.load(Ordering::Relaxed)
        {
            log_query(local, tcp, request);
        }
        return None;
    }
    let name = Name::from_ascii(COUNT_NAME).ok()?;
    let text = RECEIVED.load(Ordering::Relaxed).to_string();
    let mut rdata = vec![u8::try_from(text.len()).ok()?];
    rdata.extend_from_slice(text.as_bytes());
    Some(Reply {
        aa: true,
        answer: vec![Rr {
            name,
            rtype: rtype::TXT,
            class: CH,
            ttl: 0,
            rdata,
        }],
        ..Reply::default()
    })
}

/// How to serve.
pub struct Options {
    /// Add the addresses to `lo` first.
    pub setup_lo: bool,
    /// Delay before each reply.
    pub delay: Duration,
    /// Port override.
    pub port: Option<u16>,
}

/// Why serving could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// `ip` failed.
    #[error("cannot set up lo: {0}")]
    SetupLo(String),
    /// A socket could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Signal handling could not be installed.
    #[error("cannot install signal handlers: {0}")]
    Signals(std::io::Error),
}

/// Binds everything, prints `ready`, serves until SIGTERM or SIGINT.
pub async fn serve(world: World, options: Options) -> Result<(), ServeError> {
    let addresses = world.listen_addresses();
    let reply_sources = world.reply_sources();
    if options.setup_lo {
        let mut all = addresses.clone();
        all.extend(&reply_sources);
        setup_lo(&all)?;
    }
    let world = Arc::new(world);
    let mut terminate = signal(SignalKind::terminate()).map_err(ServeError::Signals)?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(ServeError::Signals)?;
    let mut listeners = Vec::new();
    let mut senders = HashMap::new();
    for (ip, port) in &addresses {
        let address = SocketAddr::new(*ip, options.port.unwrap_or(*port));
        let bind_error = |source| ServeError::Bind { address, source };
        // `transport udp-only|tcp-only`: no socket for a transport no
        // block on the address serves.
        let udp = if world.listens(*ip, false) {
            Some(Arc::new(
                UdpSocket::bind(address).await.map_err(bind_error)?,
            ))
        } else {
            None
        };
        let tcp = if world.listens(*ip, true) {
            Some(TcpListener::bind(address).await.map_err(bind_error)?)
        } else {
            None
        };
        if let Some(udp) = &udp {
            senders.insert(address, Arc::clone(udp));
        }
        listeners.push((*ip, udp, tcp));
    }
    // `reply-from` addresses that nothing listens on get a socket to send
    // from (same port, so only the address differs).
    for (ip, port) in &reply_sources {
        let address = SocketAddr::new(*ip, options.port.unwrap_or(*port));
        if let std::collections::hash_map::Entry::Vacant(entry) = senders.entry(address) {
            let bind_error = |source| ServeError::Bind { address, source };
            let udp = UdpSocket::bind(address).await.map_err(bind_error)?;
            entry.insert(Arc::new(udp));
        }
    }
    let senders = Arc::new(senders);
    for (ip, udp, tcp) in listeners {
        if let Some(udp) = udp {
            tokio::spawn(serve_udp(
                udp,
                ip,
                Arc::clone(&world),
                Arc::clone(&senders),
                options.delay,
            ));
        }
        if let Some(tcp) = tcp {
            tokio::spawn(serve_tcp(tcp, ip, Arc::clone(&world), options.delay));
        }
    }
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "zm-testns ready: {} addresses", addresses.len());
    let _ = stdout.flush();
    tokio::select! {
        _ = terminate.recv() => {},
        _ = interrupt.recv() => {},
    }
    Ok(())
}

/// Brings `lo` up and adds the IPv6 addresses (all of 127/8 is already
/// local on Linux), in one `ip -batch` run.
fn setup_lo(addresses: &[(IpAddr, u16)]) -> Result<(), ServeError> {
    let mut batch = String::from("link set lo up\n");
    for (address, _) in addresses {
        if let IpAddr::V6(v6) = address
            && !v6.is_loopback()
        {
            batch.push_str(&format!("addr add {v6}/128 dev lo nodad\n"));
        }
    }
    let mut child = std::process::Command::new("ip")
        .args(["-force", "-batch", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|error| ServeError::SetupLo(format!("cannot run `ip`: {error}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(batch.as_bytes())
            .map_err(|error| ServeError::SetupLo(error.to_string()))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|error| ServeError::SetupLo(error.to_string()))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    // "File exists" means the address is already there: fine.
    let real_errors: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.contains("File exists") && !l.trim().is_empty())
        .collect();
    if !real_errors.is_empty() && !output.status.success() {
        return Err(ServeError::SetupLo(real_errors.join("; ")));
    }
    Ok(())
}

/// UDP sockets by local address: where a reply may be sent from.
type Senders = HashMap<SocketAddr, Arc<UdpSocket>>;

async fn serve_udp(
    socket: Arc<UdpSocket>,
    local: IpAddr,
    world: Arc<World>,
    senders: Arc<Senders>,
    delay: Duration,
) {
    let mut buffer = vec![0u8; 65_535];
    let port = socket.local_addr().map_or(53, |address| address.port());
    loop {
        let Ok((length, peer)) = socket.recv_from(&mut buffer).await else {
            continue;
        };
        let query = buffer[..length].to_vec();
        let socket = Arc::clone(&socket);
        let world = Arc::clone(&world);
        let senders = Arc::clone(&senders);
        tokio::spawn(async move {
            if let Some((reply, source)) = reply_udp(&world, local, &query) {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let sender = source
                    .and_then(|source| senders.get(&SocketAddr::new(source, port)))
                    .unwrap_or(&socket);
                let _ = sender.send_to(&reply, peer).await;
            }
        });
    }
}

/// The reply to a datagram and, for `reply-from`, the address to send it
/// from.
fn reply_udp(world: &World, local: IpAddr, query: &[u8]) -> Option<(Vec<u8>, Option<IpAddr>)> {
    let parsed = parse_request(query);
    if let (Ok(request), Some(reply)) = (&parsed, count(local, false, parsed.as_ref())) {
        return Some((
            write_reply(request, &reply, Some(request.udp_limit())),
            None,
        ));
    }
    let request = match parsed {
        Ok(request) => request,
        Err(BadQuery::Malformed { id, opcode }) => return Some((formerr(id, opcode), None)),
        Err(BadQuery::Unreadable) => return None,
    };
    match world.answer(local, &request, false) {
        Action::Reply(reply) => Some((
            write_reply(&request, &reply, Some(request.udp_limit())),
            world.reply_source(local, &request),
        )),
        Action::Transfer(_) | Action::Drop => None,
    }
}

async fn serve_tcp(listener: TcpListener, local: IpAddr, world: Arc<World>, delay: Duration) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(serve_connection(stream, local, Arc::clone(&world), delay));
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    local: IpAddr,
    world: Arc<World>,
    delay: Duration,
) {
    loop {
        let Ok(length) = stream.read_u16().await else {
            return;
        };
        let mut query = vec![0u8; usize::from(length)];
        if stream.read_exact(&mut query).await.is_err() {
            return;
        }
        let parsed = parse_request(&query);
        let counted = count(local, true, parsed.as_ref());
        let replies = match parsed {
            Ok(request) if counted.is_some() => counted
                .iter()
                .map(|reply| write_reply(&request, reply, None))
                .collect(),
            Ok(request) => match world.answer(local, &request, true) {
                Action::Reply(reply) => vec![write_reply(&request, &reply, None)],
                Action::Transfer(parts) => parts
                    .iter()
                    .map(|part| write_reply(&request, part, None))
                    .collect(),
                Action::Drop => Vec::new(),
            },
            Err(BadQuery::Malformed { id, opcode }) => vec![formerr(id, opcode)],
            Err(BadQuery::Unreadable) => return,
        };
        if !delay.is_zero() && !replies.is_empty() {
            tokio::time::sleep(delay).await;
        }
        for reply in replies {
            let Ok(length) = u16::try_from(reply.len()) else {
                return;
            };
            let mut framed = length.to_be_bytes().to_vec();
            framed.extend_from_slice(&reply);
            if stream.write_all(&framed).await.is_err() {
                return;
            }
        }
    }
}
