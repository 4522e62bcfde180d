//! The critical path of a run: the longest chain of queries that had to
//! wait for one another.
//!
//! However concurrent an engine is, a question whose name comes out of an
//! earlier answer cannot be sent before that answer is in. The longest
//! such chain is a floor under a run's wall time: with a 30 ms round trip
//! and a chain of 14 queries, no engine finishes in less than 0.42 s. The
//! run reports it (`zmctl check --elapsed`) so that a benchmark can say how
//! far above that floor we are, not just how fast we are.
//!
//! Dependencies are tracked by flow, not by clock: each concurrent branch
//! of the engine carries the chain it has waited on so far (a task-local
//! [`Chain`]), a query extends its branch's chain by one (by two when its
//! truncated reply had to be asked again: that second message could not
//! be sent before the first reply was in), and a join takes the longest
//! of its branches. Two queries sent side by side by
//! [`join_all`] therefore never count as a chain, while two awaited one
//! after the other always do, even when the second did not really need the
//! first: the figure is the chain our code waits on, so it can only
//! overstate the floor where the code itself serialises needlessly — which
//! is precisely what a benchmark against it should expose. A branch that
//! runs concurrently must be started with [`join_all`], [`join`], [`join3`],
//! [`branch`] or [`detached`]; without them its queries would be charged to
//! its siblings as well.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::{Join, Join3, JoinAll};

/// A chain of dependent queries: how many, and how long they took one
/// after the other.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Chain {
    /// Queries in the chain.
    pub queries: u32,
    /// Their exchange times added up (timeouts and retries included; the
    /// time spent waiting for a per-server slot left out).
    pub time: Duration,
}

impl Chain {
    /// This chain followed by one query that took `took`.
    #[must_use]
    pub fn then(self, took: Duration) -> Self {
        Self {
            queries: self.queries.saturating_add(1),
            time: self.time.saturating_add(took),
        }
    }

    /// This chain followed by an exchange of `round_trips` dependent
    /// messages (a truncated reply re-asked is two) that took `took`.
    #[must_use]
    pub fn then_exchange(self, round_trips: u32, took: Duration) -> Self {
        Self {
            queries: self.queries.saturating_add(round_trips),
            time: self.time.saturating_add(took),
        }
    }

    /// The longer of two chains, field by field (each field is a floor of
    /// its own).
    #[must_use]
    pub fn longest(self, other: Self) -> Self {
        Self {
            queries: self.queries.max(other.queries),
            time: self.time.max(other.time),
        }
    }

    /// The shorter of two chains, field by field.
    #[must_use]
    pub fn shortest(self, other: Self) -> Self {
        Self {
            queries: self.queries.min(other.queries),
            time: self.time.min(other.time),
        }
    }
}

/// Where a branch keeps its chain.
pub type Cell = Arc<Mutex<Chain>>;

tokio::task_local! {
    static CURRENT: Cell;
}

fn lock(cell: &Cell) -> std::sync::MutexGuard<'_, Chain> {
    cell.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The chain the current branch has waited on so far (empty outside any
/// branch).
pub fn current() -> Chain {
    CURRENT.try_with(|cell| *lock(cell)).unwrap_or_default()
}

/// Records that the current branch has now waited on `chain`.
pub fn reached(chain: Chain) {
    let _ = CURRENT.try_with(|cell| {
        let mut mine = lock(cell);
        *mine = mine.longest(chain);
    });
}

/// Runs `future` as the root of a chain starting empty; returns its output
/// and the longest chain it waited on.
pub async fn root<F: Future>(future: F) -> (F::Output, Chain) {
    let cell: Cell = Arc::default();
    let output = CURRENT.scope(Arc::clone(&cell), future).await;
    let chain = *lock(&cell);
    (output, chain)
}

pin_project_lite::pin_project! {
    /// A future run as a branch of the chain it was made in: see [`branch`].
    #[must_use = "futures do nothing unless polled"]
    pub struct Branch<F: Future> {
        #[pin]
        inner: tokio::task::futures::TaskLocalFuture<Cell, F>,
        cell: Cell,
    }
}

impl<F: Future> Future for Branch<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let output = std::task::ready!(this.inner.poll(context));
        reached(*lock(this.cell));
        Poll::Ready(output)
    }
}

