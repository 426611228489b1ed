//! Discord's request validation and error bodies: what the simulator refuses, and how it says so.
//!
//! Validators take the JSON body a bot sent and return `Err(ApiError)` carrying Discord's answer:
//! 400 with code 50035 "Invalid Form Body" and an `errors` tree keyed by the JSON path, each leaf
//! an `_errors` list of `{code, message}` with Discord's string codes (`BASE_TYPE_MAX_LENGTH` …).
//! Limits follow the documentation in `../shared/discord-docs/` (messages, embeds, components,
//! modals, channels, application commands). Lengths are counted in Unicode scalar values.

use std::collections::HashSet;

use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::{Map, Value, json};

/// A Discord API error: an HTTP status, a JSON error code and message, and for 50035 the tree
/// of field errors.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ApiError {
    status: StatusCode,
    code: u32,
    message: String,
    errors: Option<Value>,
}

impl ApiError {
    /// An error with Discord's `{"message", "code"}` body.
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            errors: None,
        }
    }

    /// 400 / 50035 "Invalid Form Body" with the given field errors.
    pub fn invalid_form_body(errors: FieldErrors) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: 50035,
            message: "Invalid Form Body".into(),
            errors: Some(errors.into_tree()),
        }
    }

    /// 401 / 0, for a missing or wrong `Authorization` header.
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, 0, "401: Unauthorized")
    }

    /// 403 / 50001 "Missing Access": the bot cannot see the resource.
    pub fn missing_access() -> Self {
        Self::new(StatusCode::FORBIDDEN, 50001, "Missing Access")
    }

    /// 403 / 50013 "Missing Permissions".
    pub fn missing_permissions() -> Self {
        Self::new(StatusCode::FORBIDDEN, 50013, "Missing Permissions")
    }

    /// 404 / 10003 "Unknown Channel".
    pub fn unknown_channel() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10003, "Unknown Channel")
    }

    /// 404 / 10004 "Unknown Guild".
    pub fn unknown_guild() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10004, "Unknown Guild")
    }

    /// 404 / 10007 "Unknown Member".
    pub fn unknown_member() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10007, "Unknown Member")
    }

    /// 404 / 10008 "Unknown Message".
    pub fn unknown_message() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10008, "Unknown Message")
    }

    /// 404 / 10009 "Unknown Overwrite".
    pub fn unknown_overwrite() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10009, "Unknown Overwrite")
    }

    /// 404 / 10011 "Unknown Role".
    pub fn unknown_role() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10011, "Unknown Role")
    }

    /// 404 / 10013 "Unknown User".
    pub fn unknown_user() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10013, "Unknown User")
    }

    /// 404 / 10015 "Unknown Webhook".
    pub fn unknown_webhook() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10015, "Unknown Webhook")
    }

    /// 404 / 10062 "Unknown interaction": late, expired or made-up interaction tokens.
    pub fn unknown_interaction() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10062, "Unknown interaction")
    }

    /// 404 / 10063 "Unknown application command".
    pub fn unknown_application_command() -> Self {
        Self::new(StatusCode::NOT_FOUND, 10063, "Unknown application command")
    }

    /// 404 / 0 "404: Not Found", for routes Discord does not have.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, 0, "404: Not Found")
    }

    /// 400 / 40060 "Interaction has already been acknowledged."
    pub fn already_acknowledged() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            40060,
            "Interaction has already been acknowledged.",
        )
    }

    /// 400 / 50006 "Cannot send an empty message".
    pub fn empty_message() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50006,
            "Cannot send an empty message",
        )
    }

    /// 403 / 50007 "Cannot send messages to this user" (closed DMs).
    pub fn cannot_message_user() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            50007,
            "Cannot send messages to this user",
        )
    }

    /// 403 / 50005 "Cannot edit a message authored by another user".
    pub fn not_message_author() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            50005,
            "Cannot edit a message authored by another user",
        )
    }

    /// 400 / 50016 for a bulk delete of fewer than 2 or more than 100 messages.
    pub fn bulk_delete_count() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50016,
            "You must provide at least 2 and fewer than 100 messages to delete.",
        )
    }

    /// 400 / 50034 for a bulk delete that includes messages older than two weeks.
    pub fn bulk_delete_too_old() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50034,
            "You can only bulk delete messages that are under 14 days old.",
        )
    }

    /// 400 / 30013 "Maximum number of guild channels reached (500)".
    pub fn max_guild_channels() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            30013,
            "Maximum number of guild channels reached (500)",
        )
    }

    /// 400 / 50035 with `parent_id` → `CHANNEL_PARENT_MAX_CHANNELS`: the category already holds
    /// 50 channels.
    pub fn category_full() -> Self {
        let mut errors = FieldErrors::default();
        errors.push(
            &["parent_id"],
            "CHANNEL_PARENT_MAX_CHANNELS",
            "Maximum number of channels in category reached (50)",
        );
        Self::invalid_form_body(errors)
    }

    /// 400 / 50109 "The request body contains invalid JSON."
    pub fn invalid_json() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            50109,
            "The request body contains invalid JSON.",
        )
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Discord's JSON error code (0 for plain HTTP errors).
    pub fn code(&self) -> u32 {
        self.code
    }

    /// The field-error tree of a 50035, if any.
    pub fn errors(&self) -> Option<&Value> {
        self.errors.as_ref()
    }

    /// The JSON body Discord sends with this error.
    pub fn body(&self) -> Value {
        let mut body = json!({ "message": self.message, "code": self.code });
        if let Some(errors) = &self.errors {
            body["errors"] = errors.clone();
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}

/// Field errors collected while validating, keyed by JSON path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors {
    entries: Vec<(Vec<String>, &'static str, String)>,
}

impl FieldErrors {
    /// Records an error at `path` (object keys and array indices as strings).
    pub fn push<S: AsRef<str>>(
        &mut self,
        path: &[S],
        code: &'static str,
        message: impl Into<String>,
    ) {
        let path = path.iter().map(|s| s.as_ref().to_owned()).collect();
        self.entries.push((path, code, message.into()));
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `Ok(())` when empty, the 50035 error otherwise.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_form_body(self))
        }
    }

    /// Builds Discord's nested `errors` object.
    fn into_tree(self) -> Value {
        let mut root = Map::new();
        for (path, code, message) in self.entries {
            let mut node = &mut root;
            for key in path {
                node = node
                    .entry(key)
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("the error tree holds only objects on paths");
            }
            let list = node
                .entry("_errors")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.push(json!({ "code": code, "message": message }));
            }
        }
        Value::Object(root)
    }
}

