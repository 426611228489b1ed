//! `ticketbooth sim` and `ticketbooth sandbox`: the simulator alone, or with a demo server and
//! the bot; `--demo` plays a ticket's whole life through and prints what each user sees.

use std::time::Duration;

use anyhow::{Context as _, anyhow};
use serde_json::Value;
use ticketbooth_core::custom_id::{CustomId, HubId, InputId};
use ticketbooth_sim::{Message, Sim, SimConfig};

use crate::{
    drive::{self, acked, eventually, find, text_of},
    sandbox::{Options, Sandbox},
};

/// `ticketbooth sim`: the simulator alone until Ctrl-C.
pub async fn sim_only(port: u16, with_demo_guild: bool) -> anyhow::Result<()> {
    let sim = Sim::start(SimConfig {
        port,
        privileged_intents: 1 << 15,
        ..SimConfig::default()
    })
    .await
    .context("cannot start the simulator")?;
    println!("Discord simulator listening on {}", sim.http_url());
    println!("  REST:     {}/api/v10", sim.http_url());
    println!("  gateway:  {}", sim.gateway_url());
    println!("  token:    {}", sim.bot_token());
    println!("  app id:   {}", sim.application_id());
    if with_demo_guild {
        let demo = sim.demo_guild()?;
        print_demo(&demo);
    }
    println!(
        "\nPoint the bot at it:\n  DISCORD_TOKEN={} DISCORD_API_URL={} ticketbooth run",
        sim.bot_token(),
        sim.http_url()
    );
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    Ok(())
}

fn print_demo(demo: &ticketbooth_sim::DemoGuild) {
    println!("Demo server {}:", demo.guild);
    println!(
        "  owner {}, admin {}, staff {} (role {})",
        demo.owner, demo.admin, demo.staff, demo.staff_role
    );
    println!(
        "  members {}, {}, {}; #support {}",
        demo.members[0], demo.members[1], demo.members[2], demo.support
    );
}

/// `ticketbooth sandbox [--demo]`.
pub async fn sandbox(port: u16, demo: bool) -> anyhow::Result<()> {
    // The walk-through is read as a story: log lines would interleave with it, so it runs quiet
    // unless RUST_LOG asks for them (Sandbox::start installs the logger then).
    if !demo {
        ticketbooth_bot::logging::init(ticketbooth_bot::config::LogFormat::Pretty);
    }
    let sandbox = Sandbox::start(Options {
        port,
        ..Options::default()
    })
    .await?;
    println!(
        "Ticketbooth sandbox: the bot is connected to a local Discord at {}",
        sandbox.sim.http_url()
    );
    print_demo(&sandbox.demo);
    println!("  database: {}", sandbox.database_url);
    println!("  bot health: http://{}/healthz", sandbox.bot.web_addr);
    if demo {
        let result = play(&sandbox, true).await;
        sandbox.stop().await;
        return result.map(drop);
    }
    print_control_api(&sandbox.sim.http_url(), &sandbox.demo);
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    sandbox.stop().await;
    Ok(())
}

/// Tells the walk: keeps every line (what [`play`] returns) and prints it when asked, with
/// mentions shown as the names a Discord client would show.
struct Narrator {
    print: bool,
    seen: std::collections::HashSet<(u64, Option<String>)>,
    names: Names,
    told: String,
}

impl Narrator {
    fn say(&mut self, line: &str) {
        let line = self.names.resolve(line);
        if self.print {
            println!("{line}");
        }
        self.told.push_str(&line);
        self.told.push('\n');
    }

    /// Prints messages a user has not been shown yet.
    fn show(&mut self, who: &str, messages: &[Message]) {
        for message in messages {
            let key = (message.id, message.edited_timestamp.clone());
            if !self.seen.insert(key) {
                continue;
            }
            let private = if message.ephemeral_to.is_some() {
                " (only they see it)"
            } else {
                ""
            };
            self.say(&format!("  {who} sees{private}:"));
            for line in text_of(message).lines() {
                self.say(&format!("    │ {line}"));
            }
            let buttons: Vec<String> = labels(&message.components);
            if !buttons.is_empty() {
                self.say(&format!("    │ [{}]", buttons.join("] [")));
            }
        }
    }
}

