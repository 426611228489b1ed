-- What a closed ticket has delivered: the closure summary in the log channel and the transcript
-- DM to the owner, so a capture that runs again (a lease that expired mid-work, a crash before
-- the job was completed) does not send them twice. 'posting' is written before the message is
-- sent and 'posted' after, so a row left in 'posting' means the message may exist already.
CREATE TABLE deliveries (
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    target     TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('posting', 'posted')),
    message_id INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, target)
);
