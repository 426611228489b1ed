//! Every documented limit at its boundary: N accepted, N+1 refused with Discord's 50035 body,
//! the right JSON path and the right error code.

use serde_json::{Value, json};
use ticketbooth_sim::validate::{self, ApiError};

fn text(len: usize) -> String {
    "é".repeat(len) // a two-byte character, so byte counts and character counts differ
}

/// The `code`s of the `_errors` list at `path`, failing loudly when the result is not a 50035.
fn codes_at(result: Result<(), ApiError>, path: &[&str]) -> Vec<String> {
    let error = result.expect_err("the body must be refused");
    assert_eq!(error.status().as_u16(), 400);
    assert_eq!(error.code(), 50035, "{:?}", error.body());
    let body = error.body();
    assert_eq!(body["message"], "Invalid Form Body");
    let mut node = &body["errors"];
    for key in path {
        node = &node[*key];
    }
    node["_errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no _errors at {path:?} in {body}"))
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_refused(result: Result<(), ApiError>, path: &[&str], code: &str) {
    let codes = codes_at(result, path);
    assert!(
        codes.iter().any(|c| c == code),
        "expected {code} at {path:?}, got {codes:?}"
    );
}

fn assert_ok(result: Result<(), ApiError>) {
    if let Err(error) = result {
        panic!("refused: {}", error.body());
    }
}

fn button(id: &str) -> Value {
    json!({"type": 2, "style": 1, "label": "Go", "custom_id": id})
}

fn row(components: Vec<Value>) -> Value {
    json!({"type": 1, "components": components})
}

fn select(options: usize) -> Value {
    let options: Vec<Value> = (0..options)
        .map(|i| json!({"label": format!("L{i}"), "value": format!("v{i}")}))
        .collect();
    json!({"type": 3, "custom_id": "pick", "options": options})
}

#[test]
fn error_body_has_discords_shape() {
    let error = validate::message(&json!({"embeds": [{"title": text(257)}]})).unwrap_err();
    assert_eq!(
        error.body(),
        json!({
            "message": "Invalid Form Body",
            "code": 50035,
            "errors": {"embeds": {"0": {"title": {"_errors": [
                {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 256 or fewer in length."}
            ]}}}}
        })
    );
    let plain = ApiError::missing_permissions();
    assert_eq!(plain.status().as_u16(), 403);
    assert_eq!(
        plain.body(),
        json!({"message": "Missing Permissions", "code": 50013})
    );
    assert_eq!(ApiError::unknown_channel().body()["code"], 10003);
    assert_eq!(ApiError::already_acknowledged().code(), 40060);
}

#[test]
fn content_limit() {
    assert_ok(validate::message(&json!({"content": text(2000)})));
    assert_refused(
        validate::message(&json!({"content": text(2001)})),
        &["content"],
        "BASE_TYPE_MAX_LENGTH",
    );
    assert_refused(
        validate::message(&json!({"content": 5})),
        &["content"],
        "STRING_TYPE_CONVERT",
    );
}

#[test]
fn empty_messages_are_refused_but_empty_edits_are_not() {
    for empty in [json!({}), json!({"content": ""}), json!({"embeds": []})] {
        let error = validate::message(&empty).unwrap_err();
        assert_eq!((error.status().as_u16(), error.code()), (400, 50006));
    }
    assert_ok(validate::message(&json!({"embeds": [{"title": "t"}]})));
    assert_ok(validate::message(
        &json!({"attachments": [{"id": 0, "filename": "a.txt"}]}),
    ));
    assert_ok(validate::message_edit(&json!({})));
    assert_refused(
        validate::message_edit(&json!({"content": text(2001)})),
        &["content"],
        "BASE_TYPE_MAX_LENGTH",
    );
}

#[test]
fn embed_count_limit() {
    let embeds = |n: usize| json!({"embeds": vec![json!({"title": "t"}); n]});
    assert_ok(validate::message(&embeds(10)));
    assert_refused(
        validate::message(&embeds(11)),
        &["embeds"],
        "BASE_TYPE_MAX_LENGTH",
    );
}

#[test]
fn embed_field_limits() {
    type Case = (
        &'static str,
        usize,
        fn(String) -> Value,
        &'static [&'static str],
    );
    let cases: &[Case] = &[
        (
            "title",
            256,
            |t| json!({"title": t}),
            &["embeds", "0", "title"],
        ),
        (
            "description",
            4096,
            |t| json!({"description": t}),
            &["embeds", "0", "description"],
        ),
        (
            "footer",
            2048,
            |t| json!({"footer": {"text": t}}),
            &["embeds", "0", "footer", "text"],
        ),
        (
            "author",
            256,
            |t| json!({"author": {"name": t}}),
            &["embeds", "0", "author", "name"],
        ),
        (
            "field name",
            256,
            |t| json!({"fields": [{"name": t, "value": "v"}]}),
            &["embeds", "0", "fields", "0", "name"],
        ),
        (
            "field value",
            1024,
            |t| json!({"fields": [{"name": "n", "value": t}]}),
            &["embeds", "0", "fields", "0", "value"],
        ),
    ];
    for (name, limit, build, path) in cases {
        let body = |len| json!({"embeds": [build(text(len))]});
        assert!(
            validate::message(&body(*limit)).is_ok(),
            "{name} at {limit}"
        );
        let codes = codes_at(validate::message(&body(limit + 1)), path);
        assert!(
            codes
                .iter()
                .any(|c| c == "BASE_TYPE_MAX_LENGTH" || c == "BASE_TYPE_BAD_LENGTH"),
            "{name}: {codes:?}"
        );
    }
}

