//! One WHOIS exchange over TCP (RFC 3912): the RIPE style of AS-number
//! look-up (engine spec §1.12) asks a WHOIS server, not a name server.
//!
//! It sits beside the DNS transports because it is the same kind of
//! thing: network access the engine must be able to fake in tests and
//! refuse in replays. A [`super::Transport`] answers it through
//! [`super::Transport::whois`]; only [`super::LiveTransport`] opens a
//! socket. The text that comes back is not interpreted here.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, timeout_at};

/// The WHOIS port (RFC 3912 §2).
pub const WHOIS_PORT: u16 = 43;

/// A WHOIS reply is a few lines; more than this is not a reply we use.
const MAX_REPLY: u64 = 64 * 1024;

/// What came of one WHOIS question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WhoisOutcome {
    /// The server's reply, up to the point it closed the connection
    /// (lossily decoded as UTF-8).
    Reply(String),
    /// No connection, or no reply before the timeout; why, for logs.
    NoResponse(String),
}

/// Sends `question` (a line, CRLF added) to `server` and reads the reply
/// until the server closes; the whole exchange gets `timeout`.
pub async fn ask_whois(
    stream: impl Future<Output = std::io::Result<TcpStream>>,
    question: &str,
    timeout: Duration,
) -> WhoisOutcome {
    let deadline = Instant::now() + timeout;
    let mut stream = match timeout_at(deadline, stream).await {
        Err(_elapsed) => return WhoisOutcome::NoResponse("connection timed out".to_owned()),
        Ok(Err(error)) => return WhoisOutcome::NoResponse(error.to_string()),
        Ok(Ok(stream)) => stream,
    };
    let line = format!("{question}\r\n");
    match timeout_at(deadline, stream.write_all(line.as_bytes())).await {
        Err(_elapsed) => return WhoisOutcome::NoResponse("sending timed out".to_owned()),
        Ok(Err(error)) => return WhoisOutcome::NoResponse(error.to_string()),
        Ok(Ok(())) => {}
    }
    let mut reply = Vec::new();
    let mut limited = (&mut stream).take(MAX_REPLY);
    match timeout_at(deadline, limited.read_to_end(&mut reply)).await {
        Err(_elapsed) => WhoisOutcome::NoResponse("no reply before the timeout".to_owned()),
        Ok(Err(error)) => WhoisOutcome::NoResponse(error.to_string()),
        Ok(Ok(_)) => WhoisOutcome::Reply(String::from_utf8_lossy(&reply).into_owned()),
    }
}

/// `server` on the WHOIS port.
pub fn whois_address(server: std::net::IpAddr) -> SocketAddr {
    SocketAddr::new(server, WHOIS_PORT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    #[tokio::test]
    async fn the_question_goes_out_with_crlf_and_the_reply_is_read_to_the_end() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut question = vec![0u8; 64];
            let length = socket.read(&mut question).await.unwrap();
            socket
                .write_all(b"% comment\n64500 192.0.2.0/24\n")
                .await
                .unwrap();
            String::from_utf8(question[..length].to_vec()).unwrap()
        });
        let outcome = ask_whois(
            TcpStream::connect(address),
            "-F -M 192.0.2.1",
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(
            outcome,
            WhoisOutcome::Reply("% comment\n64500 192.0.2.0/24\n".to_owned())
        );
        assert_eq!(server.await.unwrap(), "-F -M 192.0.2.1\r\n");
    }

    #[tokio::test]
    async fn a_refused_connection_is_no_response() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        let outcome = ask_whois(TcpStream::connect(address), "x", Duration::from_secs(5)).await;
        assert!(
            matches!(outcome, WhoisOutcome::NoResponse(_)),
            "{outcome:?}"
        );
    }

    #[tokio::test]
    async fn a_server_that_never_replies_costs_the_timeout() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let _keep = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            std::future::pending::<()>().await;
            drop(socket);
        });
        let outcome = ask_whois(TcpStream::connect(address), "x", Duration::from_millis(200)).await;
        assert_eq!(
            outcome,
            WhoisOutcome::NoResponse("no reply before the timeout".to_owned())
        );
    }
}
