//! BASIC01: the parent zone and the zone itself (engine spec §3.1).
//!
//! The walk and the classification of every parent-side server's reply
//! live in [`crate::engine::methods::MethodsV2::survey_child`]; this file
//! turns the survey into messages.

use crate::engine::methods::{NameServers, NsAddress, SURVEY_RRTYPES};
use crate::engine::tags::basic as tag;
use crate::engine::tests::prelude::*;

fn ns_list_in_order(servers: &[NsAddress]) -> String {
    servers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// The test case.
pub async fn basic01(ctx: &Context, report: &mut Report) {
    let domain = display(&ctx.zone);
    if ctx.zone.is_root() {
        report.emit(&tag::B01_CHILD_FOUND, args![domain = domain]);
        report.emit(&tag::B01_ROOT_HAS_NO_PARENT, args![]);
        return;
    }
    if ctx.is_undelegated() {
        report.emit(&tag::B01_CHILD_FOUND, args![domain = domain]);
        report.emit(&tag::B01_PARENT_DISREGARDED, args![]);
        return;
    }
    let survey = ctx.methods.survey_child().await;
    for visit in &survey.visits {
        let ns = &visit.server;
        for rrtype in SURVEY_RRTYPES {
            let family = match (visit.server.address, visit.is_enabled) {
                (IpAddr::V4(_), true) => &tag::IPV4_ENABLED,
                (IpAddr::V4(_), false) => &tag::IPV4_DISABLED,
                (IpAddr::V6(_), true) => &tag::IPV6_ENABLED,
                (IpAddr::V6(_), false) => &tag::IPV6_DISABLED,
            };
            report.emit(family, args![ns = ns, rrtype = rrtype]);
        }
    }
    for fault in &survey.server_zone_errors {
        report.emit(
            &tag::B01_SERVER_ZONE_ERROR,
            args![
                query_name = fault.query_name,
                rrtype = fault.rrtype,
                ns = fault.server
            ],
        );
    }
    if survey.loop_protection.is_some() {
        return;
    }
    report_parents(report, &survey.parent_zones());
    if survey.child_found() {
        report.emit(&tag::B01_CHILD_FOUND, args![domain = domain.as_str()]);
        for zone in survey.inconsistent_zones() {
            report.emit(
                &tag::B01_INCONSISTENT_DELEGATION,
                args![
                    domain_parent = display(&zone.name),
                    domain_child = domain.as_str(),
                    ns_list = ns_list_in_order(&zone.servers)
                ],
            );
        }
    } else {
        let superdomain = display(&ctx.zone.base_name());
        report.emit(
            &tag::B01_NO_CHILD,
            args![domain_child = domain.as_str(), domain_super = superdomain],
        );
    }
    let targets = survey.dname_targets();
    for target in &targets {
        report.emit(
            &tag::B01_CHILD_IS_ALIAS,
            args![
                domain_child = domain.as_str(),
                domain_target = display(&target.name),
                ns_list = ns_list_in_order(&target.servers)
            ],
        );
    }
    if targets.len() > 1 {
        report.emit(
            &tag::B01_INCONSISTENT_ALIAS,
            args![domain = domain.as_str()],
        );
    }
}

fn report_parents(report: &mut Report, parents: &[NameServers]) {
    if parents.is_empty() {
        report.emit(&tag::B01_PARENT_NOT_FOUND, args![]);
        return;
    }
    for parent in parents {
        report.emit(
            &tag::B01_PARENT_FOUND,
            args![
                domain = parent.name,
                ns_list = ns_list_in_order(&parent.servers)
            ],
        );
    }
    if parents.len() > 1 {
        let all: Vec<NsAddress> = parents
            .iter()
            .flat_map(|parent| parent.servers.clone())
            .collect();
        report.emit(
            &tag::B01_PARENT_UNDETERMINED,
            args![ns_list = ns_list_in_order(&all)],
        );
    }
}
