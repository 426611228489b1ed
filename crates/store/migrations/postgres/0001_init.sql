-- Ticketbooth's first schema on PostgreSQL.
-- Snowflakes are BIGINT (64-bit signed, the u64 bit pattern); times are TIMESTAMPTZ, kept to the
-- millisecond.

CREATE TABLE guild_settings (
    guild_id   BIGINT  PRIMARY KEY,
    -- GuildSettings as JSON, read back over the defaults so fields added later need no migration.
    data       TEXT    NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE blacklist (
    guild_id   BIGINT  NOT NULL,
    user_id    BIGINT  NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE panels (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id    BIGINT  NOT NULL,
    channel_id  BIGINT  NOT NULL,
    message_id  BIGINT  NOT NULL, -- 0 while the panel is being posted
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    footer      TEXT    NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX panels_guild ON panels (guild_id);
CREATE INDEX panels_message ON panels (message_id);

CREATE TABLE topics (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id    BIGINT  NOT NULL,
    name        TEXT    NOT NULL,
    -- The name lower-cased by the application (Unicode-aware, same on both backends).
    name_key    TEXT    NOT NULL,
    description TEXT,
    emoji       TEXT,
    category_id BIGINT,
    UNIQUE (guild_id, name_key)
);

CREATE TABLE ticket_counters (
    guild_id    BIGINT  PRIMARY KEY,
    last_number BIGINT  NOT NULL
);

CREATE TABLE tickets (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id          BIGINT  NOT NULL,
    number            BIGINT  NOT NULL,
    name              TEXT    NOT NULL,
    channel_id        BIGINT,
    owner_id          BIGINT  NOT NULL,
    topic             TEXT,
    status            TEXT    NOT NULL,
    help_requested_at TIMESTAMPTZ,
    claimed_by        BIGINT,
    claimed_at        TIMESTAMPTZ,
    created_at        TIMESTAMPTZ  NOT NULL,
    closed_at         TIMESTAMPTZ,
    closed_by         BIGINT,
    close_how         TEXT,
    close_reason      TEXT,
    deleted_at        TIMESTAMPTZ,
    revision          BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (guild_id, number)
);
CREATE INDEX tickets_guild_status ON tickets (guild_id, status);
CREATE INDEX tickets_owner_status ON tickets (guild_id, owner_id, status);
CREATE INDEX tickets_channel ON tickets (channel_id) WHERE channel_id IS NOT NULL;
CREATE INDEX tickets_opening ON tickets (created_at) WHERE status = 'opening';

CREATE TABLE ticket_members (
    ticket_id BIGINT  NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id   BIGINT  NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);

CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- JobKind as JSON; ticket_id is copied out of it so a ticket's pending jobs can be found.
    kind         TEXT    NOT NULL,
    ticket_id    BIGINT,
    due_at       TIMESTAMPTZ  NOT NULL,
    leased_until TIMESTAMPTZ,
    leased_by    TEXT,
    attempts     BIGINT  NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   TIMESTAMPTZ  NOT NULL
);
CREATE INDEX jobs_due ON jobs (due_at);
CREATE INDEX jobs_ticket ON jobs (ticket_id) WHERE ticket_id IS NOT NULL;

CREATE TABLE transcripts (
    ticket_id     BIGINT  PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    format        TEXT    NOT NULL,
    data          BYTEA   NOT NULL,
    message_count BIGINT  NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL
);

CREATE TABLE interaction_sightings (
    interaction_id BIGINT  PRIMARY KEY,
    seen_at        TIMESTAMPTZ  NOT NULL
);
CREATE INDEX interaction_sightings_seen ON interaction_sightings (seen_at);
