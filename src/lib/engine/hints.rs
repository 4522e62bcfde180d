//! Root hints: where iterative resolution starts (engine spec §1.5).
//!
//! Built in: the 13 IANA root servers. A replacement hints file is a small
//! zone-file fragment — `.` NS records and the A/AAAA records of their
//! targets — checked strictly, because a typo here silently points the
//! whole engine at the wrong world.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use hickory_proto::rr::Name;

/// One root server: its name and addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HintServer {
    /// Lower-case name.
    pub name: Name,
    /// Its addresses, in file order.
    pub addresses: Vec<IpAddr>,
}

/// The set of root servers to start from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootHints {
    servers: Vec<HintServer>,
}

/// Why a hints file was rejected; every variant names the line.
#[derive(Debug, thiserror::Error)]
pub enum HintsError {
    /// The file could not be read.
    #[error("cannot read hints file {}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A line breaks one of the rules.
    #[error("{}line {line}: {reason}", .path.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default())]
    Line {
        /// The file, when known.
        path: Option<PathBuf>,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The file as a whole breaks a rule.
    #[error("{}{reason}", .path.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default())]
    Whole {
        /// The file, when known.
        path: Option<PathBuf>,
        /// What is wrong.
        reason: String,
    },
}

/// IANA `named.root`: name, IPv4, IPv6 of `a` … `m`.
const IANA_ROOTS: [(&str, &str, &str); 13] = [
    ("a.root-servers.net.", "198.41.0.4", "2001:503:ba3e::2:30"),
    ("b.root-servers.net.", "170.247.170.2", "2801:1b8:10::b"),
    ("c.root-servers.net.", "192.33.4.12", "2001:500:2::c"),
    ("d.root-servers.net.", "199.7.91.13", "2001:500:2d::d"),
    ("e.root-servers.net.", "192.203.230.10", "2001:500:a8::e"),
    ("f.root-servers.net.", "192.5.5.241", "2001:500:2f::f"),
    ("g.root-servers.net.", "192.112.36.4", "2001:500:12::d0d"),
    ("h.root-servers.net.", "198.97.190.53", "2001:500:1::53"),
    ("i.root-servers.net.", "192.36.148.17", "2001:7fe::53"),
    ("j.root-servers.net.", "192.58.128.30", "2001:503:c27::2:30"),
    ("k.root-servers.net.", "193.0.14.129", "2001:7fd::1"),
    ("l.root-servers.net.", "199.7.83.42", "2001:500:9f::42"),
    ("m.root-servers.net.", "202.12.27.33", "2001:dc3::35"),
];

impl RootHints {
    /// The IANA root servers.
    pub fn builtin() -> Self {
        let servers = IANA_ROOTS
            .iter()
            .filter_map(|(name, v4, v6)| {
                Some(HintServer {
                    name: Name::from_ascii(name).ok()?,
                    addresses: vec![v4.parse().ok()?, v6.parse().ok()?],
                })
            })
            .collect();
        Self { servers }
    }

    /// Hints from explicit servers (tests, conformance `root_hints` maps).
    pub fn from_servers(servers: Vec<HintServer>) -> Self {
        Self { servers }
    }

    /// Reads and checks a hints file.
    pub fn from_file(path: &Path) -> Result<Self, HintsError> {
        let text = std::fs::read_to_string(path).map_err(|source| HintsError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|error| error.in_file(path))
    }

    /// Parses hints text (engine spec §1.5 rules).
    pub fn parse(text: &str) -> Result<Self, HintsError> {
        let mut ns_targets: Vec<(Name, usize)> = Vec::new();
        let mut addresses: Vec<(Name, IpAddr, usize)> = Vec::new();
        for (index, raw_line) in text.lines().enumerate() {
            let line = index + 1;
            let fail = |reason: String| HintsError::Line {
                path: None,
                line,
                reason,
            };
            let content = raw_line.split(';').next().unwrap_or_default().trim();
            if content.is_empty() {
                continue;
            }
            if content.starts_with('$') {
                let directive = content.split_whitespace().next().unwrap_or(content);
                return Err(fail(format!(
                    "directive {directive} is not allowed in a hints file"
                )));
            }
            let record = parse_line(content).map_err(fail)?;
            match record {
                HintRecord::Ns { owner, target } => {
                    if !owner.is_root() {
                        return Err(fail(format!("NS owner must be `.`, not `{owner}`")));
                    }
                    ns_targets.push((target, line));
                }
                HintRecord::Address { owner, address } => addresses.push((owner, address, line)),
            }
        }
        assemble(ns_targets, addresses)
    }

