//! The control API under `/_sim/`: the test API over HTTP, so `ticketbooth sandbox` and tools
//! in other languages can build a world, act as users and read what they see. Loopback only,
//! like the rest of the simulator, so it takes no token.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::world::{Message, id_of};
use crate::{Shared, Sim, SimError};

/// Largest control request body.
const BODY_LIMIT: usize = 1024 * 1024;

/// The axum handler for everything under `/_sim/`.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().trim_start_matches("/_sim").to_owned();
    let bytes = to_bytes(req.into_body(), BODY_LIMIT)
        .await
        .unwrap_or_default();
    let body: Value = if bytes.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => return failure(StatusCode::BAD_REQUEST, &format!("invalid JSON: {e}")),
        }
    };
    let sim = Sim::inner(shared);
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let result = route(&sim, &method, &segs, &body).await;
    match result {
        Ok(v) => (StatusCode::OK, Json(v)).into_response(),
        Err(Failure::NotFound) => failure(StatusCode::NOT_FOUND, "no such control route"),
        Err(Failure::Bad(msg)) => failure(StatusCode::BAD_REQUEST, &msg),
        Err(Failure::Sim(e)) => failure(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
    }
}

fn failure(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}

enum Failure {
    NotFound,
    Bad(String),
    Sim(SimError),
}

impl From<SimError> for Failure {
    fn from(e: SimError) -> Self {
        Failure::Sim(e)
    }
}

fn field(body: &Value, key: &str) -> Result<u64, Failure> {
    body.get(key)
        .and_then(id_of)
        .ok_or_else(|| Failure::Bad(format!("`{key}` (a snowflake) is required")))
}

fn text<'a>(body: &'a Value, key: &str) -> Result<&'a str, Failure> {
    body.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| Failure::Bad(format!("`{key}` (a string) is required")))
}

fn id(seg: &str) -> Result<u64, Failure> {
    seg.parse().map_err(|_| Failure::NotFound)
}

async fn route(sim: &Sim, method: &Method, segs: &[&str], body: &Value) -> Result<Value, Failure> {
    match (method.as_str(), segs) {
        ("GET", ["state"]) => Ok(state(sim)),
        ("POST", ["demo"]) => {
            let d = sim.demo_guild()?;
            Ok(json!({
                "guild": d.guild.to_string(), "owner": d.owner.to_string(), "admin": d.admin.to_string(),
                "admin_role": d.admin_role.to_string(), "staff_role": d.staff_role.to_string(),
                "staff": d.staff.to_string(), "members": d.members.map(|m| m.to_string()),
                "support": d.support.to_string(), "bot_role": d.bot_role.to_string(),
            }))
        }
        ("POST", ["users"]) => {
            Ok(json!({"id": sim.create_user(text(body, "username")?).to_string()}))
        }
        ("POST", ["users", u, "commands"]) => {
            let user = sim.as_user(id(u)?);
            let options = body.get("options").cloned().unwrap_or(json!([]));
            let i = user.slash_command(
                field(body, "guild_id")?,
                field(body, "channel_id")?,
                text(body, "name")?,
                options,
            )?;
            Ok(json!({"interaction_id": i.id.to_string()}))
        }
        ("POST", ["users", u, "clicks"]) => {
            let user = sim.as_user(id(u)?);
            let i = user.click(
                field(body, "channel_id")?,
                field(body, "message_id")?,
                text(body, "custom_id")?,
            )?;
            Ok(json!({"interaction_id": i.id.to_string()}))
        }
        ("POST", ["users", u, "selects"]) => {
            let user = sim.as_user(id(u)?);
            let values: Vec<String> = body
                .get("values")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            let i = user.select(
                field(body, "channel_id")?,
                field(body, "message_id")?,
                text(body, "custom_id")?,
                &refs,
            )?;
            Ok(json!({"interaction_id": i.id.to_string()}))
        }
        ("POST", ["users", u, "modals"]) => {
            let user = sim.as_user(id(u)?);
            let fields: Vec<(String, String)> = body
                .get("fields")
                .and_then(Value::as_object)
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let i = user.submit_modal_of(field(body, "interaction_id")?, &refs)?;
            Ok(json!({"interaction_id": i.id.to_string()}))
        }
        ("POST", ["users", u, "messages"]) => {
            let user = sim.as_user(id(u)?);
            let m = user.send_message(field(body, "channel_id")?, text(body, "content")?)?;
            Ok(json!({"id": m.to_string()}))
        }
        ("GET", ["users", u, "channels", c, "messages"]) => {
            Ok(messages(sim, sim.visible_messages(id(u)?, id(c)?)))
        }
        ("GET", ["users", u, "ephemeral"]) => Ok(messages(sim, sim.ephemeral_for(id(u)?))),
        ("GET", ["users", u, "dms"]) => Ok(messages(sim, sim.dms(id(u)?))),
        ("GET", ["channels", c, "messages"]) => Ok(messages(sim, sim.messages(id(c)?))),
        ("GET", ["interactions", i]) => interaction(sim, id(i)?).await,
        ("GET", ["requests"]) => Ok(requests(sim)),
        ("GET", ["unimplemented"]) => Ok(Value::Array(
            sim.unimplemented()
                .into_iter()
                .map(|u| json!({"method": u.method, "path": u.path}))
                .collect(),
        )),
        ("POST", ["gateway", "drop"]) => {
            sim.drop_gateway_connections();
            Ok(json!({}))
        }
        ("POST", ["gateway", "reconnect"]) => {
            sim.send_reconnect();
            Ok(json!({}))
        }
        ("POST", ["gateway", "zombie"]) => {
            let on = match body.get("on") {
                None => true,
                Some(Value::Bool(on)) => *on,
                Some(_) => return Err(Failure::Bad("`on` must be a boolean".into())),
            };
            sim.withhold_heartbeat_acks(on);
            Ok(json!({}))
        }
        _ => Err(Failure::NotFound),
    }
}

