-- A job that kept failing for its whole budget of attempts is kept as failed (never leased
-- again) until an operator retries it with `ticketbooth jobs retry ID`.
ALTER TABLE jobs ADD COLUMN failed_at INTEGER;
