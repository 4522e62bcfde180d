//! Wire-level DNS client: one query to one server, every knob exposed.
//!
//! Zonemaster reports on exactly how a name server behaves, so this layer
//! gives the engine control that no client crate offers: the header bits,
//! EDNS version / DO / Z flags / payload size / raw options, UDP or TCP, and
//! what happens on truncation. hickory-proto is used for the message model
//! (names, record data); the transport and the parts of the wire format
//! where we need byte-level control are our own:
//!
//! * hickory's UDP client drops replies from another source address, or
//!   with an empty or mismatched question (an EDNS-intolerant server answers
//!   FORMERR without a question), caps its buffer and loses the raw bytes on
//!   a parse error. Zonemaster reports all of these, so we keep them.
//! * hickory decodes a message all-or-nothing; [`packet`] decodes record by
//!   record and keeps an undecodable record as raw bytes.
//! * hickory clamps the EDNS payload size below 512 and drops malformed
//!   options; we write and read the OPT record ourselves.
//!
//! Nothing a server does is an `Err` here: timeouts, unreachable networks
//! and garbage replies are [`Outcome`] values the engine turns into findings.
//!
//! Three [`Transport`]s sit behind one trait: [`LiveTransport`] (sockets),
//! [`Recorder`] (live + saves every exchange) and [`Replayer`] (answers from
//! a file, never touches the network; [`restore`] opens our recordings and
//! Zonemaster's `.data` files, with or without their index). [`Client`] adds the per-run cache,
//! in-flight coalescing, per-server concurrency caps and statistics.
//! Below every query the live transport can take a process-wide
//! [`Pacer`] (a per-address packet rate limit) and refuse
//! [`special_purpose`] addresses.

pub mod chain;
mod client;
pub mod departure;
mod fake;
mod live;
mod name_text;
mod outcome;
mod pacing;
pub mod packet;
mod query;
mod recording;
mod replay;
mod restore;
mod special_address;
mod stats;
mod transport;
mod whois;
pub(crate) mod zonemaster_format;
mod zonemaster_key;

pub use chain::Chain;
pub use client::{Client, ClientConfig};
pub use fake::FakeReferral;
pub use live::{LiveTransport, SourceAddressError};
pub use name_text::{NameTextError, name_to_text, parse_name_text};
pub use outcome::{Decoded, NetworkErrorKind, Outcome, Response, Stray, StrayReason};
pub use pacing::{NoTurn, Pacer};
pub use packet::{Classification, Opt, Packet, Rcode};
pub use query::{Edns, Protocol, Query, QueryKey};
pub use recording::{Recorder, RecordingError};
pub use replay::Replayer;
pub use restore::{RecordingFormat, Restored, detect_format, find_index, restore};
pub use special_address::special_purpose;
pub use stats::{ServerStats, StatsSnapshot};
pub use transport::{AxfrOutcome, QueryOptions, Request, Transport};
pub use whois::{WHOIS_PORT, WhoisOutcome};
pub use zonemaster_format::{
    IndexEntry, LoadReport, load_zonemaster_data, load_zonemaster_recording, read_index,
};
pub use zonemaster_key::{ZonemasterEdns, ZonemasterKey, zonemaster_keys};

pub use hickory_proto::rr::{DNSClass, Name, RData, Record, RecordType};
