//! The JSON-RPC API of `zm-rpcapi` (backend spec §2–§5): the envelope,
//! parameter validation, the methods and their error objects, and the HTTP
//! server around them.
//!
//! Owns the wire contract with clients: method names and aliases, param
//! schemas, exact messages, string-typed codes, processing order. Turns
//! requests into store calls and look-ups and store rows into results;
//! knows no SQL (only the `Store` trait) and runs no tests (that is the
//! agent's job; both read params through [`crate::job::TestParams`]).
//!
//! Processing of one request, in the spec's order: parse the body
//! ([`envelope`]), check the envelope, validate params against the
//! method's schema ([`validate`]), look the method up ([`Method`]), run it
//! (`methods/`), and turn any [`RpcError`] into an error object in one
//! place ([`error`]).

mod api;
pub mod envelope;
pub mod error;
mod methods;
mod rate_limit;
mod results;
mod server;
pub mod types;
pub mod validate;

pub use api::{Api, ApiOptions, ApiSetupError, Caller, Clock};
pub use error::{ParamError, RpcError, Status};
pub use methods::Method;
pub use rate_limit::{OverLimit, TestRateLimit};
pub use results::{finish_message, render_results};
pub use server::serve;
