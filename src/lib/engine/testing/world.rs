//! The scripted world: which server (by address) holds which zones, and how
//! each one misbehaves.
//!
//! A server is one address. Its zones are found from its lines: every SOA
//! owner is the apex of a zone it serves, and every other record joins the
//! deepest of those apexes above it. The ready-made skeleton
//! ([`World::with_parents`], [`World::delegate`]) uses 198.51.100.0/24 for
//! the root and parent servers, so the addresses a test picks for the zone
//! under test (192.0.2.0/24, 2001:db8::/32) never collide with them.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

use hickory_proto::rr::{Name, Record, RecordType};

use super::zone_text::parse_records;
use crate::dns::Rcode;
use crate::engine::hints::{HintServer, RootHints};

/// Name and address of the skeleton's root server.
const ROOT_SERVER: (&str, &str) = ("a.root.", "198.51.100.1");
/// Address of the skeleton's server for the parent zone (when it is not
/// the root).
const PARENT_ADDRESS: &str = "198.51.100.2";

/// How one server answers, for bad-zone tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Behaviour {
    /// Like a correct authoritative server.
    #[default]
    Answers,
    /// Never answers: every query is a timeout (returned at once).
    Silent,
    /// Answers everything with this RCODE and empty sections
    /// (`Rcode::REFUSED`, `Rcode::SERVFAIL` …).
    Rcode(Rcode),
    /// Answers with the right data but the AA bit clear.
    NotAuthoritative,
    /// Behaves as if it held no record of this type.
    Drops(RecordType),
    /// Listed in a delegation but serves none of its zones: REFUSED for
    /// every question, as a lame server that refuses does.
    Lame,
    // The server behaviours the Nameserver module probes (engine spec
    // §3.7), each the opposite of what a good server does.
    /// Offers recursion: RA set, NXDOMAIN for names it does not serve.
    Recursive,
    /// NXDOMAIN for names it does not serve, RA clear: a resolver that
    /// hides its recursion.
    DeniesOtherNames,
    /// Misbehaves as the fault says on the EDNS queries the probe names.
    OnEdns(EdnsProbe, EdnsFault),
    /// Never answers queries of this type.
    Ignores(RecordType),
    /// Answers queries of this type with this RCODE and empty sections.
    RcodeFor(RecordType, Rcode),
    /// Sends its replies from this other address.
    AnswersFrom(IpAddr),
    /// Refers names outside its zones to the root (upward referral).
    RefersUpward,
    /// Lower-cases the question name in its replies.
    LowersQuestion,
    /// Answers a name normally as first spelt; other spellings get this
    /// RCODE with empty sections, or silence when `None` (the memory is
    /// shared by clones of the world).
    OtherSpellings(Option<Rcode>),
    /// Refuses zone transfers.
    RefusesTransfers,
    /// Answers over UDP, silent over TCP.
    NoTcp,
    /// Answers as usual, but the answer records owned by the zone's apex
    /// (its SOA, its NS set) are owned by this absolute name instead.
    OwnerRenamed(&'static str),
    /// Never answers and, unlike [`Behaviour::Silent`], takes the time
    /// the profile gives a query to say so: for tests of time bounds,
    /// under tokio's paused clock.
    Hangs,
}

/// How a scripted WHOIS server (TCP port 43) replies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WhoisReply {
    /// This text, then it closes the connection.
    Text(String),
    /// Accepts the connection and never replies: only the asker's own
    /// bound ends the wait.
    Hangs,
}

/// Which EDNS queries a [`Behaviour::OnEdns`] server misbehaves on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdnsProbe {
    /// Every query with an OPT record.
    Any,
    /// EDNS version above 0.
    UnknownVersion,
    /// Queries carrying EDNS options.
    Options,
    /// Queries with Z flag bits set.
    Flags,
    /// Queries with DO set.
    DnssecOk,
}

impl EdnsProbe {
    /// True when the query's OPT record `asked` is one of these.
    pub(super) fn matches(self, asked: &crate::dns::Edns) -> bool {
        match self {
            Self::Any => true,
            Self::UnknownVersion => asked.version > 0,
            Self::Options => !asked.options.is_empty(),
            Self::Flags => asked.z != 0,
            Self::DnssecOk => asked.dnssec_ok,
        }
    }
}

/// What a [`Behaviour::OnEdns`] server does wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdnsFault {
    /// Stays silent.
    Silent,
    /// FORMERR without an OPT record.
    Formerr,
    /// This RCODE with an OPT record and empty sections.
    Rcode(Rcode),
    /// Answers normally without an OPT record.
    WithoutOpt,
    /// Answers normally with an OPT record of this version (no BADVERS).
    Version(u8),
    /// Echoes the query's options and Z flags in its OPT record.
    Echoes,
    /// Answers with the AA bit clear.
    ClearsAa,
    /// Answers with an empty answer section.
    EmptyAnswer,
    /// TC set, empty sections, no OPT record.
    TruncatedWithoutOpt,
}

