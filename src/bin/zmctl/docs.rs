//! Shell completions and manual pages, both made from the command
//! definitions themselves so they cannot drift from them.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::{Cli, Failure};

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    shell: Shell,
}

#[derive(Args)]
pub struct ManArgs {
    /// Directory to write `zmctl.1` and one page per subcommand
    /// (`zmctl-check.1`, …) into; created if missing.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

/// Writes the completion script for a shell to `out`.
pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "zmctl", out);
    Ok(0)
}

/// Writes the manual pages into a directory; prints the files written.
pub fn man(args: &ManArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    std::fs::create_dir_all(&args.dir).map_err(|error| {
        Failure::failed(format!("cannot create {}: {error}", args.dir.display()))
    })?;
    let written = write_pages(Cli::command(), &args.dir, "zmctl", "zmctl")?;
    for path in written {
        let _ = writeln!(out, "{}", path.display());
    }
    Ok(0)
}

/// The page of `command` (`page.1`, its synopsis starting `invocation`)
/// and, recursively, of each visible subcommand (`page-sub.1`).
fn write_pages(
    command: clap::Command,
    dir: &Path,
    page: &str,
    invocation: &str,
) -> Result<Vec<PathBuf>, Failure> {
    let command = command
        .disable_help_subcommand(true)
        .display_name(page.to_owned())
        .bin_name(invocation.to_owned());
    let path = dir.join(format!("{page}.1"));
    let mut text = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut text)
        .map_err(|error| Failure::failed(format!("cannot render {}: {error}", path.display())))?;
    std::fs::write(&path, text)
        .map_err(|error| Failure::failed(format!("cannot write {}: {error}", path.display())))?;
    let mut written = vec![path];
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = sub.get_name();
        written.extend(write_pages(
            sub.clone(),
            dir,
            &format!("{page}-{name}"),
            &format!("{invocation} {name}"),
        )?);
    }
    Ok(written)
}
