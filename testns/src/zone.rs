//! Zone data: master files and template record lines, kept as wire rdata.
//!
//! Parsing uses the `domain` crate's zone-file scanner, after turning TTL
//! units (`6h`, `1w2d`) into seconds. Records in RFC 3597 generic form
//! (`TYPE50 \# 4 01020304`) are read here instead and their bytes kept
//! verbatim, even when they are not valid for the type: serving a
//! deliberately malformed record is a feature of a test server.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use domain::base::name::ToLabelIter;
use domain::base::rdata::ComposeRecordData;
use domain::zonefile::inplace::{Entry, Zonefile};
use hickory_proto::rr::Name;

/// Record type numbers used by the server logic.
pub mod rtype {
    pub const A: u16 = 1;
    pub const NS: u16 = 2;
    pub const CNAME: u16 = 5;
    pub const SOA: u16 = 6;
    pub const MX: u16 = 15;
    pub const TXT: u16 = 16;
    pub const AAAA: u16 = 28;
    pub const SRV: u16 = 33;
    pub const DS: u16 = 43;
    pub const RRSIG: u16 = 46;
    pub const NSEC: u16 = 47;
    pub const NSEC3: u16 = 50;
    pub const NSEC3PARAM: u16 = 51;
    pub const OPT: u16 = 41;
    pub const AXFR: u16 = 252;
    pub const ANY: u16 = 255;
}

/// One resource record with uncompressed wire rdata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rr {
    /// Owner, lower-cased, fully qualified.
    pub name: Name,
    /// Type number.
    pub rtype: u16,
    /// Class number.
    pub class: u16,
    /// Time to live.
    pub ttl: u32,
    /// Rdata as wire bytes, names uncompressed.
    pub rdata: Vec<u8>,
}

impl Rr {
    /// The type an RRSIG covers (its first two rdata octets).
    pub fn covered_type(&self) -> Option<u16> {
        (self.rtype == rtype::RRSIG)
            .then(|| {
                self.rdata
                    .get(..2)
                    .map(|b| u16::from_be_bytes([b[0], b[1]]))
            })
            .flatten()
    }

    /// The domain name at the start of the rdata (NS, CNAME, …) or after
    /// `skip` octets (MX: 2, SRV: 6).
    pub fn target(&self, skip: usize) -> Option<Name> {
        read_wire_name(self.rdata.get(skip..)?)
    }
}

/// `name` marked fully qualified: hickory hashes the flag, and names made
/// by `base_name`/`trim_to`/`from_labels` do not always carry it.
pub fn fqdn(mut name: Name) -> Name {
    name.set_fqdn(true);
    name
}

/// The parent of `name` (the root for the root).
pub fn parent(name: &Name) -> Name {
    fqdn(name.base_name())
}

/// Reads an uncompressed wire name.
pub fn read_wire_name(bytes: &[u8]) -> Option<Name> {
    let mut labels: Vec<&[u8]> = Vec::new();
    let mut at = 0;
    loop {
        let length = usize::from(*bytes.get(at)?);
        if length == 0 {
            break;
        }
        if length > 63 {
            return None;
        }
        labels.push(bytes.get(at + 1..at + 1 + length)?);
        at += 1 + length;
    }
    let mut name = Name::from_labels(labels).ok()?;
    name.set_fqdn(true);
    Some(name.to_lowercase())
}

/// Why zone text could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{reason}")]
pub struct ZoneError {
    /// What is wrong (with a line number where known).
    pub reason: String,
}

fn zone_error(reason: impl Into<String>) -> ZoneError {
    ZoneError {
        reason: reason.into(),
    }
}

/// A zone: origin plus records, indexed by owner.
#[derive(Debug)]
pub struct Zone {
    /// The apex.
    pub origin: Name,
    records: Vec<Rr>,
    by_name: HashMap<Name, Vec<usize>>,
    /// Every owner and every ancestor of an owner down to the apex.
    existing: HashSet<Name>,
}

impl Zone {
    /// Loads a master file for `origin`.
    pub fn load(path: &Path, origin: &Name) -> Result<Self, ZoneError> {
        let text = read_with_includes(path, 0)?;
        let records = parse_records(&text, origin)?;
        Ok(Self::from_records(origin.clone(), records))
    }

    /// Builds a zone from records.
    pub fn from_records(origin: Name, records: Vec<Rr>) -> Self {
        let mut by_name: HashMap<Name, Vec<usize>> = HashMap::new();
        let mut existing = HashSet::new();
        for (index, record) in records.iter().enumerate() {
            by_name.entry(record.name.clone()).or_default().push(index);
            let mut name = record.name.clone();
            while origin.zone_of(&name) && existing.insert(name.clone()) && name != origin {
                name = parent(&name);
            }
        }
        Self {
            origin,
            records,
            by_name,
            existing,
        }
    }

