-- Statistics roll-ups: each server's totals per day of ticket creation, kept exact by every
-- ticket write in the same transaction (see src/rollup.rs), so /stats sums a few rows per day
-- instead of reading every ticket. `metric` and `subject` name the counter (for example
-- 'closed' / 'it_works', or 'claims' / a staff member's id); `value` is its total.
CREATE TABLE stats_counts (
    guild_id INTEGER NOT NULL,
    day      INTEGER NOT NULL, -- whole UTC days since the Unix epoch
    metric   TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    value    INTEGER NOT NULL,
    PRIMARY KEY (guild_id, day, metric, subject)
) WITHOUT ROWID;

-- Each member's latest ticket: the members who opened a ticket since T are those whose latest
-- ticket is at or after T, one index range instead of a DISTINCT over every ticket.
CREATE TABLE stats_members (
    guild_id        INTEGER NOT NULL,
    owner_id        INTEGER NOT NULL,
    last_created_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, owner_id)
) WITHOUT ROWID;
CREATE INDEX stats_members_recent ON stats_members (guild_id, last_created_at);

-- The median resolution time is read by walking this index to the middle.
ALTER TABLE tickets ADD COLUMN resolution_ms INTEGER;
UPDATE tickets SET resolution_ms = closed_at - created_at WHERE closed_at IS NOT NULL;
CREATE INDEX tickets_resolution ON tickets (guild_id, resolution_ms, created_at)
    WHERE resolution_ms IS NOT NULL;

-- Whether the roll-ups have been built from the tickets already stored (done once by the store
-- after this migration, in Rust, with the same counting rules as every later write).
CREATE TABLE stats_state (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    built INTEGER NOT NULL
);
INSERT INTO stats_state (id, built) VALUES (1, 0);

-- Only a window's first, partial day is read from the tickets themselves now: the wide covering
-- index of 0004 is no longer worth its writes.
DROP INDEX tickets_stats;
CREATE INDEX tickets_guild_created ON tickets (guild_id, created_at);
