//! Signed fixture worlds, made when a test runs: the DNSSEC test cases
//! are tested against zones signed by `zonemaster::dnssec::sign` with
//! keys generated for the run, served by the real zm-testns inside a
//! private network namespace, and checked with the real `zmctl check`.
//!
//! The world is small: a root server (127.54.0.1) delegating `test.` to
//! two servers (`ns1.test.` 127.54.0.2, `ns2.test.` 127.54.0.3) whose
//! zone is signed and holds, for each child
//! zone a test adds, the delegation to two servers (127.54.N.1 and
//! 127.54.N.2, named `ns1.`/`ns2.` under the child) and the DS records
//! the test chooses. Each child server serves its own record list, so a
//! test can make one server differ from the other.

use std::fmt::Write as _;
use std::path::Path;
use std::time::SystemTime;

use hickory_proto::rr::rdata::{A, NS, SOA};
use hickory_proto::rr::{Name, RData, Record};
use serde_json::Value;
use zonemaster::dnssec::sign::{self, SigningKey, ZoneSigning};

use crate::netns::zmctl_checks;

/// A name from text.
pub fn name(text: &str) -> Name {
    Name::from_ascii(text).unwrap_or_else(|error| panic!("`{text}`: {error}"))
}

/// A child zone of the world: its name, its servers' addresses and its
/// unsigned base records (SOA, NS, the servers' addresses).
#[derive(Clone, Debug)]
pub struct Child {
    /// `LABEL.test.`
    pub name: Name,
    /// 127.54.N.1 and 127.54.N.2.
    pub addresses: [String; 2],
    /// SOA, the two NS records and their A records.
    pub base: Vec<Record>,
}

impl Child {
    /// `ns1.`/`ns2.` under the child.
    pub fn server_name(&self, index: usize) -> Name {
        self.name
            .prepend_label(format!("ns{}", index + 1))
            .expect("a server name")
    }
}

/// One child server: its records and extra Corefile lines.
struct Served {
    zone: Name,
    address: String,
    records: Vec<Record>,
    directives: String,
}

/// A world under construction.
pub struct SignedWorld {
    parent_key: SigningKey,
    now: SystemTime,
    children: Vec<Child>,
    delegations: Vec<Record>,
    served: Vec<Served>,
    parent_directives: [String; 2],
}

impl Default for SignedWorld {
    fn default() -> Self {
        Self::new()
    }
}

impl SignedWorld {
    /// An empty world whose signatures are made around the current time.
    pub fn new() -> Self {
        Self {
            parent_key: SigningKey::generate(13, sign::KSK).expect("a parent key"),
            now: SystemTime::now(),
            children: Vec::new(),
            delegations: Vec::new(),
            served: Vec::new(),
            parent_directives: [String::new(), String::new()],
        }
    }

    /// "Now" as the world's signatures are made around it.
    pub fn now(&self) -> SystemTime {
        self.now
    }

    /// The usual signing of a child: NSEC, validity around now.
    pub fn nsec(&self) -> ZoneSigning {
        ZoneSigning::nsec(self.now)
    }

    /// A new child `LABEL.test.` with its base records; nothing is served
    /// or delegated until [`SignedWorld::delegate`] and
    /// [`SignedWorld::serve`].
    pub fn child(&mut self, label: &str) -> Child {
        let index = self.children.len() + 1;
        assert!(index < 250, "too many children in one world");
        let zone = name(&format!("{label}.test."));
        let addresses = [format!("127.54.{index}.1"), format!("127.54.{index}.2")];
        let mut base = vec![Record::from_rdata(
            zone.clone(),
            3600,
            RData::SOA(SOA::new(
                zone.prepend_label("ns1").expect("a name"),
                zone.prepend_label("hostmaster").expect("a name"),
                2_026_120_601,
                21_600,
                3_600,
                1_209_600,
                3_600,
            )),
        )];
        let child = Child {
            name: zone.clone(),
            addresses: addresses.clone(),
            base: Vec::new(),
        };
        for (server, address) in addresses.iter().enumerate() {
            let host = child.server_name(server);
            base.push(Record::from_rdata(
                zone.clone(),
                3600,
                RData::NS(NS(host.clone())),
            ));
            base.push(Record::from_rdata(host, 3600, RData::A(address_a(address))));
        }
        let child = Child { base, ..child };
        self.children.push(child.clone());
        child
    }

