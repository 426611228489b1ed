-- Live capture: every message of a ticket's channel as the gateway delivered it (created, edited,
-- deleted), so the transcript is built from the store and Discord's history is read only for
-- what the bot could not see. One row per message; an edit keeps the first content seen in
-- `original_content`, a deletion only sets `deleted_at` (the content stays, for staff).
-- `details` is JSON: embeds, components, attachments' metadata, reply, mentions.
CREATE TABLE ticket_messages (
    ticket_id        INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id       INTEGER NOT NULL,
    author_id        INTEGER NOT NULL,
    author_name      TEXT    NOT NULL,
    author_display   TEXT,
    author_avatar    TEXT,
    author_bot       BOOLEAN NOT NULL,
    content          TEXT    NOT NULL,
    original_content TEXT,
    created_at       INTEGER NOT NULL,
    edited_at        INTEGER,
    deleted_at       INTEGER,
    from_history     BOOLEAN NOT NULL,
    details          TEXT    NOT NULL,
    PRIMARY KEY (ticket_id, message_id)
);
-- Erasure and export of one member's messages.
CREATE INDEX ticket_messages_author ON ticket_messages (author_id);

-- Ranges of a ticket channel's messages the bot may not have seen (it identified afresh rather
-- than resumed): message ids greater than `after_id`, up to `until_id` (the channel's last
-- message when the bot came back). Read from Discord's history at close, then removed.
CREATE TABLE capture_gaps (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    after_id  INTEGER NOT NULL,
    until_id  INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, after_id)
);

-- Deliveries are per close, not per ticket: a ticket reopened and closed again gets a new
-- summary and DM. `close_key` is the close's time in Unix milliseconds (every close sets a new
-- `closed_at`); rows written before this migration belong to the ticket's latest close.
CREATE TABLE deliveries_per_close (
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    close_key  INTEGER NOT NULL,
    target     TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('posting', 'posted')),
    message_id INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, close_key, target)
);
INSERT INTO deliveries_per_close (ticket_id, close_key, target, state, message_id, updated_at)
SELECT d.ticket_id, COALESCE(t.closed_at, 0), d.target, d.state, d.message_id, d.updated_at
FROM deliveries d JOIN tickets t ON t.id = d.ticket_id;
DROP TABLE deliveries;
ALTER TABLE deliveries_per_close RENAME TO deliveries;
