//! Test support: a scripted DNS world for unit tests of the walk.
//!
//! A closure answers each (server, name, type) with a packet or silence, so
//! a test states the world it needs in a few lines; the integration tests
//! in `tests/it/recursor.rs` run the real thing against zm-testns.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use futures::FutureExt;
use futures::future::BoxFuture;
use hickory_proto::op::Query as Question;
use hickory_proto::rr::rdata::{A, CNAME, NS, SOA};
use hickory_proto::rr::{Name, RData, Record, RecordType};

use super::iterative::Recursor;
use crate::dns::{
    AxfrOutcome, Client, ClientConfig, Decoded, Outcome, Packet, Protocol, Rcode, Request,
    Response, Transport,
};
use crate::engine::families::IpFamilies;
use crate::engine::hints::{HintServer, RootHints};

/// Answers a query, or `None` for silence.
type Script = dyn Fn(IpAddr, &Name, RecordType) -> Option<Packet> + Send + Sync;

/// How long a server takes to answer.
type Delay = dyn Fn(IpAddr) -> Duration + Send + Sync;

/// A transport that answers from a script and counts what it was asked.
pub struct Scripted {
    script: Box<Script>,
    delay: Box<Delay>,
    /// Queries that reached the transport.
    pub sent: AtomicUsize,
    /// Whether it stands for a replay (answers without a network).
    pub replaying: AtomicBool,
    /// How long a query to each server is held back on our side before it
    /// leaves, as a busy agent's pacer would.
    pub held: std::sync::Mutex<std::collections::HashMap<IpAddr, Duration>>,
}

impl Transport for Scripted {
    fn exchange<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Outcome> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        let query = &request.query;
        let reply = (self.script)(request.server, &query.name, query.rtype);
        let outcome = match reply {
            None => Outcome::Timeout { strays: Vec::new() },
            Some(mut packet) => {
                packet.question = vec![Question::query(query.name.clone(), query.rtype)];
                let from = SocketAddr::new(request.server, 53);
                let response = Response::new(
                    Decoded::kept(packet),
                    Arc::from(Vec::new()),
                    from,
                    Protocol::Udp,
                );
                Outcome::Response(Response {
                    rtt: Duration::from_millis(1),
                    received_at: SystemTime::UNIX_EPOCH,
                    ..response
                })
            }
        };
        let delay = (self.delay)(request.server);
        let held = self
            .held
            .lock()
            .ok()
            .and_then(|held| held.get(&request.server).copied());
        async move {
            if let Some(held) = held {
                crate::dns::departure::held();
                tokio::time::sleep(held).await;
                crate::dns::departure::left();
            }
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            outcome
        }
        .boxed()
    }

    fn axfr<'a>(&'a self, _: IpAddr, _: &'a Name, _: Duration) -> BoxFuture<'a, AxfrOutcome> {
        async { AxfrOutcome::NoResponse("scripted".into()) }.boxed()
    }

    fn waits_on_the_network(&self) -> bool {
        !self.replaying.load(Ordering::SeqCst)
    }
}

/// The one root server of scripted worlds.
pub const ROOT: &str = "192.0.2.1";

/// A recursor over `script` with one root server `root.test.` at [`ROOT`].
pub fn recursor(
    families: IpFamilies,
    script: impl Fn(IpAddr, &Name, RecordType) -> Option<Packet> + Send + Sync + 'static,
) -> (Recursor, Arc<Scripted>) {
    slow_recursor(families, |_| Duration::ZERO, script)
}

/// Like [`recursor`], with each server answering after `delay(server)`:
/// concurrent work then finishes in another order than it started.
pub fn slow_recursor(
    families: IpFamilies,
    delay: impl Fn(IpAddr) -> Duration + Send + Sync + 'static,
    script: impl Fn(IpAddr, &Name, RecordType) -> Option<Packet> + Send + Sync + 'static,
) -> (Recursor, Arc<Scripted>) {
    let transport = Arc::new(Scripted {
        script: Box::new(script),
        delay: Box::new(delay),
        sent: AtomicUsize::new(0),
        replaying: AtomicBool::new(false),
        held: std::sync::Mutex::default(),
    });
    let client = Client::new(
        Arc::clone(&transport) as Arc<dyn Transport>,
        ClientConfig::default(),
    );
    let hints = RootHints::from_servers(vec![HintServer {
        name: name("root.test."),
        addresses: vec![ip(ROOT)],
    }]);
    (Recursor::new(client, hints, families), transport)
}

/// A name from text.
pub fn name(text: &str) -> Name {
    Name::from_ascii(text).expect("test names are valid")
}

/// An address from text.
pub fn ip(text: &str) -> IpAddr {
    text.parse().expect("test addresses are valid")
}

fn empty(aa: bool, rcode: Rcode) -> Packet {
    let flags = if aa { 0x84 } else { 0x80 };
    let mut packet =
        Packet::decode(&[0, 1, flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]).expect("a header decodes");
    packet.rcode = rcode;
    packet
}

/// A referral to `zone` with NS `servers`, each with glue when given.
pub fn referral(zone: &str, servers: &[(&str, Option<&str>)]) -> Packet {
    let mut packet = empty(false, Rcode::NOERROR);
    for (server, glue) in servers {
        packet.authority.push(Record::from_rdata(
            name(zone),
            60,
            RData::NS(NS(name(server))),
        ));
        if let Some(address) = glue {
            packet.additional.push(a_record(server, address));
        }
    }
    packet
}

/// An authoritative answer with `records`.
pub fn answer(records: Vec<Record>) -> Packet {
    let mut packet = empty(true, Rcode::NOERROR);
    packet.answer = records;
    packet
}

/// An authoritative NXDOMAIN with the zone's SOA.
pub fn nxdomain(zone: &str) -> Packet {
    let mut packet = empty(true, Rcode::NXDOMAIN);
    packet.authority.push(soa_record(zone));
    packet
}

/// A bare reply with `rcode`.
pub fn error(rcode: Rcode) -> Packet {
    empty(false, rcode)
}

/// An A record.
pub fn a_record(owner: &str, address: &str) -> Record {
    let address: std::net::Ipv4Addr = address.parse().expect("test addresses are valid");
    Record::from_rdata(name(owner), 60, RData::A(A(address)))
}

/// A CNAME record.
pub fn cname_record(owner: &str, target: &str) -> Record {
    Record::from_rdata(name(owner), 60, RData::CNAME(CNAME(name(target))))
}

/// An SOA record for `zone`.
pub fn soa_record(zone: &str) -> Record {
    let soa = SOA::new(name(zone), name(zone), 1, 3600, 600, 86400, 60);
    Record::from_rdata(name(zone), 60, RData::SOA(soa))
}

/// An authoritative NS answer for `zone` with glue where given.
pub fn ns_answer(zone: &str, servers: &[(&str, Option<&str>)]) -> Packet {
    let mut packet = referral(zone, servers);
    packet.aa = true;
    packet.answer = std::mem::take(&mut packet.authority);
    packet
}

/// An authoritative NODATA reply with the zone's SOA.
pub fn nodata(zone: &str) -> Packet {
    let mut packet = empty(true, Rcode::NOERROR);
    packet.authority.push(soa_record(zone));
    packet
}
