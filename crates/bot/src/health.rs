//! Readiness: which gateway shards are connected, for `/healthz`.

use std::sync::Mutex;

/// The connection state of this process's shards.
#[derive(Debug, Default)]
pub struct Health {
    shards: Mutex<Vec<(u32, bool)>>,
}

impl Health {
    /// Starts tracking the given shards, all disconnected.
    pub fn track(&self, shard_ids: impl IntoIterator<Item = u32>) {
        let mut shards = self.shards.lock().expect("health lock");
        *shards = shard_ids.into_iter().map(|id| (id, false)).collect();
    }

    /// Records that a shard became ready (READY or RESUMED) or lost its connection.
    pub fn set_connected(&self, shard: u32, connected: bool) {
        let mut shards = self.shards.lock().expect("health lock");
        if let Some(entry) = shards.iter_mut().find(|(id, _)| *id == shard) {
            entry.1 = connected;
        }
    }

    /// `(connected, total)` shards.
    pub fn shards(&self) -> (usize, usize) {
        let shards = self.shards.lock().expect("health lock");
        (shards.iter().filter(|(_, up)| *up).count(), shards.len())
    }

    /// Ready once every tracked shard is connected (and at least one is tracked).
    pub fn gateway_ready(&self) -> bool {
        let (up, total) = self.shards();
        total > 0 && up == total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_only_when_every_shard_is_up() {
        let health = Health::default();
        assert!(!health.gateway_ready());
        health.track([0, 1]);
        health.set_connected(0, true);
        assert!(!health.gateway_ready());
        health.set_connected(1, true);
        assert!(health.gateway_ready());
        health.set_connected(0, false);
        assert_eq!(health.shards(), (1, 2));
        assert!(!health.gateway_ready());
    }
}
