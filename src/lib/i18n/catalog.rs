//! Per-language text tables, read from one data file per language
//! (`catalogs/<code>.toml`).
//!
//! Every language is loaded the same way: its file is compiled into the
//! binary, parsed on first use and kept for the life of the process. A
//! file holds the engine's texts (`[engine.MODULE]`: tag → text with
//! `{arg}` placeholders) and the API's (`[api.messages]`, `[api.backend]`,
//! `[api.descriptions]`). A translation may be partial; rendering then
//! falls back to English and says so. A language without a file has empty
//! tables. Adding a language is adding its file and one line to [`FILES`].

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::{Language, TextSource};
use crate::engine::module::Module;
use crate::engine::tags::Tag;

/// The catalog files compiled in, by language.
const FILES: &[(Language, &str)] = &[
    (Language::Da, include_str!("catalogs/da.toml")),
    (Language::En, include_str!("catalogs/en.toml")),
    (Language::Es, include_str!("catalogs/es.toml")),
    (Language::Fi, include_str!("catalogs/fi.toml")),
    (Language::Fr, include_str!("catalogs/fr.toml")),
    (Language::Nb, include_str!("catalogs/nb.toml")),
    (Language::Sv, include_str!("catalogs/sv.toml")),
];

/// Key (tag name, message key, test-case id) → text.
pub type Texts = BTreeMap<String, String>;

/// The text under `key` in `texts`.
pub(super) fn find_text<'a>(texts: &'a Texts, key: &str) -> Option<&'a str> {
    texts.get(key).map(String::as_str)
}

/// The engine's texts of one language.
#[derive(Debug)]
pub struct Catalog {
    /// The language of the texts.
    pub language: Language,
    /// One table per module, in [`Module::ALL`] order.
    modules: Vec<Texts>,
}

/// The API's own texts of one language.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiCatalog {
    /// [`ApiText`](super::ApiText) key → text.
    #[serde(default)]
    pub messages: Texts,
    /// `Backend` tag → text.
    #[serde(default)]
    pub backend: Texts,
    /// Upper-case test-case id (`BASIC01`) → description.
    #[serde(default)]
    pub descriptions: Texts,
}

/// Everything one language's file holds.
#[derive(Debug)]
pub(super) struct LanguageTexts {
    pub(super) engine: Catalog,
    pub(super) api: ApiCatalog,
}

/// A catalog file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    /// Module name as messages spell it (`DNSSEC`) → its texts.
    #[serde(default)]
    engine: BTreeMap<String, Texts>,
    #[serde(default)]
    api: ApiCatalog,
}

/// Why a catalog file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// Not TOML of the catalog's shape.
    #[error("catalog {language}: {source}")]
    Syntax {
        language: Language,
        #[source]
        source: Box<toml::de::Error>,
    },
    /// An `[engine.X]` table for a module that does not exist.
    #[error("catalog {language}: no module is named `{name}`")]
    UnknownModule { language: Language, name: String },
}

/// Parses one language's catalog file.
pub(super) fn parse(language: Language, source: &str) -> Result<LanguageTexts, CatalogError> {
    let file: CatalogFile = toml::from_str(source).map_err(|error| CatalogError::Syntax {
        language,
        source: Box::new(error),
    })?;
    let mut modules = vec![Texts::new(); Module::ALL.len()];
    for (name, texts) in file.engine {
        let index = Module::ALL
            .iter()
            .position(|module| module.name() == name)
            .ok_or(CatalogError::UnknownModule { language, name })?;
        modules[index] = texts;
    }
    Ok(LanguageTexts {
        engine: Catalog { language, modules },
        api: file.api,
    })
}

/// The texts of `language` from its file; empty when it has none or
/// (logged) when its file is broken, which the unit tests rule out.
fn load(language: Language) -> LanguageTexts {
    let empty = || LanguageTexts {
        engine: Catalog {
            language,
            modules: vec![Texts::new(); Module::ALL.len()],
        },
        api: ApiCatalog::default(),
    };
    let Some((_, source)) = FILES.iter().find(|(known, _)| *known == language) else {
        return empty();
    };
    parse(language, source).unwrap_or_else(|error| {
        tracing::error!(%error, "message catalog unusable; English is shown instead");
        empty()
    })
}

