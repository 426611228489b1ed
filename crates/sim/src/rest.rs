//! The REST API under `/api/v10`: routing to Discord's route templates, authorization, the
//! request log, rate-limit headers, and one handler per implemented endpoint.

use std::sync::Arc;

use axum::body::to_bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::Shared;
use crate::error::DiscordError;
use crate::faults;
use crate::gateway::{Content, intents};
use crate::interact;
use crate::log::{RequestRecord, Unimplemented};
use crate::messages::{Origin, Upload};
use crate::ratelimit;
use crate::validate;
use crate::world::{
    Channel, Overwrite, World, bits, bits_of, channel_type, id_of, is_thread, now_iso,
};

/// Most request bodies Discord accepts (25 MiB with files), as a safety bound.
const BODY_LIMIT: usize = 26 * 1024 * 1024;

/// One implemented endpoint with the ids from its path.
#[derive(Debug, Clone)]
enum Endpoint {
    Gateway,
    GatewayBot,
    Me,
    User(u64),
    AppMe,
    Commands {
        app: u64,
        guild: Option<u64>,
        put: bool,
    },
    Guild(u64),
    GuildChannels(u64),
    CreateGuildChannel(u64),
    Roles(u64),
    Member(u64, u64),
    Members(u64),
    Channel(u64),
    PatchChannel(u64),
    DeleteChannel(u64),
    PutOverwrite(u64, u64),
    DeleteOverwrite(u64, u64),
    CreateMessage(u64),
    ListMessages(u64),
    GetMessage(u64, u64),
    PatchMessage(u64, u64),
    DeleteMessage(u64, u64),
    BulkDelete(u64),
    CreateDm,
    StartThread(u64),
    ThreadMember {
        channel: u64,
        user: Option<u64>,
        method: Method,
    },
    ThreadMembers(u64),
    Callback(u64, String),
    WebhookMessage {
        app: u64,
        token: String,
        message: String,
        method: Method,
    },
    FollowUp(u64, String),
}

/// Matches a method and path to an endpoint and Discord's route template.
fn route(method: &Method, path: &str) -> Option<(&'static str, Endpoint)> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let id = |s: &str| s.parse::<u64>().ok();
    use Endpoint as E;
    let m = method.clone();
    Some(match (method.as_str(), segs.as_slice()) {
        ("GET", ["gateway"]) => ("/gateway", E::Gateway),
        ("GET", ["gateway", "bot"]) => ("/gateway/bot", E::GatewayBot),
        ("GET", ["users", "@me"]) => ("/users/@me", E::Me),
        ("GET", ["users", u]) => ("/users/{user.id}", E::User(id(u)?)),
        ("POST", ["users", "@me", "channels"]) => ("/users/@me/channels", E::CreateDm),
        ("GET", ["applications", "@me"]) => ("/applications/@me", E::AppMe),
        ("GET" | "PUT", ["applications", a, "commands"]) => (
            "/applications/{application.id}/commands",
            E::Commands {
                app: id(a)?,
                guild: None,
                put: m == Method::PUT,
            },
        ),
        ("GET" | "PUT", ["applications", a, "guilds", g, "commands"]) => (
            "/applications/{application.id}/guilds/{guild.id}/commands",
            E::Commands {
                app: id(a)?,
                guild: Some(id(g)?),
                put: m == Method::PUT,
            },
        ),
        ("GET", ["guilds", g]) => ("/guilds/{guild.id}", E::Guild(id(g)?)),
        ("GET", ["guilds", g, "channels"]) => {
            ("/guilds/{guild.id}/channels", E::GuildChannels(id(g)?))
        }
        ("POST", ["guilds", g, "channels"]) => {
            ("/guilds/{guild.id}/channels", E::CreateGuildChannel(id(g)?))
        }
        ("GET", ["guilds", g, "roles"]) => ("/guilds/{guild.id}/roles", E::Roles(id(g)?)),
        ("GET", ["guilds", g, "members"]) => ("/guilds/{guild.id}/members", E::Members(id(g)?)),
        ("GET", ["guilds", g, "members", u]) => (
            "/guilds/{guild.id}/members/{user.id}",
            E::Member(id(g)?, id(u)?),
        ),
        ("GET", ["channels", c]) => ("/channels/{channel.id}", E::Channel(id(c)?)),
        ("PATCH", ["channels", c]) => ("/channels/{channel.id}", E::PatchChannel(id(c)?)),
        ("DELETE", ["channels", c]) => ("/channels/{channel.id}", E::DeleteChannel(id(c)?)),
        ("PUT", ["channels", c, "permissions", o]) => (
            "/channels/{channel.id}/permissions/{overwrite.id}",
            E::PutOverwrite(id(c)?, id(o)?),
        ),
        ("DELETE", ["channels", c, "permissions", o]) => (
            "/channels/{channel.id}/permissions/{overwrite.id}",
            E::DeleteOverwrite(id(c)?, id(o)?),
        ),
        ("POST", ["channels", c, "messages"]) => {
            ("/channels/{channel.id}/messages", E::CreateMessage(id(c)?))
        }
        ("GET", ["channels", c, "messages"]) => {
            ("/channels/{channel.id}/messages", E::ListMessages(id(c)?))
        }
        ("POST", ["channels", c, "messages", "bulk-delete"]) => (
            "/channels/{channel.id}/messages/bulk-delete",
            E::BulkDelete(id(c)?),
        ),
        ("GET", ["channels", c, "messages", mid]) => (
            "/channels/{channel.id}/messages/{message.id}",
            E::GetMessage(id(c)?, id(mid)?),
        ),
        ("PATCH", ["channels", c, "messages", mid]) => (
            "/channels/{channel.id}/messages/{message.id}",
            E::PatchMessage(id(c)?, id(mid)?),
        ),
        ("DELETE", ["channels", c, "messages", mid]) => (
            "/channels/{channel.id}/messages/{message.id}",
            E::DeleteMessage(id(c)?, id(mid)?),
        ),
        ("POST", ["channels", c, "threads"]) => {
            ("/channels/{channel.id}/threads", E::StartThread(id(c)?))
        }
        ("GET", ["channels", c, "thread-members"]) => (
            "/channels/{channel.id}/thread-members",
            E::ThreadMembers(id(c)?),
        ),
        ("PUT" | "DELETE" | "GET", ["channels", c, "thread-members", u]) => {
            let user = if *u == "@me" { None } else { Some(id(u)?) };
            if user.is_none() && m == Method::GET {
                return None;
            }
            let template = if user.is_none() {
                "/channels/{channel.id}/thread-members/@me"
            } else {
                "/channels/{channel.id}/thread-members/{user.id}"
            };
            (
                template,
                E::ThreadMember {
                    channel: id(c)?,
                    user,
                    method: m,
                },
            )
        }
        ("POST", ["interactions", i, t, "callback"]) => (
            "/interactions/{interaction.id}/{interaction.token}/callback",
            E::Callback(id(i)?, (*t).to_owned()),
        ),
        ("POST", ["webhooks", a, t]) => (
            "/webhooks/{application.id}/{interaction.token}",
            E::FollowUp(id(a)?, (*t).to_owned()),
        ),
        ("GET" | "PATCH" | "DELETE", ["webhooks", a, t, "messages", mid]) => {
            let template = if *mid == "@original" {
                "/webhooks/{application.id}/{interaction.token}/messages/@original"
            } else {
                "/webhooks/{application.id}/{interaction.token}/messages/{message.id}"
            };
            (
                template,
                E::WebhookMessage {
                    app: id(a)?,
                    token: (*t).to_owned(),
                    message: (*mid).to_owned(),
                    method: m,
                },
            )
        }
        _ => return None,
    })
}

