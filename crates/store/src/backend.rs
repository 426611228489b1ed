//! The `Store` implementation shared by both backends, written once as a macro.
//!
//! SQLite accepts PostgreSQL's `$N` placeholders, so nearly every statement is the same text on
//! both. What differs is supplied by the backend module that expands [`impl_store!`]:
//! - `type Db`: the sqlx database;
//! - `fn bind_time(DateTime<Utc>) -> impl Encode`: how a time is written;
//! - `const MEMBERS_AGG`: a scalar subquery giving ticket `t`'s member ids comma-separated;
//! - `const SKIP_LOCKED`: the locking clause for leasing jobs;
//! - `const SIZE_SQL`: a query returning the database size as column `size`;
//! - `const RESOLUTION_MS_SQL`: a closed ticket's `closed_at - created_at` in milliseconds;
//! - `const FIRST_RESPONSE_MS_SQL`: `f.responded_at - t.created_at` in milliseconds;
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

        impl $store {
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
                Ok(())
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
                ::sqlx::query(
                    "INSERT INTO guild_settings (guild_id, data, updated_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (guild_id) DO UPDATE \
                     SET data = excluded.data, updated_at = excluded.updated_at",
                )
                .bind(to_db_id(settings.guild_id))
                .bind(settings_to_json(settings)?)
                .bind(bind_time(Utc::now()))
                .execute(&self.pool)
                .await?;
                Ok(())
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
                tx.commit().await?;
                Ok(Reservation::Reserved(ticket))
            }

            async fn attach_channel(
                &self,
                ticket_id: i64,
                channel_id: Snowflake,
            ) -> Result<Ticket, StoreError> {
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
                let done =
                    ::sqlx::query("DELETE FROM tickets WHERE id = $1 AND status = 'opening'")
                        .bind(ticket_id)
                        .execute(&self.pool)
                        .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn ticket(&self, id: i64) -> Result<Option<Ticket>, StoreError> {
                ticket_in(&self.pool, id).await
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
                let done = ::sqlx::query(
                    "UPDATE tickets SET status = $3, help_requested_at = $4, claimed_by = $5, \
                     claimed_at = $6, closed_at = $7, closed_by = $8, close_how = $9, \
                     close_reason = $10, deleted_at = $11, topic = $12, channel_id = $13, \
                     revision = revision + 1 \
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
                                  WHERE due_at <= $1 \
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
                    "UPDATE jobs SET due_at = $2, last_error = $3, leased_until = NULL, \
                     leased_by = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(bind_time(next_due))
                .bind(error)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::not_found(format!("job {id}")));
                }
                Ok(())
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

            async fn has_transcript(&self, ticket_id: i64) -> Result<bool, StoreError> {
                let row = ::sqlx::query("SELECT 1 AS hit FROM transcripts WHERE ticket_id = $1")
                    .bind(ticket_id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.is_some())
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
                let done = ::sqlx::query(
                    "INSERT INTO first_responses (ticket_id, staff_id, responded_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (ticket_id) DO NOTHING",
                )
                .bind(ticket_id)
                .bind(to_db_id(staff))
                .bind(bind_time(at))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn first_response(
                &self,
                ticket_id: i64,
            ) -> Result<Option<(Snowflake, DateTime<Utc>)>, StoreError> {
                let row = ::sqlx::query(
                    "SELECT staff_id, responded_at FROM first_responses WHERE ticket_id = $1",
                )
                .bind(ticket_id)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    Some(row) => Ok(Some((
                        row.snowflake("staff_id")?,
                        row.time("responded_at")?,
                    ))),
                    None => Ok(None),
                }
            }

            async fn ticket_stats(
                &self,
                guild: Snowflake,
                since: Option<DateTime<Utc>>,
            ) -> Result<TicketStats, StoreError> {
                let guild = to_db_id(guild);
                let since = bind_time(since.unwrap_or(DateTime::<Utc>::UNIX_EPOCH));
                let window = "guild_id = $1 AND created_at >= $2";
                let count = |value: i64| u64::try_from(value).unwrap_or(0);

                let totals = ::sqlx::query(&format!(
                    "SELECT COUNT(*) AS created, COUNT(DISTINCT owner_id) AS members, \
                     COALESCE(SUM(CASE WHEN status IN {} THEN 1 ELSE 0 END), 0) AS open \
                     FROM tickets WHERE {window}",
                    $crate::backend::OPEN_STATUSES_SQL
                ))
                .bind(guild)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;

                let mut closed_by: Vec<(CloseHow, u64)> =
                    CloseHow::ALL.iter().map(|how| (*how, 0)).collect();
                let rows = ::sqlx::query(&format!(
                    "SELECT close_how, COUNT(*) AS n FROM tickets \
                     WHERE {window} AND close_how IS NOT NULL GROUP BY close_how"
                ))
                .bind(guild)
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                for row in &rows {
                    let how = row.text("close_how")?;
                    let how = CloseHow::parse(&how)
                        .ok_or_else(|| StoreError::decode(format!("unknown close_how {how:?}")))?;
                    if let Some(slot) = closed_by.iter_mut().find(|(h, _)| *h == how) {
                        slot.1 = count(row.int("n")?);
                    }
                }

                let resolved = format!("{window} AND closed_at IS NOT NULL");
                let summary = ::sqlx::query(&format!(
                    "SELECT COUNT(*) AS n, \
                     CAST(AVG({RESOLUTION_MS_SQL}) AS DOUBLE PRECISION) AS mean_ms \
                     FROM tickets WHERE {resolved}"
                ))
                .bind(guild)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
                let resolved_count = summary.int("n")?;
                // The median is the middle value, or the mean of the middle two, found by offset
                // so that no backend needs a percentile function.
                let resolution_median_secs = if resolved_count > 0 {
                    let middle = ::sqlx::query(&format!(
                        "SELECT {RESOLUTION_MS_SQL} AS ms FROM tickets WHERE {resolved} \
                         ORDER BY ms LIMIT $3 OFFSET $4"
                    ))
                    .bind(guild)
                    .bind(since)
                    .bind(if resolved_count % 2 == 0 { 2_i64 } else { 1 })
                    .bind((resolved_count - 1) / 2)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(|row| row.int("ms"))
                    .collect::<Result<Vec<_>, _>>()?;
                    let sum: i64 = middle.iter().sum();
                    (!middle.is_empty()).then(|| sum as f64 / middle.len() as f64 / 1000.0)
                } else {
                    None
                };

                let top_topic = ::sqlx::query(&format!(
                    "SELECT topic, COUNT(*) AS n FROM tickets \
                     WHERE {window} AND topic IS NOT NULL \
                     GROUP BY topic ORDER BY n DESC, topic LIMIT 1"
                ))
                .bind(guild)
                .bind(since)
                .fetch_optional(&self.pool)
                .await?
                .map(|row| Ok::<_, StoreError>((row.text("topic")?, count(row.int("n")?))))
                .transpose()?;

                let first_response = ::sqlx::query(&format!(
                    "SELECT CAST(AVG({FIRST_RESPONSE_MS_SQL}) AS DOUBLE PRECISION) AS mean_ms \
                     FROM first_responses f JOIN tickets t ON t.id = f.ticket_id \
                     WHERE t.guild_id = $1 AND t.created_at >= $2"
                ))
                .bind(guild)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;

                let mut staff: Vec<StaffActivity> = Vec::new();
                let activity = ::sqlx::query(&format!(
                    "SELECT claimed_by AS user_id, COUNT(*) AS claims, 0 AS closes, \
                     0 AS responses FROM tickets \
                     WHERE {window} AND claimed_by IS NOT NULL GROUP BY claimed_by \
                     UNION ALL \
                     SELECT closed_by AS user_id, 0 AS claims, COUNT(*) AS closes, \
                     0 AS responses FROM tickets \
                     WHERE {window} AND closed_by IS NOT NULL \
                     AND close_how IN ('staff', 'need_help_then_staff', 'close_all') \
                     GROUP BY closed_by \
                     UNION ALL \
                     SELECT f.staff_id AS user_id, 0 AS claims, 0 AS closes, \
                     COUNT(*) AS responses \
                     FROM first_responses f JOIN tickets t ON t.id = f.ticket_id \
                     WHERE t.guild_id = $1 AND t.created_at >= $2 GROUP BY f.staff_id"
                ))
                .bind(guild)
                .bind(since)
                .fetch_all(&self.pool)
                .await?;
                for row in &activity {
                    let user_id = row.snowflake("user_id")?;
                    let (claims, closes) = (count(row.int("claims")?), count(row.int("closes")?));
                    let first_responses = count(row.int("responses")?);
                    match staff.iter_mut().find(|s| s.user_id == user_id) {
                        Some(entry) => {
                            entry.claims += claims;
                            entry.closes += closes;
                            entry.first_responses += first_responses;
                        }
                        None => staff.push(StaffActivity {
                            user_id,
                            claims,
                            closes,
                            first_responses,
                        }),
                    }
                }
                staff.sort_by_key(|s| {
                    (
                        ::std::cmp::Reverse(s.claims + s.closes + s.first_responses),
                        s.user_id,
                    )
                });

                Ok(TicketStats {
                    created: count(totals.int("created")?),
                    open: count(totals.int("open")?),
                    closed_by,
                    resolution_mean_secs: summary.opt_float("mean_ms")?.map(|ms| ms / 1000.0),
                    resolution_median_secs,
                    first_response_mean_secs: first_response
                        .opt_float("mean_ms")?
                        .map(|ms| ms / 1000.0),
                    members: count(totals.int("members")?),
                    top_topic,
                    staff,
                })
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
        }
    };
}
pub(crate) use impl_store;
