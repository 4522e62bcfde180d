//! The JSON-RPC client of `zm-rpcapi` (and of the Perl backend): one
//! [`Client`] with a typed method per API method, the decoding of the
//! server's error objects, the settings file of `zmctl` and the domain
//! lists batches are made from.
//!
//! Used by every `zmctl` command that talks to a backend and by the TUI.
//! Speaks HTTP through reqwest and reads and writes [`crate::api_types`];
//! knows nothing of terminals, output formats or exit codes.

mod batch;
mod domain_list;
mod error;
mod http;
mod methods;
mod settings;

pub use batch::DomainOutcome;
pub use domain_list::{DomainListError, parse_domain_list};
pub use error::{ClientError, ParamProblem, ServerError, decode_reply};
pub use http::{Client, DEFAULT_SERVER};
pub use settings::{ClientSettings, SettingsError, default_settings_path, settings_path_from};
