//! SPF policies: which TXT strings are one (RFC 7208 §4.5) and whether a
//! policy follows the record syntax of RFC 7208 §12.
//!
//! A parser of our own, over the record's bytes: no maintained crate
//! checks exactly the record syntax without evaluating it (the SPF crates
//! either resolve the policy against a sender or accept a looser
//! grammar), and ZONE11 needs nothing but the verdict. Where the ABNF
//! leaves a choice, we decide as the reference's parser (Mail::SPF)
//! does: terms are separated by spaces only (a tab is junk), a
//! domain-spec is the longest macro-string that ends in a top label or a
//! macro, and `redirect=` or `exp=` may appear once each. Unknown
//! modifiers are allowed (RFC 7208 §6), unknown mechanisms are not
//! (§5). Macro letters are those of RFC 7208 §7.2.

use std::net::Ipv6Addr;

/// Why a policy is not a valid SPF record.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpfError {
    /// It does not start with the version `v=spf1` and a space or its end.
    #[error("the record does not start with `v=spf1`")]
    NotVersion1,
    /// A term is neither a mechanism nor a modifier.
    #[error("`{0}` is neither a mechanism nor a modifier")]
    Junk(String),
    /// A mechanism name RFC 7208 §5 does not define.
    #[error("`{0}` is not a mechanism")]
    UnknownMechanism(String),
    /// A known mechanism or modifier with a bad argument.
    #[error("bad argument in `{0}`")]
    BadArgument(String),
    /// `redirect=` or `exp=` given twice (RFC 7208 §6).
    #[error("modifier `{0}` appears twice")]
    DuplicateModifier(String),
}

/// What a mechanism's match yields (RFC 7208 §4.6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    /// `+`, the default.
    Pass,
    /// `-`.
    Fail,
    /// `~`.
    SoftFail,
    /// `?`.
    Neutral,
}

/// The mechanisms of RFC 7208 §5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mechanism {
    /// `all`.
    All,
    /// `include:`.
    Include,
    /// `a`.
    A,
    /// `mx`.
    Mx,
    /// `ptr`.
    Ptr,
    /// `ip4:`.
    Ip4,
    /// `ip6:`.
    Ip6,
    /// `exists:`.
    Exists,
}

/// One term of a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// A directive: qualifier and mechanism.
    Directive(Qualifier, Mechanism),
    /// A modifier, by its lower-case name (`redirect`, `exp`, or unknown).
    Modifier(String),
}

/// A record that follows the syntax: its terms in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpfRecord {
    /// The terms after the version.
    pub terms: Vec<Term>,
}

/// True when `text` is an SPF policy at all (RFC 7208 §4.5): `v=spf1`
/// (any case) followed by its end or white space (a vertical tab
/// included, as the reference's `\s`). Only these strings are policies;
/// others in the TXT set are ignored.
pub fn is_policy(text: &[u8]) -> bool {
    let is_white = |byte: &u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r');
    match strip_version(text) {
        Some(rest) => rest.first().is_none_or(is_white),
        None => false,
    }
}

/// True for the policy that says "no mail from here": `v=spf1 -all`,
/// blanks around `-all` allowed, any case.
pub fn is_null_policy(text: &[u8]) -> bool {
    let Some(rest) = strip_version(text) else {
        return false;
    };
    let is_blank = |byte: &u8| *byte == b' ' || *byte == b'\t';
    let after_blanks = rest.trim_ascii_start();
    let lead = rest.len() - after_blanks.len();
    lead > 0
        && rest[..lead].iter().all(is_blank)
        && after_blanks.len() >= 4
        && after_blanks[..4].eq_ignore_ascii_case(b"-all")
        && after_blanks[4..].iter().all(is_blank)
}

