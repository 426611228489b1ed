-- The first message a staff member wrote in each ticket, for "first staff response time".
-- One row per ticket: the first writer wins (INSERT … ON CONFLICT DO NOTHING).
CREATE TABLE first_responses (
    ticket_id    BIGINT      PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    staff_id     BIGINT      NOT NULL,
    responded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX first_responses_staff ON first_responses (staff_id);