/// Endpoints Discord serves without a bot token: the interaction callback and webhooks.
fn needs_auth(endpoint: &Endpoint) -> bool {
    !matches!(
        endpoint,
        Endpoint::Gateway
            | Endpoint::Callback(..)
            | Endpoint::WebhookMessage { .. }
            | Endpoint::FollowUp(..)
    )
}

/// A parsed request body.
struct Input {
    body: Option<Value>,
    uploads: Vec<Upload>,
    query: Vec<(String, String)>,
}

impl Input {
    fn json(&self) -> &Value {
        static NULL: Value = Value::Null;
        self.body.as_ref().unwrap_or(&NULL)
    }

    fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Answer of a handler: status and optional JSON body.
type Answer = Result<(u16, Option<Value>), DiscordError>;

/// The axum handler for everything under `/api/v10`.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let at = chrono::Utc::now();
    let method = req.method().clone();
    let path = req
        .uri()
        .path()
        .strip_prefix("/api/v10")
        .unwrap_or(req.uri().path())
        .to_owned();
    let raw_query = req.uri().query().unwrap_or_default().to_owned();
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    let routed = route(&method, &path);
    let parsed = read_body(req).await;
    let (body, files) = match &parsed {
        Ok(input) => (
            input.body.clone(),
            input.uploads.iter().map(|u| u.filename.clone()).collect(),
        ),
        Err(_) => (None, Vec::new()),
    };
    let mut gate = Gate::default();
    let (template, work) = match (routed, parsed) {
        (None, _) => (None, Work::Answered(Err(DiscordError::not_found()))),
        (Some((t, _)), Err(e)) => (Some(t), Work::Answered(Err(e))),
        (Some((t, endpoint)), Ok(input))
            if {
                gate = pass_gate(
                    &shared,
                    &method,
                    t,
                    &path,
                    auth.as_deref(),
                    &endpoint,
                    &input,
                )
                .await;
                gate.refusal.is_some()
            } =>
        {
            (Some(t), Work::Answered(Ok((0, None))))
        }
        (Some((t, endpoint)), Ok(mut input)) => {
            input.query = serde_urlencoded_pairs(&raw_query);
            let token_ok = auth
                .as_deref()
                .and_then(|a| a.strip_prefix("Bot "))
                .is_some_and(|t| t == shared.token());
            let work = if needs_auth(&endpoint) && !token_ok {
                Work::Answered(Err(DiscordError::unauthorized()))
            } else {
                Work::Execute(endpoint, input)
            };
            (Some(t), work)
        }
    };
    // A fault that answers after the effect (as Discord's edge can fail after the request
    // went through) has its answer ready before the world is locked.
    let after_effect = match gate.after.take() {
        Some(kind) => Some(materialise(kind.response()).await),
        None => None,
    };
    let mut headers = HeaderMap::new();
    match &gate.bucket {
        Some(bucket) => bucket.write_headers(&mut headers),
        None => headers = shared.rate_headers(template.unwrap_or("unknown"), &path),
    }
    // The request's effect on the world and its record in the log are one step, so whoever
    // sees the effect finds the request logged.
    let (status, response) = {
        let mut w = shared.lock();
        let answer = match work {
            Work::Answered(answer) => answer,
            Work::Execute(endpoint, input) => execute(&mut w, &shared, endpoint, &input),
        };
        if after_effect.is_some() {
            gate.refusal = after_effect;
        }
        let (status, response) = match (&gate.refusal, answer) {
            (Some((status, body, _)), _) => (*status, body.clone()),
            (None, Ok((status, body))) => (status, body),
            (None, Err(e)) => (e.status, Some(e.body())),
        };
        if template.is_none() {
            w.log.unimplemented.push(Unimplemented {
                method: method.to_string(),
                path: path.clone(),
            });
        }
        w.log.records.push(RequestRecord {
            method: method.to_string(),
            path,
            route: template.map(str::to_owned),
            query: raw_query,
            body,
            files,
            status,
            response: response.clone(),
            at,
        });
        (status, response)
    };
    match gate.refusal {
        Some((_, _, prepared)) => prepared,
        None => respond(status, response, headers),
    }
}

/// What is left to do for a request once it is parsed and past the gate.
enum Work {
    /// Its answer is known (a refusal, an error).
    Answered(Result<(u16, Option<Value>), DiscordError>),
    /// Its endpoint runs on the world.
    Execute(Endpoint, Input),
}

/// What the rate limits and injected faults decided before a handler runs.
#[derive(Default)]
struct Gate {
    /// A ready answer (injected fault or 429) with its status and body for the log.
    refusal: Option<(u16, Option<Value>, Response)>,
    /// The bucket the request was counted in, for the `X-RateLimit-*` headers.
    bucket: Option<ratelimit::BucketState>,
    /// An injected error to answer once the handler has run (the request takes effect).
    after: Option<faults::FaultKind>,
}

/// Applies injected faults (latency, then maybe a canned answer) and the rate limits.
async fn pass_gate(
    shared: &Shared,
    method: &Method,
    template: &str,
    path: &str,
    auth: Option<&str>,
    endpoint: &Endpoint,
    input: &Input,
) -> Gate {
    let mut after = None;
    if let Some(mut fault) = shared.faults.decide(method, template) {
        fault.wait().await;
        match fault.answer {
            Some(kind @ faults::FaultKind::StatusAfterEffect(_)) => after = Some(kind),
            Some(kind) => {
                let (status, body, response) = materialise(kind.response()).await;
                return Gate {
                    refusal: Some((status, body, response)),
                    bucket: None,
                    after: None,
                };
            }
            None => {}
        }
    }
    let is_rename = matches!(endpoint, Endpoint::PatchChannel(_))
        && ["name", "topic"]
            .iter()
            .any(|k| input.json().get(*k).is_some_and(|v| !v.is_null()));
    let major = ratelimit::major_parameter(template, path);
    let decision = shared.rate_limits.check(
        std::time::Instant::now(),
        auth.unwrap_or_default(),
        method,
        template,
        &major,
        is_rename,
    );
    match decision {
        ratelimit::Decision::Allow(bucket) => Gate {
            refusal: None,
            bucket,
            after,
        },
        ratelimit::Decision::Limited(limited) => {
            let body = limited.body();
            Gate {
                refusal: Some((429, Some(body), limited.into_response())),
                bucket: None,
                after: None,
            }
        }
    }
}

