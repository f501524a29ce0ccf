//! Names shared between releases: row ids, labels and table titles.
//!
//! An archive repeats the same few hundred line items quarter after quarter ("Revenue",
//! "Total current assets"), so each text is kept once, however many releases name it; at ten
//! thousand releases this is about a third of the memory the loaded content takes.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use crate::finance::statement::Name;

/// Hands out one shared [`Name`] per distinct text. Releases load on several threads at once,
/// so the set is split in shards by hash, each behind its own lock, held only for a lookup.
pub struct Names {
    shards: Vec<Mutex<HashSet<Name>>>,
}

const SHARDS: usize = 16;

impl Default for Names {
    fn default() -> Self {
        Names {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

impl Names {
    pub fn get(&self, text: &str) -> Name {
        // FNV-1a picks the shard; the set itself hashes with its own keys.
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        let shard = &self.shards[(hash % SHARDS as u64) as usize];
        let mut set = shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(name) = set.get(text) {
            return name.clone();
        }
        let name: Name = Arc::from(text);
        set.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_name() {
        let names = Names::default();
        let a = names.get("Revenue");
        let b = names.get(&String::from("Revenue"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*names.get("Total revenue"), "Total revenue");
        assert!(!Arc::ptr_eq(&a, &names.get("Total revenue")));
    }
}
