//! The gateway websocket: HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats with a deadline,
//! RESUME with replay, RECONNECT, INVALID_SESSION, close codes, shard routing and intent
//! filtering, withheld heartbeat ACKs for testing how a client handles a zombied connection, and
//! a log of identifies and resumes so tests can tell a resumed session from a new one.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::time::Instant;

use crate::Shared;
use crate::world::World;

/// Gateway intents the simulator honours (bit values from Discord's gateway page).
pub mod intents {
    /// Guild, channel, thread and role events.
    pub const GUILDS: u64 = 1 << 0;
    /// Member events (privileged).
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    /// Presence updates (privileged).
    pub const GUILD_PRESENCES: u64 = 1 << 8;
    /// Messages in guilds.
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    /// Messages in DMs.
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    /// Message content of other users' messages (privileged).
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
    /// The privileged intents, which an application must be granted.
    pub const PRIVILEGED: u64 = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;
    /// Every intent Discord defines today.
    pub const ALL: u64 = (1 << 26) - 1;
}

/// How many dispatched frames a session keeps for replay on RESUME.
const REPLAY_LIMIT: usize = 10_000;

/// Close code for a connection whose heartbeat is overdue. Discord says such a connection is
/// closed and the client "forced to Resume" but names no code; 4000 (Unknown error) is one whose
/// documented "reconnect" is true and which, unlike 4007 and 4009, does not tell the client to
/// start a new session, so clients keep their session and resume.
const HEARTBEAT_TIMEOUT_CLOSE: u16 = 4000;

/// How long after HELLO or the last heartbeat a connection may stay silent before it is closed.
/// A client is allowed to wait `interval × jitter` (jitter up to 1) before its first beat and
/// then one interval between beats; the extra half interval absorbs scheduling and network delay
/// (Discord says its interval already has tolerance for that, without giving a figure).
fn heartbeat_deadline(interval: Duration) -> Duration {
    interval + interval / 2
}

/// What the simulator tells a live connection to do.
#[derive(Debug)]
pub enum Out {
    /// Send this JSON payload as a text frame.
    Frame(Value),
    /// Close with this code and reason.
    Close(u16, String),
    /// Drop the TCP connection without a close frame.
    Drop,
}

/// One identified gateway session.
#[derive(Debug)]
pub struct Session {
    /// `session_id` given in READY.
    pub id: String,
    /// `[shard_id, num_shards]`.
    pub shard: [u64; 2],
    /// Intents requested at IDENTIFY.
    pub intents: u64,
    /// Last sequence number used.
    pub seq: u64,
    sent: Vec<Value>,
    tx: Option<UnboundedSender<Out>>,
    conn: u64,
    acks_withheld: bool,
}

impl Session {
    /// Whether a connection is attached.
    pub fn connected(&self) -> bool {
        self.tx.is_some()
    }
}

/// All gateway sessions and the settings that govern them.
#[derive(Debug, Default)]
pub struct Sessions {
    /// Sessions, live or waiting to be resumed.
    pub list: Vec<Session>,
    /// Intents the application may use.
    pub allowed_intents: u64,
    /// Heartbeat interval given in HELLO.
    pub heartbeat_interval_ms: u64,
    next_conn: u64,
    /// Every dispatched event (name and data), for tests, before per-session filtering.
    pub history: Vec<(String, Value)>,
    /// Every IDENTIFY and RESUME answered, in order, for tests.
    pub handshakes: Vec<Handshake>,
}

/// How the gateway answered a client starting or continuing a session: tests tell a resumed
/// session from a new one by these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handshake {
    /// IDENTIFY answered with READY: a new session on `[shard_id, num_shards]`.
    Identified([u64; 2]),
    /// RESUME answered with the missed events and RESUMED, for the session on this shard.
    Resumed([u64; 2]),
    /// RESUME answered with INVALID_SESSION (`false`): no such session, or not replayable.
    Refused,
}

/// How an event's content is treated for sessions without MESSAGE_CONTENT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Not a message event.
    None,
    /// A message whose content every session may see (the bot's own, a DM, or one mentioning it).
    Visible,
    /// A message whose content needs MESSAGE_CONTENT.
    Privileged,
}

