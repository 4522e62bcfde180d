//! Delegation and address lookups: the CLI side of the backend's
//! `get_data_from_parent_zone` and `get_host_by_name` (backend spec §4.5,
//! §4.6), built on the recursor and the MethodsV2 helpers.

mod address;
mod delegation;

use std::sync::Arc;

pub use address::{AddressLookup, lookup_addresses};
pub use delegation::lookup_delegation;

use crate::dns::{Client, ClientConfig, QueryOptions, Transport};
use crate::engine::IpFamilies;
use crate::engine::RootHints;
use crate::engine::recursor::Recursor;

/// Why a lookup could not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The parent zone or its delegation could not be found.
    #[error(
        "cannot determine the delegation of `{zone}`: the parent zone has no delegation for it, or no parent server answered"
    )]
    Undetermined {
        /// The zone asked about.
        zone: String,
    },
}

/// Everything a lookup needs: where to start and how to ask.
#[derive(Clone)]
pub struct LookupSetup {
    /// Root hints.
    pub hints: RootHints,
    /// Allowed IP families.
    pub families: IpFamilies,
    /// Timing of each query.
    pub options: QueryOptions,
    /// Live, recording or replaying.
    pub transport: Arc<dyn Transport>,
}

impl LookupSetup {
    /// A fresh recursor with its own cache.
    pub(crate) fn recursor(&self) -> Arc<Recursor> {
        let config = ClientConfig {
            options: self.options,
            ..ClientConfig::default()
        };
        let client = Client::new(Arc::clone(&self.transport), config);
        Arc::new(Recursor::new(client, self.hints.clone(), self.families))
    }
}
