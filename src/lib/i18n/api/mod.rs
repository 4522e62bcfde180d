//! The API's own texts: validation messages of the JSON-RPC layer (backend
//! spec §2.4, §3), the texts of the `Backend` pseudo-module's tags
//! (`TEST_DIED`, `UNABLE_TO_FINISH_TEST`, §10.2) and the test-case
//! descriptions of `get_test_results` (§10.3).
//!
//! They live in each language's catalog file beside the engine's texts
//! (`[api.*]` tables, see [`super::catalog`]). A missing
//! translation falls back to English; the returned [`Rendered`] says so
//! and the first fallback of each language is logged, so a gap is never
//! silent. Knows nothing of JSON-RPC: callers pass a key and arguments.

mod text;

use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Map, Value};

pub use text::ApiText;

pub use super::catalog::ApiCatalog;
use super::catalog::{Texts, find_text, lookup as lookup_texts, texts};
use super::render::fill;
use super::{Language, Rendered, TextSource, render_stored};
use crate::engine::testcases::find_test_case;

/// The API catalog of `language`.
pub fn api_catalog(language: Language) -> &'static ApiCatalog {
    &texts(language).api
}

/// The text for `key` in `table` of `language`, else English (the
/// fallback noted).
fn lookup(
    language: Language,
    table: fn(&ApiCatalog) -> &Texts,
    key: &str,
) -> Option<(&'static str, TextSource)> {
    let found = lookup_texts(language, |loaded| find_text(table(&loaded.api), key));
    if let Some((_, TextSource::EnglishFallback)) = found {
        note_fallback(language);
    }
    found
}

/// One flag per language: has its first fallback been logged?
static FALLBACK_LOGGED: [AtomicBool; 8] = [const { AtomicBool::new(false) }; 8];

/// Logs, once per language, that English stood in for a missing text.
pub fn note_fallback(language: Language) {
    let index = Language::ALL
        .iter()
        .position(|known| *known == language)
        .unwrap_or_default();
    let Some(flag) = FALLBACK_LOGGED.get(index) else {
        return;
    };
    if !flag.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            language = language.code(),
            "texts missing in this language are shown in English (logged once per language)"
        );
    }
}

/// `template` with each `{name}` of `args` (name, value) replaced.
fn fill_args(template: &str, args: &[(&str, String)]) -> String {
    let value = |name: &str| args.iter().find(|(known, _)| *known == name);
    fill(template, |name| value(name).map(|(_, value)| value.clone()))
}

/// `key` with `args` (name, value) in `language`.
pub fn api_text(key: ApiText, args: &[(&str, String)], language: Language) -> Rendered {
    match lookup(language, |catalog| &catalog.messages, key.key()) {
        Some((template, source)) => Rendered {
            text: fill_args(template, args),
            source,
        },
        // Unreachable while the unit test below holds; still never panic.
        None => Rendered {
            text: key.key().to_owned(),
            source: TextSource::Uncatalogued,
        },
    }
}

/// The description of test case `id` (`Basic01`, `DNSSEC10`) in
/// `language`; an identifier without one (`Unspecified`, `""`) is its own
/// description (spec §10.3).
pub fn testcase_description(id: &str, language: Language) -> Rendered {
    let key = id.to_ascii_uppercase();
    if let Some(text) = find_text(&api_catalog(language).descriptions, &key) {
        return Rendered {
            text: text.to_owned(),
            source: TextSource::Requested,
        };
    }
    // English is the test-case table's own title: one source for
    // `--list-tests` and the API.
    match find_test_case(id) {
        Some(case) => {
            let source = if language == Language::En {
                TextSource::Requested
            } else {
                note_fallback(language);
                TextSource::EnglishFallback
            };
            Rendered {
                text: case.title.to_owned(),
                source,
            }
        }
        None => Rendered {
            text: id.to_owned(),
            source: TextSource::Uncatalogued,
        },
    }
}

/// An argument value as text: strings bare, other values as compact JSON.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The arguments as rendering wants them: an array-valued `asn` becomes
/// its items joined with `,` (spec §10.2 step 2).
fn prepared_args(args: &Map<String, Value>) -> Map<String, Value> {
    let mut prepared = args.clone();
    if let Some(Value::Array(items)) = args.get("asn") {
        let joined: Vec<String> = items.iter().map(value_text).collect();
        prepared.insert("asn".to_owned(), Value::String(joined.join(",")));
    }
    prepared
}

/// `Module:Testcase:TAG key=value; key=value`, keys sorted, the test-case
/// part left out when empty: a stored entry no catalog knows (spec §10.2
/// step 3).
fn uncatalogued_entry(
    module: &str,
    testcase: &str,
    tag: &str,
    args: &Map<String, Value>,
) -> Rendered {
    let mut pairs: Vec<(&String, String)> = args
        .iter()
        .map(|(name, value)| (name, value_text(value)))
        .collect();
    pairs.sort();
    let pairs: Vec<String> = pairs
        .into_iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let mut text = module.to_owned();
    if !testcase.is_empty() {
        text.push(':');
        text.push_str(testcase);
    }
    text.push(':');
    text.push_str(tag);
    if !pairs.is_empty() {
        text.push(' ');
        text.push_str(&pairs.join("; "));
    }
    Rendered {
        text,
        source: TextSource::Uncatalogued,
    }
}