    /// The servers, in file order.
    pub fn servers(&self) -> &[HintServer] {
        &self.servers
    }
}

impl HintsError {
    fn in_file(self, file: &Path) -> Self {
        match self {
            Self::Line { line, reason, .. } => Self::Line {
                path: Some(file.to_owned()),
                line,
                reason,
            },
            Self::Whole { reason, .. } => Self::Whole {
                path: Some(file.to_owned()),
                reason,
            },
            read @ Self::Read { .. } => read,
        }
    }
}

enum HintRecord {
    Ns { owner: Name, target: Name },
    Address { owner: Name, address: IpAddr },
}

/// `OWNER [TTL] [IN] TYPE DATA`, TTL and class in either order.
fn parse_line(content: &str) -> Result<HintRecord, String> {
    let fields: Vec<&str> = content.split_whitespace().collect();
    let [owner_text, rest @ ..] = fields.as_slice() else {
        return Err("empty record".to_owned());
    };
    let owner = parse_name(owner_text)?;
    let mut rest = rest;
    while let [first, tail @ ..] = rest {
        if first.chars().all(|c| c.is_ascii_digit()) || first.eq_ignore_ascii_case("IN") {
            rest = tail;
        } else if ["CH", "HS", "CS", "ANY"]
            .iter()
            .any(|c| first.eq_ignore_ascii_case(c))
        {
            return Err(format!("class {first} is not allowed, only IN"));
        } else {
            break;
        }
    }
    let [rtype, data] = rest else {
        return Err(format!("expected `TYPE DATA` in `{content}`"));
    };
    match rtype.to_ascii_uppercase().as_str() {
        "NS" => Ok(HintRecord::Ns {
            owner,
            target: parse_name(data)?,
        }),
        "A" => match data.parse::<std::net::Ipv4Addr>() {
            Ok(v4) => Ok(HintRecord::Address {
                owner,
                address: v4.into(),
            }),
            Err(_) => Err(format!("`{data}` is not an IPv4 address")),
        },
        "AAAA" => match data.parse::<std::net::Ipv6Addr>() {
            Ok(v6) => Ok(HintRecord::Address {
                owner,
                address: v6.into(),
            }),
            Err(_) => Err(format!("`{data}` is not an IPv6 address")),
        },
        other => Err(format!(
            "record type {other} is not allowed, only NS, A and AAAA"
        )),
    }
}

fn parse_name(text: &str) -> Result<Name, String> {
    let absolute = if text.ends_with('.') {
        text.to_owned()
    } else {
        format!("{text}.")
    };
    Name::from_ascii(&absolute)
        .map(|name| name.to_lowercase())
        .map_err(|error| format!("`{text}` is not a domain name: {error}"))
}

fn assemble(
    ns_targets: Vec<(Name, usize)>,
    addresses: Vec<(Name, IpAddr, usize)>,
) -> Result<RootHints, HintsError> {
    if ns_targets.is_empty() {
        return Err(HintsError::Whole {
            path: None,
            reason: "no NS record for `.`".to_owned(),
        });
    }
    if let Some((owner, _, line)) = addresses
        .iter()
        .find(|(owner, _, _)| !ns_targets.iter().any(|(target, _)| target == owner))
    {
        return Err(HintsError::Line {
            path: None,
            line: *line,
            reason: format!("address record for `{owner}`, which no NS record names"),
        });
    }
    let mut servers: Vec<HintServer> = Vec::new();
    for (target, line) in ns_targets {
        if servers.iter().any(|server| server.name == target) {
            continue;
        }
        let found: Vec<IpAddr> = addresses
            .iter()
            .filter(|(owner, _, _)| *owner == target)
            .map(|(_, address, _)| *address)
            .collect();
        if found.is_empty() {
            return Err(HintsError::Line {
                path: None,
                line,
                reason: format!("NS target `{target}` has no A or AAAA record"),
            });
        }
        servers.push(HintServer {
            name: target,
            addresses: found,
        });
    }
    Ok(RootHints { servers })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = ".  3600000 NS ns1.\nns1. 3600000 A 127.1.0.1\nns1. 3600000 AAAA fda1:b2:c3::127:1:0:1\n;\n. IN NS NS2.\nns2. A 127.1.0.2\n";

    #[test]
    fn builtin_has_thirteen_dual_stack_servers() {
        let hints = RootHints::builtin();
        assert_eq!(hints.servers().len(), 13);
        assert!(hints.servers().iter().all(|s| s.addresses.len() == 2));
    }

    #[test]
    fn parses_the_conformance_style_file() {
        let hints = RootHints::parse(GOOD).unwrap();
        assert_eq!(hints.servers().len(), 2);
        assert_eq!(hints.servers()[0].addresses.len(), 2);
        assert_eq!(hints.servers()[1].name.to_ascii(), "ns2.");
    }

    fn line_of(text: &str) -> usize {
        match RootHints::parse(text) {
            Err(HintsError::Line { line, .. }) => line,
            other => panic!("expected a line error, got {other:?}"),
        }
    }

    #[test]
    fn every_rule_is_enforced_with_its_line() {
        assert_eq!(line_of("$TTL 3600\n. NS a.\na. A 1.2.3.4\n"), 1);
        assert_eq!(line_of(". NS a.\na. CH A 1.2.3.4\n"), 2);
        assert_eq!(line_of(". NS a.\na. A 1.2.3.4\nb. A 1.2.3.5\n"), 3);
        assert_eq!(line_of("x. NS a.\n"), 1);
        assert_eq!(line_of(". NS a.\na. MX 10 b.\n"), 2);
        assert_eq!(line_of(". NS a.\n. NS b.\nb. A 1.2.3.4\n"), 1);
        assert_eq!(line_of(". NS a.\na. A 300.2.3.4\n"), 2);
        assert!(matches!(
            RootHints::parse("; nothing\n"),
            Err(HintsError::Whole { .. })
        ));
    }
}
