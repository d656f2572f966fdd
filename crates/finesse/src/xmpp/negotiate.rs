//! From a socket to a bound, available session: STARTTLS, SASL PLAIN, resource binding, session,
//! initial presence, and (for Finesse) the wait for `finesse@domain` to be seen available.

use std::sync::Arc;

use finesse_xml::Element;
use rustls::ClientConfig;
use tokio::time::{timeout_at, Instant};

use super::config::{TransportSpec, XmppConfig};
use super::error::XmppError;
use super::stanza;
use super::wire::{self, Frame, TcpFramer, WireReader, WireWriter};

/// A negotiated stream, ready to run.
pub(crate) struct Negotiated {
    pub(crate) reader: WireReader,
    pub(crate) writer: WireWriter,
    pub(crate) bound_jid: String,
    /// Messages and presences that arrived while waiting for `finesse@domain`, in order.
    pub(crate) early: Vec<Element>,
}

/// A failed attempt, and whether the server had already accepted our credentials (then trying
/// another transport would not help).
pub(crate) struct AttemptError {
    pub(crate) error: XmppError,
    pub(crate) authenticated: bool,
}

impl From<XmppError> for AttemptError {
    fn from(error: XmppError) -> Self {
        AttemptError {
            error,
            authenticated: false,
        }
    }
}

/// One complete connection attempt over `transport`, bounded by `config.connect_timeout`.
pub(crate) async fn establish(
    transport: &TransportSpec,
    config: &XmppConfig,
    tls: Arc<ClientConfig>,
) -> Result<Negotiated, AttemptError> {
    let deadline = Instant::now() + config.connect_timeout;
    let domain = config.domain.to_lowercase();
    let (mut reader, mut writer) = timeout_at(
        deadline,
        connect_and_authenticate(transport, config, tls, &domain),
    )
    .await
    .map_err(|_| XmppError::Timeout(format!("connecting to {transport}")))??;

    // From here on the credentials are accepted: failures are not the transport's fault.
    let after_auth = |error: XmppError| AttemptError {
        error,
        authenticated: true,
    };
    let (bound_jid, early) = timeout_at(deadline, async {
        let features = open_stream(&mut reader, &mut writer, &domain).await?;
        let bound_jid = bind(&mut reader, &mut writer, &features, &config.resource).await?;
        writer.send(&stanza::initial_presence()).await?;
        let early = if config.require_finesse_presence {
            wait_for_finesse(&mut reader, &mut writer, &domain).await?
        } else {
            Vec::new()
        };
        Ok::<_, XmppError>((bound_jid, early))
    })
    .await
    .map_err(|_| {
        after_auth(XmppError::Timeout(format!(
            "waiting for finesse@{domain} to be available"
        )))
    })?
    .map_err(after_auth)?;
    Ok(Negotiated {
        reader,
        writer,
        bound_jid,
        early,
    })
}

async fn connect_and_authenticate(
    transport: &TransportSpec,
    config: &XmppConfig,
    tls: Arc<ClientConfig>,
    domain: &str,
) -> Result<(WireReader, WireWriter), XmppError> {
    let (mut reader, mut writer) = match transport {
        TransportSpec::WebSocket { url } => wire::connect_websocket(url, tls).await?,
        TransportSpec::DirectTls { host, port } => {
            let tcp = wire::connect_tcp(host, *port).await?;
            wire::start_tls(tcp, host, tls).await?
        }
        TransportSpec::StartTls { host, port } => {
            let tcp = wire::connect_tcp(host, *port).await?;
            let tcp = upgrade_plain_stream(tcp, domain).await?;
            wire::start_tls(tcp, host, tls).await?
        }
    };
    let features = open_stream(&mut reader, &mut writer, domain).await?;
    authenticate(&mut reader, &mut writer, &features, config).await?;
    Ok((reader, writer))
}

/// STARTTLS on a plain socket: greet, require the offer, get `<proceed/>`, hand the socket back.
async fn upgrade_plain_stream(
    tcp: tokio::net::TcpStream,
    domain: &str,
) -> Result<tokio::net::TcpStream, XmppError> {
    let mut framer = TcpFramer::new(tcp);
    framer.write(&stanza::tcp_stream_header(domain)).await?;
    expect_open(framer.recv().await?)?;
    let features = expect_stanza(framer.recv().await?)?;
    if !features.is("features") || features.child("starttls").is_none() {
        return Err(XmppError::Tls(
            "the server does not offer STARTTLS; refusing to authenticate in plaintext".into(),
        ));
    }
    framer.write(&stanza::starttls()).await?;
    let answer = expect_stanza(framer.recv().await?)?;
    if !answer.is("proceed") {
        return Err(XmppError::Tls(format!(
            "STARTTLS refused (<{}/>)",
            answer.name
        )));
    }
    framer.into_inner()
}

/// Send our stream header and read the server's header and features.
async fn open_stream(
    reader: &mut WireReader,
    writer: &mut WireWriter,
    domain: &str,
) -> Result<Element, XmppError> {
    writer.open_stream(domain).await?;
    expect_open(reader.recv().await?)?;
    let features = expect_stanza(reader.recv().await?)?;
    if !features.is("features") {
        return Err(XmppError::Protocol(format!(
            "expected <stream:features>, got <{}>",
            features.name
        )));
    }
    Ok(features)
}

