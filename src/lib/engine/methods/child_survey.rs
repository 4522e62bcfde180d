//! What every parent-side server says about the child: the survey BASIC01
//! turns into its verdict (spec §3.1).
//!
//! The walk is the one Get-Parent-NS-Names-and-IPs takes (`zone_walk`),
//! with servers queued the way the reference's BASIC01 queues them
//! (`walk_queue`). Where the parent list keeps only the servers that led to
//! the child, the survey classifies every server whose descent ended with a
//! reply, and keeps the questions that made the walk drop a server. A
//! server that answers AA NXDOMAIN for a name above the child also counts:
//! its zone is a parent found, the child does not exist there. The DNAME
//! questions follow the walk, once its endings are known.
//!
//! Knows nothing of messages: the caller turns the survey into tags.

use std::collections::BTreeMap;

use crate::dns::chain::join_all;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use hickory_proto::serialize::binary::{BinDecodable, BinDecoder};

use super::methods_v2::MethodsV2;
use super::ns_address::{NsAddress, sorted_unique};
use super::query::is_authoritative;
use super::walk_queue::Discipline;
use super::zone_walk::{AskedQuery, DescentEnd, ServerVisit, Step, ZoneFault, has_cname_for};
use crate::dns::Packet;
use crate::engine::name::display;
use crate::engine::ns::Ns;
use crate::engine::recursor::SystemEvent;

/// The types BASIC01 may send to a server it takes up; the reference
/// announces all three (`IPV4_ENABLED`/`IPV6_ENABLED`) before asking.
pub const SURVEY_RRTYPES: [RecordType; 3] = [RecordType::SOA, RecordType::NS, RecordType::DNAME];

/// What one parent-side server said about the child (spec §3.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChildClass {
    /// AA answer with the child's SOA: the server serves the child too.
    AaSoa,
    /// A referral to the child.
    Delegation,
    /// AA NXDOMAIN for the child or for a name above it.
    AaNxDomain,
    /// AA NOERROR with a CNAME owned by the child.
    AaCname,
    /// A referral carrying a CNAME for the child (never produced under the
    /// §1.7 classification, where a referral has an empty answer).
    ReferralCname,
    /// AA NOERROR, and a DNAME query gave exactly one DNAME owned by the
    /// child.
    Dname {
        /// The DNAME target.
        target: Name,
    },
    /// Any other AA NOERROR.
    NoData,
}

impl ChildClass {
    /// True for the two classes that show the child exists.
    pub fn is_child_found(&self) -> bool {
        matches!(self, Self::AaSoa | Self::Delegation)
    }
}

/// One server's class, with the zone it was found authoritative for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParentReply {
    /// The parent zone this server answered from.
    pub zone: Name,
    /// The server.
    pub server: Ns,
    /// What it said about the child.
    pub class: ChildClass,
}

/// A zone (or a DNAME target) with the servers behind it, sorted, each
/// once: ready for an `ns_list`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameServers {
    /// The zone, or the DNAME target.
    pub name: Name,
    /// The servers, as `name/ip`.
    pub servers: Vec<NsAddress>,
}

/// What BASIC01 needs to know about the child (spec §3.1).
///
/// Empty for the root and for undelegated tests: BASIC01 reports those
/// without walking.
#[derive(Clone, Debug, Default)]
pub struct ChildSurvey {
    /// The classified servers, in the order the walk met them.
    pub replies: Vec<ParentReply>,
    /// Failed zone checks, silence and unclassifiable replies
    /// (`B01_SERVER_ZONE_ERROR`).
    pub server_zone_errors: Vec<ZoneFault>,
    /// Every server taken up, per zone; the caller announces
    /// [`SURVEY_RRTYPES`] for each (enabled or disabled).
    pub visits: Vec<ServerVisit>,
    /// Every question sent to those servers, the DNAME ones included.
    pub queries: Vec<AskedQuery>,
    /// Set when the walk gave up; the reference reports nothing further
    /// for BASIC01 then.
    pub loop_protection: Option<SystemEvent>,
}

impl ChildSurvey {
    /// Every zone some server answered from, sorted, with those servers.
    pub fn parent_zones(&self) -> Vec<NameServers> {
        group(
            self.replies
                .iter()
                .map(|reply| (&reply.zone, &reply.server)),
        )
    }

