-- Live capture: every message of a ticket's channel as the gateway delivered it (created, edited,
-- deleted), so the transcript is built from the store and Discord's history is read only for
-- what the bot could not see. One row per message; an edit keeps the first content seen in
-- `original_content`, a deletion only sets `deleted_at` (the content stays, for staff).
-- `details` is JSON: embeds, components, attachments' metadata, reply, mentions.
CREATE TABLE ticket_messages (
    ticket_id        BIGINT      NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id       BIGINT      NOT NULL,
    author_id        BIGINT      NOT NULL,
    author_name      TEXT        NOT NULL,
    author_display   TEXT,
    author_avatar    TEXT,
    author_bot       BOOLEAN     NOT NULL,
    content          TEXT        NOT NULL,
    original_content TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    edited_at        TIMESTAMPTZ,
    deleted_at       TIMESTAMPTZ,
    from_history     BOOLEAN     NOT NULL,
    details          TEXT        NOT NULL,
    PRIMARY KEY (ticket_id, message_id)
);
-- Erasure and export of one member's messages.
CREATE INDEX ticket_messages_author ON ticket_messages (author_id);

-- Ranges of a ticket channel's messages the bot may not have seen (it identified afresh rather
-- than resumed): message ids greater than `after_id`, up to `until_id` (the channel's last
-- message when the bot came back). Read from Discord's history at close, then removed.
CREATE TABLE capture_gaps (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    after_id  BIGINT NOT NULL,
    until_id  BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, after_id)
);

-- Deliveries are per close, not per ticket: a ticket reopened and closed again gets a new
-- summary and DM. `close_key` is the close's time in Unix milliseconds (every close sets a new
-- `closed_at`); rows written before this migration belong to the ticket's latest close.
ALTER TABLE deliveries ADD COLUMN close_key BIGINT NOT NULL DEFAULT 0;
UPDATE deliveries d SET close_key = COALESCE(
    (SELECT (EXTRACT(EPOCH FROM t.closed_at) * 1000)::BIGINT FROM tickets t WHERE t.id = d.ticket_id),
    0);
ALTER TABLE deliveries ALTER COLUMN close_key DROP DEFAULT;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_pkey;
ALTER TABLE deliveries ADD PRIMARY KEY (ticket_id, close_key, target);