impl World {
    /// Sends an event to every session that should get it: on the guild's shard (DMs on shard
    /// 0), with the needed intent (0 for none), stripping content where MESSAGE_CONTENT is missing.
    pub fn dispatch(
        &mut self,
        guild_id: Option<u64>,
        event: &str,
        data: Value,
        intent: u64,
        content: Content,
    ) {
        self.sessions.history.push((event.to_owned(), data.clone()));
        // A guild's events reach only a bot that is in it.
        let bot = self.bot_id();
        if let Some(guild) = guild_id
            && !self
                .guilds
                .get(&guild)
                .is_some_and(|g| g.members.contains_key(&bot))
        {
            return;
        }
        for session in &mut self.sessions.list {
            let [shard_id, shards] = session.shard;
            let target = guild_id.map_or(0, |g| (g >> 22) % shards.max(1));
            if target != shard_id || (intent != 0 && session.intents & intent == 0) {
                continue;
            }
            let mut d = data.clone();
            if content == Content::Privileged && session.intents & intents::MESSAGE_CONTENT == 0 {
                strip_content(&mut d);
            }
            send_dispatch(session, event, d);
        }
    }
}

impl World {
    /// Sends GUILD_CREATE for a guild the bot joined to its shard's sessions with GUILDS, with
    /// the member list only for sessions that have GUILD_MEMBERS.
    pub fn dispatch_guild_create(&mut self, guild_id: u64) {
        let Some(guild) = self.guilds.get(&guild_id) else {
            return;
        };
        let full = self.guild_create_json(guild, true);
        let slim = self.guild_create_json(guild, false);
        self.sessions
            .history
            .push(("GUILD_CREATE".into(), full.clone()));
        for session in &mut self.sessions.list {
            let [shard_id, shards] = session.shard;
            if (guild_id >> 22) % shards.max(1) != shard_id
                || session.intents & intents::GUILDS == 0
            {
                continue;
            }
            let d = if session.intents & intents::GUILD_MEMBERS != 0 {
                full.clone()
            } else {
                slim.clone()
            };
            send_dispatch(session, "GUILD_CREATE", d);
        }
    }
}

impl World {
    /// Sends GUILD_DELETE for a guild the bot was removed from to its shard's sessions with
    /// GUILDS: an unavailable guild object without `unavailable`, which is how Discord tells a
    /// removal from an outage.
    pub fn dispatch_guild_removed(&mut self, guild_id: u64) {
        let data = json!({"id": guild_id.to_string()});
        self.sessions
            .history
            .push(("GUILD_DELETE".into(), data.clone()));
        for session in &mut self.sessions.list {
            let [shard_id, shards] = session.shard;
            if (guild_id >> 22) % shards.max(1) != shard_id
                || session.intents & intents::GUILDS == 0
            {
                continue;
            }
            send_dispatch(session, "GUILD_DELETE", data.clone());
        }
    }
}

fn strip_content(d: &mut Value) {
    if let Some(o) = d.as_object_mut() {
        for (key, empty) in [
            ("content", json!("")),
            ("embeds", json!([])),
            ("attachments", json!([])),
            ("components", json!([])),
        ] {
            if o.contains_key(key) {
                o.insert(key.into(), empty);
            }
        }
        o.remove("poll");
    }
}

fn send_dispatch(session: &mut Session, event: &str, d: Value) {
    session.seq += 1;
    let frame = json!({"op": 0, "t": event, "s": session.seq, "d": d});
    if session.sent.len() >= REPLAY_LIMIT {
        session.sent.remove(0);
    }
    session.sent.push(frame.clone());
    if let Some(tx) = &session.tx
        && tx.send(Out::Frame(frame)).is_err()
    {
        session.tx = None;
    }
}

/// Test controls over live connections.
impl Sessions {
    /// Drops every connection without a close frame; sessions stay resumable.
    pub fn drop_connections(&mut self) {
        for s in &mut self.list {
            if let Some(tx) = s.tx.take() {
                let _ = tx.send(Out::Drop);
            }
        }
    }

    /// Sends op 7 RECONNECT to every connection.
    pub fn send_reconnect(&mut self) {
        for s in &self.list {
            if let Some(tx) = &s.tx {
                let _ = tx.send(Out::Frame(
                    json!({"op": 7, "d": null, "s": null, "t": null}),
                ));
            }
        }
    }

    /// Sends op 9 INVALID_SESSION; sessions that cannot be resumed are forgotten.
    pub fn invalidate(&mut self, resumable: bool) {
        for s in &self.list {
            if let Some(tx) = &s.tx {
                let _ = tx.send(Out::Frame(
                    json!({"op": 9, "d": resumable, "s": null, "t": null}),
                ));
            }
        }
        if !resumable {
            self.list.clear();
        }
    }

    /// Asks every connection for an immediate heartbeat (op 1 from the server).
    pub fn request_heartbeat(&self) {
        for s in &self.list {
            if let Some(tx) = &s.tx {
                let _ = tx.send(Out::Frame(
                    json!({"op": 1, "d": s.seq, "s": null, "t": null}),
                ));
            }
        }
    }

