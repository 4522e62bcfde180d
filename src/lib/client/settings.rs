//! The settings file of `zmctl` (and the TUI): `zmctl/config.toml` under
//! `$XDG_CONFIG_HOME`, else under `~/.config`, with the server and the
//! credentials batches need:
//!
//! ```toml
//! server = "http://127.0.0.1:5000"
//! user = "ops"
//! api_key = "…"
//! ```
//!
//! It holds an API key, so it must be private to its owner: a file that
//! its group or others may read or write (anything looser than 0600) is
//! refused, as ssh refuses a private key that others can read.

use std::ffi::OsString;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// What the settings file may say; each member is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSettings {
    /// The API server's URL.
    pub server: Option<String>,
    /// The API user for batches.
    pub user: Option<String>,
    /// Its key.
    pub api_key: Option<String>,
}

/// Why the settings file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// It exists but cannot be read.
    #[error("cannot read {}", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Its group or others have access.
    #[error(
        "{} has mode {mode:04o}, so others may read its API key; make it private \
         with `chmod 600 {}`",
        .path.display(),
        .path.display()
    )]
    TooOpen {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// It is no TOML, or has members we do not know.
    #[error("{} is not a valid zmctl settings file (keys: server, user, api_key)", .path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong, with its line.
        #[source]
        source: toml::de::Error,
    },
}

impl ClientSettings {
    /// Reads `path`: `Ok(None)` when there is no such file.
    pub fn load(path: &Path) -> Result<Option<Self>, SettingsError> {
        let read_error = |source| SettingsError::Read {
            path: path.to_owned(),
            source,
        };
        let mut file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(read_error(error)),
        };
        // The mode of the file opened, not of whatever the path names later.
        let mode = file.metadata().map_err(read_error)?.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(SettingsError::TooOpen {
                path: path.to_owned(),
                mode,
            });
        }
        let mut text = String::new();
        file.read_to_string(&mut text).map_err(read_error)?;
        toml::from_str(&text)
            .map(Some)
            .map_err(|source| SettingsError::Parse {
                path: path.to_owned(),
                source,
            })
    }
}

/// Where the settings file is, from the environment.
pub fn default_settings_path() -> Option<PathBuf> {
    settings_path_from(
        std::env::var_os("XDG_CONFIG_HOME"),
        std::env::var_os("HOME"),
    )
}

/// `$XDG_CONFIG_HOME/zmctl/config.toml`, else `$HOME/.config/zmctl/…`.
/// A relative or empty `XDG_CONFIG_HOME` is ignored, as the XDG base
/// directory specification says; no home either gives `None`.
pub fn settings_path_from(
    xdg_config_home: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    let base = xdg_config_home
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| {
            home.map(PathBuf::from)
                .filter(|path| path.is_absolute())
                .map(|home| home.join(".config"))
        })?;
    Some(base.join("zmctl").join("config.toml"))
}

#[cfg(test)]
mod tests {
    use std::fs::Permissions;

    use super::*;

    fn written(mode: u32, text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, Permissions::from_mode(mode)).unwrap();
        (dir, path)
    }

    #[test]
    fn a_private_file_is_read() {
        let text = "server = \"http://127.0.0.1:5000\"\nuser = \"ops\"\napi_key = \"k-1\"\n";
        for mode in [0o600, 0o400] {
            let (_dir, path) = written(mode, text);
            let settings = ClientSettings::load(&path).unwrap().unwrap();
            assert_eq!(settings.user.as_deref(), Some("ops"));
            assert_eq!(settings.api_key.as_deref(), Some("k-1"));
        }
    }

    #[test]
    fn a_file_others_may_read_is_refused() {
        for mode in [0o644, 0o640, 0o606] {
            let (_dir, path) = written(mode, "user = \"ops\"\n");
            let error = ClientSettings::load(&path).unwrap_err();
            assert!(
                matches!(error, SettingsError::TooOpen { mode: found, .. } if found == mode),
                "{error}"
            );
            assert!(error.to_string().contains("chmod 600"), "{error}");
        }
    }

    #[test]
    fn absent_files_are_no_settings_and_unknown_keys_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            ClientSettings::load(&dir.path().join("none.toml")).unwrap(),
            None
        );
        let (_dir, path) = written(0o600, "apikey = \"typo\"\n");
        assert!(matches!(
            ClientSettings::load(&path),
            Err(SettingsError::Parse { .. })
        ));
    }

    #[test]
    fn the_path_follows_xdg_then_home() {
        let path = |xdg: Option<&str>, home: Option<&str>| {
            settings_path_from(xdg.map(OsString::from), home.map(OsString::from))
        };
        assert_eq!(
            path(Some("/x"), Some("/home/u")),
            Some(PathBuf::from("/x/zmctl/config.toml"))
        );
        assert_eq!(
            path(Some("relative"), Some("/home/u")),
            Some(PathBuf::from("/home/u/.config/zmctl/config.toml"))
        );
        assert_eq!(
            path(Some(""), Some("/home/u")),
            Some(PathBuf::from("/home/u/.config/zmctl/config.toml"))
        );
        assert_eq!(path(None, None), None);
    }
}
