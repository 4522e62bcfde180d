//! What the recursor and the name-server helpers report as they go: the
//! `System` module tags of engine spec §1.13 with their arguments.
//!
//! The message catalog arrives in a later issue; until then each event
//! knows its tag and its argument names (exactly as the spec writes them),
//! so the catalog can be wired to these values without touching the logic.

use hickory_proto::rr::{DNSClass, Name, RecordType};

use crate::engine::name::display;

/// Largest number of CNAME records accepted in one reply (spec §1.8 step 2).
pub const CNAME_MAX_RECORDS: usize = 9;
/// Largest number of chained CNAME look-ups in one resolution (step 7).
pub const CNAME_MAX_CHAIN_LENGTH: usize = 10;

/// One `System` message raised during resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SystemEvent {
    /// CNAME processing starts for an answer without data of the asked type.
    CnameStart {
        /// The asked name.
        name: Name,
        /// The asked type.
        rtype: RecordType,
        /// The asked class.
        class: DNSClass,
    },
    /// Identical CNAME records were dropped.
    CnameRecordsDuplicates {
        /// `record => extra copies`, joined by `;`.
        records: String,
    },
    /// More CNAME records than [`CNAME_MAX_RECORDS`].
    CnameRecordsTooMany {
        /// The asked name.
        name: Name,
        /// How many there were.
        count: usize,
    },
    /// Two CNAME records share an owner.
    CnameRecordsMultipleForName {
        /// The shared owner.
        name: Name,
    },
    /// The CNAME records of one reply loop among themselves.
    CnameLoopInner {
        /// The owners, joined by `;`.
        name: String,
        /// The targets, joined by `;`.
        target: String,
    },
    /// Some CNAME records are not on the chain from the asked name.
    CnameRecordsChainBroken {
        /// The asked name.
        name: Name,
        /// CNAME records in the reply.
        cname_rrs: usize,
        /// Records on the chain from the asked name.
        cname_counter: usize,
    },
    /// Records of the asked type exist, but not for the end of the chain.
    CnameNoMatch {
        /// The asked name.
        name: Name,
        /// The asked type.
        rtype: RecordType,
        /// The end of the chain.
        target: Name,
        /// Owners of the records of the asked type, joined by `;`.
        owner_names: String,
    },
    /// The chain leads back to a name this resolution already asked for.
    CnameLoopOuter {
        /// The asked name.
        name: Name,
        /// The end of the chain.
        target: Name,
        /// Targets followed so far, joined by `;`.
        targets_seen: String,
    },
    /// More than [`CNAME_MAX_CHAIN_LENGTH`] chained look-ups.
    CnameChainTooLong {
        /// Look-ups so far.
        count: usize,
    },
    /// The reply already held the data for the end of the chain.
    CnameFollowedInZone {
        /// The asked name.
        name: Name,
        /// The asked type.
        rtype: RecordType,
        /// The end of the chain.
        target: Name,
    },
    /// The chain leaves the asked name's subtree; resolution restarts at
    /// the root for the target.
    CnameFollowedOutOfZone {
        /// The asked name.
        name: Name,
        /// The end of the chain.
        target: Name,
    },
    /// A loop guard stopped the work (too many referrals or steps).
    LoopProtection {
        /// Which routine gave up, named as the reference engine names it.
        caller: &'static str,
        /// The name being resolved, or the child zone.
        child_zone_name: Name,
        /// The zone reached when the guard tripped.
        name: Name,
        /// The name asked last, where the routine has one.
        intermediate_query_name: Option<Name>,
    },
}

