//! Delegation and address lookups for `zmctl lookup`.
