-- Ticketbooth's first schema on SQLite.
-- Snowflakes are INTEGER (64-bit signed, the u64 bit pattern); times are INTEGER milliseconds since
-- the Unix epoch, UTC.

CREATE TABLE guild_settings (
    guild_id   INTEGER PRIMARY KEY,
    -- GuildSettings as JSON, read back over the defaults so fields added later need no migration.
    data       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE blacklist (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE panels (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    message_id  INTEGER NOT NULL, -- 0 while the panel is being posted
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    footer      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX panels_guild ON panels (guild_id);
CREATE INDEX panels_message ON panels (message_id);

CREATE TABLE topics (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id    INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    -- The name lower-cased by the application (Unicode-aware, same on both backends).
    name_key    TEXT    NOT NULL,
    description TEXT,
    emoji       TEXT,
    category_id INTEGER,
    UNIQUE (guild_id, name_key)
);

CREATE TABLE ticket_counters (
    guild_id    INTEGER PRIMARY KEY,
    last_number INTEGER NOT NULL
);

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id          INTEGER NOT NULL,
    number            INTEGER NOT NULL,
    name              TEXT    NOT NULL,
    channel_id        INTEGER,
    owner_id          INTEGER NOT NULL,
    topic             TEXT,
    status            TEXT    NOT NULL,
    help_requested_at INTEGER,
    claimed_by        INTEGER,
    claimed_at        INTEGER,
    created_at        INTEGER NOT NULL,
    closed_at         INTEGER,
    closed_by         INTEGER,
    close_how         TEXT,
    close_reason      TEXT,
    deleted_at        INTEGER,
    revision          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (guild_id, number)
);
CREATE INDEX tickets_guild_status ON tickets (guild_id, status);
CREATE INDEX tickets_owner_status ON tickets (guild_id, owner_id, status);
CREATE INDEX tickets_channel ON tickets (channel_id) WHERE channel_id IS NOT NULL;
CREATE INDEX tickets_opening ON tickets (created_at) WHERE status = 'opening';

CREATE TABLE ticket_members (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    -- JobKind as JSON; ticket_id is copied out of it so a ticket's pending jobs can be found.
    kind         TEXT    NOT NULL,
    ticket_id    INTEGER,
    due_at       INTEGER NOT NULL,
    leased_until INTEGER,
    leased_by    TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs (due_at);
CREATE INDEX jobs_ticket ON jobs (ticket_id) WHERE ticket_id IS NOT NULL;

CREATE TABLE transcripts (
    ticket_id     INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    format        TEXT    NOT NULL,
    data          BLOB    NOT NULL,
    message_count INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE interaction_sightings (
    interaction_id INTEGER PRIMARY KEY,
    seen_at        INTEGER NOT NULL
);
CREATE INDEX interaction_sightings_seen ON interaction_sightings (seen_at);