/// The position of a value in the body, and where its errors go.
struct Checker {
    errors: FieldErrors,
}

type Path = Vec<String>;

fn child(path: &Path, key: impl ToString) -> Path {
    let mut next = path.clone();
    next.push(key.to_string());
    next
}

fn char_len(text: &str) -> usize {
    text.chars().count()
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

impl Checker {
    fn new() -> Self {
        Checker {
            errors: FieldErrors::default(),
        }
    }

    fn fail(&mut self, path: &Path, code: &'static str, message: impl Into<String>) {
        self.errors.push(path, code, message);
    }

    fn finish(self) -> Result<(), ApiError> {
        self.errors.into_result()
    }

    fn required(&mut self, path: &Path) {
        self.fail(path, "BASE_TYPE_REQUIRED", "This field is required");
    }

    /// Reads `key` of `object`; `None` (and no error) when absent or null.
    fn field<'v>(&mut self, object: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        object.get(key).filter(|v| !v.is_null())
    }

    fn object<'v>(&mut self, value: &'v Value, path: &Path) -> Option<&'v Map<String, Value>> {
        match value {
            Value::Object(object) => Some(object),
            _ => {
                self.fail(
                    path,
                    "MODEL_TYPE_CONVERT",
                    "Only dictionaries may be used in a ModelType",
                );
                None
            }
        }
    }

    fn array<'v>(&mut self, value: &'v Value, path: &Path) -> Option<&'v Vec<Value>> {
        match value {
            Value::Array(items) => Some(items),
            _ => {
                self.fail(
                    path,
                    "LIST_TYPE_CONVERT",
                    "Only iterables may be used in a ListType",
                );
                None
            }
        }
    }

    /// An array with at most `max` items (the items are the caller's business).
    fn array_max<'v>(
        &mut self,
        value: &'v Value,
        path: &Path,
        max: usize,
    ) -> Option<&'v Vec<Value>> {
        let items = self.array(value, path)?;
        if items.len() > max {
            self.fail(
                path,
                "BASE_TYPE_MAX_LENGTH",
                format!("Must be {max} or fewer in length."),
            );
        }
        Some(items)
    }

    fn string<'v>(&mut self, value: &'v Value, path: &Path) -> Option<&'v str> {
        match value {
            Value::String(text) => Some(text),
            other => {
                self.fail(
                    path,
                    "STRING_TYPE_CONVERT",
                    format!("Could not interpret \"{}\" as string.", describe(other)),
                );
                None
            }
        }
    }

    /// A string of `min..=max` characters, using the code Discord uses for each shape of
    /// limit.
    fn string_len<'v>(
        &mut self,
        value: &'v Value,
        path: &Path,
        min: usize,
        max: usize,
    ) -> Option<&'v str> {
        let text = self.string(value, path)?;
        let len = char_len(text);
        if len < min || len > max {
            if min == 0 {
                self.fail(
                    path,
                    "BASE_TYPE_MAX_LENGTH",
                    format!("Must be {max} or fewer in length."),
                );
            } else {
                self.fail(
                    path,
                    "BASE_TYPE_BAD_LENGTH",
                    format!("Must be between {min} and {max} in length."),
                );
            }
        }
        Some(text)
    }

    /// An optional string field of `min..=max` characters.
    fn opt_string<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &Path,
        key: &str,
        min: usize,
        max: usize,
    ) -> Option<&'v str> {
        let value = self.field(object, key)?;
        self.string_len(value, &child(path, key), min, max)
    }

    /// A required string field of `min..=max` characters.
    fn req_string<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &Path,
        key: &str,
        min: usize,
        max: usize,
    ) -> Option<&'v str> {
        match self.field(object, key) {
            Some(value) => self.string_len(value, &child(path, key), min, max),
            None => {
                self.required(&child(path, key));
                None
            }
        }
    }

    fn integer(&mut self, value: &Value, path: &Path) -> Option<i64> {
        match value.as_i64() {
            Some(number) => Some(number),
            None => {
                self.fail(
                    path,
                    "NUMBER_TYPE_COERCE",
                    format!("Value \"{}\" is not int.", describe(value)),
                );
                None
            }
        }
    }

    fn integer_range(&mut self, value: &Value, path: &Path, min: i64, max: i64) -> Option<i64> {
        let number = self.integer(value, path)?;
        if number < min {
            self.fail(
                path,
                "NUMBER_TYPE_MIN",
                format!("int value should be greater than or equal to {min}."),
            );
        } else if number > max {
            self.fail(
                path,
                "NUMBER_TYPE_MAX",
                format!("int value should be less than or equal to {max}."),
            );
        }
        Some(number)
    }

    fn opt_integer_range(
        &mut self,
        object: &Map<String, Value>,
        path: &Path,
        key: &str,
        min: i64,
        max: i64,
    ) -> Option<i64> {
        let value = self.field(object, key)?;
        self.integer_range(value, &child(path, key), min, max)
    }

    fn choice(&mut self, value: &Value, path: &Path, allowed: &[i64]) -> Option<i64> {
        let number = self.integer(value, path)?;
        if allowed.contains(&number) {
            Some(number)
        } else {
            let list: Vec<String> = allowed.iter().map(i64::to_string).collect();
            self.fail(
                path,
                "BASE_TYPE_CHOICES",
                format!("Value must be one of {{{}}}.", list.join(", ")),
            );
            None
        }
    }

    fn boolean(&mut self, object: &Map<String, Value>, path: &Path, key: &str) {
        if let Some(value) = self.field(object, key)
            && !value.is_boolean()
        {
            self.fail(
                &child(path, key),
                "BASE_TYPE_BOOLEAN",
                "Must be either true or false.",
            );
        }
    }

    fn snowflake(&mut self, value: &Value, path: &Path) -> Option<u64> {
        let parsed = match value {
            Value::String(text) if text.bytes().all(|b| b.is_ascii_digit()) => text.parse().ok(),
            Value::Number(number) => number.as_u64(),
            _ => None,
        };
        if parsed.is_none() {
            self.fail(
                path,
                "NUMBER_TYPE_COERCE",
                format!("Value \"{}\" is not snowflake.", describe(value)),
            );
        }
        parsed
    }

    /// A permission bit set: Discord documents decimal strings; integers are accepted too.
    fn bit_set(&mut self, value: &Value, path: &Path) {
        let ok = match value {
            Value::String(text) => crate::permissions::Permissions::parse(text).is_ok(),
            Value::Number(number) => number.as_u64().is_some(),
            _ => false,
        };
        if !ok {
            self.fail(
                path,
                "NUMBER_TYPE_COERCE",
                format!("Value \"{}\" is not int.", describe(value)),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/// Message `flags` value marking a message built from the newer layout components; their rules
/// are not modelled, so such component trees are only checked for shape.
const IS_COMPONENTS_V2: i64 = 1 << 15;

const MAX_CONTENT: usize = 2000;
const MAX_EMBEDS: usize = 10;
const MAX_EMBED_TOTAL: usize = 6000;
const MAX_ACTION_ROWS: usize = 5;
const MAX_CUSTOM_ID: usize = 100;

/// Validates a message body for creation (channel message, webhook execution, follow-up or
/// an interaction response of type 4): every field rule, and that it is not empty.
pub fn message(body: &Value) -> Result<(), ApiError> {
    check_message(body, true)
}

/// Validates a message edit (`PATCH` of a message or `@original`, interaction type 7): the
/// same field rules, but an edit may leave every field out.
pub fn message_edit(body: &Value) -> Result<(), ApiError> {
    check_message(body, false)
}

fn check_message(body: &Value, must_have_content: bool) -> Result<(), ApiError> {
    let mut c = Checker::new();
    let root: Path = Vec::new();
    let Some(object) = c.object(body, &root) else {
        return c.finish();
    };
    check_message_fields(&mut c, object, &root);
    c.finish()?;
    if must_have_content && message_is_empty(object) {
        return Err(ApiError::empty_message());
    }
    Ok(())
}

fn message_is_empty(object: &Map<String, Value>) -> bool {
    let has_text = object
        .get("content")
        .and_then(Value::as_str)
        .is_some_and(|text| !text.is_empty());
    let non_empty_list = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_array)
            .is_some_and(|items| !items.is_empty())
    };
    let has_poll = object.get("poll").is_some_and(|poll| !poll.is_null());
    !(has_text
        || non_empty_list("embeds")
        || non_empty_list("components")
        || non_empty_list("attachments")
        || non_empty_list("sticker_ids")
        || has_poll)
}

fn check_message_fields(c: &mut Checker, object: &Map<String, Value>, path: &Path) {
    c.opt_string(object, path, "content", 0, MAX_CONTENT);
    c.boolean(object, path, "tts");
    // An integer, or a string of at most 25 characters.
    match c.field(object, "nonce") {
        Some(nonce @ Value::String(_)) => {
            c.string_len(nonce, &child(path, "nonce"), 0, 25);
        }
        Some(nonce) => {
            c.integer(nonce, &child(path, "nonce"));
        }
        None => {}
    }
    c.boolean(object, path, "enforce_nonce");
    let components_v2 = match c.field(object, "flags") {
        Some(flags) => c
            .integer(flags, &child(path, "flags"))
            .is_some_and(|flags| flags & IS_COMPONENTS_V2 != 0),
        None => false,
    };
    if let Some(embeds) = c.field(object, "embeds") {
        check_embeds(c, embeds, &child(path, "embeds"));
    }
    if let Some(components) = c.field(object, "components") {
        check_message_components(c, components, &child(path, "components"), components_v2);
    }
    if let Some(mentions) = c.field(object, "allowed_mentions") {
        check_allowed_mentions(c, mentions, &child(path, "allowed_mentions"));
    }
    if let Some(attachments) = c.field(object, "attachments") {
        check_attachments(c, attachments, &child(path, "attachments"));
    }
}

fn check_attachments(c: &mut Checker, value: &Value, path: &Path) {
    let Some(items) = c.array_max(value, path, 10) else {
        return;
    };
    for (index, item) in items.iter().enumerate() {
        let item_path = child(path, index);
        let Some(attachment) = c.object(item, &item_path) else {
            continue;
        };
        match c.field(attachment, "id") {
            // Multipart bodies name a file by its `files[n]` index (see DISCORD-NOTES.md).
            Some(id) => {
                c.snowflake(id, &child(&item_path, "id"));
            }
            None => c.required(&child(&item_path, "id")),
        }
        c.opt_string(attachment, &item_path, "filename", 1, 1024);
        c.opt_string(attachment, &item_path, "description", 0, 1024);
    }
}

fn check_embeds(c: &mut Checker, value: &Value, path: &Path) {
    let Some(embeds) = c.array_max(value, path, MAX_EMBEDS) else {
        return;
    };
    let mut total = 0;
    for (index, embed) in embeds.iter().enumerate() {
        total += check_embed(c, embed, &child(path, index));
    }
    if total > MAX_EMBED_TOTAL {
        c.fail(
            path,
            "MAX_EMBED_SIZE_EXCEEDED",
            format!("Embed size exceeds maximum size of {MAX_EMBED_TOTAL}"),
        );
    }
}

/// Checks one embed and returns the characters it counts towards the 6000 total.
fn check_embed(c: &mut Checker, value: &Value, path: &Path) -> usize {
    let Some(embed) = c.object(value, path) else {
        return 0;
    };
    let mut total = 0;
    let mut count = |text: Option<&str>| total += text.map(char_len).unwrap_or(0);
    count(c.opt_string(embed, path, "title", 0, 256));
    count(c.opt_string(embed, path, "description", 0, 4096));
    c.opt_string(embed, path, "url", 0, 2048);
    if let Some(color) = c.field(embed, "color") {
        c.integer_range(color, &child(path, "color"), 0, 0xFF_FFFF);
    }
    if let Some(footer) = c.field(embed, "footer") {
        let footer_path = child(path, "footer");
        if let Some(footer) = c.object(footer, &footer_path) {
            count(c.req_string(footer, &footer_path, "text", 1, 2048));
        }
    }
    if let Some(author) = c.field(embed, "author") {
        let author_path = child(path, "author");
        if let Some(author) = c.object(author, &author_path) {
            count(c.req_string(author, &author_path, "name", 1, 256));
        }
    }
    for key in ["image", "thumbnail"] {
        if let Some(media) = c.field(embed, key) {
            let media_path = child(path, key);
            if let Some(media) = c.object(media, &media_path) {
                c.req_string(media, &media_path, "url", 1, 2048);
            }
        }
    }
    if let Some(fields) = c.field(embed, "fields") {
        let fields_path = child(path, "fields");
        if let Some(fields) = c.array_max(fields, &fields_path, 25) {
            for (index, field) in fields.iter().enumerate() {
                let field_path = child(&fields_path, index);
                let Some(field) = c.object(field, &field_path) else {
                    continue;
                };
                count(c.req_string(field, &field_path, "name", 1, 256));
                count(c.req_string(field, &field_path, "value", 1, 1024));
                c.boolean(field, &field_path, "inline");
            }
        }
    }
    total
}

fn check_allowed_mentions(c: &mut Checker, value: &Value, path: &Path) {
    let Some(mentions) = c.object(value, path) else {
        return;
    };
    let mut parses = HashSet::new();
    if let Some(parse) = c.field(mentions, "parse") {
        let parse_path = child(path, "parse");
        if let Some(items) = c.array(parse, &parse_path) {
            for (index, item) in items.iter().enumerate() {
                let item_path = child(&parse_path, index);
                match item.as_str() {
                    Some(kind @ ("roles" | "users" | "everyone")) => {
                        parses.insert(kind);
                    }
                    _ => c.fail(
                        &item_path,
                        "BASE_TYPE_CHOICES",
                        "Value must be one of ('roles', 'users', 'everyone').",
                    ),
                }
            }
        }
    }
    for kind in ["roles", "users"] {
        let Some(ids) = c.field(mentions, kind) else {
            continue;
        };
        let ids_path = child(path, kind);
        let Some(ids) = c.array_max(ids, &ids_path, 100) else {
            continue;
        };
        for (index, id) in ids.iter().enumerate() {
            c.snowflake(id, &child(&ids_path, index));
        }
        if !ids.is_empty() && parses.contains(kind) {
            c.fail(
                path,
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                format!("parse:[\"{kind}\"] and {kind}: [ids...] are mutually exclusive."),
            );
        }
    }
    c.boolean(mentions, path, "replied_user");
}

// ---------------------------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------------------------

const ACTION_ROW: i64 = 1;
const BUTTON: i64 = 2;
const STRING_SELECT: i64 = 3;
const TEXT_INPUT: i64 = 4;
const TEXT_DISPLAY: i64 = 10;
const LABEL: i64 = 18;
const FILE_UPLOAD: i64 = 19;
const AUTO_SELECTS: [i64; 4] = [5, 6, 7, 8];
const LINK_STYLE: i64 = 5;
const PREMIUM_STYLE: i64 = 6;

fn check_message_components(c: &mut Checker, value: &Value, path: &Path, components_v2: bool) {
    if components_v2 {
        // The layout components have their own limits (40 in all); only the shape is checked.
        c.array_max(value, path, 40);
        return;
    }
    let Some(rows) = c.array_max(value, path, MAX_ACTION_ROWS) else {
        return;
    };
    let mut custom_ids = HashSet::new();
    for (index, row) in rows.iter().enumerate() {
        check_action_row(c, row, &child(path, index), &mut custom_ids);
    }
}

fn check_action_row<'v>(
    c: &mut Checker,
    value: &'v Value,
    path: &Path,
    custom_ids: &mut HashSet<&'v str>,
) {
    let Some(row) = c.object(value, path) else {
        return;
    };
    match c.field(row, "type") {
        Some(kind) => {
            if c.choice(kind, &child(path, "type"), &[ACTION_ROW])
                .is_none()
            {
                return;
            }
        }
        None => {
            c.required(&child(path, "type"));
            return;
        }
    }
    let children_path = child(path, "components");
    let Some(children) = c.field(row, "components") else {
        c.required(&children_path);
        return;
    };
    let Some(children) = c.array(children, &children_path) else {
        return;
    };
    if children.is_empty() || children.len() > 5 {
        c.fail(
            &children_path,
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 5 in length.",
        );
    }
    let mut kinds = Vec::new();
    for (index, item) in children.iter().enumerate() {
        let item_path = child(&children_path, index);
        if let Some(kind) = check_message_child(c, item, &item_path, custom_ids) {
            kinds.push((kind, item_path));
        }
    }
    // A select fills a whole row: it cannot share it with anything.
    if kinds.len() > 1 {
        for (kind, item_path) in &kinds {
            if *kind != BUTTON {
                c.fail(
                    item_path,
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                );
            }
        }
    }
}

