//! The dashboard's state: plain data, no terminal and no network.
//!
//! [`update`](super::update) is the only writer; the views only read it,
//! but for [`AppState::hits`], where drawing records what a click can hit.

use std::cell::Cell;
use std::collections::BTreeSet;

use ratatui::layout::Rect;

use crate::api_types::{HistoryEntry, StartTestParams};
use crate::engine::level::Level;
use crate::i18n::Language;
use crate::report::{Format, Report};

use super::model::{BatchDomain, BatchSummary, QueueStatus};
use super::theme::Theme;

/// The views, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ViewId {
    /// Waiting and running tests, agents, throughput.
    Queue,
    /// Batches and their domains.
    Batches,
    /// One test's messages.
    Result,
    /// A domain's tests over time.
    History,
    /// The form starting a test.
    NewTest,
}

impl ViewId {
    /// Every view, in tab order.
    pub const ALL: &'static [ViewId] = &[
        ViewId::Queue,
        ViewId::Batches,
        ViewId::Result,
        ViewId::History,
        ViewId::NewTest,
    ];

    /// The tab's title.
    pub const fn title(self) -> &'static str {
        match self {
            ViewId::Queue => "Queue",
            ViewId::Batches => "Batches",
            ViewId::Result => "Result",
            ViewId::History => "History",
            ViewId::NewTest => "New test",
        }
    }

    /// The view `step` tabs away, wrapping around.
    pub fn shifted(self, step: isize) -> ViewId {
        let count = ViewId::ALL.len() as isize;
        let index = ViewId::ALL.iter().position(|v| *v == self).unwrap_or(0) as isize;
        let next = (index + step).rem_euclid(count) as usize;
        ViewId::ALL.get(next).copied().unwrap_or(ViewId::Queue)
    }
}

/// Data fetched from the API, or why there is none yet.
#[derive(Clone, Debug, PartialEq)]
pub enum Remote<T> {
    /// Not asked for yet, or asked and not answered.
    Loading,
    /// The latest answer.
    Ready(T),
    /// The server has no such method (an older backend): said once, not
    /// asked again.
    Missing(String),
    /// The call failed; the text says why.
    Failed(String),
}

impl<T> Remote<T> {
    /// The data, when there is some.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Remote::Ready(data) => Some(data),
            _ => None,
        }
    }
}

/// Whether the API answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    /// The last call reached it.
    Up,
    /// The last call did not: retried at tick `retry_at`, after
    /// `failures` failures in a row.
    Down {
        /// Why, as the client said.
        message: String,
        /// Failures in a row; the back-off doubles with each.
        failures: u32,
        /// The tick at which calls are made again.
        retry_at: u64,
    },
}

/// The Batches view.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchesState {
    /// Every batch, newest first.
    pub list: Remote<Vec<BatchSummary>>,
    /// The highlighted batch.
    pub selected: usize,
    /// The batch drilled into, if any.
    pub drill: Option<BatchDrill>,
    /// The batch whose cancellation waits for a yes or no.
    pub confirm_cancel: Option<i64>,
    /// The outcome of the last cancellation, or why it cannot be done.
    pub notice: Option<String>,
}

/// One batch's domains.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchDrill {
    /// The batch.
    pub batch_id: i64,
    /// Its domains, sorted by domain.
    pub domains: Remote<Vec<BatchDomain>>,
    /// The highlighted domain.
    pub selected: usize,
}

/// The export prompt of the Result view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportPrompt {
    /// The format to write.
    pub format: Format,
    /// The file to write.
    pub path: String,
}

/// The Result view.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultState {
    /// The test shown, if any.
    pub test_id: Option<String>,
    /// Its progress, 0–100, as last polled.
    pub progress: Option<u8>,
    /// Its results, once it finished.
    pub report: Remote<Report>,
    /// The language of the texts.
    pub language: Language,
    /// Messages below this level are hidden.
    pub min_level: Level,
    /// Only messages whose text, tag or arguments contain this show.
    pub search: String,
    /// Keys go into `search`.
    pub is_searching: bool,
    /// Collapsed groups: `Module` or `Module/Testcase`.
    pub collapsed: BTreeSet<String>,
    /// The highlighted row.
    pub selected: usize,
    /// The export prompt, while open.
    pub export: Option<ExportPrompt>,
    /// The outcome of the last export.
    pub notice: Option<String>,
}

