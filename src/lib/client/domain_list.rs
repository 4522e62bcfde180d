//! The domain lists batches are made from: one domain per line, `#`
//! starting a comment, blank lines ignored. Each name is normalised as the
//! API normalises it (IDN to A-labels, lower case, no final dot), so a bad
//! name is reported with its line before anything is sent.

use crate::engine::name::{NameError, normalize};

/// Why a domain list cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainListError {
    /// A line holds something that is no domain name. (The reason is in
    /// the message, not a source: a chain printer would say it twice.)
    #[error("line {line}: `{text}` is not a valid domain name: {reason}")]
    InvalidName {
        /// 1-based line number.
        line: usize,
        /// The line, comment and blanks removed.
        text: String,
        /// Why.
        reason: NameError,
    },
    /// Only blank lines and comments.
    #[error("the list holds no domain name (only blank lines and comments)")]
    Empty,
}

/// The normalised domains of `text`, in order, duplicates kept (a batch
/// tests a domain as often as it is listed).
pub fn parse_domain_list(text: &str) -> Result<Vec<String>, DomainListError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut domains = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let content = line.split_once('#').map_or(line, |(before, _)| before);
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        let domain = normalize(content).map_err(|reason| DomainListError::InvalidName {
            line: index + 1,
            text: content.to_owned(),
            reason,
        })?;
        domains.push(domain);
    }
    if domains.is_empty() {
        return Err(DomainListError::Empty);
    }
    Ok(domains)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_and_idn_are_handled() {
        let text = "\u{feff}# our zones\r\nExample.SE.\r\n\n   \n  räksmörgås.se   # IDN\n\
                    # the end\nexample.se\n";
        assert_eq!(
            parse_domain_list(text).unwrap(),
            ["example.se", "xn--rksmrgs-5wao1o.se", "example.se"]
        );
    }

    #[test]
    fn a_bad_name_is_reported_with_its_line() {
        let error = parse_domain_list("good.se\n\nbad..se # typo\n").unwrap_err();
        assert_eq!(
            error,
            DomainListError::InvalidName {
                line: 3,
                text: "bad..se".into(),
                reason: NameError::RepeatedDots,
            }
        );
        assert!(
            error.to_string().starts_with("line 3: `bad..se`"),
            "{error}"
        );
        let two_on_a_line = parse_domain_list("a.se b.se\n").unwrap_err();
        assert!(matches!(
            two_on_a_line,
            DomainListError::InvalidName { line: 1, .. }
        ));
    }

    #[test]
    fn a_list_without_names_is_refused() {
        assert_eq!(
            parse_domain_list("# nothing\n\n"),
            Err(DomainListError::Empty)
        );
        assert_eq!(parse_domain_list(""), Err(DomainListError::Empty));
    }
}
