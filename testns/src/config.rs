//! Server blocks turned into what answering needs: zones, bind addresses
//! and the plugins (chaos, acl, header, template, file, view).

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use hickory_proto::rr::Name;
use regex::Regex;

use crate::corefile::{ConfigError, Directive, ServerBlock, Token};
use crate::misbehaviour::Misbehaviour;
pub use crate::zone::name_from_text;
use crate::zone::{Rr, Zone, parse_records};

/// One server block, ready to answer.
#[derive(Debug)]
pub struct Block {
    /// The block's zones (keys), lower-case, fully qualified.
    pub zones: Vec<Name>,
    /// The port of its keys (53 unless a key says otherwise).
    pub port: u16,
    /// Addresses it listens on.
    pub binds: Vec<IpAddr>,
    /// `view`: only these query types (numbers) reach the block.
    pub view_types: Option<Vec<u16>>,
    /// `chaos VERSION`.
    pub chaos: Option<String>,
    /// `acl` rules (only `drop` is used by the data).
    pub acls: Vec<Acl>,
    /// `header { response set|clear aa }`.
    pub set_aa: Option<bool>,
    /// `template` directives in order.
    pub templates: Vec<Template>,
    /// `file` zones.
    pub files: Vec<Arc<Zone>>,
    /// Our own directives for misbehaving servers.
    pub misbehaviour: Misbehaviour,
}

/// Drop queries for these zones (all if empty), of these types (all if None).
#[derive(Debug)]
pub struct Acl {
    /// Zones the rule covers; empty = the block's zones.
    pub zones: Vec<Name>,
    /// Types dropped; None = every type.
    pub types: Option<Vec<u16>>,
}

/// A synthesised answer.
#[derive(Debug)]
pub struct Template {
    /// Class number, None = ANY.
    pub class: Option<u16>,
    /// Type number, None = ANY.
    pub rtype: Option<u16>,
    /// Zones it applies to (the block's zones when none are written).
    pub zones: Vec<Name>,
    /// Records for each section.
    pub answer: Vec<Rr>,
    /// Authority records.
    pub authority: Vec<Rr>,
    /// Additional records.
    pub additional: Vec<Rr>,
    /// Response code (number).
    pub rcode: u16,
    /// `match` regexes over the query name (with final dot).
    pub matches: Vec<Regex>,
    /// Pass on when no regex matches.
    pub fallthrough: bool,
    /// A record line did not parse: the reference server then answers
    /// SERVFAIL whenever the template applies.
    pub is_broken: bool,
}

/// Builds blocks; `zones_dir` anchors `file` paths.
pub fn build(blocks: &[ServerBlock], zones_dir: &Path) -> Result<Vec<Block>, ConfigError> {
    let mut loaded: Vec<(std::path::PathBuf, Name, Arc<Zone>)> = Vec::new();
    blocks
        .iter()
        .map(|block| build_block(block, zones_dir, &mut loaded))
        .collect()
}

fn build_block(
    block: &ServerBlock,
    zones_dir: &Path,
    loaded: &mut Vec<(std::path::PathBuf, Name, Arc<Zone>)>,
) -> Result<Block, ConfigError> {
    let mut zones = Vec::new();
    let mut port = 53;
    for key in &block.keys {
        let (zone, key_port) = split_key(key)?;
        zones.push(zone);
        port = key_port;
    }
    let mut built = Block {
        zones,
        port,
        binds: Vec::new(),
        view_types: None,
        chaos: None,
        acls: Vec::new(),
        set_aa: None,
        templates: Vec::new(),
        files: Vec::new(),
        misbehaviour: Misbehaviour::default(),
    };
    for directive in &block.directives {
        apply(&mut built, directive, zones_dir, loaded)?;
    }
    Ok(built)
}

