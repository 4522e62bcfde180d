//! The name rules of module Syntax (engine spec §3.8), as pure functions
//! over names and labels: which characters are legal, where hyphens may
//! stand, what a numeric TLD is, and how an SOA RNAME reads as a mail
//! address.

use hickory_proto::rr::Name;

/// True when every label of `name` is made of letters, digits and hyphens
/// only ("legal characters"); the root has no labels and is legal.
pub fn has_only_legal_characters(name: &Name) -> bool {
    name.iter().all(is_legal_label)
}

/// True for a non-empty label of `[-A-Za-z0-9]` only.
pub fn is_legal_label(label: &[u8]) -> bool {
    !label.is_empty()
        && label
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-')
}

/// True when the label starts with a hyphen.
pub fn has_initial_hyphen(label: &[u8]) -> bool {
    label.first() == Some(&b'-')
}

/// True when the label ends with a hyphen.
pub fn has_terminal_hyphen(label: &[u8]) -> bool {
    label.last() == Some(&b'-')
}

/// True when the label has `--` in positions 3 and 4 and does not start
/// with `xn` (any case): a hyphen pair reserved for IDNA-like prefixes.
pub fn has_discouraged_double_dash(label: &[u8]) -> bool {
    label.get(2..4) == Some(b"--".as_slice()) && !label[..2].eq_ignore_ascii_case(b"xn")
}

/// The last label of `name` when it is all digits ("numeric TLD").
pub fn numeric_tld(name: &Name) -> Option<String> {
    let tld = name.iter().next_back()?;
    tld.iter().all(u8::is_ascii_digit).then(|| label_text(tld))
}

/// A label as a message argument: lower case, bytes outside UTF-8 replaced.
pub fn label_text(label: &[u8]) -> String {
    String::from_utf8_lossy(label).to_lowercase()
}

/// What can be wrong with a host name (SYNTAX04, SYNTAX07, SYNTAX08).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostnameProblem {
    /// A character other than a letter, digit or hyphen.
    NonAllowedChars,
    /// This label has a discouraged double dash.
    DoubleDash(String),
    /// The TLD, all digits.
    NumericTld(String),
}

/// Every problem of the host name `name`, in the order they are reported:
/// characters, then each double-dash label, then the TLD.
pub fn hostname_problems(name: &Name) -> Vec<HostnameProblem> {
    let mut problems = Vec::new();
    if !has_only_legal_characters(name) {
        problems.push(HostnameProblem::NonAllowedChars);
    }
    problems.extend(
        name.iter()
            .filter(|label| has_discouraged_double_dash(label))
            .map(|label| HostnameProblem::DoubleDash(label_text(label))),
    );
    problems.extend(numeric_tld(name).map(HostnameProblem::NumericTld));
    problems
}

/// True when a label of the RNAME holds an `@` (once escaped dots are read
/// as the dots they stand for, `@` can only sit inside a label).
pub fn rname_has_at_sign(rname: &Name) -> bool {
    rname.iter().any(|label| label.contains(&b'@'))
}

/// The RNAME as SYNTAX05 reports it (spec §3.8): lower case, no final
/// dot, escaped dots unescaped, and only what the reference's
/// presentation form escapes (`;`, `(`, `)`, `\\`, non-printing octets)
/// escaped: `hostmaster@example.com` stays as written, where our general
/// name text would write `hostmaster\@example.com`.
pub fn rname_text(rname: &Name) -> String {
    let labels: Vec<String> = rname
        .to_lowercase()
        .iter()
        .map(|label| {
            let mut text = String::new();
            for &byte in label {
                if b";()\\".contains(&byte) {
                    text.push('\\');
                    text.push(char::from(byte));
                } else if byte.is_ascii_graphic() {
                    text.push(char::from(byte));
                } else {
                    text.push_str(&format!("\\{byte:03}"));
                }
            }
            text
        })
        .collect();
    if labels.is_empty() {
        return ".".to_owned();
    }
    labels.join(".")
}

/// The RNAME as a mailbox: the first label is the local part (an escaped
/// dot in it is a plain dot), the other labels the mail domain, without
/// the final dot. An RNAME of one label has no `@`; the root gives "".
pub fn mailbox(rname: &Name) -> String {
    let labels: Vec<String> = rname
        .iter()
        .map(|label| String::from_utf8_lossy(label).into_owned())
        .collect();
    match labels.split_first() {
        None => String::new(),
        Some((local, [])) => local.clone(),
        Some((local, domain)) => format!("{local}@{}", domain.join(".")),
    }
}

/// The mail domain of a mailbox: what follows its last `@`.
pub fn mail_domain(mailbox: &str) -> Option<&str> {
    mailbox.rsplit_once('@').map(|(_, domain)| domain)
}

/// True when `mailbox` is a valid RFC 822 address `local@domain`: the
/// local part a dot-separated run of atoms (or one quoted string), the
/// domain a fully qualified host name of at least two labels, each of
/// letters, digits and inner hyphens, its last label not all digits.
pub fn is_rfc822_valid(mailbox: &str) -> bool {
    let Some((local, domain)) = mailbox.rsplit_once('@') else {
        return false;
    };
    is_local_part(local) && is_mail_host(domain)
}

fn is_local_part(local: &str) -> bool {
    if let Some(inner) = local
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        return !inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii() && b != b'"' && b != b'\\');
    }
    !local.is_empty() && local.split('.').all(is_atom)
}

/// An RFC 822 atom: printable ASCII without space, controls or specials.
fn is_atom(atom: &str) -> bool {
    const SPECIALS: &[u8] = b"()<>@,;:\\\".[]";
    !atom.is_empty()
        && atom
            .bytes()
            .all(|b| b.is_ascii_graphic() && !SPECIALS.contains(&b))
}

