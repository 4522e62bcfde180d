//! English API texts. The validation messages are the reference API's
//! exact wording (clients match on them); the `Backend` texts are ours.

use super::Texts;

/// Validation messages by [`ApiText`](super::ApiText) key.
pub(super) static MESSAGES: Texts = &[
    ("INVALID_PARAMS", "Invalid method parameter(s)."),
    ("MISSING_PROPERTY", "Missing property"),
    ("PROPERTIES_NOT_ALLOWED", "Properties not allowed: {names}."),
    ("EXPECTED_TYPE", "Expected {expected} - got {got}."),
    ("NO_MATCH", "String does not match {pattern}."),
    ("NOT_ENOUGH_ITEMS", "Not enough items: {count}/{min}."),
    ("TOO_MANY_ITEMS", "Too many items: {count}/{max}."),
    ("BELOW_MINIMUM", "{value} < minimum({minimum})"),
    ("INVALID_IP", "Invalid IP address"),
    ("KEYTAG_NOT_POSITIVE", "Keytag must be a positive integer"),
    (
        "ALGORITHM_NOT_POSITIVE",
        "Algorithm must be a positive integer",
    ),
    (
        "DIGTYPE_NOT_POSITIVE",
        "Digest type must be a positive integer",
    ),
    ("INVALID_DIGEST", "Invalid digest format"),
    ("INVALID_PROFILE_FORMAT", "Invalid profile format"),
    ("UNKNOWN_PROFILE", "Unknown profile"),
    ("INVALID_LANGUAGE_FORMAT", "Invalid language tag format"),
    // Sic: the reference's typo, which clients may match on.
    ("UNKNOWN_LANGUAGE", "Unkown language string"),
    ("DOMAIN_EMPTY", "Domain name is empty."),
    (
        "DOMAIN_AMBIGUOUS_DOWNCASING",
        "Ambiguous downcasing of character \"LATIN CAPITAL LETTER I WITH DOT ABOVE\" in the domain name. \
         Use all lower case instead.",
    ),
    ("DOMAIN_INITIAL_DOT", "Domain name starts with dot."),
    ("DOMAIN_REPEATED_DOTS", "Domain name has repeated dots."),
    (
        "DOMAIN_INVALID_ASCII",
        "Domain name has an ASCII label (\"{label}\") with a character not permitted.",
    ),
    (
        "DOMAIN_INVALID_U_LABEL",
        "Domain name has a non-ASCII label (\"{label}\") which is not a valid U-label.",
    ),
    (
        "DOMAIN_LABEL_TOO_LONG",
        "Domain name has a label that is too long (more than 63 characters), \"{label}\".",
    ),
    (
        "DOMAIN_TOO_LONG",
        "Domain name is too long (more than 253 characters with no final dot).",
    ),
];

/// Texts of the `Backend` pseudo-module's tags (spec §5.5, §10.2).
pub(super) static BACKEND: Texts = &[
    (
        "TEST_DIED",
        "An error stopped Zonemaster from starting or finishing this test; its results are incomplete.",
    ),
    (
        "UNABLE_TO_FINISH_TEST",
        "The test ran longer than the limit of {max_execution_time} seconds and was stopped. The zone may have \
         too many name servers, or some of them may not respond.",
    ),
];