fn apply(
    block: &mut Block,
    directive: &Directive,
    zones_dir: &Path,
    loaded: &mut Vec<(std::path::PathBuf, Name, Arc<Zone>)>,
) -> Result<(), ConfigError> {
    match directive.name.text.as_str() {
        "bind" => {
            for arg in &directive.args {
                let address = arg
                    .text
                    .parse()
                    .map_err(|_| arg.error(format!("`{}` is not an IP address", arg.text)))?;
                block.binds.push(address);
            }
        }
        "log" | "unbound" | "errors" | "debug" | "whoami" => {}
        "chaos" => {
            block.chaos = Some(
                directive
                    .args
                    .first()
                    .map(|t| t.text.clone())
                    .unwrap_or_default(),
            )
        }
        "header" => block.set_aa = Some(header_aa(directive)?),
        "acl" => block.acls.extend(acl_rules(directive)?),
        "view" => block.view_types = Some(view_types(directive)?),
        "template" => block.templates.push(template(directive, &block.zones)?),
        "file" => {
            let Some(path_token) = directive.args.first() else {
                return Err(directive.name.error("`file` needs a path"));
            };
            let path = zones_dir.join(&path_token.text);
            let names = match directive.args.get(1..).filter(|rest| !rest.is_empty()) {
                Some(rest) => rest.iter().map(zone_name).collect::<Result<Vec<_>, _>>()?,
                None => block.zones.clone(),
            };
            for name in names {
                let reused = loaded
                    .iter()
                    .find(|(p, n, _)| *p == path && *n == name)
                    .map(|(_, _, z)| Arc::clone(z));
                let zone = match reused {
                    Some(zone) => zone,
                    None => {
                        let zone = Arc::new(Zone::load(&path, &name).map_err(|error| {
                            path_token.error(format!("zone file {}: {error}", path.display()))
                        })?);
                        loaded.push((path.clone(), name, Arc::clone(&zone)));
                        zone
                    }
                };
                block.files.push(zone);
            }
        }
        other => {
            if !block.misbehaviour.configure(directive)? {
                return Err(directive
                    .name
                    .error(format!("unsupported directive `{other}`")));
            }
        }
    }
    Ok(())
}

fn split_key(key: &Token) -> Result<(Name, u16), ConfigError> {
    let text = key.text.trim_start_matches("dns://");
    let (zone, port) = match text.rsplit_once(':') {
        Some((zone, port)) if !zone.is_empty() => (
            zone,
            port.parse()
                .map_err(|_| key.error(format!("bad port in `{}`", key.text)))?,
        ),
        _ => (text, 53),
    };
    Ok((zone_text(zone).map_err(|reason| key.error(reason))?, port))
}

fn zone_name(token: &Token) -> Result<Name, ConfigError> {
    zone_text(&token.text).map_err(|reason| token.error(reason))
}

fn zone_text(text: &str) -> Result<Name, String> {
    if text == "." {
        return Ok(Name::root());
    }
    let absolute = if text.ends_with('.') {
        text.to_owned()
    } else {
        format!("{text}.")
    };
    name_from_text(&absolute)
        .map(|name| name.to_lowercase())
        .map_err(|error| format!("`{text}` is not a zone name: {error}"))
}

fn header_aa(directive: &Directive) -> Result<bool, ConfigError> {
    let Some(rule) = directive.body.first() else {
        return Err(directive.name.error("`header` without a rule"));
    };
    let words: Vec<&str> = rule.args.iter().map(|t| t.text.as_str()).collect();
    match (rule.name.text.as_str(), words.as_slice()) {
        ("response", ["set", "aa"]) => Ok(true),
        ("response", ["clear", "aa"]) => Ok(false),
        _ => Err(rule
            .name
            .error("only `response set aa` / `response clear aa` are supported")),
    }
}

fn acl_rules(directive: &Directive) -> Result<Vec<Acl>, ConfigError> {
    // A zone that is not a valid name (the data has `mixed-1..basic02.xb`)
    // can never match; a rule left with no valid zone never applies.
    let mut zones = Vec::new();
    for arg in &directive.args {
        match zone_name(arg) {
            Ok(zone) => zones.push(zone),
            Err(error) => eprintln!("zm-testns: {error}; that acl zone never matches"),
        }
    }
    if zones.is_empty() && !directive.args.is_empty() {
        return Ok(Vec::new());
    }
    let mut rules = Vec::new();
    for rule in &directive.body {
        if rule.name.text != "drop" {
            return Err(rule
                .name
                .error(format!("unsupported acl action `{}`", rule.name.text)));
        }
        let types = match rule.args.split_first() {
            None => None,
            Some((keyword, list)) if keyword.text == "type" => {
                if list.iter().any(|t| t.text == "*") {
                    None
                } else {
                    Some(
                        list.iter()
                            .map(type_number)
                            .collect::<Result<Vec<_>, _>>()?,
                    )
                }
            }
            Some((other, _)) => return Err(other.error("only `drop [type TYPE...]` is supported")),
        };
        rules.push(Acl {
            zones: zones.clone(),
            types,
        });
    }
    Ok(rules)
}

