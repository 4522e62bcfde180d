//! The zm-testns command line: errors are clear and exit with code 2.
//!
//! Besides checking that, this integration test makes `cargo test
//! --workspace` build the zm-testns binary, which the networked tests of
//! the main package start.

use std::process::Command;

fn testns() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zm-testns"))
}

/// A world directory holding `main.cfg` with `config`.
fn world_with(config: &str) -> tempfile::TempDir {
    let directory = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(directory.path().join("main.cfg"), config).expect("config written");
    directory
}

/// zm-testns run to completion over `directory`.
fn serve_once(directory: &tempfile::TempDir) -> std::process::Output {
    testns()
        .args(["--zones", &directory.path().display().to_string()])
        .output()
        .expect("zm-testns runs")
}

#[test]
fn unknown_directive_is_reported_with_file_and_line() {
    let directory = world_with("example. {\n    bind 127.0.0.1\n    frobnicate\n}\n");
    let output = serve_once(&directory);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("main.cfg:3") && stderr.contains("frobnicate"),
        "{stderr}"
    );
}

#[test]
fn missing_world_and_missing_zone_file_exit_2() {
    let output = testns()
        .args(["--zones", "/nonexistent/world"])
        .output()
        .expect("zm-testns runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));

    let directory = world_with("example. {\n    bind 127.0.0.1\n    file missing.zone\n}\n");
    let output = serve_once(&directory);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("main.cfg:3"));
}

#[test]
fn bad_zone_record_is_skipped_with_its_line_and_the_server_still_starts() {
    use std::io::{BufRead, BufReader};
    let directory = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        directory.path().join("main.cfg"),
        "example. {\n    bind 127.0.0.1\n    file example.zone\n}\n",
    )
    .expect("config written");
    std::fs::write(
        directory.path().join("example.zone"),
        "$TTL 1h\n@ SOA a b 1 2 3 4 5\n@ IN A not-an-address\n",
    )
    .expect("zone written");
    let mut child = testns()
        .args([
            "--zones",
            &directory.path().display().to_string(),
            "--port",
            "0",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("zm-testns starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let first_line = BufReader::new(stdout).lines().next();
    child.kill().expect("zm-testns stops");
    let output = child.wait_with_output().expect("zm-testns ends");
    assert!(first_line.is_some_and(|line| line.is_ok_and(|line| line.contains("ready"))));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("record skipped") && stderr.contains("IPv4"),
        "{stderr}"
    );
}
