//! How quickly the bot acknowledges interactions, against the local simulator: `/ticket` (a
//! store read), and opening a ticket (reservation, channel creation, welcome message), each
//! measured from the simulator's dispatch to the bot's callback. The baseline, measured in the
//! same run, is one REST round trip (`GET /users/@me`) from twilight's client to the same
//! simulator: the floor under any acknowledgement that makes Discord calls.
//!
//! Run with `cargo bench -p ticketbooth --bench ack`.

use std::time::{Duration, Instant};

use serde_json::Value;
use ticketbooth::{
    demo, drive,
    sandbox::{Options, Sandbox},
};
use ticketbooth_core::custom_id::CustomId;

const SAMPLES: usize = 40;

fn summary(name: &str, mut samples: Vec<Duration>, baseline: Option<Duration>) -> Duration {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p90 = samples[samples.len() * 9 / 10];
    let max = *samples.last().expect("samples");
    let ratio = baseline
        .map(|b| format!("{:>7.1}×", median.as_secs_f64() / b.as_secs_f64()))
        .unwrap_or_else(|| "   1.0×".to_owned());
    println!(
        "{name:<42} median {:>8.2} ms   p90 {:>8.2} ms   max {:>8.2} ms   {ratio}",
        ms(median),
        ms(p90),
        ms(max)
    );
    median
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let sandbox = Sandbox::start(Options::default()).await?;
    demo::play(&sandbox, false).await?;
    let sim = &sandbox.sim;
    let d = sandbox.demo;

    // Baseline: REST round trips from twilight to the simulator.
    let http = &sandbox.bot.ctx.http;
    let mut rest = Vec::new();
    for _ in 0..SAMPLES {
        let started = Instant::now();
        http.current_user().await?.model().await?;
        rest.push(started.elapsed());
    }

    let admin = sim.as_user(d.admin);
    let mut hub = Vec::new();
    for _ in 0..SAMPLES {
        let interaction = admin.slash_command(d.guild, d.support, "ticket", Value::Null)?;
        hub.push(drive::acked(&interaction).await?.latency);
    }

    let (panel, open) = drive::find(&sim.messages(d.support), |id| {
        matches!(id, CustomId::OpenTicket { .. })
    })
    .ok_or_else(|| anyhow::anyhow!("the walk left no panel"))?;
    let mut opens = Vec::new();
    let mut kinds = Vec::new();
    for i in 0..SAMPLES {
        let user = sim.create_user(&format!("bench{i}"));
        sim.add_member(d.guild, user, &[])?;
        let interaction = sim.as_user(user).click(d.support, panel.id, &open)?;
        let ack = drive::acked(&interaction).await?;
        kinds.push(ack.kind);
        opens.push(ack.latency);
    }
    let deferred = kinds.iter().filter(|k| **k == 5).count();

    println!("acknowledgement latency, {SAMPLES} samples each (Discord allows 3000 ms)");
    let base = summary("baseline: one REST round trip (GET /users/@me)", rest, None);
    summary("/ticket (hub from the store)", hub, Some(base));
    summary(
        "open a ticket (reserve, channel, welcome)",
        opens,
        Some(base),
    );
    println!(
        "opens answered directly: {}, deferred: {deferred}",
        SAMPLES - deferred
    );
    sandbox.stop().await;
    Ok(())
}
