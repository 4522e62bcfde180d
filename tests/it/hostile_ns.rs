//! A hostile name server for fault tests: on UDP and TCP port 53 of one
//! loopback address it answers each query in one of several bad ways,
//! in turn, so that every test of the engine meets all of them:
//!
//! - slowly (after two seconds, past the engine's one-second timeout);
//! - with garbage;
//! - with a flood: many datagrams with wrong ids, from the right socket
//!   and from another one, then a truncated reply;
//! - truncated, so the engine comes back over TCP, where the answer is as
//!   large as a DNS message can be (64 KiB, thousands of records), after
//!   a just as large message with a wrong id.
//!
//! It runs as tasks on the caller's runtime and stops when dropped.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};
use tokio::task::JoinHandle;

/// The server's tasks, aborted when dropped.
pub struct HostileServer {
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Datagrams of a flood.
const FLOOD: usize = 200;

/// Starts serving on `address` port 53.
pub async fn start(address: IpAddr) -> HostileServer {
    let at = SocketAddr::new(address, 53);
    let udp = Arc::new(UdpSocket::bind(at).await.unwrap());
    // The "wrong source" of floods: same address, another port.
    let other = Arc::new(UdpSocket::bind(SocketAddr::new(address, 0)).await.unwrap());
    let tcp = TcpListener::bind(at).await.unwrap();
    let turn = Arc::new(AtomicU64::new(0));
    let udp_task = tokio::spawn(async move {
        let mut buffer = vec![0u8; 4096];
        loop {
            let Ok((length, peer)) = udp.recv_from(&mut buffer).await else {
                continue;
            };
            let query = buffer[..length].to_vec();
            let (udp, other) = (Arc::clone(&udp), Arc::clone(&other));
            let turn = turn.fetch_add(1, Ordering::Relaxed);
            tokio::spawn(async move { answer_udp(turn, &query, peer, &udp, &other).await });
        }
    });
    let tcp_task = tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = tcp.accept().await else {
                continue;
            };
            tokio::spawn(async move {
                let Ok(length) = stream.read_u16().await else {
                    return;
                };
                let mut query = vec![0u8; usize::from(length)];
                if stream.read_exact(&mut query).await.is_err() {
                    return;
                }
                let id = id_of(&query);
                let wrong = huge_answer(&query, id.wrapping_add(1));
                let right = huge_answer(&query, id);
                for message in [wrong, right] {
                    let length = u16::try_from(message.len()).unwrap().to_be_bytes();
                    if stream.write_all(&length).await.is_err()
                        || stream.write_all(&message).await.is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    HostileServer {
        tasks: vec![udp_task, tcp_task],
    }
}

/// One bad answer over UDP, chosen by `turn`.
async fn answer_udp(turn: u64, query: &[u8], peer: SocketAddr, udp: &UdpSocket, other: &UdpSocket) {
    let Some(question_end) = question_end(query) else {
        return;
    };
    let id = id_of(query);
    match turn % 4 {
        0 => {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let _ = udp
                .send_to(&reply(query, question_end, id, false), peer)
                .await;
        }
        1 => {
            let garbage: Vec<u8> = (0..512).map(|_| rand::random::<u8>()).collect();
            let _ = udp.send_to(&garbage, peer).await;
        }
        2 => {
            let mut stray = huge_answer(query, id.wrapping_add(7));
            stray.truncate(1200);
            for n in 0..FLOOD {
                let socket = if n % 2 == 0 { udp } else { other };
                let _ = socket.send_to(&stray, peer).await;
            }
            let _ = udp
                .send_to(&reply(query, question_end, id, true), peer)
                .await;
        }
        _ => {
            let _ = udp
                .send_to(&reply(query, question_end, id, true), peer)
                .await;
        }
    }
}

/// The query's id.
fn id_of(query: &[u8]) -> u16 {
    u16::from_be_bytes([
        query.first().copied().unwrap_or(0),
        query.get(1).copied().unwrap_or(0),
    ])
}

/// Where the (first) question ends: after its name, type and class.
fn question_end(query: &[u8]) -> Option<usize> {
    let mut at = 12;
    loop {
        let length = usize::from(*query.get(at)?);
        at += 1 + length;
        if length == 0 {
            break;
        }
    }
    (at + 4 <= query.len()).then_some(at + 4)
}

/// An answer without records: the question echoed, QR and AA set, TC as
/// `truncated`.
fn reply(query: &[u8], question_end: usize, id: u16, truncated: bool) -> Vec<u8> {
    let mut message = Vec::with_capacity(question_end);
    message.extend_from_slice(&id.to_be_bytes());
    message.push(0x84 | if truncated { 0x02 } else { 0 });
    message.push(0x00);
    message.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
    message.extend_from_slice(&query[12..question_end]);
    message
}

/// The largest message there can be: the question and as many A records
/// for its name (a pointer to it) as fit in 65 535 octets.
fn huge_answer(query: &[u8], id: u16) -> Vec<u8> {
    let Some(question_end) = question_end(query) else {
        return reply(query, 12, id, false);
    };
    let mut message = reply(query, question_end, id, false);
    let record_size = 16;
    let count = (65_535 - message.len()) / record_size;
    message[6..8].copy_from_slice(&u16::try_from(count).unwrap().to_be_bytes());
    for n in 0..count {
        message.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4]);
        let n = u32::try_from(n).unwrap();
        message.extend_from_slice(&(0x0a00_0000 | n).to_be_bytes());
    }
    message
}