    /// The parent delegates `child` to its two servers, with glue and the
    /// DS records `ds` (made by `SigningKey::ds_record` or
    /// `sign::ds_record`).
    pub fn delegate(&mut self, child: &Child, ds: &[Record]) {
        for (server, address) in child.addresses.iter().enumerate() {
            let host = child.server_name(server);
            self.delegations.push(Record::from_rdata(
                child.name.clone(),
                3600,
                RData::NS(NS(host.clone())),
            ));
            self.delegations
                .push(Record::from_rdata(host, 3600, RData::A(address_a(address))));
        }
        self.delegations.extend(ds.iter().cloned());
    }

    /// Server `index` (0 or 1) of `child` serves `records`.
    pub fn serve(&mut self, child: &Child, index: usize, records: Vec<Record>) {
        self.serve_with(child, index, records, "");
    }

    /// Both servers of `child` serve `records`.
    pub fn serve_both(&mut self, child: &Child, records: &[Record]) {
        self.serve(child, 0, records.to_vec());
        self.serve(child, 1, records.to_vec());
    }

    /// Server `index` of `child` serves `records`, with extra Corefile
    /// lines in its block (`acl`, `template`, `header`: see the
    /// conformance README's directive table).
    pub fn serve_with(
        &mut self,
        child: &Child,
        index: usize,
        records: Vec<Record>,
        directives: &str,
    ) {
        self.served.push(Served {
            zone: child.name.clone(),
            address: child.addresses[index].clone(),
            records,
            directives: directives.to_owned(),
        });
    }

    /// Extra Corefile lines in the block of parent server `index` (0 for
    /// `ns1.test.`, 1 for `ns2.test.`): a `template` for one child's DS
    /// makes the two parents disagree.
    pub fn parent_with(&mut self, index: usize, directives: &str) {
        self.parent_directives[index].push_str(directives);
        self.parent_directives[index].push('\n');
    }

    /// Writes the world to `dir`: zone files, `main.cfg`, `hints.zone`.
    fn write(&self, dir: &Path) {
        let write = |file: &str, text: &str| {
            std::fs::write(dir.join(file), text).unwrap_or_else(|error| panic!("{file}: {error}"));
        };
        let root = "\
. 86400 IN SOA a.root.test. hostmaster.root.test. 1 1800 900 604800 86400
. 86400 IN NS a.root.test.
a.root.test. 86400 IN A 127.54.0.1
test. 86400 IN NS ns1.test.
test. 86400 IN NS ns2.test.
ns1.test. 86400 IN A 127.54.0.2
ns2.test. 86400 IN A 127.54.0.3
";
        write("root.zone", root);
        write(
            "hints.zone",
            ". 3600000 NS a.root.test.\na.root.test. 3600000 A 127.54.0.1\n",
        );
        let parent = name("test.");
        let mut records = vec![
            Record::from_rdata(
                parent.clone(),
                86400,
                RData::SOA(SOA::new(
                    name("ns1.test."),
                    name("hostmaster.test."),
                    1,
                    1800,
                    900,
                    604_800,
                    3600,
                )),
            ),
            Record::from_rdata(parent.clone(), 86400, RData::NS(NS(name("ns1.test.")))),
            Record::from_rdata(parent.clone(), 86400, RData::NS(NS(name("ns2.test.")))),
            Record::from_rdata(name("ns1.test."), 86400, RData::A(A::new(127, 54, 0, 2))),
            Record::from_rdata(name("ns2.test."), 86400, RData::A(A::new(127, 54, 0, 3))),
        ];
        records.extend(self.delegations.iter().cloned());
        let signed = sign::sign_zone(&parent, &records, &[&self.parent_key], &self.nsec())
            .expect("the parent signs");
        write(
            "test.zone",
            &sign::zone_file_text(&signed).expect("zone text"),
        );
        let mut config = String::from(". {\n    bind 127.54.0.1\n    file root.zone .\n}\n");
        for (address, directives) in ["127.54.0.2", "127.54.0.3"]
            .iter()
            .zip(&self.parent_directives)
        {
            let _ = write!(
                config,
                "test. {{\n    bind {address}\n    file test.zone test.\n{directives}}}\n"
            );
        }
        for (index, served) in self.served.iter().enumerate() {
            let file = format!("child-{index}.zone");
            write(
                &file,
                &sign::zone_file_text(&served.records).expect("zone text"),
            );
            let zone = served.zone.to_ascii();
            let _ = write!(
                config,
                "{zone} {{\n    bind {}\n    file {file} {zone}\n{}\n}}\n",
                served.address, served.directives
            );
        }
        write("main.cfg", &config);
    }

