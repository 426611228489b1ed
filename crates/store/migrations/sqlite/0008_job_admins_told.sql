-- Whether a job's server admins were told why Discord refuses it (a missing permission), so the
-- note is posted once however long the job keeps retrying.
ALTER TABLE jobs ADD COLUMN admins_told INTEGER NOT NULL DEFAULT 0;
