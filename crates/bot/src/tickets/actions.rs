//! What happens in an open ticket: It Works!, Need Help, claim, add and remove members, close,
//! reopen and delete. Each action is authorized and decided in core, written to the store with
//! compare-and-set, and only then performed on Discord, so a double click has one effect; adding
//! and removing members change Discord first, so a refusal there leaves the store unchanged.

use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use tokio::time::Instant;
use twilight_model::{http::interaction::InteractionResponseData, id::Id};

use ticketbooth_core::{
    ClosingMode, GuildSettings, Snowflake, Ticket, TicketStatus,
    authz::{self, Action, ActorRole, Refusal},
    i18n::Msg,
    lifecycle::{self, AfterClose, CloseKind},
    recovery::{self, Recovery, Step},
};
use ticketbooth_store::{JobKind, NewJob, UpdateOutcome};

use super::open::{member_overwrite, ticket_overwrites};
use crate::{
    ctx::Ctx,
    discord::{Failure, failures_in},
    invocation::Invocation,
    responder::Reply,
    retry::{CallError, WHILE_WAITING, retrying},
    views,
};
use ticketbooth_core::views as core_views;

/// How an action names its ticket: buttons carry the id, commands act on the channel they are
/// used in.
#[derive(Debug, Clone, Copy)]
pub enum TicketRef {
    Id(i64),
    ThisChannel,
}

/// A ticket loaded for an action, with the server's settings and the actor's role.
struct Loaded {
    ticket: Ticket,
    settings: GuildSettings,
    role: ActorRole,
}

/// Loads the ticket; `Err(reply)` when there is none here.
async fn load(
    ctx: &Ctx,
    inv: &Invocation,
    which: TicketRef,
) -> anyhow::Result<Result<Loaded, Reply>> {
    let ticket = match which {
        TicketRef::Id(id) => ctx.store.ticket(id).await?,
        TicketRef::ThisChannel => ctx.store.ticket_by_channel(inv.channel_id).await?,
    };
    let Some(ticket) = ticket.filter(|t| t.guild_id == inv.guild_id) else {
        return Ok(Err(Reply::Message(views::ephemeral(
            inv.lang,
            &Msg::Refused(Refusal::NotATicket),
        ))));
    };
    let settings = ctx.store.guild_settings(inv.guild_id).await?;
    let role = authz::role_of(&inv.actor(), Some(&ticket), &settings);
    Ok(Ok(Loaded {
        ticket,
        settings,
        role,
    }))
}

fn refused(inv: &Invocation, refusal: Refusal) -> Reply {
    Reply::Message(views::ephemeral(inv.lang, &Msg::Refused(refusal)))
}

/// Authorizes, decides and stores a transition, retrying on a concurrent change so the
/// decision is always made on the current ticket. `Err(refusal)` when not allowed (now).
async fn apply(
    ctx: &Ctx,
    loaded: &Loaded,
    action: Action,
    decide: impl Fn(&Ticket) -> Result<Ticket, Refusal>,
) -> anyhow::Result<Result<Ticket, Refusal>> {
    let mut current = loaded.ticket.clone();
    for _ in 0..5 {
        if let Err(refusal) =
            authz::authorize(action, loaded.role, Some(current.status), &loaded.settings)
        {
            return Ok(Err(refusal));
        }
        let next = match decide(&current) {
            Ok(next) => next,
            Err(refusal) => return Ok(Err(refusal)),
        };
        match ctx.store.update_ticket(&next).await? {
            UpdateOutcome::Updated(stored) => return Ok(Ok(stored)),
            UpdateOutcome::Stale(latest) => current = latest,
        }
    }
    anyhow::bail!("ticket {} kept changing under us", loaded.ticket.id)
}

/// Loads the ticket and applies one transition to it; `Err(reply)` tells the user why not.
async fn transition(
    ctx: &Ctx,
    inv: &Invocation,
    which: TicketRef,
    action: Action,
    decide: impl Fn(&Ticket) -> Result<Ticket, Refusal>,
) -> anyhow::Result<Result<(Loaded, Ticket), Reply>> {
    let loaded = match load(ctx, inv, which).await? {
        Ok(loaded) => loaded,
        Err(reply) => return Ok(Err(reply)),
    };
    Ok(match apply(ctx, &loaded, action, decide).await? {
        Ok(ticket) => Ok((loaded, ticket)),
        Err(refusal) => Err(refused(inv, refusal)),
    })
}