fn labels(components: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Value::Array(items) = components {
        for item in items {
            if let Some(label) = item.get("label").and_then(Value::as_str) {
                out.push(label.to_owned());
            } else if let Some(placeholder) = item.get("placeholder").and_then(Value::as_str) {
                out.push(format!("select: {placeholder}"));
            }
            if let Some(children) = item.get("components") {
                out.extend(labels(children));
            }
        }
    }
    out
}

fn step(narrator: &mut Narrator, text: &str) {
    narrator.say(&format!("\n▶ {text}"));
}

/// Who the demo's ids are, as a Discord client shows mentions: `@name`, `@Role`, `#channel`.
struct Names {
    users: std::collections::HashMap<u64, String>,
    roles: std::collections::HashMap<u64, String>,
    sim: Sim,
}

impl Names {
    fn of_demo(sim: &Sim, demo: &ticketbooth_sim::DemoGuild) -> Names {
        let mut users = std::collections::HashMap::from([
            (demo.owner, "owner".to_owned()),
            (demo.admin, "admin".to_owned()),
            (demo.staff, "staff".to_owned()),
            (sim.bot_user_id(), "Ticketbooth".to_owned()),
        ]);
        for (i, member) in demo.members.iter().enumerate() {
            users.insert(*member, format!("member{}", i + 1));
        }
        let roles = std::collections::HashMap::from([
            (demo.admin_role, "Admin".to_owned()),
            (demo.staff_role, "Staff".to_owned()),
        ]);
        Names {
            users,
            roles,
            sim: sim.clone(),
        }
    }