impl SystemEvent {
    /// The tag, exactly as spec §1.13 spells it.
    pub fn tag(&self) -> &'static str {
        match self {
            Self::CnameStart { .. } => "CNAME_START",
            Self::CnameRecordsDuplicates { .. } => "CNAME_RECORDS_DUPLICATES",
            Self::CnameRecordsTooMany { .. } => "CNAME_RECORDS_TOO_MANY",
            Self::CnameRecordsMultipleForName { .. } => "CNAME_RECORDS_MULTIPLE_FOR_NAME",
            Self::CnameLoopInner { .. } => "CNAME_LOOP_INNER",
            Self::CnameRecordsChainBroken { .. } => "CNAME_RECORDS_CHAIN_BROKEN",
            Self::CnameNoMatch { .. } => "CNAME_NO_MATCH",
            Self::CnameLoopOuter { .. } => "CNAME_LOOP_OUTER",
            Self::CnameChainTooLong { .. } => "CNAME_CHAIN_TOO_LONG",
            Self::CnameFollowedInZone { .. } => "CNAME_FOLLOWED_IN_ZONE",
            Self::CnameFollowedOutOfZone { .. } => "CNAME_FOLLOWED_OUT_OF_ZONE",
            Self::LoopProtection { .. } => "LOOP_PROTECTION",
        }
    }

    /// The arguments as (spec name, rendered value), in the spec's order.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let name = |n: &Name| display(n);
        match self {
            Self::CnameStart {
                name: n,
                rtype,
                class,
            } => vec![
                ("name", name(n)),
                ("type", rtype.to_string()),
                ("dns_class", class.to_string()),
            ],
            Self::CnameRecordsDuplicates { records } => vec![("records", records.clone())],
            Self::CnameRecordsTooMany { name: n, count } => vec![
                ("name", name(n)),
                ("count", count.to_string()),
                ("max", CNAME_MAX_RECORDS.to_string()),
            ],
            Self::CnameRecordsMultipleForName { name: n } => vec![("name", name(n))],
            Self::CnameLoopInner { name: n, target } => {
                vec![("name", n.clone()), ("target", target.clone())]
            }
            Self::CnameRecordsChainBroken {
                name: n,
                cname_rrs,
                cname_counter,
            } => vec![
                ("name", name(n)),
                ("cname_rrs", cname_rrs.to_string()),
                ("cname_counter", cname_counter.to_string()),
            ],
            Self::CnameNoMatch {
                name: n,
                rtype,
                target,
                owner_names,
            } => vec![
                ("name", name(n)),
                ("type", rtype.to_string()),
                ("target", name(target)),
                ("owner_names", owner_names.clone()),
            ],
            Self::CnameLoopOuter {
                name: n,
                target,
                targets_seen,
            } => vec![
                ("name", name(n)),
                ("target", name(target)),
                ("targets_seen", targets_seen.clone()),
            ],
            Self::CnameChainTooLong { count } => vec![
                ("count", count.to_string()),
                ("max", CNAME_MAX_CHAIN_LENGTH.to_string()),
            ],
            Self::CnameFollowedInZone {
                name: n,
                rtype,
                target,
            } => vec![
                ("name", name(n)),
                ("type", rtype.to_string()),
                ("target", name(target)),
            ],
            Self::CnameFollowedOutOfZone { name: n, target } => {
                vec![("name", name(n)), ("target", name(target))]
            }
            Self::LoopProtection {
                caller,
                child_zone_name,
                name: n,
                intermediate_query_name,
            } => {
                let mut args = vec![
                    ("caller", (*caller).to_owned()),
                    ("child_zone_name", name(child_zone_name)),
                    ("name", name(n)),
                ];
                if let Some(intermediate) = intermediate_query_name {
                    args.push(("intermediate_query_name", name(intermediate)));
                }
                args
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_use_the_spec_names_and_display_form() {
        let event = SystemEvent::CnameFollowedOutOfZone {
            name: Name::from_ascii("Out.Good.Test.").unwrap(),
            target: Name::from_ascii("www.other.test.").unwrap(),
        };
        assert_eq!(event.tag(), "CNAME_FOLLOWED_OUT_OF_ZONE");
        assert_eq!(
            event.args(),
            vec![
                ("name", "out.good.test".to_owned()),
                ("target", "www.other.test".to_owned())
            ]
        );
    }

    #[test]
    fn loop_protection_has_the_optional_argument_only_when_known() {
        let zone = Name::from_ascii("a.test.").unwrap();
        let mut event = SystemEvent::LoopProtection {
            caller: "recurse",
            child_zone_name: zone.clone(),
            name: zone.clone(),
            intermediate_query_name: None,
        };
        assert_eq!(event.args().len(), 3);
        if let SystemEvent::LoopProtection {
            intermediate_query_name,
            ..
        } = &mut event
        {
            *intermediate_query_name = Some(zone);
        }
        assert_eq!(event.args()[3].0, "intermediate_query_name");
    }
}