/// ✅ It Works! (the owner): closed as resolved.
pub async fn it_works(ctx: &Ctx, inv: &Invocation, which: TicketRef) -> anyhow::Result<Reply> {
    close(ctx, inv, which, CloseKind::ItWorks, None).await
}

/// 🔒 Close, `/close [reason]` and the hub's Close.
pub async fn close(
    ctx: &Ctx,
    inv: &Invocation,
    which: TicketRef,
    kind: CloseKind,
    reason: Option<String>,
) -> anyhow::Result<Reply> {
    let loaded = match load(ctx, inv, which).await? {
        Ok(loaded) => loaded,
        Err(reply) => return Ok(reply),
    };
    let action = match kind {
        CloseKind::ItWorks => Action::ItWorks,
        CloseKind::Close => Action::Close,
        CloseKind::CloseAll => Action::CloseAll,
    };
    let now = Utc::now();
    let closed = apply(ctx, &loaded, action, |t| {
        lifecycle::close(t, loaded.role, inv.user_id, kind, reason.as_deref(), now)
    })
    .await?;
    let ticket = match closed {
        Ok(ticket) => ticket,
        Err(refusal) => return Ok(refused(inv, refusal)),
    };
    tracing::info!(ticket = ticket.id, how = ?ticket.close_how, "ticket closed");
    let view = after_close(ctx, &loaded.settings, &ticket).await?;
    Ok(Reply::Message(view))
}

/// What became of a change to a ticket channel's overwrites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Discord has it.
    Done,
    /// Discord kept failing; a `SyncTicketAccess` job finishes it.
    Later,
}

