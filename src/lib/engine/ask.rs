//! Asking a set of servers one question: the one way test cases query
//! name servers (ARCHITECTURE.md, "How a test case is written").
//!
//! Every allowed server is asked at once through the run's client (its
//! cache and its per-server cap), so a test case costs one round trip per
//! dependent step, not one per server. Outcomes come back in the order
//! the servers were given, whatever order the replies arrived in, so
//! messages stay deterministic. A server of a family the profile switches
//! off is not asked; the test case's module says so with its own
//! `IPV4_DISABLED`/`IPV6_DISABLED` (and Basic, which has them, with
//! `IPV4_ENABLED`/`IPV6_ENABLED` for those asked), emitted here and not by
//! each caller.

use std::net::IpAddr;
use std::sync::Arc;

use crate::dns::chain::join_all;

use super::context::Context;
use super::message::Report;
use super::tags;
use super::zone::Ns;
use crate::args;
use crate::dns::{Outcome, Packet, Query};

/// The outcomes of one question to several servers, in the servers' order;
/// servers not asked (family disabled) are absent.
#[derive(Clone, Debug, Default)]
pub struct Asked {
    outcomes: Vec<(Ns, Arc<Outcome>)>,
}

impl Asked {
    /// Every server asked with what it gave (a reply, a timeout, …).
    pub fn outcomes(&self) -> impl Iterator<Item = (&Ns, &Outcome)> {
        self.outcomes
            .iter()
            .map(|(server, outcome)| (server, outcome.as_ref()))
    }

    /// The servers that replied, with their decoded replies.
    pub fn replies(&self) -> impl Iterator<Item = (&Ns, Arc<Packet>)> {
        self.outcomes()
            .filter_map(|(server, outcome)| Some((server, outcome.packet()?)))
    }

    /// True when no server was asked.
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }
}

impl Context {
    /// Asks each of `servers` the `query` at once and returns what each
    /// gave, in the order of `servers`; the family messages of the
    /// report's module are emitted first, one per server, in that order.
    pub async fn ask_each(&self, report: &mut Report, servers: &[Ns], query: &Query) -> Asked {
        let allowed: Vec<&Ns> = servers
            .iter()
            .filter(|server| self.say_family(report, server, query))
            .collect();
        let outcomes = join_all(
            allowed
                .iter()
                .map(|server| self.client.query(server.address, query)),
        )
        .await;
        Asked {
            outcomes: allowed.into_iter().cloned().zip(outcomes).collect(),
        }
    }

    /// [`Context::ask_each`] for several questions at once, each to its
    /// own servers: one round trip for questions that do not depend on
    /// each other. The family messages come first, question by question;
    /// the results are in the order of `questions`.
    pub async fn ask_each_of(
        &self,
        report: &mut Report,
        questions: &[(&[Ns], Query)],
    ) -> Vec<Asked> {
        let allowed: Vec<(Vec<&Ns>, &Query)> = questions
            .iter()
            .map(|(servers, query)| {
                let allowed = servers
                    .iter()
                    .filter(|server| self.say_family(report, server, query))
                    .collect();
                (allowed, query)
            })
            .collect();
        let outcomes = join_all(allowed.iter().map(|(servers, query)| {
            join_all(
                servers
                    .iter()
                    .map(|server| self.client.query(server.address, query)),
            )
        }))
        .await;
        allowed
            .into_iter()
            .zip(outcomes)
            .map(|((servers, _), outcomes)| Asked {
                outcomes: servers.into_iter().cloned().zip(outcomes).collect(),
            })
            .collect()
    }

    /// Asks `servers` the `query` one at a time, in their order, until one
    /// gives an outcome that `settles` accepts, and returns that server
    /// with its outcome: the reference's zone helpers (`query_one`,
    /// `query_auth`, spec §1.9), which stop at the first good reply.
    ///
    /// Unlike [`Context::ask_each`] this waits a round trip per server
    /// that does not settle it, but it sends no question the reference
    /// would not send: asking every server at once costs one query per
    /// server where the first usually settles it. The family messages are
    /// those of the servers passed, up to the one that settled it.
    pub async fn ask_in_turn(
        &self,
        report: &mut Report,
        servers: &[Ns],
        query: &Query,
        settles: impl Fn(&Outcome) -> bool,
    ) -> Option<(Ns, Arc<Outcome>)> {
        let question = [(servers, query.clone())];
        let mut settled = self.ask_in_turn_each_of(report, &question, settles).await;
        settled.pop().flatten()
    }

    /// [`Context::ask_in_turn`] for several questions, each to its own
    /// servers in turn; the questions go side by side. The family
    /// messages come question by question; the results are in the order
    /// of `questions`.
    pub async fn ask_in_turn_each_of(
        &self,
        report: &mut Report,
        questions: &[(&[Ns], Query)],
        settles: impl Fn(&Outcome) -> bool,
    ) -> Vec<Option<(Ns, Arc<Outcome>)>> {
        let settles = &settles;
        let turns = join_all(
            questions
                .iter()
                .map(|(servers, query)| self.take_turns(servers, query, settles)),
        )
        .await;
        questions
            .iter()
            .zip(turns)
            .map(|((_, query), (passed, settled))| {
                for server in passed {
                    self.say_family(report, server, query);
                }
                settled
            })
            .collect()
    }

    /// The servers passed (asked, or skipped for their family) and the
    /// one that settled `query` with its outcome.
    async fn take_turns<'s>(
        &self,
        servers: &'s [Ns],
        query: &Query,
        settles: &impl Fn(&Outcome) -> bool,
    ) -> (&'s [Ns], Option<(Ns, Arc<Outcome>)>) {
        for (at, server) in servers.iter().enumerate() {
            if !self.families.allows(server.address) {
                continue;
            }
            let outcome = self.client.query(server.address, query).await;
            if settles(&outcome) {
                let passed = servers.get(..=at).unwrap_or(servers);
                return (passed, Some((server.clone(), outcome)));
            }
        }
        (servers, None)
    }

    /// Emits the family message for asking `server`; true when it may be
    /// asked.
    fn say_family(&self, report: &mut Report, server: &Ns, query: &Query) -> bool {
        let is_allowed = self.families.allows(server.address);
        let name = match (server.address, is_allowed) {
            (IpAddr::V4(_), true) => "IPV4_ENABLED",
            (IpAddr::V4(_), false) => "IPV4_DISABLED",
            (IpAddr::V6(_), true) => "IPV6_ENABLED",
            (IpAddr::V6(_), false) => "IPV6_DISABLED",
        };
        if let Some(tag) = tags::find(report.module(), name) {
            report.emit(tag, args![ns = server, rrtype = query.rtype]);
        }
        is_allowed
    }
}