/// A stored result entry in `language`: `Backend` tags from this module's
/// table, every other module from the engine catalogs (spec §10.2 steps
/// 1–3; the caller does the post-processing of step 4).
pub fn render_entry(
    module: &str,
    testcase: &str,
    tag: &str,
    args: &Map<String, Value>,
    language: Language,
) -> Rendered {
    let args = prepared_args(args);
    if module == "Backend" {
        return match lookup(language, |catalog| &catalog.backend, tag) {
            Some((template, source)) => Rendered {
                text: fill(template, |name| args.get(name).map(value_text)),
                source,
            },
            None => uncatalogued_entry(module, testcase, tag, &args),
        };
    }
    let rendered = render_stored(module, tag, &args, language);
    match rendered.source {
        TextSource::Uncatalogued => uncatalogued_entry(module, testcase, tag, &args),
        TextSource::EnglishFallback => {
            note_fallback(language);
            rendered
        }
        TextSource::Requested => rendered,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::engine::testcases::TEST_CASES;

    #[test]
    fn every_api_text_has_an_english_text_with_its_placeholders() {
        for key in ApiText::ALL {
            let english = api_catalog(Language::En).messages.get(key.key());
            let Some(text) = english else {
                panic!("no English text for {key:?}");
            };
            let args: Vec<(&str, String)> = key
                .args()
                .iter()
                .map(|name| (*name, "X".to_owned()))
                .collect();
            let filled = fill_args(text, &args);
            assert!(!filled.contains('{'), "{key:?}: {filled}");
        }
        assert_eq!(
            api_catalog(Language::En).messages.len(),
            ApiText::ALL.len(),
            "one text per key"
        );
    }

    #[test]
    fn every_test_case_has_an_english_description() {
        for case in TEST_CASES {
            let id = case.id;
            let rendered = testcase_description(id, Language::En);
            assert_eq!(rendered.source, TextSource::Requested, "{id}");
            assert!(
                rendered
                    .text
                    .ends_with(|c: char| c.is_alphanumeric() || c == ')'),
                "{id}"
            );
        }
        assert_eq!(
            testcase_description("basic03", Language::En).text,
            TEST_CASES[2].title,
            "the table is the one source of titles"
        );
        assert_eq!(
            testcase_description("Unspecified", Language::En).text,
            "Unspecified"
        );
        assert_eq!(testcase_description("", Language::Sv).text, "");
    }

    #[test]
    fn untranslated_languages_fall_back_to_english_visibly() {
        let english = api_text(ApiText::InvalidParams, &[], Language::En);
        let slovenian = api_text(ApiText::InvalidParams, &[], Language::Sl);
        assert_eq!(english.text, "Invalid method parameter(s).");
        assert_eq!(english.source, TextSource::Requested);
        assert_eq!(slovenian.text, english.text);
        assert_eq!(slovenian.source, TextSource::EnglishFallback);
        let description = testcase_description("Basic01", Language::Sl);
        assert_eq!(description.source, TextSource::EnglishFallback);
    }

    #[test]
    fn placeholders_are_filled_once() {
        let args = [("label", "{label}".to_owned())];
        assert_eq!(
            fill_args("a {label} b {other} {", &args),
            "a {label} b {other} {"
        );
        assert_eq!(
            api_text(
                ApiText::BelowMinimum,
                &[("value", "-1".into()), ("minimum", "0".into())],
                Language::En
            )
            .text,
            "-1 < minimum(0)"
        );
    }

    /// `render_entry` in English with `args` (a JSON object).
    fn english(module: &str, testcase: &str, tag: &str, args: Value) -> Rendered {
        render_entry(
            module,
            testcase,
            tag,
            args.as_object().unwrap(),
            Language::En,
        )
    }

    #[test]
    fn backend_tags_have_texts() {
        let died = english("Backend", "", "TEST_DIED", json!({}));
        assert_eq!(died.source, TextSource::Requested);
        let args = json!({"max_execution_time": 600});
        let overdue = english("Backend", "", "UNABLE_TO_FINISH_TEST", args);
        assert!(overdue.text.contains("600 seconds"), "{}", overdue.text);
        let unknown = english("Backend", "", "NEW_TAG", json!({}));
        assert_eq!(unknown.text, "Backend:NEW_TAG");
    }

    #[test]
    fn unknown_entries_show_module_testcase_tag_and_sorted_arguments() {
        let args = json!({"b": "x", "a": 1, "asn": ["64496", "64497"]});
        let rendered = english("Example", "Example01", "ODD", args);
        assert_eq!(
            rendered.text,
            "Example:Example01:ODD a=1; asn=64496,64497; b=x"
        );
        assert_eq!(rendered.source, TextSource::Uncatalogued);
    }

    #[test]
    fn engine_entries_use_the_engine_catalog() {
        let args = json!({"domain": "example.com"});
        let rendered = english("Basic", "Basic02", "B02_NO_DELEGATION", args);
        assert!(rendered.text.contains("example.com"));
        assert_eq!(rendered.source, TextSource::Requested);
    }
}