#[test]
fn embed_fields_count_and_total_size() {
    let fields =
        |n: usize| json!({"embeds": [{"fields": vec![json!({"name": "n", "value": "v"}); n]}]});
    assert_ok(validate::message(&fields(25)));
    assert_refused(
        validate::message(&fields(26)),
        &["embeds", "0", "fields"],
        "BASE_TYPE_MAX_LENGTH",
    );
    // 6000 characters over two embeds is the limit; one more is refused on `embeds`.
    let split = |second: usize| json!({"embeds": [{"description": text(4000)}, {"description": text(second)}]});
    assert_ok(validate::message(&split(2000)));
    assert_refused(
        validate::message(&split(2001)),
        &["embeds"],
        "MAX_EMBED_SIZE_EXCEEDED",
    );
}

#[test]
fn action_row_and_button_limits() {
    let rows = |n: usize| {
        let rows: Vec<Value> = (0..n)
            .map(|i| row(vec![button(&format!("b{i}"))]))
            .collect();
        json!({"components": rows})
    };
    assert_ok(validate::message(&rows(5)));
    assert_refused(
        validate::message(&rows(6)),
        &["components"],
        "BASE_TYPE_MAX_LENGTH",
    );
    let buttons = |n: usize| {
        let buttons: Vec<Value> = (0..n).map(|i| button(&format!("b{i}"))).collect();
        json!({"components": [row(buttons)]})
    };
    assert_ok(validate::message(&buttons(5)));
    assert_refused(
        validate::message(&buttons(6)),
        &["components", "0", "components"],
        "BASE_TYPE_BAD_LENGTH",
    );
    assert_refused(
        validate::message(&json!({"content": "x", "components": [row(vec![])]})),
        &["components", "0", "components"],
        "BASE_TYPE_BAD_LENGTH",
    );
}

#[test]
fn custom_id_length_and_uniqueness() {
    let one = |id: String| json!({"components": [row(vec![button(&id)])]});
    assert_ok(validate::message(&one("x".repeat(100))));
    assert_refused(
        validate::message(&one("x".repeat(101))),
        &["components", "0", "components", "0", "custom_id"],
        "BASE_TYPE_BAD_LENGTH",
    );
    let twice =
        json!({"components": [row(vec![button("a")]), row(vec![button("b"), button("a")])]});
    assert_refused(
        validate::message(&twice),
        &["components", "1", "components", "1", "custom_id"],
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    );
}

