//! A tiny HTTPS Finesse for REST tests: hyper (HTTP/2 and HTTP/1.1) over tokio-rustls with a
//! throw-away CA. Every request is recorded; a closure decides each answer.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use finesse::rest::{Credentials, NodeAddress, RestClient, RestConfig};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::{HeaderMap, Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::tls_lab::TlsLab;

pub const AGENT_ID: &str = "1001001";
pub const PASSWORD: &str = "pa:ss wörd-S3cret";

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path_and_query: String,
    pub headers: HeaderMap,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// How the fake answers one request.
pub enum Reply {
    /// A status with an XML body (empty string for none).
    Xml(u16, String),
    /// Headers promise a body; a few bytes are sent, then the stream breaks.
    DropMidBody,
    /// Never answer.
    Never,
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("tests/fixtures/rest/{name}")).unwrap()
}

type Handler = Arc<dyn Fn(&Recorded) -> Reply + Send + Sync>;

pub struct FakeFinesse {
    pub node: NodeAddress,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl Drop for FakeFinesse {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeFinesse {
    pub async fn start(
        lab: &TlsLab,
        handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
    ) -> FakeFinesse {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let node = NodeAddress::with_port("127.0.0.1", listener.local_addr().unwrap().port());
        let acceptor = TlsAcceptor::from(lab.server_config(&[b"h2", b"http/1.1"]));
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let task = tokio::spawn(serve(listener, acceptor, recorded.clone(), handler));
        FakeFinesse {
            node,
            recorded,
            task,
        }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.recorded.lock().unwrap().clone()
    }

    pub fn config(&self, lab: &TlsLab) -> RestConfig {
        let mut config = RestConfig::new(self.node.clone(), Credentials::new(AGENT_ID, PASSWORD));
        config.trust = lab.trust();
        config.timeout = Duration::from_secs(10);
        config
    }

    pub fn client(&self, lab: &TlsLab) -> RestClient {
        RestClient::new(self.config(lab)).unwrap()
    }
}

async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    handler: Handler,
) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            return;
        };
        let acceptor = acceptor.clone();
        let recorded = recorded.clone();
        let handler = handler.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let service = hyper::service::service_fn(move |request| {
                answer(request, recorded.clone(), handler.clone())
            });
            hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tls), service)
                .await
                .ok();
        });
    }
}

type Body = BoxBody<Bytes, std::io::Error>;

async fn answer(
    request: Request<Incoming>,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    handler: Handler,
) -> Result<Response<Body>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let request = Recorded {
        method: parts.method.to_string(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    recorded.lock().unwrap().push(request.clone());
    let mut response = match handler(&request) {
        Reply::Xml(status, xml) => {
            let mut response = Response::new(
                Full::new(Bytes::from(xml))
                    .map_err(|never| match never {})
                    .boxed(),
            );
            *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
            response
                .headers_mut()
                .insert("content-type", "application/xml".parse().unwrap());
            response
        }
        Reply::DropMidBody => {
            let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
                Ok(Frame::data(Bytes::from_static(
                    b"<User><loginId>1001001</loginId>",
                ))),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "server went away",
                )),
            ];
            let mut response = Response::new(BodyExt::boxed(StreamBody::new(
                futures_util::stream::iter(frames),
            )));
            response
                .headers_mut()
                .insert("content-length", "4096".parse().unwrap());
            response
        }
        Reply::Never => std::future::pending().await,
    };
    if let Some(id) = request.headers.get("requestId") {
        response.headers_mut().insert("requestId", id.clone());
    }
    Ok(response)
}
