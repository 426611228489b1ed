//! The `Store` implementation shared by both backends, written once as a macro.
//!
//! SQLite accepts PostgreSQL's `$N` placeholders, so nearly every statement is the same text on
//! both. What differs is supplied by the backend module that expands [`impl_store!`]:
//! - `type Db`: the sqlx database;
//! - `fn bind_time(DateTime<Utc>) -> impl Encode`: how a time is written;
//! - `const MEMBERS_AGG`: a scalar subquery giving ticket `t`'s member ids comma-separated;
//! - `const SKIP_LOCKED`: the locking clause for leasing jobs;
//! - `const SIZE_SQL`: a query returning the database size as column `size`;
//! - `const FOR_UPDATE`: the clause that locks selected rows until the transaction ends;
//! - `const LOCK_STATS_SQL`: a statement keeping other writers out of the roll-up tables while
//!   they are rebuilt (empty where `begin_write` already excludes them);
//! - `static MIGRATOR` and `const BACKEND`;
//! - `async fn begin_write(&self)`: a transaction that may check and then write (SQLite takes the
//!   write lock up front so no other writer can slip in between).

/// Statuses that count against the limits, as an SQL list.
pub(crate) const OPEN_STATUSES_SQL: &str = "('opening', 'open', 'need_help')";