/// Checks a component inside a message's action row; returns its type when known.
fn check_message_child<'v>(
    c: &mut Checker,
    value: &'v Value,
    path: &Path,
    custom_ids: &mut HashSet<&'v str>,
) -> Option<i64> {
    let component = c.object(value, path)?;
    let kind_path = child(path, "type");
    let Some(kind) = c.field(component, "type") else {
        c.required(&kind_path);
        return None;
    };
    let kind = c.choice(kind, &kind_path, &[BUTTON, STRING_SELECT, 5, 6, 7, 8])?;
    if kind == BUTTON {
        check_button(c, component, path, custom_ids);
    } else {
        check_select(c, component, path, kind, custom_ids);
    }
    Some(kind)
}

fn check_custom_id<'v>(
    c: &mut Checker,
    component: &'v Map<String, Value>,
    path: &Path,
    custom_ids: &mut HashSet<&'v str>,
) {
    if let Some(id) = c.req_string(component, path, "custom_id", 1, MAX_CUSTOM_ID)
        && !custom_ids.insert(id)
    {
        c.fail(
            &child(path, "custom_id"),
            "COMPONENT_CUSTOM_ID_DUPLICATED",
            "Component custom id was already specified",
        );
    }
}

fn check_button<'v>(
    c: &mut Checker,
    button: &'v Map<String, Value>,
    path: &Path,
    custom_ids: &mut HashSet<&'v str>,
) {
    let style_path = child(path, "style");
    let Some(style) = c.field(button, "style") else {
        c.required(&style_path);
        return;
    };
    let Some(style) = c.choice(style, &style_path, &[1, 2, 3, 4, 5, 6]) else {
        return;
    };
    c.opt_string(button, path, "label", 0, 80);
    c.boolean(button, path, "disabled");
    match style {
        LINK_STYLE => {
            c.req_string(button, path, "url", 1, 512);
            if button.contains_key("custom_id") {
                c.fail(
                    &child(path, "custom_id"),
                    "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
                    "A link button cannot have a custom id",
                );
            }
        }
        PREMIUM_STYLE => {
            if c.field(button, "sku_id").is_none() {
                c.required(&child(path, "sku_id"));
            }
        }
        _ => {
            check_custom_id(c, button, path, custom_ids);
            if button.contains_key("url") {
                c.fail(
                    &child(path, "url"),
                    "BUTTON_COMPONENT_URL_NOT_ALLOWED",
                    "Only link buttons can have a url",
                );
            }
        }
    }
    if style != PREMIUM_STYLE
        && c.field(button, "label").is_none()
        && c.field(button, "emoji").is_none()
    {
        c.fail(
            path,
            "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED",
            "A button must have a label or an emoji",
        );
    }
}

