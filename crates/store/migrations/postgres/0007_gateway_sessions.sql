-- Gateway sessions a process closed resumably at shutdown, so the next process can resume them
-- and get the events Discord dispatched in between instead of identifying afresh. One row per
-- shard (index and total: a session belongs to one sharding); the next process takes it, which
-- deletes it, so two processes never resume one session.
CREATE TABLE gateway_sessions (
    shard_id    BIGINT      NOT NULL,
    shard_total BIGINT      NOT NULL,
    session_id  TEXT        NOT NULL,
    sequence    BIGINT      NOT NULL,
    resume_url  TEXT,
    saved_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (shard_id, shard_total)
);