/// One zone as one server holds it.
#[derive(Clone, Debug)]
pub(super) struct Zone {
    /// The apex, the owner of its SOA.
    pub apex: Name,
    /// Every record, the SOA included, in the order given.
    pub records: Vec<Record>,
}

/// One server address and what it serves.
#[derive(Clone, Debug)]
pub(super) struct Server {
    /// Its host name (root hints show it; nothing else looks at it).
    pub name: Name,
    /// Where it answers.
    pub address: IpAddr,
    /// The zones it is authoritative for.
    pub zones: Vec<Zone>,
    /// How it answers.
    pub behaviour: Behaviour,
    /// How it answers questions of one type, where that differs.
    pub behaviour_by_type: Vec<(RecordType, Behaviour)>,
}

impl Server {
    /// The served zone closest to `name`, if any encloses it.
    pub fn zone_for(&self, name: &Name) -> Option<&Zone> {
        self.zones
            .iter()
            .filter(|zone| zone.apex.zone_of(name))
            .max_by_key(|zone| zone.apex.num_labels())
    }

    /// How it answers a question of type `rtype`.
    pub fn behaviour_for(&self, rtype: RecordType) -> Behaviour {
        self.behaviour_by_type
            .iter()
            .find(|(of, _)| *of == rtype)
            .map_or(self.behaviour, |(_, behaviour)| *behaviour)
    }
}

/// An in-process DNS: authoritative servers by address, each serving
/// zones given as text. Implements [`crate::dns::Transport`].
///
/// The builder methods panic on bad input (a typo in a test's zone text,
/// a zone nobody serves): they are for tests, and a panic with the line
/// is the clearest report there.
#[derive(Clone, Debug, Default)]
pub struct World {
    servers: Vec<Server>,
    /// WHOIS servers by address.
    pub(super) whois: Vec<(IpAddr, WhoisReply)>,
    /// Every question asked of the world, in order; clones share it.
    pub(super) asked: Arc<Mutex<Vec<Asked>>>,
    /// (server, lower-case name) → the spelling first asked, for
    /// [`Behaviour::FirstSpellingOnly`].
    spellings: Arc<Mutex<HashMap<(IpAddr, String), String>>>,
}

/// One question the world was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Asked {
    /// A DNS query to a server address.
    Dns {
        /// The server's address.
        server: IpAddr,
        /// The query name as sent.
        name: Name,
        /// The query type.
        rtype: RecordType,
    },
    /// A WHOIS question to a server address.
    Whois {
        /// The server's address.
        server: IpAddr,
        /// The question line.
        question: String,
    },
}

impl World {
    /// A world without servers: every query times out.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds zone data to the server at `address` (creating it, named
    /// `name`). Each SOA line starts a zone; the other lines join the
    /// deepest zone of this server above their owner.
    ///
    /// # Panics
    ///
    /// On a bad address or line, or a record under no zone of the server.
    pub fn server(self, name: &str, address: &str, lines: &[impl AsRef<str>]) -> Self {
        let records = parse_records(lines).unwrap_or_else(|error| panic!("{error}"));
        self.server_records(name, address, records)
    }

    /// [`World::server`] with records built in code: for names zone text
    /// cannot write (an `_` or `@` inside a name in rdata).
    ///
    /// # Panics
    ///
    /// On a bad address, or a record under no zone of the server.
    pub fn server_records(mut self, name: &str, address: &str, records: Vec<Record>) -> Self {
        let server = self.server_mut_or_new(name, address);
        for soa in records
            .iter()
            .filter(|r| r.record_type() == RecordType::SOA)
        {
            if server.zones.iter().all(|zone| zone.apex != soa.name) {
                server.zones.push(Zone {
                    apex: soa.name.clone(),
                    records: Vec::new(),
                });
            }
        }
        for record in records {
            let apex = server
                .zone_for(&record.name)
                .map(|zone| zone.apex.clone())
                .unwrap_or_else(|| panic!("{address} serves no zone above {}", record.name));
            if let Some(zone) = server.zones.iter_mut().find(|zone| zone.apex == apex) {
                zone.records.push(record);
            }
        }
        self
    }

    /// Adds records to `zone` on every server that serves it.
    ///
    /// # Panics
    ///
    /// On a bad line, or when no server serves `zone`.
    pub fn add(self, zone: &str, lines: &[impl AsRef<str>]) -> Self {
        let records = parse_records(lines).unwrap_or_else(|error| panic!("{error}"));
        self.add_records(zone, records)
    }