fn check_select<'v>(
    c: &mut Checker,
    select: &'v Map<String, Value>,
    path: &Path,
    kind: i64,
    custom_ids: &mut HashSet<&'v str>,
) {
    check_custom_id(c, select, path, custom_ids);
    c.opt_string(select, path, "placeholder", 0, 150);
    c.boolean(select, path, "disabled");
    let min = c
        .opt_integer_range(select, path, "min_values", 0, 25)
        .unwrap_or(1);
    let max = c
        .opt_integer_range(select, path, "max_values", 1, 25)
        .unwrap_or(1);
    if min > max {
        c.fail(
            &child(path, "min_values"),
            "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
            "min_values must be less than or equal to max_values",
        );
    }
    let options_path = child(path, "options");
    if kind == STRING_SELECT {
        let Some(options) = c.field(select, "options") else {
            c.required(&options_path);
            return;
        };
        let Some(options) = c.array(options, &options_path) else {
            return;
        };
        if options.is_empty() || options.len() > 25 {
            c.fail(
                &options_path,
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 25 in length.",
            );
        }
        if max > options.len() as i64 && !options.is_empty() {
            c.fail(
                &child(path, "max_values"),
                "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
                format!("max_values must be less than or equal to {}", options.len()),
            );
        }
        let mut values = HashSet::new();
        for (index, option) in options.iter().enumerate() {
            let option_path = child(&options_path, index);
            let Some(option) = c.object(option, &option_path) else {
                continue;
            };
            c.req_string(option, &option_path, "label", 1, 100);
            if let Some(value) = c.req_string(option, &option_path, "value", 1, 100)
                && !values.insert(value)
            {
                c.fail(
                    &child(&option_path, "value"),
                    "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
                    "Select component option value was already specified",
                );
            }
            c.opt_string(option, &option_path, "description", 0, 100);
            c.boolean(option, &option_path, "default");
        }
    } else if AUTO_SELECTS.contains(&kind) && select.contains_key("options") {
        c.fail(
            &options_path,
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 0 and 0 in length.",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Interaction responses and modals
// ---------------------------------------------------------------------------------------------

/// Interaction callback types the documentation lists for bots.
const CALLBACK_TYPES: [i64; 7] = [1, 4, 5, 6, 7, 8, 9];

/// Validates an interaction response (`POST /interactions/{id}/{token}/callback`): the type,
/// and its `data` by type (a message for 4, an edit for 7, choices for 8, a modal for 9).
/// Whether the type suits the interaction (a modal answering a modal, a PONG answering
/// anything but a PING) is for the caller, which knows the interaction.
pub fn interaction_response(body: &Value) -> Result<(), ApiError> {
    let mut c = Checker::new();
    let root: Path = Vec::new();
    let Some(object) = c.object(body, &root) else {
        return c.finish();
    };
    let type_path = child(&root, "type");
    let Some(kind) = c.field(object, "type") else {
        c.required(&type_path);
        return c.finish();
    };
    let Some(kind) = c.choice(kind, &type_path, &CALLBACK_TYPES) else {
        return c.finish();
    };
    let data_path = child(&root, "data");
    let data = c.field(object, "data");
    let mut empty_message = false;
    match (kind, data) {
        (4, None) => c.required(&data_path),
        (4 | 7, Some(data)) => {
            if let Some(data) = c.object(data, &data_path) {
                check_message_fields(&mut c, data, &data_path);
                empty_message = kind == 4 && message_is_empty(data);
            }
        }
        (5, Some(data)) => {
            if let Some(data) = c.object(data, &data_path) {
                if let Some(flags) = c.field(data, "flags") {
                    c.integer(flags, &child(&data_path, "flags"));
                }
            }
        }
        (8, Some(data)) => check_autocomplete(&mut c, data, &data_path),
        (8, None) => c.required(&data_path),
        (9, Some(data)) => check_modal(&mut c, data, &data_path),
        (9, None) => c.required(&data_path),
        _ => {}
    }
    c.finish()?;
    if empty_message {
        return Err(ApiError::empty_message());
    }
    Ok(())
}

fn check_autocomplete(c: &mut Checker, value: &Value, path: &Path) {
    let Some(data) = c.object(value, path) else {
        return;
    };
    let choices_path = child(path, "choices");
    let Some(choices) = c.field(data, "choices") else {
        c.required(&choices_path);
        return;
    };
    check_choices(c, choices, &choices_path);
}

fn check_modal(c: &mut Checker, value: &Value, path: &Path) {
    let Some(modal) = c.object(value, path) else {
        return;
    };
    c.req_string(modal, path, "title", 1, 45);
    // The modal's own id is not one of its components' ids: it has a set of its own.
    check_custom_id(c, modal, path, &mut HashSet::new());
    let mut custom_ids = HashSet::new();
    let rows_path = child(path, "components");
    let Some(rows) = c.field(modal, "components") else {
        c.required(&rows_path);
        return;
    };
    let Some(rows) = c.array(rows, &rows_path) else {
        return;
    };
    if rows.is_empty() || rows.len() > 5 {
        c.fail(
            &rows_path,
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 5 in length.",
        );
    }
    for (index, row) in rows.iter().enumerate() {
        check_modal_child(c, row, &child(&rows_path, index), &mut custom_ids);
    }
}

/// A top-level modal component: an action row holding one text input (the older form), a
/// label wrapping one input, or a text display.
fn check_modal_child<'v>(
    c: &mut Checker,
    value: &'v Value,
    path: &Path,
    custom_ids: &mut HashSet<&'v str>,
) {
    let Some(component) = c.object(value, path) else {
        return;
    };
    let type_path = child(path, "type");
    let Some(kind) = c.field(component, "type") else {
        c.required(&type_path);
        return;
    };
    match c.choice(kind, &type_path, &[ACTION_ROW, TEXT_DISPLAY, LABEL]) {
        Some(ACTION_ROW) => {
            let inputs_path = child(path, "components");
            let Some(inputs) = c.field(component, "components") else {
                c.required(&inputs_path);
                return;
            };
            let Some(inputs) = c.array(inputs, &inputs_path) else {
                return;
            };
            if inputs.len() != 1 {
                c.fail(
                    &inputs_path,
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 1 in length.",
                );
            }
            for (index, input) in inputs.iter().enumerate() {
                check_text_input(c, input, &child(&inputs_path, index), custom_ids, true);
            }
        }
        Some(TEXT_DISPLAY) => {
            c.req_string(component, path, "content", 1, 4000);
        }
        Some(_) => check_label(c, component, path, custom_ids),
        None => {}
    }
}

fn check_label<'v>(
    c: &mut Checker,
    label: &'v Map<String, Value>,
    path: &Path,
    custom_ids: &mut HashSet<&'v str>,
) {
    c.req_string(label, path, "label", 1, 45);
    c.opt_string(label, path, "description", 1, 100);
    let inner_path = child(path, "component");
    let Some(inner) = c.field(label, "component") else {
        c.required(&inner_path);
        return;
    };
    let Some(inner_object) = c.object(inner, &inner_path) else {
        return;
    };
    let type_path = child(&inner_path, "type");
    let Some(kind) = c.field(inner_object, "type") else {
        c.required(&type_path);
        return;
    };
    let allowed = [TEXT_INPUT, STRING_SELECT, 5, 6, 7, 8, FILE_UPLOAD];
    match c.choice(kind, &type_path, &allowed) {
        Some(TEXT_INPUT) => check_text_input(c, inner, &inner_path, custom_ids, false),
        Some(FILE_UPLOAD) => {
            check_custom_id(c, inner_object, &inner_path, custom_ids);
            c.opt_integer_range(inner_object, &inner_path, "min_values", 0, 10);
            c.opt_integer_range(inner_object, &inner_path, "max_values", 1, 10);
            c.boolean(inner_object, &inner_path, "required");
        }
        Some(select) => check_select(c, inner_object, &inner_path, select, custom_ids),
        None => {}
    }
}

/// A text input; inside a label the label carries the text, so the input's own is optional.
fn check_text_input<'v>(
    c: &mut Checker,
    value: &'v Value,
    path: &Path,
    custom_ids: &mut HashSet<&'v str>,
    label_required: bool,
) {
    let Some(input) = c.object(value, path) else {
        return;
    };
    match c.field(input, "type") {
        Some(kind) => {
            if c.choice(kind, &child(path, "type"), &[TEXT_INPUT])
                .is_none()
            {
                return;
            }
        }
        None => {
            c.required(&child(path, "type"));
            return;
        }
    }
    check_custom_id(c, input, path, custom_ids);
    match c.field(input, "style") {
        Some(style) => {
            c.choice(style, &child(path, "style"), &[1, 2]);
        }
        None => c.required(&child(path, "style")),
    }
    if label_required {
        c.req_string(input, path, "label", 1, 45);
    } else {
        c.opt_string(input, path, "label", 1, 45);
    }
    let min = c.opt_integer_range(input, path, "min_length", 0, 4000);
    let max = c.opt_integer_range(input, path, "max_length", 1, 4000);
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        c.fail(
            &child(path, "min_length"),
            "TEXT_INPUT_MIN_LENGTH_TOO_LARGE",
            "min_length must be less than or equal to max_length",
        );
    }
    c.opt_string(input, path, "value", 0, 4000);
    c.opt_string(input, path, "placeholder", 0, 100);
    c.boolean(input, path, "required");
}

