//! Writes the benchmark's large zone: a TLD-like `large-tld.` with 13 name
//! servers, each with an IPv4 and an IPv6 address, signed (RSA/SHA-256
//! KSK and ZSK, NSEC3 with opt-out) under a signed root holding its DS,
//! with a few hundred delegations, some of them secure. Everything is
//! signed when this runs, around the current time, with keys made for the
//! run: nothing signed is ever committed.
//!
//!     cargo run --release --example large-world -- DIR
//!
//! DIR gets `main.cfg` (for `zm-testns --zones DIR --setup-lo`), the zone
//! files and `hints.zone`. Addresses: the root on 127.60.0.1 and fd60::1,
//! the TLD's servers on 127.60.1.N and fd60::1:N (N = 1…13), the servers
//! of its delegations on 127.60.2.1 and 127.60.2.2 (not served: the TLD's
//! own test never asks them).

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use hickory_proto::rr::rdata::{A, AAAA, MX, NS, SOA, TXT};
use hickory_proto::rr::{Name, RData, Record};
use zonemaster::dnssec::sign::{self, Denial, SigningKey, ZoneSigning};

/// The zone under test.
const TLD: &str = "large-tld.";
/// Its name servers: `a.nic.large-tld.` … `m.nic.large-tld.`.
const SERVERS: u8 = 13;
/// Delegations below it; one in ten is signed (has a DS).
const DELEGATIONS: usize = 300;

fn name(text: &str) -> Result<Name, String> {
    Name::from_ascii(text).map_err(|error| format!("`{text}`: {error}"))
}

fn server_name(index: u8) -> Result<Name, String> {
    name(&format!("{}.nic.{TLD}", char::from(b'a' + index)))
}

fn v4(index: u8) -> Ipv4Addr {
    Ipv4Addr::new(127, 60, 1, index + 1)
}

fn v6(index: u8) -> Ipv6Addr {
    Ipv6Addr::new(0xfd60, 0, 0, 0, 0, 0, 1, u16::from(index) + 1)
}

fn soa(zone: &Name, mname: &Name) -> Result<Record, String> {
    let rname = zone
        .prepend_label("hostmaster")
        .map_err(|e| e.to_string())?;
    Ok(Record::from_rdata(
        zone.clone(),
        86_400,
        RData::SOA(SOA::new(
            mname.clone(),
            rname,
            2_026_120_601,
            1_800,
            900,
            1_209_600,
            3_600,
        )),
    ))
}

fn tld_records(ds_of_children: &[Record]) -> Result<Vec<Record>, String> {
    let tld = name(TLD)?;
    let mut records = vec![soa(&tld, &server_name(0)?)?];
    for index in 0..SERVERS {
        let host = server_name(index)?;
        records.push(Record::from_rdata(
            tld.clone(),
            172_800,
            RData::NS(NS(host.clone())),
        ));
        records.push(Record::from_rdata(
            host.clone(),
            172_800,
            RData::A(A(v4(index))),
        ));
        records.push(Record::from_rdata(
            host,
            172_800,
            RData::AAAA(AAAA(v6(index))),
        ));
    }
    // What a registry's zone apex tends to carry besides.
    let mail = name(&format!("mx.nic.{TLD}"))?;
    records.push(Record::from_rdata(
        tld.clone(),
        3_600,
        RData::MX(MX::new(10, mail.clone())),
    ));
    records.push(Record::from_rdata(
        mail,
        3_600,
        RData::A(A(Ipv4Addr::new(127, 60, 3, 1))),
    ));
    records.push(Record::from_rdata(
        tld.clone(),
        3_600,
        RData::TXT(TXT::new(vec!["v=spf1 -all".to_owned()])),
    ));
    for index in 0..DELEGATIONS {
        let child = name(&format!("domain{index:04}.{TLD}"))?;
        for (server, address) in [(1u8, 1u8), (2, 2)] {
            let host = name(&format!("ns{server}.domain{index:04}.{TLD}"))?;
            records.push(Record::from_rdata(
                child.clone(),
                86_400,
                RData::NS(NS(host.clone())),
            ));
            records.push(Record::from_rdata(
                host,
                86_400,
                RData::A(A(Ipv4Addr::new(127, 60, 2, address))),
            ));
        }
    }
    records.extend(ds_of_children.iter().cloned());
    Ok(records)
}

