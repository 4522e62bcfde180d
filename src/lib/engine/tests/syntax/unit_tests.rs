//! Unit tests of SYNTAX01–08 and of the module's skip rules in scripted
//! worlds ([`crate::engine::testing`]): a zone that passes, and zones that
//! fail each way the spec (§3.8) names.

use std::sync::Arc;
use std::time::SystemTime;

use crate::engine::check::{CheckRequest, run_check};
use crate::engine::level::Level;
use crate::engine::module::Module;
use crate::engine::profile::Profile;
use crate::engine::runner::Selection;
use crate::engine::testing::{Emitted, TestRun, World};
use hickory_proto::rr::Name;

const ZONE: &str = "example.com.";

/// A name from text; labels hickory's parser refuses (a leading hyphen,
/// an `@`) are taken as they are.
fn raw_name(text: &str) -> Name {
    Name::from_ascii(text).unwrap_or_else(|_| {
        let labels = text.trim_end_matches('.').split('.').map(str::as_bytes);
        let mut name = Name::from_labels(labels).unwrap();
        name.set_fqdn(true);
        name
    })
}

/// Runs a test case that only reads the zone's name on `zone`, in a world
/// of just the root.
fn on_name(zone: &str, test_case: &str) -> Emitted {
    TestRun::new(&World::with_parents("."), ".", test_case)
        .zone(raw_name(zone))
        .run()
}

/// The test cases module Syntax ran on `zone` in `world`, in order.
fn syntax_cases_run(world: &World, zone: &str) -> Vec<String> {
    let request = CheckRequest {
        zone: raw_name(zone),
        selections: vec![Selection::Module(Module::Syntax)],
        profile: Arc::new(Profile::default()),
        hints: world.root_hints(),
        fake: None,
        transport: Arc::new(world.clone()),
        now: SystemTime::now(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = runtime.block_on(run_check(request, &|_| {}));
    result
        .messages
        .iter()
        .filter(|message| message.tag_name() == "TEST_CASE_START")
        .filter_map(|message| message.arg("testcase"))
        .collect()
}

// ---- SYNTAX01 --------------------------------------------------------------

#[test]
fn syntax01_letters_digits_and_hyphens_are_allowed() {
    for zone in [ZONE, "xn--rksmrgs-5wao1o.se.", "A-1.b2.se.", "-a-.se."] {
        let emitted = on_name(zone, "syntax01");
        assert_eq!(emitted.tags(), ["ONLY_ALLOWED_CHARS"], "{zone}");
        let shown = zone.trim_end_matches('.').to_lowercase();
        assert_eq!(emitted.arg("ONLY_ALLOWED_CHARS", "domain"), [shown]);
        assert_eq!(emitted.level_of("ONLY_ALLOWED_CHARS"), Some(Level::Info));
    }
}

#[test]
fn syntax01_the_root_is_legal() {
    let emitted = on_name(".", "syntax01");
    assert_eq!(emitted.arg("ONLY_ALLOWED_CHARS", "domain"), ["."]);
}

#[test]
fn syntax01_other_characters_are_not() {
    for zone in ["ex_ample.com.", "_dmarc.example.com.", "a@b.se.", "*.se."] {
        let emitted = on_name(zone, "syntax01");
        assert_eq!(emitted.tags(), ["NON_ALLOWED_CHARS"], "{zone}");
        assert_eq!(
            emitted.arg("NON_ALLOWED_CHARS", "domain").len(),
            1,
            "{zone}"
        );
        assert_eq!(emitted.level_of("NON_ALLOWED_CHARS"), Some(Level::Error));
    }
}

// ---- SYNTAX02 --------------------------------------------------------------

#[test]
fn syntax02_no_hyphen_at_label_ends() {
    let emitted = on_name("a-b.example.com.", "syntax02");
    assert_eq!(emitted.tags(), ["NO_ENDING_HYPHENS"]);
    assert_eq!(
        emitted.arg("NO_ENDING_HYPHENS", "domain"),
        ["a-b.example.com"]
    );
    assert_eq!(emitted.level_of("NO_ENDING_HYPHENS"), Some(Level::Info));
}

#[test]
fn syntax02_each_offending_label_is_named() {
    let emitted = on_name("-ab.cd-.-e-.com.", "syntax02");
    assert_eq!(
        emitted.tags(),
        [
            "INITIAL_HYPHEN",
            "TERMINAL_HYPHEN",
            "INITIAL_HYPHEN",
            "TERMINAL_HYPHEN"
        ]
    );
    assert_eq!(emitted.arg("INITIAL_HYPHEN", "label"), ["-ab", "-e-"]);
    assert_eq!(emitted.arg("TERMINAL_HYPHEN", "label"), ["cd-", "-e-"]);
    assert_eq!(
        emitted.arg("INITIAL_HYPHEN", "domain")[0],
        "-ab.cd-.-e-.com"
    );
    assert_eq!(emitted.level_of("INITIAL_HYPHEN"), Some(Level::Error));
    assert_eq!(emitted.level_of("TERMINAL_HYPHEN"), Some(Level::Error));
}

#[test]
fn syntax02_the_root_has_no_labels_to_judge() {
    assert_eq!(on_name(".", "syntax02").tags(), Vec::<&str>::new());
}

// ---- SYNTAX03 --------------------------------------------------------------

#[test]
fn syntax03_idn_labels_may_have_a_double_dash() {
    let emitted = on_name("XN--rksmrgs-5wao1o.a--b.se.", "syntax03");
    assert_eq!(emitted.tags(), ["NO_DOUBLE_DASH"]);
    assert_eq!(
        emitted.arg("NO_DOUBLE_DASH", "domain"),
        ["xn--rksmrgs-5wao1o.a--b.se"]
    );
    assert_eq!(emitted.level_of("NO_DOUBLE_DASH"), Some(Level::Info));
}

#[test]
fn syntax03_other_labels_may_not() {
    let emitted = on_name("AB--cd.zz--.com.", "syntax03");
    assert_eq!(
        emitted.tags(),
        ["DISCOURAGED_DOUBLE_DASH", "DISCOURAGED_DOUBLE_DASH"]
    );
    assert_eq!(
        emitted.arg("DISCOURAGED_DOUBLE_DASH", "label"),
        ["ab--cd", "zz--"]
    );
    assert_eq!(
        emitted.arg("DISCOURAGED_DOUBLE_DASH", "domain")[0],
        "ab--cd.zz--.com"
    );
    assert_eq!(
        emitted.level_of("DISCOURAGED_DOUBLE_DASH"),
        Some(Level::Warning)
    );
}

// ---- Skip rules (spec §2.2) ------------------------------------------------

#[test]
fn an_illegal_zone_name_stops_the_module_after_syntax03() {
    let ran = syntax_cases_run(&World::with_parents("."), "ex_ample.com.");
    assert_eq!(ran, ["Syntax01", "Syntax02", "Syntax03"]);
}
