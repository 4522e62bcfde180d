//! Get-Parent-NS-Names-and-IPs (spec §1.10): every server that serves the
//! child's parent zone, found by walking down from the root.
//!
//! The walk itself is shared with BASIC01 (`zone_walk`); here only the
//! servers whose descent reached the child count: those that answered with
//! the child's SOA or referred to it. Every other ending is dropped.

use super::methods_v2::MethodsV2;
use super::walk_queue::Discipline;
use super::zone_walk::{DescentEnd, Step};
use crate::engine::name::display;
use crate::engine::ns::Ns;

impl MethodsV2 {
    /// Runs the walk; `None` when no server led to the child or the walk
    /// gave up.
    pub(super) async fn compute_parent_servers(&self) -> Option<Vec<Ns>> {
        if self.zone.is_root() || self.is_undelegated() {
            return Some(Vec::new());
        }
        let record = self.walk_from_root(Discipline::ParentList).await;
        if let Some(event) = record.loop_protection {
            self.record(event);
            return None;
        }
        let mut found: Vec<Ns> = record
            .ends
            .into_iter()
            .filter(|end| self.reached_child(end))
            .map(|end| end.server)
            .collect();
        found.sort_by_cached_key(|server| (display(&server.name), server.address));
        found.dedup();
        (!found.is_empty()).then_some(found)
    }

    /// True when the descent ended at the child with its SOA or a referral
    /// to it.
    fn reached_child(&self, end: &DescentEnd) -> bool {
        end.name == self.zone && matches!(end.step, Step::OwnSoa | Step::Delegation)
    }
}
