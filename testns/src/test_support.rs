//! Test support for the misbehaviour modules: a world of one block on
//! [`LOCAL`] built from configuration text, and the error a bad directive
//! gives.

use crate::answer::World;

/// The address every test block binds.
pub const LOCAL: &str = "127.0.0.1";

/// The zone `example.` most tests serve.
pub const EXAMPLE_ZONE: &str =
    "$ORIGIN example.\n$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\nns A 127.0.0.1\n";

/// A world of one block `block` on [`LOCAL`] with `directives`, serving
/// `zone_text` as `example.`.
pub fn world(block: &str, zone_text: &str, directives: &str) -> World {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(directory.path().join("example.zone"), zone_text).unwrap();
    let config =
        format!("{block} {{\n bind {LOCAL}\n {directives}\n file example.zone example.\n}}\n");
    let path = directory.path().join("main.cfg");
    std::fs::write(&path, config).unwrap();
    let blocks = crate::corefile::parse_file(&path).unwrap();
    World::new(crate::config::build(&blocks, directory.path()).unwrap())
}

/// The configuration error of a `.` block on [`LOCAL`] with `directives`.
pub fn config_error(directives: &str) -> String {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("main.cfg");
    std::fs::write(&path, format!(". {{\n bind {LOCAL}\n {directives}\n}}\n")).unwrap();
    let blocks = crate::corefile::parse_file(&path).unwrap();
    crate::config::build(&blocks, directory.path())
        .unwrap_err()
        .to_string()
}