/// Reads a prepared response's body so the log can record it, and rebuilds the response.
async fn materialise(response: Response) -> (u16, Option<Value>, Response) {
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    let json = serde_json::from_slice(&bytes).ok();
    (
        parts.status.as_u16(),
        json,
        Response::from_parts(parts, axum::body::Body::from(bytes)),
    )
}

fn serde_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

fn respond(status: u16, body: Option<Value>, headers: HeaderMap) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match body {
        Some(v) => (code, axum::Json(v)).into_response(),
        None => code.into_response(),
    };
    response.headers_mut().extend(headers);
    response
}

async fn read_body(req: Request) -> Result<Input, DiscordError> {
    let is_multipart = req
        .headers()
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/form-data"));
    if is_multipart {
        return read_multipart(req).await;
    }
    let bytes = to_bytes(req.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| DiscordError::new(413, 40005, "Request entity too large"))?;
    let body = if bytes.is_empty() {
        None
    } else {
        Some(serde_json::from_slice(&bytes).map_err(|_| {
            DiscordError::new(400, 50109, "The request body contains invalid JSON.")
        })?)
    };
    Ok(Input {
        body,
        uploads: Vec::new(),
        query: Vec::new(),
    })
}

async fn read_multipart(req: Request) -> Result<Input, DiscordError> {
    let bad = || DiscordError::new(400, 50035, "Invalid Form Body");
    let mut form = Multipart::from_request(req, &()).await.map_err(|_| bad())?;
    let mut input = Input {
        body: None,
        uploads: Vec::new(),
        query: Vec::new(),
    };
    while let Some(field) = form.next_field().await.map_err(|_| bad())? {
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let data = field.bytes().await.map_err(|_| bad())?;
        if name == "payload_json" {
            input.body = Some(serde_json::from_slice(&data).map_err(|_| {
                DiscordError::new(400, 50109, "The request body contains invalid JSON.")
            })?);
        } else if let Some(index) = name
            .strip_prefix("files[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse().ok())
        {
            input.uploads.push(Upload {
                index,
                filename: filename.unwrap_or_else(|| format!("file{index}")),
                size: data.len(),
                content_type,
                data: data.to_vec(),
            });
        }
    }
    Ok(input)
}

/// Runs one endpoint against the world.
fn execute(w: &mut World, shared: &Shared, endpoint: Endpoint, input: &Input) -> Answer {
    use Endpoint as E;
    let body = input.json();
    match endpoint {
        E::Gateway => ok(json!({"url": shared.gateway_url()})),
        E::GatewayBot => ok(json!({
            "url": shared.gateway_url(),
            "shards": shared.recommended_shards,
            "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 86_400_000, "max_concurrency": 1},
        })),
        E::Me => ok(w.users[&w.bot_id()].to_current_json()),
        E::User(u) => w
            .users
            .get(&u)
            .map(|u| u.to_json())
            .ok_or_else(DiscordError::unknown_user)
            .map(|v| (200, Some(v))),
        E::AppMe => ok(app_json(w, &shared.signer.public_key_hex())),
        E::Commands { app, guild, put } => commands(w, app, guild, put, body),
        E::Guild(g) => {
            guild_for_bot(w, g)?;
            ok(w.guild_json(&w.guilds[&g]))
        }
        E::GuildChannels(g) => {
            guild_for_bot(w, g)?;
            ok(Value::Array(
                w.guild_channels(g)
                    .into_iter()
                    .map(|c| w.channel_json(c))
                    .collect(),
            ))
        }
        E::CreateGuildChannel(g) => create_channel(w, g, body),
        E::Roles(g) => {
            guild_for_bot(w, g)?;
            ok(Value::Array(
                w.guilds[&g].roles.iter().map(|r| r.to_json()).collect(),
            ))
        }
        E::Member(g, u) => {
            guild_for_bot(w, g)?;
            let member = w.guilds[&g]
                .members
                .get(&u)
                .ok_or_else(DiscordError::unknown_member)?;
            ok(w.member_json(member))
        }
        E::Members(g) => list_members(w, shared, g, input),
        E::Channel(c) => {
            visible_channel(w, c)?;
            ok(w.channel_json(&w.channels[&c]))
        }
        E::PatchChannel(c) => patch_channel(w, c, body),
        E::DeleteChannel(c) => delete_channel(w, c),
        E::PutOverwrite(c, o) => put_overwrite(w, c, o, body),
        E::DeleteOverwrite(c, o) => delete_overwrite(w, c, o),
        E::CreateMessage(c) => create_message(w, c, input),
        E::ListMessages(c) => list_messages(w, c, input),
        E::GetMessage(c, m) => {
            visible_channel(w, c)?;
            if w.channel_permissions(c, w.bot_id()) & bits::READ_MESSAGE_HISTORY == 0 {
                return Err(DiscordError::missing_access());
            }
            let message = w
                .messages
                .get(&m)
                .filter(|x| x.channel_id == c && x.ephemeral_to.is_none());
            ok(w.message_json(message.ok_or_else(DiscordError::unknown_message)?))
        }
        E::PatchMessage(c, m) => patch_message(w, c, m, input),
        E::DeleteMessage(c, m) => delete_message(w, c, m),
        E::BulkDelete(c) => bulk_delete(w, c, body),
        E::CreateDm => create_dm(w, body),
        E::StartThread(c) => start_thread(w, c, body),
        E::ThreadMember {
            channel,
            user,
            method,
        } => thread_member(w, channel, user, &method),
        E::ThreadMembers(c) => {
            let thread = visible_channel(w, c)?;
            if !is_thread(thread.kind) {
                return Err(DiscordError::new(
                    400,
                    50024,
                    "Cannot execute action on this channel type",
                ));
            }
            let list: Vec<Value> = thread
                .thread_members
                .iter()
                .map(|u| thread_member_json(c, *u))
                .collect();
            ok(Value::Array(list))
        }
        E::Callback(id, token) => {
            let with_response = input.query("with_response") == Some("true");
            check_interaction_body(body)?;
            match interact::callback(
                w,
                shared.ack_deadline,
                id,
                &token,
                body,
                &input.uploads,
                with_response,
            )? {
                Some(v) => ok(v),
                None => Ok((204, None)),
            }
        }
        E::FollowUp(app, token) => {
            let id = interact::by_token(w, app, &token, shared.token_ttl)?;
            check_message_body(body, !input.uploads.is_empty())?;
            let mid = interact::follow_up(w, id, body, &input.uploads)?;
            ok(w.message_json(&w.messages[&mid]))
        }
        E::WebhookMessage {
            app,
            token,
            message,
            method,
        } => {
            let id = interact::by_token(w, app, &token, shared.token_ttl)?;
            let mid = interact::webhook_message(w, id, &message)?;
            match method.as_str() {
                "GET" => ok(w.message_json(&w.messages[&mid])),
                "PATCH" => {
                    check_edit_body(body)?;
                    w.edit_message(mid, body, &input.uploads)?;
                    ok(w.message_json(&w.messages[&mid]))
                }
                _ => {
                    w.delete_message(mid)?;
                    Ok((204, None))
                }
            }
        }
    }
}

fn ok(v: Value) -> Answer {
    Ok((200, Some(v)))
}

// ---- checks shared by handlers (the detailed validation lives in crate::validate) ----

fn check_message_body(body: &Value, has_files: bool) -> Result<(), DiscordError> {
    // Uploaded files make a message non-empty even when `attachments` does not describe them.
    if has_files {
        validate::message_edit(body)?;
    } else {
        validate::message(body)?;
    }
    Ok(())
}

fn check_edit_body(body: &Value) -> Result<(), DiscordError> {
    Ok(validate::message_edit(body)?)
}

fn check_interaction_body(body: &Value) -> Result<(), DiscordError> {
    Ok(validate::interaction_response(body)?)
}

fn guild_for_bot(w: &World, guild_id: u64) -> Result<(), DiscordError> {
    let guild = w
        .guilds
        .get(&guild_id)
        .ok_or_else(DiscordError::unknown_guild)?;
    if !guild.members.contains_key(&w.bot_id()) {
        return Err(DiscordError::missing_access());
    }
    Ok(())
}

/// The channel, if it exists and the bot can see it (10003 or 50001 otherwise).
fn visible_channel(w: &World, channel_id: u64) -> Result<&Channel, DiscordError> {
    let channel = w
        .channels
        .get(&channel_id)
        .ok_or_else(DiscordError::unknown_channel)?;
    if !w.can_view(channel_id, w.bot_id()) {
        return Err(DiscordError::missing_access());
    }
    Ok(channel)
}

fn require(w: &World, channel_id: u64, needed: u64) -> Result<u64, DiscordError> {
    let perms = w.channel_permissions(channel_id, w.bot_id());
    if perms & needed != needed {
        return Err(DiscordError::missing_permissions());
    }
    Ok(perms)
}

fn app_json(w: &World, verify_key: &str) -> Value {
    let bot = w.users.get(&w.bot_id()).map(|u| u.to_json());
    json!({
        "id": w.app.id.to_string(),
        "name": bot.as_ref().map(|b| b["username"].clone()),
        "icon": null,
        "description": "",
        "bot_public": true,
        "bot_require_code_grant": false,
        "bot": bot,
        "verify_key": verify_key,
        "team": null,
        "flags": w.app.flags,
        "flags_new": w.app.flags.to_string(),
        "type": null,
        // The developer who owns the application: a user who is not otherwise in the world.
        "owner": bot.as_ref().map(|b| {
            let mut owner = b.clone();
            owner["id"] = json!((w.app.id ^ 1).to_string());
            owner["username"] = json!("developer");
            owner["bot"] = json!(false);
            owner
        }),
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "eligible_oauth2_scopes": ["applications.commands", "bot"],
        "summary": "",
        "tags": [],
        "integration_types_config": {"0": {}},
        "approximate_guild_count": w.guilds.values().filter(|g| g.members.contains_key(&w.bot_id())).count(),
    })
}

// ---- commands ----

fn commands(w: &mut World, app: u64, guild: Option<u64>, put: bool, body: &Value) -> Answer {
    if app != w.app.id {
        return Err(DiscordError::new(404, 10002, "Unknown Application"));
    }
    if let Some(g) = guild {
        guild_for_bot(w, g)?;
    }
    let existing = match guild {
        Some(g) => w.guild_commands.get(&g).cloned().unwrap_or_default(),
        None => w.global_commands.clone(),
    };
    if !put {
        return ok(Value::Array(existing));
    }
    validate::application_commands(body)?;
    let list = body
        .as_array()
        .ok_or_else(|| DiscordError::invalid_form("", "BASE_TYPE_ARRAY", "Must be an array."))?;
    if list.len() > 110 {
        return Err(DiscordError::invalid_form(
            "",
            "BASE_TYPE_MAX_LENGTH",
            "Must be 110 or fewer in length.",
        ));
    }
    let mut stored = Vec::new();
    for (i, command) in list.iter().enumerate() {
        check_command(command).map_err(|(field, code, msg)| {
            DiscordError::invalid_form(&format!("{i}.{field}"), code, msg)
        })?;
        let ctype = command.get("type").and_then(Value::as_u64).unwrap_or(1);
        let name = command["name"].as_str().unwrap_or_default();
        if stored
            .iter()
            .any(|c: &Value| c["name"] == name && c["type"] == ctype)
        {
            return Err(DiscordError::invalid_form(
                &i.to_string(),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            ));
        }
        let id = existing
            .iter()
            .find(|c| c["name"] == name && c["type"] == ctype)
            .and_then(|c| id_of(&c["id"]))
            .unwrap_or_else(|| w.next_id());
        let version = w.next_id();
        let mut c = json!({
            "id": id.to_string(),
            "application_id": w.app.id.to_string(),
            "version": version.to_string(),
            "default_member_permissions": command.get("default_member_permissions").filter(|p| !p.is_null()).map(|p| bits_of(Some(p)).to_string()),
            "type": ctype,
            "name": name,
            "name_localizations": command.get("name_localizations").cloned().unwrap_or(Value::Null),
            "description": command.get("description").cloned().unwrap_or(json!("")),
            "description_localizations": command.get("description_localizations").cloned().unwrap_or(Value::Null),
            "dm_permission": command.get("dm_permission").cloned().unwrap_or(json!(true)),
            "contexts": command.get("contexts").cloned().unwrap_or(Value::Null),
            "integration_types": command.get("integration_types").cloned().unwrap_or(json!([0])),
            "nsfw": command.get("nsfw").cloned().unwrap_or(json!(false)),
        });
        if let Some(options) = command.get("options").filter(|o| o.is_array()) {
            c["options"] = options.clone();
        }
        if let Some(g) = guild {
            c["guild_id"] = json!(g.to_string());
        }
        stored.push(c);
    }
    match guild {
        Some(g) => {
            w.guild_commands.insert(g, stored.clone());
        }
        None => w.global_commands = stored.clone(),
    }
    ok(Value::Array(stored))
}

type FieldError = (String, &'static str, &'static str);

/// Discord's rules for a command's name, description, localizations and options.
fn check_command(c: &Value) -> Result<(), FieldError> {
    let ctype = c.get("type").and_then(Value::as_u64).unwrap_or(1);
    let name = c.get("name").and_then(Value::as_str).ok_or((
        "name".into(),
        "BASE_TYPE_REQUIRED",
        "This field is required",
    ))?;
    check_name(name, ctype == 1).map_err(|(code, msg)| ("name".to_owned(), code, msg))?;
    for (locale, value) in c
        .get("name_localizations")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if !LOCALES.contains(&locale.as_str()) {
            return Err((
                format!("name_localizations.{locale}"),
                "LOCALE_INVALID",
                "Invalid locale",
            ));
        }
        check_name(value.as_str().unwrap_or_default(), ctype == 1)
            .map_err(|(code, msg)| (format!("name_localizations.{locale}"), code, msg))?;
    }
    if ctype == 1 {
        let description = c
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        check_description(description)
            .map_err(|(code, msg)| ("description".to_owned(), code, msg))?;
        for (locale, value) in c
            .get("description_localizations")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if !LOCALES.contains(&locale.as_str()) {
                return Err((
                    format!("description_localizations.{locale}"),
                    "LOCALE_INVALID",
                    "Invalid locale",
                ));
            }
            check_description(value.as_str().unwrap_or_default()).map_err(|(code, msg)| {
                (format!("description_localizations.{locale}"), code, msg)
            })?;
        }
    }
    let options = c
        .get("options")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if options.len() > 25 {
        return Err((
            "options".into(),
            "BASE_TYPE_MAX_LENGTH",
            "Must be 25 or fewer in length.",
        ));
    }
    for (i, option) in options.iter().enumerate() {
        let with_type = {
            let mut o = option.clone();
            o["type"] = json!(1);
            o
        };
        check_command(&with_type)
            .map_err(|(f, code, msg)| (format!("options.{i}.{f}"), code, msg))?;
    }
    Ok(())
}