// ---------------------------------------------------------------------------------------------
// Channels
// ---------------------------------------------------------------------------------------------

/// Channel types a bot may create in a guild: text, voice, category, announcement, stage,
/// forum, media.
const CREATABLE_CHANNEL_TYPES: [i64; 7] = [0, 2, 4, 5, 13, 15, 16];
const FORUM_TYPES: [i64; 2] = [15, 16];

/// Validates `POST /guilds/{guild_id}/channels`.
pub fn channel_create(body: &Value) -> Result<(), ApiError> {
    check_channel(body, true)
}

/// Validates `PATCH /channels/{channel_id}` for a guild channel.
pub fn channel_modify(body: &Value) -> Result<(), ApiError> {
    check_channel(body, false)
}

fn check_channel(body: &Value, creating: bool) -> Result<(), ApiError> {
    let mut c = Checker::new();
    let root: Path = Vec::new();
    let Some(channel) = c.object(body, &root) else {
        return c.finish();
    };
    if creating {
        c.req_string(channel, &root, "name", 1, 100);
    } else {
        c.opt_string(channel, &root, "name", 1, 100);
    }
    let kind = c
        .field(channel, "type")
        .and_then(|kind| c.choice(kind, &child(&root, "type"), &CREATABLE_CHANNEL_TYPES));
    let topic_max = if kind.is_some_and(|kind| FORUM_TYPES.contains(&kind)) {
        4096
    } else {
        1024
    };
    c.opt_string(channel, &root, "topic", 0, topic_max);
    c.opt_integer_range(channel, &root, "rate_limit_per_user", 0, 21600);
    c.opt_integer_range(channel, &root, "position", i64::MIN, i64::MAX);
    c.boolean(channel, &root, "nsfw");
    if let Some(parent) = c.field(channel, "parent_id") {
        c.snowflake(parent, &child(&root, "parent_id"));
    }
    if let Some(overwrites) = c.field(channel, "permission_overwrites") {
        check_overwrites(&mut c, overwrites, &child(&root, "permission_overwrites"));
    }
    c.finish()
}