/// Expands to `#[async_trait] impl Store for $store`, using the backend items listed above.
macro_rules! impl_store {
    ($store:ty) => {
        fn ticket_sql(filter: &str) -> String {
            format!("SELECT t.*, ({MEMBERS_AGG}) AS members FROM tickets t {filter}")
        }

        fn is_unique_violation(err: &::sqlx::Error) -> bool {
            err.as_database_error()
                .is_some_and(|e| e.is_unique_violation())
        }

        async fn settings_in<'c, E>(
            exec: E,
            guild: Snowflake,
        ) -> Result<GuildSettings, StoreError>
        where
            E: ::sqlx::Executor<'c, Database = Db>,
        {
            let row = ::sqlx::query("SELECT data FROM guild_settings WHERE guild_id = $1")
                .bind(to_db_id(guild))
                .fetch_optional(exec)
                .await?;
            let data = row.map(|r| r.text("data")).transpose()?;
            settings_from_json(guild, data.as_deref())
        }

        async fn ticket_in<'c, E>(exec: E, id: i64) -> Result<Option<Ticket>, StoreError>
        where
            E: ::sqlx::Executor<'c, Database = Db>,
        {
            ::sqlx::query(&ticket_sql("WHERE t.id = $1"))
                .bind(id)
                .fetch_optional(exec)
                .await?
                .as_ref()
                .map(ticket_from_row)
                .transpose()
        }

        /// `INSERT` of a captured message for the ticket living in channel `$1` (the newest, if a
        /// channel was ever reused), then `ON CONFLICT (ticket_id, message_id) {on_conflict}`.
        /// One statement: the ticket is found and the message written without a round trip.
        fn capture_sql(on_conflict: &str) -> String {
            format!(
                "INSERT INTO ticket_messages \
                 (ticket_id, message_id, author_id, author_name, author_display, author_avatar, \
                  author_bot, content, original_content, created_at, edited_at, deleted_at, \
                  from_history, details) \
                 SELECT t.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 \
                 FROM tickets t WHERE t.channel_id = $1 \
                 ORDER BY t.id DESC LIMIT 1 \
                 ON CONFLICT (ticket_id, message_id) {on_conflict}"
            )
        }

        type Query<'q> = ::sqlx::query::Query<'q, Db, <Db as ::sqlx::Database>::Arguments<'q>>;

        /// Binds `$1` (the channel) and the message's columns as `$2`… for [`capture_sql`].
        fn bind_message<'q>(
            query: Query<'q>,
            channel: Snowflake,
            message: &'q TicketMessage,
        ) -> Query<'q> {
            bind_message_values(query.bind(to_db_id(channel)), message)
        }

        /// Binds a message's columns, from `message_id` to `details`, after what is bound already.
        fn bind_message_values<'q>(query: Query<'q>, message: &'q TicketMessage) -> Query<'q> {
            query
                .bind(to_db_id(message.message_id))
                .bind(to_db_id(message.author_id))
                .bind(message.author_name.as_str())
                .bind(message.author_display.as_deref())
                .bind(message.author_avatar.as_deref())
                .bind(message.author_bot)
                .bind(message.content.as_str())
                .bind(message.original_content.as_deref())
                .bind(bind_time(message.created_at))
                .bind(message.edited_at.map(bind_time))
                .bind(message.deleted_at.map(bind_time))
                .bind(message.from_history)
                .bind(message.details.to_string())
        }

        /// The connection inside a transaction, for helpers that take part in one.
        type Conn = <Db as ::sqlx::Database>::Connection;

        /// Adds `counts` to `guild`'s roll-up rows for `day`. In key order, so that two writers
        /// touching the same rows lock them in the same order.
        async fn add_counts(
            conn: &mut Conn,
            guild: Snowflake,
            day: i64,
            counts: &$crate::rollup::Counts,
        ) -> Result<(), StoreError> {
            for ((metric, subject), value) in counts {
                if *value == 0 {
                    continue;
                }
                ::sqlx::query(
                    "INSERT INTO stats_counts (guild_id, day, metric, subject, value) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (guild_id, day, metric, subject) \
                     DO UPDATE SET value = stats_counts.value + excluded.value",
                )
                .bind(to_db_id(guild))
                .bind(day)
                .bind(metric.as_str())
                .bind(subject)
                .bind(*value)
                .execute(&mut *conn)
                .await?;
            }
            Ok(())
        }

        /// Records in the roll-ups what changed between two versions of one ticket (`None`:
        /// not stored).
        async fn record_ticket_change(
            conn: &mut Conn,
            before: Option<&Ticket>,
            after: Option<&Ticket>,
        ) -> Result<(), StoreError> {
            use $crate::rollup::{day_of, delta, ticket_counts};
            let Some(ticket) = after.or(before) else {
                return Ok(());
            };
            let counts = |t: Option<&Ticket>| t.map(ticket_counts).unwrap_or_default();
            let change = delta(&counts(before), &counts(after));
            add_counts(conn, ticket.guild_id, day_of(ticket.created_at), &change).await
        }

        /// Locks ticket `id`'s row until the transaction ends, then reads it.
        async fn ticket_for_update(conn: &mut Conn, id: i64) -> Result<Option<Ticket>, StoreError> {
            let found = ::sqlx::query(&format!("SELECT id FROM tickets WHERE id = $1 {FOR_UPDATE}"))
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            match found {
                Some(_) => ticket_in(&mut *conn, id).await,
                None => Ok(None),
            }
        }

        /// Makes `owner`'s latest ticket in `guild` no older than `created_at`.
        async fn note_member(
            conn: &mut Conn,
            guild: Snowflake,
            owner: Snowflake,
            created_at: DateTime<Utc>,
        ) -> Result<(), StoreError> {
            ::sqlx::query(
                "INSERT INTO stats_members (guild_id, owner_id, last_created_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (guild_id, owner_id) \
                 DO UPDATE SET last_created_at = excluded.last_created_at \
                 WHERE excluded.last_created_at > stats_members.last_created_at",
            )
            .bind(to_db_id(guild))
            .bind(to_db_id(owner))
            .bind(bind_time(created_at))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }

        /// Sets `owner`'s latest ticket in `guild` from the tickets left, after one was removed.
        async fn recount_member(
            conn: &mut Conn,
            guild: Snowflake,
            owner: Snowflake,
        ) -> Result<(), StoreError> {
            let last = ::sqlx::query(
                "SELECT MAX(created_at) AS last FROM tickets WHERE guild_id = $1 AND owner_id = $2",
            )
            .bind(to_db_id(guild))
            .bind(to_db_id(owner))
            .fetch_one(&mut *conn)
            .await?
            .opt_time("last")?;
            let query = match last {
                Some(_) => "UPDATE stats_members SET last_created_at = $3 \
                            WHERE guild_id = $1 AND owner_id = $2",
                None => "DELETE FROM stats_members WHERE guild_id = $1 AND owner_id = $2",
            };
            let mut query = ::sqlx::query(query).bind(to_db_id(guild)).bind(to_db_id(owner));
            if let Some(last) = last {
                query = query.bind(bind_time(last));
            }
            query.execute(&mut *conn).await?;
            Ok(())
        }

        /// The ticket's first staff response: who wrote it and when.
        async fn first_response_in(
            conn: &mut Conn,
            ticket_id: i64,
        ) -> Result<Option<(Snowflake, DateTime<Utc>)>, StoreError> {
            let row = ::sqlx::query(
                "SELECT staff_id, responded_at FROM first_responses WHERE ticket_id = $1",
            )
            .bind(ticket_id)
            .fetch_optional(&mut *conn)
            .await?;
            row.map(|row| Ok((row.snowflake("staff_id")?, row.time("responded_at")?)))
                .transpose()
        }

        impl $store {
            /// Recounts every roll-up from the tickets; with `only_if_missing`, only when they
            /// have never been built (once, after the migration that added them).
            async fn build_stats(&self, only_if_missing: bool) -> Result<(), StoreError> {
                use $crate::rollup::{self, Counts};
                const BATCH: i64 = 5_000;
                let built_sql = format!("SELECT built FROM stats_state WHERE id = 1 {FOR_UPDATE}");
                // Built already (every start after the first): no lock for the other writers.
                if only_if_missing
                    && ::sqlx::query("SELECT built FROM stats_state WHERE id = 1")
                        .fetch_one(&self.pool)
                        .await?
                        .int("built")?
                        != 0
                {
                    return Ok(());
                }
                let mut tx = self.begin_write().await?;
                if !LOCK_STATS_SQL.is_empty() {
                    ::sqlx::query(LOCK_STATS_SQL).execute(&mut *tx).await?;
                }
                let built = ::sqlx::query(&built_sql)
                .fetch_one(&mut *tx)
                .await?
                .int("built")?;
                if only_if_missing && built != 0 {
                    tx.commit().await?;
                    return Ok(());
                }
                ::sqlx::query("DELETE FROM stats_counts").execute(&mut *tx).await?;
                ::sqlx::query("DELETE FROM stats_members").execute(&mut *tx).await?;

                let mut totals: ::std::collections::BTreeMap<(Snowflake, i64), Counts> =
                    Default::default();
                let mut after = 0_i64;
                loop {
                    let rows = ::sqlx::query(&ticket_sql("WHERE t.id > $1 ORDER BY t.id LIMIT $2"))
                        .bind(after)
                        .bind(BATCH)
                        .fetch_all(&mut *tx)
                        .await?;
                    for row in &rows {
                        let ticket = ticket_from_row(row)?;
                        after = ticket.id;
                        let key = (ticket.guild_id, rollup::day_of(ticket.created_at));
                        rollup::add_into(totals.entry(key).or_default(), &rollup::ticket_counts(&ticket));
                    }
                    if (rows.len() as i64) < BATCH {
                        break;
                    }
                }
                let mut after = 0_i64;
                loop {
                    let rows = ::sqlx::query(
                        "SELECT f.ticket_id, f.staff_id, f.responded_at, t.guild_id, t.created_at \
                         FROM first_responses f JOIN tickets t ON t.id = f.ticket_id \
                         WHERE f.ticket_id > $1 ORDER BY f.ticket_id LIMIT $2",
                    )
                    .bind(after)
                    .bind(BATCH)
                    .fetch_all(&mut *tx)
                    .await?;
                    for row in &rows {
                        after = row.int("ticket_id")?;
                        let created_at = row.time("created_at")?;
                        let key = (row.snowflake("guild_id")?, rollup::day_of(created_at));
                        let counts = rollup::first_response_counts(
                            created_at,
                            row.snowflake("staff_id")?,
                            row.time("responded_at")?,
                        );
                        rollup::add_into(totals.entry(key).or_default(), &counts);
                    }
                    if (rows.len() as i64) < BATCH {
                        break;
                    }
                }

                // Many rows per statement: one round trip per few hundred counters.
                let rows: Vec<_> = totals
                    .iter()
                    .flat_map(|((guild, day), counts)| {
                        counts
                            .iter()
                            .filter(|(_, value)| **value != 0)
                            .map(move |(key, value)| (*guild, *day, key, *value))
                    })
                    .collect();
                for chunk in rows.chunks(200) {
                    let mut sql = String::from(
                        "INSERT INTO stats_counts (guild_id, day, metric, subject, value) VALUES ",
                    );
                    for index in 0..chunk.len() {
                        let n = index * 5;
                        if index > 0 {
                            sql.push_str(", ");
                        }
                        sql.push_str(&format!(
                            "(${}, ${}, ${}, ${}, ${})",
                            n + 1,
                            n + 2,
                            n + 3,
                            n + 4,
                            n + 5
                        ));
                    }
                    let mut query = ::sqlx::query(&sql);
                    for (guild, day, (metric, subject), value) in chunk {
                        query = query
                            .bind(to_db_id(*guild))
                            .bind(*day)
                            .bind(metric.as_str())
                            .bind(subject.as_str())
                            .bind(*value);
                    }
                    query.execute(&mut *tx).await?;
                }
                ::sqlx::query(
                    "INSERT INTO stats_members (guild_id, owner_id, last_created_at) \
                     SELECT guild_id, owner_id, MAX(created_at) FROM tickets \
                     GROUP BY guild_id, owner_id",
                )
                .execute(&mut *tx)
                .await?;
                ::sqlx::query("UPDATE stats_state SET built = 1 WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn tickets_where(
                &self,
                filter: &str,
                binds: &[i64],
            ) -> Result<Vec<Ticket>, StoreError> {
                let sql = ticket_sql(filter);
                let mut query = ::sqlx::query(&sql);
                for value in binds {
                    query = query.bind(*value);
                }
                query
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(ticket_from_row)
                    .collect()
            }
        }

        #[::async_trait::async_trait]
        impl Store for $store {
            fn backend(&self) -> Backend {
                BACKEND
            }

            async fn migrate(&self) -> Result<(), StoreError> {
                MIGRATOR.run(&self.pool).await?;
                self.build_stats(true).await
            }

            async fn ping(&self) -> Result<(), StoreError> {
                ::sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn size_bytes(&self) -> Result<u64, StoreError> {
                let row = ::sqlx::query(SIZE_SQL).fetch_one(&self.pool).await?;
                Ok(u64::try_from(row.int("size")?).unwrap_or(0))
            }

            async fn guild_settings(&self, guild: Snowflake) -> Result<GuildSettings, StoreError> {
                settings_in(&self.pool, guild).await
            }

            async fn save_guild_settings(
                &self,
                settings: &GuildSettings,
            ) -> Result<(), StoreError> {
                // The revision moves so that an update decided on the replaced row retries.
                ::sqlx::query(
                    "INSERT INTO guild_settings (guild_id, data, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (guild_id) DO UPDATE \
                     SET data = excluded.data, updated_at = excluded.updated_at, \
                     revision = guild_settings.revision + 1",
                )
                .bind(to_db_id(settings.guild_id))
                .bind(settings_to_json(settings)?)
                .bind(bind_time(Utc::now()))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn update_guild_settings(
                &self,
                guild: Snowflake,
                change: &(dyn for<'s> Fn(&'s mut GuildSettings) + Send + Sync),
            ) -> Result<SettingsUpdate, StoreError> {
                // Each failed compare-and-set means another write succeeded, so this ends; the
                // bound only turns a bug into an error instead of a hang.
                for _ in 0..1000 {
                    let row = ::sqlx::query(
                        "SELECT data, revision FROM guild_settings WHERE guild_id = $1",
                    )
                    .bind(to_db_id(guild))
                    .fetch_optional(&self.pool)
                    .await?;
                    let (data, revision) = match &row {
                        Some(r) => (Some(r.text("data")?), Some(r.int("revision")?)),
                        None => (None, None),
                    };
                    let before = settings_from_json(guild, data.as_deref())?;
                    let mut after = before.clone();
                    change(&mut after);
                    after.guild_id = guild;
                    if after == before {
                        return Ok(SettingsUpdate { before, after });
                    }
                    let json = settings_to_json(&after)?;
                    let done = match revision {
                        Some(revision) => {
                            ::sqlx::query(
                                "UPDATE guild_settings \
                                 SET data = $2, updated_at = $3, revision = revision + 1 \
                                 WHERE guild_id = $1 AND revision = $4",
                            )
                            .bind(to_db_id(guild))
                            .bind(json)
                            .bind(bind_time(Utc::now()))
                            .bind(revision)
                            .execute(&self.pool)
                            .await?
                        }
                        None => {
                            ::sqlx::query(
                                "INSERT INTO guild_settings (guild_id, data, updated_at) \
                                 VALUES ($1, $2, $3) ON CONFLICT (guild_id) DO NOTHING",
                            )
                            .bind(to_db_id(guild))
                            .bind(json)
                            .bind(bind_time(Utc::now()))
                            .execute(&self.pool)
                            .await?
                        }
                    };
                    if done.rows_affected() == 1 {
                        return Ok(SettingsUpdate { before, after });
                    }
                }
                Err(StoreError::new(
                    ErrorKind::Conflict,
                    format!("the settings of guild {guild} kept changing"),
                ))
            }

            async fn set_blacklisted(
                &self,
                guild: Snowflake,
                user: Snowflake,
                blacklisted: bool,
            ) -> Result<(), StoreError> {
                let sql = if blacklisted {
                    "INSERT INTO blacklist (guild_id, user_id, created_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (guild_id, user_id) DO NOTHING"
                } else {
                    "DELETE FROM blacklist WHERE guild_id = $1 AND user_id = $2"
                };
                let mut query = ::sqlx::query(sql).bind(to_db_id(guild)).bind(to_db_id(user));
                if blacklisted {
                    query = query.bind(bind_time(Utc::now()));
                }
                query.execute(&self.pool).await?;
                Ok(())
            }

            async fn is_blacklisted(
                &self,
                guild: Snowflake,
                user: Snowflake,
            ) -> Result<bool, StoreError> {
                let row = ::sqlx::query(
                    "SELECT 1 AS hit FROM blacklist WHERE guild_id = $1 AND user_id = $2",
                )
                .bind(to_db_id(guild))
                .bind(to_db_id(user))
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.is_some())
            }

            async fn insert_panel(&self, panel: NewPanel) -> Result<Panel, StoreError> {
                let row = ::sqlx::query(
                    "INSERT INTO panels \
                     (guild_id, channel_id, message_id, title, description, footer, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
                )
                .bind(to_db_id(panel.guild_id))
                .bind(to_db_id(panel.channel_id))
                .bind(to_db_id(panel.message_id))
                .bind(panel.title)
                .bind(panel.description)
                .bind(panel.footer)
                .bind(bind_time(panel.created_at))
                .fetch_one(&self.pool)
                .await?;
                panel_from_row(&row)
            }

            async fn panel_by_message(
                &self,
                message_id: Snowflake,
            ) -> Result<Option<Panel>, StoreError> {
                ::sqlx::query("SELECT * FROM panels WHERE message_id = $1")
                    .bind(to_db_id(message_id))
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(panel_from_row)
                    .transpose()
            }

            async fn panels(&self, guild: Snowflake) -> Result<Vec<Panel>, StoreError> {
                ::sqlx::query("SELECT * FROM panels WHERE guild_id = $1 ORDER BY id")
                    .bind(to_db_id(guild))
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(panel_from_row)
                    .collect()
            }

            async fn update_panel(&self, panel: &Panel) -> Result<(), StoreError> {
                let done = ::sqlx::query(
                    "UPDATE panels SET channel_id = $2, message_id = $3, title = $4, \
                     description = $5, footer = $6 WHERE id = $1",
                )
                .bind(panel.id)
                .bind(to_db_id(panel.channel_id))
                .bind(to_db_id(panel.message_id))
                .bind(&panel.title)
                .bind(&panel.description)
                .bind(&panel.footer)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::not_found(format!("panel {}", panel.id)));
                }
                Ok(())
            }

            async fn delete_panel(&self, id: i64) -> Result<bool, StoreError> {
                let done = ::sqlx::query("DELETE FROM panels WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn add_topic(&self, topic: NewTopic) -> Result<Topic, StoreError> {
                let key = topic.name.trim().to_lowercase();
                let inserted = ::sqlx::query(
                    "INSERT INTO topics \
                     (guild_id, name, name_key, description, emoji, category_id) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *",
                )
                .bind(to_db_id(topic.guild_id))
                .bind(&topic.name)
                .bind(key)
                .bind(topic.description)
                .bind(topic.emoji)
                .bind(topic.category_id.map(to_db_id))
                .fetch_one(&self.pool)
                .await;
                match inserted {
                    Ok(row) => topic_from_row(&row),
                    Err(err) if is_unique_violation(&err) => {
                        Err(StoreError::with_source(ErrorKind::TopicNameTaken, err)
                            .detail(format!("{:?}", topic.name)))
                    }
                    Err(err) => Err(err.into()),
                }
            }

            async fn topics(&self, guild: Snowflake) -> Result<Vec<Topic>, StoreError> {
                ::sqlx::query("SELECT * FROM topics WHERE guild_id = $1 ORDER BY id")
                    .bind(to_db_id(guild))
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(topic_from_row)
                    .collect()
            }

            async fn topic(&self, id: i64) -> Result<Option<Topic>, StoreError> {
                ::sqlx::query("SELECT * FROM topics WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(topic_from_row)
                    .transpose()
            }

            async fn set_topic_category(
                &self,
                id: i64,
                category: Option<Snowflake>,
            ) -> Result<(), StoreError> {
                let done = ::sqlx::query("UPDATE topics SET category_id = $2 WHERE id = $1")
                    .bind(id)
                    .bind(category.map(to_db_id))
                    .execute(&self.pool)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::not_found(format!("topic {id}")));
                }
                Ok(())
            }

            async fn remove_topic(&self, id: i64) -> Result<bool, StoreError> {
                let done = ::sqlx::query("DELETE FROM topics WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn reserve_ticket(
                &self,
                request: ReserveTicket,
            ) -> Result<Reservation, StoreError> {
                let guild = to_db_id(request.guild_id);
                let owner = to_db_id(request.owner_id);
                let mut tx = self.begin_write().await?;

                // Bumping the counter first takes the guild's row lock on PostgreSQL, so every
                // other reservation in this guild waits here until this one commits or rolls
                // back; the counts below then see its result. A refusal rolls the bump back.
                let number = ::sqlx::query(
                    "INSERT INTO ticket_counters (guild_id, last_number) VALUES ($1, 1) \
                     ON CONFLICT (guild_id) DO UPDATE \
                     SET last_number = ticket_counters.last_number + 1 \
                     RETURNING last_number",
                )
                .bind(guild)
                .fetch_one(&mut *tx)
                .await?
                .int("last_number")?;

                let settings = settings_in(&mut *tx, request.guild_id).await?;
                let refusal = if !settings.enabled {
                    Some(OpenRefusal::Disabled)
                } else if ::sqlx::query(
                    "SELECT 1 AS hit FROM blacklist WHERE guild_id = $1 AND user_id = $2",
                )
                .bind(guild)
                .bind(owner)
                .fetch_optional(&mut *tx)
                .await?
                .is_some()
                {
                    Some(OpenRefusal::Blacklisted)
                } else {
                    let own = ::sqlx::query(&ticket_sql(&format!(
                        "WHERE t.guild_id = $1 AND t.owner_id = $2 AND t.status IN {} \
                         ORDER BY t.id",
                        $crate::backend::OPEN_STATUSES_SQL
                    )))
                    .bind(guild)
                    .bind(owner)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(ticket_from_row)
                    .collect::<Result<Vec<_>, _>>()?;
                    if own.len() as u64 >= u64::from(settings.max_open_per_member) {
                        Some(OpenRefusal::MemberLimit {
                            limit: settings.max_open_per_member,
                            open: own,
                        })
                    } else {
                        let total = ::sqlx::query(&format!(
                            "SELECT COUNT(*) AS n FROM tickets WHERE guild_id = $1 AND status IN {}",
                            $crate::backend::OPEN_STATUSES_SQL
                        ))
                        .bind(guild)
                        .fetch_one(&mut *tx)
                        .await?
                        .int("n")?;
                        (total as u64 >= u64::from(settings.max_open_total)).then_some(
                            OpenRefusal::ServerLimit {
                                limit: settings.max_open_total,
                            },
                        )
                    }
                };
                if let Some(refusal) = refusal {
                    tx.rollback().await?;
                    return Ok(Reservation::Refused(refusal));
                }

                let name = ::ticketbooth_core::naming::channel_name(
                    &settings.naming,
                    number,
                    &request.owner_name,
                    &request.random_suffix,
                );
                let id = ::sqlx::query(
                    "INSERT INTO tickets \
                     (guild_id, number, name, owner_id, topic, status, created_at, revision) \
                     VALUES ($1, $2, $3, $4, $5, 'opening', $6, 0) RETURNING id",
                )
                .bind(guild)
                .bind(number)
                .bind(&name)
                .bind(owner)
                .bind(&request.topic)
                .bind(bind_time(request.now))
                .fetch_one(&mut *tx)
                .await?
                .int("id")?;
                let ticket = ticket_in(&mut *tx, id)
                    .await?
                    .ok_or_else(|| StoreError::not_found(format!("ticket {id} just inserted")))?;
                record_ticket_change(&mut tx, None, Some(&ticket)).await?;
                note_member(&mut tx, ticket.guild_id, ticket.owner_id, ticket.created_at).await?;
                tx.commit().await?;
                Ok(Reservation::Reserved(ticket))
            }

            async fn attach_channel(
                &self,
                ticket_id: i64,
                channel_id: Snowflake,
            ) -> Result<Ticket, StoreError> {
                // Opening and open count alike in every statistic (see the roll-up tests), so
                // attaching the channel leaves the roll-ups as they are.
                let mut tx = self.begin_write().await?;
                let done = ::sqlx::query(
                    "UPDATE tickets SET channel_id = $2, status = 'open', revision = revision + 1 \
                     WHERE id = $1 AND status = 'opening'",
                )
                .bind(ticket_id)
                .bind(to_db_id(channel_id))
                .execute(&mut *tx)
                .await?;
                let ticket = ticket_in(&mut *tx, ticket_id).await?;
                tx.commit().await?;
                match ticket {
                    None => Err(StoreError::not_found(format!("ticket {ticket_id}"))),
                    Some(t) if done.rows_affected() == 0 => Err(StoreError::new(
                        ErrorKind::Conflict,
                        format!("ticket {ticket_id} is {}, not opening", t.status.as_str()),
                    )),
                    Some(t) => Ok(t),
                }
            }

            async fn release_reservation(&self, ticket_id: i64) -> Result<bool, StoreError> {
                let mut tx = self.begin_write().await?;
                let ticket = match ticket_for_update(&mut tx, ticket_id).await? {
                    Some(ticket) if ticket.status == ::ticketbooth_core::TicketStatus::Opening => {
                        ticket
                    }
                    _ => {
                        tx.rollback().await?;
                        return Ok(false);
                    }
                };
                let response = first_response_in(&mut tx, ticket_id).await?;
                ::sqlx::query("DELETE FROM tickets WHERE id = $1")
                    .bind(ticket_id)
                    .execute(&mut *tx)
                    .await?;
                record_ticket_change(&mut tx, Some(&ticket), None).await?;
                if let Some((staff, at)) = response {
                    let counts =
                        $crate::rollup::first_response_counts(ticket.created_at, staff, at);
                    let undo = $crate::rollup::delta(&counts, &Default::default());
                    let day = $crate::rollup::day_of(ticket.created_at);
                    add_counts(&mut tx, ticket.guild_id, day, &undo).await?;
                }
                recount_member(&mut tx, ticket.guild_id, ticket.owner_id).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn ticket(&self, id: i64) -> Result<Option<Ticket>, StoreError> {
                ticket_in(&self.pool, id).await
            }

            async fn ticket_by_number(
                &self,
                guild: Snowflake,
                number: i64,
            ) -> Result<Option<Ticket>, StoreError> {
                let mut found = self
                    .tickets_where(
                        "WHERE t.guild_id = $1 AND t.number = $2 ORDER BY t.id DESC LIMIT 1",
                        &[to_db_id(guild), number],
                    )
                    .await?;
                Ok(found.pop())
            }

            async fn ticket_by_channel(
                &self,
                channel: Snowflake,
            ) -> Result<Option<Ticket>, StoreError> {
                let mut found = self
                    .tickets_where(
                        "WHERE t.channel_id = $1 ORDER BY t.id DESC LIMIT 1",
                        &[to_db_id(channel)],
                    )
                    .await?;
                Ok(found.pop())
            }

            async fn open_tickets(&self, guild: Snowflake) -> Result<Vec<Ticket>, StoreError> {
                self.tickets_where(
                    &format!(
                        "WHERE t.guild_id = $1 AND t.status IN {} ORDER BY t.id",
                        $crate::backend::OPEN_STATUSES_SQL
                    ),
                    &[to_db_id(guild)],
                )
                .await
            }

            async fn member_open_tickets(
                &self,
                guild: Snowflake,
                user: Snowflake,
            ) -> Result<Vec<Ticket>, StoreError> {
                self.tickets_where(
                    &format!(
                        "WHERE t.guild_id = $1 AND t.owner_id = $2 AND t.status IN {} \
                         ORDER BY t.id",
                        $crate::backend::OPEN_STATUSES_SQL
                    ),
                    &[to_db_id(guild), to_db_id(user)],
                )
                .await
            }

            async fn unwelcomed_tickets(
                &self,
                older_than: DateTime<Utc>,
            ) -> Result<Vec<Ticket>, StoreError> {
                ::sqlx::query(&ticket_sql(
                    "WHERE t.status IN ('open', 'need_help') AND t.channel_id IS NOT NULL \
                     AND t.created_at < $1 AND EXISTS (SELECT 1 FROM deliveries d \
                     WHERE d.ticket_id = t.id AND d.target = 'welcome' AND d.state = 'posting') \
                     ORDER BY t.id",
                ))
                .bind(bind_time(older_than))
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(ticket_from_row)
                .collect()
            }

            async fn stale_reservations(
                &self,
                older_than: DateTime<Utc>,
            ) -> Result<Vec<Ticket>, StoreError> {
                ::sqlx::query(&ticket_sql(
                    "WHERE t.status = 'opening' AND t.created_at < $1 ORDER BY t.id",
                ))
                .bind(bind_time(older_than))
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(ticket_from_row)
                .collect()
            }

            async fn tickets_with_channels(
                &self,
                guild: Option<Snowflake>,
            ) -> Result<Vec<Ticket>, StoreError> {
                match guild {
                    Some(guild) => {
                        self.tickets_where(
                            "WHERE t.channel_id IS NOT NULL AND t.status <> 'deleted' \
                             AND t.guild_id = $1 ORDER BY t.id",
                            &[to_db_id(guild)],
                        )
                        .await
                    }
                    None => {
                        self.tickets_where(
                            "WHERE t.channel_id IS NOT NULL AND t.status <> 'deleted' \
                             ORDER BY t.id",
                            &[],
                        )
                        .await
                    }
                }
            }

            async fn update_ticket(&self, ticket: &Ticket) -> Result<UpdateOutcome, StoreError> {
                let mut tx = self.begin_write().await?;
                // The row is locked before it is read, so `before` is what the update replaces
                // and the roll-ups move by exactly the difference.
                let Some(before) = ticket_for_update(&mut tx, ticket.id).await? else {
                    tx.rollback().await?;
                    return Err(StoreError::not_found(format!("ticket {}", ticket.id)));
                };
                if before.revision != ticket.revision {
                    tx.rollback().await?;
                    return Ok(UpdateOutcome::Stale(before));
                }
                let resolution_ms = $crate::rollup::resolution_ms(
                    before.created_at,
                    ticket.closed_at.map($crate::rows::to_millis),
                );
                let done = ::sqlx::query(
                    "UPDATE tickets SET status = $3, help_requested_at = $4, claimed_by = $5, \
                     claimed_at = $6, closed_at = $7, closed_by = $8, close_how = $9, \
                     close_reason = $10, deleted_at = $11, topic = $12, channel_id = $13, \
                     resolution_ms = $14, revision = revision + 1 \
                     WHERE id = $1 AND revision = $2",
                )
                .bind(ticket.id)
                .bind(ticket.revision)
                .bind(ticket.status.as_str())
                .bind(ticket.help_requested_at.map(bind_time))
                .bind(ticket.claimed_by.map(to_db_id))
                .bind(ticket.claimed_at.map(bind_time))
                .bind(ticket.closed_at.map(bind_time))
                .bind(ticket.closed_by.map(to_db_id))
                .bind(ticket.close_how.map(|how| how.as_str()))
                .bind(&ticket.close_reason)
                .bind(ticket.deleted_at.map(bind_time))
                .bind(&ticket.topic)
                .bind(ticket.channel_id.map(to_db_id))
                .bind(resolution_ms)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    let current = ticket_in(&mut *tx, ticket.id).await?;
                    tx.rollback().await?;
                    return match current {
                        Some(current) => Ok(UpdateOutcome::Stale(current)),
                        None => Err(StoreError::not_found(format!("ticket {}", ticket.id))),
                    };
                }
                ::sqlx::query("DELETE FROM ticket_members WHERE ticket_id = $1")
                    .bind(ticket.id)
                    .execute(&mut *tx)
                    .await?;
                for member in normalized_members(ticket) {
                    ::sqlx::query("INSERT INTO ticket_members (ticket_id, user_id) VALUES ($1, $2)")
                        .bind(ticket.id)
                        .bind(to_db_id(member))
                        .execute(&mut *tx)
                        .await?;
                }
                let updated = ticket_in(&mut *tx, ticket.id)
                    .await?
                    .ok_or_else(|| StoreError::not_found(format!("ticket {}", ticket.id)))?;
                record_ticket_change(&mut tx, Some(&before), Some(&updated)).await?;
                tx.commit().await?;
                Ok(UpdateOutcome::Updated(updated))
            }

            async fn schedule_job(&self, job: NewJob) -> Result<Job, StoreError> {
                let row = ::sqlx::query(
                    "INSERT INTO jobs (kind, ticket_id, due_at, attempts, created_at) \
                     VALUES ($1, $2, $3, 0, $4) RETURNING *",
                )
                .bind(serde_json::to_string(&job.kind)?)
                .bind(job.kind.ticket_id())
                .bind(bind_time(job.due_at))
                .bind(bind_time(Utc::now()))
                .fetch_one(&self.pool)
                .await?;
                job_from_row(&row)
            }

            async fn claim_due_jobs(
                &self,
                now: DateTime<Utc>,
                lease: ::std::time::Duration,
                limit: u32,
                worker: &str,
            ) -> Result<Vec<Job>, StoreError> {
                let lease = ::chrono::Duration::from_std(lease).map_err(|e| {
                    StoreError::with_source(ErrorKind::Conflict, e).detail("lease too long")
                })?;
                let mut tx = self.begin_write().await?;
                let sql = format!(
                    "UPDATE jobs SET leased_until = $2, leased_by = $3, attempts = attempts + 1 \
                     WHERE id IN (SELECT id FROM jobs \
                                  WHERE due_at <= $1 AND failed_at IS NULL \
                                  AND (leased_until IS NULL OR leased_until <= $1) \
                                  ORDER BY due_at, id LIMIT $4 {SKIP_LOCKED}) \
                     RETURNING *"
                );
                let rows = ::sqlx::query(&sql)
                    .bind(bind_time(now))
                    .bind(bind_time(now + lease))
                    .bind(worker)
                    .bind(i64::from(limit))
                    .fetch_all(&mut *tx)
                    .await?;
                let mut jobs = Vec::with_capacity(rows.len());
                for row in &rows {
                    match job_from_row(row) {
                        Ok(job) => jobs.push(job),
                        // A kind this version does not know (written by a newer process during
                        // a rolling upgrade) is handed back untouched for a process that does.
                        Err(err) if err.kind() == ErrorKind::Decode => {
                            ::sqlx::query(
                                "UPDATE jobs SET leased_until = NULL, leased_by = NULL, \
                                 attempts = attempts - 1 WHERE id = $1",
                            )
                            .bind(row.int("id")?)
                            .execute(&mut *tx)
                            .await?;
                        }
                        Err(err) => return Err(err),
                    }
                }
                tx.commit().await?;
                jobs.sort_by_key(|job| (job.due_at, job.id));
                Ok(jobs)
            }

            async fn complete_job(&self, id: i64) -> Result<bool, StoreError> {
                let done = ::sqlx::query("DELETE FROM jobs WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn retry_job(
                &self,
                id: i64,
                next_due: DateTime<Utc>,
                error: &str,
            ) -> Result<(), StoreError> {
                let done = ::sqlx::query(
                    "UPDATE jobs SET due_at = CASE WHEN due_at >= $4 THEN due_at ELSE $2 END, \
                     last_error = $3, leased_until = NULL, leased_by = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(bind_time(next_due))
                .bind(error)
                .bind(bind_time(PARKED_AT))
                .execute(&self.pool)
                .await?;
                job_changed(done.rows_affected(), id)
            }

            async fn renew_job_lease(
                &self,
                id: i64,
                worker: &str,
                until: DateTime<Utc>,
            ) -> Result<bool, StoreError> {
                let done = ::sqlx::query(
                    "UPDATE jobs SET leased_until = $3 \
                     WHERE id = $1 AND leased_by = $2 AND failed_at IS NULL",
                )
                .bind(id)
                .bind(worker)
                .bind(bind_time(until))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn fail_job(
                &self,
                id: i64,
                now: DateTime<Utc>,
                error: &str,
            ) -> Result<(), StoreError> {
                let done = ::sqlx::query(
                    "UPDATE jobs SET failed_at = $2, last_error = $3, \
                     leased_until = NULL, leased_by = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(bind_time(now))
                .bind(error)
                .execute(&self.pool)
                .await?;
                job_changed(done.rows_affected(), id)
            }

            async fn failed_jobs(&self) -> Result<Vec<Job>, StoreError> {
                ::sqlx::query("SELECT * FROM jobs WHERE failed_at IS NOT NULL ORDER BY failed_at, id")
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(job_from_row)
                    .collect()
            }

            async fn retry_failed_job(&self, id: i64, now: DateTime<Utc>) -> Result<bool, StoreError> {
                let done = ::sqlx::query(
                    "UPDATE jobs SET failed_at = NULL, attempts = 0, due_at = $2 \
                     WHERE id = $1 AND failed_at IS NOT NULL",
                )
                .bind(id)
                .bind(bind_time(now))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn mark_job_admins_told(&self, id: i64) -> Result<(), StoreError> {
                let done = ::sqlx::query("UPDATE jobs SET admins_told = 1 WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                job_changed(done.rows_affected(), id)
            }

            async fn park_guild_jobs(&self, guild_id: Snowflake) -> Result<u64, StoreError> {
                let done = ::sqlx::query(
                    "UPDATE jobs SET due_at = $2 WHERE due_at < $2 AND ticket_id IN \
                     (SELECT id FROM tickets WHERE guild_id = $1)",
                )
                .bind(to_db_id(guild_id))
                .bind(bind_time(PARKED_AT))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }

            async fn unpark_guild_jobs(
                &self,
                guild_id: Snowflake,
                now: DateTime<Utc>,
            ) -> Result<u64, StoreError> {
                let done = ::sqlx::query(
                    "UPDATE jobs SET due_at = $2 WHERE due_at >= $3 AND ticket_id IN \
                     (SELECT id FROM tickets WHERE guild_id = $1)",
                )
                .bind(to_db_id(guild_id))
                .bind(bind_time(now))
                .bind(bind_time(PARKED_AT))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }

            async fn pending_jobs_for_ticket(
                &self,
                ticket_id: i64,
            ) -> Result<Vec<Job>, StoreError> {
                ::sqlx::query("SELECT * FROM jobs WHERE ticket_id = $1 ORDER BY due_at, id")
                    .bind(ticket_id)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(job_from_row)
                    .collect()
            }

            async fn job(&self, id: i64) -> Result<Option<Job>, StoreError> {
                ::sqlx::query("SELECT * FROM jobs WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(job_from_row)
                    .transpose()
            }

            async fn save_transcript(&self, transcript: NewTranscript) -> Result<(), StoreError> {
                ::sqlx::query(
                    "INSERT INTO transcripts \
                     (ticket_id, format, data, message_count, created_at) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (ticket_id) DO UPDATE SET format = excluded.format, \
                     data = excluded.data, message_count = excluded.message_count, \
                     created_at = excluded.created_at",
                )
                .bind(transcript.ticket_id)
                .bind(transcript.format)
                .bind(transcript.data)
                .bind(transcript.message_count)
                .bind(bind_time(transcript.created_at))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn transcript(&self, ticket_id: i64) -> Result<Option<Transcript>, StoreError> {
                ::sqlx::query("SELECT * FROM transcripts WHERE ticket_id = $1")
                    .bind(ticket_id)
                    .fetch_optional(&self.pool)
                    .await?
                    .as_ref()
                    .map(transcript_from_row)
                    .transpose()
            }

            async fn revoke_transcript_links(
                &self,
                ticket_id: i64,
                by: Snowflake,
                at: DateTime<Utc>,
            ) -> Result<bool, StoreError> {
                let done = ::sqlx::query(
                    "INSERT INTO transcript_link_revocations (ticket_id, revoked_by, revoked_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (ticket_id) DO NOTHING",
                )
                .bind(ticket_id)
                .bind(to_db_id(by))
                .bind(bind_time(at))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn transcript_links_revoked(&self, ticket_id: i64) -> Result<bool, StoreError> {
                let row = ::sqlx::query(
                    "SELECT 1 AS one FROM transcript_link_revocations WHERE ticket_id = $1",
                )
                .bind(ticket_id)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.is_some())
            }

            async fn has_transcript(&self, ticket_id: i64) -> Result<bool, StoreError> {
                let row = ::sqlx::query("SELECT 1 AS hit FROM transcripts WHERE ticket_id = $1")
                    .bind(ticket_id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.is_some())
            }

            async fn record_message_created(
                &self,
                channel: Snowflake,
                message: &TicketMessage,
            ) -> Result<bool, StoreError> {
                let done = bind_message(::sqlx::query(&capture_sql("DO NOTHING")), channel, message)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn record_message_edited(
                &self,
                channel: Snowflake,
                message: &TicketMessage,
            ) -> Result<bool, StoreError> {
                // The original is the content before the first edit that changed it; an update
                // that only unfurls an embed changes no content and keeps none.
                let on_conflict = "DO UPDATE SET \
                     original_content = CASE \
                         WHEN ticket_messages.original_content IS NULL \
                              AND ticket_messages.content <> excluded.content \
                         THEN ticket_messages.content \
                         ELSE ticket_messages.original_content END, \
                     content = excluded.content, \
                     edited_at = COALESCE(excluded.edited_at, ticket_messages.edited_at), \
                     author_name = excluded.author_name, \
                     author_display = excluded.author_display, \
                     author_avatar = excluded.author_avatar, \
                     details = excluded.details";
                let done = bind_message(::sqlx::query(&capture_sql(on_conflict)), channel, message)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn record_messages_deleted(
                &self,
                channel: Snowflake,
                ids: &[Snowflake],
                at: DateTime<Utc>,
            ) -> Result<u64, StoreError> {
                let mut marked = 0;
                let mut tx = self.pool.begin().await?;
                for id in ids {
                    let done = ::sqlx::query(
                        "UPDATE ticket_messages SET deleted_at = $1 \
                         WHERE message_id = $2 AND deleted_at IS NULL AND ticket_id IN \
                         (SELECT id FROM tickets WHERE channel_id = $3)",
                    )
                    .bind(bind_time(at))
                    .bind(to_db_id(*id))
                    .bind(to_db_id(channel))
                    .execute(&mut *tx)
                    .await?;
                    marked += done.rows_affected();
                }
                tx.commit().await?;
                Ok(marked)
            }

            async fn fill_messages(
                &self,
                ticket_id: i64,
                messages: &[TicketMessage],
            ) -> Result<u64, StoreError> {
                let mut added = 0;
                let mut tx = self.pool.begin().await?;
                for message in messages {
                    let done = bind_message_values(
                        ::sqlx::query(
                            "INSERT INTO ticket_messages \
                             (ticket_id, message_id, author_id, author_name, author_display, \
                              author_avatar, author_bot, content, original_content, created_at, \
                              edited_at, deleted_at, from_history, details) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                             ON CONFLICT (ticket_id, message_id) DO NOTHING",
                        )
                        .bind(ticket_id),
                        message,
                    )
                    .execute(&mut *tx)
                    .await?;
                    added += done.rows_affected();
                }
                tx.commit().await?;
                Ok(added)
            }

            async fn ticket_messages(
                &self,
                ticket_id: i64,
            ) -> Result<Vec<TicketMessage>, StoreError> {
                // Snowflakes are stored as signed integers; every real one is positive, so the
                // signed order is the time order.
                ::sqlx::query(
                    "SELECT * FROM ticket_messages WHERE ticket_id = $1 ORDER BY message_id",
                )
                .bind(ticket_id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(ticket_message_from_row)
                .collect()
            }

            async fn last_message_until(
                &self,
                ticket_id: i64,
                until: Snowflake,
            ) -> Result<Option<Snowflake>, StoreError> {
                let row = ::sqlx::query(
                    "SELECT message_id FROM ticket_messages \
                     WHERE ticket_id = $1 AND message_id <= $2 \
                     ORDER BY message_id DESC LIMIT 1",
                )
                .bind(ticket_id)
                .bind(to_db_id(until))
                .fetch_optional(&self.pool)
                .await?;
                row.map(|r| r.snowflake("message_id")).transpose()
            }

            async fn add_capture_gap(
                &self,
                ticket_id: i64,
                gap: $crate::CaptureGap,
            ) -> Result<(), StoreError> {
                ::sqlx::query(
                    "INSERT INTO capture_gaps (ticket_id, after_id, until_id) VALUES ($1, $2, $3) \
                     ON CONFLICT (ticket_id, after_id) DO UPDATE \
                     SET until_id = CASE WHEN excluded.until_id > capture_gaps.until_id \
                         THEN excluded.until_id ELSE capture_gaps.until_id END",
                )
                .bind(ticket_id)
                .bind(to_db_id(gap.after_id))
                .bind(to_db_id(gap.until_id))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn capture_gaps(
                &self,
                ticket_id: i64,
            ) -> Result<Vec<$crate::CaptureGap>, StoreError> {
                ::sqlx::query(
                    "SELECT after_id, until_id FROM capture_gaps WHERE ticket_id = $1 \
                     ORDER BY after_id",
                )
                .bind(ticket_id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    Ok($crate::CaptureGap {
                        after_id: r.snowflake("after_id")?,
                        until_id: r.snowflake("until_id")?,
                    })
                })
                .collect()
            }

            async fn remove_capture_gap(
                &self,
                ticket_id: i64,
                gap: $crate::CaptureGap,
            ) -> Result<bool, StoreError> {
                // Only the gap as read: one widened meanwhile stays for the part not read.
                let done = ::sqlx::query(
                    "DELETE FROM capture_gaps \
                     WHERE ticket_id = $1 AND after_id = $2 AND until_id <= $3",
                )
                .bind(ticket_id)
                .bind(to_db_id(gap.after_id))
                .bind(to_db_id(gap.until_id))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn first_sighting(&self, interaction_id: Snowflake) -> Result<bool, StoreError> {
                let done = ::sqlx::query(
                    "INSERT INTO interaction_sightings (interaction_id, seen_at) VALUES ($1, $2) \
                     ON CONFLICT (interaction_id) DO NOTHING",
                )
                .bind(to_db_id(interaction_id))
                .bind(bind_time(Utc::now()))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn record_first_response(
                &self,
                ticket_id: i64,
                staff: Snowflake,
                at: DateTime<Utc>,
            ) -> Result<bool, StoreError> {
                let mut tx = self.begin_write().await?;
                let done = ::sqlx::query(
                    "INSERT INTO first_responses (ticket_id, staff_id, responded_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (ticket_id) DO NOTHING",
                )
                .bind(ticket_id)
                .bind(to_db_id(staff))
                .bind(bind_time(at))
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                let ticket = ticket_in(&mut *tx, ticket_id)
                    .await?
                    .ok_or_else(|| StoreError::not_found(format!("ticket {ticket_id}")))?;
                let counts = $crate::rollup::first_response_counts(
                    ticket.created_at,
                    staff,
                    $crate::rows::to_millis(at),
                );
                let day = $crate::rollup::day_of(ticket.created_at);
                add_counts(&mut tx, ticket.guild_id, day, &counts).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn first_response(
                &self,
                ticket_id: i64,
            ) -> Result<Option<(Snowflake, DateTime<Utc>)>, StoreError> {
                let mut conn = self.pool.acquire().await?;
                first_response_in(&mut conn, ticket_id).await
            }

            async fn ticket_stats(
                &self,
                guild: Snowflake,
                since: Option<DateTime<Utc>>,
            ) -> Result<TicketStats, StoreError> {
                use $crate::rollup::{self, Metric};
                let db_guild = to_db_id(guild);
                // Whole days after `since`'s day come from the roll-ups; the part of its own
                // day from `since` on is read from the tickets, counted by the same rules.
                let (first_full_day, partial) = match since {
                    None => (i64::MIN, None),
                    Some(since) => {
                        let day = rollup::day_of(since);
                        (day + 1, Some((since, rollup::day_start(day + 1))))
                    }
                };
                let mut counts = rollup::Counts::new();
                let rows = ::sqlx::query(
                    "SELECT metric, subject, CAST(SUM(value) AS BIGINT) AS value \
                     FROM stats_counts WHERE guild_id = $1 AND day >= $2 \
                     GROUP BY metric, subject",
                )
                .bind(db_guild)
                .bind(first_full_day)
                .fetch_all(&self.pool)
                .await?;
                for row in &rows {
                    // A metric written by a newer version is not this version's to show.
                    if let Some(metric) = Metric::parse(&row.text("metric")?) {
                        *counts.entry((metric, row.text("subject")?)).or_insert(0) +=
                            row.int("value")?;
                    }
                }
                if let Some((from, until)) = partial {
                    let window = "t.guild_id = $1 AND t.created_at >= $2 AND t.created_at < $3";
                    let tickets = ::sqlx::query(&ticket_sql(&format!("WHERE {window}")))
                        .bind(db_guild)
                        .bind(bind_time(from))
                        .bind(bind_time(until))
                        .fetch_all(&self.pool)
                        .await?;
                    for row in &tickets {
                        rollup::add_into(&mut counts, &rollup::ticket_counts(&ticket_from_row(row)?));
                    }
                    let responses = ::sqlx::query(&format!(
                        "SELECT t.created_at, f.staff_id, f.responded_at \
                         FROM first_responses f JOIN tickets t ON t.id = f.ticket_id \
                         WHERE {window}"
                    ))
                    .bind(db_guild)
                    .bind(bind_time(from))
                    .bind(bind_time(until))
                    .fetch_all(&self.pool)
                    .await?;
                    for row in &responses {
                        let counts_of_one = rollup::first_response_counts(
                            row.time("created_at")?,
                            row.snowflake("staff_id")?,
                            row.time("responded_at")?,
                        );
                        rollup::add_into(&mut counts, &counts_of_one);
                    }
                }

                let since = bind_time(since.unwrap_or(DateTime::<Utc>::UNIX_EPOCH));
                let members = ::sqlx::query(
                    "SELECT COUNT(*) AS n FROM stats_members \
                     WHERE guild_id = $1 AND last_created_at >= $2",
                )
                .bind(db_guild)
                .bind(since)
                .fetch_one(&self.pool)
                .await?
                .int("n")?;

                // The median is the middle value, or the mean of the middle two, read by walking
                // the resolution index to the middle: no backend needs a percentile function,
                // and nothing is sorted.
                let resolved = rollup::resolved(&counts);
                let median_secs = if resolved > 0 {
                    let middle = ::sqlx::query(
                        "SELECT resolution_ms FROM tickets \
                         WHERE guild_id = $1 AND resolution_ms IS NOT NULL AND created_at >= $2 \
                         ORDER BY resolution_ms LIMIT $3 OFFSET $4",
                    )
                    .bind(db_guild)
                    .bind(since)
                    .bind(if resolved % 2 == 0 { 2_i64 } else { 1 })
                    .bind((resolved - 1) / 2)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(|row| row.int("resolution_ms"))
                    .collect::<Result<Vec<_>, _>>()?;
                    let sum: i64 = middle.iter().sum();
                    (!middle.is_empty()).then(|| sum as f64 / middle.len() as f64 / 1000.0)
                } else {
                    None
                };
                Ok(rollup::stats_from_counts(
                    &counts,
                    u64::try_from(members).unwrap_or(0),
                    median_secs,
                ))
            }

            async fn rebuild_stats(&self) -> Result<(), StoreError> {
                self.build_stats(false).await
            }

            async fn close(&self) {
                self.pool.close().await;
            }

            async fn prune_sightings(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
                let done = ::sqlx::query("DELETE FROM interaction_sightings WHERE seen_at < $1")
                    .bind(bind_time(before))
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn begin_delivery(
                &self,
                ticket_id: i64,
                close_key: i64,
                target: $crate::DeliveryTarget,
                now: DateTime<Utc>,
            ) -> Result<$crate::DeliveryState, StoreError> {
                // A row only moves forward (posting, then posted), so reading it after the
                // insert needs no transaction.
                ::sqlx::query(
                    "INSERT INTO deliveries \
                     (ticket_id, close_key, target, state, message_id, updated_at) \
                     VALUES ($1, $2, $3, 'posting', NULL, $4) \
                     ON CONFLICT (ticket_id, close_key, target) DO NOTHING",
                )
                .bind(ticket_id)
                .bind(close_key)
                .bind(target.as_str())
                .bind(bind_time(now))
                .execute(&self.pool)
                .await?;
                let row = ::sqlx::query(
                    "SELECT state, message_id FROM deliveries \
                     WHERE ticket_id = $1 AND close_key = $2 AND target = $3",
                )
                .bind(ticket_id)
                .bind(close_key)
                .bind(target.as_str())
                .fetch_one(&self.pool)
                .await?;
                match row.text("state")?.as_str() {
                    "posted" => Ok($crate::DeliveryState::Posted {
                        message_id: row.opt_snowflake("message_id")?,
                    }),
                    _ => Ok($crate::DeliveryState::Posting),
                }
            }

            async fn finish_delivery(
                &self,
                ticket_id: i64,
                close_key: i64,
                target: $crate::DeliveryTarget,
                message_id: Option<Snowflake>,
                now: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                ::sqlx::query(
                    "INSERT INTO deliveries \
                     (ticket_id, close_key, target, state, message_id, updated_at) \
                     VALUES ($1, $2, $3, 'posted', $4, $5) \
                     ON CONFLICT (ticket_id, close_key, target) DO UPDATE \
                     SET state = 'posted', message_id = excluded.message_id, \
                         updated_at = excluded.updated_at",
                )
                .bind(ticket_id)
                .bind(close_key)
                .bind(target.as_str())
                .bind(message_id.map(to_db_id))
                .bind(bind_time(now))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn save_gateway_session(
                &self,
                session: &$crate::GatewaySession,
            ) -> Result<(), StoreError> {
                let sequence = i64::try_from(session.sequence).map_err(|_| {
                    StoreError::new(
                        ErrorKind::Database,
                        format!("sequence {} does not fit a BIGINT", session.sequence),
                    )
                })?;
                ::sqlx::query(
                    "INSERT INTO gateway_sessions \
                     (shard_id, shard_total, session_id, sequence, resume_url, saved_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (shard_id, shard_total) DO UPDATE \
                     SET session_id = excluded.session_id, sequence = excluded.sequence, \
                         resume_url = excluded.resume_url, saved_at = excluded.saved_at",
                )
                .bind(i64::from(session.shard_id))
                .bind(i64::from(session.shard_total))
                .bind(&session.session_id)
                .bind(sequence)
                .bind(session.resume_url.as_deref())
                .bind(bind_time(session.saved_at))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn take_gateway_session(
                &self,
                shard_id: u32,
                shard_total: u32,
                saved_after: DateTime<Utc>,
            ) -> Result<Option<$crate::GatewaySession>, StoreError> {
                // Deleting whatever is there, stale or not, in the statement that reads it: a
                // session is resumed by at most one process, and a stale one is of no use.
                let Some(row) = ::sqlx::query(
                    "DELETE FROM gateway_sessions WHERE shard_id = $1 AND shard_total = $2 \
                     RETURNING session_id, sequence, resume_url, saved_at",
                )
                .bind(i64::from(shard_id))
                .bind(i64::from(shard_total))
                .fetch_optional(&self.pool)
                .await?
                else {
                    return Ok(None);
                };
                let saved_at = row.time("saved_at")?;
                if saved_at <= saved_after {
                    return Ok(None);
                }
                let sequence = row.int("sequence")?;
                Ok(Some($crate::GatewaySession {
                    shard_id,
                    shard_total,
                    session_id: row.text("session_id")?,
                    sequence: u64::try_from(sequence).map_err(|_| {
                        StoreError::decode(format!("negative sequence {sequence}"))
                    })?,
                    resume_url: row.opt_text("resume_url")?,
                    saved_at,
                }))
            }
        }
    };
}
pub(crate) use impl_store;
