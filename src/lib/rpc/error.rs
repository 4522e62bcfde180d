//! Everything a request can end in other than a result, and its JSON-RPC
//! error object (backend spec §2.3, §2.5; codes in `docs/rpc-errors.md`).
//!
//! One enum, one `match` in [`RpcError::parts`]: a new variant does not
//! compile until it has a code, a message and data. Internal causes are
//! kept as sources for the log and never sent to clients.

use serde_json::{Value, json};

use crate::job::ParamsError;
use crate::store::StoreError;

/// The `Procedure '<method>' not found` code (a number in the reference).
pub const METHOD_NOT_FOUND: i64 = -32601;
/// Resource not found (our own code, spec §2.5 decision).
pub const NOT_FOUND: i64 = -32000;
/// Permission denied.
pub const PERMISSION_DENIED: i64 = -32001;
/// Conflict.
pub const CONFLICT: i64 = -32002;
/// Too many tests started by one client (our code; `docs/abuse-limits.md`).
pub const RATE_LIMITED: i64 = -32003;
/// Internal error.
pub const INTERNAL: i64 = -32603;

/// One invalid parameter, message already translated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    /// JSON pointer into params.
    pub path: String,
    /// The message.
    pub message: String,
}

/// Why a request did not produce a result.
#[derive(Debug, thiserror::Error)]
pub enum RpcError {
    /// The body is not JSON (-32700).
    #[error("invalid JSON: {diagnostic}")]
    Parse {
        /// The parser's diagnostic.
        diagnostic: String,
    },
    /// The envelope is wrong (-32600).
    #[error("invalid request object: {data}")]
    InvalidRequest {
        /// `"<path>: <message>"` items joined by spaces.
        data: String,
    },
    /// Unknown or disabled method (-32601).
    #[error("unknown or disabled method `{method}`")]
    MethodNotFound {
        /// The method as asked for.
        method: String,
    },
    /// Required params absent (-32602).
    #[error("params missing")]
    MissingParams,
    /// Params fail validation (-32602).
    #[error("invalid params: {}", .items.len())]
    InvalidParams {
        /// `Invalid method parameter(s).`, translated.
        message: String,
        /// Every problem.
        items: Vec<ParamError>,
    },
    /// No such test (-32000).
    #[error("test {test_id} not found")]
    TestNotFound {
        /// The id asked for.
        test_id: String,
    },
    /// No such batch (-32000).
    #[error("batch {batch_id} not found")]
    UnknownBatch {
        /// The id asked for.
        batch_id: i64,
    },
    /// The user name is taken (-32002).
    #[error("user {username} already exists")]
    UserExists {
        /// The name.
        username: String,
    },
    /// Wrong user name or API key (-32001).
    #[error("user {username} not authorized for batch mode")]
    NotAuthorized {
        /// The name given.
        username: String,
    },
    /// An administrative method called from elsewhere than loopback
    /// (-32001).
    #[error("add_api_user called from remote address {remote_ip}")]
    RemoteNotPermitted {
        /// The caller's address.
        remote_ip: String,
    },
    /// The client started more tests than `RPCAPI.rate_limit_*` allow
    /// (-32003).
    #[error("rate limit: {remote_ip} asked for {requested} tests too soon")]
    RateLimited {
        /// The client as the limit counts it.
        remote_ip: String,
        /// Tests the request would have started.
        requested: usize,
        /// Seconds until it would pass; `None` when it never will (more
        /// than the burst).
        retry_after: Option<u64>,
    },
    /// The store failed (-32603).
    #[error("the store failed")]
    Store(#[from] StoreError),
    /// Params that passed validation cannot be used, or stored params
    /// cannot be read (-32603).
    #[error("unusable test params")]
    Params(#[from] ParamsError),
    /// A result could not be turned into JSON (-32603): a bug of ours.
    #[error("the result could not be encoded")]
    Encode(#[source] serde_json::Error),
}

/// The request outcome classes of the metrics (spec §9.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// A result.
    Success,
    /// -32700.
    ParseError,
    /// -32600.
    InvalidRequest,
    /// -32601.
    MethodNotFound,
    /// -32602.
    InvalidParams,
    /// Any error raised while executing the method.
    InternalError,
}

impl Status {
    /// The metric key's last part.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Success => "RPC_SUCCESS",
            Status::ParseError => "RPC_PARSE_ERROR",
            Status::InvalidRequest => "RPC_INVALID_REQUEST",
            Status::MethodNotFound => "RPC_METHOD_NOT_FOUND",
            Status::InvalidParams => "RPC_INVALID_PARAMS",
            Status::InternalError => "RPC_INTERNAL_ERROR",
        }
    }
}

/// The pieces of an error object.
struct Parts {
    code: Value,
    message: String,
    data: Option<Value>,
    status: Status,
}

/// An error raised while executing a method.
fn execution(code: i64, message: &str, data: Value) -> Parts {
    Parts {
        code: Value::from(code),
        message: message.to_owned(),
        data: Some(data),
        status: Status::InternalError,
    }
}

