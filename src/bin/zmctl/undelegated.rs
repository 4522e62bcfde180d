//! The undelegated-test flags `check` and `test start` share (issue 14,
//! item 2), defined once: `--ns NAME[/IP]`, `--ds KEYTAG,ALG,DIGTYPE,DIGEST`
//! and `--from-parent`. `start-test`'s `--nameserver NAME:IP` and
//! `--ds-info keytag=N,algorithm=N,digtype=N,digest=HEX` are aliases, and
//! each form is read under either name.

use std::net::IpAddr;

use clap::Args;
use hickory_proto::rr::Name;
use zonemaster::api_types::{DelegationData, DsInfo, NameServer};
use zonemaster::engine::FakeDelegation;
use zonemaster::engine::name::{display, parse_domain};
use zonemaster::engine::undelegated::DsData;
use zonemaster::engine::undelegated_input::{parse_ds, parse_ns};

use crate::Failure;

/// `--ns`, `--ds` and `--from-parent`.
#[derive(Args, Clone, Debug, Default)]
pub struct UndelegatedArgs {
    /// Undelegated test: a name server NAME or NAME/IP (repeatable; NAME:IP also works).
    #[arg(long = "ns", alias = "nameserver", value_name = "NAME[/IP]", value_parser = parse_ns_arg)]
    pub ns: Vec<NsArg>,
    /// Undelegated test: a DS record KEYTAG,ALG,DIGTYPE,DIGEST (repeatable).
    #[arg(
        long = "ds",
        alias = "ds-info",
        value_name = "KEYTAG,ALG,DIGTYPE,DIGEST",
        value_parser = parse_ds_arg
    )]
    pub ds: Vec<DsData>,
    /// Start from the delegation the parent zone publishes (its NS and DS
    /// records, as `lookup delegation` shows them), then add --ns and --ds.
    #[arg(long)]
    pub from_parent: bool,
}

/// One `--ns` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsArg {
    /// The name server.
    pub name: Name,
    /// Its address, if given.
    pub address: Option<IpAddr>,
}

fn parse_ns_arg(text: &str) -> Result<NsArg, String> {
    parse_ns(text)
        .map(|(name, address)| NsArg { name, address })
        .map_err(|error| error.to_string())
}