    /// With `true`, the connections attached now stop getting Heartbeat ACKs (op 11): they are
    /// "zombied" and a client should notice, close and resume. A connection made later (a
    /// resume included) gets its ACKs, so the fault is a broken connection that reconnecting
    /// cures, not an outage. With `false`, connections still zombied get their ACKs again.
    pub fn withhold_heartbeat_acks(&mut self, withhold: bool) {
        for s in &mut self.list {
            s.acks_withheld = withhold && s.tx.is_some();
        }
    }
}

/// Axum handler for the websocket upgrade on `/`.
pub(crate) async fn upgrade(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| run(shared, socket))
}

/// What the connection loop knows about its own connection.
struct Conn {
    id: u64,
    identified: bool,
    /// When the connection is closed unless a heartbeat arrives first.
    deadline: Instant,
    allowance: Duration,
}

async fn run(shared: Arc<Shared>, mut socket: WebSocket) {
    let (tx, mut rx) = unbounded_channel::<Out>();
    let (id, interval) = {
        let mut w = shared.lock();
        w.sessions.next_conn += 1;
        (w.sessions.next_conn, w.sessions.heartbeat_interval_ms)
    };
    let hello = json!({"op": 10, "d": {"heartbeat_interval": interval}, "s": null, "t": null});
    if socket
        .send(WsMessage::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    let allowance = heartbeat_deadline(Duration::from_millis(interval));
    let mut conn = Conn {
        id,
        identified: false,
        deadline: Instant::now() + allowance,
        allowance,
    };
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(WsMessage::Text(t))) => t.to_string(),
                    Some(Ok(WsMessage::Binary(_))) => {
                        let _ = close(&mut socket, 4002, "Error while decoding payload.").await;
                        break;
                    }
                    // Discord answers a client's close frame with the same code, completing
                    // the closing handshake the client waits for.
                    Some(Ok(WsMessage::Close(frame))) => {
                        let _ = socket.send(WsMessage::Close(frame)).await;
                        break;
                    }
                    None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                let reply = handle(&shared, &text, &mut conn, &tx);
                if let Some(out) = reply {
                    for frame in out {
                        let _ = tx.send(frame);
                    }
                }
            }
            // The session outlives the connection (the loop's end only detaches it), so the
            // client can resume and get what was dispatched meanwhile.
            () = tokio::time::sleep_until(conn.deadline) => {
                let _ = close(&mut socket, HEARTBEAT_TIMEOUT_CLOSE, "Heartbeat timed out.").await;
                break;
            }
            out = rx.recv() => match out {
                Some(Out::Frame(v)) => {
                    if socket.send(WsMessage::Text(v.to_string().into())).await.is_err() {
                        break;
                    }
                }
                Some(Out::Close(code, reason)) => {
                    let _ = close(&mut socket, code, &reason).await;
                    break;
                }
                Some(Out::Drop) | None => break,
            }
        }
    }
    let mut w = shared.lock();
    for s in w.sessions.list.iter_mut().filter(|s| s.conn == conn.id) {
        s.tx = None;
    }
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) -> Result<(), axum::Error> {
    socket
        .send(WsMessage::Close(Some(CloseFrame {
            code,
            reason: reason.to_owned().into(),
        })))
        .await
}

/// Handles one client payload; returns frames for this connection only (READY and the like go
/// through the session so that they get sequence numbers).
fn handle(
    shared: &Shared,
    text: &str,
    conn: &mut Conn,
    tx: &UnboundedSender<Out>,
) -> Option<Vec<Out>> {
    let Ok(payload) = serde_json::from_str::<Value>(text) else {
        return Some(vec![Out::Close(
            4002,
            "Error while decoding payload.".into(),
        )]);
    };
    let op = payload.get("op").and_then(Value::as_u64);
    let d = payload.get("d").cloned().unwrap_or(Value::Null);
    match op {
        Some(1) => {
            conn.deadline = Instant::now() + conn.allowance;
            let withheld = shared
                .lock()
                .sessions
                .list
                .iter()
                .any(|s| s.conn == conn.id && s.acks_withheld);
            (!withheld).then(|| {
                vec![Out::Frame(
                    json!({"op": 11, "d": null, "s": null, "t": null}),
                )]
            })
        }
        Some(2) if conn.identified => Some(vec![Out::Close(4005, "Already authenticated.".into())]),
        Some(2) => {
            let mut w = shared.lock();
            match identify(&mut w, &shared.gateway_url(), &d, conn.id, tx) {
                Ok(()) => {
                    conn.identified = true;
                    None
                }
                Err(out) => Some(vec![out]),
            }
        }
        Some(6) => {
            let mut w = shared.lock();
            if let Some(shard) = resume(&mut w, &d, conn.id, tx) {
                w.sessions.handshakes.push(Handshake::Resumed(shard));
                conn.identified = true;
                None
            } else {
                w.sessions.handshakes.push(Handshake::Refused);
                Some(vec![Out::Frame(
                    json!({"op": 9, "d": false, "s": null, "t": null}),
                )])
            }
        }
        Some(3 | 4 | 8) if conn.identified => None,
        Some(3 | 4 | 8) => Some(vec![Out::Close(4003, "Not authenticated.".into())]),
        _ => Some(vec![Out::Close(4001, "Unknown opcode.".into())]),
    }
}