fn check_name(name: &str, chat_input: bool) -> Result<(), (&'static str, &'static str)> {
    let n = name.chars().count();
    if !(1..=32).contains(&n) {
        return Err((
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 32 in length.",
        ));
    }
    // Discord's CHAT_INPUT name regex: ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$, lower case.
    let valid = |ch: char| ch == '-' || ch == '_' || ch == '\'' || ch.is_alphanumeric();
    if chat_input && (!name.chars().all(valid) || name.chars().any(char::is_uppercase)) {
        return Err((
            "APPLICATION_COMMAND_INVALID_NAME",
            "Command name is invalid",
        ));
    }
    Ok(())
}

fn check_description(d: &str) -> Result<(), (&'static str, &'static str)> {
    if (1..=100).contains(&d.chars().count()) {
        Ok(())
    } else {
        Err((
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        ))
    }
}

/// Locales Discord accepts in localization maps.
const LOCALES: &[&str] = &[
    "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
    "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
    "zh-CN", "ja", "zh-TW", "ko",
];

// ---- members ----

fn list_members(w: &World, shared: &Shared, g: u64, input: &Input) -> Answer {
    guild_for_bot(w, g)?;
    if shared.allowed_intents & intents::GUILD_MEMBERS == 0 {
        return Err(DiscordError::missing_access());
    }
    let limit: u64 = input.query("limit").map_or(Ok(1), str::parse).unwrap_or(0);
    if !(1..=1000).contains(&limit) {
        return Err(DiscordError::invalid_form(
            "limit",
            "NUMBER_TYPE_MAX",
            "int value should be between 1 and 1000.",
        ));
    }
    let after: u64 = input
        .query("after")
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let list: Vec<Value> = w.guilds[&g]
        .members
        .range(after + 1..)
        .take(limit as usize)
        .map(|(_, m)| w.member_json(m))
        .collect();
    ok(Value::Array(list))
}

