//! `spelling REGEX ACTION`: a rule that looks at the query name exactly
//! as the client spelt it (case kept), as a packet filter or a response
//! policy that compares bytes does, instead of folding case as RFC 4343
//! asks. A query whose name, written with its final dot, matches REGEX is
//! not answered from the zone: ACTION is `drop` (no reply), `nxdomain`
//! (NXDOMAIN, empty sections) or `nodata` (NOERROR, empty sections). Other
//! spellings of the same name are answered normally, so two spellings of
//! one name get different answers (the fixtures of NAMESERVER09).

use regex::Regex;

use crate::answer::Action;
use crate::corefile::{ConfigError, Directive};
use crate::message::{Reply, Request};

const NOERROR: u16 = 0;
const NXDOMAIN: u16 = 3;

/// What a matching query gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Drop,
    Nxdomain,
    Nodata,
}

/// A block's `spelling` rules, in order.
#[derive(Debug, Default)]
pub struct SpellingRules(Vec<(Regex, Verdict)>);

impl SpellingRules {
    /// Takes a `spelling` directive; false for any other directive.
    pub fn configure(&mut self, directive: &Directive) -> Result<bool, ConfigError> {
        if directive.name.text != "spelling" {
            return Ok(false);
        }
        let [pattern, action] = directive.args.as_slice() else {
            return Err(directive
                .name
                .error("`spelling` takes: spelling REGEX drop|nxdomain|nodata"));
        };
        let regex = Regex::new(&pattern.text).map_err(|error| pattern.error(error.to_string()))?;
        let verdict = match action.text.as_str() {
            "drop" => Verdict::Drop,
            "nxdomain" => Verdict::Nxdomain,
            "nodata" => Verdict::Nodata,
            other => {
                return Err(action.error(format!(
                    "unknown spelling action `{other}` (drop, nxdomain, nodata)"
                )));
            }
        };
        self.0.push((regex, verdict));
        Ok(true)
    }

    /// What the first rule matching the name as spelt does, if any.
    pub fn intercept(&self, request: &Request) -> Option<Action> {
        if self.0.is_empty() {
            return None;
        }
        let spelt = request.qname.to_ascii();
        let (_, verdict) = self.0.iter().find(|(regex, _)| regex.is_match(&spelt))?;
        let rcode = match verdict {
            Verdict::Drop => return Some(Action::Drop),
            Verdict::Nxdomain => NXDOMAIN,
            Verdict::Nodata => NOERROR,
        };
        Some(Action::Reply(Reply {
            aa: true,
            ..Reply::bare(rcode)
        }))
    }
}

#[cfg(test)]
mod tests {
    use crate::answer::{Action, World};
    use crate::message::{parse_request, write_reply};
    use crate::test_support::{self, LOCAL, config_error};

    const ZONE: &str = "$ORIGIN example.\n$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n\
                        @ NS ns\nns A 127.0.0.1\nwww CNAME example.\n";

    fn world(directives: &str) -> World {
        test_support::world("example.", ZONE, directives)
    }

    /// A plain SOA query for `name` as spelt.
    fn query(name: &str) -> Vec<u8> {
        let mut wire = vec![0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        for label in name.trim_end_matches('.').split('.') {
            wire.push(u8::try_from(label.len()).unwrap());
            wire.extend_from_slice(label.as_bytes());
        }
        wire.extend_from_slice(&[0, 0, 6, 0, 1]);
        wire
    }

    /// (RCODE, answer count) of the reply, `None` for silence.
    fn ask(world: &World, name: &str) -> Option<(u8, u16)> {
        let request = parse_request(&query(name)).unwrap();
        match world.answer(LOCAL.parse().unwrap(), &request, false) {
            Action::Reply(reply) => {
                let wire = write_reply(&request, &reply, Some(512));
                Some((wire[3] & 0x0f, u16::from_be_bytes([wire[6], wire[7]])))
            }
            Action::Drop | Action::Transfer(_) => None,
        }
    }

    #[test]
    fn only_the_matching_spelling_is_dropped() {
        let world = world(r#"spelling "^wWw\.example\.$" drop"#);
        assert_eq!(ask(&world, "wWw.example."), None);
        assert_eq!(ask(&world, "WWW.example."), Some((0, 2)), "CNAME and SOA");
        assert_eq!(ask(&world, "www.example."), Some((0, 2)));
    }

    #[test]
    fn nxdomain_and_nodata_answer_with_empty_sections() {
        let nxdomain = world(r#"spelling "^WwW\." nxdomain"#);
        assert_eq!(ask(&nxdomain, "WwW.example."), Some((3, 0)));
        assert_eq!(ask(&nxdomain, "wwW.example."), Some((0, 2)));
        let nodata = world(r#"spelling "^WwW\." nodata"#);
        assert_eq!(ask(&nodata, "WwW.example."), Some((0, 0)));
        assert_eq!(ask(&nodata, "www.EXAMPLE."), Some((0, 2)));
    }

    #[test]
    fn without_rules_case_is_folded() {
        let plain = world("");
        assert_eq!(ask(&plain, "wWw.ExAmple."), Some((0, 2)));
    }

    #[test]
    fn bad_rules_are_config_errors() {
        assert!(config_error("spelling x").contains("spelling REGEX"));
        assert!(config_error("spelling x refuse").contains("unknown spelling action `refuse`"));
        assert!(config_error(r#"spelling "(" drop"#).contains("regex"));
    }
}
