//! Saving exchanges to a file: our recording format and the [`Recorder`].
//!
//! One JSON object per line, so a recording is appendable, greppable and
//! survives a crash up to the last complete line:
//!
//! ```text
//! {"server":"192.0.2.53","query":{…},"outcome":{"kind":"response","raw":"<base64>",…}}
//! {"server":"192.0.2.53","axfr":"example.","axfr_outcome":{…}}
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use futures::FutureExt;
use futures::future::BoxFuture;
use hickory_proto::rr::{Name, Record};
use serde::{Deserialize, Serialize};

use super::outcome::{Decoded, NetworkErrorKind, Outcome, Response, Stray, StrayReason};
use super::packet::{Packet, Rcode};
use super::query::{Protocol, Query};
use super::transport::{AxfrOutcome, Request, Transport};
use super::whois::WhoisOutcome;

/// Problems reading or writing a recording file.
#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    /// The file could not be opened, read or written.
    #[error("cannot access recording {}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A line is not a valid recording entry.
    #[error("{}:{line}: {reason}", .path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The first line is in no format we replay.
    #[error(
        "{}:{line}: neither a zmctl recording (JSON lines written by --save) \
         nor a Zonemaster .data recording (`NAME IP {{json}}` lines)",
        .path.display()
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// 1-based number of its first non-blank line.
        line: usize,
    },
    /// An index was given for a recording of ours, which needs none.
    #[error(
        "{} is a zmctl recording: an index applies only to a Zonemaster .data recording",
        .path.display()
    )]
    IndexNotApplicable {
        /// The recording.
        path: PathBuf,
    },
}

/// One line of a recording.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub server: IpAddr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Query>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<SavedOutcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub axfr: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub axfr_outcome: Option<SavedAxfr>,
}

/// An [`Outcome`] in savable form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum SavedOutcome {
    Response {
        raw: String,
        from: SocketAddr,
        rtt_us: u64,
        received_at: f64,
        protocol: Protocol,
        fell_back: bool,
        question_mismatch: bool,
        #[serde(default)]
        strays: Vec<SavedStray>,
    },
    Malformed {
        raw: String,
        from: SocketAddr,
        rtt_us: u64,
        #[serde(default)]
        strays: Vec<SavedStray>,
    },
    Timeout {
        #[serde(default)]
        strays: Vec<SavedStray>,
    },
    NetworkError {
        error: NetworkErrorKind,
        message: String,
    },
    ReplayMiss,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct SavedStray {
    from: SocketAddr,
    reason: String,
    raw: String,
}

/// An [`AxfrOutcome`] in savable form: the wire messages' records as one
/// synthetic reply each is overkill, so records are kept as one message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum SavedAxfr {
    Complete { message: String },
    Refused { rcode: u16 },
    Broken { message: String, reason: String },
    NoResponse { reason: String },
    Started { message: String },
}

impl SavedOutcome {
    pub(crate) fn from_outcome(outcome: &Outcome) -> Self {
        match outcome {
            Outcome::Response(response) => Self::Response {
                raw: BASE64.encode(&response.raw),
                from: response.from,
                rtt_us: micros(response.rtt),
                received_at: response
                    .received_at
                    .duration_since(UNIX_EPOCH)
                    .map_or(0.0, |since| since.as_secs_f64()),
                protocol: response.protocol,
                fell_back: response.fell_back,
                question_mismatch: response.has_question_mismatch,
                strays: save_strays(&response.strays),
            },
            Outcome::Malformed {
                raw,
                from,
                rtt,
                strays,
            } => Self::Malformed {
                raw: BASE64.encode(raw),
                from: *from,
                rtt_us: micros(*rtt),
                strays: save_strays(strays),
            },
            Outcome::Timeout { strays } => Self::Timeout {
                strays: save_strays(strays),
            },
            Outcome::NetworkError { kind, message } => Self::NetworkError {
                error: *kind,
                message: message.clone(),
            },
            Outcome::ReplayMiss => Self::ReplayMiss,
        }
    }

