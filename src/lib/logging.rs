//! Daemon log lines as spec §9.4 describes them.
//!
//! Text: `2026-11-28T22:05:01Z [4242] [INFO] [rpcapi] listening Extra
//! parameters: addr=127.0.0.1:5000`. JSON: one object per line with
//! `timestamp`, `level`, `category`, `message`, `pid` and the event's
//! fields. Levels accept the spec's names (`notice` is shown as info,
//! `critical`, `alert` and `emergency` as error: tracing has five levels).
//! A line also carries the fields of the spans it is logged in (an agent's
//! `test_id` and `domain`), so that concurrent tests can be told apart.

use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::path::PathBuf;
use std::sync::Mutex;

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::span::Record;
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

/// Where log lines go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogTarget {
    /// Standard error (journald picks it up under systemd).
    Stderr,
    /// Appended to a file.
    File(PathBuf),
}

/// Why logging could not start.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    /// Not one of the spec's level names.
    #[error(
        "unknown log level `{0}` (expected trace, debug, info, notice, warning, error, critical, alert or emergency)"
    )]
    Level(String),
    /// The log file cannot be opened.
    #[error("cannot open log file {}", .0.display())]
    File(PathBuf, #[source] std::io::Error),
}

/// Parses a spec level name (any case).
pub fn parse_level(text: &str) -> Result<LevelFilter, LoggingError> {
    Ok(match text.to_ascii_lowercase().as_str() {
        "trace" => LevelFilter::TRACE,
        "debug" => LevelFilter::DEBUG,
        "info" | "notice" => LevelFilter::INFO,
        "warning" | "warn" => LevelFilter::WARN,
        "error" | "critical" | "alert" | "emergency" => LevelFilter::ERROR,
        _ => return Err(LoggingError::Level(text.to_owned())),
    })
}

/// Installs the global subscriber for a daemon whose log category is
/// `category` (`rpcapi`, `testagent`). `level` defaults to info. Calling it
/// twice keeps the first subscriber.
pub fn init(
    category: &str,
    level: Option<&str>,
    json: bool,
    target: &LogTarget,
) -> Result<(), LoggingError> {
    let filter = level
        .map(parse_level)
        .transpose()?
        .unwrap_or(LevelFilter::INFO);
    let format = LineFormat {
        category: category.to_owned(),
        json,
    };
    let builder = tracing_subscriber::fmt()
        .with_max_level(filter)
        .fmt_fields(SpanFields)
        .event_format(format);
    let _ = match target {
        LogTarget::Stderr => builder.with_writer(std::io::stderr).try_init(),
        LogTarget::File(path) => {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|source| LoggingError::File(path.clone(), source))?;
            builder.with_writer(Mutex::new(file)).try_init()
        }
    };
    Ok(())
}

/// The spec's line format.
struct LineFormat {
    category: String,
    json: bool,
}

/// An event's message and other fields.
#[derive(Default)]
struct Fields {
    message: String,
    extra: Map<String, Value>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, Value::String(value.to_owned()));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, Value::from(value));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, Value::from(value));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, Value::Bool(value));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, Value::String(format!("{value:?}")));
    }
}

impl Fields {
    fn put(&mut self, field: &Field, value: Value) {
        if field.name() == "message" {
            self.message = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
        } else {
            self.extra.insert(field.name().to_owned(), value);
        }
    }
}

fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "TRACE",
        Level::DEBUG => "DEBUG",
        Level::INFO => "INFO",
        Level::WARN => "WARNING",
        Level::ERROR => "ERROR",
    }
}

/// Keeps a span's fields as a JSON object (the formatter's per-span
/// storage is a string), so that [`LineFormat`] can put them among an
/// event's fields, typed, in text and JSON lines alike.
struct SpanFields;

impl SpanFields {
    fn object(fields: &Fields) -> String {
        Value::Object(fields.extra.clone()).to_string()
    }
}

impl<'writer> FormatFields<'writer> for SpanFields {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> std::fmt::Result {
        let mut collected = Fields::default();
        fields.record(&mut collected);
        write!(writer, "{}", Self::object(&collected))
    }

    fn add_fields(
        &self,
        current: &mut FormattedFields<Self>,
        fields: &Record<'_>,
    ) -> std::fmt::Result {
        let mut collected = Fields {
            extra: span_object(current),
            ..Fields::default()
        };
        fields.record(&mut collected);
        current.fields = Self::object(&collected);
        Ok(())
    }
}