    /// True when some server gave the child's SOA or referred to it.
    pub fn child_found(&self) -> bool {
        self.replies
            .iter()
            .any(|reply| reply.class.is_child_found())
    }

    /// Per parent zone, the servers that neither served nor delegated the
    /// child; only zones that have some.
    pub fn inconsistent_zones(&self) -> Vec<NameServers> {
        let others = self
            .replies
            .iter()
            .filter(|reply| !reply.class.is_child_found());
        group(others.map(|reply| (&reply.zone, &reply.server)))
    }

    /// Each DNAME target with the servers that gave it, whatever their
    /// zone.
    pub fn dname_targets(&self) -> Vec<NameServers> {
        let aliases = self.replies.iter().filter_map(|reply| match &reply.class {
            ChildClass::Dname { target } => Some((target, &reply.server)),
            _ => None,
        });
        group(aliases)
    }
}

/// Groups servers by name, names sorted as displayed.
fn group<'a>(pairs: impl Iterator<Item = (&'a Name, &'a Ns)>) -> Vec<NameServers> {
    let mut groups: BTreeMap<String, NameServers> = BTreeMap::new();
    for (name, server) in pairs {
        let entry = groups.entry(display(name)).or_insert_with(|| NameServers {
            name: name.clone(),
            servers: Vec::new(),
        });
        entry.servers.push(NsAddress::from(server));
    }
    groups
        .into_values()
        .map(|group| NameServers {
            servers: sorted_unique(group.servers),
            ..group
        })
        .collect()
}

impl MethodsV2 {
    /// Walks from the root as Get-Parent-NS-Names-and-IPs does and
    /// classifies every parent-side server's reply for the child.
    pub async fn survey_child(&self) -> ChildSurvey {
        if self.zone.is_root() || self.is_undelegated() {
            return ChildSurvey::default();
        }
        let record = self.walk_from_root(Discipline::Basic01).await;
        let mut survey = ChildSurvey {
            replies: Vec::new(),
            server_zone_errors: record.faults,
            visits: record.visits,
            queries: record.queries,
            loop_protection: record.loop_protection,
        };
        // The DNAME questions go out at once; their answers are read in
        // the order the walk met the servers.
        let ends = record.ends;
        for end in &ends {
            if self.needs_dname_question(end) {
                survey.queries.push(AskedQuery {
                    server: end.server.clone(),
                    name: self.zone.clone(),
                    rtype: RecordType::DNAME,
                });
            }
        }
        let classes = join_all(ends.iter().map(|end| self.classify_end(end))).await;
        for (end, class) in ends.into_iter().zip(classes) {
            survey.replies.push(ParentReply {
                zone: end.zone,
                server: end.server,
                class,
            });
        }
        survey
    }

    /// True when classifying `end` takes a DNAME question: an AA NOERROR
    /// reply without a CNAME for the child.
    fn needs_dname_question(&self, end: &DescentEnd) -> bool {
        end.step == Step::AaNoError && !has_cname_for(&end.reply, &self.zone)
    }

    /// The class of one descent's ending; asks DNAME when
    /// [`Self::needs_dname_question`].
    async fn classify_end(&self, end: &DescentEnd) -> ChildClass {
        match end.step {
            Step::OwnSoa => ChildClass::AaSoa,
            Step::Delegation => ChildClass::Delegation,
            Step::NxDomain => ChildClass::AaNxDomain,
            Step::ReferralCname => ChildClass::ReferralCname,
            Step::AaNoError if !self.needs_dname_question(end) => ChildClass::AaCname,
            Step::AaNoError => {
                let reply = self
                    .ask(end.server.address, &self.zone, RecordType::DNAME)
                    .await;
                match reply.and_then(|reply| sole_dname_target(&reply, &self.zone)) {
                    Some(target) => ChildClass::Dname { target },
                    None => ChildClass::NoData,
                }
            }
        }
    }
}

/// The target of the one DNAME owned by `child` in an AA NOERROR answer.
fn sole_dname_target(reply: &Packet, child: &Name) -> Option<Name> {
    if !is_authoritative(reply) {
        return None;
    }
    let mut dnames = Packet::records(&reply.answer, child, RecordType::DNAME);
    match (dnames.next(), dnames.next()) {
        (Some(record), None) => dname_target(record),
        _ => None,
    }
}