    /// All records, in file order.
    pub fn records(&self) -> &[Rr] {
        &self.records
    }

    /// Records owned by `name`.
    pub fn at(&self, name: &Name) -> impl Iterator<Item = &Rr> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|&index| self.records.get(index))
    }

    /// Records of `rtype` owned by `name`.
    pub fn rrset(&self, name: &Name, rtype: u16) -> Vec<Rr> {
        self.at(name)
            .filter(|r| r.rtype == rtype)
            .cloned()
            .collect()
    }

    /// RRSIGs at `name` covering `rtype`.
    pub fn signatures(&self, name: &Name, rtype: u16) -> Vec<Rr> {
        self.at(name)
            .filter(|r| r.covered_type() == Some(rtype))
            .cloned()
            .collect()
    }

    /// True when `name` owns records or is an empty non-terminal.
    pub fn exists(&self, name: &Name) -> bool {
        self.existing.contains(name)
    }
}

/// Reads a master file with `$INCLUDE FILE` lines replaced by the file's
/// text (paths relative to the including file, as the reference server does).
fn read_with_includes(path: &Path, depth: usize) -> Result<String, ZoneError> {
    if depth > 8 {
        return Err(zone_error("$INCLUDE nested more than 8 deep"));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|error| zone_error(format!("cannot read {}: {error}", path.display())))?;
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words
            .next()
            .is_some_and(|word| word.eq_ignore_ascii_case("$INCLUDE"))
        {
            let file = words
                .next()
                .ok_or_else(|| zone_error("$INCLUDE without a file name"))?;
            let base = path.parent().unwrap_or(Path::new("."));
            let included = read_with_includes(&base.join(file), depth + 1)?;
            match words.next() {
                Some(origin) => out.push_str(&format!("$ORIGIN {origin}\n{included}\n")),
                None => out.push_str(&included),
            }
            out.push('\n');
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    Ok(out)
}

/// Parses zone text; relative names are completed with `origin`.
///
/// The `domain` scanner panics on some malformed input (a base64 field
/// cut short at the end of the text); that is turned into an error here.
pub fn parse_records(text: &str, origin: &Name) -> Result<Vec<Rr>, ZoneError> {
    std::panic::catch_unwind(|| scan_records(text, origin))
        .unwrap_or_else(|_| Err(zone_error("the zone-file scanner gave up on this text")))
}

fn scan_records(text: &str, origin: &Name) -> Result<Vec<Rr>, ZoneError> {
    let converted = convert_time_units(text);
    let (generic, rest) = take_generic_lines(&converted, origin)?;
    let mut zonefile = Zonefile::new().allow_invalid();
    zonefile.extend_from_slice(rest.as_bytes());
    zonefile.extend_from_slice(b"\n");
    let origin_text = if origin.is_root() {
        ".".to_owned()
    } else {
        origin.to_ascii()
    };
    let domain_origin: domain::base::Name<bytes::Bytes> = origin_text
        .parse()
        .map_err(|_| zone_error(format!("bad origin {origin_text}")))?;
    zonefile.set_origin(domain_origin);
    zonefile.set_default_class(domain::base::iana::Class::IN);
    let mut records = generic;
    loop {
        let before = zonefile.current_offset();
        let entry = match zonefile.next_entry() {
            Ok(entry) => entry,
            // One bad record (the data has a one-string HINFO) is skipped,
            // as long as the scanner moves on.
            Err(error) if zonefile.current_offset() > before => {
                eprintln!("zm-testns: zone {origin}: record skipped: {error}");
                continue;
            }
            Err(error) => return Err(zone_error(error.to_string())),
        };
        match entry {
            None => break,
            Some(Entry::Include { .. }) => return Err(zone_error("$INCLUDE is not supported")),
            Some(Entry::Record(record)) => {
                let mut rdata = Vec::new();
                record
                    .data()
                    .compose_rdata(&mut rdata)
                    .map_err(|_| zone_error("cannot encode rdata"))?;
                let labels: Vec<Vec<u8>> = record
                    .owner()
                    .iter_labels()
                    .map(|l| l.as_slice().to_vec())
                    .collect();
                let mut name =
                    Name::from_labels(labels.iter().filter(|l| !l.is_empty()).map(Vec::as_slice))
                        .map_err(|error| zone_error(error.to_string()))?;
                name.set_fqdn(true);
                records.push(Rr {
                    name: name.to_lowercase(),
                    rtype: record.rtype().to_int(),
                    class: record.class().to_int(),
                    ttl: record.ttl().as_secs(),
                    rdata,
                });
            }
        }
    }
    Ok(records)
}

/// Pulls out single-line records in RFC 3597 generic form (`\#`) and parses
/// them here, returning them and the text without those lines.
fn take_generic_lines(text: &str, origin: &Name) -> Result<(Vec<Rr>, String), ZoneError> {
    let mut records = Vec::new();
    let mut rest = String::with_capacity(text.len());
    let mut last_owner: Option<Name> = None;
    for (index, line) in text.lines().enumerate() {
        let content = line.split(';').next().unwrap_or_default();
        if content.contains("\\#") && !content.contains('(') {
            let record = parse_generic(content, origin, last_owner.as_ref())
                .map_err(|reason| zone_error(format!("line {}: {reason}", index + 1)))?;
            last_owner = Some(record.name.clone());
            records.push(record);
            rest.push('\n');
        } else {
            rest.push_str(line);
            rest.push('\n');
        }
    }
    Ok((records, rest))
}

fn parse_generic(line: &str, origin: &Name, last_owner: Option<&Name>) -> Result<Rr, String> {
    let starts_blank = line.starts_with(char::is_whitespace);
    let mut fields: Vec<&str> = line.split_whitespace().collect();
    let name = if starts_blank {
        last_owner.cloned().ok_or("no previous owner")?
    } else {
        let owner = fields.remove(0);
        absolute(owner, origin)?
    };
    let mut ttl = 3600;
    let mut class = 1;
    let mut type_field = None;
    let mut iter = fields.iter();
    for field in iter.by_ref() {
        if let Ok(number) = field.parse::<u32>() {
            ttl = number;
        } else if field.eq_ignore_ascii_case("IN") {
            class = 1;
        } else if field.eq_ignore_ascii_case("CH") {
            class = 3;
        } else {
            type_field = Some(*field);
            break;
        }
    }
    let type_field = type_field.ok_or("missing type")?;
    let rtype = type_number(type_field)?;
    if iter.next() != Some(&"\\#") {
        return Err("expected `\\#` after the type".to_owned());
    }
    let length: usize = iter
        .next()
        .ok_or("missing length")?
        .parse()
        .map_err(|_| "bad length")?;
    let hex: String = iter.copied().collect();
    let rdata = decode_hex(&hex)?;
    if rdata.len() != length {
        return Err(format!(
            "length {length} does not match {} octets of data",
            rdata.len()
        ));
    }
    Ok(Rr {
        name,
        rtype,
        class,
        ttl,
        rdata,
    })
}

fn type_number(text: &str) -> Result<u16, String> {
    let upper = text.to_ascii_uppercase();
    if let Some(number) = upper.strip_prefix("TYPE") {
        return number.parse().map_err(|_| format!("bad type {text}"));
    }
    upper
        .parse::<hickory_proto::rr::RecordType>()
        .map(u16::from)
        .map_err(|_| format!("unknown type {text}"))
}

fn decode_hex(hex: &str) -> Result<Vec<u8>, String> {
    if !hex.len().is_multiple_of(2) {
        return Err("odd number of hex digits".to_owned());
    }
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).map_err(|_| format!("bad hex {hex}")))
        .collect()
}