/// The History view.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryState {
    /// The domain whose tests are listed.
    pub domain: String,
    /// Keys go into `domain`.
    pub is_editing: bool,
    /// Its tests, newest first.
    pub entries: Remote<Vec<HistoryEntry>>,
    /// The highlighted test.
    pub selected: usize,
    /// The test marked as the other side of a diff.
    pub marked: Option<usize>,
    /// The diff shown over the list, while open.
    pub diff: Option<Remote<String>>,
    /// The first line of the diff shown.
    pub diff_scroll: usize,
}

/// The fields of the New test form, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormField {
    /// The zone.
    Domain,
    /// Undelegated name servers, `NAME[/IP]` separated by spaces.
    Nameservers,
    /// Undelegated DS records, `KEYTAG,ALGORITHM,DIGTYPE,DIGEST`.
    Ds,
    /// The profile name.
    Profile,
    /// Use IPv4.
    Ipv4,
    /// Use IPv6.
    Ipv6,
    /// The priority.
    Priority,
}

impl FormField {
    /// Every field, top to bottom.
    pub const ALL: &'static [FormField] = &[
        FormField::Domain,
        FormField::Nameservers,
        FormField::Ds,
        FormField::Profile,
        FormField::Ipv4,
        FormField::Ipv6,
        FormField::Priority,
    ];

    /// The field's label.
    pub const fn label(self) -> &'static str {
        match self {
            FormField::Domain => "Domain",
            FormField::Nameservers => "NS",
            FormField::Ds => "DS",
            FormField::Profile => "Profile",
            FormField::Ipv4 => "IPv4",
            FormField::Ipv6 => "IPv6",
            FormField::Priority => "Priority",
        }
    }
}

/// The New test view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormState {
    /// The zone.
    pub domain: String,
    /// Name servers, `NAME[/IP]` separated by spaces.
    pub nameservers: String,
    /// DS records, `KEYTAG,ALGORITHM,DIGTYPE,DIGEST` separated by spaces.
    pub ds: String,
    /// The profile name.
    pub profile: String,
    /// Use IPv4.
    pub ipv4: bool,
    /// Use IPv6.
    pub ipv6: bool,
    /// The priority, as typed.
    pub priority: String,
    /// The field keys go to.
    pub focus: FormField,
    /// What went wrong, or what is going on (prefilling, submitting).
    pub notice: Option<String>,
}

impl Default for FormState {
    fn default() -> Self {
        Self {
            domain: String::new(),
            nameservers: String::new(),
            ds: String::new(),
            profile: "default".to_owned(),
            ipv4: true,
            ipv6: true,
            priority: "10".to_owned(),
            focus: FormField::Domain,
            notice: None,
        }
    }
}

/// How keys are read: as commands, or as text for a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputMode {
    /// Letters are commands (`q`, `/`, `d`, …).
    Command,
    /// Letters are typed into a field; only control keys command.
    Text,
}

/// The API user and key batch cancellation needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// The user.
    pub user: String,
    /// Its key.
    pub api_key: String,
}

