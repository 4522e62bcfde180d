//! How a server treats the EDNS parts it does not know, for the fixtures
//! of NAMESERVER10 (an EDNS version above 0) and NAMESERVER11 (an EDNS
//! option). Each rule is something real servers and the middleboxes in
//! front of them have been seen doing:
//!
//! * `edns-version drop`: queries with an EDNS version above 0 get no
//!   reply; `edns-version formerr`: FORMERR without OPT instead of BADVERS;
//!   `edns-version reply-1`: EDNS queries are answered with an OPT of
//!   version 1 (a version the query did not ask for).
//! * `edns-option RULE`, for queries that carry any EDNS option: `drop`
//!   (no reply), `formerr` (FORMERR without OPT), `no-opt` (answered
//!   without OPT), `nodata` (NOERROR with empty sections), `no-aa`
//!   (answered with AA clear).
//!
//! Queries without an option and of EDNS version 0 are not touched.

use crate::answer::Action;
use crate::corefile::{ConfigError, Directive};
use crate::message::{OptStyle, Reply, Request};

const NOERROR: u16 = 0;
const FORMERR: u16 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VersionRule {
    Drop,
    Formerr,
    Reply1,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OptionRule {
    Drop,
    Formerr,
    NoOpt,
    Nodata,
    NoAa,
}

/// A block's `edns-version` and `edns-option` rules.
#[derive(Debug, Default)]
pub struct EdnsProbes {
    version: Option<VersionRule>,
    option: Option<OptionRule>,
}

impl EdnsProbes {
    /// Takes `edns-version` or `edns-option`; false for other directives.
    pub fn configure(&mut self, directive: &Directive) -> Result<bool, ConfigError> {
        let name = &directive.name;
        let words: Vec<&str> = directive.args.iter().map(|t| t.text.as_str()).collect();
        match (name.text.as_str(), words.as_slice()) {
            ("edns-version", ["drop"]) => self.version = Some(VersionRule::Drop),
            ("edns-version", ["formerr"]) => self.version = Some(VersionRule::Formerr),
            ("edns-version", ["reply-1"]) => self.version = Some(VersionRule::Reply1),
            ("edns-option", [rule]) => {
                self.option = Some(match *rule {
                    "drop" => OptionRule::Drop,
                    "formerr" => OptionRule::Formerr,
                    "no-opt" => OptionRule::NoOpt,
                    "nodata" => OptionRule::Nodata,
                    "no-aa" => OptionRule::NoAa,
                    other => {
                        return Err(name.error(format!(
                            "unknown edns-option rule `{other}` \
                             (drop, formerr, no-opt, nodata, no-aa)"
                        )));
                    }
                });
            }
            ("edns-version" | "edns-option", _) => {
                return Err(name.error(
                    "takes: edns-version drop|formerr|reply-1 | \
                     edns-option drop|formerr|no-opt|nodata|no-aa",
                ));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// True when the block answers EDNS versions above 0 itself.
    pub fn handles_version(&self) -> bool {
        matches!(self.version, Some(VersionRule::Drop | VersionRule::Formerr))
    }

    /// What the block does instead of answering, if anything.
    pub fn intercept(&self, request: &Request) -> Option<Action> {
        let edns = request.edns.as_ref()?;
        let formerr = || {
            Action::Reply(Reply {
                opt: OptStyle::Omitted,
                ..Reply::bare(FORMERR)
            })
        };
        if edns.version > 0 {
            return match self.version? {
                VersionRule::Drop => Some(Action::Drop),
                VersionRule::Formerr => Some(formerr()),
                VersionRule::Reply1 => None,
            };
        }
        if edns.options.is_empty() {
            return None;
        }
        match self.option? {
            OptionRule::Drop => Some(Action::Drop),
            OptionRule::Formerr => Some(formerr()),
            OptionRule::Nodata => Some(Action::Reply(Reply {
                aa: true,
                ..Reply::bare(NOERROR)
            })),
            OptionRule::NoOpt | OptionRule::NoAa => None,
        }
    }

    /// Reshapes a reply to a query with an option.
    pub fn shape(&self, request: &Request, reply: &mut Reply) {
        let Some(edns) = &request.edns else {
            return;
        };
        if self.version == Some(VersionRule::Reply1) && reply.opt == OptStyle::Normal {
            reply.opt = OptStyle::Version(1);
        }
        if edns.options.is_empty() {
            return;
        }
        match self.option {
            Some(OptionRule::NoOpt) => reply.opt = OptStyle::Omitted,
            Some(OptionRule::NoAa) => reply.aa = false,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::answer::{Action, World};
    use crate::message::{parse_request, write_reply};
    use crate::test_support::{self, EXAMPLE_ZONE, LOCAL, config_error};

    fn world(directives: &str) -> World {
        test_support::world("example.", EXAMPLE_ZONE, directives)
    }

    /// An SOA query for `example.` with OPT of `version` and `options`.
    fn query(version: u8, options: &[u8]) -> Vec<u8> {
        let mut wire = vec![0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1];
        wire.extend_from_slice(b"\x07example\x00\x00\x06\x00\x01");
        wire.extend_from_slice(&[0, 0, 41, 2, 0, 0, version, 0, 0]);
        wire.extend_from_slice(&u16::try_from(options.len()).unwrap().to_be_bytes());
        wire.extend_from_slice(options);
        wire
    }

    const OPTION_137: &[u8] = &[0, 137, 0, 0];

    /// (RCODE, AA, answer count, additional count), `None` for silence.
    fn ask(world: &World, wire: &[u8]) -> Option<(u8, bool, u16, u16)> {
        let request = parse_request(wire).unwrap();
        match world.answer(LOCAL.parse().unwrap(), &request, false) {
            Action::Reply(reply) => {
                let wire = write_reply(&request, &reply, Some(512));
                let count = |at: usize| u16::from_be_bytes([wire[at], wire[at + 1]]);
                Some((wire[3] & 0x0f, wire[2] & 0x04 != 0, count(6), count(10)))
            }
            Action::Drop | Action::Transfer(_) => None,
        }
    }

    #[test]
    fn version_rules_replace_badvers() {
        let normal = ask(&world(""), &query(1, &[])).unwrap();
        assert_eq!((normal.0, normal.3), (0, 1), "BADVERS lives in the OPT");
        assert_eq!(ask(&world("edns-version drop"), &query(1, &[])), None);
        let formerr = ask(&world("edns-version formerr"), &query(1, &[])).unwrap();
        assert_eq!((formerr.0, formerr.3), (1, 0), "FORMERR without OPT");
        let version0 = ask(&world("edns-version drop"), &query(0, &[])).unwrap();
        assert_eq!((version0.0, version0.2), (0, 1), "version 0 is answered");
    }

    #[test]
    fn reply_1_claims_version_1_in_the_opt() {
        let request = parse_request(&query(0, &[])).unwrap();
        let version_of = |world: &World| match world.answer(LOCAL.parse().unwrap(), &request, false)
        {
            Action::Reply(reply) => {
                let wire = write_reply(&request, &reply, Some(512));
                // OPT is last: version, then flags (2) and RDLENGTH (2).
                wire[wire.len() - 5]
            }
            _ => panic!("an answer"),
        };
        assert_eq!(version_of(&world("")), 0);
        assert_eq!(version_of(&world("edns-version reply-1")), 1);
        let badvers = ask(&world("edns-version reply-1"), &query(1, &[])).unwrap();
        assert_eq!(
            (badvers.0, badvers.2),
            (0, 0),
            "version 1 queries still get BADVERS"
        );
    }

    #[test]
    fn option_rules_touch_only_queries_with_an_option() {
        let plain = (0, true, 1, 1);
        for rule in ["drop", "formerr", "no-opt", "nodata", "no-aa"] {
            let world = world(&format!("edns-option {rule}"));
            assert_eq!(ask(&world, &query(0, &[])), Some(plain), "{rule}");
        }
        let with = |rule: &str| {
            ask(
                &world(&format!("edns-option {rule}")),
                &query(0, OPTION_137),
            )
        };
        assert_eq!(with("drop"), None);
        assert_eq!(with("formerr"), Some((1, false, 0, 0)));
        assert_eq!(with("no-opt"), Some((0, true, 1, 0)));
        assert_eq!(with("nodata"), Some((0, true, 0, 1)));
        assert_eq!(with("no-aa"), Some((0, false, 1, 1)));
        assert_eq!(ask(&world(""), &query(0, OPTION_137)), Some(plain));
    }

    #[test]
    fn bad_rules_are_config_errors() {
        assert!(config_error("edns-option sideways").contains("unknown edns-option rule"));
        assert!(config_error("edns-version refuse").contains("takes:"));
        assert!(config_error("edns-option").contains("takes:"));
    }
}
