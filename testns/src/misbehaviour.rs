//! Directives that make a server misbehave on purpose, for the fixture
//! zones of the engine's Nameserver tests. None is a CoreDNS plugin;
//! the conformance world does not use them, so it is served exactly as
//! before. Each is one real server behaviour:
//!
//! * `recursion`: RA set in every reply (an open resolver).
//! * `reply-from ADDRESS`: UDP replies leave from ADDRESS, not from the
//!   address asked (the server binds ADDRESS for sending).
//! * `qname lower`: the question goes back lower-cased.
//! * `upward-referral NAME...`: a question for a name outside the
//!   block's `file` zones is referred to the root: NS records of `.`
//!   naming NAME... in authority, AA clear.
//! * `axfr refuse`: zone transfers are REFUSED (they are allowed by
//!   default).
//! * `edns RULE...`, RULE among `formerr` (FORMERR without OPT to every
//!   EDNS query), `drop` (EDNS queries get no reply), `no-opt` (EDNS
//!   queries answered without OPT), `ignore-version` (EDNS versions above
//!   0 answered as version 0, no BADVERS), `echo-options` and
//!   `echo-flags` (the query's options, Z flags, sent back in the OPT),
//!   `truncate-do` (a query with DO gets TC, empty sections, no OPT).
//! * `transport udp-only` / `transport tcp-only`: the block serves one
//!   transport only. Queries over the other are not answered; where every
//!   block on an address says so, nothing listens there on that transport
//!   (a TCP connection is refused, a datagram draws ICMP port
//!   unreachable), as with a server configured without it.
//! * `spelling REGEX ACTION`: names matched as spelt (`crate::spelling`).
//! * `edns-version RULE`, `edns-option RULE`: unknown EDNS versions and
//!   options (`crate::ednsprobe`).

use std::net::IpAddr;

use hickory_proto::rr::Name;

use crate::answer::Action;
use crate::config::name_from_text;
use crate::corefile::{ConfigError, Directive};
use crate::message::{OptStyle, Reply, Request};
use crate::zone::{Rr, rtype};

const FORMERR: u16 = 1;
const REFUSED: u16 = 5;
const CLASS_IN: u16 = 1;
/// TTL of the NS records of an upward referral.
const REFERRAL_TTL: u32 = 518_400;

/// One `edns` rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdnsRule {
    /// FORMERR without OPT to every EDNS query.
    Formerr,
    /// No reply to EDNS queries.
    Drop,
    /// EDNS queries answered without OPT.
    NoOpt,
    /// Versions above 0 answered as version 0 (no BADVERS).
    IgnoreVersion,
    /// The query's options sent back.
    EchoOptions,
    /// The query's Z flags sent back.
    EchoFlags,
    /// DO queries get TC, empty sections, no OPT.
    TruncateDo,
}

/// The one transport a `transport` block serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// UDP only: no TCP.
    UdpOnly,
    /// TCP only: no UDP.
    TcpOnly,
}

/// A block's misbehaviours; the default is none.
#[derive(Debug, Default)]
pub struct Misbehaviour {
    /// `recursion`.
    pub recursion: bool,
    /// `reply-from`.
    pub reply_from: Option<IpAddr>,
    /// `qname lower`.
    pub lowers_qname: bool,
    /// `upward-referral`: the root's NS names; empty = off.
    pub upward_referral: Vec<Name>,
    /// `axfr refuse`.
    pub refuses_axfr: bool,
    /// `edns` rules.
    pub edns: Vec<EdnsRule>,
    /// `transport`: the only transport served; `None` = both.
    pub transport: Option<Transport>,
    /// `spelling` rules (`crate::spelling`).
    pub spelling: crate::spelling::SpellingRules,
    /// `edns-version` and `edns-option` rules (`crate::ednsprobe`).
    pub edns_probes: crate::ednsprobe::EdnsProbes,
}

