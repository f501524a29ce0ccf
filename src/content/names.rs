//! Names and relations shared between releases: row ids, labels, and `equals` relations.
//!
//! An archive repeats the same few hundred line items quarter after quarter ("Revenue",
//! "Total current assets"), so each text is kept once per run of releases loaded together
//! ([`super::load_each`]) however many releases name it: at ten thousand releases, about a
//! third of the memory the loaded content takes. Their relations repeat too, and each distinct
//! one is parsed once per run.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use ahash::RandomState;

use crate::finance::relations::Relation;
use crate::finance::statement::Name;

/// Hands out one shared [`Name`] per distinct text, and one parsed [`Relation`].
///
/// Each run of releases loaded together has its own, so loading takes no lock: a name is then
/// kept once per run of releases rather than once per release.
///
/// The maps hash with aHash, not the standard SipHash: loading looks up every label, id and
/// relation of every table, and the texts are the site's own, not an attacker's.
#[derive(Default)]
pub struct Names {
    texts: HashSet<Name, RandomState>,
    relations: HashMap<Box<str>, Arc<Relation>, RandomState>,
}

impl Names {
    pub fn get(&mut self, text: &str) -> Name {
        if let Some(name) = self.texts.get(text) {
            return name.clone();
        }
        let name: Name = Arc::from(text);
        self.texts.insert(name.clone());
        name
    }

    /// The relation `text` states, parsed on its first use; errors are not kept.
    pub fn relation(&mut self, text: &str) -> Result<Arc<Relation>, String> {
        if let Some(relation) = self.relations.get(text) {
            return Ok(relation.clone());
        }
        let relation = Arc::new(text.parse::<Relation>()?);
        self.relations.insert(text.into(), relation.clone());
        Ok(relation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_name() {
        let mut names = Names::default();
        let a = names.get("Revenue");
        let b = names.get(&String::from("Revenue"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*names.get("Total revenue"), "Total revenue");
        assert!(!Arc::ptr_eq(&a, &names.get("Total revenue")));
    }

    #[test]
    fn equal_relations_are_parsed_once_and_errors_are_given_each_time() {
        let mut names = Names::default();
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
