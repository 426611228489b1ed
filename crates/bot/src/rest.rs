//! Every Discord REST call the bot makes goes through [`send`], which counts it by method, route
//! template and status for `/metrics`: twilight's client has no hook of its own.
//!
//! [`send`] sends exactly the request awaiting the builder would: twilight's builders turn
//! themselves into a [`Request`] with `try_into_request()` and hand it to `Client::request`, and
//! so does [`send`]. The request keeps what decides how it is sent (its body or multipart form,
//! its headers, and whether the bot token is used, which interaction callbacks and webhook
//! executions turn off), so the layer changes nothing about it.

use std::{future::IntoFuture, time::Instant};

use twilight_http::{
    Client, Error,
    error::ErrorType,
    request::{Request, TryIntoRequest},
    response::Response,
};

use crate::metrics::Metrics;

/// Sends a twilight request builder and records its outcome in `metrics`: its HTTP status, or
/// no status when none came back (a timeout, a refused connection, an unreadable error body).
/// A builder twilight rejects before sending (an invalid field) reaches nobody and is not counted.
pub async fn send<R, T>(http: &Client, metrics: &Metrics, builder: R) -> Result<Response<T>, Error>
where
    R: TryIntoRequest + IntoFuture<Output = Result<Response<T>, Error>>,
    T: Unpin,
{
    let request: Request = builder.try_into_request()?;
    let method = request.method().name();
    let route = route_template(request.path());
    let started = Instant::now();
    let result = http.request::<T>(request).await;
    let status = match &result {
        Ok(response) => Some(response.status().get()),
        Err(error) => match error.kind() {
            ErrorType::Response { status, .. } => Some(status.get()),
            _ => None,
        },
    };
    metrics
        .discord_requests
        .record(method, route, status, started.elapsed());
    result
}

/// The words of Discord's REST paths that may appear in a route label as they are. Anything
/// else (an interaction or webhook token, an emoji, whatever a future route carries) is replaced,
/// so a secret or an unbounded value can never become a label.
const PATH_WORDS: &[&str] = &[
    "@me",
    "@original",
    "answers",
    "applications",
    "archived",
    "audit-logs",
    "auto-moderation",
    "bans",
    "bot",
    "bulk-ban",
    "bulk-delete",
    "callback",
    "channels",
    "commands",
    "connections",
    "crosspost",
    "emojis",
    "entitlements",
    "expire",
    "followers",
    "gateway",
    "guilds",
    "integrations",
    "interactions",
    "invites",
    "members",
    "messages",
    "mfa",
    "nick",
    "onboarding",
    "permissions",
    "pins",
    "polls",
    "preview",
    "private",
    "prune",
    "public",
    "reactions",
    "regions",
    "roles",
    "rules",
    "scheduled-events",
    "search",
    "skus",
    "stage-instances",
    "sticker-packs",
    "stickers",
    "subscriptions",
    "sync",
    "templates",
    "thread-members",
    "threads",
    "typing",
    "users",
    "vanity-url",
    "voice-states",
    "webhooks",
    "welcome-screen",
    "widget",
    "widget.json",
];

/// Discord's paths are at most seven segments deep; a deeper one is cut so odd input cannot
/// grow the number of label values without bound.
const MAX_SEGMENTS: usize = 8;

