//! The fault proxy itself, against a plain TCP echo server: each mode does to the bytes
//! what it says.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ringside_tests::fault_proxy::{Direction, FaultMode, FaultProxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

const PATIENCE: Duration = Duration::from_secs(10);

/// An echo server that also reports every chunk it received.
struct Echo {
    addr: SocketAddr,
    accepted: Arc<AtomicU64>,
    received: mpsc::UnboundedReceiver<Vec<u8>>,
}

async fn echo_server() -> Echo {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicU64::new(0));
    let (tx, received) = mpsc::unbounded_channel();
    let counter = accepted.clone();
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            counter.fetch_add(1, Ordering::SeqCst);
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buffer = [0u8; 1024];
                loop {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => {
                            let _ = tx.send(buffer[..n].to_vec());
                            if stream.write_all(&buffer[..n]).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
    });
    Echo {
        addr,
        accepted,
        received,
    }
}

async fn proxy_to(echo: &Echo) -> FaultProxy {
    FaultProxy::start("127.0.0.1:0".parse().unwrap(), echo.addr)
        .await
        .unwrap()
}

async fn read_exactly(stream: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buffer = vec![0u8; n];
    tokio::time::timeout(PATIENCE, stream.read_exact(&mut buffer))
        .await
        .expect("data in time")
        .unwrap();
    buffer
}

async fn server_got(echo: &mut Echo) -> Vec<u8> {
    tokio::time::timeout(PATIENCE, echo.received.recv())
        .await
        .expect("the server got data in time")
        .unwrap()
}

/// The connection ends (EOF or reset) rather than delivering anything.
async fn ends(stream: &mut TcpStream) {
    let mut buffer = [0u8; 16];
    match tokio::time::timeout(PATIENCE, stream.read(&mut buffer))
        .await
        .expect("the connection ended in time")
    {
        Ok(0) | Err(_) => {}
        Ok(n) => panic!("expected the end, got {n} bytes"),
    }
}

#[tokio::test]
async fn bytes_flow_both_ways_in_pass() {
    let mut echo = echo_server().await;
    let proxy = proxy_to(&echo).await;
    let mut client = TcpStream::connect(proxy.local_addr()).await.unwrap();
    client.write_all(b"hello").await.unwrap();
    assert_eq!(server_got(&mut echo).await, b"hello");
    assert_eq!(read_exactly(&mut client, 5).await, b"hello");
    assert_eq!(proxy.accepted(), 1);
}

#[tokio::test]
async fn drop_resets_open_connections_and_every_new_one() {
    let echo = echo_server().await;
    let proxy = proxy_to(&echo).await;
    let mut open = TcpStream::connect(proxy.local_addr()).await.unwrap();
    open.write_all(b"x").await.unwrap();
    assert_eq!(read_exactly(&mut open, 1).await, b"x");

    proxy.set_mode(FaultMode::Drop);
    ends(&mut open).await;
    let mut fresh = TcpStream::connect(proxy.local_addr()).await.unwrap();
    ends(&mut fresh).await;
    assert_eq!(
        echo.accepted.load(Ordering::SeqCst),
        1,
        "nothing new reached the server"
    );
    assert!(proxy.resets() >= 2);

    proxy.set_mode(FaultMode::Pass);
    let mut again = TcpStream::connect(proxy.local_addr()).await.unwrap();
    again.write_all(b"back").await.unwrap();
    assert_eq!(read_exactly(&mut again, 4).await, b"back");
}

#[tokio::test]
async fn a_black_hole_holds_everything_and_delivers_it_in_order_once_healed() {
    let mut echo = echo_server().await;
    let proxy = proxy_to(&echo).await;
    let mut open = TcpStream::connect(proxy.local_addr()).await.unwrap();
    open.write_all(b"a").await.unwrap();
    assert_eq!(read_exactly(&mut open, 1).await, b"a");
    assert_eq!(server_got(&mut echo).await, b"a");

    proxy.set_mode(FaultMode::BlackHole);
    open.write_all(b"b").await.unwrap();
    let mut newcomer = TcpStream::connect(proxy.local_addr()).await.unwrap();
    newcomer.write_all(b"n").await.unwrap();
    assert_eq!(
        echo.accepted.load(Ordering::SeqCst),
        1,
        "the newcomer never reached the server"
    );
    assert!(echo.received.try_recv().is_err(), "nothing got through");

    proxy.set_mode(FaultMode::Pass);
    open.write_all(b"c").await.unwrap();
    assert_eq!(read_exactly(&mut open, 2).await, b"bc");
    assert_eq!(read_exactly(&mut newcomer, 1).await, b"n");
    assert_eq!(echo.accepted.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn half_open_stops_one_direction_only() {
    let mut echo = echo_server().await;
    let proxy = proxy_to(&echo).await;
    let mut client = TcpStream::connect(proxy.local_addr()).await.unwrap();
    client.write_all(b"1").await.unwrap();
    assert_eq!(read_exactly(&mut client, 1).await, b"1");
    assert_eq!(server_got(&mut echo).await, b"1");

    proxy.set_mode(FaultMode::HalfOpen {
        stopped: Direction::ServerToClient,
    });
    client.write_all(b"2").await.unwrap();
    assert_eq!(server_got(&mut echo).await, b"2", "the server still hears");

    proxy.set_mode(FaultMode::HalfOpen {
        stopped: Direction::ClientToServer,
    });
    // The held echo of "2" may now reach the client; what it sends does not leave.
    assert_eq!(read_exactly(&mut client, 1).await, b"2");
    client.write_all(b"3").await.unwrap();
    assert!(echo.received.try_recv().is_err());

    proxy.set_mode(FaultMode::Pass);
    assert_eq!(server_got(&mut echo).await, b"3");
    assert_eq!(read_exactly(&mut client, 1).await, b"3");
}

#[tokio::test]
async fn delay_keeps_the_order_of_the_bytes() {
    let mut echo = echo_server().await;
    let proxy = proxy_to(&echo).await;
    proxy.set_mode(FaultMode::Delay(Duration::from_millis(30)));
    let mut client = TcpStream::connect(proxy.local_addr()).await.unwrap();
    for chunk in [b"p", b"q", b"r"] {
        client.write_all(chunk).await.unwrap();
    }
    let mut seen = Vec::new();
    while seen.len() < 3 {
        seen.extend(server_got(&mut echo).await);
    }
    assert_eq!(seen, b"pqr");
    assert_eq!(read_exactly(&mut client, 3).await, b"pqr");
}
