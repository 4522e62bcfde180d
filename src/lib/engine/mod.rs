//! The test engine (grows in later issues).
