//! HTTP for the API (backend spec §2.1): `POST` on any path, a body-size
//! limit, `X-Forwarded-For` for the caller's address, every JSON-RPC
//! answer as HTTP 200 `application/json`, graceful shutdown.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use tokio::net::TcpListener;

use super::api::{Api, Caller};
use super::error::RpcError;

/// How much of an over-long body is read and thrown away so the client
/// can still read the error (a multiple of the limit); beyond that the
/// connection is simply closed.
const DRAIN_FACTOR: usize = 8;

/// Serves `api` on `listener` until `shutdown` completes, then finishes
/// the requests in flight and returns.
pub async fn serve(
    listener: TcpListener,
    api: Arc<Api>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let app = Router::new().fallback(answer).with_state(api);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// The caller: the last `X-Forwarded-For` entry (added by the nearest
/// proxy, so a client cannot forge it), else the peer.
fn caller_of(headers: &HeaderMap, peer: SocketAddr) -> Caller {
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .rfind(|entry| !entry.is_empty());
    let remote_ip = match forwarded {
        Some(entry) => entry.to_owned(),
        None => peer.ip().to_canonical().to_string(),
    };
    Caller { remote_ip }
}

/// Why a body was not read.
enum BodyError {
    /// Over the limit.
    TooLarge,
    /// The connection failed mid-body.
    Read(axum::Error),
}

/// Reads at most `limit` bytes of `body`.
async fn read_body(body: Body, limit: usize) -> Result<Vec<u8>, BodyError> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(BodyError::Read)?;
        total = total.saturating_add(chunk.len());
        if total <= limit {
            bytes.extend_from_slice(&chunk);
        } else if total > limit.saturating_mul(DRAIN_FACTOR) {
            return Err(BodyError::TooLarge);
        }
    }
    if total > limit {
        return Err(BodyError::TooLarge);
    }
    Ok(bytes)
}

/// HTTP 200 with a JSON body.
fn json_response(value: &serde_json::Value) -> Response {
    let mut response = (StatusCode::OK, value.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Answers one HTTP request.
async fn answer(
    State(api): State<Arc<Api>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Response {
    if request.method() != Method::POST {
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    let caller = caller_of(request.headers(), peer);
    let limit = api.options().max_body_bytes;
    let value = match read_body(request.into_body(), limit).await {
        Ok(body) => api.handle(&body, &caller).await,
        Err(BodyError::TooLarge) => api.refuse(&RpcError::InvalidRequest {
            data: format!("/: Request body larger than {limit} bytes."),
        }),
        Err(BodyError::Read(error)) => {
            tracing::debug!(error = %error, "request body unreadable");
            api.refuse(&RpcError::Parse {
                diagnostic: "the request body could not be read".into(),
            })
        }
    };
    json_response(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_forwarded_entry_is_the_caller() {
        let peer: SocketAddr = "[::ffff:127.0.0.1]:4000".parse().unwrap();
        assert_eq!(caller_of(&HeaderMap::new(), peer).remote_ip, "127.0.0.1");
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("127.0.0.1, 192.0.2.7"),
        );
        assert_eq!(caller_of(&headers, peer).remote_ip, "192.0.2.7");
        headers.append("x-forwarded-for", HeaderValue::from_static("2001:db8::1"));
        assert_eq!(caller_of(&headers, peer).remote_ip, "2001:db8::1");
    }
}