/// `KEYTAG,ALG,DIGTYPE,DIGEST`, or the `--ds-info` form
/// `keytag=N,algorithm=N,digtype=N,digest=HEX` (members in any order).
fn parse_ds_arg(text: &str) -> Result<DsData, String> {
    if !text.contains('=') {
        return parse_ds(text).map_err(|error| error.to_string());
    }
    let mut fields = [None::<&str>; 4];
    for part in text.split(',') {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}` in `{text}` is not key=value"))?;
        let slot = match key.trim() {
            "keytag" => 0,
            "algorithm" => 1,
            "digtype" => 2,
            "digest" => 3,
            other => {
                return Err(format!(
                    "unknown key `{other}` in `{text}` (expected keytag, algorithm, digtype, digest)"
                ));
            }
        };
        fields[slot] = Some(value.trim());
    }
    let [Some(keytag), Some(algorithm), Some(digtype), Some(digest)] = fields else {
        return Err(format!(
            "`{text}` needs all of keytag, algorithm, digtype and digest"
        ));
    };
    parse_ds(&format!("{keytag},{algorithm},{digtype},{digest}")).map_err(|error| error.to_string())
}

impl UndelegatedArgs {
    /// The flags as the engine takes them, over the parent's delegation
    /// when `--from-parent` fetched one; `None` when nothing was supplied.
    pub fn fake_delegation(
        &self,
        parent: Option<&DelegationData>,
    ) -> Result<Option<FakeDelegation>, Failure> {
        let mut fake = FakeDelegation::default();
        for entry in parent.map_or(&[][..], |parent| &parent.ns_list[..]) {
            let name = parse_domain(&entry.ns).map_err(|error| {
                Failure::failed(format!(
                    "the parent names an invalid name server `{}`: {error}",
                    entry.ns
                ))
            })?;
            let address = entry.ip.as_deref().and_then(|ip| ip.parse().ok());
            fake.add_ns(name, address);
        }
        for ds in parent.map_or(&[][..], |parent| &parent.ds_list[..]) {
            fake.ds.push(DsData {
                keytag: ds.keytag,
                algorithm: ds.algorithm,
                digtype: ds.digtype,
                digest: ds.digest.to_ascii_lowercase(),
            });
        }
        for ns in &self.ns {
            fake.add_ns(ns.name.clone(), ns.address);
        }
        fake.ds.extend(self.ds.iter().cloned());
        // DS records alone are passed on too, as they always were.
        let is_supplied = !fake.ns.is_empty() || !fake.ds.is_empty();
        Ok(is_supplied.then_some(fake))
    }

    /// The flags as the API takes them (`nameservers`, `ds_info`), after
    /// the parent's delegation when `--from-parent` fetched one.
    pub fn api_lists(&self, parent: Option<&DelegationData>) -> (Vec<NameServer>, Vec<DsInfo>) {
        let mut nameservers: Vec<NameServer> =
            parent.map_or_else(Vec::new, |parent| parent.ns_list.clone());
        nameservers.extend(self.ns.iter().map(|ns| NameServer {
            ns: display(&ns.name),
            ip: ns.address.map(|address| address.to_string()),
        }));
        let mut ds_info: Vec<DsInfo> =
            parent.map_or_else(Vec::new, |parent| parent.ds_list.clone());
        ds_info.extend(self.ds.iter().map(|ds| DsInfo {
            keytag: ds.keytag,
            algorithm: ds.algorithm,
            digtype: ds.digtype,
            digest: ds.digest.clone(),
        }));
        (nameservers, ds_info)
    }
}

/// The refusal of `--from-parent` when the parent has no delegation.
pub fn no_parent_delegation(zone: &str) -> Failure {
    Failure::failed(format!(
        "--from-parent: the parent zone of `{zone}` publishes no delegation for it \
         (no NS records found), so there is nothing to start from"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_ds_forms_mean_the_same() {
        let digest = "AB".repeat(32);
        let short = parse_ds_arg(&format!("29133,13,2,{digest}")).unwrap();
        let long = parse_ds_arg(&format!(
            "digest={digest},keytag=29133,algorithm=13,digtype=2"
        ))
        .unwrap();
        assert_eq!(short, long);
        assert_eq!(long.digest, "ab".repeat(32));
        assert!(
            parse_ds_arg("keytag=1,algorithm=13")
                .unwrap_err()
                .contains("needs all")
        );
        assert!(
            parse_ds_arg("colour=blue")
                .unwrap_err()
                .contains("unknown key")
        );
        assert!(parse_ds_arg("keytag=x,algorithm=1,digtype=2,digest=ab").is_err());
        assert!(parse_ds_arg("1,2,3").is_err());
    }

    #[test]
    fn name_servers_go_to_the_api_normalised() {
        let args = UndelegatedArgs {
            ns: vec![
                parse_ns_arg("NS1.Good.Test/127.53.2.1").unwrap(),
                parse_ns_arg("ns2.good.test:2001:db8::53").unwrap(),
                parse_ns_arg("ns3.0/25.rev.test").unwrap(),
            ],
            ds: vec![parse_ds_arg("1,13,2,abcd").unwrap()],
            from_parent: false,
        };
        let (nameservers, ds_info) = args.api_lists(None);
        let pairs: Vec<(&str, Option<&str>)> = nameservers
            .iter()
            .map(|ns| (ns.ns.as_str(), ns.ip.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("ns1.good.test", Some("127.53.2.1")),
                ("ns2.good.test", Some("2001:db8::53")),
                ("ns3.0/25.rev.test", None)
            ]
        );
        assert_eq!(ds_info[0].keytag, 1);
        assert!(parse_ns_arg("ns1..x/192.0.2.1").is_err());
        assert!(
            parse_ns_arg("ns1.x/192.0.2.300")
                .unwrap_err()
                .contains("invalid IP address")
        );
    }

    #[test]
    fn the_parent_comes_first_then_the_flags() {
        let parent = DelegationData {
            ns_list: vec![NameServer {
                ns: "ns1.good.test".into(),
                ip: Some("127.53.2.1".into()),
            }],
            ds_list: vec![DsInfo {
                keytag: 7,
                algorithm: 13,
                digtype: 2,
                digest: "AA".into(),
            }],
        };
        let args = UndelegatedArgs {
            ns: vec![parse_ns_arg("ns1.good.test/127.53.2.9").unwrap()],
            ..UndelegatedArgs::default()
        };
        let fake = args.fake_delegation(Some(&parent)).unwrap().unwrap();
        assert_eq!(fake.ns.len(), 1);
        assert_eq!(fake.ns[0].addresses.len(), 2);
        assert_eq!(fake.ds[0].digest, "aa");
        let (nameservers, ds_info) = args.api_lists(Some(&parent));
        assert_eq!(nameservers.len(), 2);
        assert_eq!(ds_info.len(), 1);
        assert_eq!(
            UndelegatedArgs::default().fake_delegation(None).unwrap(),
            None
        );
    }
}
