-- The first message a staff member wrote in each ticket, for "first staff response time".
-- One row per ticket: the first writer wins (INSERT … ON CONFLICT DO NOTHING).
CREATE TABLE first_responses (
    ticket_id    INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    staff_id     INTEGER NOT NULL,
    responded_at INTEGER NOT NULL
);
CREATE INDEX first_responses_staff ON first_responses (staff_id);
