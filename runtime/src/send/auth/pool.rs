//! The client's credentials: usually one; several when an organization spreads its load over
//! more than one OAuth client (each token has its own rate limit). Several are used in turn,
//! each with its own token cache and its own rate budget.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::TokenCache;
use crate::budget::RateBudget;

/// One credential of the client, and its share of the server's rate limit.
pub(crate) struct Member {
    /// `None`: requests carry no `Authorization` header.
    pub(crate) auth: Option<TokenCache>,
    /// What this credential may still send, and when.
    pub(crate) budget: Arc<dyn RateBudget>,
}

/// The client's credentials, never empty.
pub(crate) struct Pool {
    first: Member,
    more: Box<[Member]>,
    /// The next in turn, when there are several.
    turn: AtomicUsize,
}

impl Pool {
    pub(crate) fn new(first: Member, more: Vec<Member>) -> Pool {
        Pool {
            first,
            more: more.into_boxed_slice(),
            turn: AtomicUsize::new(0),
        }
    }

    /// How many credentials there are.
    pub(crate) fn len(&self) -> usize {
        1 + self.more.len()
    }

    /// Credential number `index` (from 0, in the order they were given; the first for an
    /// index out of range).
    pub(crate) fn get(&self, index: usize) -> &Member {
        match index.checked_sub(1) {
            Some(i) => self.more.get(i).unwrap_or(&self.first),
            None => &self.first,
        }
    }

    /// Every credential, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Member> {
        std::iter::once(&self.first).chain(self.more.iter())
    }

    /// The credential for the next attempt: with one, that one (at no cost); with several,
    /// the next in turn, or, when a `429`'s `Retry-After` holds its calls, the next one in
    /// turn that is not held (the next in turn if all are).
    pub(crate) fn pick(&self) -> usize {
        if self.more.is_empty() {
            return 0;
        }
        let count = self.len();
        let start = self.turn.fetch_add(1, Ordering::Relaxed) % count;
        (0..count)
            .map(|k| (start + k) % count)
            .find(|&i| self.get(i).budget.state().blocked_until.is_none())
            .unwrap_or(start)
    }
}

impl Pool {
    /// Whether, with several credentials, one is free of a `429`'s hold (`pick` takes it).
    pub(crate) fn any_free(&self) -> bool {
        !self.more.is_empty()
            && self
                .iter()
                .any(|member| member.budget.state().blocked_until.is_none())
    }
}

impl fmt::Debug for Pool {
    /// The token caches (each by its source's type name, never a secret), in order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.more.is_empty() {
            return self.first.auth.fmt(f);
        }
        f.debug_list()
            .entries(self.iter().map(|member| &member.auth))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::LocalBudget;
    use std::time::{Duration, Instant};

    fn member() -> Member {
        Member {
            auth: None,
            budget: Arc::new(LocalBudget::default()),
        }
    }

    #[test]
    fn one_credential_is_always_the_first() {
        let pool = Pool::new(member(), Vec::new());
        assert_eq!((pool.pick(), pool.pick(), pool.len()), (0, 0, 1));
    }

    #[test]
    fn several_take_turns_and_a_held_one_is_skipped() {
        let pool = Pool::new(member(), vec![member(), member()]);
        let turns: Vec<usize> = (0..6).map(|_| pool.pick()).collect();
        assert_eq!(turns, [0, 1, 2, 0, 1, 2]);
        // A 429 on credential 1 holds it: its turns go to the next one.
        pool.get(1)
            .budget
            .limited(Instant::now() + Duration::from_secs(30));
        let turns: Vec<usize> = (0..6).map(|_| pool.pick()).collect();
        assert_eq!(turns, [0, 2, 2, 0, 2, 2]);
        assert!(pool.any_free());
        assert_eq!(
            pool.get(7).budget.state().limited,
            0,
            "out of range: the first"
        );
    }

    #[test]
    fn all_held_keeps_the_turn() {
        let pool = Pool::new(member(), vec![member()]);
        for i in 0..2 {
            pool.get(i)
                .budget
                .limited(Instant::now() + Duration::from_secs(30));
        }
        let turns: Vec<usize> = (0..4).map(|_| pool.pick()).collect();
        assert_eq!(turns, [0, 1, 0, 1]);
        assert!(!pool.any_free());
        assert!(
            !Pool::new(member(), Vec::new()).any_free(),
            "one credential: never"
        );
    }
}
