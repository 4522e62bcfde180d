//! The New test form: typing into its fields and turning them into
//! `start_domain_test` params.

use crate::api_types::{DsInfo, NameServer, StartTestParams, TestOptions};

use super::action::Action;
use super::app::{AppState, FormField, FormState};
use super::request::Request;

/// A key in the form. Letters are text; Space ticks a box.
pub fn form_key(state: &mut AppState, action: Action) -> Vec<Request> {
    let form = &mut state.form;
    match action {
        Action::Up | Action::Down => {
            let index = FormField::ALL
                .iter()
                .position(|f| *f == form.focus)
                .unwrap_or(0);
            let next = if action == Action::Up {
                index.saturating_sub(1)
            } else {
                (index + 1).min(FormField::ALL.len() - 1)
            };
            form.focus = FormField::ALL
                .get(next)
                .copied()
                .unwrap_or(FormField::Domain);
        }
        Action::Space if form.focus == FormField::Ipv4 => form.ipv4 = !form.ipv4,
        Action::Space if form.focus == FormField::Ipv6 => form.ipv6 = !form.ipv6,
        Action::Space => type_char(form, ' '),
        Action::Key(c) => type_char(form, c),
        Action::Backspace => {
            if let Some(text) = text_of(form) {
                text.pop();
            }
        }
        Action::Back => form.notice = None,
        Action::Prefill => {
            let domain = form.domain.trim().to_owned();
            if domain.is_empty() {
                form.notice = Some("type a domain first".to_owned());
                return Vec::new();
            }
            form.notice = Some(format!("asking for the delegation of {domain}…"));
            return vec![Request::Parent(domain)];
        }
        Action::Enter => match start_params(form) {
            Ok(params) => {
                form.notice = Some(format!("starting a test of {}…", params.domain));
                state.last_started = Some(params.clone());
                return vec![Request::StartTest(Box::new(params))];
            }
            Err(problem) => form.notice = Some(problem),
        },
        _ => {}
    }
    Vec::new()
}

/// The focused field's text, when it is a text field.
fn text_of(form: &mut FormState) -> Option<&mut String> {
    match form.focus {
        FormField::Domain => Some(&mut form.domain),
        FormField::Nameservers => Some(&mut form.nameservers),
        FormField::Ds => Some(&mut form.ds),
        FormField::Profile => Some(&mut form.profile),
        FormField::Priority => Some(&mut form.priority),
        FormField::Ipv4 | FormField::Ipv6 => None,
    }
}

fn type_char(form: &mut FormState, c: char) {
    let is_priority = form.focus == FormField::Priority;
    if is_priority && !(c.is_ascii_digit() || c == '-') {
        return;
    }
    if let Some(text) = text_of(form) {
        text.push(c);
    }
}

/// The params of the form, or what is wrong with it.
pub fn start_params(form: &FormState) -> Result<StartTestParams, String> {
    let domain = form.domain.trim();
    if domain.is_empty() {
        return Err("the domain is empty".to_owned());
    }
    let priority = form
        .priority
        .trim()
        .parse::<i64>()
        .map_err(|_| format!("priority `{}` is not a whole number", form.priority.trim()))?;
    let profile = form.profile.trim();
    Ok(StartTestParams {
        domain: domain.to_owned(),
        language: None,
        options: TestOptions {
            ipv4: Some(form.ipv4),
            ipv6: Some(form.ipv6),
            nameservers: form
                .nameservers
                .split_whitespace()
                .map(name_server)
                .collect(),
            ds_info: form
                .ds
                .split_whitespace()
                .map(ds_record)
                .collect::<Result<_, _>>()?,
            profile: (!profile.is_empty()).then(|| profile.to_owned()),
            client_id: Some("zmctl-tui".to_owned()),
            client_version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            priority: Some(priority),
            ..TestOptions::default()
        },
    })
}

/// `NAME` or `NAME/IP`.
fn name_server(text: &str) -> NameServer {
    match text.split_once('/') {
        Some((ns, ip)) => NameServer {
            ns: ns.to_owned(),
            ip: Some(ip.to_owned()),
        },
        None => NameServer {
            ns: text.to_owned(),
            ip: None,
        },
    }
}

/// `KEYTAG,ALGORITHM,DIGTYPE,DIGEST`.
fn ds_record(text: &str) -> Result<DsInfo, String> {
    let wrong = || format!("DS `{text}` is not KEYTAG,ALGORITHM,DIGTYPE,DIGEST");
    let parts: Vec<&str> = text.split(',').collect();
    let [keytag, algorithm, digtype, digest] = parts.as_slice() else {
        return Err(wrong());
    };
    let number = |part: &str| part.trim().parse::<u64>().map_err(|_| wrong());
    Ok(DsInfo {
        keytag: number(keytag)?,
        algorithm: number(algorithm)?,
        digtype: number(digtype)?,
        digest: digest.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_become_undelegated_params() {
        let form = FormState {
            domain: " example.se ".to_owned(),
            nameservers: "ns1.example.se/192.0.2.1 ns2.example.se".to_owned(),
            ds: "12345,13,2,ABCDEF".to_owned(),
            ipv6: false,
            priority: "7".to_owned(),
            ..FormState::default()
        };
        let params = start_params(&form).unwrap();
        assert_eq!(params.domain, "example.se");
        assert_eq!(params.options.nameservers.len(), 2);
        assert_eq!(
            params.options.nameservers[0].ip.as_deref(),
            Some("192.0.2.1")
        );
        assert_eq!(params.options.nameservers[1].ip, None);
        assert_eq!(params.options.ds_info[0].keytag, 12345);
        assert_eq!(params.options.ipv6, Some(false));
        assert_eq!(params.options.priority, Some(7));
        assert_eq!(params.options.profile.as_deref(), Some("default"));
    }

    #[test]
    fn bad_fields_say_what_is_wrong() {
        let empty = FormState::default();
        assert_eq!(start_params(&empty).unwrap_err(), "the domain is empty");
        let bad_ds = FormState {
            domain: "example.se".to_owned(),
            ds: "1,2,3".to_owned(),
            ..FormState::default()
        };
        assert!(
            start_params(&bad_ds)
                .unwrap_err()
                .contains("KEYTAG,ALGORITHM")
        );
    }
}