/// DS records for one delegation in ten, made from throwaway keys (the
/// children are not served; the TLD only has to hold signed DS RRsets).
fn children_ds() -> Result<Vec<Record>, String> {
    let key = SigningKey::generate(13, sign::KSK).map_err(|e| e.to_string())?;
    (0..DELEGATIONS)
        .step_by(10)
        .map(|index| {
            let child = name(&format!("domain{index:04}.{TLD}"))?;
            key.ds_record(&child, 86_400, 2).map_err(|e| e.to_string())
        })
        .collect()
}

fn write(dir: &Path, file: &str, text: &str) -> Result<(), String> {
    std::fs::write(dir.join(file), text).map_err(|error| format!("{file}: {error}"))
}

fn run(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let now = SystemTime::now();
    let generate = |algorithm: u8, flags: u16, bits: usize| {
        SigningKey::generate_rsa(algorithm, flags, bits).map_err(|e| e.to_string())
    };
    let tld_ksk = generate(8, sign::KSK, 2048)?;
    let tld_zsk = generate(8, sign::ZSK, 1280)?;
    let tld = name(TLD)?;
    let signing = ZoneSigning {
        denial: Denial::Nsec3 {
            iterations: 0,
            salt: Vec::new(),
            opt_out: true,
        },
        ..ZoneSigning::nsec(now)
    };
    let signed_tld = sign::sign_zone(
        &tld,
        &tld_records(&children_ds()?)?,
        &[&tld_ksk, &tld_zsk],
        &signing,
    )
    .map_err(|e| e.to_string())?;
    write(
        dir,
        "large-tld.zone",
        &sign::zone_file_text(&signed_tld).map_err(|e| e.to_string())?,
    )?;

    let root = Name::root();
    let root_server = name("a.root-servers.large.")?;
    let mut root_records = vec![
        soa(&root, &root_server)?,
        Record::from_rdata(root.clone(), 518_400, RData::NS(NS(root_server.clone()))),
        Record::from_rdata(
            root_server.clone(),
            518_400,
            RData::A(A(Ipv4Addr::new(127, 60, 0, 1))),
        ),
        Record::from_rdata(
            root_server,
            518_400,
            RData::AAAA(AAAA(Ipv6Addr::new(0xfd60, 0, 0, 0, 0, 0, 0, 1))),
        ),
        tld_ksk
            .ds_record(&tld, 86_400, 2)
            .map_err(|e| e.to_string())?,
    ];
    for record in tld_records(&[])? {
        let is_delegation = record.name == tld && matches!(record.data, RData::NS(_));
        let is_glue = record.name.num_labels() == 3
            && record.name.to_ascii().ends_with(&format!(".nic.{TLD}"))
            && matches!(record.data, RData::A(_) | RData::AAAA(_))
            && !record.name.to_ascii().starts_with("mx.");
        if is_delegation || is_glue {
            root_records.push(record);
        }
    }
    let root_key = SigningKey::generate(13, sign::KSK).map_err(|e| e.to_string())?;
    let signed_root = sign::sign_zone(&root, &root_records, &[&root_key], &ZoneSigning::nsec(now))
        .map_err(|e| e.to_string())?;
    write(
        dir,
        "root.zone",
        &sign::zone_file_text(&signed_root).map_err(|e| e.to_string())?,
    )?;

    write(
        dir,
        "hints.zone",
        ". 3600000 NS a.root-servers.large.\n\
         a.root-servers.large. 3600000 A 127.60.0.1\n\
         a.root-servers.large. 3600000 AAAA fd60::1\n",
    )?;
    let mut config = String::from(". {\n    bind 127.60.0.1 fd60::1\n    file root.zone .\n}\n");
    for index in 0..SERVERS {
        let _ = write!(
            config,
            "{TLD} {{\n    bind {} {}\n    file large-tld.zone {TLD}\n}}\n",
            v4(index),
            v6(index)
        );
    }
    write(dir, "main.cfg", &config)
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: cargo run --release --example large-world -- DIR");
        return ExitCode::from(2);
    };
    match run(&dir) {
        Ok(()) => {
            println!("large world written to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("large-world: {error}");
            ExitCode::FAILURE
        }
    }
}