impl Misbehaviour {
    /// Takes `directive` if it is one of ours; false when it is not.
    pub fn configure(&mut self, directive: &Directive) -> Result<bool, ConfigError> {
        if self.spelling.configure(directive)? || self.edns_probes.configure(directive)? {
            return Ok(true);
        }
        let words: Vec<&str> = directive.args.iter().map(|t| t.text.as_str()).collect();
        let name = &directive.name;
        match (name.text.as_str(), words.as_slice()) {
            ("recursion", []) => self.recursion = true,
            ("reply-from", [address]) => {
                self.reply_from = Some(
                    address
                        .parse()
                        .map_err(|_| name.error(format!("`{address}` is not an IP address")))?,
                );
            }
            ("qname", ["lower"]) => self.lowers_qname = true,
            ("axfr", ["refuse"]) => self.refuses_axfr = true,
            ("transport", ["udp-only"]) => self.transport = Some(Transport::UdpOnly),
            ("transport", ["tcp-only"]) => self.transport = Some(Transport::TcpOnly),
            ("upward-referral", names) if !names.is_empty() => {
                for text in names {
                    let absolute = format!("{}.", text.trim_end_matches('.'));
                    let ns = name_from_text(&absolute)
                        .map_err(|reason| name.error(format!("upward-referral: {reason}")))?;
                    self.upward_referral.push(ns);
                }
            }
            ("edns", rules) if !rules.is_empty() => {
                for rule in rules {
                    self.edns.push(edns_rule(rule).ok_or_else(|| {
                        name.error(format!(
                            "unknown edns rule `{rule}` (formerr, drop, no-opt, \
                             ignore-version, echo-options, echo-flags, truncate-do)"
                        ))
                    })?);
                }
            }
            (
                "recursion" | "reply-from" | "qname" | "axfr" | "upward-referral" | "edns"
                | "transport",
                _,
            ) => {
                return Err(name.error(format!(
                    "`{}` takes: recursion | reply-from ADDRESS | qname lower | \
                     axfr refuse | upward-referral NAME... | edns RULE... | \
                     transport udp-only|tcp-only",
                    name.text
                )));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Whether the block answers over TCP (`is_tcp`) or UDP.
    pub fn serves(&self, is_tcp: bool) -> bool {
        match self.transport {
            None => true,
            Some(Transport::UdpOnly) => !is_tcp,
            Some(Transport::TcpOnly) => is_tcp,
        }
    }

    /// True for `edns ignore-version` and `edns-version`: the block
    /// answers EDNS versions above 0 itself (no BADVERS).
    pub fn ignores_edns_version(&self) -> bool {
        self.edns.contains(&EdnsRule::IgnoreVersion) || self.edns_probes.handles_version()
    }

    /// What the block does instead of answering, if anything; `served`
    /// says whether a `file` zone of the block holds the name.
    pub fn intercept(&self, request: &Request, served: bool) -> Option<Action> {
        if let Some(action) = self
            .spelling
            .intercept(request)
            .or_else(|| self.edns_probes.intercept(request))
        {
            return Some(action);
        }
        if let Some(edns) = &request.edns {
            if self.edns.contains(&EdnsRule::Drop) {
                return Some(Action::Drop);
            }
            if self.edns.contains(&EdnsRule::Formerr) {
                return Some(Action::Reply(Reply {
                    opt: OptStyle::Omitted,
                    ..Reply::bare(FORMERR)
                }));
            }
            if edns.dnssec_ok && self.edns.contains(&EdnsRule::TruncateDo) {
                return Some(Action::Reply(Reply {
                    is_truncated: true,
                    opt: OptStyle::Omitted,
                    ..Reply::default()
                }));
            }
        }
        if self.refuses_axfr && request.qtype == rtype::AXFR {
            return Some(Action::Reply(Reply::bare(REFUSED)));
        }
        if !served && !self.upward_referral.is_empty() {
            return Some(Action::Reply(self.referral_to_root()));
        }
        None
    }

    /// Applies the reply-shaping misbehaviours to `reply`.
    pub fn shape(&self, request: &Request, reply: &mut Reply) {
        reply.ra |= self.recursion;
        reply.lowers_qname |= self.lowers_qname;
        self.edns_probes.shape(request, reply);
        let Some(edns) = &request.edns else {
            return;
        };
        if self.edns.contains(&EdnsRule::NoOpt) {
            reply.opt = OptStyle::Omitted;
        } else if reply.opt == OptStyle::Normal {
            let echoes_flags = self.edns.contains(&EdnsRule::EchoFlags);
            let echoes_options = self.edns.contains(&EdnsRule::EchoOptions);
            if echoes_flags || echoes_options {
                reply.opt = OptStyle::Echo {
                    z: if echoes_flags { edns.z } else { 0 },
                    options: if echoes_options {
                        edns.options.clone()
                    } else {
                        Vec::new()
                    },
                };
            }
        }
    }

    fn referral_to_root(&self) -> Reply {
        let authority = self
            .upward_referral
            .iter()
            .map(|target| Rr {
                name: Name::root(),
                rtype: rtype::NS,
                class: CLASS_IN,
                ttl: REFERRAL_TTL,
                rdata: wire_name(target),
            })
            .collect();
        Reply {
            authority,
            ..Reply::default()
        }
    }
}

fn edns_rule(word: &str) -> Option<EdnsRule> {
    Some(match word {
        "formerr" => EdnsRule::Formerr,
        "drop" => EdnsRule::Drop,
        "no-opt" => EdnsRule::NoOpt,
        "ignore-version" => EdnsRule::IgnoreVersion,
        "echo-options" => EdnsRule::EchoOptions,
        "echo-flags" => EdnsRule::EchoFlags,
        "truncate-do" => EdnsRule::TruncateDo,
        _ => return None,
    })
}

/// `name` uncompressed in wire form.
fn wire_name(name: &Name) -> Vec<u8> {
    let mut wire = Vec::new();
    for label in name.iter() {
        wire.push(u8::try_from(label.len()).unwrap_or(63));
        wire.extend_from_slice(label);
    }
    wire.push(0);
    wire
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::World;
    use crate::message::{parse_request, write_reply};
    use crate::test_support::{self, EXAMPLE_ZONE, LOCAL, config_error};

    /// A world of one `.` block serving `example.` with `directives`.
    fn world(directives: &str) -> World {
        test_support::world(".", EXAMPLE_ZONE, directives)
    }

    fn world_v6_reply_from() -> World {
        world("reply-from fd53::9")
    }

    /// A query; `opt` = (version, DO, Z, option bytes).
    fn query(name: &str, qtype: u16, opt: Option<(u8, bool, u16, &[u8])>) -> Vec<u8> {
        let mut wire = vec![
            0x12,
            0x34,
            0,
            0,
            0,
            1,
            0,
            0,
            0,
            0,
            0,
            u8::from(opt.is_some()),
        ];
        for label in name
            .trim_end_matches('.')
            .split('.')
            .filter(|l| !l.is_empty())
        {
            wire.push(u8::try_from(label.len()).unwrap());
            wire.extend_from_slice(label.as_bytes());
        }
        wire.push(0);
        wire.extend_from_slice(&qtype.to_be_bytes());
        wire.extend_from_slice(&1u16.to_be_bytes());
        if let Some((version, dnssec_ok, z, options)) = opt {
            wire.extend_from_slice(&[0, 0, 41, 2, 0, 0, version]);
            let flags = (u16::from(dnssec_ok) << 15) | z;
            wire.extend_from_slice(&flags.to_be_bytes());
            wire.extend_from_slice(&u16::try_from(options.len()).unwrap().to_be_bytes());
            wire.extend_from_slice(options);
        }
        wire
    }

    fn edns0(z: u16, options: &[u8]) -> Option<(u8, bool, u16, &[u8])> {
        Some((0, false, z, options))
    }

    /// What `world` sends back to `wire` over UDP; `None` for silence.
    fn ask(world: &World, wire: &[u8]) -> Option<Vec<u8>> {
        let request = parse_request(wire).unwrap();
        match world.answer(LOCAL.parse().unwrap(), &request, false) {
            Action::Reply(reply) => Some(write_reply(&request, &reply, Some(request.udp_limit()))),
            Action::Drop | Action::Transfer(_) => None,
        }
    }

    fn count(reply: &[u8], section: usize) -> u16 {
        u16::from_be_bytes([reply[4 + 2 * section], reply[5 + 2 * section]])
    }

    fn rcode(reply: &[u8]) -> u8 {
        reply[3] & 0x0f
    }

    const SOA: u16 = 6;

    #[test]
    fn recursion_sets_ra() {
        let plain = ask(&world(""), &query("example.", SOA, None)).unwrap();
        assert_eq!(plain[3] & 0x80, 0);
        let open = ask(&world("recursion"), &query("example.", SOA, None)).unwrap();
        assert_eq!(open[3] & 0x80, 0x80);
    }

    #[test]
    fn edns_formerr_and_drop_spare_plain_queries() {
        let formerr = world("edns formerr");
        let reply = ask(&formerr, &query("example.", SOA, edns0(0, &[]))).unwrap();
        assert_eq!((rcode(&reply), count(&reply, 3)), (1, 0), "FORMERR, no OPT");
        let plain = ask(&formerr, &query("example.", SOA, None)).unwrap();
        assert_eq!((rcode(&plain), count(&plain, 1)), (0, 1));
        let drop = world("edns drop");
        assert!(ask(&drop, &query("example.", SOA, edns0(0, &[]))).is_none());
        assert!(ask(&drop, &query("example.", SOA, None)).is_some());
    }

    #[test]
    fn edns_no_opt_answers_without_opt() {
        let reply = ask(
            &world("edns no-opt"),
            &query("example.", SOA, edns0(0, &[])),
        )
        .unwrap();
        assert_eq!(
            (rcode(&reply), count(&reply, 1), count(&reply, 3)),
            (0, 1, 0)
        );
        let normal = ask(&world(""), &query("example.", SOA, edns0(0, &[]))).unwrap();
        assert_eq!(count(&normal, 3), 1, "OPT by default");
    }

    #[test]
    fn edns_ignore_version_answers_version_1_without_badvers() {
        let version1 = query("example.", SOA, Some((1, false, 0, &[])));
        let normal = ask(&world(""), &version1).unwrap();
        assert_eq!(count(&normal, 1), 0);
        assert_eq!(normal[normal.len() - 6], 1, "extended RCODE 1: BADVERS");
        let ignoring = ask(&world("edns ignore-version"), &version1).unwrap();
        assert_eq!((rcode(&ignoring), count(&ignoring, 1)), (0, 1));
        assert_eq!(ignoring[ignoring.len() - 6], 0, "no BADVERS");
    }

    #[test]
    fn edns_echoes_options_and_flags() {
        let probe = query("example.", SOA, edns0(3, &[0, 137, 0, 0]));
        let normal = ask(&world(""), &probe).unwrap();
        assert_eq!(
            &normal[normal.len() - 4..],
            &[0x00, 0x00, 0, 0],
            "flags, no rdata"
        );
        let options = ask(&world("edns echo-options"), &probe).unwrap();
        assert_eq!(&options[options.len() - 6..], &[0, 4, 0, 137, 0, 0]);
        let flags = ask(&world("edns echo-flags"), &probe).unwrap();
        assert_eq!(&flags[flags.len() - 4..], &[0x00, 0x03, 0, 0]);
    }

    #[test]
    fn edns_truncate_do_cuts_only_do_queries() {
        let truncating = world("edns truncate-do");
        let reply = ask(
            &truncating,
            &query("example.", SOA, Some((0, true, 0, &[]))),
        )
        .unwrap();
        assert_eq!(reply[2] & 0x02, 0x02, "TC");
        assert_eq!((count(&reply, 1), count(&reply, 3)), (0, 0));
        let without_do = ask(&truncating, &query("example.", SOA, edns0(0, &[]))).unwrap();
        assert_eq!((without_do[2] & 0x02, count(&without_do, 3)), (0, 1));
    }

    #[test]
    fn qname_lower_lowers_the_question() {
        let reply = ask(&world("qname lower"), &query("ExAmple.", SOA, None)).unwrap();
        assert_eq!(&reply[12..20], b"\x07example");
        let kept = ask(&world(""), &query("ExAmple.", SOA, None)).unwrap();
        assert_eq!(&kept[12..20], b"\x07ExAmple");
    }

    #[test]
    fn upward_referral_refers_other_names_to_the_root() {
        let world = world("upward-referral a.root-servers.test");
        let reply = ask(&world, &query(".", 2, None)).unwrap();
        assert_eq!(
            (rcode(&reply), count(&reply, 1), count(&reply, 2)),
            (0, 0, 1)
        );
        assert_eq!(reply[2] & 0x04, 0, "AA clear");
        let own = ask(&world, &query("example.", SOA, None)).unwrap();
        assert_eq!(count(&own, 1), 1, "its own zone is answered");
    }

    #[test]
    fn axfr_refuse_refuses_transfers() {
        let request = parse_request(&query("example.", rtype::AXFR, None)).unwrap();
        let local = LOCAL.parse().unwrap();
        assert!(matches!(
            world("").answer(local, &request, true),
            Action::Transfer(_)
        ));
        match world("axfr refuse").answer(local, &request, true) {
            Action::Reply(reply) => assert_eq!(reply.rcode, REFUSED),
            _ => panic!("expected REFUSED"),
        }
    }

    #[test]
    fn reply_from_names_the_sending_address() {
        let world = world("reply-from 127.0.0.9");
        let request = parse_request(&query("example.", SOA, None)).unwrap();
        let other: IpAddr = "127.0.0.9".parse().unwrap();
        assert_eq!(
            world.reply_source(LOCAL.parse().unwrap(), &request),
            Some(other)
        );
        assert_eq!(world.reply_sources(), [(other, 53)]);
        let v6 = world_v6_reply_from();
        let v6_source = v6.reply_source(LOCAL.parse().unwrap(), &request);
        assert_eq!(
            v6_source, None,
            "an IPv6 source cannot answer an IPv4 client"
        );
    }

    /// What `world` does with `wire` over TCP (`is_tcp`) or UDP: a reply
    /// or nothing.
    fn answers_over(world: &World, wire: &[u8], is_tcp: bool) -> bool {
        let request = parse_request(wire).unwrap();
        matches!(
            world.answer(LOCAL.parse().unwrap(), &request, is_tcp),
            Action::Reply(_)
        )
    }

    #[test]
    fn transport_serves_one_transport_only() {
        let soa = query("example.", SOA, None);
        let local: IpAddr = LOCAL.parse().unwrap();
        let both = world("");
        assert!(answers_over(&both, &soa, false) && answers_over(&both, &soa, true));
        assert!(both.listens(local, false) && both.listens(local, true));
        let udp_only = world("transport udp-only");
        assert!(answers_over(&udp_only, &soa, false));
        assert!(!answers_over(&udp_only, &soa, true), "TCP not answered");
        assert!(udp_only.listens(local, false));
        assert!(!udp_only.listens(local, true), "no TCP listener");
        let tcp_only = world("transport tcp-only");
        assert!(answers_over(&tcp_only, &soa, true));
        assert!(!answers_over(&tcp_only, &soa, false), "UDP not answered");
        assert!(!tcp_only.listens(local, false), "no UDP socket");
        assert!(tcp_only.listens(local, true));
    }

    #[test]
    fn bad_arguments_are_config_errors() {
        assert!(config_error("edns sideways").contains("unknown edns rule `sideways`"));
        assert!(config_error("reply-from nowhere").contains("not an IP address"));
        assert!(config_error("qname upper").contains("takes:"));
        assert!(config_error("recursion yes").contains("takes:"));
        assert!(config_error("transport sctp").contains("transport udp-only|tcp-only"));
        assert!(config_error("transport").contains("takes:"));
    }
}
