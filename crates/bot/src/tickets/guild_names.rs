//! Server names as GUILD_CREATE reported them, so the DM sent on opening a ticket can name the
//! server without a REST call. A cache only: a missing name is fetched, a stale one is harmless.

use std::{collections::HashMap, sync::RwLock};

use ticketbooth_core::Snowflake;

/// Names of the servers this process has seen, by id.
#[derive(Debug, Default)]
pub struct GuildNames(RwLock<HashMap<Snowflake, String>>);

impl GuildNames {
    /// Records a server's name.
    pub fn remember(&self, guild_id: Snowflake, name: &str) {
        let mut names = self.0.write().unwrap_or_else(|e| e.into_inner());
        names.insert(guild_id, name.to_owned());
    }

    /// A server's name, if seen.
    pub fn get(&self, guild_id: Snowflake) -> Option<String> {
        let names = self.0.read().unwrap_or_else(|e| e.into_inner());
        names.get(&guild_id).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::GuildNames;

    #[test]
    fn names_are_remembered_and_replaced() {
        let names = GuildNames::default();
        assert_eq!(names.get(1), None);
        names.remember(1, "Support");
        names.remember(2, "Other");
        names.remember(1, "Renamed");
        assert_eq!(names.get(1).as_deref(), Some("Renamed"));
        assert_eq!(names.get(2).as_deref(), Some("Other"));
    }
}
