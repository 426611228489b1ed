-- Statistics select a guild's tickets by creation time; keep that fast on a large archive.
CREATE INDEX tickets_guild_created ON tickets (guild_id, created_at);
