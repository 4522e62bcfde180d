//! The JSON-RPC envelope: reading a body into requests and writing
//! responses (backend spec §2.2 steps 1–2, §2.3).
//!
//! A body is one request object or, our addition to the reference, a
//! batch: a non-empty array of them, answered by an array in the same
//! order. Every request must carry an `id`: notifications are refused.

use serde_json::{Map, Value, json};

use super::error::RpcError;
use super::types::METHOD_NAME;
use super::validate::type_name;

/// A request whose envelope is sound.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// Echoed in the response: null, a number or a string.
    pub id: Value,
    /// The method name as asked for.
    pub method: String,
    /// `params`, absent or anything.
    pub params: Option<Value>,
}

/// What a body holds.
#[derive(Debug, PartialEq)]
pub enum Body {
    /// One request (maybe malformed).
    Single(Value),
    /// A batch of requests (maybe malformed, never empty).
    Batch(Vec<Value>),
}

/// Parses a body: -32700 when it is not JSON, -32600 for an empty batch
/// or one over `max_batch` elements.
pub fn parse_body(body: &[u8], max_batch: usize) -> Result<Body, RpcError> {
    let value: Value = serde_json::from_slice(body).map_err(|error| RpcError::Parse {
        diagnostic: error.to_string(),
    })?;
    match value {
        Value::Array(items) if items.is_empty() => Err(RpcError::InvalidRequest {
            data: "/: Not enough items: 0/1.".into(),
        }),
        Value::Array(items) if items.len() > max_batch => Err(RpcError::InvalidRequest {
            data: format!("/: Too many items: {}/{max_batch}.", items.len()),
        }),
        Value::Array(items) => Ok(Body::Batch(items)),
        single => Ok(Body::Single(single)),
    }
}

/// `"<path>: <message>"`, ending in one period.
fn envelope_error(path: &str, message: &str) -> String {
    let mut text = format!("{path}: {message}");
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// Checks one string member of the envelope.
fn check_string_member(
    members: &Map<String, Value>,
    name: &str,
    errors: &mut Vec<String>,
) -> Option<String> {
    let path = format!("/{name}");
    match members.get(name) {
        None => {
            errors.push(envelope_error(&path, "Missing property"));
            None
        }
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => {
            errors.push(envelope_error(
                &path,
                &format!("Expected string - got {}.", type_name(other)),
            ));
            None
        }
    }
}

/// Checks the envelope of one request (spec §2.2 step 2). A missing `id`
/// is refused without a message of its own (`data` is `""` when nothing
/// else is wrong), as the reference does.
pub fn check_envelope(value: Value) -> Result<Request, RpcError> {
    let Value::Object(mut members) = value else {
        return Err(RpcError::InvalidRequest {
            data: envelope_error(
                "/",
                &format!("Expected object - got {}.", type_name(&value)),
            ),
        });
    };
    let mut errors = Vec::new();
    check_string_member(&members, "jsonrpc", &mut errors);
    let method = check_string_member(&members, "method", &mut errors);
    if method
        .as_deref()
        .is_some_and(|method| !(METHOD_NAME.matches)(method))
    {
        errors.push(envelope_error(
            "/method",
            &format!("String does not match {}", METHOD_NAME.text),
        ));
    }
    let id = members.remove("id");
    if let Some(id) = id
        .as_ref()
        .filter(|id| !matches!(id, Value::Null | Value::Number(_) | Value::String(_)))
    {
        errors.push(envelope_error(
            "/id",
            &format!("Expected null/number/string - got {}.", type_name(id)),
        ));
    }
    match (id, method) {
        (Some(id), Some(method)) if errors.is_empty() => Ok(Request {
            id,
            method,
            params: members.remove("params"),
        }),
        _ => Err(RpcError::InvalidRequest {
            data: errors.join(" "),
        }),
    }
}

/// A success response.
pub fn success(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// An error response; the id is null for errors raised before the
/// request could be read.
pub fn failure(id: Value, error: &RpcError) -> Value {
    let id = if error.hides_id() { Value::Null } else { id };
    json!({"jsonrpc": "2.0", "id": id, "error": error.to_error_object()})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_of(value: Value) -> String {
        match check_envelope(value) {
            Err(RpcError::InvalidRequest { data }) => data,
            other => panic!("expected -32600, got {other:?}"),
        }
    }

    #[test]
    fn a_sound_envelope_gives_the_request() {
        let request =
            check_envelope(json!({"jsonrpc": "1.0", "method": "version_info", "id": "a", "x": 1}))
                .unwrap();
        assert_eq!(request.id, "a");
        assert_eq!(request.method, "version_info");
        assert_eq!(request.params, None);
        let request =
            check_envelope(json!({"jsonrpc": "2.0", "method": "m", "id": null, "params": 5}))
                .unwrap();
        assert_eq!(request.params, Some(json!(5)));
    }

    #[test]
    fn envelope_errors_name_their_paths() {
        assert_eq!(
            data_of(json!({"id": 1})),
            "/jsonrpc: Missing property. /method: Missing property."
        );
        assert_eq!(data_of(json!({"jsonrpc": "2.0", "method": "m"})), "");
        assert_eq!(
            data_of(json!({"jsonrpc": 2, "method": "system.versions", "id": 1})),
            "/jsonrpc: Expected string - got integer. /method: String does not match ^[a-zA-Z0-9_-]*$."
        );
        assert_eq!(
            data_of(json!({"jsonrpc": "2.0", "method": "m", "id": [1]})),
            "/id: Expected null/number/string - got array."
        );
        assert_eq!(data_of(json!([1])), "/: Expected object - got array.");
        assert_eq!(data_of(json!("x")), "/: Expected object - got string.");
    }

    #[test]
    fn bodies_are_single_requests_or_bounded_batches() {
        assert!(matches!(parse_body(b"{", 5), Err(RpcError::Parse { .. })));
        assert_eq!(parse_body(b"7", 5).unwrap(), Body::Single(json!(7)));
        assert_eq!(
            parse_body(b"[1,2]", 5).unwrap(),
            Body::Batch(vec![json!(1), json!(2)])
        );
        let Err(RpcError::InvalidRequest { data }) = parse_body(b"[1,2,3]", 2) else {
            panic!("cap");
        };
        assert_eq!(data, "/: Too many items: 3/2.");
        assert!(matches!(
            parse_body(b"[]", 2),
            Err(RpcError::InvalidRequest { .. })
        ));
    }
}