/// Parses `text` as an SPF version 1 record (RFC 7208 §12).
pub fn parse(text: &[u8]) -> Result<SpfRecord, SpfError> {
    let rest = strip_version(text).ok_or(SpfError::NotVersion1)?;
    if rest.first().is_some_and(|byte| *byte != b' ') {
        return Err(SpfError::NotVersion1);
    }
    let mut record = SpfRecord::default();
    for term in rest
        .split(|byte| *byte == b' ')
        .filter(|term| !term.is_empty())
    {
        let term = parse_term(term)?;
        if let Term::Modifier(name) = &term
            && (name == "redirect" || name == "exp")
            && record.terms.contains(&term)
        {
            return Err(SpfError::DuplicateModifier(name.clone()));
        }
        record.terms.push(term);
    }
    Ok(record)
}

fn strip_version(text: &[u8]) -> Option<&[u8]> {
    let (version, rest) = text.split_at_checked(6)?;
    version.eq_ignore_ascii_case(b"v=spf1").then_some(rest)
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A mechanism (optional qualifier, a name followed by `:`, `/` or the
/// end) or a modifier (a name followed by `=`).
fn parse_term(term: &[u8]) -> Result<Term, SpfError> {
    let (qualifier, body) = match term.first() {
        Some(b'+') => (Some(Qualifier::Pass), &term[1..]),
        Some(b'-') => (Some(Qualifier::Fail), &term[1..]),
        Some(b'~') => (Some(Qualifier::SoftFail), &term[1..]),
        Some(b'?') => (Some(Qualifier::Neutral), &term[1..]),
        _ => (None, term),
    };
    let name_length = term_name_length(body);
    let junk = || SpfError::Junk(text_of(term));
    if name_length == 0 {
        return Err(junk());
    }
    let (name, after) = body.split_at(name_length);
    let name = text_of(name).to_ascii_lowercase();
    match after.first() {
        None | Some(b':' | b'/') => {
            let mechanism = mechanism_named(&name).ok_or(SpfError::UnknownMechanism(name))?;
            // `name:` takes the colon only when something follows it.
            let params = match after {
                [b':', rest @ ..] if !rest.is_empty() => rest,
                _ => after,
            };
            if !mechanism_params_are_valid(mechanism, params) {
                return Err(SpfError::BadArgument(text_of(term)));
            }
            Ok(Term::Directive(
                qualifier.unwrap_or(Qualifier::Pass),
                mechanism,
            ))
        }
        Some(b'=') if qualifier.is_none() => {
            let value = &after[1..];
            let is_valid = if name == "redirect" || name == "exp" {
                domain_spec_length(value) == Some(value.len())
            } else {
                macro_string_length(value) == value.len()
            };
            if !is_valid {
                return Err(SpfError::BadArgument(text_of(term)));
            }
            Ok(Term::Modifier(name))
        }
        _ => Err(junk()),
    }
}

/// Length of the name at the start of `body`: ALPHA *( ALPHA / DIGIT /
/// "-" / "_" / "." ); 0 when there is none.
fn term_name_length(body: &[u8]) -> usize {
    if !body.first().is_some_and(u8::is_ascii_alphabetic) {
        return 0;
    }
    body.iter()
        .take_while(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
        .count()
}

fn mechanism_named(name: &str) -> Option<Mechanism> {
    Some(match name {
        "all" => Mechanism::All,
        "include" => Mechanism::Include,
        "a" => Mechanism::A,
        "mx" => Mechanism::Mx,
        "ptr" => Mechanism::Ptr,
        "ip4" => Mechanism::Ip4,
        "ip6" => Mechanism::Ip6,
        "exists" => Mechanism::Exists,
        _ => return None,
    })
}

/// True when `params` (what follows the name and its colon) is what the
/// mechanism takes, nothing more.
fn mechanism_params_are_valid(mechanism: Mechanism, params: &[u8]) -> bool {
    match mechanism {
        Mechanism::All => params.is_empty(),
        Mechanism::Include | Mechanism::Exists => domain_spec_length(params) == Some(params.len()),
        Mechanism::Ptr => params.len() == domain_spec_length(params).unwrap_or(0),
        Mechanism::A | Mechanism::Mx => {
            let rest = &params[domain_spec_length(params).unwrap_or(0)..];
            is_dual_cidr(rest)
        }
        Mechanism::Ip4 => {
            let (address, cidr) = split_cidr(params);
            is_ipv4_address(address) && cidr.is_none_or(|length| is_prefix_length(length, 32))
        }
        Mechanism::Ip6 => {
            let (address, cidr) = split_cidr(params);
            is_ipv6_address(address) && cidr.is_none_or(|length| is_prefix_length(length, 128))
        }
    }
}

/// `address/length` split at the first `/`.
fn split_cidr(params: &[u8]) -> (&[u8], Option<&[u8]>) {
    match params.iter().position(|byte| *byte == b'/') {
        Some(slash) => (&params[..slash], Some(&params[slash + 1..])),
        None => (params, None),
    }
}

/// dual-cidr-length = [ "/" ip4-cidr ] [ "//" ip6-cidr ], the whole text.
fn is_dual_cidr(text: &[u8]) -> bool {
    let (ip4, rest) = leading_prefix_length(text);
    if ip4.is_some_and(|length| !is_prefix_length(length, 32)) {
        return false;
    }
    match rest {
        [] => true,
        [b'/', after @ ..] => {
            let (ip6, rest) = leading_prefix_length(after);
            rest.is_empty() && ip6.is_some_and(|length| is_prefix_length(length, 128))
        }
        _ => false,
    }
}

/// `/digits` at the start of `text`: the digits and what follows.
fn leading_prefix_length(text: &[u8]) -> (Option<&[u8]>, &[u8]) {
    let [b'/', after @ ..] = text else {
        return (None, text);
    };
    let digits = after
        .iter()
        .take_while(|byte| byte.is_ascii_digit())
        .count();
    if digits == 0 {
        return (None, text);
    }
    (Some(&after[..digits]), &after[digits..])
}

/// Decimal digits without a leading zero, at most `maximum`.
fn is_prefix_length(digits: &[u8], maximum: u32) -> bool {
    let is_canonical = !digits.is_empty()
        && digits.iter().all(u8::is_ascii_digit)
        && (digits.len() == 1 || digits[0] != b'0');
    is_canonical
        && std::str::from_utf8(digits)
            .ok()
            .and_then(|text| text.parse::<u32>().ok())
            .is_some_and(|length| length <= maximum)
}

/// Four decimal octets, each 0–255 without a leading zero (RFC 7208
/// §12 `qnum`).
fn is_ipv4_address(text: &[u8]) -> bool {
    let octets: Vec<&[u8]> = text.split(|byte| *byte == b'.').collect();
    octets.len() == 4
        && octets.iter().all(|octet| {
            !octet.is_empty()
                && octet.len() <= 3
                && (octet.len() == 1 || octet[0] != b'0')
                && is_prefix_length(octet, 255)
        })
}

/// An IPv6 address in RFC 4291 §2.2 text form (the ABNF RFC 7208 cites).
fn is_ipv6_address(text: &[u8]) -> bool {
    std::str::from_utf8(text)
        .ok()
        .is_some_and(|text| text.parse::<Ipv6Addr>().is_ok())
}

/// One token of a macro-string: a literal byte or a macro (RFC 7208 §7.1).
#[derive(Clone, Copy)]
struct Token {
    length: usize,
    is_macro: bool,
}

/// The token at the start of `text`, if `text` starts with one.
fn token_at(text: &[u8]) -> Option<Token> {
    match text {
        [b'%', b'%' | b'_' | b'-', ..] => Some(Token {
            length: 2,
            is_macro: true,
        }),
        [b'%', b'{', rest @ ..] => macro_body_length(rest).map(|length| Token {
            length: length + 2,
            is_macro: true,
        }),
        [b'%', ..] | [] => None,
        [byte, ..] => (0x21..=0x7e).contains(byte).then_some(Token {
            length: 1,
            is_macro: false,
        }),
    }
}

/// Length of `letter *DIGIT [ "r" ] *delimiter "}"` at the start of
/// `text`.
fn macro_body_length(text: &[u8]) -> Option<usize> {
    let letter = text.first()?.to_ascii_lowercase();
    if !b"slodiphcrtv".contains(&letter) {
        return None;
    }
    let mut at = 1;
    at += text[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    if text
        .get(at)
        .is_some_and(|byte| byte.eq_ignore_ascii_case(&b'r'))
    {
        at += 1;
    }
    at += text[at..]
        .iter()
        .take_while(|byte| b".-+,/_=".contains(byte))
        .count();
    (text.get(at) == Some(&b'}')).then_some(at + 1)
}

/// The tokens of the longest macro-string at the start of `text`.
fn macro_string_tokens(text: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(token) = token_at(&text[at..]) {
        at += token.length;
        tokens.push(token);
    }
    tokens
}

/// Length of the longest macro-string at the start of `text`.
fn macro_string_length(text: &[u8]) -> usize {
    macro_string_tokens(text)
        .iter()
        .map(|token| token.length)
        .sum()
}

/// Length of the domain-spec at the start of `text` (RFC 7208 §7.1:
/// macro-string domain-end), if there is one: the longest macro-string
/// followed by a domain-end, the end included.
fn domain_spec_length(text: &[u8]) -> Option<usize> {
    let tokens = macro_string_tokens(text);
    let mut boundaries = vec![0];
    for token in &tokens {
        boundaries.push(boundaries.last().copied().unwrap_or(0) + token.length);
    }
    boundaries
        .iter()
        .enumerate()
        .rev()
        .find_map(|(index, start)| {
            let is_macro = tokens.get(index).is_some_and(|token| token.is_macro);
            if text.get(*start) == Some(&b'.') {
                let label = toplabel_length(&text[start + 1..])?;
                let end = start + 1 + label;
                return Some(end + usize::from(text.get(end) == Some(&b'.')));
            }
            is_macro.then(|| start + tokens[index].length)
        })
}

/// Length of the toplabel at the start of `text` (RFC 7208 §7.1):
/// alphanumerics with at least one letter, or alphanumerics with inner
/// hyphens ending in an alphanumeric.
fn toplabel_length(text: &[u8]) -> Option<usize> {
    let run = text
        .iter()
        .take_while(|byte| byte.is_ascii_alphanumeric() || **byte == b'-')
        .count();
    let leading = text
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if leading == 0 {
        return None;
    }
    if leading < run {
        let last = (leading + 2..=run)
            .rev()
            .find(|end| text[end - 1].is_ascii_alphanumeric());
        if last.is_some() {
            return last;
        }
    }
    text[..leading]
        .iter()
        .any(u8::is_ascii_alphabetic)
        .then_some(leading)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> SpfRecord {
        parse(text.as_bytes()).unwrap_or_else(|error| panic!("`{text}`: {error}"))
    }

    fn bad(text: &str) -> SpfError {
        parse(text.as_bytes()).expect_err(text)
    }

    #[test]
    fn the_reference_zones_policies() {
        assert_eq!(ok("v=spf1").terms, []);
        let good = ok("v=spf1 a mx ip4:192.0.2.50 ip6:2001:db8:0:8::50 -all");
        assert_eq!(good.terms.len(), 5);
        assert_eq!(
            bad("v=spf1 amx-all"),
            SpfError::UnknownMechanism("amx-all".to_owned())
        );
        assert!(parse(b"v=spf1 include\x0b7\xf5\xd7\xbb\xfa;\x87").is_err());
        assert!(parse(b"v=spf1 ip6:fda1:b2:c3::/64 -all").is_ok());
    }

    #[test]
    fn all_and_its_qualifiers() {
        let record = ok("v=spf1 +all -all ~all ?all all");
        let qualifiers: Vec<Qualifier> = record
            .terms
            .iter()
            .map(|term| match term {
                Term::Directive(qualifier, Mechanism::All) => *qualifier,
                other => panic!("{other:?}"),
            })
            .collect();
        use Qualifier::*;
        assert_eq!(qualifiers, [Pass, Fail, SoftFail, Neutral, Pass]);
        assert!(matches!(
            bad("v=spf1 all:example.com"),
            SpfError::BadArgument(_)
        ));
        assert!(matches!(bad("v=spf1 all/24"), SpfError::BadArgument(_)));
        assert!(matches!(bad("v=spf1 !all"), SpfError::Junk(_)));
        assert!(matches!(bad("v=spf1 --all"), SpfError::Junk(_)));
    }

    #[test]
    fn case_does_not_matter() {
        assert!(parse(b"V=SPF1 MX IP4:192.0.2.1 -ALL").is_ok());
        assert!(parse(b"v=Spf1 Include:_spf.Example.COM ~All").is_ok());
        assert!(parse(b"v=spf1 exists:%{L1R+}.example.com").is_ok());
        assert!(is_policy(b"V=SPF1 -all"));
        assert!(is_null_policy(b"V=SPF1 -ALL"));
    }

    #[test]
    fn white_space() {
        assert!(parse(b"v=spf1   mx    -all   ").is_ok());
        assert!(parse(b"v=spf1 ").is_ok());
        // Only spaces separate terms (RFC 7208 §12 SP); a tab is junk.
        assert!(parse(b"v=spf1\t-all").is_err());
        assert!(parse(b"v=spf1 mx\t-all").is_err());
        assert_eq!(bad("v=spf1-all"), SpfError::NotVersion1);
        assert_eq!(bad("v=spf10 -all"), SpfError::NotVersion1);
        assert_eq!(bad("spf1 -all"), SpfError::NotVersion1);
        // Which TXT strings are policies at all: the version then white
        // space or the end.
        assert!(is_policy(b"v=spf1"));
        assert!(is_policy(b"v=spf1\t-all"));
        assert!(is_policy(b"v=spf1\x0binclude"));
        assert!(!is_policy(b"v=spf10 -all"));
        assert!(!is_policy(b"v=spf1-all"));
        assert!(!is_policy(b" v=spf1 -all"));
        assert!(!is_policy(b"There are no SPF policy records here."));
    }

    #[test]
    fn null_policies() {
        assert!(is_null_policy(b"v=spf1 -all"));
        assert!(is_null_policy(b"v=spf1 \t -all \t"));
        assert!(!is_null_policy(b"v=spf1 ~all"));
        assert!(!is_null_policy(b"v=spf1 -all mx"));
        assert!(!is_null_policy(b"v=spf1-all"));
        assert!(!is_null_policy(b"v=spf1 ip4:192.0.2.1 -all"));
    }

    #[test]
    fn include_and_redirect_need_a_domain() {
        ok("v=spf1 include:_spf.example.com -all");
        ok("v=spf1 include:example.com. ~all");
        ok("v=spf1 redirect=_spf.example.com");
        ok("v=spf1 mx redirect=%{d}");
        ok("v=spf1 exp=explain._spf.%{d} -all");
        for text in [
            "v=spf1 include",
            "v=spf1 include:",
            "v=spf1 include:localhost",
            "v=spf1 include:example.123",
            "v=spf1 include:example.com-",
            "v=spf1 redirect=",
            "v=spf1 redirect=example",
            "v=spf1 include:exa mple.com",
            "v=spf1 include:%{z}.example.com",
            "v=spf1 include:%example.com",
        ] {
            assert!(parse(text.as_bytes()).is_err(), "{text}");
        }
        assert_eq!(
            bad("v=spf1 redirect=a.example redirect=b.example"),
            SpfError::DuplicateModifier("redirect".to_owned())
        );
        assert!(parse(b"v=spf1 exp=a.example exp=b.example").is_err());
        // Top labels: a letter somewhere, or inner hyphens.
        ok("v=spf1 include:example.1-2");
        ok("v=spf1 include:example.x1");
    }

    #[test]
    fn a_mx_and_their_cidr_lengths() {
        for text in [
            "v=spf1 a",
            "v=spf1 a/24",
            "v=spf1 a//64",
            "v=spf1 a/24//64",
            "v=spf1 mx:example.com/24",
            "v=spf1 mx:example.com//128",
            "v=spf1 ptr ptr:example.com",
        ] {
            assert!(parse(text.as_bytes()).is_ok(), "{text}");
        }
        for text in [
            "v=spf1 a/33",
            "v=spf1 a//129",
            "v=spf1 a/024",
            "v=spf1 a/24/64",
            "v=spf1 a:",
            "v=spf1 mx:example",
            "v=spf1 ptr/24",
        ] {
            assert!(parse(text.as_bytes()).is_err(), "{text}");
        }
    }

    #[test]
    fn ip_networks() {
        ok("v=spf1 ip4:192.0.2.0/24 ip4:0.0.0.0/0 ip4:255.255.255.255/32");
        ok("v=spf1 ip6:::1 ip6:2001:db8::/32 ip6:::ffff:192.0.2.1/128");
        for text in [
            "v=spf1 ip4",
            "v=spf1 ip4:",
            "v=spf1 ip4:192.0.2",
            "v=spf1 ip4:192.0.2.256",
            "v=spf1 ip4:192.0.02.1",
            "v=spf1 ip4:192.0.2.1/33",
            "v=spf1 ip4:192.0.2.1/",
            "v=spf1 ip6:2001:db8::/129",
            "v=spf1 ip6:2001:db8:::1",
            "v=spf1 ip6:192.0.2.1",
        ] {
            assert!(parse(text.as_bytes()).is_err(), "{text}");
        }
    }

    #[test]
    fn several_records_and_unknown_terms() {
        // An unknown modifier is fine, an unknown mechanism is not.
        ok("v=spf1 foo=bar -all");
        ok("v=spf1 foo= -all");
        assert_eq!(
            bad("v=spf1 foo -all"),
            SpfError::UnknownMechanism("foo".to_owned())
        );
        assert!(matches!(bad("v=spf1 -foo=bar"), SpfError::Junk(_)));
        // Two policies glued into one string: the second `v=spf1` reads
        // as an unknown modifier `v` (RFC 7208 §12 unknown-modifier), so
        // the string is one valid policy; two TXT records are two.
        assert_eq!(
            ok("v=spf1 -all v=spf1 mx -all").terms[1],
            Term::Modifier("v".to_owned())
        );
        assert!(parse(b"v=spf1 -all v:spf1").is_err());
    }

    #[test]
    fn long_and_split_records() {
        // A TXT record's strings are joined without a separator (RFC 7208
        // §3.3); a policy longer than one 255-octet string is fine.
        let long: String = std::iter::once("v=spf1".to_owned())
            .chain((0..60).map(|n| format!(" ip4:192.0.2.{n}")))
            .chain(std::iter::once(" -all".to_owned()))
            .collect();
        assert!(long.len() > 600);
        assert!(parse(long.as_bytes()).is_ok());
        let joined = ["v=spf1 ip4:192.0.2.1", " -all"].concat();
        assert!(parse(joined.as_bytes()).is_ok());
        // Split inside a term, the halves join into the term again.
        let joined = ["v=spf1 ip4:192.0", ".2.1 -all"].concat();
        assert!(parse(joined.as_bytes()).is_ok());
        // An over-long prefix length is no prefix length.
        assert!(parse(b"v=spf1 ip4:192.0.2.1/320000000000000000000").is_err());
    }

    /// Any bytes get a verdict, never a panic: SPF text comes from the
    /// network.
    #[test]
    fn arbitrary_bytes_never_panic() {
        let alphabet = b"v=spf1 -+~?:/.%{}_,=adlmnr0123456789x\t\x80";
        let mut state: u32 = 0x2545_f491;
        for _ in 0..20_000 {
            let mut text = b"v=spf1 ".to_vec();
            let length = state % 24;
            for _ in 0..length {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let index = usize::try_from(state >> 24).unwrap() % alphabet.len();
                text.push(alphabet[index]);
            }
            let _ = parse(&text);
            let _ = is_null_policy(&text);
            let _ = parse(&text[..text.len().min(3)]);
        }
    }
}
