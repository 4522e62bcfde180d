//! Turning a tag and its arguments into a sentence in one language.
//!
//! Texts hold `{name}` placeholders named after the tag's arguments. A
//! placeholder whose argument was not given stays as written (`{ns}`), an
//! argument the text does not use is left out, and text that is not a
//! placeholder (`{`, `{not a name}`) is copied as is: rendering never fails.
//! When the requested language lacks the text, English is used and the
//! result says so, so a caller can tell a translation gap from a
//! translation.

use std::fmt;

use serde_json::{Map, Value};

use super::Language;
use super::catalog::lookup;
use crate::engine::module::Module;
use crate::engine::tags::{self, Tag};

/// Where a rendered text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextSource {
    /// The requested language had a text.
    Requested,
    /// The requested language lacked the text; English was used.
    EnglishFallback,
    /// No catalog text at all (a tag we do not know): the tag name and its
    /// arguments are shown instead.
    Uncatalogued,
}

/// A message text ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The sentence.
    pub text: String,
    /// Whether it is in the requested language.
    pub source: TextSource,
}

impl Rendered {
    /// True when the text is not in the requested language.
    pub fn used_fallback(&self) -> bool {
        self.source != TextSource::Requested
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// True for what may stand between braces: an argument name.
fn is_argument_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The placeholders of `template`, in order (repeats included).
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some((_, after_open)) = rest.split_once('{') {
        match after_open.split_once('}') {
            Some((name, tail)) if is_argument_name(name) => {
                found.push(name);
                rest = tail;
            }
            _ => rest = after_open,
        }
    }
    found
}

/// `template` with every placeholder `lookup` knows replaced, in one pass
/// (a value that contains braces is never substituted again).
pub(super) fn fill(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut text = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some((before, after_open)) = rest.split_once('{') {
        text.push_str(before);
        match after_open.split_once('}') {
            Some((name, tail)) if is_argument_name(name) => {
                match lookup(name) {
                    Some(value) => text.push_str(&value),
                    None => {
                        text.push('{');
                        text.push_str(name);
                        text.push('}');
                    }
                }
                rest = tail;
            }
            _ => {
                text.push('{');
                rest = after_open;
            }
        }
    }
    text.push_str(rest);
    text
}

/// An argument value as text: strings bare, numbers as written.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `TAG` or `TAG: name=value, …`, for tags without any text.
fn uncatalogued<'a>(tag: &str, args: impl Iterator<Item = (&'a str, String)>) -> Rendered {
    let pairs: Vec<String> = args
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let text = if pairs.is_empty() {
        tag.to_owned()
    } else {
        format!("{tag}: {}", pairs.join(", "))
    };
    Rendered {
        text,
        source: TextSource::Uncatalogued,
    }
}

/// The template for `tag` in `language`, or English, with its source.
fn template(tag: &Tag, language: Language) -> Option<(&'static str, TextSource)> {
    lookup(language, |loaded| loaded.engine.text(tag))
}

/// `tag` with `args` (name, value) in `language`.
pub fn render(tag: &Tag, args: &[(&str, &str)], language: Language) -> Rendered {
    let args: Map<String, Value> = args
        .iter()
        .map(|(name, value)| ((*name).to_owned(), Value::from(*value)))
        .collect();
    render_json(tag, &args, language)
}

/// `tag` with arguments as a message carries them (JSON strings and
/// numbers), in `language`.
pub fn render_json(tag: &Tag, args: &Map<String, Value>, language: Language) -> Rendered {
    let lookup = |name: &str| args.get(name).map(value_text);
    match template(tag, language) {
        Some((text, source)) => Rendered {
            text: fill(text, lookup),
            source,
        },
        None => uncatalogued(
            tag.name,
            args.iter()
                .map(|(name, value)| (name.as_str(), value_text(value))),
        ),
    }
}

/// A message as it is stored or sent (module name, tag name, JSON
/// arguments) in `language`. A message whose module or tag is not in the
/// catalog (a stored result of another engine version, say) is shown as its
/// tag and arguments.
pub fn render_stored(
    module: &str,
    tag: &str,
    args: &Map<String, Value>,
    language: Language,
) -> Rendered {
    let found = module
        .parse::<Module>()
        .ok()
        .and_then(|module| tags::find(module, tag));
    match found {
        Some(found) => render_json(found, args, language),
        None => uncatalogued(
            tag,
            args.iter()
                .map(|(name, value)| (name.as_str(), value_text(value))),
        ),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn placeholders_are_replaced_by_argument_values() {
        let rendered = render(
            &tags::B02_NS_NO_RESPONSE,
            &[("ns", "ns1.example/192.0.2.1")],
            Language::En,
        );
        assert!(
            rendered.text.contains("ns1.example/192.0.2.1"),
            "{}",
            rendered.text
        );
        assert!(!rendered.text.contains('{'));
        assert_eq!(rendered.source, TextSource::Requested);
        assert!(!rendered.used_fallback());
    }

    #[test]
    fn missing_arguments_leave_the_placeholder_and_extra_ones_are_ignored() {
        let rendered = render(
            &tags::B02_NS_NO_RESPONSE,
            &[("colour", "blue")],
            Language::En,
        );
        assert!(rendered.text.contains("{ns}"));
        assert!(!rendered.text.contains("blue"));
    }

    #[test]
    fn odd_braces_are_copied_and_never_panic() {
        let lookup = |name: &str| (name == "a").then(|| "X".to_owned());
        assert_eq!(fill("{a} {b} { a} {} {a", lookup), "X {b} { a} {} {a");
        assert_eq!(fill("}{{a}}", lookup), "}{X}");
        assert_eq!(fill("é{a}ü", lookup), "éXü");
        assert_eq!(placeholders("{a} {b c} {d}{"), ["a", "d"]);
    }

    #[test]
    fn a_missing_translation_falls_back_to_english_and_says_so() {
        let english = render(
            &tags::B02_NO_DELEGATION,
            &[("domain", "example.com")],
            Language::En,
        );
        let slovenian = render(
            &tags::B02_NO_DELEGATION,
            &[("domain", "example.com")],
            Language::Sl,
        );
        assert_eq!(slovenian.text, english.text);
        assert_eq!(slovenian.source, TextSource::EnglishFallback);
        assert!(slovenian.used_fallback());
    }

    #[test]
    fn unknown_tags_show_their_name_and_arguments() {
        let tag = Tag {
            module: Module::Basic,
            name: "B99_NOT_A_TAG",
            args: &["x"],
            optional: &[],
        };
        let rendered = render(&tag, &[("x", "1")], Language::En);
        assert_eq!(rendered.text, "B99_NOT_A_TAG: x=1");
        assert_eq!(rendered.source, TextSource::Uncatalogued);
    }

    #[test]
    fn stored_messages_render_with_json_arguments() {
        let args = json!({"algo_num": 8, "algo_descr": "RSA/SHA-256", "keytag": 4711, "keysize": 1024,
                          "keysizemin": 512, "keysizemax": 4096, "keysizerec": 2048});
        let args = args.as_object().unwrap();
        let rendered = render_stored("DNSSEC", "DNSKEY_SMALLER_THAN_REC", args, Language::En);
        assert!(
            rendered.text.contains("4711") && rendered.text.contains("1024"),
            "{rendered}"
        );
        assert_eq!(rendered.source, TextSource::Requested);
        let stranger = render_stored("Example", "DNSKEY_SMALLER_THAN_REC", args, Language::En);
        assert!(stranger.text.starts_with("DNSKEY_SMALLER_THAN_REC: "));
        assert_eq!(stranger.source, TextSource::Uncatalogued);
    }
}