#[test]
fn button_rules() {
    let label = |n: usize| json!({"components": [row(vec![json!({"type": 2, "style": 1, "custom_id": "a", "label": text(n)})])]});
    assert_ok(validate::message(&label(80)));
    assert_refused(
        validate::message(&label(81)),
        &["components", "0", "components", "0", "label"],
        "BASE_TYPE_MAX_LENGTH",
    );
    let link_ok =
        json!({"type": 2, "style": 5, "label": "Open", "url": "https://discord.com/channels/1/2"});
    assert_ok(validate::message(
        &json!({"components": [row(vec![link_ok])]}),
    ));
    let link_without_url = json!({"type": 2, "style": 5, "label": "Open"});
    assert_refused(
        validate::message(&json!({"components": [row(vec![link_without_url])]})),
        &["components", "0", "components", "0", "url"],
        "BASE_TYPE_REQUIRED",
    );
    let link_with_id =
        json!({"type": 2, "style": 5, "label": "Open", "url": "https://x.y", "custom_id": "a"});
    assert_refused(
        validate::message(&json!({"components": [row(vec![link_with_id])]})),
        &["components", "0", "components", "0", "custom_id"],
        "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
    );
    let no_id = json!({"type": 2, "style": 2, "label": "Go"});
    assert_refused(
        validate::message(&json!({"components": [row(vec![no_id])]})),
        &["components", "0", "components", "0", "custom_id"],
        "BASE_TYPE_REQUIRED",
    );
    let bad_style = json!({"type": 2, "style": 7, "label": "Go", "custom_id": "a"});
    assert_refused(
        validate::message(&json!({"components": [row(vec![bad_style])]})),
        &["components", "0", "components", "0", "style"],
        "BASE_TYPE_CHOICES",
    );
}

#[test]
fn select_rules() {
    assert_ok(validate::message(
        &json!({"components": [row(vec![select(25)])]}),
    ));
    assert_refused(
        validate::message(&json!({"components": [row(vec![select(26)])]})),
        &["components", "0", "components", "0", "options"],
        "BASE_TYPE_BAD_LENGTH",
    );
    assert_refused(
        validate::message(&json!({"components": [row(vec![select(0)])]})),
        &["components", "0", "components", "0", "options"],
        "BASE_TYPE_BAD_LENGTH",
    );
    assert_refused(
        validate::message(&json!({"components": [row(vec![select(2), button("b")])]})),
        &["components", "0", "components", "0"],
        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
    );
    let with = |key: &str, value: Value| {
        let mut s = select(3);
        s[key] = value;
        json!({"components": [row(vec![s])]})
    };
    assert_ok(validate::message(&with("placeholder", json!(text(150)))));
    assert_refused(
        validate::message(&with("placeholder", json!(text(151)))),
        &["components", "0", "components", "0", "placeholder"],
        "BASE_TYPE_MAX_LENGTH",
    );
    assert_refused(
        validate::message(&with("max_values", json!(26))),
        &["components", "0", "components", "0", "max_values"],
        "NUMBER_TYPE_MAX",
    );
    assert_refused(
        validate::message(&with("min_values", json!(-1))),
        &["components", "0", "components", "0", "min_values"],
        "NUMBER_TYPE_MIN",
    );
    let option = |label: String, description: String| {
        json!({"components": [row(vec![json!({"type": 3, "custom_id": "p", "options": [
            {"label": label, "value": "v", "description": description}
        ]})])]})
    };
    assert_ok(validate::message(&option(text(100), text(100))));
    assert_refused(
        validate::message(&option(text(101), text(1))),
        &[
            "components",
            "0",
            "components",
            "0",
            "options",
            "0",
            "label",
        ],
        "BASE_TYPE_BAD_LENGTH",
    );
    assert_refused(
        validate::message(&option(text(1), text(101))),
        &[
            "components",
            "0",
            "components",
            "0",
            "options",
            "0",
            "description",
        ],
        "BASE_TYPE_MAX_LENGTH",
    );
    let user_select = json!({"type": 5, "custom_id": "who", "max_values": 25});
    assert_ok(validate::message(
        &json!({"components": [row(vec![user_select])]}),
    ));
}

#[test]
fn allowed_mentions_rules() {
    let ids = |n: usize| (0..n).map(|i| (i + 1).to_string()).collect::<Vec<_>>();
    let body = |mentions: Value| json!({"content": "hi", "allowed_mentions": mentions});
    assert_ok(validate::message(&body(
        json!({"parse": [], "users": ids(100)}),
    )));
    assert_refused(
        validate::message(&body(json!({"users": ids(101)}))),
        &["allowed_mentions", "users"],
        "BASE_TYPE_MAX_LENGTH",
    );
    assert_refused(
        validate::message(&body(json!({"parse": ["users"], "users": ["1"]}))),
        &["allowed_mentions"],
        "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
    );
    assert_refused(
        validate::message(&body(json!({"parse": ["here"]}))),
        &["allowed_mentions", "parse", "0"],
        "BASE_TYPE_CHOICES",
    );
}

fn modal(title: String, inputs: Vec<Value>) -> Value {
    let rows: Vec<Value> = inputs.into_iter().map(|i| row(vec![i])).collect();
    json!({"type": 9, "data": {"title": title, "custom_id": "m", "components": rows}})
}