/// Each language's texts, in [`Language::ALL`] order, each parsed the
/// first time it is needed: a run in English never parses the others
/// (six TOML files, a few milliseconds of a `zmctl check`).
static LOADED: [OnceLock<LanguageTexts>; Language::ALL.len()] =
    [const { OnceLock::new() }; Language::ALL.len()];

/// The texts of `language`.
pub(super) fn texts(language: Language) -> &'static LanguageTexts {
    let index = Language::ALL
        .iter()
        .position(|known| *known == language)
        .unwrap_or_default();
    // `Language::ALL` lists every variant, so the index is always there.
    LOADED[index].get_or_init(|| load(language))
}

/// What `find` gets from `language`'s texts, else from English's (marked
/// as a fallback).
pub(super) fn lookup<R>(
    language: Language,
    find: impl Fn(&'static LanguageTexts) -> Option<R>,
) -> Option<(R, TextSource)> {
    if let Some(found) = find(texts(language)) {
        return Some((found, TextSource::Requested));
    }
    find(texts(Language::En)).map(|found| (found, TextSource::EnglishFallback))
}

/// True when `language` has a catalog file of its own.
pub fn has_catalog_file(language: Language) -> bool {
    FILES.iter().any(|(known, _)| *known == language)
}

impl Catalog {
    /// The text for `tag`, if this language has one.
    pub fn text(&self, tag: &Tag) -> Option<&str> {
        find_text(self.texts_of(tag.module), tag.name)
    }

    /// The texts of `module` (empty if none).
    pub fn texts_of(&self, module: Module) -> &Texts {
        let index = Module::ALL
            .iter()
            .position(|known| *known == module)
            .unwrap_or_default();
        &self.modules[index]
    }

    /// Number of texts in the catalog.
    pub fn len(&self) -> usize {
        self.modules.iter().map(Texts::len).sum()
    }

    /// True when the catalog has no texts at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when every tag has a text here, so nothing falls back to
    /// English.
    pub fn is_complete(&self) -> bool {
        crate::engine::tags::ALL
            .iter()
            .all(|tag| self.text(tag).is_some())
    }
}

/// The engine catalog of `language`.
pub fn catalog(language: Language) -> &'static Catalog {
    &texts(language).engine
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::tags;

    #[test]
    fn texts_are_found_by_module_and_tag() {
        let english = catalog(Language::En);
        assert!(
            english
                .text(&tags::B02_NO_DELEGATION)
                .unwrap()
                .contains("{domain}")
        );
        assert_ne!(
            english.text(&tags::zone::NO_RESPONSE),
            english.text(&tags::nameserver::NO_RESPONSE)
        );
        assert_eq!(english.language, Language::En);
    }

    #[test]
    fn a_language_without_a_file_is_empty() {
        assert!(!has_catalog_file(Language::Sl));
        assert!(catalog(Language::Sl).is_empty());
        assert!(!catalog(Language::Sl).is_complete());
        assert!(catalog(Language::En).is_complete());
        assert!(
            catalog(Language::Sl)
                .text(&tags::B02_NO_DELEGATION)
                .is_none()
        );
    }

    #[test]
    fn every_language_has_its_own_catalog() {
        for language in Language::ALL {
            assert_eq!(catalog(*language).language, *language);
        }
    }

    #[test]
    fn every_catalog_file_parses() {
        for (language, source) in FILES {
            if let Err(error) = parse(*language, source) {
                panic!("{error}");
            }
        }
    }

    #[test]
    fn broken_files_are_refused_with_the_reason() {
        let unknown = parse(Language::Fr, "[engine.Basik]\nX = \"y\"\n").unwrap_err();
        assert!(unknown.to_string().contains("`Basik`"), "{unknown}");
        let twice = parse(Language::Fr, "[engine.Basic]\nX = \"a\"\nX = \"b\"\n").unwrap_err();
        assert!(matches!(twice, CatalogError::Syntax { .. }), "{twice}");
        let stray = parse(Language::Fr, "[apis.messages]\n").unwrap_err();
        assert!(matches!(stray, CatalogError::Syntax { .. }), "{stray}");
        let not_text = parse(Language::Fr, "[engine.Basic]\nX = 3\n").unwrap_err();
        assert!(
            matches!(not_text, CatalogError::Syntax { .. }),
            "{not_text}"
        );
        let fine = parse(Language::Fr, "[engine.DNSSEC]\nX = \"y\"\n").unwrap();
        assert_eq!(fine.engine.texts_of(Module::Dnssec).len(), 1);
    }
}
