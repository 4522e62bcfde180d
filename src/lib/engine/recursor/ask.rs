//! Asking one entry of the server list (spec §1.8): a server with a known
//! address, or a glueless name that is resolved first — in a nested walk
//! from the root sharing the resolution's glue and questions in progress.

use std::net::IpAddr;

use hickory_proto::rr::{DNSClass, Name, RecordType};

use super::iterative::{QUERY_BUDGET, Recursor};
use super::lookups::addresses_in;
use super::resolution::{Ending, Failure, Reply};
use super::servers::{Candidate, GlueBook};
use super::walk::{Ask, Start, Tree, Walked};
use crate::dns::Classification;
use crate::dns::chain::join;
use crate::engine::ns::Ns;

impl Recursor {
    /// Asks one list entry; `Ok(None)` means "no response, try the next".
    pub(super) async fn ask_candidate(
        &self,
        candidate: &Candidate,
        ask: &Ask,
        referrals: usize,
        tree: &mut Tree,
        glue: &mut GlueBook,
        depth: usize,
    ) -> Result<Option<Reply>, Failure> {
        let name = match candidate {
            Candidate::Known(server) => {
                return self.query_server(server, ask, tree, Some(glue)).await;
            }
            Candidate::Glueless(name) => name,
        };
        if let Some(addresses) = glue.get(name) {
            for (index, &address) in addresses.iter().enumerate() {
                let server = Ns {
                    name: name.clone(),
                    address,
                };
                let hedges = self.hedge_addresses(
                    ask,
                    Some(address),
                    addresses[index + 1..].iter().copied(),
                );
                let asked = self.query_server(&server, ask, tree, Some(glue)).await;
                hedges.iter().for_each(tokio::task::JoinHandle::abort);
                if let Some(reply) = asked? {
                    return Ok(Some(reply));
                }
            }
            return Ok(None);
        }
        glue.mark_looked_up(name);
        let addresses = self
            .glueless_addresses(name, referrals, tree, glue, depth + 1)
            .await?;
        for (index, &address) in addresses.iter().enumerate() {
            glue.add(name, address);
            let server = Ns {
                name: name.clone(),
                address,
            };
            let hedges =
                self.hedge_addresses(ask, Some(address), addresses[index + 1..].iter().copied());
            // As in the reference, the reply of a freshly resolved glueless
            // server teaches no glue.
            let asked = self.query_server(&server, ask, tree, None).await;
            hedges.iter().for_each(tokio::task::JoinHandle::abort);
            if let Some(reply) = asked? {
                return Ok(Some(reply));
            }
        }
        Ok(None)
    }

    /// Resolves a glueless name in nested walks from the root, A and AAAA
    /// at once (the AAAA answer is dropped when A says NXDOMAIN, so the
    /// addresses are those of the reference, which asks AAAA after A and
    /// only for a name that exists). Each walk starts from the
    /// resolution's glue and questions in progress; what they learn and
    /// ask is merged back, A's events before AAAA's, as if in turn.
    async fn glueless_addresses(
        &self,
        name: &Name,
        referrals: usize,
        tree: &mut Tree,
        glue: &mut GlueBook,
        depth: usize,
    ) -> Result<Vec<IpAddr>, Failure> {
        let ask_a = Ask {
            name: name.to_lowercase(),
            rtype: RecordType::A,
            class: DNSClass::IN,
        };
        let ask_aaaa = Ask {
            rtype: RecordType::AAAA,
            ..ask_a.clone()
        };
        let start = Start::root(self.hints());
        let forked_at = tree.queries;
        let mut tree_aaaa = tree.fork();
        let mut glue_aaaa = glue.clone();
        let (a, aaaa) = join(
            self.walk(&ask_a, start.clone(), referrals, tree, glue, depth),
            self.walk(
                &ask_aaaa,
                start,
                referrals,
                &mut tree_aaaa,
                &mut glue_aaaa,
                depth,
            ),
        )
        .await;
        tree.merge(tree_aaaa, forked_at);
        glue.merge(glue_aaaa);
        stop_on_budget(&a)?;
        if a.packet()
            .is_some_and(|p| p.classify() == Classification::NxDomain)
        {
            return Ok(Vec::new());
        }
        stop_on_budget(&aaaa)?;
        Ok(addresses_in(name, a.packet(), aaaa.packet()))
    }

    /// Sends the question to one server, unless its family is disabled.
    /// With `glue`, the A/AAAA records of the reply are remembered.
    async fn query_server(
        &self,
        server: &Ns,
        ask: &Ask,
        tree: &mut Tree,
        glue: Option<&mut GlueBook>,
    ) -> Result<Option<Reply>, Failure> {
        if !self.families().allows(server.address) {
            return Ok(None);
        }
        if tree.queries >= QUERY_BUDGET {
            return Err(Failure::QueryBudget);
        }
        tree.queries += 1;
        let query = ask.query();
        let outcome = self.client().query(server.address, &query).await;
        let Some(packet) = outcome.packet() else {
            return Ok(None);
        };
        if let Some(glue) = glue {
            glue.learn_from(&packet.answer);
            glue.learn_from(&packet.additional);
        }
        Ok(Some(Reply {
            packet,
            server: server.clone(),
        }))
    }
}

/// Passes a spent query budget up to the outermost walk.
fn stop_on_budget(walked: &Walked) -> Result<(), Failure> {
    match walked.ending {
        Ending::Failed(Failure::QueryBudget) => Err(Failure::QueryBudget),
        _ => Ok(()),
    }
}
