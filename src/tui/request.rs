//! The API calls the dashboard makes, and what comes back.

use std::path::PathBuf;

use crate::api_types::{DelegationData, HistoryEntry, StartTestParams};
use crate::report::Report;

use super::model::{BatchDomain, BatchSummary, QueueStatus};

/// An API call (or a file write) to run in a task.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// `queue_status`.
    Queue,
    /// `batch_list`.
    Batches,
    /// `batch_status` and each test's results.
    BatchDomains(i64),
    /// `batch_cancel`.
    CancelBatch {
        /// The batch.
        batch_id: i64,
        /// The API user.
        user: String,
        /// Its key.
        api_key: String,
    },
    /// `test_progress`.
    Progress(String),
    /// `get_test_results`.
    Results {
        /// The test.
        test_id: String,
        /// Language code of the texts.
        language: String,
    },
    /// `get_test_history`.
    History(String),
    /// Two tests' results, compared.
    Diff {
        /// The older test.
        old: String,
        /// The newer test.
        new: String,
    },
    /// `get_data_from_parent_zone`.
    Parent(String),
    /// `start_domain_test`.
    StartTest(Box<StartTestParams>),
    /// Writes an export.
    Export {
        /// The file.
        path: PathBuf,
        /// What to write.
        contents: String,
    },
}

impl Request {
    /// What kind of call this is: a periodic refresh is not sent while
    /// one of its kind is out.
    pub const fn key(&self) -> &'static str {
        match self {
            Request::Queue => "queue",
            Request::Batches => "batches",
            Request::BatchDomains(_) => "batch-domains",
            Request::CancelBatch { .. } => "cancel",
            Request::Progress(_) => "progress",
            Request::Results { .. } => "results",
            Request::History(_) => "history",
            Request::Diff { .. } => "diff",
            Request::Parent(_) => "parent",
            Request::StartTest(_) => "start",
            Request::Export { .. } => "export",
        }
    }
}

/// Why a call gave nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiFailure {
    /// The server did not answer: the connection banner and back-off.
    Unreachable(String),
    /// The server has no such method (JSON-RPC -32601).
    MethodMissing(String),
    /// Anything else: the server's error, a bad answer.
    Other(String),
}

impl ApiFailure {
    /// The text shown.
    pub fn message(&self) -> &str {
        match self {
            ApiFailure::Unreachable(text)
            | ApiFailure::MethodMissing(text)
            | ApiFailure::Other(text) => text,
        }
    }
}

/// What an API call or a file write came back with.
pub type Answer<T> = Result<T, ApiFailure>;

/// The answer of a [`Request`].
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// Of [`Request::Queue`].
    Queue(Answer<QueueStatus>),
    /// Of [`Request::Batches`].
    Batches(Answer<Vec<BatchSummary>>),
    /// Of [`Request::BatchDomains`].
    BatchDomains(i64, Answer<Vec<BatchDomain>>),
    /// Of [`Request::CancelBatch`]: waiting tests withdrawn.
    Cancelled(i64, Answer<u64>),
    /// Of [`Request::Progress`].
    Progress(String, Answer<u8>),
    /// Of [`Request::Results`].
    Results(String, Answer<Report>),
    /// Of [`Request::History`].
    History(String, Answer<Vec<HistoryEntry>>),
    /// Of [`Request::Diff`]: the diff as text.
    Diff(Answer<String>),
    /// Of [`Request::Parent`].
    Parent(String, Answer<DelegationData>),
    /// Of [`Request::StartTest`]: the test id.
    Started(Answer<String>),
    /// Of [`Request::Export`].
    Exported(PathBuf, Result<(), String>),
}

impl Reply {
    /// The [`Request::key`] of the call this answers.
    pub const fn key(&self) -> &'static str {
        match self {
            Reply::Queue(_) => "queue",
            Reply::Batches(_) => "batches",
            Reply::BatchDomains(..) => "batch-domains",
            Reply::Cancelled(..) => "cancel",
            Reply::Progress(..) => "progress",
            Reply::Results(..) => "results",
            Reply::History(..) => "history",
            Reply::Diff(_) => "diff",
            Reply::Parent(..) => "parent",
            Reply::Started(_) => "start",
            Reply::Exported(..) => "export",
        }
    }

    /// The failure, when the call failed.
    pub fn failure(&self) -> Option<&ApiFailure> {
        match self {
            Reply::Queue(Err(failure))
            | Reply::Batches(Err(failure))
            | Reply::BatchDomains(_, Err(failure))
            | Reply::Cancelled(_, Err(failure))
            | Reply::Progress(_, Err(failure))
            | Reply::Results(_, Err(failure))
            | Reply::History(_, Err(failure))
            | Reply::Diff(Err(failure))
            | Reply::Parent(_, Err(failure))
            | Reply::Started(Err(failure)) => Some(failure),
            _ => None,
        }
    }
}
