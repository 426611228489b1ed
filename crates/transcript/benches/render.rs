//! Benchmark: a realistic 10,000-message ticket compressed, decompressed and rendered, each figure
//! a median over several runs and compared with serialising the same messages to JSON in the same
//! run (so the ratios hold across machines). Run with `cargo bench -p ticketbooth-transcript`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{TimeZone as _, Utc};
use serde_json::json;
use ticketbooth_transcript::{
    CapturedAttachment, CapturedMessage, Directory, TicketInfo, compress, decompress, render_html,
    render_text,
};

const MESSAGES: usize = 10_000;
const RUNS: usize = 7;

/// A small deterministic generator, so every run benchmarks the same ticket.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const LINES: &[&str] = &[
    "Hi, my license key does not work after the update.",
    "Could you send the **exact** error message?",
    "It says `E1042: activation failed` and then *nothing* happens.",
    "Try this:\n```sh\nticket-tool --reset --verbose\n```\nthen restart.",
    "> It says activation failed\nThat usually means the key was used on another device.",
    "See [the activation guide](https://example.com/docs/activation) and https://status.example.com",
    "Thanks <@100>, escalating to <@&300> in <#400>.",
    "__Important__: never share your key ||ABCD-EFGH-IJKL|| publicly ~~again~~.",
    "# Steps\n- open settings\n- click *Activate*\n- paste the key",
    "Fixed at <t:1795343400:t>, please confirm 👍",
    "ok",
    "Still broken 😢 I tried everything in the guide, reinstalled twice, rebooted, and cleared the cache.",
];

fn messages() -> Vec<CapturedMessage> {
    let mut rng = Lcg(42);
    let start = Utc.with_ymd_and_hms(2026, 11, 22, 10, 30, 0).unwrap();
    (0..MESSAGES as u64)
        .map(|i| {
            let author_id = [100, 200, 201, 999][(rng.next() % 4) as usize];
            let mut content = rng.pick(LINES).to_owned();
            if rng.next() % 3 == 0 {
                content.push('\n');
                content.push_str(rng.pick(LINES));
            }
            let embeds = if author_id == 999 || rng.next() % 20 == 0 {
                vec![json!({
                    "title": "Ticket update",
                    "description": "Status changed to **need help** by <@100>",
                    "color": 0x2ecc71,
                    "fields": [
                        {"name": "Owner", "value": "<@100>", "inline": true},
                        {"name": "Topic", "value": "Activation", "inline": true}
                    ],
                    "footer": {"text": "Ticketbooth"},
                    "timestamp": "2026-11-22T11:00:00+00:00"
                })]
            } else {
                Vec::new()
            };
            let attachments = if rng.next() % 15 == 0 {
                vec![CapturedAttachment {
                    filename: format!("screenshot-{i}.png"),
                    url: format!("https://cdn.discordapp.com/attachments/1/{i}/screenshot.png"),
                    size: 100_000 + rng.next() % 900_000,
                    content_type: Some("image/png".into()),
                }]
            } else {
                Vec::new()
            };
            CapturedMessage {
                id: 1_000_000 + i,
                author_id,
                author_name: format!("user{author_id}"),
                author_display: (author_id != 999).then(|| format!("User {author_id}")),
                author_avatar: (author_id % 2 == 0)
                    .then(|| "0123456789abcdef0123456789abcdef".into()),
                author_bot: author_id == 999,
                content,
                timestamp: start + chrono::Duration::seconds(i as i64 * 30),
                edited_timestamp: (rng.next() % 10 == 0)
                    .then(|| start + chrono::Duration::seconds(i as i64 * 30 + 5)),
                embeds,
                attachments,
                reply_to: (i > 0 && rng.next() % 8 == 0).then(|| 1_000_000 + rng.next() % i),
                mentions: vec![(100, "user100".into())],
                mention_roles: vec![300],
                original_content: None,
                deleted_at: None,
                components: Vec::new(),
            }
        })
        .collect()
}

fn ticket() -> TicketInfo {
    TicketInfo {
        name: "ticket-0001".into(),
        number: 1,
        guild_name: "Rust Helpers".into(),
        owner_id: 100,
        topic: Some("Activation".into()),
        opened_at: Utc.with_ymd_and_hms(2026, 11, 22, 10, 30, 0).unwrap(),
        claimed_by: Some(200),
        closed_at: Some(Utc.with_ymd_and_hms(2026, 11, 25, 18, 0, 0).unwrap()),
        closed_by: Some(200),
        close_how: Some("closed by staff".into()),
        close_reason: None,
        ..TicketInfo::default()
    }
}

/// Times each piece of work `RUNS` times, round-robin so that a busy machine slows them all
/// alike, after one warm-up round; returns each one's median.
fn medians(work: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    for job in work.iter_mut() {
        job();
    }
    let mut times = vec![Vec::with_capacity(RUNS); work.len()];
    for _ in 0..RUNS {
        for (job, samples) in work.iter_mut().zip(&mut times) {
            let started = Instant::now();
            job();
            samples.push(started.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut samples| {
            samples.sort();
            samples[RUNS / 2]
        })
        .collect()
}

fn main() {
    let messages = messages();
    let ticket = ticket();
    let directory = Directory::new()
        .with_user(100, "Ana")
        .with_user(200, "Staff Sam")
        .with_role(300, "Support", 0x3498db)
        .with_channel(400, "general");

    let json = serde_json::to_vec(&messages).expect("json");
    let compressed = compress(&messages);
    let html = render_html(&ticket, &messages, &directory);
    let text = render_text(&ticket, &messages, &directory);
    assert_eq!(decompress(&compressed).expect("decompress"), messages);

    let names = [
        "serde_json::to_vec (baseline)",
        "compress",
        "decompress",
        "render_html",
        "render_text",
    ];
    let times = medians(&mut [
        &mut || drop(black_box(serde_json::to_vec(black_box(&messages)))),
        &mut || drop(black_box(compress(black_box(&messages)))),
        &mut || drop(black_box(decompress(black_box(&compressed)))),
        &mut || {
            drop(black_box(render_html(
                &ticket,
                black_box(&messages),
                &directory,
            )))
        },
        &mut || {
            drop(black_box(render_text(
                &ticket,
                black_box(&messages),
                &directory,
            )))
        },
    ]);
    let baseline = times[0];
    let figures = names.into_iter().zip(times);

    println!("transcript benchmark: {MESSAGES} messages, median of {RUNS} runs");
    println!("{:<32} {:>12} {:>14}", "operation", "median", "× baseline");
    for (name, time) in figures {
        println!(
            "{name:<32} {:>9.2} ms {:>13.2}×",
            time.as_secs_f64() * 1e3,
            time.as_secs_f64() / baseline.as_secs_f64()
        );
    }
    let mib = |bytes: usize| bytes as f64 / (1024.0 * 1024.0);
    println!(
        "sizes: JSON {:.2} MiB, compressed {:.2} MiB ({:.1}% of JSON), HTML {:.2} MiB, text {:.2} MiB",
        mib(json.len()),
        mib(compressed.len()),
        100.0 * compressed.len() as f64 / json.len() as f64,
        mib(html.len()),
        mib(text.len())
    );
}