/// Reads a DNAME target. hickory keeps DNAME rdata as raw bytes; RFC 6672
/// §2.5 forbids compressing the target, so the bytes hold the whole name.
/// A target that does not decode on its own is treated as absent.
fn dname_target(record: &Record) -> Option<Name> {
    let RData::Unknown { rdata, .. } = &record.data else {
        return None;
    };
    let mut decoder = BinDecoder::new(&rdata.anything);
    let target = Name::read(&mut decoder).ok()?;
    decoder.is_empty().then(|| target.to_lowercase())
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;
    use std::sync::Arc;

    use hickory_proto::rr::rdata::NULL;
    use hickory_proto::rr::{Name, RData, Record, RecordType};
    use hickory_proto::serialize::binary::BinEncodable;

    use super::{ChildClass, ChildSurvey, MethodsV2};
    use crate::dns::Packet;
    use crate::engine::families::IpFamilies;
    use crate::engine::recursor::script::{
        answer, cname_record, name, nodata, ns_answer, nxdomain, recursor, referral, slow_recursor,
        soa_record,
    };

    const PARENT_SERVERS: [(&str, Option<&str>); 3] = [
        ("a.parent.test.", Some("192.0.2.3")),
        ("b.parent.test.", Some("192.0.2.4")),
        ("c.parent.test.", Some("192.0.2.5")),
    ];

    fn dname_record(owner: &str, target: &str) -> Record {
        let wire = name(target).to_bytes().unwrap();
        let rdata = RData::Unknown {
            code: RecordType::DNAME,
            rdata: NULL::with(wire),
        };
        Record::from_rdata(name(owner), 60, rdata)
    }

    /// root (192.0.2.1) → `test.` (192.0.2.2) → `parent.test.` on .3, .4
    /// and .5; `at_child` says what each parent server answers for the
    /// child `child.parent.test.`.
    fn world(
        at_child: fn(&str, RecordType) -> Option<Packet>,
    ) -> impl Fn(IpAddr, &Name, RecordType) -> Option<Packet> + Send + Sync + 'static {
        move |server, qname, rtype| {
            let q = qname.to_string();
            let own = |zone: &str, servers: &[(&str, Option<&str>)]| match rtype {
                RecordType::SOA => Some(answer(vec![soa_record(zone)])),
                RecordType::NS => Some(ns_answer(zone, servers)),
                _ => Some(nodata(zone)),
            };
            match (server.to_string().as_str(), q.as_str()) {
                ("192.0.2.1", ".") => own(".", &[("root.test.", Some("192.0.2.1"))]),
                ("192.0.2.1", _) => Some(referral("test.", &[("ns.test.", Some("192.0.2.2"))])),
                ("192.0.2.2", "test.") => own("test.", &[("ns.test.", Some("192.0.2.2"))]),
                ("192.0.2.2", _) => Some(referral("parent.test.", &PARENT_SERVERS)),
                (address, "parent.test.") if address != "192.0.2.5" => {
                    own("parent.test.", &PARENT_SERVERS)
                }
                (address, "child.parent.test.") => at_child(address, rtype),
                _ => None,
            }
        }
    }

    async fn survey(at_child: fn(&str, RecordType) -> Option<Packet>) -> ChildSurvey {
        let (recursor, _) = recursor(IpFamilies::default(), world(at_child));
        let methods = MethodsV2::new(Arc::new(recursor), name("child.parent.test."), None);
        methods.survey_child().await
    }

    /// Everything a survey recorded, in order.
    fn everything(survey: &ChildSurvey) -> Vec<String> {
        let mut lines = rendered(survey);
        lines.extend(survey.visits.iter().map(|visit| format!("{visit:?}")));
        lines.extend(survey.queries.iter().map(|query| format!("{query:?}")));
        lines.extend(survey.server_zone_errors.iter().map(|e| format!("{e:?}")));
        lines
    }

    fn rendered(survey: &ChildSurvey) -> Vec<String> {
        survey
            .replies
            .iter()
            .map(|reply| format!("{} {} {:?}", reply.zone, reply.server.address, reply.class))
            .collect()
    }

    #[tokio::test]
    async fn a_delegation_and_an_alias_are_told_apart() {
        let survey = survey(|address, rtype| match (address, rtype) {
            ("192.0.2.3", _) => Some(referral("child.parent.test.", &[("ns.x.", None)])),
            (_, RecordType::DNAME) => Some(answer(vec![dname_record(
                "child.parent.test.",
                "Sister.parent.test.",
            )])),
            _ => Some(nodata("parent.test.")),
        })
        .await;
        assert_eq!(
            rendered(&survey),
            vec![
                "parent.test. 192.0.2.3 Delegation",
                "parent.test. 192.0.2.4 Dname { target: Name(\"sister.parent.test.\") }",
            ]
        );
        assert!(survey.child_found());
        let aliases = survey.dname_targets();
        assert_eq!(aliases.len(), 1);
        assert_eq!(aliases[0].name, name("sister.parent.test."));
        assert_eq!(aliases[0].servers[0].to_string(), "b.parent.test/192.0.2.4");
        let inconsistent = survey.inconsistent_zones();
        assert_eq!(inconsistent.len(), 1);
        assert_eq!(inconsistent[0].servers.len(), 1);
    }

    /// Visits run at once; a slow first server must not lose its place.
    #[tokio::test]
    async fn the_survey_keeps_queue_order_whatever_answers_first() {
        fn at_child(address: &str, _: RecordType) -> Option<Packet> {
            match address {
                "192.0.2.3" => Some(referral("child.parent.test.", &[("ns.x.", None)])),
                _ => Some(nodata("parent.test.")),
            }
        }
        let slow_first = |server: IpAddr| match server.to_string().as_str() {
            "192.0.2.3" => std::time::Duration::from_millis(40),
            _ => std::time::Duration::ZERO,
        };
        let (recursor, _) = slow_recursor(IpFamilies::default(), slow_first, world(at_child));
        let methods = MethodsV2::new(Arc::new(recursor), name("child.parent.test."), None);
        let slow = methods.survey_child().await;
        let fast = survey(at_child).await;
        assert_eq!(everything(&slow), everything(&fast));
        assert_eq!(
            rendered(&slow),
            vec![
                "parent.test. 192.0.2.3 Delegation",
                "parent.test. 192.0.2.4 NoData",
            ]
        );
    }

    #[tokio::test]
    async fn a_silent_server_is_a_zone_error() {
        let survey = survey(|address, _| match address {
            "192.0.2.3" => Some(answer(vec![soa_record("child.parent.test.")])),
            _ => Some(answer(vec![cname_record("child.parent.test.", "x.test.")])),
        })
        .await;
        assert_eq!(
            rendered(&survey),
            vec![
                "parent.test. 192.0.2.3 AaSoa",
                "parent.test. 192.0.2.4 AaCname",
            ]
        );
        let errors: Vec<String> = survey
            .server_zone_errors
            .iter()
            .map(|error| {
                format!(
                    "{} {} {}",
                    error.query_name, error.rrtype, error.server.address
                )
            })
            .collect();
        assert_eq!(errors, vec!["parent.test. SOA 192.0.2.5"]);
        let parents = survey.parent_zones();
        assert_eq!(parents.len(), 1);
        assert_eq!(parents[0].servers.len(), 2);
    }

    #[tokio::test]
    async fn nxdomain_above_the_child_makes_that_zone_a_parent() {
        let survey = survey(|_, _| Some(nxdomain("parent.test."))).await;
        assert!(!survey.child_found());
        assert!(
            survey
                .replies
                .iter()
                .all(|reply| reply.class == ChildClass::AaNxDomain)
        );
        let (recursor, _) = recursor(IpFamilies::default(), |server, qname, rtype| {
            let q = qname.to_string();
            match (server.to_string().as_str(), q.as_str(), rtype) {
                ("192.0.2.1", ".", RecordType::SOA) => Some(answer(vec![soa_record(".")])),
                ("192.0.2.1", ".", _) => Some(ns_answer(".", &[("root.test.", Some("192.0.2.1"))])),
                ("192.0.2.1", _, _) => Some(nxdomain(".")),
                _ => None,
            }
        });
        let methods = MethodsV2::new(Arc::new(recursor), name("child.parent.test."), None);
        let survey = methods.survey_child().await;
        assert_eq!(rendered(&survey), vec![". 192.0.2.1 AaNxDomain"]);
        assert_eq!(survey.replies[0].server.address.to_string(), "192.0.2.1");
        assert_eq!(survey.parent_zones()[0].name, Name::root());
    }
}
