//! The languages message texts can be asked for: those the Zonemaster
//! backend offers.

use std::fmt;
use std::str::FromStr;

/// A message language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    /// Danish.
    Da,
    /// English, the language every tag has a text in.
    En,
    /// Spanish.
    Es,
    /// Finnish.
    Fi,
    /// French.
    Fr,
    /// Norwegian Bokmål.
    Nb,
    /// Slovenian.
    Sl,
    /// Swedish.
    Sv,
}

/// A language we have no catalog for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown language `{text}` (expected one of da, en, es, fi, fr, nb, sl, sv, or a locale such as sv_SE)"
)]
pub struct UnknownLanguage {
    /// The text as given.
    pub text: String,
}

impl Language {
    /// Every language, in code order.
    pub const ALL: &'static [Language] = &[
        Language::Da,
        Language::En,
        Language::Es,
        Language::Fi,
        Language::Fr,
        Language::Nb,
        Language::Sl,
        Language::Sv,
    ];

    /// The two-letter code (`sv`).
    pub const fn code(self) -> &'static str {
        match self {
            Language::Da => "da",
            Language::En => "en",
            Language::Es => "es",
            Language::Fi => "fi",
            Language::Fr => "fr",
            Language::Nb => "nb",
            Language::Sl => "sl",
            Language::Sv => "sv",
        }
    }

    /// Its name in English (`Swedish`), for notices.
    pub const fn english_name(self) -> &'static str {
        match self {
            Language::Da => "Danish",
            Language::En => "English",
            Language::Es => "Spanish",
            Language::Fi => "Finnish",
            Language::Fr => "French",
            Language::Nb => "Norwegian Bokmål",
            Language::Sl => "Slovenian",
            Language::Sv => "Swedish",
        }
    }

    /// The locale the backend configures for it (`sv_SE`).
    pub const fn locale(self) -> &'static str {
        match self {
            Language::Da => "da_DK",
            Language::En => "en_US",
            Language::Es => "es_ES",
            Language::Fi => "fi_FI",
            Language::Fr => "fr_FR",
            Language::Nb => "nb_NO",
            Language::Sl => "sl_SI",
            Language::Sv => "sv_SE",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = UnknownLanguage;

    /// Takes a code or a locale in any case: `sv`, `SV`, `sv_SE`,
    /// `sv-SE`, `sv_SE.UTF-8`. Only the language part counts.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let code = text.split(['_', '-', '.', '@']).next().unwrap_or_default();
        Language::ALL
            .iter()
            .copied()
            .find(|language| language.code().eq_ignore_ascii_case(code))
            .ok_or_else(|| UnknownLanguage {
                text: text.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_locales_parse() {
        assert_eq!("en".parse::<Language>(), Ok(Language::En));
        assert_eq!("SV".parse::<Language>(), Ok(Language::Sv));
        assert_eq!("nb_NO".parse::<Language>(), Ok(Language::Nb));
        assert_eq!("fr-FR".parse::<Language>(), Ok(Language::Fr));
        assert_eq!("fi_FI.UTF-8".parse::<Language>(), Ok(Language::Fi));
    }

    #[test]
    fn unknown_languages_are_named() {
        let error = "de_DE".parse::<Language>().unwrap_err();
        assert!(error.to_string().contains("`de_DE`"));
        assert!("".parse::<Language>().is_err());
        assert!("english".parse::<Language>().is_err());
    }

    #[test]
    fn every_language_round_trips_through_its_code_and_locale() {
        for language in Language::ALL {
            assert_eq!(language.code().parse::<Language>(), Ok(*language));
            assert_eq!(language.locale().parse::<Language>(), Ok(*language));
        }
    }
}
