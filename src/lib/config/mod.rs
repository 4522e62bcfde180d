//! The backend configuration: reading and checking `backend_config.ini`.
//!
//! Owns the file format of spec section 7 (sections, keys, defaults,
//! aliases, validation) plus our additions: `[ZONEMASTER] root_hints`,
//! `[RPCAPI] trusted_proxies`, and the abuse limits of
//! `docs/abuse-limits.md` (`[ZONEMASTER] allow_private_addresses`,
//! `max_queries_per_second_per_server`; `[RPCAPI] rate_limit_*`,
//! `max_batch_domains`, `max_nameservers`, `max_ds_info`,
//! `allow_add_api_user_from`).
//! Knows nothing of databases or DNS: it hands out typed values (the
//! store's part as the store's own `StoreSettings`) and checks only what
//! can be checked without connecting anywhere. Where to look for
//! the file (`$ZONEMASTER_BACKEND_CONFIG_FILE`, `/etc/…`) is the caller's
//! business.

mod backend;
mod error;
mod ini;
mod locate;
mod profiles;
mod sections;
mod values;

pub use backend::{
    BackendConfig, DEFAULT_QUERIES_PER_SECOND_PER_SERVER, DbConfig, DbEngine, LanguageConfig,
    MetricsConfig, MysqlConfig, PostgresqlConfig, ProfileSource, ProfilesConfig, RpcapiConfig,
    SqliteConfig, ZonemasterConfig,
};
pub use error::ConfigError;
pub use locate::{CONFIG_ENV, STANDARD_PATHS};
pub use profiles::ProfileSet;