fn state(sim: &Sim) -> Value {
    sim.with_world(|w| {
        let guilds: Vec<Value> = w
            .guilds
            .values()
            .map(|g| w.guild_create_json(g, true))
            .collect();
        json!({
            "application_id": w.app.id.to_string(),
            "bot_user_id": w.bot_id().to_string(),
            "http_url": sim.http_url(),
            "gateway_url": sim.gateway_url(),
            "guilds": guilds,
        })
    })
}

/// Messages as Discord renders them, with what the simulator knows besides.
fn messages(sim: &Sim, list: Vec<Message>) -> Value {
    sim.with_world(|w| {
        Value::Array(
            list.iter()
                .map(|m| {
                    let mut v = w.message_json(m);
                    v["ephemeral_to"] = json!(m.ephemeral_to.map(|u| u.to_string()));
                    v["pinged_users"] = json!(
                        m.pinged_users
                            .iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                    );
                    v["pinged_roles"] = json!(
                        m.pinged_roles
                            .iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                    );
                    v["pinged_everyone"] = json!(m.pinged_everyone);
                    v
                })
                .collect(),
        )
    })
}

/// An interaction's outcome; waits up to a second for the acknowledgement.
async fn interaction(sim: &Sim, interaction: u64) -> Result<Value, Failure> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    loop {
        let snapshot = sim.with_world(|w| {
            w.interactions.get(&interaction).map(|s| {
                let original = s.original.and_then(|o| w.messages.get(&o)).map(|m| w.message_json(m));
                let ack = s.ack.as_ref().map(|a| json!({"type": a.kind, "latency_ms": a.latency.as_millis() as u64, "data": a.data}));
                json!({"id": interaction.to_string(), "ack": ack, "modal": s.modal, "original": original})
            })
        });
        match snapshot {
            None => {
                return Err(Failure::Sim(SimError::Unknown {
                    kind: "interaction",
                    id: interaction,
                }));
            }
            Some(v) if !v["ack"].is_null() || tokio::time::Instant::now() >= deadline => {
                return Ok(v);
            }
            Some(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

fn requests(sim: &Sim) -> Value {
    Value::Array(
        sim.requests()
            .into_iter()
            .map(|r| {
                json!({
                    "method": r.method, "path": r.path, "route": r.route, "query": r.query,
                    "body": r.body, "files": r.files, "status": r.status, "response": r.response,
                    "at": r.at.to_rfc3339(),
                })
            })
            .collect(),
    )
}