fn input(id: &str) -> Value {
    json!({"type": 4, "custom_id": id, "style": 1, "label": "Reason"})
}

#[test]
fn interaction_response_types() {
    for kind in [1, 5, 6] {
        assert_ok(validate::interaction_response(&json!({"type": kind})));
    }
    assert_ok(validate::interaction_response(
        &json!({"type": 4, "data": {"content": "hi", "flags": 64}}),
    ));
    assert_ok(validate::interaction_response(
        &json!({"type": 7, "data": {}}),
    ));
    assert_refused(
        validate::interaction_response(&json!({"type": 3})),
        &["type"],
        "BASE_TYPE_CHOICES",
    );
    assert_refused(
        validate::interaction_response(&json!({"type": 4})),
        &["data"],
        "BASE_TYPE_REQUIRED",
    );
    assert_refused(
        validate::interaction_response(&json!({"type": 4, "data": {"content": text(2001)}})),
        &["data", "content"],
        "BASE_TYPE_MAX_LENGTH",
    );
    let empty = validate::interaction_response(&json!({"type": 4, "data": {}})).unwrap_err();
    assert_eq!(empty.code(), 50006);
    let choices = |n: usize| {
        let list: Vec<Value> = (0..n).map(|i| json!({"name": "n", "value": i})).collect();
        json!({"type": 8, "data": {"choices": list}})
    };
    assert_ok(validate::interaction_response(&choices(25)));
    assert_refused(
        validate::interaction_response(&choices(26)),
        &["data", "choices"],
        "BASE_TYPE_MAX_LENGTH",
    );
}

#[test]
fn modal_limits() {
    let five: Vec<Value> = (0..5).map(|i| input(&format!("i{i}"))).collect();
    assert_ok(validate::interaction_response(&modal(
        text(45),
        five.clone(),
    )));
    assert_refused(
        validate::interaction_response(&modal(text(46), five.clone())),
        &["data", "title"],
        "BASE_TYPE_BAD_LENGTH",
    );
    let mut six = five;
    six.push(input("i5"));
    assert_refused(
        validate::interaction_response(&modal("t".into(), six)),
        &["data", "components"],
        "BASE_TYPE_BAD_LENGTH",
    );
    assert_refused(
        validate::interaction_response(&modal("t".into(), vec![])),
        &["data", "components"],
        "BASE_TYPE_BAD_LENGTH",
    );
    let with = |key: &str, value: Value| {
        let mut i = input("a");
        i[key] = value;
        modal("t".into(), vec![i])
    };
    let at = |key: &'static str| ["data", "components", "0", "components", "0", key];
    let boundaries: &[(&str, Value, Value, &str)] = &[
        (
            "label",
            json!(text(45)),
            json!(text(46)),
            "BASE_TYPE_BAD_LENGTH",
        ),
        ("style", json!(2), json!(3), "BASE_TYPE_CHOICES"),
        ("min_length", json!(4000), json!(4001), "NUMBER_TYPE_MAX"),
        ("max_length", json!(4000), json!(4001), "NUMBER_TYPE_MAX"),
        ("max_length", json!(1), json!(0), "NUMBER_TYPE_MIN"),
        (
            "value",
            json!(text(4000)),
            json!(text(4001)),
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            "placeholder",
            json!(text(100)),
            json!(text(101)),
            "BASE_TYPE_MAX_LENGTH",
        ),
        (
            "custom_id",
            json!("x".repeat(100)),
            json!("x".repeat(101)),
            "BASE_TYPE_BAD_LENGTH",
        ),
    ];
    for (key, good, bad, code) in boundaries {
        assert_ok(validate::interaction_response(&with(key, good.clone())));
        assert_refused(
            validate::interaction_response(&with(key, bad.clone())),
            &at(key),
            code,
        );
    }
}

