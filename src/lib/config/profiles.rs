//! The profile set of a backend: every public and private profile of the
//! configuration, loaded and checked once at start-up (spec §8).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{ConfigError, ProfileSource, ProfilesConfig};
use crate::engine::profile::Profile;

/// Loaded profiles by lower-case name. Public and private profiles run the
/// same way; only public names are listed to clients.
#[derive(Debug, Clone)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Arc<Profile>>,
    public: Vec<String>,
}

impl ProfileSet {
    /// Loads every profile `config` names; the first unreadable or invalid
    /// file is an error naming the profile and its path.
    pub fn load(config: &ProfilesConfig) -> Result<Self, ConfigError> {
        let mut profiles = BTreeMap::new();
        for (name, source) in config.public.iter().chain(&config.private) {
            profiles.insert(name.to_lowercase(), Arc::new(load_one(name, source)?));
        }
        if !profiles.contains_key("default") {
            profiles.insert("default".to_owned(), Arc::new(Profile::default()));
        }
        let mut public: Vec<String> = config
            .public
            .keys()
            .map(|name| name.to_lowercase())
            .collect();
        if !public.iter().any(|name| name == "default") {
            public.push("default".to_owned());
        }
        public.sort();
        Ok(Self { profiles, public })
    }

    /// Only the built-in default profile.
    pub fn builtin() -> Self {
        Self {
            profiles: BTreeMap::from([("default".to_owned(), Arc::new(Profile::default()))]),
            public: vec!["default".to_owned()],
        }
    }

    /// The profile called `name` (compared lower-cased).
    pub fn get(&self, name: &str) -> Option<Arc<Profile>> {
        self.profiles.get(&name.to_lowercase()).cloned()
    }

    /// True when `name` (any case) is a public or private profile.
    pub fn contains(&self, name: &str) -> bool {
        self.profiles.contains_key(&name.to_lowercase())
    }

    /// The public profile names, sorted; always holds `default`.
    pub fn public_names(&self) -> Vec<String> {
        self.public.clone()
    }
}

fn load_one(name: &str, source: &ProfileSource) -> Result<Profile, ConfigError> {
    match source {
        ProfileSource::BuiltIn => Ok(Profile::default()),
        ProfileSource::File(path) => {
            Profile::from_file(path).map_err(|source| ConfigError::Profile {
                name: name.to_owned(),
                path: path.clone(),
                source,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn config(
        public: &[(&str, ProfileSource)],
        private: &[(&str, ProfileSource)],
    ) -> ProfilesConfig {
        let map = |items: &[(&str, ProfileSource)]| {
            items
                .iter()
                .map(|(name, source)| ((*name).to_owned(), source.clone()))
                .collect()
        };
        ProfilesConfig {
            public: map(public),
            private: map(private),
        }
    }

    #[test]
    fn private_profiles_run_but_are_not_listed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("fast.json");
        std::fs::write(&path, r#"{"resolver":{"defaults":{"timeout":1}}}"#).expect("write");
        let set = ProfileSet::load(&config(
            &[("default", ProfileSource::BuiltIn)],
            &[("fast", ProfileSource::File(path))],
        ))
        .expect("loads");
        assert_eq!(set.public_names(), vec!["default"]);
        assert!(set.contains("FAST"));
        assert!(set.get("fast").is_some());
        assert!(set.get("missing").is_none());
    }

    #[test]
    fn a_broken_profile_names_itself_and_its_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("broken.json");
        std::fs::write(&path, "{not json").expect("write");
        let err = ProfileSet::load(&config(
            &[("broken", ProfileSource::File(path.clone()))],
            &[],
        ))
        .expect_err("broken profile");
        let text = crate::error_chain(&err);
        assert!(
            text.starts_with(&format!(
                "Error loading profile 'broken' at '{}': ",
                path.display()
            )),
            "{text}"
        );
        let missing = PathBuf::from("/nonexistent/zm/profile.json");
        let err = ProfileSet::load(&config(&[("gone", ProfileSource::File(missing))], &[]))
            .expect_err("missing");
        assert!(
            err.to_string().contains("/nonexistent/zm/profile.json"),
            "{err}"
        );
    }

    /// Issue 4/13, point 10: the chain said "unknown profile property
    /// `nett`: unknown profile property `nett`".
    #[test]
    fn a_profile_error_says_its_cause_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("odd.json");
        std::fs::write(&path, r#"{"nett":{}}"#).expect("write");
        let err = ProfileSet::load(&config(&[("odd", ProfileSource::File(path.clone()))], &[]))
            .expect_err("unknown property");
        assert_eq!(
            crate::error_chain(&err),
            format!(
                "Error loading profile 'odd' at '{}': unknown profile property `nett`",
                path.display()
            )
        );
    }
}