    /// [`World::add`] with records built in code.
    ///
    /// # Panics
    ///
    /// When no server serves `zone`.
    pub fn add_records(mut self, zone: &str, records: Vec<Record>) -> Self {
        let apex = name(zone);
        let mut served = false;
        for server in &mut self.servers {
            for held in server.zones.iter_mut().filter(|held| held.apex == apex) {
                held.records.extend(records.iter().cloned());
                served = true;
            }
        }
        assert!(served, "no server serves {zone}");
        self
    }

    /// Sets how the server at `address` answers.
    ///
    /// # Panics
    ///
    /// When no server is at `address`.
    pub fn behave(mut self, address: &str, behaviour: Behaviour) -> Self {
        let address = ip(address);
        let server = self
            .servers
            .iter_mut()
            .find(|server| server.address == address)
            .unwrap_or_else(|| panic!("no server at {address}"));
        server.behaviour = behaviour;
        self
    }

    /// Adds a WHOIS server at `address` replying `reply`.
    ///
    /// # Panics
    ///
    /// On a bad address.
    pub fn whois(mut self, address: &str, reply: WhoisReply) -> Self {
        self.whois.push((ip(address), reply));
        self
    }

    /// Every question asked of this world (or of a clone) so far.
    pub fn asked(&self) -> Vec<Asked> {
        self.asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Notes a question in [`World::asked`].
    pub(super) fn note(&self, asked: Asked) {
        self.asked
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(asked);
    }

    /// Sets how the server at `address` answers questions of type
    /// `rtype` only (an MX query refused, the SOA answered).
    ///
    /// # Panics
    ///
    /// When no server is at `address`.
    pub fn behave_for(mut self, address: &str, rtype: RecordType, behaviour: Behaviour) -> Self {
        let address = ip(address);
        let server = self
            .servers
            .iter_mut()
            .find(|server| server.address == address)
            .unwrap_or_else(|| panic!("no server at {address}"));
        server.behaviour_by_type.retain(|(of, _)| *of != rtype);
        server.behaviour_by_type.push((rtype, behaviour));
        self
    }

    /// A root zone and, unless it is the root, the parent zone of `zone`,
    /// each on one server, with no delegation of `zone` yet: the world of
    /// a zone that does not exist. A parent deeper than a TLD is delegated
    /// straight from the root (the labels between are empty non-terminals
    /// there), which is all a test about `zone` needs.
    pub fn with_parents(zone: &str) -> Self {
        let (root_name, root_address) = ROOT_SERVER;
        let mut root = zone_head(".", &[root_name]);
        root.push(format!("{root_name} A {root_address}"));
        let world = Self::new().server(root_name, root_address, &root);
        let parent = name(zone).base_name();
        if parent.is_root() {
            return world;
        }
        let parent = parent.to_ascii();
        let parent_server = format!("ns1.{parent}");
        world.delegate(&parent, &[(&parent_server, PARENT_ADDRESS)])
    }

    /// [`World::with_parents`] plus the delegation of `zone` to `servers`
    /// (name, address), each serving a minimal zone: the world of a zone
    /// that passes the Basic tests.
    pub fn with_delegation(zone: &str, servers: &[(&str, &str)]) -> Self {
        Self::with_parents(zone).delegate(zone, servers)
    }

    /// Delegates `zone` from its parent (NS, and glue for names inside
    /// `zone`) and [`World::serve`]s it at `servers`.
    ///
    /// # Panics
    ///
    /// When no server serves the parent of `zone`.
    pub fn delegate(self, zone: &str, servers: &[(&str, &str)]) -> Self {
        self.cut(zone, servers).serve(zone, servers)
    }

    /// Delegates `zone` from its parent to `servers` (name, address): the
    /// NS records and the glue of the names inside `zone`, serving nothing;
    /// the test says what each server serves.
    ///
    /// # Panics
    ///
    /// When no server serves the parent of `zone`.
    pub fn cut(self, zone: &str, servers: &[(&str, &str)]) -> Self {
        let apex = name(zone);
        let mut cut: Vec<String> = host_names(servers)
            .iter()
            .map(|host| format!("{zone} NS {host}"))
            .collect();
        cut.extend(in_zone_addresses(&apex, servers));
        self.add(&apex.base_name().to_ascii(), &cut)
    }

    /// Serves a minimal `zone` (SOA, NS, addresses of the names inside it)
    /// at every address in `servers` (name, address), without touching its
    /// parent: on its own, the world of an undelegated test.
    pub fn serve(mut self, zone: &str, servers: &[(&str, &str)]) -> Self {
        let mut lines = zone_head(zone, &host_names(servers));
        lines.extend(in_zone_addresses(&name(zone), servers));
        for (host, address) in servers {
            self = self.server(host, address, &lines);
        }
        self
    }

    /// Root hints naming the servers of the root zone.
    pub fn root_hints(&self) -> RootHints {
        let mut hints: Vec<HintServer> = Vec::new();
        let root = self
            .servers
            .iter()
            .filter(|server| server.zones.iter().any(|zone| zone.apex.is_root()));
        for server in root {
            match hints.iter_mut().find(|hint| hint.name == server.name) {
                Some(hint) => hint.addresses.push(server.address),
                None => hints.push(HintServer {
                    name: server.name.clone(),
                    addresses: vec![server.address],
                }),
            }
        }
        RootHints::from_servers(hints)
    }

    /// True when `name` is spelt as it was first asked of `server`
    /// (or this is the first time).
    pub(super) fn is_first_spelling(&self, server: IpAddr, name: &Name) -> bool {
        let spelt = name.to_ascii();
        let mut spellings = self
            .spellings
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let first = spellings
            .entry((server, spelt.to_ascii_lowercase()))
            .or_insert_with(|| spelt.clone());
        *first == spelt
    }

    /// The server at `address`, if there is one.
    pub(super) fn server_at(&self, address: IpAddr) -> Option<&Server> {
        let address = address.to_canonical();
        self.servers.iter().find(|server| server.address == address)
    }

    fn server_mut_or_new(&mut self, host: &str, address: &str) -> &mut Server {
        let address = ip(address);
        let index = match self.servers.iter().position(|s| s.address == address) {
            Some(index) => index,
            None => {
                self.servers.push(Server {
                    name: name(host),
                    address,
                    zones: Vec::new(),
                    behaviour: Behaviour::Answers,
                    behaviour_by_type: Vec::new(),
                });
                self.servers.len() - 1
            }
        };
        &mut self.servers[index]
    }
}

/// SOA and NS lines of `zone` served by `hosts` (the first is the primary).
fn zone_head(zone: &str, hosts: &[&str]) -> Vec<String> {
    let primary = hosts.first().copied().unwrap_or(ROOT_SERVER.0);
    let contact = format!("hostmaster.{}", if zone == "." { "" } else { zone });
    let mut lines = vec![format!(
        "{zone} SOA {primary} {contact} 2025010101 3600 900 604800 300"
    )];
    lines.extend(hosts.iter().map(|host| format!("{zone} NS {host}")));
    lines
}

/// The distinct host names of `servers`, in order.
fn host_names<'a>(servers: &[(&'a str, &str)]) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for (host, _) in servers {
        if !names.contains(host) {
            names.push(host);
        }
    }
    names
}