#[test]
fn channel_limits() {
    let named = |name: String| json!({"name": name, "type": 0});
    assert_ok(validate::channel_create(&named(text(100))));
    assert_ok(validate::channel_create(&named(text(1))));
    assert_refused(
        validate::channel_create(&named(text(101))),
        &["name"],
        "BASE_TYPE_BAD_LENGTH",
    );
    assert_refused(
        validate::channel_create(&named(String::new())),
        &["name"],
        "BASE_TYPE_BAD_LENGTH",
    );
    assert_refused(
        validate::channel_create(&json!({"type": 0})),
        &["name"],
        "BASE_TYPE_REQUIRED",
    );
    assert_ok(validate::channel_modify(&json!({"topic": text(1024)})));
    assert_refused(
        validate::channel_modify(&json!({"topic": text(1025)})),
        &["topic"],
        "BASE_TYPE_MAX_LENGTH",
    );
    assert_refused(
        validate::channel_create(&json!({"name": "x", "type": 11})),
        &["type"],
        "BASE_TYPE_CHOICES",
    );
    let overwrites = |n: usize| {
        let list: Vec<Value> = (0..n)
            .map(|i| json!({"id": (i + 1).to_string(), "type": 1, "allow": "1024", "deny": "0"}))
            .collect();
        json!({"name": "ticket-0001", "permission_overwrites": list})
    };
    assert_ok(validate::channel_create(&overwrites(100)));
    assert_refused(
        validate::channel_create(&overwrites(101)),
        &["permission_overwrites"],
        "BASE_TYPE_MAX_LENGTH",
    );
    assert_refused(
        validate::channel_create(&json!({"name": "x", "permission_overwrites": [
            {"id": "1", "type": 0, "allow": "view", "deny": "0"}
        ]})),
        &["permission_overwrites", "0", "allow"],
        "NUMBER_TYPE_COERCE",
    );
    assert_refused(
        validate::channel_create(&json!({"name": "x", "permission_overwrites": [
            {"id": "1", "type": 2}
        ]})),
        &["permission_overwrites", "0", "type"],
        "BASE_TYPE_CHOICES",
    );
    assert_ok(validate::overwrite_edit(
        &json!({"type": 1, "allow": "3072"}),
    ));
    assert_refused(
        validate::overwrite_edit(&json!({"allow": "1"})),
        &["type"],
        "BASE_TYPE_REQUIRED",
    );
}

#[test]
fn category_full_and_channel_cap_errors() {
    assert_eq!(ApiError::max_guild_channels().code(), 30013);
    assert_refused(
        Err(ApiError::category_full()),
        &["parent_id"],
        "CHANNEL_PARENT_MAX_CHANNELS",
    );
}

fn command(name: &str) -> Value {
    json!({"name": name, "description": "Open a ticket", "type": 1})
}

#[test]
fn command_names() {
    for good in [
        "ticket",
        "close-all",
        "add_user",
        "l'aide",
        "đóng",
        "x".repeat(32).as_str(),
    ] {
        assert!(validate::is_valid_chat_input_name(good), "{good}");
        assert_ok(validate::application_commands(&json!([command(good)])));
    }
    for bad in ["Ticket", "two words", "", "x".repeat(33).as_str(), "tick@t"] {
        assert!(!validate::is_valid_chat_input_name(bad), "{bad}");
        assert!(
            validate::application_commands(&json!([command(bad)])).is_err(),
            "{bad}"
        );
    }
    assert_refused(
        validate::application_commands(&json!([command("Ticket")])),
        &["0", "name"],
        "APPLICATION_COMMAND_INVALID_NAME",
    );
    assert_refused(
        validate::application_commands(&json!([command("ticket"), command("ticket")])),
        &["1", "name"],
        "APPLICATION_COMMANDS_DUPLICATE_NAME",
    );
    // A user command may have capitals and spaces, and needs an empty description.
    assert_ok(validate::application_commands(
        &json!([{"name": "Open Ticket For", "type": 2}, command("ticket")]),
    ));
    assert_refused(
        validate::application_commands(&json!([{"name": "Open", "type": 2, "description": "x"}])),
        &["0", "description"],
        "APPLICATION_COMMAND_DESCRIPTION_NOT_EMPTY",
    );
}