/// Runs a change of a ticket channel's overwrites; when Discord keeps failing it, the store
/// already holds the decision, so the change is finished by a job (`recovery::after_failed`)
/// rather than undone. Other failures are returned.
async fn set_access(
    ctx: &Ctx,
    ticket_id: i64,
    channel_id: Snowflake,
    change: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<Access> {
    match change.await {
        Ok(()) => Ok(Access::Done),
        Err(error)
            if crate::discord::unavailable_in(&error)
                && recovery::after_failed(Step::SetAccess) == Recovery::FinishLater =>
        {
            tracing::warn!(
                ticket = ticket_id,
                error = format!("{error:#}"),
                "Discord kept failing the channel's permissions; a job will set them"
            );
            ctx.store
                .schedule_job(NewJob {
                    kind: JobKind::SyncTicketAccess {
                        ticket_id,
                        channel_id,
                    },
                    due_at: Utc::now() + chrono::Duration::seconds(2),
                })
                .await
                .context("scheduling the channel's permissions")?;
            Ok(Access::Later)
        }
        Err(error) => Err(error),
    }
}

/// Adds the note that the channel's permissions follow later to an answer.
fn with_access_note(
    mut data: InteractionResponseData,
    lang: ticketbooth_core::Language,
    access: Access,
) -> InteractionResponseData {
    if access == Access::Later {
        let note = ticketbooth_core::i18n::text(lang, &Msg::AccessFollowsLater);
        let content = match data.content.take() {
            Some(content) if !content.is_empty() => format!("{content}\n{note}"),
            _ => note,
        };
        data.content = Some(ticketbooth_core::text::truncate_chars(
            &content,
            ticketbooth_core::i18n::Slot::Content.max_chars(),
        ));
    }
    data
}

/// The `SyncTicketAccess` job: sets a ticket channel's overwrites from the ticket as stored now
/// (its members let in while open, locked once closed in keep mode), so that however many
/// changes Discord failed, and in whatever order their jobs run, the channel ends as the ticket
/// says. Every call is idempotent; a channel gone ends the job.
pub async fn sync_access(ctx: &Ctx, ticket_id: i64, channel_id: Snowflake) -> anyhow::Result<()> {
    let Some(ticket) = ctx.store.ticket(ticket_id).await? else {
        return Ok(());
    };
    if ticket.channel_id != Some(channel_id) {
        return Ok(());
    }
    let settings = ctx.store.guild_settings(ticket.guild_id).await?;
    let deadline = Instant::now() + SYNC_TRY;
    let synced = match ticket.status {
        TicketStatus::Open | TicketStatus::NeedHelp => {
            open_access(ctx, &settings, &ticket, channel_id, deadline).await
        }
        TicketStatus::Closed if settings.closing == ClosingMode::Keep => {
            lock_channel(ctx, channel_id, deadline).await
        }
        // A closed ticket in delete mode loses its channel anyway.
        _ => Ok(()),
    };
    match synced {
        Err(error) if failures_in(&error).any(|(_, f)| f == Failure::NotFound) => Ok(()),
        other => other,
    }
}

/// How long one attempt of the access job keeps trying a call.
const SYNC_TRY: Duration = Duration::from_secs(5);

/// Sets an open ticket's overwrites: the category's, its owner and its added members.
async fn open_access(
    ctx: &Ctx,
    settings: &GuildSettings,
    ticket: &Ticket,
    channel_id: Snowflake,
    deadline: Instant,
) -> anyhow::Result<()> {
    let overwrites = ticket_overwrites(
        settings.guild_id,
        ctx.bot_user_id.get(),
        &settings.staff_roles,
        ticket,
    );
    retrying("giving the members their access", deadline, || {
        ctx.send(
            ctx.http
                .update_channel(Id::new(channel_id))
                .permission_overwrites(&overwrites),
        )
    })
    .await
    .context("giving the members their access")?;
    Ok(())
}

/// 🔒 Close pressed: closes at once when the server turned the confirmation off; otherwise
/// asks the presser alone, "Yes, close it" or "Close with a reason", once core says they may
/// close this ticket now (so a refusal comes at the first press, not after confirming).
pub async fn close_pressed(ctx: &Ctx, inv: &Invocation, ticket_id: i64) -> anyhow::Result<Reply> {
    let which = TicketRef::Id(ticket_id);
    let loaded = match load(ctx, inv, which).await? {
        Ok(loaded) => loaded,
        Err(reply) => return Ok(reply),
    };
    if !loaded.settings.confirm_close {
        return close(ctx, inv, which, CloseKind::Close, None).await;
    }
    let checked = authz::authorize(
        Action::Close,
        loaded.role,
        Some(loaded.ticket.status),
        &loaded.settings,
    )
    .and_then(|()| {
        lifecycle::close(
            &loaded.ticket,
            loaded.role,
            inv.user_id,
            CloseKind::Close,
            None,
            Utc::now(),
        )
    });
    if let Err(refusal) = checked {
        return Ok(refused(inv, refusal));
    }
    Ok(Reply::Message(
        core_views::close_confirm(inv.lang, loaded.ticket.id).into(),
    ))
}

/// Performs what the server's closing mode asks after a close, and returns the closing message.
pub async fn after_close(
    ctx: &Ctx,
    settings: &GuildSettings,
    ticket: &Ticket,
) -> anyhow::Result<twilight_model::http::interaction::InteractionResponseData> {
    match lifecycle::after_close(settings, ticket.closed_at.unwrap_or_else(Utc::now)) {
        AfterClose::DeleteAt(due_at) => {
            if let Some(channel_id) = ticket.channel_id {
                ctx.store
                    .schedule_job(NewJob {
                        kind: JobKind::DeleteChannel {
                            ticket_id: ticket.id,
                            channel_id,
                        },
                        due_at,
                    })
                    .await
                    .context("scheduling the channel's deletion")?;
            }
        }
        AfterClose::Lock => {
            if let Some(channel_id) = ticket.channel_id {
                let deadline = Instant::now() + WHILE_WAITING;
                let lock = lock_channel(ctx, channel_id, deadline);
                let access = set_access(ctx, ticket.id, channel_id, lock).await?;
                super::capture::schedule_capture(ctx, ticket.id, channel_id).await?;
                return Ok(with_access_note(
                    core_views::closed(ticket, settings).into(),
                    settings.language,
                    access,
                ));
            }
        }
    }
    Ok(core_views::closed(ticket, settings).into())
}

/// Takes the members' access away by syncing the channel's overwrites with its category. Each
/// call is idempotent, so each is tried again while Discord has trouble, until `deadline`.
pub async fn lock_channel(
    ctx: &Ctx,
    channel_id: Snowflake,
    deadline: Instant,
) -> anyhow::Result<()> {
    let channel = retrying("reading the ticket channel", deadline, || {
        ctx.send(ctx.http.channel(Id::new(channel_id)))
    })
    .await
    .context("reading the ticket channel")?
    .model()
    .await?;
    let Some(parent) = channel.parent_id else {
        return Ok(());
    };
    let category = retrying("reading the ticket's category", deadline, || {
        ctx.send(ctx.http.channel(parent))
    })
    .await
    .context("reading the ticket's category")?
    .model()
    .await?;
    let overwrites = category.permission_overwrites.unwrap_or_default();
    retrying("locking the ticket channel", deadline, || {
        ctx.send(
            ctx.http
                .update_channel(Id::new(channel_id))
                .permission_overwrites(&overwrites),
        )
    })
    .await
    .context("locking the ticket channel")?;
    Ok(())
}

/// 🆘 Need Help (the owner): pings the staff roles, keeps the ticket open.
pub async fn need_help(ctx: &Ctx, inv: &Invocation, which: TicketRef) -> anyhow::Result<Reply> {
    let now = Utc::now();
    let decide = |t: &Ticket| lifecycle::request_help(t, now);
    let (loaded, ticket) = match transition(ctx, inv, which, Action::NeedHelp, decide).await? {
        Ok(done) => done,
        Err(reply) => return Ok(reply),
    };
    crate::delivery::spawn_log_line(ctx, &ticket, crate::delivery::LogLine::HelpRequested);
    Ok(Reply::Message(
        core_views::help_request(&ticket, &loaded.settings).into(),
    ))
}

/// Claim (staff): records who and when.
pub async fn claim(ctx: &Ctx, inv: &Invocation, which: TicketRef) -> anyhow::Result<Reply> {
    let now = Utc::now();
    let decide = |t: &Ticket| lifecycle::claim(t, inv.user_id, now);
    let (loaded, ticket) = match transition(ctx, inv, which, Action::Claim, decide).await? {
        Ok(done) => done,
        Err(reply) => return Ok(reply),
    };
    let line = crate::delivery::LogLine::Claimed { by: inv.user_id };
    crate::delivery::spawn_log_line(ctx, &ticket, line);
    Ok(Reply::Message(
        core_views::claimed(&ticket, &loaded.settings).into(),
    ))
}

/// Unclaim (staff).
pub async fn unclaim(ctx: &Ctx, inv: &Invocation, which: TicketRef) -> anyhow::Result<Reply> {
    let (loaded, _) = match transition(ctx, inv, which, Action::Unclaim, lifecycle::unclaim).await?
    {
        Ok(done) => done,
        Err(reply) => return Ok(reply),
    };
    Ok(Reply::Message(
        core_views::unclaimed(&loaded.settings, inv.user_id).into(),
    ))
}

/// Adds a member to the ticket: one overwrite on Discord, then the store's member list.
pub async fn add_member(
    ctx: &Ctx,
    inv: &Invocation,
    which: TicketRef,
    user: Snowflake,
) -> anyhow::Result<Reply> {
    change_member(ctx, inv, which, user, MemberChange::Add).await
}

/// Removes an added member: one overwrite deletion on Discord, then the store's member list.
pub async fn remove_member(
    ctx: &Ctx,
    inv: &Invocation,
    which: TicketRef,
    user: Snowflake,
) -> anyhow::Result<Reply> {
    change_member(ctx, inv, which, user, MemberChange::Remove).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MemberChange {
    Add,
    Remove,
}

/// `/add` and `/remove` change Discord first and the store after, so a change Discord refuses
/// leaves the store as it was (and a retry starts from there). The decision is checked on the
/// loaded ticket before Discord is touched, and again when storing; when the store then refuses
/// (the ticket changed meanwhile), Discord is put back to what the store shows.
async fn change_member(
    ctx: &Ctx,
    inv: &Invocation,
    which: TicketRef,
    user: Snowflake,
    change: MemberChange,
) -> anyhow::Result<Reply> {
    let loaded = match load(ctx, inv, which).await? {
        Ok(loaded) => loaded,
        Err(reply) => return Ok(reply),
    };
    let action = match change {
        MemberChange::Add => Action::AddMember,
        MemberChange::Remove => Action::RemoveMember,
    };
    let decide = |t: &Ticket| match change {
        MemberChange::Add => lifecycle::add_member(t, user),
        MemberChange::Remove => lifecycle::remove_member(t, user),
    };
    let checked = authz::authorize(
        action,
        loaded.role,
        Some(loaded.ticket.status),
        &loaded.settings,
    )
    .and_then(|()| decide(&loaded.ticket));
    if let Err(refusal) = checked {
        return Ok(refused(inv, refusal));
    }
    if let Some(channel) = loaded.ticket.channel_id
        && let Err(error) = set_member_access(ctx, channel, user, change == MemberChange::Add).await
    {
        return match explain_member_refusal(&error, channel) {
            Some(msg) => {
                tracing::info!(
                    ticket = loaded.ticket.id,
                    error = %format!("{error:#}"),
                    "Discord refused a member change; the store is unchanged"
                );
                Ok(Reply::Message(views::ephemeral(inv.lang, &msg)))
            }
            None => Err(error),
        };
    }
    let ticket = match apply(ctx, &loaded, action, decide).await? {
        Ok(ticket) => ticket,
        Err(refusal) => {
            compensate_member(ctx, loaded.ticket.id, user).await;
            return Ok(refused(inv, refusal));
        }
    };
    tracing::info!(ticket = ticket.id, user, ?change, "ticket members changed");
    let view = match change {
        MemberChange::Add => core_views::member_added(&loaded.settings, user, inv.user_id),
        MemberChange::Remove => core_views::member_removed(&loaded.settings, user, inv.user_id),
    };
    Ok(Reply::Message(view.into()))
}

/// Gives `user` their overwrite in the ticket channel, or takes it away.
async fn set_member_access(
    ctx: &Ctx,
    channel: Snowflake,
    user: Snowflake,
    allowed: bool,
) -> anyhow::Result<()> {
    // Both calls are idempotent, so Discord's passing errors are tried again while the actor
    // waits.
    let deadline = Instant::now() + WHILE_WAITING;
    if allowed {
        let overwrite = to_http_overwrite(&member_overwrite(user));
        retrying("letting the member into the ticket", deadline, || {
            ctx.send(
                ctx.http
                    .update_channel_permission(Id::new(channel), &overwrite),
            )
        })
        .await
        .context("letting the member into the ticket")?;
    } else {
        let removed = retrying("taking the member out of the ticket", deadline, || {
            ctx.send(
                ctx.http
                    .delete_channel_permission(Id::new(channel))
                    .member(Id::new(user)),
            )
        })
        .await;
        match removed {
            // A retry after a removal whose answer was lost finds nothing to remove.
            Err(error) if error.failure() == Failure::NotFound && !channel_gone(&error) => {}
            other => {
                other.context("taking the member out of the ticket")?;
            }
        }
    }
    Ok(())
}

/// Whether Discord refused a call because the channel itself is gone.
fn channel_gone(error: &CallError) -> bool {
    matches!(error, CallError::Discord(http)
        if crate::discord::api_code(http) == Some(crate::discord::codes::UNKNOWN_CHANNEL))
}

/// What the actor is told when Discord refused or kept failing a member change in `channel`;
/// `None` for failures that are not theirs to fix (logged, and answered with "something went
/// wrong").
fn explain_member_refusal(error: &anyhow::Error, channel: Snowflake) -> Option<Msg<'static>> {
    // Discord kept failing while the actor waited: nothing changed, and trying again later works.
    if crate::discord::unavailable_in(error) {
        return Some(Msg::DiscordUnavailable);
    }
    let (http, failure) = crate::discord::failures_in(error).next()?;
    match failure {
        // Overwrites need Manage Roles, which Discord calls Manage Permissions in a channel;
        // `missing_permission` names View Channel instead when the bot cannot see it at all.
        Failure::MissingPermissions => Some(Msg::BotLacksPermission {
            permission: crate::discord::missing_permission(http, "Manage Permissions")?,
            channel,
        }),
        Failure::NotFound
            if crate::discord::api_code(http) == Some(crate::discord::codes::UNKNOWN_CHANNEL) =>
        {
            Some(Msg::Refused(Refusal::AlreadyDeleted))
        }
        _ => None,
    }
}

/// After the store refused a member change Discord already made, puts the member's access back
/// to what the stored ticket shows: in while it is open and lists them, out otherwise. Best
/// effort: a failure is logged, and the next change of this member repairs it.
async fn compensate_member(ctx: &Ctx, ticket_id: i64, user: Snowflake) {
    let result = async {
        let Some(ticket) = ctx.store.ticket(ticket_id).await? else {
            return Ok(());
        };
        let Some(channel) = ticket.channel_id else {
            return Ok(());
        };
        let member = ticket.status.is_open() && ticket.members.contains(&user);
        set_member_access(ctx, channel, user, member).await
    }
    .await;
    if let Err(error) = result {
        tracing::warn!(
            ticket = ticket_id,
            user,
            error = %format!("{error:#}"),
            "could not put a member's access back after a refused change"
        );
    }
}

/// ↩ Reopen (staff, keep mode): the members get their access back.
pub async fn reopen(ctx: &Ctx, inv: &Invocation, which: TicketRef) -> anyhow::Result<Reply> {
    let (loaded, ticket) =
        match transition(ctx, inv, which, Action::Reopen, lifecycle::reopen).await? {
            Ok(done) => done,
            Err(reply) => return Ok(reply),
        };
    // A deletion scheduled by a Delete press that lost the race must not run now.
    for job in ctx.store.pending_jobs_for_ticket(ticket.id).await? {
        ctx.store.complete_job(job.id).await?;
    }
    let mut access = Access::Done;
    if let Some(channel) = ticket.channel_id {
        let deadline = Instant::now() + WHILE_WAITING;
        let change = open_access(ctx, &loaded.settings, &ticket, channel, deadline);
        access = set_access(ctx, ticket.id, channel, change).await?;
    }
    Ok(Reply::Message(with_access_note(
        core_views::reopened(&loaded.settings, inv.user_id).into(),
        loaded.settings.language,
        access,
    )))
}

/// 🗑 Delete Channel (staff, keep mode): the worker saves the transcript, then deletes.
pub async fn delete_channel(
    ctx: &Ctx,
    inv: &Invocation,
    which: TicketRef,
) -> anyhow::Result<Reply> {
    let loaded = match load(ctx, inv, which).await? {
        Ok(loaded) => loaded,
        Err(reply) => return Ok(reply),
    };
    if let Err(refusal) = authz::authorize(
        Action::DeleteChannel,
        loaded.role,
        Some(loaded.ticket.status),
        &loaded.settings,
    ) {
        return Ok(refused(inv, refusal));
    }
    let Some(channel_id) = loaded.ticket.channel_id else {
        return Ok(refused(inv, Refusal::AlreadyDeleted));
    };
    // A second press finds the first one's deletion pending; a pending transcript capture (keep
    // mode) is no deletion and must not stop one. The server's lock makes check and schedule one
    // step in this process; across processes, the worker runs a duplicate job as a no-op.
    let lock = ctx.guild_lock(inv.guild_id);
    let _guard = lock.lock().await;
    let already_deleting = ctx
        .store
        .pending_jobs_for_ticket(loaded.ticket.id)
        .await?
        .iter()
        .any(|job| matches!(job.kind, JobKind::DeleteChannel { .. }));
    if !already_deleting {
        ctx.store
            .schedule_job(NewJob {
                kind: JobKind::DeleteChannel {
                    ticket_id: loaded.ticket.id,
                    channel_id,
                },
                due_at: Utc::now(),
            })
            .await?;
    }
    Ok(Reply::Message(views::ephemeral(
        inv.lang,
        &Msg::ChannelDeleting { secs: 0 },
    )))
}

/// twilight's channel-creation overwrite type differs from the one `update_channel_permission`
/// takes.
fn to_http_overwrite(
    o: &twilight_model::channel::permission_overwrite::PermissionOverwrite,
) -> twilight_model::http::permission_overwrite::PermissionOverwrite {
    use twilight_model::channel::permission_overwrite::PermissionOverwriteType as Model;
    use twilight_model::http::permission_overwrite::{
        PermissionOverwrite, PermissionOverwriteType,
    };
    PermissionOverwrite {
        id: o.id,
        kind: match o.kind {
            Model::Role => PermissionOverwriteType::Role,
            _ => PermissionOverwriteType::Member,
        },
        allow: Some(o.allow),
        deny: Some(o.deny),
    }
}