fn view_types(directive: &Directive) -> Result<Vec<u16>, ConfigError> {
    let expression: String = directive
        .body
        .iter()
        .flat_map(|d| std::iter::once(&d.name).chain(d.args.iter()))
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let list = expression
        .split_once("type() in")
        .map(|(_, rest)| rest)
        .ok_or_else(|| {
            directive
                .name
                .error("only `expr type() in [...]` views are supported")
        })?;
    list.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            word.parse::<hickory_proto::rr::RecordType>()
                .map(u16::from)
                .map_err(|_| {
                    directive
                        .name
                        .error(format!("unknown type `{word}` in view"))
                })
        })
        .collect()
}

fn type_number(token: &Token) -> Result<u16, ConfigError> {
    token
        .text
        .to_ascii_uppercase()
        .parse::<hickory_proto::rr::RecordType>()
        .map(u16::from)
        .map_err(|_| token.error(format!("unknown type `{}`", token.text)))
}

fn template(directive: &Directive, block_zones: &[Name]) -> Result<Template, ConfigError> {
    let [class, rtype, zone_args @ ..] = directive.args.as_slice() else {
        return Err(directive
            .name
            .error("`template CLASS TYPE [ZONE...]` needs a class and a type"));
    };
    let class = match class.text.to_ascii_uppercase().as_str() {
        "ANY" => None,
        "IN" => Some(1),
        "CH" => Some(3),
        other => return Err(class.error(format!("unsupported class `{other}`"))),
    };
    let rtype = if rtype.text.eq_ignore_ascii_case("ANY") {
        None
    } else {
        Some(type_number(rtype)?)
    };
    let zones = if zone_args.is_empty() {
        block_zones.to_vec()
    } else {
        zone_args
            .iter()
            .map(zone_name)
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut built = Template {
        class,
        rtype,
        zones,
        answer: Vec::new(),
        authority: Vec::new(),
        additional: Vec::new(),
        rcode: 0,
        matches: Vec::new(),
        fallthrough: false,
        is_broken: false,
    };
    for item in &directive.body {
        let first = item.args.first();
        match item.name.text.as_str() {
            "answer" | "authority" | "additional" => {
                let token = first.ok_or_else(|| item.name.error("needs a record"))?;
                // A broken record line makes the template answer SERVFAIL
                // (as the reference does) instead of taking the world down.
                let records = match parse_records(&token.text, &Name::root()) {
                    Ok(records) => records,
                    Err(error) => {
                        eprintln!(
                            "zm-testns: {}:{}: broken template record: {}",
                            token.path.display(),
                            token.line,
                            error.reason
                        );
                        built.is_broken = true;
                        Vec::new()
                    }
                };
                let section = match item.name.text.as_str() {
                    "answer" => &mut built.answer,
                    "authority" => &mut built.authority,
                    _ => &mut built.additional,
                };
                section.extend(records);
            }
            "rcode" => {
                let token = first.ok_or_else(|| item.name.error("needs a code"))?;
                built.rcode =
                    rcode_number(&token.text).ok_or_else(|| token.error("unknown rcode"))?;
            }
            "match" => {
                for token in &item.args {
                    built.matches.push(
                        Regex::new(&token.text).map_err(|error| token.error(error.to_string()))?,
                    );
                }
            }
            "fallthrough" => built.fallthrough = true,
            other => {
                return Err(item
                    .name
                    .error(format!("unsupported template option `{other}`")));
            }
        }
    }
    Ok(built)
}

fn rcode_number(text: &str) -> Option<u16> {
    Some(match text.to_ascii_uppercase().as_str() {
        "NOERROR" => 0,
        "FORMERR" => 1,
        "SERVFAIL" => 2,
        "NXDOMAIN" => 3,
        "NOTIMP" => 4,
        "REFUSED" => 5,
        _ => return None,
    })
}