fn absolute(text: &str, origin: &Name) -> Result<Name, String> {
    if text == "@" {
        return Ok(origin.clone());
    }
    let name = if text.ends_with('.') {
        name_from_text(text)
    } else {
        name_from_text(text)
            .and_then(|relative| relative.append_domain(origin).map_err(|e| e.to_string()))
    };
    name.map(|n| n.to_lowercase())
        .map_err(|error| format!("bad name {text}: {error}"))
}

/// A name from plain presentation text (no escapes), relative unless it
/// ends in a dot. hickory's parser refuses `/`, which RFC 2317 names such
/// as `0/25.2.0.192.in-addr.arpa` carry, so labels go in as raw bytes.
pub fn name_from_text(text: &str) -> Result<Name, String> {
    let (labels, is_fqdn) = match text.strip_suffix('.') {
        Some(relative) => (relative, true),
        None => (text, false),
    };
    if labels.is_empty() && is_fqdn {
        return Ok(Name::root());
    }
    if labels.split('.').any(str::is_empty) {
        return Err(format!("empty label in `{text}`"));
    }
    let mut name =
        Name::from_labels(labels.split('.').map(str::as_bytes)).map_err(|e| e.to_string())?;
    name.set_fqdn(is_fqdn);
    Ok(name)
}

