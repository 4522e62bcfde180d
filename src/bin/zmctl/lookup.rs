//! `zmctl lookup`: delegation and address look-ups by iterative resolution.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use zonemaster::dns::{LiveTransport, QueryOptions};
use zonemaster::engine::name::parse_domain;
use zonemaster::engine::{IpFamilies, RootHints};
use zonemaster::lookup::{LookupSetup, lookup_addresses, lookup_delegation};

use crate::{Failure, LookupFlags};
use comfy_table::{Table, presets::NOTHING};

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

pub async fn delegation(zone: &str, flags: &LookupFlags, out: &mut Vec<u8>) -> Result<u8, Failure> {
    let name = parse_domain(zone)
        .map_err(|error| Failure::input(format!("invalid domain name `{zone}`: {error}")))?;
    let setup = setup(flags)?;
    let data = lookup_delegation(&name, &setup)
        .await
        .map_err(Failure::not_found)?;
    if flags.json {
        let json = serde_json::to_string(&data).map_err(Failure::input)?;
        let _ = writeln!(out, "{json}");
        return Ok(0);
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
    Ok(0)
}

pub async fn address(
    name_text: &str,
    flags: &LookupFlags,
    out: &mut Vec<u8>,
) -> Result<u8, Failure> {
    let name = parse_domain(name_text)
        .map_err(|error| Failure::input(format!("invalid domain name `{name_text}`: {error}")))?;
    let setup = setup(flags)?;
    let found = lookup_addresses(&name, &setup).await;
    if flags.json {
        let json =
            serde_json::to_string(&found.host_addresses(name_text)).map_err(Failure::input)?;
        let _ = writeln!(out, "{json}");
    } else {
        for address in &found.addresses {
            let _ = writeln!(out, "{address}");
        }
    }
    if found.addresses.is_empty() {
        return Err(Failure::not_found(format!(
            "no A or AAAA records found for `{name_text}`"
        )));
    }
    Ok(0)
}
