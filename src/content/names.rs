//! Names and relations shared between releases: row ids, labels, and `equals` relations.
//!
//! An archive repeats the same few hundred line items quarter after quarter ("Revenue",
//! "Total current assets"), so each text is kept once, however many releases name it; at ten
//! thousand releases this is about a third of the memory the loaded content takes. Their
//! relations repeat too, and each distinct one is parsed once.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::finance::relations::Relation;
use crate::finance::statement::Name;

/// Hands out one shared [`Name`] per distinct text, and one parsed [`Relation`].
#[derive(Default)]
pub struct Names {
    texts: Shards<HashSet<Name>>,
    relations: Shards<HashMap<Box<str>, Arc<Relation>>>,
}

/// Releases load on several threads at once, so a set is split in shards by hash, each behind
/// its own lock, held only for a lookup.
struct Shards<S> {
    shards: Vec<Mutex<S>>,
    /// Picks a text's shard.
    hasher: RandomState,
}

const SHARDS: usize = 16;

impl<S: Default> Default for Shards<S> {
    fn default() -> Self {
        Shards {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            hasher: RandomState::new(),
        }
    }
}

impl<S> Shards<S> {
    fn lock(&self, text: &str) -> MutexGuard<'_, S> {
        let shard = &self.shards[(self.hasher.hash_one(text) % SHARDS as u64) as usize];
        shard.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Names {
    pub fn get(&self, text: &str) -> Name {
        let mut set = self.texts.lock(text);
        if let Some(name) = set.get(text) {
            return name.clone();
        }
        let name: Name = Arc::from(text);
        set.insert(name.clone());
        name
    }

    /// The relation `text` states, parsed on its first use; errors are not kept.
    pub fn relation(&self, text: &str) -> Result<Arc<Relation>, String> {
        if let Some(relation) = self.relations.lock(text).get(text) {
            return Ok(relation.clone());
        }
        // Parsed outside the lock: another thread may parse the same text meanwhile, and the
        // first to finish is kept.
        let relation = Arc::new(text.parse::<Relation>()?);
        let mut relations = self.relations.lock(text);
        Ok(relations.entry(text.into()).or_insert(relation).clone())
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

    #[test]
    fn equal_relations_are_parsed_once_and_errors_are_given_each_time() {
        let names = Names::default();
        let a = names.relation("2005-Q1: revenue - costs").unwrap();
        let b = names.relation("2005-Q1: revenue - costs").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(*a, "2005-Q1: revenue - costs".parse::<Relation>().unwrap());
        assert!(!Arc::ptr_eq(
            &a,
            &names.relation("revenue - costs").unwrap()
        ));
        for _ in 0..2 {
            let err = names.relation("revenue -").unwrap_err();
            assert_eq!(err, "revenue -".parse::<Relation>().unwrap_err());
        }
    }
}