// ---- channels ----

fn parse_overwrites(
    w: &World,
    guild_id: u64,
    list: &Value,
    field: &str,
) -> Result<Vec<Overwrite>, DiscordError> {
    let items = list.as_array().map(Vec::as_slice).unwrap_or_default();
    if items.len() > 100 {
        return Err(DiscordError::invalid_form(
            field,
            "BASE_TYPE_MAX_LENGTH",
            "Must be 100 or fewer in length.",
        ));
    }
    let mut out = Vec::new();
    for (i, o) in items.iter().enumerate() {
        let id = o.get("id").and_then(id_of).ok_or_else(|| {
            DiscordError::invalid_form(
                &format!("{field}.{i}.id"),
                "NUMBER_TYPE_COERCE",
                "Value is not snowflake.",
            )
        })?;
        let kind = match o.get("type") {
            Some(t) if id_of(t) == Some(0) => 0,
            Some(t) if id_of(t) == Some(1) => 1,
            Some(t) if t.as_str() == Some("role") => 0,
            Some(t) if t.as_str() == Some("member") => 1,
            _ => {
                return Err(DiscordError::invalid_form(
                    &format!("{field}.{i}.type"),
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                ));
            }
        };
        let known = match kind {
            0 => w.guilds[&guild_id].roles.iter().any(|r| r.id == id),
            _ => w.users.contains_key(&id),
        };
        if !known {
            return Err(if kind == 0 {
                DiscordError::unknown_role()
            } else {
                DiscordError::unknown_user()
            });
        }
        out.push(Overwrite {
            id,
            kind,
            allow: bits_of(o.get("allow")),
            deny: bits_of(o.get("deny")),
        });
    }
    Ok(out)
}

/// The bot can only allow or deny bits it holds itself (all of them as administrator), and
/// MANAGE_ROLES in an overwrite only as administrator.
fn check_grantable(
    w: &World,
    held: u64,
    guild_id: u64,
    overwrites: &[Overwrite],
) -> Result<(), DiscordError> {
    let admin = w.base_permissions(guild_id, w.bot_id()) & bits::ADMINISTRATOR != 0;
    if admin {
        return Ok(());
    }
    for o in overwrites {
        let touched = o.allow | o.deny;
        if touched & !held != 0 || touched & bits::MANAGE_ROLES != 0 {
            return Err(DiscordError::missing_permissions());
        }
    }
    Ok(())
}

/// Discord lower-cases text channel names and turns spaces into dashes.
fn normalise_name(name: &str, kind: u8) -> String {
    if kind == channel_type::GUILD_TEXT {
        name.trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
    } else {
        name.trim().to_owned()
    }
}

fn check_channel_name(name: Option<&str>) -> Result<(), DiscordError> {
    match name.map(|n| n.trim().chars().count()) {
        None => Err(DiscordError::invalid_form(
            "name",
            "BASE_TYPE_REQUIRED",
            "This field is required",
        )),
        Some(n) if !(1..=100).contains(&n) => Err(DiscordError::invalid_form(
            "name",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 100 in length.",
        )),
        _ => Ok(()),
    }
}

fn check_parent(
    w: &World,
    guild_id: u64,
    parent: Option<u64>,
    moving: Option<u64>,
) -> Result<(), DiscordError> {
    let Some(p) = parent else { return Ok(()) };
    let valid = w
        .channels
        .get(&p)
        .is_some_and(|c| c.kind == channel_type::GUILD_CATEGORY && c.guild_id == Some(guild_id));
    if !valid {
        return Err(DiscordError::invalid_form(
            "parent_id",
            "CHANNEL_PARENT_INVALID_TYPE",
            "Not a category",
        ));
    }
    let children = w
        .channels
        .values()
        .filter(|c| c.parent_id == Some(p) && !is_thread(c.kind) && Some(c.id) != moving)
        .count();
    if children >= 50 {
        return Err(DiscordError::invalid_form(
            "parent_id",
            "CHANNEL_PARENT_MAX_CHANNELS",
            "Maximum number of channels in category reached (50)",
        ));
    }
    Ok(())
}