    pub(crate) fn to_outcome(&self) -> Result<Outcome, String> {
        Ok(match self {
            Self::Response {
                raw,
                from,
                rtt_us,
                received_at,
                protocol,
                fell_back,
                question_mismatch,
                strays,
            } => {
                let raw: Arc<[u8]> = decode_base64(raw)?.into();
                let packet = Packet::decode(&raw).map_err(|error| error.to_string())?;
                Outcome::Response(Response {
                    decoded: Decoded::from_raw(packet),
                    raw,
                    from: *from,
                    rtt: Duration::from_micros(*rtt_us),
                    received_at: epoch_time(*received_at),
                    protocol: *protocol,
                    fell_back: *fell_back,
                    has_question_mismatch: *question_mismatch,
                    strays: load_strays(strays)?,
                })
            }
            Self::Malformed {
                raw,
                from,
                rtt_us,
                strays,
            } => Outcome::Malformed {
                raw: decode_base64(raw)?.into(),
                from: *from,
                rtt: Duration::from_micros(*rtt_us),
                strays: load_strays(strays)?,
            },
            Self::Timeout { strays } => Outcome::Timeout {
                strays: load_strays(strays)?,
            },
            Self::NetworkError { error, message } => Outcome::NetworkError {
                kind: *error,
                message: message.clone(),
            },
            Self::ReplayMiss => Outcome::ReplayMiss,
        })
    }
}

impl SavedAxfr {
    fn from_outcome(outcome: &AxfrOutcome) -> Self {
        match outcome {
            AxfrOutcome::Complete(records) => Self::Complete {
                message: encode_records(records),
            },
            AxfrOutcome::Refused(rcode) => Self::Refused { rcode: rcode.0 },
            AxfrOutcome::Broken { records, reason } => Self::Broken {
                message: encode_records(records),
                reason: reason.clone(),
            },
            AxfrOutcome::NoResponse(reason) => Self::NoResponse {
                reason: reason.clone(),
            },
            AxfrOutcome::Started(records) => Self::Started {
                message: encode_records(records),
            },
        }
    }

    pub(crate) fn to_outcome(&self) -> Result<AxfrOutcome, String> {
        Ok(match self {
            Self::Complete { message } => AxfrOutcome::Complete(decode_records(message)?),
            Self::Refused { rcode } => AxfrOutcome::Refused(Rcode(*rcode)),
            Self::Broken { message, reason } => AxfrOutcome::Broken {
                records: decode_records(message)?,
                reason: reason.clone(),
            },
            Self::NoResponse { reason } => AxfrOutcome::NoResponse(reason.clone()),
            Self::Started { message } => AxfrOutcome::Started(decode_records(message)?),
        })
    }
}

/// Records travel as the answer section of a wire message.
fn encode_records(records: &[Record]) -> String {
    let mut message = hickory_proto::op::Message::response(0, hickory_proto::op::OpCode::Query);
    message.add_answers(records.iter().cloned());
    BASE64.encode(message.to_vec().unwrap_or_default())
}

fn decode_records(text: &str) -> Result<Vec<Record>, String> {
    let raw = decode_base64(text)?;
    Packet::decode(&raw)
        .map(|packet| packet.answer)
        .map_err(|error| error.to_string())
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    BASE64
        .decode(text)
        .map_err(|error| format!("bad base64: {error}"))
}

fn save_strays(strays: &[Stray]) -> Vec<SavedStray> {
    strays
        .iter()
        .map(|stray| SavedStray {
            from: stray.from,
            reason: format!("{:?}", stray.reason),
            raw: BASE64.encode(&stray.raw),
        })
        .collect()
}

fn load_strays(saved: &[SavedStray]) -> Result<Vec<Stray>, String> {
    saved
        .iter()
        .map(|stray| {
            let reason = match stray.reason.as_str() {
                "ForeignSource" => StrayReason::ForeignSource,
                "IdMismatch" => StrayReason::IdMismatch,
                "NotAResponse" => StrayReason::NotAResponse,
                other => return Err(format!("unknown stray reason {other:?}")),
            };
            Ok(Stray {
                from: stray.from,
                reason,
                raw: decode_base64(&stray.raw)?.into(),
            })
        })
        .collect()
}

