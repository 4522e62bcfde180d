//! A thin JSON-RPC 2.0 client for `zm-rpcapi` (and the Perl backend: error
//! codes are accepted as numbers or as the strings it sends).

use std::time::Duration;

use serde_json::{Value, json};

use crate::Failure;

/// The default API address, as the reference backend listens.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:5000";

/// One API server.
pub struct Api {
    url: String,
    http: reqwest::Client,
}

/// A JSON-RPC error object from the server.
#[derive(Debug)]
pub struct RpcError {
    /// The code, as a number whatever type the server sent.
    pub code: i64,
    /// The message.
    pub message: String,
    /// The `data` member, when present and not null.
    pub data: Option<Value>,
}

impl std::fmt::Display for RpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "server error {}: {}", self.code, self.message)?;
        match &self.data {
            Some(Value::Array(items)) => {
                for item in items {
                    let path = item.get("path").and_then(Value::as_str).unwrap_or("/");
                    let message = item.get("message").and_then(Value::as_str).unwrap_or("");
                    write!(f, "\n  {path}: {message}")?;
                }
                Ok(())
            }
            Some(Value::String(text)) if !text.is_empty() => write!(f, " ({text})"),
            Some(Value::Object(map)) if !map.is_empty() => {
                write!(f, " {}", Value::Object(map.clone()))
            }
            _ => Ok(()),
        }
    }
}

impl Api {
    /// A client for `url` (`http://host:port`).
    pub fn new(url: &str) -> Result<Self, Failure> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(Failure::input(format!(
                "--server `{url}` is not an http:// or https:// URL"
            )));
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|error| Failure::not_found(format!("cannot build an HTTP client: {error}")))?;
        Ok(Self {
            url: url.to_owned(),
            http,
        })
    }

    /// Calls `method` with `params`; a JSON-RPC error becomes a failure
    /// (exit 1) that shows the server's message and data.
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, Failure> {
        self.try_call(method, params)
            .await?
            .map_err(|error| Failure::not_found(error.to_string()))
    }

    /// Calls `method`; the outer error is a transport failure, the inner
    /// one the server's JSON-RPC error.
    pub async fn try_call(
        &self,
        method: &str,
        params: Value,
    ) -> Result<Result<Value, RpcError>, Failure> {
        let request = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let response = self
            .http
            .post(&self.url)
            .json(&request)
            .send()
            .await
            .map_err(|error| {
                Failure::not_found(format!(
                    "cannot reach {}: {}",
                    self.url,
                    crate::error_chain(&error)
                ))
            })?;
        let status = response.status();
        let body: Value = response.json().await.map_err(|error| {
            Failure::not_found(format!(
                "{} answered HTTP {status} without a JSON-RPC reply: {error}",
                self.url
            ))
        })?;
        Ok(parse_reply(body))
    }
}

/// Splits a reply into its result or its error.
fn parse_reply(mut body: Value) -> Result<Value, RpcError> {
    if let Some(error) = body.get_mut("error").map(Value::take) {
        let code = match error.get("code") {
            Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
            Some(Value::String(s)) => s.parse().unwrap_or(0),
            _ => 0,
        };
        return Err(RpcError {
            code,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_and_number_codes_are_both_understood() {
        let error = parse_reply(json!({"jsonrpc":"2.0","id":1,"error":{"code":"-32602","message":"Invalid method parameter(s).","data":[{"path":"/domain","message":"Domain name is empty."}]}}))
            .expect_err("error");
        assert_eq!(error.code, -32602);
        assert_eq!(
            error.to_string(),
            "server error -32602: Invalid method parameter(s).\n  /domain: Domain name is empty."
        );
        let error = parse_reply(json!({"error":{"code":-32000,"message":"Test not found","data":{"test_id":"0123456789abcdef"}}}))
            .expect_err("error");
        assert_eq!(error.code, -32000);
        assert!(error.to_string().contains("0123456789abcdef"));
        assert_eq!(parse_reply(json!({"result": 42})).expect("ok"), json!(42));
    }
}
