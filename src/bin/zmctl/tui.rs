//! `zmctl tui`: starts the dashboard (`zonemaster::tui`) on this terminal.

use std::io::IsTerminal;

use clap::Args;
use zonemaster::tui::TuiOptions;

use crate::api::{Backend, CredentialFlags};
use crate::{EXIT_OK, Failure};

/// `zmctl tui`'s flags.
#[derive(Args)]
pub struct TuiArgs {
    /// The API user and key; only cancelling a batch needs them.
    #[command(flatten)]
    pub credentials: CredentialFlags,
    /// Use the mouse: the wheel scrolls lists, a click shows a tab or selects a row, a second click opens it (the terminal's own text selection then needs Shift).
    #[arg(long)]
    pub mouse: bool,
}

/// Runs the dashboard until `q` or Ctrl-C.
pub async fn tui(backend: &Backend, args: TuiArgs) -> Result<u8, Failure> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure::input(
            "zmctl tui needs a terminal (stdin and stdout may not be redirected)",
        ));
    }
    let client = backend.client()?;
    // Without credentials the dashboard still runs; cancelling says why not.
    let credentials = backend
        .credentials(&args.credentials)
        .ok()
        .map(|c| (c.user, c.api_key));
    let options = TuiOptions {
        credentials,
        is_mouse_enabled: args.mouse,
    };
    zonemaster::tui::run(client, options)
        .await
        .map_err(|error| Failure::failed(zonemaster::error_chain(&error)))?;
    Ok(EXIT_OK)
}
