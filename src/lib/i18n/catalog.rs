//! Per-language text tables: (module, tag) → text with `{arg}`
//! placeholders.
//!
//! A language is one static [`Catalog`]: one table per module, each a
//! slice of (tag name, text), in a folder of its own (`en/basic.rs`, …).
//! A translation may be partial; rendering then falls back to English and
//! says so. Only English is complete; the other languages are empty until
//! translated.

use super::Language;
use super::en;
use crate::engine::module::Module;
use crate::engine::tags::Tag;

/// The texts of one module: (tag name, text).
pub type ModuleTexts = &'static [(&'static str, &'static str)];

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
        self.texts_of(tag.module)
            .iter()
            .find(|(name, _)| *name == tag.name)
            .map(|(_, text)| *text)
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
}

/// A language with no translated texts yet.
const fn untranslated(language: Language) -> Catalog {
    Catalog {
        language,
        modules: &[],
    }
}

static DA: Catalog = untranslated(Language::Da);
static ES: Catalog = untranslated(Language::Es);
static FI: Catalog = untranslated(Language::Fi);
static FR: Catalog = untranslated(Language::Fr);
static NB: Catalog = untranslated(Language::Nb);
static SL: Catalog = untranslated(Language::Sl);
static SV: Catalog = untranslated(Language::Sv);

/// The catalog of `language`.
pub fn catalog(language: Language) -> &'static Catalog {
    match language {
        Language::Da => &DA,
        Language::En => &en::CATALOG,
        Language::Es => &ES,
        Language::Fi => &FI,
        Language::Fr => &FR,
        Language::Nb => &NB,
        Language::Sl => &SL,
        Language::Sv => &SV,
    }
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
        assert!(
            catalog(Language::Sv)
                .text(&tags::B02_NO_DELEGATION)
                .is_none()
        );
        assert_eq!(catalog(Language::Fr).language, Language::Fr);
    }
}
