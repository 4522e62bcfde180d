//! HTTP for the API (backend spec §2.1): `POST` on any path, a body-size
//! limit, `X-Forwarded-For` for the caller's address, every JSON-RPC
//! answer as HTTP 200 `application/json`, graceful shutdown.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use ipnet::IpNet;
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

/// The caller (spec §2.1 as amended in docs/rpc-errors.md): the peer,
/// unless the peer is one of `trusted` proxies; then the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy (the
/// left-most when all are), as each trusted proxy appends the address it
/// saw. The header of any other peer is not believed: the caller is that
/// peer, marked as forwarding for someone unknown.
fn caller_of(headers: &HeaderMap, peer: SocketAddr, trusted: &[IpNet]) -> Caller {
    let peer = peer.ip().to_canonical();
    let is_trusted = |ip: IpAddr| trusted.iter().any(|network| network.contains(&ip));
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .collect();
    if forwarded.is_empty() {
        return Caller::direct(peer.to_string());
    }
    if !is_trusted(peer) {
        return Caller::forwarded_by_untrusted(peer.to_string());
    }
    let client = forwarded
        .iter()
        .rev()
        .find(|entry| forwarded_address(entry).is_none_or(|ip| !is_trusted(ip)))
        .or(forwarded.first())
        .map_or_else(String::new, |entry| {
            forwarded_address(entry).map_or_else(|| (*entry).to_owned(), |ip| ip.to_string())
        });
    Caller::direct(client)
}

/// The address of an `X-Forwarded-For` entry: an address, or an address
/// with a port (`192.0.2.7:4711`, `[2001:db8::7]:4711`), as some proxies
/// write it; `None` for anything else.
fn forwarded_address(entry: &str) -> Option<IpAddr> {
    let ip = entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|socket| socket.ip()))
        .ok()?;
    Some(ip.to_canonical())
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
    let caller = caller_of(request.headers(), peer, &api.config.rpcapi.trusted_proxies);
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

    /// Headers with one `X-Forwarded-For` line per item of `values`.
    fn forwarded(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_static(value));
        }
        headers
    }

    fn networks(texts: &[&str]) -> Vec<IpNet> {
        texts.iter().map(|text| text.parse().unwrap()).collect()
    }

    #[test]
    fn without_a_header_the_peer_is_the_caller() {
        let peer: SocketAddr = "[::ffff:127.0.0.1]:4000".parse().unwrap();
        let caller = caller_of(&HeaderMap::new(), peer, &[]);
        assert_eq!(caller, Caller::direct("127.0.0.1".into()));
    }

    /// Issue 4/13, point 12: any client could send `X-Forwarded-For:
    /// 127.0.0.1` and pass the loopback check.
    #[test]
    fn an_untrusted_peer_s_header_is_not_believed() {
        let peer: SocketAddr = "192.0.2.9:4000".parse().unwrap();
        let headers = forwarded(&["127.0.0.1"]);
        let trusted = networks(&["10.0.0.0/8"]);
        let caller = caller_of(&headers, peer, &trusted);
        assert_eq!(caller, Caller::forwarded_by_untrusted("192.0.2.9".into()));
        assert!(!caller.is_local_administrator());
        let local: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        let caller = caller_of(&headers, local, &[]);
        assert!(!caller.is_local_administrator(), "{caller:?}");
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_other_entry_is_the_caller() {
        let peer: SocketAddr = "10.0.0.1:4000".parse().unwrap();
        let trusted = networks(&["10.0.0.0/8", "2001:db8::1/128"]);
        let cases: [(&[&'static str], &str); 6] = [
            (&["127.0.0.1, 192.0.2.7"], "192.0.2.7"),
            (&["192.0.2.7, 10.0.0.2"], "192.0.2.7"),
            (&["192.0.2.7", "2001:db8::1, 10.0.0.3"], "192.0.2.7"),
            (&["10.0.0.4, 10.0.0.5"], "10.0.0.4"),
            (&["198.51.100.1:4711, 10.0.0.2"], "198.51.100.1"),
            (&["::ffff:127.0.0.1"], "127.0.0.1"),
        ];
        for (values, expected) in cases {
            let caller = caller_of(&forwarded(values), peer, &trusted);
            assert_eq!(caller, Caller::direct(expected.into()), "{values:?}");
        }
        let garbage = caller_of(&forwarded(&["unknown"]), peer, &trusted);
        assert_eq!(garbage, Caller::direct("unknown".into()));
        assert!(!garbage.is_local_administrator());
    }
}
