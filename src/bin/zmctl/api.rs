//! Reaching the backend: the server's URL and the batch credentials, from
//! the command line, the environment or the settings file, and the
//! client's errors as exit codes.
//!
//! The settings file is read only when a value is not given otherwise, so
//! a broken or too open file stops only the commands that need it.

use clap::Args;
use zonemaster::client::{
    Client, ClientError, ClientSettings, DEFAULT_SERVER, default_settings_path,
};

use crate::Failure;

/// `--user` and `--api-key`: the API user of batch commands.
#[derive(Args, Clone, Default)]
pub struct CredentialFlags {
    /// API user (default: $ZMCTL_USER, else `user` in the settings file).
    #[arg(long, env = "ZMCTL_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// API key (default: $ZMCTL_API_KEY, else `api_key` in the settings file).
    #[arg(
        long,
        env = "ZMCTL_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub api_key: Option<String>,
}

/// A user and its key.
pub struct Credentials {
    /// The API user.
    pub user: String,
    /// Its key.
    pub api_key: String,
}

/// Where the backend is, as the command line said (`--server` or
/// `$ZMCTL_SERVER`), with the settings file behind it.
pub struct Backend {
    server: Option<String>,
}

impl Backend {
    /// `server` from the command line, if any.
    pub fn new(server: Option<String>) -> Self {
        Self { server }
    }

    /// A client of the server: `--server`, `$ZMCTL_SERVER`, the settings
    /// file's `server`, else the reference's default address.
    pub fn client(&self) -> Result<Client, Failure> {
        let url = match &self.server {
            Some(url) => url.clone(),
            None => settings()?
                .server
                .unwrap_or_else(|| DEFAULT_SERVER.to_owned()),
        };
        Client::new(&url).map_err(|error| match error {
            ClientError::InvalidUrl { url } => Failure::input(format!(
                "--server `{url}` is not an http:// or https:// URL"
            )),
            other => Failure::from(other),
        })
    }

    /// The API user and key: the flags (or their environment variables),
    /// else the settings file.
    pub fn credentials(&self, flags: &CredentialFlags) -> Result<Credentials, Failure> {
        let (mut user, mut api_key) = (flags.user.clone(), flags.api_key.clone());
        if user.is_none() || api_key.is_none() {
            let settings = settings()?;
            user = user.or(settings.user);
            api_key = api_key.or(settings.api_key);
        }
        let missing = |what: &str, flag: &str, variable: &str, key: &str| {
            Failure::input(format!(
                "no API {what}: give {flag}, set ${variable}, or set `{key}` in {}",
                settings_path_text()
            ))
        };
        Ok(Credentials {
            user: user.ok_or_else(|| missing("user", "--user", "ZMCTL_USER", "user"))?,
            api_key: api_key
                .ok_or_else(|| missing("key", "--api-key", "ZMCTL_API_KEY", "api_key"))?,
        })
    }
}

/// The settings file's values; none when there is no file.
fn settings() -> Result<ClientSettings, Failure> {
    let Some(path) = default_settings_path() else {
        return Ok(ClientSettings::default());
    };
    let loaded = ClientSettings::load(&path)
        .map_err(|error| Failure::input(zonemaster::error_chain(&error)))?;
    Ok(loaded.unwrap_or_default())
}

fn settings_path_text() -> String {
    default_settings_path().map_or_else(
        || "~/.config/zmctl/config.toml".to_owned(),
        |path| path.display().to_string(),
    )
}

impl From<ClientError> for Failure {
    /// A server's error shows its code, message and every data path; any
    /// other failure its causes. Both are exit 1: the request was fine
    /// as far as zmctl can tell.
    fn from(error: ClientError) -> Self {
        match &error {
            ClientError::Server(server) => Failure::failed(server),
            _ => Failure::failed(zonemaster::error_chain(&error)),
        }
    }
}
