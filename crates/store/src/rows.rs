//! Reading rows back into records, the same way on both backends.

use chrono::{DateTime, Utc};
use serde_json::Value;
use ticketbooth_core::{CloseHow, GuildSettings, Panel, Snowflake, Ticket, TicketStatus, Topic};

use crate::error::StoreError;
use crate::types::{Job, JobKind, TicketMessage, Transcript};

/// Typed column access that hides how each backend stores times.
pub(crate) trait RowExt {
    fn int(&self, col: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError>;
    fn text(&self, col: &str) -> Result<String, StoreError>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError>;
    fn bytes(&self, col: &str) -> Result<Vec<u8>, StoreError>;
    fn boolean(&self, col: &str) -> Result<bool, StoreError>;
    fn opt_time(&self, col: &str) -> Result<Option<DateTime<Utc>>, StoreError>;

    fn time(&self, col: &str) -> Result<DateTime<Utc>, StoreError> {
        self.opt_time(col)?
            .ok_or_else(|| StoreError::decode(format!("column {col} is unexpectedly NULL")))
    }

    fn snowflake(&self, col: &str) -> Result<Snowflake, StoreError> {
        self.int(col).map(from_db_id)
    }

    fn opt_snowflake(&self, col: &str) -> Result<Option<Snowflake>, StoreError> {
        Ok(self.opt_int(col)?.map(from_db_id))
    }
}

/// Implements [`RowExt`] for a backend's row type; `$time` turns the stored time column into
/// `Option<DateTime<Utc>>`.
macro_rules! impl_row_ext {
    ($row:ty, |$r:ident, $c:ident| $time:expr) => {
        impl $crate::rows::RowExt for $row {
            fn int(&self, col: &str) -> Result<i64, $crate::error::StoreError> {
                Ok(::sqlx::Row::try_get(self, col)?)
            }
            fn opt_int(&self, col: &str) -> Result<Option<i64>, $crate::error::StoreError> {
                Ok(::sqlx::Row::try_get(self, col)?)
            }
            fn text(&self, col: &str) -> Result<String, $crate::error::StoreError> {
                Ok(::sqlx::Row::try_get(self, col)?)
            }
            fn opt_text(&self, col: &str) -> Result<Option<String>, $crate::error::StoreError> {
                Ok(::sqlx::Row::try_get(self, col)?)
            }
            fn bytes(&self, col: &str) -> Result<Vec<u8>, $crate::error::StoreError> {
                Ok(::sqlx::Row::try_get(self, col)?)
            }
            fn boolean(&self, col: &str) -> Result<bool, $crate::error::StoreError> {
                Ok(::sqlx::Row::try_get(self, col)?)
            }
            fn opt_time(
                &self,
                col: &str,
            ) -> Result<Option<::chrono::DateTime<::chrono::Utc>>, $crate::error::StoreError> {
                let $r = self;
                let $c = col;
                $time
            }
        }
    };
}
pub(crate) use impl_row_ext;

/// A snowflake as the database keeps it: the same 64 bits, read as signed.
pub(crate) fn to_db_id(id: Snowflake) -> i64 {
    id as i64
}

/// A stored id back as a snowflake: the same 64 bits, read as unsigned.
pub(crate) fn from_db_id(id: i64) -> Snowflake {
    id as u64
}

/// `t` cut to whole milliseconds, the precision both backends keep.
pub(crate) fn to_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

pub(crate) fn panel_from_row(r: &impl RowExt) -> Result<Panel, StoreError> {
    Ok(Panel {
        id: r.int("id")?,
        guild_id: r.snowflake("guild_id")?,
        channel_id: r.snowflake("channel_id")?,
        message_id: r.snowflake("message_id")?,
        title: r.text("title")?,
        description: r.text("description")?,
        footer: r.text("footer")?,
        created_at: r.time("created_at")?,
    })
}

pub(crate) fn topic_from_row(r: &impl RowExt) -> Result<Topic, StoreError> {
    Ok(Topic {
        id: r.int("id")?,
        guild_id: r.snowflake("guild_id")?,
        name: r.text("name")?,
        description: r.opt_text("description")?,
        emoji: r.opt_text("emoji")?,
        category_id: r.opt_snowflake("category_id")?,
    })
}

/// Reads a ticket selected with [`crate::backend::TICKET_COLUMNS`]-style columns, whose
/// `members` column is the comma-separated member ids.
pub(crate) fn ticket_from_row(r: &impl RowExt) -> Result<Ticket, StoreError> {
    let status = r.text("status")?;
    let close_how = r.opt_text("close_how")?;
    Ok(Ticket {
        id: r.int("id")?,
        guild_id: r.snowflake("guild_id")?,
        number: r.int("number")?,
        name: r.text("name")?,
        channel_id: r.opt_snowflake("channel_id")?,
        owner_id: r.snowflake("owner_id")?,
        topic: r.opt_text("topic")?,
        status: TicketStatus::parse(&status)
            .ok_or_else(|| StoreError::decode(format!("unknown ticket status {status:?}")))?,
        help_requested_at: r.opt_time("help_requested_at")?,
        claimed_by: r.opt_snowflake("claimed_by")?,
        claimed_at: r.opt_time("claimed_at")?,
        created_at: r.time("created_at")?,
        closed_at: r.opt_time("closed_at")?,
        closed_by: r.opt_snowflake("closed_by")?,
        close_how: close_how
            .map(|how| {
                CloseHow::parse(&how)
                    .ok_or_else(|| StoreError::decode(format!("unknown close_how {how:?}")))
            })
            .transpose()?,
        close_reason: r.opt_text("close_reason")?,
        deleted_at: r.opt_time("deleted_at")?,
        members: parse_members(r.opt_text("members")?.as_deref())?,
        revision: r.int("revision")?,
    })
}

fn parse_members(list: Option<&str>) -> Result<Vec<Snowflake>, StoreError> {
    let mut members = list
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.trim()
                .parse::<i64>()
                .map(from_db_id)
                .map_err(|_| StoreError::decode(format!("bad member id {s:?}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    members.sort_unstable();
    Ok(members)
}

/// A ticket's members as they are stored: sorted, without duplicates and without the owner.
pub(crate) fn normalized_members(ticket: &Ticket) -> Vec<Snowflake> {
    let mut members: Vec<Snowflake> = ticket
        .members
        .iter()
        .copied()
        .filter(|m| *m != ticket.owner_id)
        .collect();
    members.sort_unstable();
    members.dedup();
    members
}

/// An update of the job `id` found it, from the rows the statement changed: otherwise
/// [`crate::ErrorKind::NotFound`].
pub(crate) fn job_changed(rows_affected: u64, id: i64) -> Result<(), StoreError> {
    if rows_affected == 0 {
        return Err(StoreError::not_found(format!("job {id}")));
    }
    Ok(())
}

pub(crate) fn job_from_row(r: &impl RowExt) -> Result<Job, StoreError> {
    let kind: JobKind = serde_json::from_str(&r.text("kind")?)?;
    Ok(Job {
        id: r.int("id")?,
        kind,
        due_at: r.time("due_at")?,
        leased_until: r.opt_time("leased_until")?,
        leased_by: r.opt_text("leased_by")?,
        attempts: u32::try_from(r.int("attempts")?).unwrap_or(u32::MAX),
        last_error: r.opt_text("last_error")?,
        admins_told: r.int("admins_told")? != 0,
        failed_at: r.opt_time("failed_at")?,
        created_at: r.time("created_at")?,
    })
}

pub(crate) fn transcript_from_row(r: &impl RowExt) -> Result<Transcript, StoreError> {
    Ok(Transcript {
        ticket_id: r.int("ticket_id")?,
        format: r.text("format")?,
        data: r.bytes("data")?,
        message_count: r.int("message_count")?,
        created_at: r.time("created_at")?,
    })
}

pub(crate) fn ticket_message_from_row(r: &impl RowExt) -> Result<TicketMessage, StoreError> {
    let details = r.text("details")?;
    Ok(TicketMessage {
        message_id: r.snowflake("message_id")?,
        author_id: r.snowflake("author_id")?,
        author_name: r.text("author_name")?,
        author_display: r.opt_text("author_display")?,
        author_avatar: r.opt_text("author_avatar")?,
        author_bot: r.boolean("author_bot")?,
        content: r.text("content")?,
        original_content: r.opt_text("original_content")?,
        created_at: r.time("created_at")?,
        edited_at: r.opt_time("edited_at")?,
        deleted_at: r.opt_time("deleted_at")?,
        from_history: r.boolean("from_history")?,
        details: serde_json::from_str(&details)
            .map_err(|e| StoreError::decode(format!("a message's details: {e}")))?,
    })
}

/// Reads stored settings JSON over the defaults, so fields added to [`GuildSettings`] after the
/// row was written take their default values instead of failing to decode.
pub(crate) fn settings_from_json(
    guild: Snowflake,
    stored: Option<&str>,
) -> Result<GuildSettings, StoreError> {
    let defaults = GuildSettings::defaults(guild);
    let Some(stored) = stored else {
        return Ok(defaults);
    };
    let mut merged = serde_json::to_value(&defaults)?;
    if let (Value::Object(base), Value::Object(overlay)) =
        (&mut merged, serde_json::from_str::<Value>(stored)?)
    {
        base.extend(overlay);
    }
    let mut settings: GuildSettings = serde_json::from_value(merged)?;
    settings.guild_id = guild;
    Ok(settings)
}

/// Settings as stored.
pub(crate) fn settings_to_json(settings: &GuildSettings) -> Result<String, StoreError> {
    Ok(serde_json::to_string(settings)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflakes_keep_their_bits() {
        for id in [0, 1, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
            assert_eq!(from_db_id(to_db_id(id)), id);
        }
        assert!(to_db_id(u64::MAX) < 0);
    }

    #[test]
    fn settings_missing_fields_take_defaults() {
        let settings = settings_from_json(7, Some(r#"{"guild_id":7,"enabled":false}"#)).unwrap();
        let mut expected = GuildSettings::defaults(7);
        expected.enabled = false;
        assert_eq!(settings, expected);
    }

    #[test]
    fn members_parse_sorted_and_reject_garbage() {
        assert_eq!(parse_members(Some("3,1,-1")).unwrap(), vec![1, 3, u64::MAX]);
        assert_eq!(parse_members(None).unwrap(), Vec::<u64>::new());
        assert!(parse_members(Some("1,x")).is_err());
    }
}