fn is_mail_host(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let last_is_numeric = labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()));
    labels.len() >= 2
        && !last_is_numeric
        && labels.iter().all(|label| {
            let bytes = label.as_bytes();
            is_legal_label(bytes) && !has_initial_hyphen(bytes) && !has_terminal_hyphen(bytes)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name from text; labels hickory's parser refuses (a leading
    /// hyphen, an `@`) are taken as they are.
    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap_or_else(|_| {
            let labels = text.trim_end_matches('.').split('.').map(str::as_bytes);
            let mut name = Name::from_labels(labels).unwrap();
            name.set_fqdn(true);
            name
        })
    }

    #[test]
    fn legal_characters_are_letters_digits_and_hyphens() {
        for good in [
            ".",
            "example.com.",
            "A-1.b2.SE.",
            "xn--rksmrgs-5wao1o.se.",
            "-a-.b.",
        ] {
            assert!(has_only_legal_characters(&name(good)), "{good}");
        }
        for bad in [
            "_dmarc.example.",
            "ex_ample.com.",
            "a b.example.",
            "a\\.b.example.",
            "*.example.",
        ] {
            assert!(!has_only_legal_characters(&name(bad)), "{bad}");
        }
        assert!(!is_legal_label(b""));
        assert!(!is_legal_label("é".as_bytes()));
    }

    #[test]
    fn hyphens_at_label_ends() {
        assert!(has_initial_hyphen(b"-abc"));
        assert!(!has_initial_hyphen(b"a-bc"));
        assert!(has_terminal_hyphen(b"abc-"));
        assert!(!has_terminal_hyphen(b"ab-c"));
        assert!(!has_initial_hyphen(b"") && !has_terminal_hyphen(b""));
    }

    #[test]
    fn double_dash_in_positions_three_and_four_unless_xn() {
        for bad in ["ab--c", "zz--", "XX--y", "1---"] {
            assert!(has_discouraged_double_dash(bad.as_bytes()), "{bad}");
        }
        for good in [
            "xn--abc", "XN--abc", "Xn--", "a--b", "abc--d", "ab-c", "ab-", "ab",
        ] {
            assert!(!has_discouraged_double_dash(good.as_bytes()), "{good}");
        }
    }

    #[test]
    fn numeric_tld_is_an_all_digit_last_label() {
        assert_eq!(
            numeric_tld(&name("ns1.example.123.")),
            Some("123".to_owned())
        );
        assert_eq!(numeric_tld(&name("123.example.")), None);
        assert_eq!(numeric_tld(&name("ns.1a.")), None);
        assert_eq!(numeric_tld(&name(".")), None);
    }

    #[test]
    fn hostname_problems_are_listed_in_order() {
        assert!(hostname_problems(&name("ns1.example.com.")).is_empty());
        assert!(hostname_problems(&name("ns1.xn--kcrx77d1x4a.")).is_empty());
        assert_eq!(
            hostname_problems(&name("n_s.AB--x.cd--y.42.")),
            [
                HostnameProblem::NonAllowedChars,
                HostnameProblem::DoubleDash("ab--x".to_owned()),
                HostnameProblem::DoubleDash("cd--y".to_owned()),
                HostnameProblem::NumericTld("42".to_owned()),
            ]
        );
    }

    #[test]
    fn at_sign_in_an_rname() {
        assert!(rname_has_at_sign(&name("hostmaster@example.com.")));
        assert!(!rname_has_at_sign(&name("hostmaster.example.com.")));
        assert!(!rname_has_at_sign(&name("first\\.last.example.com.")));
    }

    /// A name of these raw labels, escapes and all.
    fn from_labels(labels: &[&str]) -> Name {
        let mut name = Name::from_labels(labels.iter().map(|label| label.as_bytes())).unwrap();
        name.set_fqdn(true);
        name
    }

    #[test]
    fn rname_text_unescapes_dots_and_keeps_at_signs() {
        assert_eq!(
            rname_text(&name("HostMaster.Example.com.")),
            "hostmaster.example.com"
        );
        assert_eq!(
            rname_text(&from_labels(&["host@master", "example", "com"])),
            "host@master.example.com"
        );
        assert_eq!(
            rname_text(&name("first\\.last.example.com.")),
            "first.last.example.com"
        );
        assert_eq!(rname_text(&from_labels(&["a;b c"])), "a\\;b\\032c");
        assert_eq!(rname_text(&name(".")), ".");
    }

    #[test]
    fn rname_becomes_a_mailbox() {
        assert_eq!(
            mailbox(&name("hostmaster.example.com.")),
            "hostmaster@example.com"
        );
        assert_eq!(
            mailbox(&name("first\\.last.example.com.")),
            "first.last@example.com"
        );
        assert_eq!(mailbox(&name("hostmaster.")), "hostmaster");
        assert_eq!(mailbox(&name(".")), "");
        assert_eq!(mail_domain("a@b.c"), Some("b.c"));
        assert_eq!(mail_domain("abc"), None);
    }

    #[test]
    fn rfc822_mailboxes() {
        for good in [
            "hostmaster@example.com",
            "first.last@example.com",
            "a+b@mail.example.se",
            "\"odd person\"@example.com",
            "x@xn--rksmrgs-5wao1o.se",
        ] {
            assert!(is_rfc822_valid(good), "{good}");
        }
        for bad in [
            "",
            "hostmaster",
            "hostmaster@com",
            "@example.com",
            "a..b@example.com",
            ".a@example.com",
            "a b@example.com",
            "a(b)@example.com",
            "a@b@example.com",
            "a@-example.com",
            "a@ex_ample.com",
            "a@example.123",
            "a@example.com.",
        ] {
            assert!(!is_rfc822_valid(bad), "{bad}");
        }
    }
}