async fn authenticate(
    reader: &mut WireReader,
    writer: &mut WireWriter,
    features: &Element,
    config: &XmppConfig,
) -> Result<(), XmppError> {
    let offers_plain = features.child("mechanisms").is_some_and(|m| {
        m.children_named("mechanism").any(|c| {
            c.text_trimmed()
                .is_some_and(|t| t.eq_ignore_ascii_case("PLAIN"))
        })
    });
    if !offers_plain {
        return Err(XmppError::Protocol(
            "the server does not offer SASL PLAIN".into(),
        ));
    }
    writer
        .send(&stanza::auth_plain(
            &config.username(),
            config.password.expose(),
        ))
        .await?;
    let answer = expect_stanza(reader.recv().await?)?;
    if answer.is("success") {
        return Ok(());
    }
    if answer.is("failure") {
        let condition = stanza::error_condition(&answer);
        // Only a transient server-side problem may be retried: any other refusal counts towards
        // Finesse's five-strikes account lockout.
        if condition == "temporary-auth-failure" {
            return Err(XmppError::Protocol(
                "temporary authentication failure".into(),
            ));
        }
        return Err(XmppError::AuthenticationFailed { condition });
    }
    Err(XmppError::Protocol(format!(
        "unexpected <{}> during authentication",
        answer.name
    )))
}

async fn bind(
    reader: &mut WireReader,
    writer: &mut WireWriter,
    features: &Element,
    resource: &str,
) -> Result<String, XmppError> {
    if features.child("bind").is_none() {
        return Err(XmppError::BindFailed(
            "the server does not offer resource binding".into(),
        ));
    }
    writer.send(&stanza::bind("bind-1", resource)).await?;
    let answer = expect_iq_answer(reader, writer, "bind-1").await?;
    if answer.attr("type") != Some("result") {
        return Err(XmppError::BindFailed(stanza::stanza_error(&answer).0));
    }
    let jid = answer
        .descend(&["bind", "jid"])
        .and_then(Element::text_trimmed)
        .ok_or_else(|| XmppError::BindFailed("the bind result carries no JID".into()))?
        .to_owned();

    // RFC 3921 session establishment: required by older servers (Openfire), optional elsewhere.
    let session_required = features
        .child("session")
        .is_some_and(|s| s.child("optional").is_none());
    if session_required {
        writer.send(&stanza::session("session-1")).await?;
        let answer = expect_iq_answer(reader, writer, "session-1").await?;
        if answer.attr("type") != Some("result") {
            return Err(XmppError::BindFailed(format!(
                "session establishment refused ({})",
                stanza::stanza_error(&answer).0
            )));
        }
    }
    Ok(jid)
}

/// Read until the answer to IQ `id`, answering server pings on the way.
async fn expect_iq_answer(
    reader: &mut WireReader,
    writer: &mut WireWriter,
    id: &str,
) -> Result<Element, XmppError> {
    loop {
        let stanza = expect_stanza(reader.recv().await?)?;
        if stanza.is("iq") {
            if stanza.attr("id") == Some(id)
                && matches!(stanza.attr("type"), Some("result" | "error"))
            {
                return Ok(stanza);
            }
            answer_request(writer, &stanza).await?;
        }
    }
}

/// Wait for available presence from `finesse@domain` (any resource); keep everything else.
async fn wait_for_finesse(
    reader: &mut WireReader,
    writer: &mut WireWriter,
    domain: &str,
) -> Result<Vec<Element>, XmppError> {
    let finesse = format!("finesse@{domain}");
    let mut early = Vec::new();
    loop {
        let stanza = expect_stanza(reader.recv().await?)?;
        if stanza.is("iq") {
            answer_request(writer, &stanza).await?;
            continue;
        }
        let from_finesse = stanza
            .attr("from")
            .is_some_and(|from| stanza::bare_jid(from).eq_ignore_ascii_case(&finesse));
        let available = stanza.is("presence")
            && from_finesse
            && stanza::presence_availability(&stanza) == Some(true);
        if stanza.is("message") || stanza.is("presence") {
            early.push(stanza);
        }
        if available {
            return Ok(early);
        }
    }
}

/// Answer an IQ request addressed to us: pong a ping, acknowledge a roster push, refuse the rest.
pub(crate) async fn answer_request(writer: &mut WireWriter, iq: &Element) -> Result<(), XmppError> {
    let (Some(id), Some(kind)) = (iq.attr("id"), iq.attr("type")) else {
        return Ok(());
    };
    if kind != "get" && kind != "set" {
        return Ok(());
    }
    let to = iq.attr("from");
    let reply = if stanza::is_ping_request(iq)
        || iq
            .child("query")
            .is_some_and(|q| q.namespace.as_deref() == Some("jabber:iq:roster"))
    {
        stanza::iq_result(id, to)
    } else {
        stanza::iq_service_unavailable(id, to)
    };
    writer.send(&reply).await
}

fn expect_open(frame: Frame) -> Result<(), XmppError> {
    match frame {
        Frame::Open => Ok(()),
        other => expect_stanza(other).and_then(|s| {
            Err(XmppError::Protocol(format!(
                "expected a stream header, got <{}>",
                s.name
            )))
        }),
    }
}

/// A stanza, or the error that the frame stands for (stream error, closed stream).
pub(crate) fn expect_stanza(frame: Frame) -> Result<Element, XmppError> {
    match frame {
        Frame::Stanza(element) if element.is("error") => Err(stream_error(&element)),
        Frame::Stanza(element) => Ok(element),
        Frame::Open => Err(XmppError::Protocol("unexpected stream restart".into())),
        Frame::Close | Frame::Eof => Err(XmppError::Closed(
            "the server closed the stream during negotiation".into(),
        )),
    }
}

fn stream_error(error: &Element) -> XmppError {
    let condition = stanza::error_condition(error);
    if condition == "conflict" {
        return XmppError::SignedInElsewhere;
    }
    match error.child_text("text") {
        Some(text) => XmppError::Protocol(format!("stream error {condition}: {text}")),
        None => XmppError::Protocol(format!("stream error {condition}")),
    }
}
