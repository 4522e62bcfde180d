//! DNSSEC benchmark: RRSIG verifications per second per algorithm, the
//! whole path a test case takes (canonical signed data, then the
//! signature check), over a DNSKEY RRset of two keys as zones publish it.
//!
//! `cargo bench --bench dnssec`. Knob: `ZM_BENCH_SECONDS` per algorithm
//! (default 1). Keys are made for the run by our signer. Prints one table;
//! nothing here is a pass/fail threshold.

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark harness: a failed unwrap is a failed run"
)]

use std::time::{Duration, Instant, SystemTime};

use hickory_proto::rr::{Name, Record};
use zonemaster::dnssec::sign::{self, SigningKey, Validity};
use zonemaster::dnssec::verify::Verdict;
use zonemaster::dnssec::verify_rrsig;

fn main() {
    let seconds: u64 = std::env::var("ZM_BENCH_SECONDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(1);
    let owner = Name::from_ascii("example.test.").unwrap();
    let cases: &[(u8, Option<usize>, &str)] = &[
        (5, Some(2048), "RSASHA1 2048"),
        (7, Some(2048), "RSASHA1-NSEC3-SHA1 2048"),
        (8, Some(1024), "RSASHA256 1024"),
        (8, Some(2048), "RSASHA256 2048"),
        (8, Some(4096), "RSASHA256 4096"),
        (10, Some(2048), "RSASHA512 2048"),
        (13, None, "ECDSAP256SHA256"),
        (14, None, "ECDSAP384SHA384"),
        (15, None, "ED25519"),
        (16, None, "ED448"),
    ];
    println!("DNSSEC RRSIG verification over a 2-key DNSKEY RRset, {seconds} s per algorithm");
    println!(
        "{:<26} {:>6} {:>14} {:>12}",
        "algorithm", "number", "verifications/s", "µs each"
    );
    let mut ecdsa_rate = None;
    let mut rows = Vec::new();
    for &(algorithm, bits, label) in cases {
        let (ksk, zsk) = match bits {
            Some(bits) => (
                SigningKey::generate_rsa(algorithm, sign::KSK, bits).unwrap(),
                SigningKey::generate_rsa(algorithm, sign::ZSK, bits).unwrap(),
            ),
            None => (
                SigningKey::generate(algorithm, sign::KSK).unwrap(),
                SigningKey::generate(algorithm, sign::ZSK).unwrap(),
            ),
        };
        let rrset: Vec<Record> = vec![
            ksk.dnskey_record(&owner, 3600),
            zsk.dnskey_record(&owner, 3600),
        ];
        let signature = ksk
            .sign_rrset(&rrset, &owner, Validity::usual(SystemTime::now()))
            .unwrap();
        let rrsig = sign::rrsig_of(&signature).unwrap().clone();
        let dnskey = ksk.dnskey();
        assert_eq!(
            verify_rrsig(&rrsig, &dnskey, &rrset),
            Verdict::Valid,
            "{label}"
        );
        let budget = Duration::from_secs(seconds);
        let started = Instant::now();
        let mut count: u64 = 0;
        while started.elapsed() < budget {
            for _ in 0..16 {
                let verdict = verify_rrsig(&rrsig, &dnskey, &rrset);
                std::hint::black_box(verdict);
            }
            count += 16;
        }
        let elapsed = started.elapsed().as_secs_f64();
        let rate = count as f64 / elapsed;
        if algorithm == 13 {
            ecdsa_rate = Some(rate);
        }
        rows.push((label, algorithm, rate));
        println!(
            "{label:<26} {algorithm:>6} {rate:>14.0} {:>12.1}",
            1e6 / rate
        );
    }
    if let Some(base) = ecdsa_rate {
        println!();
        println!("Ratios to ECDSAP256SHA256 (13):");
        for (label, _, rate) in rows {
            println!("  {label:<26} {:>6.2}×", rate / base);
        }
    }
}
