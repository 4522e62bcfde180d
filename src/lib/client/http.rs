//! One API server over HTTP: a JSON-RPC 2.0 request per call, its reply
//! decoded into a result or a [`ServerError`](super::ServerError).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::error::{ClientError, decode_reply};

/// Where the reference backend listens by default.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:5000";

/// How long one call may take. Look-ups resolve from the root, so they
/// may take several seconds; a minute is far beyond any healthy answer.
const CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// A client of one API server. Cheap to share: calls may run at once.
pub struct Client {
    url: String,
    http: reqwest::Client,
    /// The next request id; ids only need to differ within a connection.
    next_id: AtomicU64,
}

impl Client {
    /// A client for `url` (`http://host:port`, any path).
    pub fn new(url: &str) -> Result<Self, ClientError> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(ClientError::InvalidUrl {
                url: url.to_owned(),
            });
        }
        let http = reqwest::Client::builder()
            .timeout(CALL_TIMEOUT)
            .build()
            .map_err(ClientError::Setup)?;
        Ok(Self {
            url: url.to_owned(),
            http,
            next_id: AtomicU64::new(1),
        })
    }

    /// The server's address.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Calls `method` with `params` and reads the result as `R`.
    pub async fn call<P, R>(&self, method: &str, params: &P) -> Result<R, ClientError>
    where
        P: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let params = serde_json::to_value(params).map_err(|source| ClientError::Params {
            method: method.to_owned(),
            source,
        })?;
        let result = self.call_value(method, Some(params)).await?;
        serde_json::from_value(result).map_err(|source| ClientError::UnexpectedResult {
            method: method.to_owned(),
            source,
        })
    }

    /// Calls any method (aliases and unknown names included) with raw
    /// params, omitted when `None`, and returns the raw result.
    pub async fn call_value(
        &self,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, ClientError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut request = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if let (Some(params), Value::Object(members)) = (params, &mut request) {
            members.insert("params".into(), params);
        }
        let response = self
            .http
            .post(&self.url)
            .json(&request)
            .send()
            .await
            .map_err(|source| ClientError::Unreachable {
                url: self.url.clone(),
                source,
            })?;
        let status = response.status().as_u16();
        let body: Value = response
            .json()
            .await
            .map_err(|source| ClientError::NotJsonRpc {
                url: self.url.clone(),
                status,
                source,
            })?;
        Ok(decode_reply(body)?)
    }
}
