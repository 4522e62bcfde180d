//! Message texts: tag + arguments → a sentence in the reader's language.
//!
//! Tags and their argument names live in [`crate::engine::tags`]; this
//! module holds only words. English is complete and is the fallback; the
//! other languages the backend offers have catalogs of the same shape,
//! empty until translated. Texts are ours, written for a DNS operator:
//! what is wrong and, where it helps, what to do.

mod api;
mod catalog;
mod coverage;
mod en;
mod language;
mod render;

pub use api::{
    ApiCatalog, ApiText, api_catalog, api_text, note_fallback, render_entry, testcase_description,
};
pub use catalog::{Catalog, ModuleTexts, catalog};
pub use coverage::{is_fully_translated, shown_in_english};
pub use language::{Language, UnknownLanguage};
pub use render::{Rendered, TextSource, placeholders, render, render_json, render_stored};

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::engine::module::Module;
    use crate::engine::tags;

    #[test]
    fn every_catalog_tag_has_an_english_text() {
        let english = catalog(Language::En);
        let missing: Vec<String> = tags::ALL
            .iter()
            .filter(|tag| english.text(tag).is_none())
            .map(ToString::to_string)
            .collect();
        assert!(
            missing.is_empty(),
            "{} tags without English text:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }

    #[test]
    fn every_text_belongs_to_a_catalog_tag_once() {
        let mut problems = Vec::new();
        for language in Language::ALL {
            for module in Module::ALL {
                let mut seen = BTreeSet::new();
                for (name, _) in catalog(*language).texts_of(*module) {
                    if tags::find(*module, name).is_none() {
                        problems.push(format!("{language}: {module}:{name} is not a catalog tag"));
                    }
                    if !seen.insert(*name) {
                        problems.push(format!("{language}: {module}:{name} has two texts"));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn placeholders_are_arguments_of_their_tag() {
        let mut problems = Vec::new();
        for language in Language::ALL {
            for tag in tags::ALL {
                let Some(text) = catalog(*language).text(tag) else {
                    continue;
                };
                for name in placeholders(text) {
                    if !tag.has_arg(name) {
                        problems.push(format!(
                            "{language}: {tag} uses {{{name}}}, arguments are {:?}",
                            tag.args
                        ));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn english_texts_are_whole_sentences() {
        let english = catalog(Language::En);
        let bad: Vec<String> = tags::ALL
            .iter()
            .filter_map(|tag| english.text(tag).map(|text| (tag, text)))
            .filter(|(_, text)| !text.ends_with('.') || text.trim() != *text || text.contains("  "))
            .map(|(tag, text)| format!("{tag}: {text:?}"))
            .collect();
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}