/// Validates `PUT /channels/{channel_id}/permissions/{overwrite_id}` (`type`, `allow`, `deny`).
pub fn overwrite_edit(body: &Value) -> Result<(), ApiError> {
    let mut c = Checker::new();
    let root: Path = Vec::new();
    let Some(overwrite) = c.object(body, &root) else {
        return c.finish();
    };
    match c.field(overwrite, "type") {
        Some(kind) => {
            c.choice(kind, &child(&root, "type"), &[0, 1]);
        }
        None => c.required(&child(&root, "type")),
    }
    for key in ["allow", "deny"] {
        if let Some(bits) = c.field(overwrite, key) {
            c.bit_set(bits, &child(&root, key));
        }
    }
    c.finish()
}

fn check_overwrites(c: &mut Checker, value: &Value, path: &Path) {
    let Some(overwrites) = c.array_max(value, path, 100) else {
        return;
    };
    for (index, overwrite) in overwrites.iter().enumerate() {
        let item_path = child(path, index);
        let Some(overwrite) = c.object(overwrite, &item_path) else {
            continue;
        };
        match c.field(overwrite, "id") {
            Some(id) => {
                c.snowflake(id, &child(&item_path, "id"));
            }
            None => c.required(&child(&item_path, "id")),
        }
        match c.field(overwrite, "type") {
            Some(kind) => {
                c.choice(kind, &child(&item_path, "type"), &[0, 1]);
            }
            None => c.required(&child(&item_path, "type")),
        }
        for key in ["allow", "deny"] {
            if let Some(bits) = c.field(overwrite, key) {
                c.bit_set(bits, &child(&item_path, key));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Application commands
// ---------------------------------------------------------------------------------------------

const CHAT_INPUT: i64 = 1;
const SUBCOMMAND: i64 = 1;
const SUBCOMMAND_GROUP: i64 = 2;
const STRING_OPTION: i64 = 3;

/// Validates a bulk overwrite of application commands (`PUT /applications/{id}/commands` and
/// the guild variant): an array of commands, names unique per command type.
pub fn application_commands(body: &Value) -> Result<(), ApiError> {
    let mut c = Checker::new();
    let root: Path = Vec::new();
    let Some(commands) = c.array_max(body, &root, 110) else {
        return c.finish();
    };
    let mut seen = HashSet::new();
    for (index, command) in commands.iter().enumerate() {
        let path = child(&root, index);
        if let Some((kind, name)) = check_command(&mut c, command, &path)
            && !seen.insert((kind, name))
        {
            c.fail(
                &child(&path, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                format!("Application command names must be unique: {name}"),
            );
        }
    }
    c.finish()
}

/// Validates one application command (create or edit body).
pub fn application_command(body: &Value) -> Result<(), ApiError> {
    let mut c = Checker::new();
    check_command(&mut c, body, &Vec::new());
    c.finish()
}

/// True when `name` matches Discord's `CHAT_INPUT` name rule:
/// `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, lower case where a lower case exists.
pub fn is_valid_chat_input_name(name: &str) -> bool {
    let len = char_len(name);
    (1..=32).contains(&len)
        && name.chars().all(|ch| {
            let allowed = matches!(ch, '-' | '_' | '\'')
                || ch.is_alphanumeric()
                || ('\u{0900}'..='\u{097F}').contains(&ch)
                || ('\u{0E00}'..='\u{0E7F}').contains(&ch);
            allowed && !ch.is_uppercase()
        })
}

/// Checks one command; returns its type and name for the uniqueness check.
fn check_command<'v>(c: &mut Checker, value: &'v Value, path: &Path) -> Option<(i64, &'v str)> {
    let command = c.object(value, path)?;
    let kind = match c.field(command, "type") {
        Some(kind) => c.choice(kind, &child(path, "type"), &[1, 2, 3, 4])?,
        None => CHAT_INPUT,
    };
    let name = if kind == CHAT_INPUT {
        check_command_name(c, command, path)
    } else {
        c.req_string(command, path, "name", 1, 32)
    };
    check_localizations(
        c,
        command,
        path,
        "name_localizations",
        kind == CHAT_INPUT,
        32,
    );
    if kind == CHAT_INPUT {
        c.req_string(command, path, "description", 1, 100);
        check_localizations(c, command, path, "description_localizations", false, 100);
        if let Some(options) = c.field(command, "options") {
            check_options(c, options, &child(path, "options"), 0);
        }
    } else {
        if let Some(description) = c.field(command, "description")
            && description.as_str() != Some("")
        {
            c.fail(
                &child(path, "description"),
                "APPLICATION_COMMAND_DESCRIPTION_NOT_EMPTY",
                "Description must be empty for user and message commands",
            );
        }
        if command.contains_key("options") {
            c.fail(
                &child(path, "options"),
                "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
                "Only chat input commands can have options",
            );
        }
    }
    if let Some(bits) = c.field(command, "default_member_permissions") {
        c.bit_set(bits, &child(path, "default_member_permissions"));
    }
    c.boolean(command, path, "dm_permission");
    c.boolean(command, path, "nsfw");
    Some((kind, name?))
}

fn check_command_name<'v>(
    c: &mut Checker,
    object: &'v Map<String, Value>,
    path: &Path,
) -> Option<&'v str> {
    let name = c.req_string(object, path, "name", 1, 32)?;
    if !is_valid_chat_input_name(name) {
        c.fail(
            &child(path, "name"),
            "APPLICATION_COMMAND_INVALID_NAME",
            format!("Command name is invalid: {name}"),
        );
    }
    Some(name)
}

fn check_localizations(
    c: &mut Checker,
    object: &Map<String, Value>,
    path: &Path,
    key: &str,
    chat_input_name: bool,
    max: usize,
) {
    let Some(map) = c.field(object, key) else {
        return;
    };
    let map_path = child(path, key);
    let Some(map) = c.object(map, &map_path) else {
        return;
    };
    for (locale, text) in map {
        let entry_path = child(&map_path, locale);
        if !is_known_locale(locale) {
            c.fail(
                &entry_path,
                "LOCALE_INVALID",
                format!("Invalid locale: {locale}"),
            );
            continue;
        }
        if text.is_null() {
            continue;
        }
        if let Some(text) = c.string_len(text, &entry_path, 1, max)
            && chat_input_name
            && !is_valid_chat_input_name(text)
        {
            c.fail(
                &entry_path,
                "APPLICATION_COMMAND_INVALID_NAME",
                format!("Command name is invalid: {text}"),
            );
        }
    }
}

/// Discord's documented locales.
fn is_known_locale(locale: &str) -> bool {
    const LOCALES: [&str; 34] = [
        "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
        "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi",
        "th", "zh-CN", "ja", "zh-TW", "ko", "he", "ar",
    ];
    LOCALES.contains(&locale)
}

fn check_options(c: &mut Checker, value: &Value, path: &Path, depth: usize) {
    let Some(options) = c.array_max(value, path, 25) else {
        return;
    };
    let mut names = HashSet::new();
    let mut seen_optional = false;
    for (index, option) in options.iter().enumerate() {
        let option_path = child(path, index);
        let Some(option) = c.object(option, &option_path) else {
            continue;
        };
        let type_path = child(&option_path, "type");
        let kind = match c.field(option, "type") {
            Some(kind) => c.choice(kind, &type_path, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
            None => {
                c.required(&type_path);
                None
            }
        };
        if let Some(name) = check_command_name(c, option, &option_path)
            && !names.insert(name)
        {
            c.fail(
                &child(&option_path, "name"),
                "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            );
        }
        check_localizations(c, option, &option_path, "name_localizations", true, 32);
        c.req_string(option, &option_path, "description", 1, 100);
        check_localizations(
            c,
            option,
            &option_path,
            "description_localizations",
            false,
            100,
        );
        let required = option
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        c.boolean(option, &option_path, "required");
        if required && seen_optional {
            c.fail(
                &option_path,
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            );
        }
        seen_optional |= !required;
        if let Some(choices) = c.field(option, "choices") {
            check_choices(c, choices, &child(&option_path, "choices"));
        }
        if kind == Some(STRING_OPTION) {
            c.opt_integer_range(option, &option_path, "min_length", 0, 6000);
            c.opt_integer_range(option, &option_path, "max_length", 1, 6000);
        }
        let nests = matches!(kind, Some(SUBCOMMAND | SUBCOMMAND_GROUP));
        if let Some(children) = c.field(option, "options") {
            if nests && depth < 2 {
                check_options(c, children, &child(&option_path, "options"), depth + 1);
            } else {
                c.fail(
                    &child(&option_path, "options"),
                    "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED",
                    "Only subcommands and subcommand groups can have options",
                );
            }
        }
    }
}

fn check_choices(c: &mut Checker, value: &Value, path: &Path) {
    let Some(choices) = c.array_max(value, path, 25) else {
        return;
    };
    for (index, choice) in choices.iter().enumerate() {
        let choice_path = child(path, index);
        let Some(choice) = c.object(choice, &choice_path) else {
            continue;
        };
        c.req_string(choice, &choice_path, "name", 1, 100);
        check_localizations(c, choice, &choice_path, "name_localizations", false, 100);
        match c.field(choice, "value") {
            Some(Value::String(_)) => {
                c.opt_string(choice, &choice_path, "value", 1, 100);
            }
            Some(Value::Number(_)) => {}
            Some(other) => {
                let described = describe(other);
                c.fail(
                    &child(&choice_path, "value"),
                    "BASE_TYPE_CHOICES",
                    format!("Value \"{described}\" is not a string or number."),
                );
            }
            None => c.required(&child(&choice_path, "value")),
        }
    }
}
