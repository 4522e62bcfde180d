//! Per-language text tables: (module, tag) → text with `{arg}`
//! placeholders.
//!
//! A language is one static [`Catalog`]: one table per module, each a
//! slice of (tag name, text), in a folder of its own (`en/basic.rs`, …).
//! A translation may be partial; rendering then falls back to English and
//! says so. Only English is complete; the other languages are empty until
//! translated. [`PerLanguage`] picks a language's catalog with the
//! English fallback; the API's own texts use it too.

use std::sync::OnceLock;

use super::en;
use super::{Language, TextSource};
use crate::engine::module::Module;
use crate::engine::tags::Tag;

/// The texts of one module: (tag name, text).
pub type ModuleTexts = &'static [(&'static str, &'static str)];

/// The text under `key` in a (key, text) table.
pub(super) fn find_text(texts: ModuleTexts, key: &str) -> Option<&'static str> {
    texts
        .iter()
        .find(|(known, _)| *known == key)
        .map(|(_, text)| *text)
}

/// Catalogs of one kind (engine texts, API texts) by language: English's
/// own, and for every other language the one `untranslated` makes (empty
/// until its texts are written), made on first use.
pub(super) struct PerLanguage<T: 'static> {
    /// English's catalog.
    english: &'static T,
    /// Makes the catalog of a language not translated yet.
    untranslated: fn(Language) -> T,
    /// One per language, in [`Language::ALL`] order.
    others: OnceLock<Vec<T>>,
}

impl<T: Send + Sync> PerLanguage<T> {
    /// English's `english`; `untranslated` for every other language.
    pub(super) const fn new(english: &'static T, untranslated: fn(Language) -> T) -> Self {
        Self {
            english,
            untranslated,
            others: OnceLock::new(),
        }
    }

    /// The catalog of `language`.
    pub(super) fn get(&'static self, language: Language) -> &'static T {
        if language == Language::En {
            return self.english;
        }
        let others = self.others.get_or_init(|| {
            Language::ALL
                .iter()
                .map(|known| (self.untranslated)(*known))
                .collect()
        });
        let index = Language::ALL.iter().position(|known| *known == language);
        index
            .and_then(|index| others.get(index))
            .unwrap_or(self.english)
    }

    /// What `find` gets from `language`'s catalog, else from English's
    /// (marked as a fallback).
    pub(super) fn lookup<R>(
        &'static self,
        language: Language,
        find: impl Fn(&'static T) -> Option<R>,
    ) -> Option<(R, TextSource)> {
        if let Some(found) = find(self.get(language)) {
            return Some((found, TextSource::Requested));
        }
        find(self.english).map(|found| (found, TextSource::EnglishFallback))
    }
}

/// Every text of one language.
#[derive(Debug)]
pub struct Catalog {
    /// The language of the texts.
    pub language: Language,
    /// Module → its texts; a module may be missing.
    pub modules: &'static [(Module, ModuleTexts)],
}

impl Catalog {
    /// The text for `tag`, if this language has one.
    pub fn text(&self, tag: &Tag) -> Option<&'static str> {
        find_text(self.texts_of(tag.module), tag.name)
    }

    /// The texts of `module` (empty if none).
    pub fn texts_of(&self, module: Module) -> ModuleTexts {
        self.modules
            .iter()
            .find(|(known, _)| *known == module)
            .map_or(&[], |(_, texts)| *texts)
    }

    /// Number of texts in the catalog.
    pub fn len(&self) -> usize {
        self.modules.iter().map(|(_, texts)| texts.len()).sum()
    }

    /// True when the catalog has no texts at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when every tag has a text here, so nothing falls back to
    /// English.
    pub fn is_complete(&self) -> bool {
        self.len() >= catalog(Language::En).len()
    }
}

/// A language with no translated texts yet.
const fn untranslated(language: Language) -> Catalog {
    Catalog {
        language,
        modules: &[],
    }
}

/// Every language's catalog.
pub(super) static CATALOGS: PerLanguage<Catalog> = PerLanguage::new(&en::CATALOG, untranslated);

/// The catalog of `language`.
pub fn catalog(language: Language) -> &'static Catalog {
    CATALOGS.get(language)
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
    fn untranslated_languages_are_empty_for_now() {
        assert!(catalog(Language::Sv).is_empty());
        assert!(!catalog(Language::Sv).is_complete());
        assert!(catalog(Language::En).is_complete());
        assert!(
            catalog(Language::Sv)
                .text(&tags::B02_NO_DELEGATION)
                .is_none()
        );
        assert_eq!(catalog(Language::Fr).language, Language::Fr);
    }

    #[test]
    fn every_language_has_its_own_catalog() {
        for language in Language::ALL {
            assert_eq!(catalog(*language).language, *language);
        }
    }
}
