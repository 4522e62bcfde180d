//! Which configured languages have texts of their own: the daemons warn at
//! start about those that will be shown in English.

use super::{Language, api_catalog, catalog};
use crate::engine::testcases::TEST_CASES;

/// Number of API texts (messages, `Backend` tags, descriptions) of
/// `language`. English descriptions are the test-case table's titles.
fn api_text_count(language: Language) -> usize {
    let texts = api_catalog(language);
    let descriptions = match language {
        Language::En => TEST_CASES.len(),
        _ => texts.descriptions.len(),
    };
    texts.messages.len() + texts.backend.len() + descriptions
}

/// True when `language` has every text English has, engine and API texts
/// alike.
pub fn is_fully_translated(language: Language) -> bool {
    catalog(language).is_complete() && api_text_count(language) >= api_text_count(Language::En)
}

/// The language codes of `codes` (as in `LANGUAGE.locale`) whose texts are
/// shown wholly or partly in English: those we have no catalog for at all
/// and those whose catalog is incomplete. In the order given.
pub fn shown_in_english<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    codes
        .into_iter()
        .filter(|code| {
            code.parse::<Language>()
                .map_or(true, |language| !is_fully_translated(language))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untranslated_and_unknown_languages_are_shown_in_english() {
        assert!(is_fully_translated(Language::En));
        assert!(!is_fully_translated(Language::Sl));
        assert_eq!(shown_in_english(["sl", "en", "xx"]), ["sl", "xx"]);
        assert!(shown_in_english(["en"]).is_empty());
    }
}
