//! The loop: draw, then wait for a key, a tick, an API reply or Ctrl-C,
//! apply it, start the calls it asks for, and draw again.

use std::sync::Arc;
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use crate::client::Client;

use super::action::{self, Action};
use super::api;
use super::app::{AppState, Credentials};
use super::theme::Theme;
use super::update;
use super::view::Screen;

/// How often the shown view refreshes and the back-off counts.
const TICK: Duration = Duration::from_secs(1);

/// How long the key reader waits before checking whether the loop ended.
const KEY_POLL: Duration = Duration::from_millis(100);

/// How `zmctl tui` was started.
#[derive(Clone, Debug, Default)]
pub struct TuiOptions {
    /// The API user and key, for cancelling batches.
    pub credentials: Option<(String, String)>,
    /// Scroll with the mouse wheel, click tabs and rows.
    pub is_mouse_enabled: bool,
}

/// Why the dashboard stopped early.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The terminal could not be drawn on or read.
    #[error("terminal error")]
    Terminal(#[from] std::io::Error),
}

/// Runs the dashboard of `client`'s server until `q` or Ctrl-C. The
/// terminal is restored on every way out, a panic included
/// (`ratatui::init` installs the hook).
pub async fn run(client: Client, options: TuiOptions) -> Result<(), TuiError> {
    let mut terminal = ratatui::init();
    if options.is_mouse_enabled {
        execute!(std::io::stdout(), EnableMouseCapture)?;
    }
    let outcome = event_loop(&mut terminal, client, &options).await;
    if options.is_mouse_enabled {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
    }
    ratatui::restore();
    outcome
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    client: Client,
    options: &TuiOptions,
) -> Result<(), TuiError> {
    let mut state = AppState::new(client.url(), Theme::from_environment());
    state.credentials = options
        .credentials
        .clone()
        .map(|(user, api_key)| Credentials { user, api_key });
    let client = Arc::new(client);
    let (reply_sender, mut replies) = mpsc::unbounded_channel();
    let mut events = read_events();
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    ticks.tick().await;
    for request in update::startup(&mut state) {
        api::spawn(client.clone(), request, reply_sender.clone());
    }
    while !state.should_quit {
        terminal.draw(|frame| frame.render_widget(Screen(&state), frame.area()))?;
        let action = tokio::select! {
            event = events.recv() => match event {
                Some(Ok(event)) => action::from_event(&event, state.input_mode()),
                Some(Err(error)) => return Err(error.into()),
                None => Some(Action::Quit),
            },
            Some(reply) = replies.recv() => Some(Action::Reply(Box::new(reply))),
            _ = ticks.tick() => Some(Action::Tick),
            _ = tokio::signal::ctrl_c() => Some(Action::Quit),
        };
        let Some(action) = action else { continue };
        for request in update::update(&mut state, action) {
            api::spawn(client.clone(), request, reply_sender.clone());
        }
    }
    Ok(())
}

/// Terminal events from a thread of their own (crossterm's reads block),
/// until the receiver is dropped.
fn read_events() -> mpsc::UnboundedReceiver<std::io::Result<Event>> {
    let (sender, receiver) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        while !sender.is_closed() {
            match event::poll(KEY_POLL) {
                Ok(false) => {}
                Ok(true) => {
                    if sender.send(event::read()).is_err() {
                        break;
                    }
                }
                Err(error) => {
                    let _ = sender.send(Err(error));
                    break;
                }
            }
        }
    });
    receiver
}