    /// Runs each `(zone, test selection)` (`dnssec07` is short for
    /// `dnssec/dnssec07`) with `zmctl check --json --level
    /// DEBUG` (fast profile) in the world, at once, and returns each run's
    /// messages. `extra` arguments go to every run (`--ds …`, `--now …`).
    pub fn check(&self, runs: &[(&str, &str)], extra: &[&str]) -> Vec<Vec<Value>> {
        let dir = tempfile::tempdir().expect("a temporary directory");
        self.write(dir.path());
        let runs: Vec<(String, String)> = runs
            .iter()
            .map(|(zone, test)| ((*zone).to_owned(), selection(test)))
            .collect();
        let extra: Vec<String> = extra.iter().map(|arg| (*arg).to_owned()).collect();
        let outputs = zmctl_checks(dir.path(), &runs, &extra);
        drop(dir);
        outputs
            .iter()
            .map(|output| {
                let json: Value = serde_json::from_slice(&output.stdout)
                    .unwrap_or_else(|error| panic!("JSON output ({error}): {output:?}"));
                json["results"].as_array().expect("results").clone()
            })
            .collect()
    }
}

/// `dnssec07` → `dnssec/dnssec07`; a module or `module/case` as given.
fn selection(test: &str) -> String {
    match test.strip_prefix("dnssec") {
        Some(number) if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
            format!("dnssec/{test}")
        }
        _ => test.to_owned(),
    }
}

fn address_a(text: &str) -> A {
    A(text
        .parse()
        .unwrap_or_else(|error| panic!("`{text}`: {error}")))
}

/// The tags of `results`, in order.
pub fn tags(results: &[Value]) -> Vec<String> {
    results
        .iter()
        .filter_map(|message| message["tag"].as_str().map(str::to_owned))
        .collect()
}

/// The arguments of every message tagged `tag`.
pub fn args_of(results: &[Value], tag: &str) -> Vec<Value> {
    results
        .iter()
        .filter(|message| message["tag"] == tag)
        .map(|message| message["args"].clone())
        .collect()
}

/// The level of the first message tagged `tag`.
pub fn level_of(results: &[Value], tag: &str) -> Option<String> {
    results
        .iter()
        .find(|message| message["tag"] == tag)
        .and_then(|message| message["level"].as_str().map(str::to_owned))
}

/// A smoke test of the harness itself: a signed child with its DS in the
/// parent is seen signed by DNSSEC07, with its DS.
#[test]
fn a_signed_child_with_ds_is_seen_signed() {
    let mut world = SignedWorld::new();
    let child = world.child("signed");
    let ksk = SigningKey::generate(13, sign::KSK).expect("a key");
    let zsk = SigningKey::generate(13, sign::ZSK).expect("a key");
    let signed =
        sign::sign_zone(&child.name, &child.base, &[&ksk, &zsk], &world.nsec()).expect("signed");
    let ds = ksk.ds_record(&child.name, 3600, 2).expect("a DS");
    world.delegate(&child, &[ds]);
    world.serve_both(&child, &signed);
    let unsigned = world.child("unsigned");
    world.delegate(&unsigned, &[]);
    world.serve_both(&unsigned, &unsigned.base);
    let results = world.check(
        &[("signed.test", "dnssec07"), ("unsigned.test", "dnssec07")],
        &[],
    );
    let signed_tags = tags(&results[0]);
    assert!(
        signed_tags.contains(&"DS07_DS_FOR_SIGNED_ZONE".to_owned()),
        "{signed_tags:?}"
    );
    let unsigned_tags = tags(&results[1]);
    assert!(
        unsigned_tags.contains(&"DS07_NOT_SIGNED".to_owned()),
        "{unsigned_tags:?}"
    );
}