/// The route template of a REST path, as a metric label: `channels/123/messages?limit=100`
/// becomes `/channels/:id/messages`. Numeric segments become `:id`; the segment after an
/// interaction's or a webhook's id is its token and becomes `:token`; any other segment not in
/// [`PATH_WORDS`] becomes `:param`. The query string is dropped. Placeholders are written
/// `:id` rather than Discord's `{id}` because simple Prometheus text parsers (prometheus-parse
/// among them) end a label set at the first `}`, even inside a quoted value.
pub fn route_template(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut template: Vec<&str> = Vec::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if template.len() == MAX_SEGMENTS {
            template.push(":more");
            break;
        }
        let follows_token_owner = matches!(
            template.as_slice(),
            [.., "interactions" | "webhooks", ":id"]
        );
        let shown = if segment.bytes().all(|b| b.is_ascii_digit()) {
            ":id"
        } else if follows_token_owner {
            ":token"
        } else if let Some(word) = PATH_WORDS.iter().find(|word| **word == segment) {
            word
        } else {
            ":param"
        };
        template.push(shown);
    }
    format!("/{}", template.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_placeholders_and_queries_go() {
        assert_eq!(
            route_template("channels/123456789012345678/messages?after=1&limit=100"),
            "/channels/:id/messages"
        );
        assert_eq!(
            route_template("/guilds/1/members/2/roles/3"),
            "/guilds/:id/members/:id/roles/:id"
        );
        assert_eq!(
            route_template("channels/9/permissions/8"),
            "/channels/:id/permissions/:id"
        );
        assert_eq!(route_template("users/@me/channels"), "/users/@me/channels");
        assert_eq!(route_template("applications/@me"), "/applications/@me");
        assert_eq!(route_template("gateway/bot"), "/gateway/bot");
        assert_eq!(
            route_template("applications/1/guilds/2/commands"),
            "/applications/:id/guilds/:id/commands"
        );
    }

    #[test]
    fn tokens_never_reach_the_label() {
        let token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OmFiY2RlZmdoaWprbG1ub3A";
        let callback = route_template(&format!(
            "interactions/1234/{token}/callback?with_response=false"
        ));
        assert_eq!(callback, "/interactions/:id/:token/callback");
        let edit = route_template(&format!("webhooks/42/{token}/messages/@original"));
        assert_eq!(edit, "/webhooks/:id/:token/messages/@original");
        let follow_up = route_template(&format!("webhooks/42/{token}?wait=true"));
        assert_eq!(follow_up, "/webhooks/:id/:token");
        // A token that happens to look like a path word or a number is still a token.
        assert_eq!(
            route_template("webhooks/42/messages/messages/@original"),
            "/webhooks/:id/:token/messages/@original"
        );
        assert_eq!(
            route_template("interactions/1/2/callback"),
            "/interactions/:id/:id/callback"
        );
        for path in [callback, edit, follow_up] {
            assert!(!path.contains(token), "{path}");
        }
    }

    #[test]
    fn unknown_segments_become_a_placeholder() {
        assert_eq!(
            route_template("channels/1/messages/2/reactions/%F0%9F%91%8D/@me"),
            "/channels/:id/messages/:id/reactions/:param/@me"
        );
        assert_eq!(
            route_template("channels/1/secret-thing"),
            "/channels/:id/:param"
        );
        // Words are matched exactly: case or a suffix makes another segment.
        assert_eq!(route_template("Channels/1"), "/:param/:id");
        assert_eq!(route_template("channelsx/1"), "/:param/:id");
    }

    #[test]
    fn odd_input_stays_bounded() {
        assert_eq!(route_template(""), "/");
        assert_eq!(route_template("/"), "/");
        assert_eq!(route_template("?limit=1"), "/");
        assert_eq!(route_template("//channels//1/"), "/channels/:id");
        assert_eq!(route_template("channels/1#frag"), "/channels/:id");
        assert_eq!(route_template("channels/-1"), "/channels/:param");
        assert_eq!(route_template("channels/１２"), "/channels/:param");
        assert_eq!(route_template("channels/\"}\n{x=\"y"), "/channels/:param");
        let deep = "a/".repeat(1000);
        assert_eq!(
            route_template(&deep),
            format!("/{}/:more", [":param"; MAX_SEGMENTS].join("/"))
        );
    }

    #[test]
    fn labels_only_hold_safe_characters() {
        let inputs = [
            "webhooks/1/tok\"en/messages/@original",
            "channels/1/\\/x",
            "guilds/1/members/2 3",
        ];
        for input in inputs {
            let template = route_template(input);
            assert!(
                template
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/:@-._".contains(c)),
                "{template}"
            );
        }
    }
}