/// Live transport that also writes every exchange to a file.
pub struct Recorder {
    inner: Arc<dyn Transport>,
    path: PathBuf,
    file: Mutex<BufWriter<File>>,
}

impl Recorder {
    /// Records exchanges made through `inner` into a new file at `path`.
    pub fn create(inner: Arc<dyn Transport>, path: &Path) -> Result<Self, RecordingError> {
        let file = File::create(path).map_err(|source| RecordingError::Io {
            path: path.to_owned(),
            source,
        })?;
        Ok(Self {
            inner,
            path: path.to_owned(),
            file: Mutex::new(BufWriter::new(file)),
        })
    }

    /// Writes buffered lines to disk.
    pub fn flush(&self) -> Result<(), RecordingError> {
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        file.flush().map_err(|source| RecordingError::Io {
            path: self.path.clone(),
            source,
        })
    }

    fn append(&self, entry: &Entry) {
        let Ok(line) = serde_json::to_string(entry) else {
            return;
        };
        let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        if let Err(error) = writeln!(file, "{line}") {
            tracing::error!(path = %self.path.display(), %error, "cannot write to recording");
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

impl Transport for Recorder {
    fn exchange<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Outcome> {
        async move {
            let outcome = self.inner.exchange(request).await;
            self.append(&Entry {
                server: request.server,
                query: Some(request.query.clone()),
                outcome: Some(SavedOutcome::from_outcome(&outcome)),
                axfr: None,
                axfr_outcome: None,
            });
            outcome
        }
        .boxed()
    }

    fn axfr<'a>(
        &'a self,
        server: IpAddr,
        zone: &'a Name,
        timeout: Duration,
    ) -> BoxFuture<'a, AxfrOutcome> {
        async move {
            let outcome = self.inner.axfr(server, zone, timeout).await;
            self.save_transfer(server, zone, &outcome);
            outcome
        }
        .boxed()
    }

    /// Passed through, not recorded: a recording holds DNS only, so a
    /// replay of a RIPE-style run finds no WHOIS server (database error).
    fn whois<'a>(
        &'a self,
        server: IpAddr,
        question: &'a str,
        timeout: Duration,
    ) -> BoxFuture<'a, WhoisOutcome> {
        self.inner.whois(server, question, timeout)
    }

    fn axfr_first<'a>(
        &'a self,
        server: IpAddr,
        zone: &'a Name,
        timeout: Duration,
    ) -> BoxFuture<'a, AxfrOutcome> {
        async move {
            let outcome = self.inner.axfr_first(server, zone, timeout).await;
            self.save_transfer(server, zone, &outcome);
            outcome
        }
        .boxed()
    }
}

impl Recorder {
    fn save_transfer(&self, server: IpAddr, zone: &Name, outcome: &AxfrOutcome) {
        self.append(&Entry {
            server,
            query: None,
            outcome: None,
            axfr: Some(zone.to_ascii()),
            axfr_outcome: Some(SavedAxfr::from_outcome(outcome)),
        });
    }
}

/// Seconds since the epoch as used in recordings.
pub(crate) fn epoch_time(seconds: f64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs_f64(seconds.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_started_transfer_survives_saving() {
        let soa = crate::engine::testing::parse_record(
            "example. SOA ns.example. h.example. 1 3600 900 604800 300",
        )
        .unwrap();
        let outcome = AxfrOutcome::Started(vec![soa]);
        let saved = SavedAxfr::from_outcome(&outcome);
        let text = serde_json::to_string(&saved).unwrap();
        assert!(text.contains(r#""kind":"started""#), "{text}");
        let loaded: SavedAxfr = serde_json::from_str(&text).unwrap();
        assert_eq!(loaded.to_outcome().unwrap(), outcome);
    }
}