/// A/AAAA lines for the servers whose names lie inside `apex`.
fn in_zone_addresses(apex: &Name, servers: &[(&str, &str)]) -> Vec<String> {
    servers
        .iter()
        .filter(|(host, _)| apex.zone_of(&name(host)))
        .map(|(host, address)| {
            let rtype = if ip(address).is_ipv4() { "A" } else { "AAAA" };
            format!("{host} {rtype} {address}")
        })
        .collect()
}

/// A name a test wrote; must be absolute.
pub(super) fn name(text: &str) -> Name {
    assert!(text.ends_with('.'), "`{text}` must end in `.`");
    Name::from_ascii(text).unwrap_or_else(|error| panic!("`{text}`: {error}"))
}

/// An address a test wrote.
fn ip(text: &str) -> IpAddr {
    text.parse()
        .unwrap_or_else(|error| panic!("`{text}` is not an address: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_join_the_deepest_zone_of_their_server() {
        let world = World::new().server(
            "ns.example.",
            "192.0.2.1",
            &[
                "example. SOA ns.example. h.example. 1 2 3 4 5",
                "sub.example. SOA ns.example. h.example. 1 2 3 4 5",
                "a.sub.example. A 192.0.2.9",
                "b.example. A 192.0.2.10",
            ],
        );
        let server = world.server_at(ip("192.0.2.1")).unwrap();
        let apex_of = |owner: &str| server.zone_for(&name(owner)).unwrap().apex.to_ascii();
        assert_eq!(apex_of("a.sub.example."), "sub.example.");
        assert_eq!(apex_of("b.example."), "example.");
        assert!(server.zone_for(&name("other.")).is_none());
    }

    #[test]
    fn root_hints_are_the_servers_of_the_root() {
        let world = World::with_delegation("example.com.", &[("ns1.example.com.", "192.0.2.1")]);
        let hints = world.root_hints();
        let servers = hints.servers();
        assert_eq!(servers.len(), 1);
        assert_eq!(servers[0].name, name(ROOT_SERVER.0));
        assert_eq!(servers[0].addresses, [ip(ROOT_SERVER.1)]);
    }

    #[test]
    #[should_panic(expected = "serves no zone above")]
    fn a_record_outside_every_zone_is_refused() {
        let _ = World::new().server("ns.example.", "192.0.2.1", &["www.example. A 192.0.2.1"]);
    }
}
