//! `zmctl lookup`: delegation and address look-ups by iterative
//! resolution, here or (`--api`) by the server's `get_data_from_parent_zone`
//! and `get_host_by_name`. Both print the same shapes.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use zonemaster::api_types::{DelegationData, DelegationParams, HostAddresses};
use zonemaster::dns::{LiveTransport, QueryOptions};
use zonemaster::engine::name::parse_domain;
use zonemaster::engine::{IpFamilies, RootHints};
use zonemaster::lookup::{LookupSetup, lookup_addresses, lookup_delegation};

use crate::api::Backend;
use crate::{Failure, LookupFlags};
use comfy_table::{Table, presets::NOTHING};

/// The address `get_host_by_name` answers when there is none.
const NO_ADDRESS: &str = "0.0.0.0";

pub fn setup(flags: &LookupFlags) -> Result<LookupSetup, Failure> {
    let hints = match &flags.hints {
        Some(path) => RootHints::from_file(path)
            .map_err(|error| Failure::input(crate::error_chain(&error)))?,
        None => RootHints::builtin(),
    };
    if flags.no_ipv4 && flags.no_ipv6 {
        return Err(Failure::input(
            "--no-ipv4 and --no-ipv6 together leave no network to use",
        ));
    }
    let options = QueryOptions {
        timeout: Duration::from_secs(flags.timeout.max(1)),
        ..QueryOptions::default()
    };
    Ok(LookupSetup {
        hints,
        families: IpFamilies {
            ipv4: !flags.no_ipv4,
            ipv6: !flags.no_ipv6,
        },
        options,
        transport: Arc::new(LiveTransport::new()),
    })
}

pub async fn delegation(
    zone: &str,
    flags: &LookupFlags,
    backend: &Backend,
    out: &mut Vec<u8>,
) -> Result<u8, Failure> {
    let name = parse_domain(zone)
        .map_err(|error| Failure::input(format!("invalid domain name `{zone}`: {error}")))?;
    let data = if flags.api {
        let params = DelegationParams {
            domain: zone.to_owned(),
            language: None,
        };
        let data = backend.client()?.data_from_parent_zone(&params).await?;
        if data.ns_list.is_empty() {
            return Err(Failure::not_found(format!(
                "the server cannot determine the delegation of `{zone}`: the parent zone \
                 has no delegation for it, or no parent server answered"
            )));
        }
        data
    } else {
        lookup_delegation(&name, &setup(flags)?)
            .await
            .map_err(Failure::not_found)?
    };
    print_delegation(&data, flags.json, out)?;
    Ok(0)
}

fn print_delegation(
    data: &DelegationData,
    as_json: bool,
    out: &mut Vec<u8>,
) -> Result<(), Failure> {
    if as_json {
        let json = serde_json::to_string(data).map_err(Failure::input)?;
        let _ = writeln!(out, "{json}");
        return Ok(());
    }
    let mut table = Table::new();
    table
        .load_preset(NOTHING)
        .set_header(["Name server", "Address"]);
    for entry in &data.ns_list {
        table.add_row([
            entry.ns.as_str(),
            entry.ip.as_deref().unwrap_or("(no address)"),
        ]);
    }
    let _ = writeln!(out, "{table}");
    if data.ds_list.is_empty() {
        let _ = writeln!(out, "\nNo DS records at the parent.");
    } else {
        let mut ds_table = Table::new();
        ds_table
            .load_preset(NOTHING)
            .set_header(["Key tag", "Algorithm", "Digest type", "Digest"]);
        for ds in &data.ds_list {
            ds_table.add_row([
                ds.keytag.to_string(),
                ds.algorithm.to_string(),
                ds.digtype.to_string(),
                ds.digest.clone(),
            ]);
        }
        let _ = writeln!(out, "\n{ds_table}");
    }
    Ok(())
}

pub async fn address(
    name_text: &str,
    flags: &LookupFlags,
    backend: &Backend,
    out: &mut Vec<u8>,
) -> Result<u8, Failure> {
    let name = parse_domain(name_text)
        .map_err(|error| Failure::input(format!("invalid domain name `{name_text}`: {error}")))?;
    let found: HostAddresses = if flags.api {
        backend.client()?.host_by_name(name_text).await?
    } else {
        lookup_addresses(&name, &setup(flags)?)
            .await
            .host_addresses(name_text)
    };
    let addresses: Vec<&String> = found
        .iter()
        .flat_map(|pair| pair.values())
        .filter(|address| address.as_str() != NO_ADDRESS)
        .collect();
    if flags.json {
        let json = serde_json::to_string(&found).map_err(Failure::input)?;
        let _ = writeln!(out, "{json}");
    } else {
        for address in &addresses {
            let _ = writeln!(out, "{address}");
        }
    }
    if addresses.is_empty() {
        return Err(Failure::not_found(format!(
            "no A or AAAA records found for `{name_text}`"
        )));
    }
    Ok(0)
}
