//! What a call can end in other than a result: a transport failure, an
//! answer that is no JSON-RPC reply, or the server's own error object.

use serde_json::Value;

/// A JSON-RPC error object from the server (backend spec §2.3).
#[derive(Clone, Debug, PartialEq)]
pub struct ServerError {
    /// The code, as a number whatever JSON type the server sent: the
    /// reference sends `-32700`, `-32600` and `-32602` as strings.
    pub code: i64,
    /// The message.
    pub message: String,
    /// The `data` member, when present and not null.
    pub data: Option<Value>,
}

/// One `{path, message}` item of a `-32602` error's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamProblem {
    /// JSON pointer into the params (`/` for the params themselves).
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl ServerError {
    /// The params problems of a `-32602` answer, every one of them, in the
    /// server's order (empty when `data` is not such a list).
    pub fn problems(&self) -> Vec<ParamProblem> {
        let Some(Value::Array(items)) = &self.data else {
            return Vec::new();
        };
        items
            .iter()
            .map(|item| ParamProblem {
                path: item
                    .get("path")
                    .and_then(Value::as_str)
                    .unwrap_or("/")
                    .to_owned(),
                message: item
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            })
            .collect()
    }
}

impl std::fmt::Display for ServerError {
    /// `server error CODE: MESSAGE`, then each data path on its own line,
    /// or the data itself when it is a string or an object.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "server error {}: {}", self.code, self.message)?;
        match &self.data {
            Some(Value::Array(_)) => {
                for problem in self.problems() {
                    write!(f, "\n  {}: {}", problem.path, problem.message)?;
                }
                Ok(())
            }
            Some(Value::String(text)) if !text.is_empty() => write!(f, " ({text})"),
            Some(Value::Object(members)) if !members.is_empty() => {
                write!(f, " {}", Value::Object(members.clone()))
            }
            _ => Ok(()),
        }
    }
}

impl std::error::Error for ServerError {}

/// Why a call gave no result.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server address is no HTTP URL.
    #[error("`{url}` is not an http:// or https:// URL")]
    InvalidUrl {
        /// The address as given.
        url: String,
    },
    /// The HTTP client could not be set up (no TLS back-end, say).
    #[error("cannot build an HTTP client")]
    Setup(#[source] reqwest::Error),
    /// No answer: refused, timed out, name unknown.
    #[error("cannot reach {url}")]
    Unreachable {
        /// The server.
        url: String,
        /// Why.
        #[source]
        source: reqwest::Error,
    },
    /// An answer that is not JSON (a web server that is no API, say).
    #[error("{url} answered HTTP {status} without a JSON-RPC reply")]
    NotJsonRpc {
        /// The server.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Why the body could not be read.
        #[source]
        source: reqwest::Error,
    },
    /// The server answered with an error object.
    #[error(transparent)]
    Server(#[from] ServerError),
    /// The result has another shape than the method's.
    #[error("the answer to {method} has an unexpected shape")]
    UnexpectedResult {
        /// The method called.
        method: String,
        /// What did not fit.
        #[source]
        source: serde_json::Error,
    },
    /// The params could not be written as JSON (a bug of ours).
    #[error("the params of {method} cannot be written as JSON")]
    Params {
        /// The method called.
        method: String,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
}

impl ClientError {
    /// The server's error object, when that is what this is.
    pub fn server_error(&self) -> Option<&ServerError> {
        match self {
            ClientError::Server(error) => Some(error),
            _ => None,
        }
    }
}

/// Splits a reply into its result or its error. A reply with neither is a
/// null result; a code that is neither a number nor a numeric string is 0.
pub fn decode_reply(mut body: Value) -> Result<Value, ServerError> {
    if let Some(error) = body.get_mut("error").map(Value::take) {
        return Err(ServerError {
            code: error.get("code").map_or(0, code_number),
            message: error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("(no message)")
                .to_owned(),
            data: error.get("data").filter(|data| !data.is_null()).cloned(),
        });
    }
    Ok(body
        .get_mut("result")
        .map(Value::take)
        .unwrap_or(Value::Null))
}

/// A code sent as a number or as a string of one.
fn code_number(code: &Value) -> i64 {
    match code {
        Value::Number(number) => number.as_i64().unwrap_or(0),
        Value::String(text) => text.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn string_codes_keep_every_data_path() {
        let reply = json!({"jsonrpc": "2.0", "id": 1, "error": {"code": "-32602",
            "message": "Invalid method parameter(s).",
            "data": [{"path": "/ds_info/0/algorithm", "message": "Algorithm must be a positive integer"},
                     {"path": "/nameservers/0/ip", "message": "Invalid IP address"},
                     {"path": "/profile", "message": "Unknown profile"}]}});
        let error = decode_reply(reply).unwrap_err();
        assert_eq!(error.code, -32602);
        assert_eq!(error.problems().len(), 3);
        assert_eq!(
            error.to_string(),
            "server error -32602: Invalid method parameter(s).\n  \
             /ds_info/0/algorithm: Algorithm must be a positive integer\n  \
             /nameservers/0/ip: Invalid IP address\n  /profile: Unknown profile"
        );
    }

    #[test]
    fn number_codes_show_their_object_data() {
        let reply = json!({"error": {"code": -32000, "message": "Test not found",
                                     "data": {"test_id": "0123456789abcdef"}}});
        let error = decode_reply(reply).unwrap_err();
        assert_eq!(error.code, -32000);
        assert_eq!(
            error.to_string(),
            r#"server error -32000: Test not found {"test_id":"0123456789abcdef"}"#
        );
        assert!(error.problems().is_empty());
    }

    #[test]
    fn string_data_null_data_and_odd_codes() {
        let parse = json!({"error": {"code": "-32700", "message": "Invalid JSON was received by the server.",
                                     "data": "expected value at line 1 column 1"}});
        let error = decode_reply(parse).unwrap_err();
        assert_eq!(error.code, -32700);
        assert!(
            error
                .to_string()
                .ends_with("(expected value at line 1 column 1)")
        );
        let internal =
            json!({"error": {"code": -32603, "message": "Internal server error", "data": null}});
        let error = decode_reply(internal).unwrap_err();
        assert_eq!(error.data, None);
        assert_eq!(
            error.to_string(),
            "server error -32603: Internal server error"
        );
        let odd = json!({"error": {"code": "soon", "message": 5}});
        let error = decode_reply(odd).unwrap_err();
        assert_eq!((error.code, error.message.as_str()), (0, "(no message)"));
    }

    #[test]
    fn results_are_taken_out_whole() {
        assert_eq!(decode_reply(json!({"result": 42})).unwrap(), json!(42));
        assert_eq!(decode_reply(json!({"result": null})).unwrap(), Value::Null);
        assert_eq!(decode_reply(json!({"id": 1})).unwrap(), Value::Null);
    }
}
