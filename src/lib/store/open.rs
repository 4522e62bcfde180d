//! Opening the configured database.

use std::sync::Arc;

use super::{Store, StoreError};
use crate::config::BackendConfig;

/// Connects to the database `config` names (a pool) without touching its
/// schema; call [`Store::migrate`] to create or upgrade it.
pub async fn open(config: &BackendConfig) -> Result<Arc<dyn Store>, StoreError> {
    Err(StoreError::Open {
        engine: config.db.engine.name(),
        reason: "no store backend is built in yet".to_owned(),
    })
}