fn create_channel(w: &mut World, g: u64, body: &Value) -> Answer {
    guild_for_bot(w, g)?;
    let base = w.base_permissions(g, w.bot_id());
    if base & bits::MANAGE_CHANNELS == 0 {
        return Err(DiscordError::missing_permissions());
    }
    validate::channel_create(body)?;
    let kind = body.get("type").and_then(Value::as_u64).unwrap_or(0) as u8;
    if !matches!(
        kind,
        channel_type::GUILD_TEXT | channel_type::GUILD_CATEGORY
    ) {
        return Err(DiscordError::invalid_form(
            "type",
            "BASE_TYPE_CHOICES",
            "Value must be one of {0, 4}.",
        ));
    }
    let name = body.get("name").and_then(Value::as_str);
    check_channel_name(name)?;
    let parent = body.get("parent_id").and_then(id_of);
    if kind == channel_type::GUILD_CATEGORY && parent.is_some() {
        return Err(DiscordError::invalid_form(
            "parent_id",
            "CHANNEL_PARENT_INVALID_TYPE",
            "Categories cannot have parents",
        ));
    }
    check_parent(w, g, parent, None)?;
    if w.guild_channel_count(g) >= 500 {
        return Err(DiscordError::new(
            400,
            30013,
            "Maximum number of guild channels reached (500)",
        ));
    }
    let overwrites = match body.get("permission_overwrites") {
        Some(list) if !list.is_null() => parse_overwrites(w, g, list, "permission_overwrites")?,
        // Without overwrites a channel in a category starts synced with it.
        _ => parent
            .and_then(|p| w.channels.get(&p))
            .map(|c| c.overwrites.clone())
            .unwrap_or_default(),
    };
    let held = match parent {
        Some(p) => w.channel_permissions(p, w.bot_id()) | base,
        None => base,
    };
    check_grantable(w, held, g, &overwrites)?;
    let id = w.next_id();
    let position = body
        .get("position")
        .and_then(Value::as_i64)
        .unwrap_or_else(|| w.guild_channel_count(g) as i64);
    let channel = Channel {
        id,
        kind,
        guild_id: Some(g),
        name: name.map(|n| normalise_name(n, kind)),
        topic: body.get("topic").and_then(Value::as_str).map(str::to_owned),
        parent_id: parent,
        position,
        overwrites,
        recipient: None,
        owner_id: None,
        thread_members: Default::default(),
        last_message_id: None,
    };
    let json = w.channel_json(&channel);
    w.channels.insert(id, channel);
    w.dispatch(
        Some(g),
        "CHANNEL_CREATE",
        json.clone(),
        intents::GUILDS,
        Content::None,
    );
    Ok((201, Some(json)))
}