/// Everything the dashboard shows.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The server's address, for the title and the banner.
    pub server: String,
    /// The view shown.
    pub view: ViewId,
    /// Seconds (ticks) since the start; the clock of refreshes and
    /// back-off, so tests can drive time.
    pub tick: u64,
    /// Whether the API answers.
    pub connection: Connection,
    /// The help overlay is open.
    pub is_help_shown: bool,
    /// The loop ends after this action.
    pub should_quit: bool,
    /// Colours or not.
    pub theme: Theme,
    /// For batch cancellation; none when not given.
    pub credentials: Option<Credentials>,
    /// Calls sent and not answered yet, by [`Request::key`](super::Request::key):
    /// a periodic refresh is not sent again while one is out.
    pub in_flight: BTreeSet<&'static str>,
    /// The Queue view.
    pub queue: Remote<QueueStatus>,
    /// The highlighted test of the queue.
    pub queue_selected: usize,
    /// The Batches view.
    pub batches: BatchesState,
    /// The Result view.
    pub result: ResultState,
    /// The History view.
    pub history: HistoryState,
    /// The New test view.
    pub form: FormState,
    /// The last test started from the form, for the title.
    pub last_started: Option<StartTestParams>,
    /// Where the last drawing put the tabs and the list, for mouse
    /// clicks: the one thing drawing writes.
    pub hits: Cell<HitMap>,
}

impl AppState {
    /// A fresh dashboard of `server`.
    pub fn new(server: &str, theme: Theme) -> Self {
        Self {
            server: server.to_owned(),
            view: ViewId::Queue,
            tick: 0,
            connection: Connection::Up,
            is_help_shown: false,
            should_quit: false,
            theme,
            credentials: None,
            in_flight: BTreeSet::new(),
            queue: Remote::Loading,
            queue_selected: 0,
            batches: BatchesState {
                list: Remote::Loading,
                selected: 0,
                drill: None,
                confirm_cancel: None,
                notice: None,
            },
            result: ResultState {
                test_id: None,
                progress: None,
                report: Remote::Loading,
                language: Language::En,
                min_level: Level::Info,
                search: String::new(),
                is_searching: false,
                collapsed: BTreeSet::new(),
                selected: 0,
                export: None,
                notice: None,
            },
            history: HistoryState {
                domain: String::new(),
                is_editing: false,
                entries: Remote::Loading,
                selected: 0,
                marked: None,
                diff: None,
                diff_scroll: 0,
            },
            form: FormState::default(),
            last_started: None,
            hits: Cell::new(HitMap::default()),
        }
    }

    /// How keys are read in the current view.
    pub fn input_mode(&self) -> InputMode {
        let is_typing = match self.view {
            ViewId::NewTest => true,
            ViewId::Result => self.result.is_searching || self.result.export.is_some(),
            ViewId::History => self.history.is_editing,
            ViewId::Queue | ViewId::Batches => false,
        };
        if is_typing && !self.is_help_shown {
            InputMode::Text
        } else {
            InputMode::Command
        }
    }

    /// Seconds until the next retry, while the API is down.
    pub fn retry_in(&self) -> Option<u64> {
        match &self.connection {
            Connection::Up => None,
            Connection::Down { retry_at, .. } => Some(retry_at.saturating_sub(self.tick)),
        }
    }
}

/// The lists a click selects in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListId {
    /// The Queue view's tests.
    Queue,
    /// The Batches view's batches.
    Batches,
    /// The domains of the batch drilled into.
    BatchDomains,
    /// The History view's tests.
    History,
    /// The Result view's headings and messages.
    Result,
}

/// A list as last drawn: where its rows are and which is first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListHit {
    /// The list.
    pub list: ListId,
    /// The rows drawn, one a line (headers and borders left out).
    pub rows: Rect,
    /// The index of the row on the first line of `rows`.
    pub first: usize,
}

/// What the last drawing put where, so a click is mapped through the
/// layout actually drawn rather than a second guess of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HitMap {
    /// Each tab's cells, in [`ViewId::ALL`] order; none when not drawn.
    pub tabs: [Option<Rect>; ViewId::ALL.len()],
    /// The list of the shown view, if it drew one.
    pub list: Option<ListHit>,
    /// The last first line of the diff that still fills its box.
    pub diff_max_scroll: usize,
}

/// The six levels `1`–`6` select as the minimum, lowest first.
pub const FILTER_LEVELS: &[Level] = &[
    Level::Debug,
    Level::Info,
    Level::Notice,
    Level::Warning,
    Level::Error,
    Level::Critical,
];
