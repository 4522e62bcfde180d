//! The backend commands that are no test or batch: `version`, `profiles`,
//! `languages`, `user add`, and `call`, which reaches any method by name
//! (the aliases too) for what no command covers.

use std::io::Write;

use clap::{Args, Subcommand};
use rand::Rng;
use rand::distr::Alphanumeric;
use serde::Serialize;
use zonemaster::api_types::{AddUserParams, VersionInfo};

use crate::Failure;
use crate::api::Backend;
use crate::output::{Rows, Style};
use crate::results_view::print_json;

/// `--json` for the listing commands.
#[derive(Args)]
pub struct JsonFlag {
    /// Print the API's answer as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `zmctl user …`.
#[derive(Subcommand)]
pub enum UserCommand {
    /// Add an API user (the server accepts this only from its own host).
    Add(UserAddArgs),
}

/// `zmctl user add`.
#[derive(Args)]
pub struct UserAddArgs {
    /// The user name (letters, digits, `-`, `.`, `@`).
    pub username: String,
    /// Its API key (default: a new random key, printed).
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
    /// Print the user and key as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `zmctl call`.
#[derive(Args)]
pub struct CallArgs {
    /// The method, e.g. job_status (any name the server may know).
    pub method: String,
    /// Its params as a JSON object, e.g. '{"job_id": "0123456789abcdef"}'
    /// (omitted when not given).
    pub params: Option<String>,
}

/// Prints this client's version and the server's.
pub async fn version(
    backend: &Backend,
    flags: JsonFlag,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    /// The JSON of `version`.
    #[derive(Serialize)]
    struct Versions {
        zmctl: &'static str,
        server: VersionInfo,
    }
    let ours = env!("CARGO_PKG_VERSION");
    let client = backend.client()?;
    let server = match client.version_info().await {
        Ok(server) => server,
        Err(error) => {
            if !flags.json {
                let _ = writeln!(out, "zmctl\t{ours}");
            }
            return Err(error.into());
        }
    };
    if flags.json {
        print_json(
            &Versions {
                zmctl: ours,
                server,
            },
            out,
        )?;
        return Ok(crate::EXIT_OK);
    }
    let mut rows = Rows::new(&["Component", "Version"]);
    rows.push(vec!["zmctl".into(), ours.into()]);
    let server_rows = [
        ("zonemaster_backend", Some(server.zonemaster_backend)),
        ("zonemaster_engine", Some(server.zonemaster_engine)),
        ("zonemaster_ldns", Some(server.zonemaster_ldns)),
        ("zonemaster_rs", server.zonemaster_rs),
    ];
    for (name, version) in server_rows {
        if let Some(version) = version {
            rows.push(vec![name.into(), version]);
        }
    }
    if style.is_human() {
        let _ = writeln!(out, "Server: {}", client.url());
    }
    let _ = write!(out, "{}", rows.render(style));
    Ok(crate::EXIT_OK)
}

/// Prints the public profiles.
pub async fn profiles(
    backend: &Backend,
    flags: JsonFlag,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let names = backend.client()?.profile_names().await?;
    print_list(&names, "Profile", flags.json, style, out)
}

/// Prints the languages results can be asked in.
pub async fn languages(
    backend: &Backend,
    flags: JsonFlag,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let tags = backend.client()?.language_tags().await?;
    print_list(&tags, "Language", flags.json, style, out)
}

fn print_list(
    items: &[String],
    title: &'static str,
    as_json: bool,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    if as_json {
        print_json(&items, out)?;
        return Ok(crate::EXIT_OK);
    }
    let mut rows = Rows::new(&[title]);
    for item in items {
        rows.push(vec![item.clone()]);
    }
    let _ = write!(out, "{}", rows.render(style));
    Ok(crate::EXIT_OK)
}

/// Adds an API user; prints its key (made up here when none was given).
pub async fn user_add(
    backend: &Backend,
    args: UserAddArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    let params = AddUserParams {
        username: args.username,
        api_key: args.api_key.unwrap_or_else(new_api_key),
    };
    backend.client()?.add_api_user(&params).await?;
    if args.json {
        print_json(&params, out)?;
    } else if style.is_human() {
        let _ = writeln!(
            out,
            "API user {} added; its key: {}",
            params.username, params.api_key
        );
    } else {
        let _ = writeln!(out, "{}", params.api_key);
    }
    Ok(crate::EXIT_OK)
}

/// 32 random letters and digits: about 190 bits, within the API's key
/// pattern.
fn new_api_key() -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

/// Calls any method by name and prints its raw result.
pub async fn call(backend: &Backend, args: CallArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let params = match &args.params {
        Some(text) => Some(serde_json::from_str(text).map_err(|error| {
            Failure::input(format!("the params `{text}` are not JSON: {error}"))
        })?),
        None => None,
    };
    let result = backend.client()?.call_value(&args.method, params).await?;
    print_json(&result, out)?;
    Ok(crate::EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_keys_fit_the_api_pattern_and_differ() {
        let key = new_api_key();
        assert_eq!(key.len(), 32);
        assert!(key.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(key, new_api_key());
    }
}