impl RpcError {
    /// Code, message, data and status, in one place.
    fn parts(&self) -> Parts {
        match self {
            RpcError::Parse { diagnostic } => Parts {
                code: Value::from("-32700"),
                message: "Invalid JSON was received by the server.".into(),
                data: Some(Value::from(diagnostic.clone())),
                status: Status::ParseError,
            },
            RpcError::InvalidRequest { data } => Parts {
                code: Value::from("-32600"),
                message: "The JSON sent is not a valid request object.".into(),
                data: Some(Value::from(data.clone())),
                status: Status::InvalidRequest,
            },
            RpcError::MethodNotFound { method } => Parts {
                code: Value::from(METHOD_NOT_FOUND),
                message: format!("Procedure '{method}' not found"),
                data: None,
                status: Status::MethodNotFound,
            },
            RpcError::MissingParams => Parts {
                code: Value::from("-32602"),
                message: "Missing 'params' object".into(),
                data: None,
                status: Status::InvalidParams,
            },
            RpcError::InvalidParams { message, items } => Parts {
                code: Value::from("-32602"),
                message: message.clone(),
                data: Some(Value::Array(
                    items
                        .iter()
                        .map(|item| json!({"path": item.path, "message": item.message}))
                        .collect(),
                )),
                status: Status::InvalidParams,
            },
            RpcError::TestNotFound { test_id } => {
                execution(NOT_FOUND, "Test not found", json!({"test_id": test_id}))
            }
            RpcError::UnknownBatch { batch_id } => {
                execution(NOT_FOUND, "Unknown batch", json!({"batch_id": batch_id}))
            }
            RpcError::UserExists { username } => execution(
                CONFLICT,
                "User already exists",
                json!({"username": username}),
            ),
            RpcError::NotAuthorized { username } => execution(
                PERMISSION_DENIED,
                "User not authorized to use batch mode",
                json!({"username": username}),
            ),
            RpcError::RemoteNotPermitted { remote_ip } => execution(
                PERMISSION_DENIED,
                "Call to \"add_api_user\" method not permitted from a remote IP",
                json!({"remote_ip": remote_ip}),
            ),
            RpcError::Store(error) => match error.unavailable() {
                // Same code and message as any internal error (clients
                // match on them), with the reason and a hint to retry.
                Some(condition) => execution(
                    INTERNAL,
                    "Internal server error",
                    json!({"reason": condition.as_str(), "retry": true}),
                ),
                None => execution(INTERNAL, "Internal server error", Value::Null),
            },
            RpcError::RateLimited {
                remote_ip,
                requested,
                retry_after,
            } => execution(
                RATE_LIMITED,
                "Too many tests requested, try again later",
                json!({"remote_ip": remote_ip, "requested": requested, "retry_after": retry_after}),
            ),
            RpcError::Params(_) | RpcError::Encode(_) => {
                execution(INTERNAL, "Internal server error", Value::Null)
            }
        }
    }

    /// The JSON-RPC `error` member.
    pub fn to_error_object(&self) -> Value {
        let parts = self.parts();
        let mut object = json!({"code": parts.code, "message": parts.message});
        if let (Some(data), Value::Object(members)) = (parts.data, &mut object) {
            members.insert("data".into(), data);
        }
        object
    }

    /// The metrics class.
    pub fn status(&self) -> Status {
        self.parts().status
    }

    /// True for failures of ours (logged at error level), false for
    /// client mistakes.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            RpcError::Store(_) | RpcError::Params(_) | RpcError::Encode(_)
        )
    }

    /// True when the response carries `"id": null` whatever the request
    /// said (the request could not be read far enough).
    pub fn hides_id(&self) -> bool {
        matches!(
            self,
            RpcError::Parse { .. } | RpcError::InvalidRequest { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_codes_are_strings_and_execution_codes_numbers() {
        let parse = RpcError::Parse {
            diagnostic: "x".into(),
        }
        .to_error_object();
        assert_eq!(parse["code"], "-32700");
        assert_eq!(parse["data"], "x");
        let missing = RpcError::MissingParams.to_error_object();
        assert_eq!(
            missing,
            json!({"code": "-32602", "message": "Missing 'params' object"})
        );
        let unknown = RpcError::MethodNotFound {
            method: "nope".into(),
        }
        .to_error_object();
        assert_eq!(
            unknown,
            json!({"code": -32601, "message": "Procedure 'nope' not found"})
        );
        let internal = RpcError::Store(StoreError::Corrupt("x".into())).to_error_object();
        assert_eq!(
            internal,
            json!({"code": -32603, "message": "Internal server error", "data": null})
        );
        let limited = RpcError::RateLimited {
            remote_ip: "192.0.2.1".into(),
            requested: 1,
            retry_after: Some(12),
        }
        .to_error_object();
        assert_eq!(limited["code"], -32003);
        assert_eq!(limited["data"]["retry_after"], 12);
        let batch = RpcError::UnknownBatch { batch_id: 7 }.to_error_object();
        assert_eq!(
            batch,
            json!({"code": -32000, "message": "Unknown batch", "data": {"batch_id": 7}})
        );
    }

    #[test]
    fn statuses_follow_the_class() {
        assert_eq!(RpcError::MissingParams.status(), Status::InvalidParams);
        assert_eq!(
            RpcError::UserExists {
                username: "u".into()
            }
            .status(),
            Status::InternalError
        );
        assert!(
            RpcError::Parse {
                diagnostic: String::new()
            }
            .hides_id()
        );
        assert!(
            !RpcError::TestNotFound {
                test_id: String::new()
            }
            .is_internal()
        );
    }
}
