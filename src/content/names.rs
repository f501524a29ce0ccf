//! Names shared between releases: row ids, labels and table titles.
//!
//! An archive repeats the same few hundred line items quarter after quarter ("Revenue",
//! "Total current assets"), so each text is kept once, however many releases name it; at ten
//! thousand releases this is about a third of the memory the loaded content takes.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};

use crate::finance::statement::Name;

/// Hands out one shared [`Name`] per distinct text. Releases load on several threads at once,
/// so the set is split in shards by hash, each behind its own lock, held only for a lookup.
pub struct Names {
    shards: Vec<Mutex<HashSet<Name>>>,
    /// Picks a text's shard.
    hasher: RandomState,
}

const SHARDS: usize = 16;

impl Default for Names {
    fn default() -> Self {
        Names {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            hasher: RandomState::new(),
        }
    }
}

impl Names {
    pub fn get(&self, text: &str) -> Name {
        let shard = &self.shards[(self.hasher.hash_one(text) % SHARDS as u64) as usize];
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