/// The fields of one span as [`SpanFields`] stored them.
fn span_object(formatted: &FormattedFields<SpanFields>) -> Map<String, Value> {
    match serde_json::from_str(&formatted.fields) {
        Ok(Value::Object(object)) => object,
        _ => Map::new(),
    }
}

impl<S> FormatEvent<S, SpanFields> for LineFormat
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn format_event(
        &self,
        context: &FmtContext<'_, S, SpanFields>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        let mut fields = Fields::default();
        // Outer spans first, so that inner ones and the event win a clash.
        for span in context
            .event_scope()
            .into_iter()
            .flat_map(|scope| scope.from_root())
        {
            if let Some(formatted) = span.extensions().get::<FormattedFields<SpanFields>>() {
                fields.extra.extend(span_object(formatted));
            }
        }
        event.record(&mut fields);
        let line = self.line(event.metadata().level(), fields);
        writeln!(writer, "{line}")
    }
}

impl LineFormat {
    fn line(&self, level: &Level, fields: Fields) -> String {
        let timestamp = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let pid = std::process::id();
        if self.json {
            let mut object = fields.extra;
            object.insert("timestamp".into(), timestamp.into());
            object.insert("level".into(), level_name(level).into());
            object.insert("category".into(), self.category.clone().into());
            object.insert("message".into(), fields.message.into());
            object.insert("pid".into(), pid.into());
            return Value::Object(object).to_string();
        }
        let mut line = format!(
            "{timestamp} [{pid}] [{}] [{}] {}",
            level_name(level),
            self.category,
            fields.message
        );
        if !fields.extra.is_empty() {
            line.push_str(" Extra parameters:");
            for (name, value) in &fields.extra {
                let shown = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                let _ = write!(line, " {name}={shown}");
            }
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(message: &str, extra: &[(&str, Value)]) -> Fields {
        Fields {
            message: message.to_owned(),
            extra: extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        }
    }

    #[test]
    fn text_lines_carry_pid_level_category_and_extras() {
        let format = LineFormat {
            category: "rpcapi".into(),
            json: false,
        };
        let line = format.line(&Level::WARN, fields("slow", &[("ms", Value::from(12))]));
        let pid = std::process::id();
        assert!(
            line.ends_with(&format!(
                "[{pid}] [WARNING] [rpcapi] slow Extra parameters: ms=12"
            )),
            "{line}"
        );
        assert_eq!(line.as_bytes()[4], b'-');
        assert!(line[..20].ends_with('Z'), "{line}");
    }

    #[test]
    fn json_lines_hold_every_key() {
        let format = LineFormat {
            category: "testagent".into(),
            json: true,
        };
        let line = format.line(
            &Level::INFO,
            fields("claimed", &[("test_id", Value::from("abc"))]),
        );
        let value: Value = serde_json::from_str(&line).expect("json");
        assert_eq!(value["level"], "INFO");
        assert_eq!(value["category"], "testagent");
        assert_eq!(value["message"], "claimed");
        assert_eq!(value["test_id"], "abc");
        assert_eq!(value["pid"], std::process::id());
        assert!(
            value["timestamp"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z'))
        );
    }

    /// Log output kept in memory.
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .expect("not poisoned")
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The lines `log` writes through our format (`json` or text).
    fn lines_of(json: bool, log: impl FnOnce()) -> String {
        let captured = Captured::default();
        let writer = captured.clone();
        let format = LineFormat {
            category: "testagent".into(),
            json,
        };
        let subscriber = tracing_subscriber::fmt()
            .fmt_fields(SpanFields)
            .event_format(format)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, log);
        let bytes = captured.0.lock().expect("not poisoned").clone();
        String::from_utf8(bytes).expect("utf-8")
    }

    #[test]
    fn lines_carry_the_fields_of_their_spans() {
        let log = || {
            let span = tracing::info_span!("test", test_id = "abc", domain = "example.se");
            let _entered = span.enter();
            tracing::info!(entries = 3, "done");
        };
        let text = lines_of(false, log);
        assert!(
            text.contains(
                "[testagent] done Extra parameters: domain=example.se entries=3 test_id=abc"
            ),
            "{text}"
        );
        let json: Value = serde_json::from_str(lines_of(true, log).trim()).expect("json");
        assert_eq!(json["test_id"], "abc");
        assert_eq!(json["domain"], "example.se");
        assert_eq!(json["entries"], 3);
    }

    #[test]
    fn spec_level_names_are_understood() {
        assert_eq!(parse_level("NOTICE").expect("notice"), LevelFilter::INFO);
        assert_eq!(
            parse_level("critical").expect("critical"),
            LevelFilter::ERROR
        );
        assert!(parse_level("loud").is_err());
    }
}
