-- A revision per server's settings, bumped by every write, so a change is written only over the
-- row it was decided on (compare-and-set): two admins changing different settings keep both.
ALTER TABLE guild_settings ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- Tickets whose transcript links an admin revoked: every link to the ticket's transcript answers
-- 404 from then on, however it was signed.
CREATE TABLE transcript_link_revocations (
    ticket_id  BIGINT      PRIMARY KEY,
    revoked_by BIGINT      NOT NULL,
    revoked_at TIMESTAMPTZ NOT NULL
);
