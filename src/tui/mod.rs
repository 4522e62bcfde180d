//! `zmctl tui`: a live terminal dashboard of one backend — its queue,
//! batches, results and history, and a form to start a test.
//!
//! State, events and drawing are apart, as in ratatui's app examples:
//! [`app`] is plain state with no terminal; [`action`] turns key and mouse
//! events into an [`Action`]; [`update`] applies an action to the state and
//! names the API calls it needs as [`Request`]s; [`api`] runs those in tokio
//! tasks and hands their replies back as actions; [`view`] draws the state
//! and never changes it (but for noting where it put the tabs and lists,
//! which mouse clicks are mapped through); `run` is the loop. Drawing never waits on the
//! network.
//!
//! Talks to the backend only through [`crate::client`]; knows nothing of the
//! store or the engine beyond [`Level`](crate::engine::level::Level) and the
//! [`report`](crate::report) module's documents.

pub mod action;
pub mod api;
pub mod app;
mod form;
mod keys;
pub mod model;
mod replies;
pub mod request;
pub mod rows;
mod run;
pub mod theme;
pub mod update;
pub mod view;

pub use action::Action;
pub use app::AppState;
pub use request::{Reply, Request};
pub use run::{TuiError, TuiOptions, run};