    /// `text` with each `<@id>`, `<@!id>`, `<@&id>` and `<#id>` replaced by a name; an id it
    /// does not know stays as it is.
    fn resolve(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            match self.mention(tail) {
                Some((name, len)) => {
                    out.push_str(&name);
                    rest = &tail[len..];
                }
                None => {
                    out.push('<');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The name for the mention `tail` starts with, and the mention's length.
    fn mention(&self, tail: &str) -> Option<(String, usize)> {
        let (prefix, kind) = [("<@&", 'r'), ("<@!", 'u'), ("<@", 'u'), ("<#", 'c')]
            .into_iter()
            .find(|(p, _)| tail.starts_with(p))?;
        let digits = tail[prefix.len()..]
            .bytes()
            .take_while(u8::is_ascii_digit)
            .count();
        let end = prefix.len() + digits;
        if digits == 0 || tail.as_bytes().get(end) != Some(&b'>') {
            return None;
        }
        let id: u64 = tail[prefix.len()..end].parse().ok()?;
        let name = match kind {
            'u' => format!("@{}", self.users.get(&id)?),
            'r' => format!("@{}", self.roles.get(&id)?),
            _ => format!("#{}", self.sim.channel(id)?.name?),
        };
        Some((name, end + 1))
    }
}

/// The scripted walk: set up a panel, open a ticket, ask for help, claim, resolve, close;
/// prints what each user sees when `print` is set. Fails if any step does not happen.
pub async fn play(sandbox: &Sandbox, print: bool) -> anyhow::Result<String> {
    let sim = &sandbox.sim;
    let demo = sandbox.demo;
    let mut narrator = Narrator {
        print,
        seen: Default::default(),
        names: Names::of_demo(sim, &demo),
        told: String::new(),
    };
    let admin = sim.as_user(demo.admin);
    let member = sim.as_user(demo.members[0]);
    let staff = sim.as_user(demo.staff);
    let hub_of = |message_id: u64| -> Option<Message> {
        sim.ephemeral_for(demo.admin)
            .into_iter()
            .find(|m| m.id == message_id)
    };

    step(&mut narrator, "The admin runs /ticket");
    let opened = admin.slash_command(demo.guild, demo.support, "ticket", Value::Null)?;
    acked(&opened).await?;
    let hub = drive::response_message(&opened).await?;
    narrator.show("admin", std::slice::from_ref(&hub));

    step(
        &mut narrator,
        "The admin opens Setup → Staff roles and picks the Staff role",
    );
    drive::click(&admin, demo.support, hub.id, CustomId::Hub(HubId::Setup)).await?;
    drive::click(
        &admin,
        demo.support,
        hub.id,
        CustomId::Hub(HubId::StaffRoles),
    )
    .await?;
    let staff_role = demo.staff_role.to_string();
    let picked = admin.select(
        demo.support,
        hub.id,
        &CustomId::Hub(HubId::StaffRolesSelect).encode(),
        &[staff_role.as_str()],
    )?;
    acked(&picked).await?;
    narrator.show("admin", &hub_of(hub.id).into_iter().collect::<Vec<_>>());

    step(
        &mut narrator,
        "The admin opens Setup → Message, picks #support and writes the panel",
    );
    drive::click(&admin, demo.support, hub.id, CustomId::Hub(HubId::Panel)).await?;
    let support = demo.support.to_string();
    let chosen = admin.select(
        demo.support,
        hub.id,
        &CustomId::Hub(HubId::PanelChannelSelect).encode(),
        &[support.as_str()],
    )?;
    let ack = acked(&chosen).await?;
    anyhow::ensure!(
        ack.kind == 9,
        "a modal was expected, got response type {}",
        ack.kind
    );
    let submitted = admin.submit_modal(
        &chosen,
        &[
            (InputId::Title.as_str(), "Need a hand?"),
            (
                InputId::Description.as_str(),
                "Press the button to open a private ticket with our staff.",
            ),
            (InputId::Footer.as_str(), "Ticketbooth demo"),
        ],
    )?;
    acked(&submitted).await?;
    narrator.show("admin", &hub_of(hub.id).into_iter().collect::<Vec<_>>());
    let (panel, open_raw) = eventually("the panel", Duration::from_secs(5), || {
        find(&sim.messages(demo.support), |id| {
            matches!(id, CustomId::OpenTicket { .. })
        })
    })
    .await?;
    narrator.show("everyone in #support", std::slice::from_ref(&panel));

    step(&mut narrator, "A member presses the panel's button");
    let click = member.click(demo.support, panel.id, &open_raw)?;
    acked(&click).await?;
    let confirmation = drive::response_message(&click).await?;
    narrator.show("the member", std::slice::from_ref(&confirmation));
    let channel = eventually("the ticket channel", Duration::from_secs(5), || {
        sim.channels(demo.guild)
            .into_iter()
            .find(|c| c.name.as_deref().is_some_and(|n| n.starts_with("ticket-")))
    })
    .await?;
    narrator.say(&format!(
        "  a channel #{} was created; the member, the staff and the bot can see it",
        channel.name.as_deref().unwrap_or("?")
    ));
    let welcome = eventually("the welcome message", Duration::from_secs(5), || {
        find(&sim.messages(channel.id), |id| {
            matches!(id, CustomId::NeedHelp { .. })
        })
    })
    .await?;
    narrator.show("the member", std::slice::from_ref(&welcome.0));
    for dm in sim.dms(demo.members[0]) {
        narrator.show("the member, by DM", std::slice::from_ref(&dm));
    }

    step(
        &mut narrator,
        "The member explains, then presses 🆘 Need Help",
    );
    member.send_message(channel.id, "My activation key says it is already used.")?;
    let help = member.click(channel.id, welcome.0.id, &welcome.1)?;
    acked(&help).await?;
    let help_message = drive::response_message(&help).await?;
    narrator.show("the channel", std::slice::from_ref(&help_message));
    anyhow::ensure!(
        help_message.pinged_roles == vec![demo.staff_role],
        "Need Help must ping exactly the staff role, pinged {:?}",
        help_message.pinged_roles
    );

    step(
        &mut narrator,
        "The staff member claims the ticket and answers",
    );
    let (with_claim, claim_raw) = find(&sim.messages(channel.id), |id| {
        matches!(id, CustomId::Claim { .. })
    })
    .ok_or_else(|| anyhow!("no Claim button"))?;
    let claim = staff.click(channel.id, with_claim.id, &claim_raw)?;
    acked(&claim).await?;
    narrator.show("the channel", &[drive::response_message(&claim).await?]);
    staff.send_message(channel.id, "I have reset your key, please try again.")?;

    step(&mut narrator, "The member presses ✅ It Works!");
    let (_, works_raw) = find(&sim.messages(channel.id), |id| {
        matches!(id, CustomId::ItWorks { .. })
    })
    .ok_or_else(|| anyhow!("no It Works! button"))?;
    let works = member.click(channel.id, welcome.0.id, &works_raw)?;
    acked(&works).await?;
    narrator.show("the channel", &[drive::response_message(&works).await?]);

    step(
        &mut narrator,
        "Five seconds later the bot saves the transcript and deletes the channel",
    );
    eventually("the channel's deletion", Duration::from_secs(15), || {
        sim.channel(channel.id).is_none().then_some(())
    })
    .await?;
    let store = &sandbox.bot.ctx.store;
    let mut ticket = None;
    for _ in 0..200 {
        ticket = store.ticket_by_channel(channel.id).await?;
        if ticket.as_ref().is_some_and(|t| t.deleted_at.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let ticket = ticket.ok_or_else(|| anyhow!("the ticket is missing from the archive"))?;
    let transcript = store.transcript(ticket.id).await?;
    let messages = transcript.map(|t| t.message_count).unwrap_or(0);
    anyhow::ensure!(
        ticket.status == ticketbooth_core::TicketStatus::Deleted && messages > 0,
        "the ticket must be archived as deleted with its transcript (status {:?}, {messages} messages)",
        ticket.status
    );
    let claimed_by = ticket
        .claimed_by
        .map_or_else(|| "nobody".to_owned(), |id| format!("<@{id}>"));
    narrator.say(&format!(
        "  archived: {} — status {:?}, closed how {:?}, claimed by {claimed_by}, transcript of {messages} messages",
        ticket.name, ticket.status, ticket.close_how,
    ));
    narrator.say("\nDemo finished.");
    Ok(narrator.told)
}

/// How to drive the sandbox by hand through the simulator's control API.
fn print_control_api(base: &str, demo: &ticketbooth_sim::DemoGuild) {
    let admin = demo.admin;
    let member = demo.members[0];
    let guild = demo.guild;
    let support = demo.support;
    println!("\nDrive it through the simulator's control API ({base}/_sim/), for example:");
    println!("  # the admin runs /ticket; the answer names an interaction");
    println!(
        "  curl -s -X POST {base}/_sim/users/{admin}/commands -d '{{\"guild_id\":\"{guild}\",\"channel_id\":\"{support}\",\"name\":\"ticket\"}}'"
    );
    println!("  # what the bot answered (response type, latency, the message and its buttons)");
    println!("  curl -s {base}/_sim/interactions/INTERACTION_ID");
    println!("  # press a button: custom ids are in the components of the messages");
    println!(
        "  curl -s -X POST {base}/_sim/users/{admin}/clicks -d '{{\"channel_id\":\"{support}\",\"message_id\":\"MESSAGE_ID\",\"custom_id\":\"tb1:hub:setup\"}}'"
    );
    println!("  # choose in a select, submit a modal, write a message");
    println!(
        "  curl -s -X POST {base}/_sim/users/{admin}/selects -d '{{\"channel_id\":\"..\",\"message_id\":\"..\",\"custom_id\":\"..\",\"values\":[\"..\"]}}'"
    );
    println!(
        "  curl -s -X POST {base}/_sim/users/{admin}/modals -d '{{\"interaction_id\":\"..\",\"fields\":{{\"title\":\"Support\"}}}}'"
    );
    println!(
        "  curl -s -X POST {base}/_sim/users/{member}/messages -d '{{\"channel_id\":\"..\",\"content\":\"hello\"}}'"
    );
    println!(
        "  # what a user sees in a channel, their ephemeral messages and DMs; the world; the REST log"
    );
    println!("  curl -s {base}/_sim/users/{member}/channels/{support}/messages");
    println!("  curl -s {base}/_sim/users/{member}/ephemeral");
    println!("  curl -s {base}/_sim/users/{member}/dms");
    println!("  curl -s {base}/_sim/state");
    println!("  curl -s {base}/_sim/requests");
}
