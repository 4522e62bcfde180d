//! The keys of the API's validation messages and their argument names.

/// One validation message of the JSON-RPC layer (backend spec §2.3, §3).
/// The English texts are facts of the reference API (clients match on
/// them); translations may word them freely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiText {
    /// The -32602 `message`.
    InvalidParams,
    /// A required member is absent.
    MissingProperty,
    /// Members the schema does not allow (`names`).
    PropertiesNotAllowed,
    /// Wrong JSON type (`expected`, `got`).
    ExpectedType,
    /// A string fails its pattern (`pattern`).
    NoMatch,
    /// An array is too short (`count`, `min`).
    NotEnoughItems,
    /// An array is too long (`count`, `max`): our configured caps.
    TooManyItems,
    /// A number below its minimum (`value`, `minimum`).
    BelowMinimum,
    /// A number above its maximum (`value`, `maximum`): ours, for our
    /// methods' limits.
    AboveMaximum,
    /// `ip` is not an address.
    InvalidIp,
    /// `ip` is a special-purpose address and `allow_private_addresses` is
    /// off (ours, `docs/abuse-limits.md`).
    SpecialPurposeIp,
    /// `ds_info[].keytag` is not a non-negative integer.
    KeytagNotPositive,
    /// `ds_info[].algorithm` is not a non-negative integer.
    AlgorithmNotPositive,
    /// `ds_info[].digtype` is not a non-negative integer.
    DigtypeNotPositive,
    /// `ds_info[].digest` is not 40, 64 or 96 hex digits.
    InvalidDigest,
    /// `profile` fails the name rule.
    InvalidProfileFormat,
    /// `profile` names no configured profile.
    UnknownProfile,
    /// `language` is not two lower-case letters.
    InvalidLanguageFormat,
    /// `language` is not configured.
    UnknownLanguage,
    /// Domain name: nothing left after trimming.
    DomainEmpty,
    /// Domain name: contains U+0130.
    DomainAmbiguousDowncasing,
    /// Domain name: starts with a dot.
    DomainInitialDot,
    /// Domain name: two dots in a row.
    DomainRepeatedDots,
    /// Domain name: a bad ASCII label (`label`).
    DomainInvalidAscii,
    /// Domain name: a bad non-ASCII label (`label`).
    DomainInvalidULabel,
    /// Domain name: a label over 63 octets (`label`).
    DomainLabelTooLong,
    /// Domain name: over 253 octets.
    DomainTooLong,
}

impl ApiText {
    /// Every key.
    pub const ALL: &'static [ApiText] = &[
        ApiText::InvalidParams,
        ApiText::MissingProperty,
        ApiText::PropertiesNotAllowed,
        ApiText::ExpectedType,
        ApiText::NoMatch,
        ApiText::NotEnoughItems,
        ApiText::TooManyItems,
        ApiText::BelowMinimum,
        ApiText::AboveMaximum,
        ApiText::InvalidIp,
        ApiText::SpecialPurposeIp,
        ApiText::KeytagNotPositive,
        ApiText::AlgorithmNotPositive,
        ApiText::DigtypeNotPositive,
        ApiText::InvalidDigest,
        ApiText::InvalidProfileFormat,
        ApiText::UnknownProfile,
        ApiText::InvalidLanguageFormat,
        ApiText::UnknownLanguage,
        ApiText::DomainEmpty,
        ApiText::DomainAmbiguousDowncasing,
        ApiText::DomainInitialDot,
        ApiText::DomainRepeatedDots,
        ApiText::DomainInvalidAscii,
        ApiText::DomainInvalidULabel,
        ApiText::DomainLabelTooLong,
        ApiText::DomainTooLong,
    ];

    /// The key in the catalogs.
    pub const fn key(self) -> &'static str {
        match self {
            ApiText::InvalidParams => "INVALID_PARAMS",
            ApiText::MissingProperty => "MISSING_PROPERTY",
            ApiText::PropertiesNotAllowed => "PROPERTIES_NOT_ALLOWED",
            ApiText::ExpectedType => "EXPECTED_TYPE",
            ApiText::NoMatch => "NO_MATCH",
            ApiText::NotEnoughItems => "NOT_ENOUGH_ITEMS",
            ApiText::TooManyItems => "TOO_MANY_ITEMS",
            ApiText::BelowMinimum => "BELOW_MINIMUM",
            ApiText::AboveMaximum => "ABOVE_MAXIMUM",
            ApiText::InvalidIp => "INVALID_IP",
            ApiText::SpecialPurposeIp => "SPECIAL_PURPOSE_IP",
            ApiText::KeytagNotPositive => "KEYTAG_NOT_POSITIVE",
            ApiText::AlgorithmNotPositive => "ALGORITHM_NOT_POSITIVE",
            ApiText::DigtypeNotPositive => "DIGTYPE_NOT_POSITIVE",
            ApiText::InvalidDigest => "INVALID_DIGEST",
            ApiText::InvalidProfileFormat => "INVALID_PROFILE_FORMAT",
            ApiText::UnknownProfile => "UNKNOWN_PROFILE",
            ApiText::InvalidLanguageFormat => "INVALID_LANGUAGE_FORMAT",
            ApiText::UnknownLanguage => "UNKNOWN_LANGUAGE",
            ApiText::DomainEmpty => "DOMAIN_EMPTY",
            ApiText::DomainAmbiguousDowncasing => "DOMAIN_AMBIGUOUS_DOWNCASING",
            ApiText::DomainInitialDot => "DOMAIN_INITIAL_DOT",
            ApiText::DomainRepeatedDots => "DOMAIN_REPEATED_DOTS",
            ApiText::DomainInvalidAscii => "DOMAIN_INVALID_ASCII",
            ApiText::DomainInvalidULabel => "DOMAIN_INVALID_U_LABEL",
            ApiText::DomainLabelTooLong => "DOMAIN_LABEL_TOO_LONG",
            ApiText::DomainTooLong => "DOMAIN_TOO_LONG",
        }
    }

    /// The placeholders its texts may use.
    pub const fn args(self) -> &'static [&'static str] {
        match self {
            ApiText::PropertiesNotAllowed => &["names"],
            ApiText::ExpectedType => &["expected", "got"],
            ApiText::NoMatch => &["pattern"],
            ApiText::NotEnoughItems => &["count", "min"],
            ApiText::TooManyItems => &["count", "max"],
            ApiText::BelowMinimum => &["value", "minimum"],
            ApiText::AboveMaximum => &["value", "maximum"],
            ApiText::DomainInvalidAscii
            | ApiText::DomainInvalidULabel
            | ApiText::DomainLabelTooLong => &["label"],
            _ => &[],
        }
    }
}
