//! Integration tests: one binary, real servers in private network namespaces.

mod dns;
mod netns;
mod recorded;
mod testns;
