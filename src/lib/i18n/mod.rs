//! Message texts: tag + arguments → a sentence in the reader's language.
//!
//! Tags and their argument names live in [`crate::engine::tags`]; this
//! module holds only words, one data file per language
//! (`catalogs/<code>.toml`, see [`catalog`]). English is complete and is
//! the fallback. Texts are ours, written for a DNS operator: what is wrong
//! and, where it helps, what to do.

mod api;
mod catalog;
mod coverage;
mod language;
mod render;

pub use api::{
    ApiCatalog, ApiText, api_catalog, api_text, note_fallback, render_entry, testcase_description,
};
pub use catalog::{Catalog, CatalogError, Texts, catalog, has_catalog_file};
pub use coverage::{is_fully_translated, shown_in_english};
pub use language::{Language, UnknownLanguage};
pub use render::{Rendered, TextSource, placeholders, render, render_json, render_stored};

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::engine::module::Module;
    use crate::engine::tags;
    use crate::engine::testcases::TEST_CASES;

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
    fn every_text_belongs_to_a_catalog_tag() {
        let mut problems = Vec::new();
        for language in Language::ALL {
            for module in Module::ALL {
                for name in catalog(*language).texts_of(*module).keys() {
                    if tags::find(*module, name).is_none() {
                        problems.push(format!("{language}: {module}:{name} is not a catalog tag"));
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

    /// Texts a translation may leave as in English: names and numbers
    /// only, the same in every language.
    const SAME_AS_ENGLISH: &[&str] = &["BELOW_MINIMUM"];

    /// Every (table, key, text) of a language's catalog file: engine
    /// tags and API texts alike, descriptions included.
    fn every_text(language: Language) -> Vec<(String, String, String)> {
        let mut all = Vec::new();
        for module in Module::ALL {
            for (key, text) in catalog(language).texts_of(*module) {
                all.push((module.name().to_owned(), key.clone(), text.clone()));
            }
        }
        let api = api_catalog(language);
        for (table, texts) in [
            ("messages", &api.messages),
            ("backend", &api.backend),
            ("descriptions", &api.descriptions),
        ] {
            for (key, text) in texts {
                all.push((table.to_owned(), key.clone(), text.clone()));
            }
        }
        all
    }

    /// The English text of (table, key): descriptions from the test-case
    /// table, everything else from the English catalog.
    fn english_text(table: &str, key: &str) -> Option<String> {
        let english = api_catalog(Language::En);
        match table {
            "messages" => english.messages.get(key).cloned(),
            "backend" => english.backend.get(key).cloned(),
            "descriptions" => TEST_CASES
                .iter()
                .find(|case| case.id.eq_ignore_ascii_case(key))
                .map(|case| case.title.to_owned()),
            module => {
                let module: Module = module.parse().ok()?;
                let tag = tags::find(module, key)?;
                catalog(Language::En).text(tag).map(str::to_owned)
            }
        }
    }

    /// The languages with a catalog file of their own, English aside.
    fn translations() -> impl Iterator<Item = Language> {
        Language::ALL
            .iter()
            .copied()
            .filter(|language| *language != Language::En && has_catalog_file(*language))
    }

    #[test]
    fn the_languages_of_the_reference_are_translated() {
        for language in [
            Language::Da,
            Language::Es,
            Language::Fi,
            Language::Fr,
            Language::Nb,
            Language::Sv,
        ] {
            assert!(has_catalog_file(language), "{language}");
            assert!(is_fully_translated(language), "{language}");
        }
    }

    #[test]
    fn every_translation_is_complete() {
        let mut problems = Vec::new();
        for language in translations() {
            for tag in tags::ALL {
                if catalog(language).text(tag).is_none() {
                    problems.push(format!("{language}: no text for {tag}"));
                }
            }
            let api = api_catalog(language);
            for key in ApiText::ALL {
                if !api.messages.contains_key(key.key()) {
                    problems.push(format!("{language}: no API message {}", key.key()));
                }
            }
            for key in api_catalog(Language::En).backend.keys() {
                if !api.backend.contains_key(key) {
                    problems.push(format!("{language}: no Backend text {key}"));
                }
            }
            for case in TEST_CASES {
                if testcase_description(case.id, language).used_fallback() {
                    problems.push(format!("{language}: no description of {}", case.id));
                }
            }
            assert!(is_fully_translated(language), "{language}");
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn translations_keep_the_placeholders_and_translate_the_words() {
        let mut problems = Vec::new();
        for language in translations() {
            for (table, key, text) in every_text(language) {
                let Some(english) = english_text(&table, &key) else {
                    problems.push(format!("{language}: [{table}] {key} is not in English"));
                    continue;
                };
                let theirs: BTreeSet<&str> = placeholders(&text).into_iter().collect();
                let ours: BTreeSet<&str> = placeholders(&english).into_iter().collect();
                if theirs != ours {
                    problems.push(format!(
                        "{language}: [{table}] {key} has {theirs:?}, English {ours:?}"
                    ));
                }
                if text == english && !SAME_AS_ENGLISH.contains(&key.as_str()) {
                    problems.push(format!("{language}: [{table}] {key} is the English text"));
                }
                if text.trim() != text || text.is_empty() || text.contains("  ") {
                    problems.push(format!("{language}: [{table}] {key}: stray spaces"));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