/// Replaces time values such as `6h` or `1w2d` with seconds, outside quotes,
/// except in the owner position at the start of a line.
pub fn convert_time_units(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_quotes = false;
        let mut token = String::new();
        let mut first = true;
        let flush = |token: &mut String, out: &mut String, first: &mut bool, in_owner: bool| {
            if !token.is_empty() {
                match (in_owner && *first, seconds_of(token)) {
                    (false, Some(seconds)) => out.push_str(&seconds.to_string()),
                    _ => out.push_str(token),
                }
                token.clear();
                *first = false;
            }
        };
        let starts_blank = line.starts_with(char::is_whitespace);
        for c in line.chars() {
            if c == '"' {
                in_quotes = !in_quotes;
            }
            if c == ';' && !in_quotes {
                flush(&mut token, &mut out, &mut first, !starts_blank);
                out.push_str(&line[line.find(';').unwrap_or(0)..]);
                token.clear();
                break;
            }
            if (c.is_whitespace() || c == '(' || c == ')') && !in_quotes {
                flush(&mut token, &mut out, &mut first, !starts_blank);
                out.push(c);
            } else {
                token.push(c);
            }
        }
        flush(&mut token, &mut out, &mut first, !starts_blank);
        out.push('\n');
    }
    out
}

/// `1w2d3h4m5s` in seconds; `None` unless it has at least one unit letter.
fn seconds_of(token: &str) -> Option<u64> {
    if !token.chars().any(|c| c.is_ascii_alphabetic())
        || !token.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let mut total: u64 = 0;
    let mut number: u64 = 0;
    let mut has_digits = false;
    for c in token.chars() {
        if let Some(digit) = c.to_digit(10) {
            number = number.checked_mul(10)?.checked_add(u64::from(digit))?;
            has_digits = true;
            continue;
        }
        let unit = match c.to_ascii_lowercase() {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
        if !has_digits {
            return None;
        }
        total = total.checked_add(number.checked_mul(unit)?)?;
        number = 0;
        has_digits = false;
    }
    total.checked_add(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Name {
        Name::from_ascii("example.").unwrap()
    }

    #[test]
    fn time_units_become_seconds_outside_owner_and_quotes() {
        assert_eq!(
            seconds_of("1w2d3h4m5s"),
            Some(604_800 + 172_800 + 10_800 + 240 + 5)
        );
        assert_eq!(seconds_of("1h"), Some(3600));
        assert_eq!(seconds_of("ns1"), None);
        assert_eq!(seconds_of("300"), None);
        let converted = convert_time_units("1h 6h IN TXT \"2h\" ; 1d\n  3h IN A 1.2.3.4\n");
        assert_eq!(
            converted,
            "1h 21600 IN TXT \"2h\" ; 1d\n  10800 IN A 1.2.3.4\n"
        );
    }

    #[test]
    fn parses_records_and_generic_rdata() {
        let text = "$TTL 1h\n@ IN SOA ns1 admin 1 6h 1h 1w 1d\n@ NS ns1\nns1 A 192.0.2.1\nbad 60 IN TYPE50 \\# 4 01020304\n";
        let records = parse_records(text, &origin()).unwrap();
        assert_eq!(records.len(), 4);
        let bad = records.iter().find(|r| r.rtype == rtype::NSEC3).unwrap();
        assert_eq!(bad.rdata, vec![1, 2, 3, 4]);
        assert_eq!(bad.name, Name::from_ascii("bad.example.").unwrap());
        let soa = records.iter().find(|r| r.rtype == rtype::SOA).unwrap();
        assert_eq!(soa.ttl, 3600);
        assert_eq!(
            &soa.rdata[soa.rdata.len() - 16..soa.rdata.len() - 12],
            &21_600u32.to_be_bytes()
        );
        let ns = records.iter().find(|r| r.rtype == rtype::NS).unwrap();
        assert_eq!(
            ns.target(0),
            Some(Name::from_ascii("ns1.example.").unwrap())
        );
    }

    #[test]
    fn the_root_may_be_written_as_a_dot() {
        let records = parse_records(". 60 IN TYPE2 \\# 1 00\n", &Name::root()).unwrap();
        assert_eq!(records[0].name, Name::root());
    }

    #[test]
    fn empty_non_terminals_exist() {
        let records = parse_records("a.b.c A 192.0.2.1\n", &origin()).unwrap();
        let zone = Zone::from_records(origin(), records);
        assert!(zone.exists(&Name::from_ascii("b.c.example.").unwrap()));
        assert!(!zone.exists(&Name::from_ascii("x.example.").unwrap()));
    }
}