fn token_matches(w: &World, d: &Value) -> bool {
    let given = d.get("token").and_then(Value::as_str).unwrap_or_default();
    given.strip_prefix("Bot ").unwrap_or(given) == w.app.token
}

fn identify(
    w: &mut World,
    gateway_url: &str,
    d: &Value,
    conn: u64,
    tx: &UnboundedSender<Out>,
) -> Result<(), Out> {
    if !d.is_object()
        || d.get("properties").is_none()
        || d.get("intents").and_then(Value::as_u64).is_none()
    {
        return Err(Out::Close(4002, "Error while decoding payload.".into()));
    }
    if !token_matches(w, d) {
        return Err(Out::Close(4004, "Authentication failed.".into()));
    }
    let requested = d.get("intents").and_then(Value::as_u64).unwrap_or(0);
    if requested & !intents::ALL != 0 {
        return Err(Out::Close(4013, "Invalid intent(s).".into()));
    }
    if requested & !w.sessions.allowed_intents != 0 {
        return Err(Out::Close(4014, "Disallowed intent(s).".into()));
    }
    let shard = match d.get("shard") {
        None | Some(Value::Null) => [0, 1],
        Some(s) => match (
            s.get(0).and_then(Value::as_u64),
            s.get(1).and_then(Value::as_u64),
        ) {
            (Some(id), Some(n)) if n > 0 && id < n => [id, n],
            _ => return Err(Out::Close(4010, "Invalid shard.".into())),
        },
    };
    let session_id = format!("{:032x}", rand::random::<u128>());
    let bot_id = w.bot_id();
    let guild_ids: Vec<u64> = w
        .guilds
        .values()
        .filter(|g| g.members.contains_key(&bot_id) && (g.id >> 22) % shard[1] == shard[0])
        .map(|g| g.id)
        .collect();
    let ready = json!({
        "v": 10,
        "user": w.users.get(&bot_id).map(|u| u.to_current_json()),
        "guilds": guild_ids.iter().map(|g| json!({"id": g.to_string(), "unavailable": true})).collect::<Vec<_>>(),
        "session_id": session_id,
        "resume_gateway_url": gateway_url,
        "shard": shard,
        "application": {"id": w.app.id.to_string(), "flags": w.app.flags},
    });
    let mut session = Session {
        id: session_id,
        shard,
        intents: requested,
        seq: 0,
        sent: Vec::new(),
        tx: Some(tx.clone()),
        conn,
        acks_withheld: false,
    };
    send_dispatch(&mut session, "READY", ready);
    let with_members = requested & intents::GUILD_MEMBERS != 0;
    if requested & intents::GUILDS != 0 {
        for g in &guild_ids {
            if let Some(guild) = w.guilds.get(g) {
                let data = w.guild_create_json(guild, with_members);
                send_dispatch(&mut session, "GUILD_CREATE", data);
            }
        }
    }
    w.sessions.list.push(session);
    w.sessions.handshakes.push(Handshake::Identified(shard));
    Ok(())
}

/// Resumes the session `d` names on this connection; returns its shard, or `None` when it
/// cannot be resumed.
fn resume(w: &mut World, d: &Value, conn: u64, tx: &UnboundedSender<Out>) -> Option<[u64; 2]> {
    if !token_matches(w, d) {
        return None;
    }
    let id = d
        .get("session_id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let seq = d.get("seq").and_then(Value::as_u64).unwrap_or(0);
    let session = w.sessions.list.iter_mut().find(|s| s.id == id)?;
    // A sequence older than what the buffer still holds cannot be replayed faithfully.
    let oldest = session
        .sent
        .first()
        .and_then(|f| f["s"].as_u64())
        .unwrap_or(1);
    if seq + 1 < oldest {
        return None;
    }
    if let Some(old) = session.tx.replace(tx.clone()) {
        let _ = old.send(Out::Drop);
    }
    session.conn = conn;
    session.acks_withheld = false;
    for frame in session
        .sent
        .iter()
        .filter(|f| f["s"].as_u64().is_some_and(|s| s > seq))
    {
        let _ = tx.send(Out::Frame(frame.clone()));
    }
    send_dispatch(session, "RESUMED", json!({}));
    Some(session.shard)
}