/// Makes `future` a branch of the current chain: it starts where the
/// current branch is now, and when it ends, the branch that polls it has
/// waited on whatever it waited on. Make it in the branch that awaits it.
pub fn branch<F: Future>(future: F) -> Branch<F> {
    let cell = Arc::new(Mutex::new(current()));
    Branch {
        inner: CURRENT.scope(Arc::clone(&cell), future),
        cell,
    }
}

/// Wraps `future` for `tokio::spawn`: it starts where the current branch
/// is now; what it waits on is its own (nobody joins it).
pub fn detached<F: Future>(future: F) -> tokio::task::futures::TaskLocalFuture<Cell, F> {
    CURRENT.scope(Arc::new(Mutex::new(current())), future)
}

/// `futures::future::join_all`, each future a [`branch`].
#[allow(
    clippy::disallowed_methods,
    reason = "the one place the plain combinators are wrapped"
)]
pub fn join_all<I>(futures: I) -> JoinAll<Branch<I::Item>>
where
    I: IntoIterator,
    I::Item: Future,
{
    futures::future::join_all(futures.into_iter().map(branch))
}

/// `futures::future::join`, each future a [`branch`].
#[allow(
    clippy::disallowed_methods,
    reason = "the one place the plain combinators are wrapped"
)]
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<Branch<A>, Branch<B>> {
    futures::future::join(branch(a), branch(b))
}

/// `futures::future::join3`, each future a [`branch`].
#[allow(
    clippy::disallowed_methods,
    reason = "the one place the plain combinators are wrapped"
)]
pub fn join3<A: Future, B: Future, C: Future>(
    a: A,
    b: B,
    c: C,
) -> Join3<Branch<A>, Branch<B>, Branch<C>> {
    futures::future::join3(branch(a), branch(b), branch(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// A stand-in for a query: extends the current branch by one.
    async fn query(took: Duration) {
        tokio::task::yield_now().await;
        reached(current().then(took));
    }

    #[tokio::test]
    async fn queries_awaited_in_turn_make_a_chain() {
        let ((), chain) = root(async {
            query(MS).await;
            query(2 * MS).await;
            query(3 * MS).await;
        })
        .await;
        assert_eq!(
            chain,
            Chain {
                queries: 3,
                time: 6 * MS
            }
        );
    }

    #[tokio::test]
    async fn queries_joined_side_by_side_do_not() {
        let ((), chain) = root(async {
            query(MS).await;
            join_all((1..=5).map(|n| query(n * MS))).await;
            let ((), ()) = join(query(MS), async {
                query(MS).await;
                query(MS).await;
            })
            .await;
        })
        .await;
        // 1 + the longest of five + the longer branch of the join (2).
        assert_eq!(
            chain,
            Chain {
                queries: 4,
                time: 8 * MS
            }
        );
    }

    #[tokio::test]
    async fn without_branches_siblings_would_be_charged_to_each_other() {
        // What `branch` prevents: the same five queries joined with the
        // plain combinator all land in one cell and chain up.
        #[allow(clippy::disallowed_methods, reason = "the mistake this test shows")]
        let ((), chain) = root(async {
            futures::future::join_all((0..5).map(|_| query(MS))).await;
        })
        .await;
        assert_eq!(chain.queries, 5);
    }

    #[tokio::test]
    async fn a_detached_task_starts_from_its_spawner() {
        let ((), chain) = root(async {
            query(MS).await;
            let spawned = tokio::spawn(detached(async {
                query(MS).await;
                current()
            }));
            assert_eq!(spawned.await.unwrap().queries, 2);
        })
        .await;
        assert_eq!(chain.queries, 1);
    }

    #[test]
    fn outside_a_chain_nothing_is_tracked() {
        reached(Chain {
            queries: 3,
            time: MS,
        });
        assert_eq!(current(), Chain::default());
    }
}
