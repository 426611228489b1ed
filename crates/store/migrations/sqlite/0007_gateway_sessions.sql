-- Gateway sessions a process closed resumably at shutdown, so the next process can resume them
-- and get the events Discord dispatched in between instead of identifying afresh. One row per
-- shard (index and total: a session belongs to one sharding); the next process takes it, which
-- deletes it, so two processes never resume one session.
CREATE TABLE gateway_sessions (
    shard_id    INTEGER NOT NULL,
    shard_total INTEGER NOT NULL,
    session_id  TEXT    NOT NULL,
    sequence    INTEGER NOT NULL,
    resume_url  TEXT,
    saved_at    INTEGER NOT NULL,
    PRIMARY KEY (shard_id, shard_total)
);