fn patch_channel(w: &mut World, c: u64, body: &Value) -> Answer {
    let channel = visible_channel(w, c)?.clone();
    validate::channel_modify(body)?;
    let Some(g) = channel.guild_id else {
        return Err(DiscordError::new(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    };
    let thread = is_thread(channel.kind);
    let needed = if thread { 0 } else { bits::MANAGE_CHANNELS };
    let held = require(w, c, needed)?;
    if thread && held & bits::MANAGE_THREADS == 0 && channel.owner_id != Some(w.bot_id()) {
        return Err(DiscordError::missing_permissions());
    }
    let mut updated = channel.clone();
    if let Some(name) = body.get("name") {
        check_channel_name(name.as_str())?;
        updated.name = name.as_str().map(|n| normalise_name(n, channel.kind));
    }
    if let Some(topic) = body.get("topic") {
        if topic.as_str().is_some_and(|t| t.chars().count() > 1024) {
            return Err(DiscordError::invalid_form(
                "topic",
                "BASE_TYPE_MAX_LENGTH",
                "Must be 1024 or fewer in length.",
            ));
        }
        updated.topic = topic.as_str().map(str::to_owned);
    }
    if let Some(position) = body.get("position").and_then(Value::as_i64) {
        updated.position = position;
    }
    if let Some(parent) = body.get("parent_id").filter(|_| !thread) {
        let parent = id_of(parent);
        check_parent(w, g, parent, Some(c))?;
        updated.parent_id = parent;
    }
    if let Some(list) = body
        .get("permission_overwrites")
        .filter(|l| !l.is_null() && !thread)
    {
        require(w, c, bits::MANAGE_ROLES)?;
        let overwrites = parse_overwrites(w, g, list, "permission_overwrites")?;
        check_grantable(w, held, g, &overwrites)?;
        updated.overwrites = overwrites;
    }
    if body.get("lock_permissions").and_then(Value::as_bool) == Some(true)
        && let Some(p) = updated.parent_id.and_then(|p| w.channels.get(&p))
    {
        updated.overwrites = p.overwrites.clone();
    }
    let json = w.channel_json(&updated);
    w.channels.insert(c, updated);
    let event = if thread {
        "THREAD_UPDATE"
    } else {
        "CHANNEL_UPDATE"
    };
    w.dispatch(Some(g), event, json.clone(), intents::GUILDS, Content::None);
    ok(json)
}

fn delete_channel(w: &mut World, c: u64) -> Answer {
    let channel = visible_channel(w, c)?.clone();
    let Some(g) = channel.guild_id else {
        // Closing a DM just answers with the channel.
        return ok(w.channel_json(&channel));
    };
    let thread = is_thread(channel.kind);
    require(
        w,
        c,
        if thread {
            bits::MANAGE_THREADS
        } else {
            bits::MANAGE_CHANNELS
        },
    )?;
    let json = w.channel_json(&channel);
    w.channels.remove(&c);
    w.messages.retain(|_, m| m.channel_id != c);
    if thread {
        let d = json!({"id": c.to_string(), "guild_id": g.to_string(), "parent_id": channel.parent_id.map(|p| p.to_string()), "type": channel.kind});
        w.dispatch(Some(g), "THREAD_DELETE", d, intents::GUILDS, Content::None);
        return ok(json);
    }
    w.dispatch(
        Some(g),
        "CHANNEL_DELETE",
        json.clone(),
        intents::GUILDS,
        Content::None,
    );
    // Threads go with their channel; channels of a deleted category lose their parent.
    let threads: Vec<u64> = w
        .channels
        .values()
        .filter(|t| t.parent_id == Some(c) && is_thread(t.kind))
        .map(|t| t.id)
        .collect();
    for t in threads {
        w.channels.remove(&t);
        w.messages.retain(|_, m| m.channel_id != t);
    }
    let orphans: Vec<u64> = w
        .channels
        .values()
        .filter(|x| x.parent_id == Some(c))
        .map(|x| x.id)
        .collect();
    for o in orphans {
        if let Some(x) = w.channels.get_mut(&o) {
            x.parent_id = None;
        }
        let d = w.channel_json(&w.channels[&o]);
        w.dispatch(Some(g), "CHANNEL_UPDATE", d, intents::GUILDS, Content::None);
    }
    ok(json)
}

fn put_overwrite(w: &mut World, c: u64, o: u64, body: &Value) -> Answer {
    let channel = visible_channel(w, c)?.clone();
    let Some(g) = channel.guild_id.filter(|_| !is_thread(channel.kind)) else {
        return Err(DiscordError::new(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    };
    let held = require(w, c, bits::MANAGE_ROLES)?;
    validate::overwrite_edit(body)?;
    let mut item = body.clone();
    item["id"] = json!(o.to_string());
    let parsed = parse_overwrites(w, g, &json!([item]), "")?;
    check_grantable(w, held, g, &parsed)?;
    let Some(channel) = w.channels.get_mut(&c) else {
        return Err(DiscordError::unknown_channel());
    };
    channel.overwrites.retain(|x| x.id != o);
    channel.overwrites.extend(parsed);
    let json = w.channel_json(&w.channels[&c]);
    w.dispatch(
        Some(g),
        "CHANNEL_UPDATE",
        json,
        intents::GUILDS,
        Content::None,
    );
    Ok((204, None))
}

fn delete_overwrite(w: &mut World, c: u64, o: u64) -> Answer {
    let channel = visible_channel(w, c)?;
    let Some(g) = channel.guild_id.filter(|_| !is_thread(channel.kind)) else {
        return Err(DiscordError::new(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    };
    require(w, c, bits::MANAGE_ROLES)?;
    if let Some(channel) = w.channels.get_mut(&c) {
        channel.overwrites.retain(|x| x.id != o);
    }
    let json = w.channel_json(&w.channels[&c]);
    w.dispatch(
        Some(g),
        "CHANNEL_UPDATE",
        json,
        intents::GUILDS,
        Content::None,
    );
    Ok((204, None))
}

// ---- messages ----

fn create_message(w: &mut World, c: u64, input: &Input) -> Answer {
    w.channels
        .get(&c)
        .ok_or_else(DiscordError::unknown_channel)?;
    if w.channels[&c].kind == channel_type::GUILD_CATEGORY {
        return Err(DiscordError::new(
            400,
            50008,
            "Cannot send messages in a non-text channel",
        ));
    }
    let body = input.json();
    w.check_can_post(c, body, !input.uploads.is_empty())?;
    check_message_body(body, !input.uploads.is_empty())?;
    if let Some(existing) = w.message_with_nonce(w.bot_id(), body) {
        // Nothing is created and nothing dispatched: the earlier message is the answer.
        return ok(with_nonce(w.message_json(&w.messages[&existing]), body));
    }
    let origin = Origin {
        author_id: w.bot_id(),
        interaction_id: None,
        ephemeral_to: None,
    };
    let id = w.post_message(c, origin, body, &input.uploads)?;
    ok(with_nonce(w.message_json(&w.messages[&id]), body))
}

/// A created message as Discord answers it: with the nonce the request carried.
fn with_nonce(mut message: Value, body: &Value) -> Value {
    if let Some(nonce) = body.get("nonce").filter(|n| !n.is_null()) {
        message["nonce"] = nonce.clone();
    }
    message
}

fn list_messages(w: &World, c: u64, input: &Input) -> Answer {
    visible_channel(w, c)?;
    let limit: i64 = match input.query("limit") {
        None => 50,
        Some(l) => l.parse().map_err(|_| {
            DiscordError::invalid_form("limit", "NUMBER_TYPE_COERCE", "Value is not int.")
        })?,
    };
    if !(1..=100).contains(&limit) {
        return Err(DiscordError::invalid_form(
            "limit",
            "NUMBER_TYPE_MAX",
            "int value should be between 1 and 100.",
        ));
    }
    // Discord's documented behaviour: without READ_MESSAGE_HISTORY the list is simply empty.
    if w.channel_permissions(c, w.bot_id()) & bits::READ_MESSAGE_HISTORY == 0 {
        return ok(json!([]));
    }
    let limit = limit as usize;
    let history = w.channel_history(c);
    let param = |k: &str| input.query(k).and_then(|v| v.parse::<u64>().ok());
    let mut picked: Vec<_> = if let Some(around) = param("around") {
        let older: Vec<_> = history
            .iter()
            .filter(|m| m.id <= around)
            .rev()
            .take(limit.div_ceil(2))
            .collect();
        let newer: Vec<_> = history
            .iter()
            .filter(|m| m.id > around)
            .take(limit - older.len())
            .collect();
        older.into_iter().chain(newer).copied().collect()
    } else if let Some(after) = param("after") {
        history
            .iter()
            .filter(|m| m.id > after)
            .take(limit)
            .copied()
            .collect()
    } else {
        let before = param("before").unwrap_or(u64::MAX);
        history
            .iter()
            .filter(|m| m.id < before)
            .rev()
            .take(limit)
            .copied()
            .collect()
    };
    picked.sort_by_key(|m| std::cmp::Reverse(m.id));
    ok(Value::Array(
        picked.into_iter().map(|m| w.message_json(m)).collect(),
    ))
}

fn patch_message(w: &mut World, c: u64, m: u64, input: &Input) -> Answer {
    visible_channel(w, c)?;
    let message = w
        .messages
        .get(&m)
        .filter(|x| x.channel_id == c && x.ephemeral_to.is_none())
        .ok_or_else(DiscordError::unknown_message)?;
    let body = input.json();
    if message.author_id != w.bot_id() || message.webhook_id.is_some() {
        let only_flags = body
            .as_object()
            .is_some_and(|o| o.keys().all(|k| k == "flags"));
        if !only_flags {
            return Err(DiscordError::new(
                403,
                50005,
                "Cannot edit a message authored by another user",
            ));
        }
        require(w, c, bits::MANAGE_MESSAGES)?;
    }
    check_edit_body(body)?;
    w.edit_message(m, body, &input.uploads)?;
    ok(w.message_json(&w.messages[&m]))
}

fn delete_message(w: &mut World, c: u64, m: u64) -> Answer {
    visible_channel(w, c)?;
    let message = w
        .messages
        .get(&m)
        .filter(|x| x.channel_id == c && x.ephemeral_to.is_none())
        .ok_or_else(DiscordError::unknown_message)?;
    let in_dm = w.channels[&c].kind == channel_type::DM;
    if message.author_id != w.bot_id() {
        if in_dm {
            return Err(DiscordError::new(
                403,
                50003,
                "Cannot execute action on a DM channel",
            ));
        }
        require(w, c, bits::MANAGE_MESSAGES)?;
    }
    w.delete_message(m)?;
    Ok((204, None))
}

fn bulk_delete(w: &mut World, c: u64, body: &Value) -> Answer {
    let channel = visible_channel(w, c)?;
    channel
        .guild_id
        .ok_or_else(|| DiscordError::new(403, 50003, "Cannot execute action on a DM channel"))?;
    require(w, c, bits::MANAGE_MESSAGES)?;
    let ids: Vec<u64> = body
        .get("messages")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(id_of).collect())
        .unwrap_or_default();
    if !(2..=100).contains(&ids.len()) {
        return Err(DiscordError::invalid_form(
            "messages",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 2 and 100 in length.",
        ));
    }
    let two_weeks_ms = 14 * 24 * 3600 * 1000;
    let now_ms = (chrono::Utc::now().timestamp_millis() as u64).saturating_sub(1_420_070_400_000);
    if ids
        .iter()
        .any(|id| now_ms.saturating_sub(id >> 22) > two_weeks_ms)
    {
        return Err(DiscordError::new(
            400,
            50034,
            "You can only bulk delete messages that are under 14 days old.",
        ));
    }
    w.bulk_delete_messages(c, &ids);
    Ok((204, None))
}

fn create_dm(w: &mut World, body: &Value) -> Answer {
    let user = body.get("recipient_id").and_then(id_of).ok_or_else(|| {
        DiscordError::invalid_form(
            "recipient_id",
            "BASE_TYPE_REQUIRED",
            "This field is required",
        )
    })?;
    if !w.users.contains_key(&user) {
        return Err(DiscordError::unknown_user());
    }
    if let Some(existing) = interact::dm_channel(w, user) {
        return ok(w.channel_json(&w.channels[&existing]));
    }
    let id = w.next_id();
    let channel = Channel {
        id,
        kind: channel_type::DM,
        guild_id: None,
        name: None,
        topic: None,
        parent_id: None,
        position: 0,
        overwrites: Vec::new(),
        recipient: Some(user),
        owner_id: None,
        thread_members: Default::default(),
        last_message_id: None,
    };
    let json = w.channel_json(&channel);
    w.channels.insert(id, channel);
    ok(json)
}

// ---- threads ----

fn start_thread(w: &mut World, c: u64, body: &Value) -> Answer {
    let parent = visible_channel(w, c)?.clone();
    let Some(g) = parent
        .guild_id
        .filter(|_| parent.kind == channel_type::GUILD_TEXT)
    else {
        return Err(DiscordError::new(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    };
    let kind = body
        .get("type")
        .and_then(Value::as_u64)
        .unwrap_or(channel_type::PRIVATE_THREAD as u64) as u8;
    let needed = match kind {
        channel_type::PRIVATE_THREAD => bits::CREATE_PRIVATE_THREADS,
        channel_type::PUBLIC_THREAD => 1 << 35,
        _ => {
            return Err(DiscordError::invalid_form(
                "type",
                "BASE_TYPE_CHOICES",
                "Value must be one of {11, 12}.",
            ));
        }
    };
    require(w, c, needed)?;
    let name = body.get("name").and_then(Value::as_str);
    check_channel_name(name)?;
    let id = w.next_id();
    let bot = w.bot_id();
    let thread = Channel {
        id,
        kind,
        guild_id: Some(g),
        name: name.map(str::to_owned),
        topic: None,
        parent_id: Some(c),
        position: 0,
        overwrites: Vec::new(),
        recipient: None,
        owner_id: Some(bot),
        thread_members: [bot].into_iter().collect(),
        last_message_id: None,
    };
    let json = w.channel_json(&thread);
    w.channels.insert(id, thread);
    let mut event = json.clone();
    event["newly_created"] = json!(true);
    event["member"] = thread_member_json(id, bot);
    w.dispatch(
        Some(g),
        "THREAD_CREATE",
        event,
        intents::GUILDS,
        Content::None,
    );
    Ok((201, Some(json)))
}

fn thread_member_json(thread: u64, user: u64) -> Value {
    json!({"id": thread.to_string(), "user_id": user.to_string(), "join_timestamp": now_iso(), "flags": 0})
}

fn thread_member(w: &mut World, c: u64, user: Option<u64>, method: &Method) -> Answer {
    let thread = visible_channel(w, c)?.clone();
    let Some(g) = thread.guild_id.filter(|_| is_thread(thread.kind)) else {
        return Err(DiscordError::new(
            400,
            50024,
            "Cannot execute action on this channel type",
        ));
    };
    let bot = w.bot_id();
    let target = user.unwrap_or(bot);
    if *method == Method::GET {
        return if thread.thread_members.contains(&target) {
            ok(thread_member_json(c, target))
        } else {
            Err(DiscordError::unknown_member())
        };
    }
    if !w.guilds[&g].members.contains_key(&target) {
        return Err(DiscordError::unknown_member());
    }
    let perms = w.channel_permissions(c, bot);
    let adding = *method == Method::PUT;
    let allowed = if adding {
        perms & bits::SEND_MESSAGES != 0
    } else {
        target == bot
            || perms & bits::MANAGE_THREADS != 0
            || (thread.kind == channel_type::PRIVATE_THREAD && thread.owner_id == Some(bot))
    };
    if !allowed {
        return Err(DiscordError::missing_permissions());
    }
    let Some(t) = w.channels.get_mut(&c) else {
        return Err(DiscordError::unknown_channel());
    };
    let changed = if adding {
        t.thread_members.insert(target)
    } else {
        t.thread_members.remove(&target)
    };
    let count = t.thread_members.len();
    if changed {
        let mut d =
            json!({"id": c.to_string(), "guild_id": g.to_string(), "member_count": count.min(50)});
        if adding {
            d["added_members"] = json!([thread_member_json(c, target)]);
        } else {
            d["removed_member_ids"] = json!([target.to_string()]);
        }
        let intent = if target == bot {
            intents::GUILDS
        } else {
            intents::GUILD_MEMBERS
        };
        w.dispatch(Some(g), "THREAD_MEMBERS_UPDATE", d, intent, Content::None);
    }
    Ok((204, None))
}

impl Shared {
    /// `X-RateLimit-*` headers for a response: a per-route bucket of 50 requests a second.
    fn rate_headers(&self, template: &str, path: &str) -> HeaderMap {
        const LIMIT: u32 = 50;
        // Discord's buckets are per route and top-level resource (channel, guild, webhook).
        let major = path.split('/').nth(2).unwrap_or_default();
        let key = format!("{template}:{major}");
        let now = chrono::Utc::now();
        let second = now.timestamp();
        let used = {
            let mut buckets = self
                .buckets
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let entry = buckets.entry(key.clone()).or_insert((second, 0));
            if entry.0 != second {
                *entry = (second, 0);
            }
            entry.1 += 1;
            entry.1
        };
        let reset = (second + 1) as f64;
        let after = reset - now.timestamp_millis() as f64 / 1000.0;
        let bucket = format!("{:016x}", fnv(template));
        let mut h = HeaderMap::new();
        let mut put = |name: &'static str, value: String| {
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(name, v);
            }
        };
        put("x-ratelimit-limit", LIMIT.to_string());
        put(
            "x-ratelimit-remaining",
            LIMIT.saturating_sub(used).to_string(),
        );
        put("x-ratelimit-reset", format!("{reset:.3}"));
        put("x-ratelimit-reset-after", format!("{after:.3}"));
        put("x-ratelimit-bucket", bucket);
        h
    }
}

/// A stable hash, so a route always reports the same bucket id.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
