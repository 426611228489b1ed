//! Keeps staff roles' access to ticket categories and to every ticket channel that still exists
//! in step with the server's settings, as a job: a change of staff roles may touch hundreds of
//! channels, must survive a restart, and is safe to run twice.

use twilight_model::{
    http::permission_overwrite::{PermissionOverwrite, PermissionOverwriteType},
    id::Id,
};

use ticketbooth_core::{GuildSettings, Snowflake};
use ticketbooth_store::{JobKind, NewJob};

use super::open::STAFF_ALLOW;
use crate::{
    ctx::Ctx,
    discord::{Failure, classify},
};

/// The roles whose access changes when the staff roles go from `old` to `next`: those added or
/// removed. Saving the same roles again syncs them all, so an admin can repair access by hand.
pub fn roles_to_sync(old: &GuildSettings, next: &GuildSettings) -> Vec<Snowflake> {
    let mut changed: Vec<Snowflake> = old
        .staff_roles
        .iter()
        .filter(|r| !next.staff_roles.contains(r))
        .chain(
            next.staff_roles
                .iter()
                .filter(|r| !old.staff_roles.contains(r)),
        )
        .copied()
        .collect();
    if changed.is_empty() {
        changed = next.staff_roles.clone();
    }
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// Schedules the job that brings `roles`' access in line with the settings saved by then.
pub async fn schedule(ctx: &Ctx, guild_id: Snowflake, roles: Vec<Snowflake>) -> anyhow::Result<()> {
    if roles.is_empty() {
        return Ok(());
    }
    ctx.store
        .schedule_job(NewJob {
            kind: JobKind::SyncStaffAccess { guild_id, roles },
            due_at: chrono::Utc::now(),
        })
        .await?;
    Ok(())
}

/// Gives each of `roles` that is a staff role now the staff overwrite, and takes it away from
/// each that is not, in the ticket categories and the channels of tickets not yet deleted. The
/// decision is read from the settings when the job runs, so two quick changes converge on the
/// last one whatever order their jobs run in.
pub async fn sync(ctx: &Ctx, guild_id: Snowflake, roles: &[Snowflake]) -> anyhow::Result<()> {
    let settings = ctx.store.guild_settings(guild_id).await?;
    let topics = ctx.store.topics(guild_id).await?;
    let tickets = ctx.store.tickets_with_channels(Some(guild_id)).await?;
    let mut targets: Vec<Snowflake> = settings
        .default_category
        .into_iter()
        .chain(topics.iter().filter_map(|t| t.category_id))
        .chain(tickets.iter().filter_map(|t| t.channel_id))
        .collect();
    targets.sort_unstable();
    targets.dedup();
    let (mut changed, mut skipped) = (0u32, 0u32);
    for channel in targets {
        for role in roles {
            let done = if settings.staff_roles.contains(role) {
                let overwrite = PermissionOverwrite {
                    id: Id::new(*role),
                    kind: PermissionOverwriteType::Role,
                    allow: Some(STAFF_ALLOW),
                    deny: None,
                };
                ctx.send(
                    ctx.http
                        .update_channel_permission(Id::new(channel), &overwrite),
                )
                .await
                .map(drop)
            } else {
                ctx.send(
                    ctx.http
                        .delete_channel_permission(Id::new(channel))
                        .role(Id::new(*role)),
                )
                .await
                .map(drop)
            };
            match done {
                Ok(()) => changed += 1,
                // Deleted by hand (a ticket's deletion is handled by reconciliation, a
                // category is recreated when next used), or no longer the bot's to change:
                // the rest still gets done.
                Err(error)
                    if matches!(
                        classify(&error),
                        Failure::NotFound | Failure::MissingPermissions
                    ) =>
                {
                    tracing::warn!(channel, role, %error, "staff access not updated here");
                    skipped += 1;
                    break;
                }
                Err(error) => {
                    return Err(anyhow::Error::new(error).context("updating staff access"));
                }
            }
        }
    }
    tracing::info!(guild = guild_id, changed, skipped, "staff access in step");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_and_removed_roles_are_synced_or_all_when_saved_unchanged() {
        let mut old = GuildSettings::defaults(1);
        old.staff_roles = vec![30, 10];
        let mut next = old.clone();
        next.staff_roles = vec![20, 10];
        assert_eq!(roles_to_sync(&old, &next), vec![20, 30]);
        assert_eq!(roles_to_sync(&old, &old), vec![10, 30]);
        let none = GuildSettings::defaults(1);
        assert!(roles_to_sync(&none, &none).is_empty());
    }
}
