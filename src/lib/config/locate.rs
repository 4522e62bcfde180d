//! Where the daemons look for `backend_config.ini` (spec §7.1).

use std::path::{Path, PathBuf};

use super::{BackendConfig, ConfigError};

/// The environment variable naming the file.
pub const CONFIG_ENV: &str = "ZONEMASTER_BACKEND_CONFIG_FILE";

/// The standard places, in search order.
pub const STANDARD_PATHS: [&str; 2] = [
    "/etc/zonemaster/backend_config.ini",
    "/usr/local/etc/zonemaster/backend_config.ini",
];

impl BackendConfig {
    /// Finds and reads the configuration: `explicit` (`--config`) first,
    /// then `$ZONEMASTER_BACKEND_CONFIG_FILE` when non-empty, then the
    /// standard paths. Returns the file used with the configuration.
    pub fn locate(explicit: Option<&Path>) -> Result<(PathBuf, Self), ConfigError> {
        let env = std::env::var_os(CONFIG_ENV).filter(|value| !value.is_empty());
        let path = find(explicit, env.as_deref().map(Path::new), |path| {
            path.is_file()
        })?;
        let config = Self::from_file(&path)?;
        Ok((path, config))
    }
}

/// The search itself, with the file test injectable for tests.
fn find(
    explicit: Option<&Path>,
    env: Option<&Path>,
    exists: impl Fn(&Path) -> bool,
) -> Result<PathBuf, ConfigError> {
    if let Some(path) = explicit.or(env) {
        // Named explicitly: reading it reports a missing file precisely.
        return Ok(path.to_owned());
    }
    STANDARD_PATHS
        .iter()
        .map(PathBuf::from)
        .find(|path| exists(path))
        .ok_or_else(|| ConfigError::NotFound {
            searched: STANDARD_PATHS.iter().map(PathBuf::from).collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_beats_environment_beats_standard_paths() {
        let all = |_: &Path| true;
        let chosen =
            find(Some(Path::new("/a.ini")), Some(Path::new("/b.ini")), all).expect("found");
        assert_eq!(chosen, PathBuf::from("/a.ini"));
        let chosen = find(None, Some(Path::new("/b.ini")), all).expect("found");
        assert_eq!(chosen, PathBuf::from("/b.ini"));
        let chosen = find(None, None, all).expect("found");
        assert_eq!(chosen, PathBuf::from(STANDARD_PATHS[0]));
        let second = |path: &Path| path == Path::new(STANDARD_PATHS[1]);
        assert_eq!(
            find(None, None, second).expect("found"),
            PathBuf::from(STANDARD_PATHS[1])
        );
    }

    #[test]
    fn nothing_found_says_where_it_looked() {
        let err = find(None, None, |_| false).expect_err("none");
        let text = err.to_string();
        assert!(
            text.contains(STANDARD_PATHS[0]) && text.contains(STANDARD_PATHS[1]),
            "{text}"
        );
        assert!(text.contains("--config"), "{text}");
    }
}