#[test]
fn command_descriptions_options_and_localizations() {
    let described = |len: usize| json!([{"name": "t", "description": text(len)}]);
    assert_ok(validate::application_commands(&described(100)));
    assert_refused(
        validate::application_commands(&described(101)),
        &["0", "description"],
        "BASE_TYPE_BAD_LENGTH",
    );
    assert_refused(
        validate::application_commands(&described(0)),
        &["0", "description"],
        "BASE_TYPE_BAD_LENGTH",
    );
    let options = |n: usize| {
        let list: Vec<Value> = (0..n)
            .map(|i| json!({"type": 3, "name": format!("o{i}"), "description": "d"}))
            .collect();
        json!([{"name": "t", "description": "d", "options": list}])
    };
    assert_ok(validate::application_commands(&options(25)));
    assert_refused(
        validate::application_commands(&options(26)),
        &["0", "options"],
        "BASE_TYPE_MAX_LENGTH",
    );
    let ordered = json!([{"name": "t", "description": "d", "options": [
        {"type": 3, "name": "a", "description": "d"},
        {"type": 3, "name": "b", "description": "d", "required": true}
    ]}]);
    assert_refused(
        validate::application_commands(&ordered),
        &["0", "options", "1"],
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
    );
    let localized = |name: &str, description: String| {
        json!([{"name": "ticket", "description": "d",
            "name_localizations": {"vi": name},
            "description_localizations": {"vi": description}}])
    };
    assert_ok(validate::application_commands(&localized(
        "phiếu",
        text(100),
    )));
    assert_refused(
        validate::application_commands(&localized("Phiếu", "d".into())),
        &["0", "name_localizations", "vi"],
        "APPLICATION_COMMAND_INVALID_NAME",
    );
    assert_refused(
        validate::application_commands(&localized("phieu", text(101))),
        &["0", "description_localizations", "vi"],
        "BASE_TYPE_BAD_LENGTH",
    );
    assert_refused(
        validate::application_commands(&json!([{"name": "t", "description": "d",
            "name_localizations": {"xx": "t"}}])),
        &["0", "name_localizations", "xx"],
        "LOCALE_INVALID",
    );
    assert_ok(validate::application_commands(
        &json!([{"name": "t", "description": "d", "default_member_permissions": "32"}]),
    ));
    assert_refused(
        validate::application_commands(
            &json!([{"name": "t", "description": "d", "default_member_permissions": "admin"}]),
        ),
        &["0", "default_member_permissions"],
        "NUMBER_TYPE_COERCE",
    );
}

#[test]
fn non_object_bodies_are_refused_without_panicking() {
    for body in [json!(null), json!(5), json!("x"), json!([1])] {
        assert!(validate::message(&body).is_err());
        assert!(validate::interaction_response(&body).is_err());
        assert!(validate::channel_create(&body).is_err());
    }
    assert!(validate::application_commands(&json!({"name": "x"})).is_err());
}

fn label_modal(components: Vec<Value>) -> Value {
    json!({"type": 9, "data": {"title": "Open a ticket", "custom_id": "m", "components": components}})
}

#[test]
fn modals_with_labels_and_text_displays() {
    let topic = json!({"type": 18, "label": text(45), "description": text(100),
        "component": {"type": 3, "custom_id": "topic", "options": [{"label": "General", "value": "g"}]}});
    let reason = json!({"type": 18, "label": "Reason",
        "component": {"type": 4, "custom_id": "reason", "style": 2, "max_length": 4000}});
    let note = json!({"type": 10, "content": text(4000)});
    assert_ok(validate::interaction_response(&label_modal(vec![
        topic.clone(),
        reason.clone(),
        note,
    ])));
    let mut long_label = reason.clone();
    long_label["label"] = json!(text(46));
    assert_refused(
        validate::interaction_response(&label_modal(vec![long_label])),
        &["data", "components", "0", "label"],
        "BASE_TYPE_BAD_LENGTH",
    );
    let mut button_inside = reason.clone();
    button_inside["component"] = button("b");
    assert_refused(
        validate::interaction_response(&label_modal(vec![button_inside])),
        &["data", "components", "0", "component", "type"],
        "BASE_TYPE_CHOICES",
    );
    let mut twice = reason.clone();
    twice["label"] = json!("Again");
    assert_refused(
        validate::interaction_response(&label_modal(vec![reason, twice])),
        &["data", "components", "1", "component", "custom_id"],
        "COMPONENT_CUSTOM_ID_DUPLICATED",
    );
    assert_refused(
        validate::interaction_response(&label_modal(vec![button("b")])),
        &["data", "components", "0", "type"],
        "BASE_TYPE_CHOICES",
    );
    assert_refused(
        validate::interaction_response(&label_modal(vec![
            json!({"type": 10, "content": text(4001)}),
        ])),
        &["data", "components", "0", "content"],
        "BASE_TYPE_BAD_LENGTH",
    );
    let mut empty_select = topic;
    empty_select["component"]["options"] = json!([]);
    assert_refused(
        validate::interaction_response(&label_modal(vec![empty_select])),
        &["data", "components", "0", "component", "options"],
        "BASE_TYPE_BAD_LENGTH",
    );
}
