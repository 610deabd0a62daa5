//! Finding a loop in the pages a server hands out, in constant memory and linear time:
//! Brent's cycle detection over what each page leads to, the next cursor (for a numbered
//! listing, the page's body), compared with one checkpoint moved at power-of-two steps.
//!
//! A server that keeps sending the same cursor, cycles through a few, or answers every page
//! number with the same page is caught within three times the length of the lead-in and the
//! cycle, holding one cursor (or one page body) whatever the listing's length.

use bytes::Bytes;

/// What a page leads to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Fingerprint {
    /// The cursor for the next page.
    Token(String),
    /// A numbered page's body, as received (a copy of the handle, not of the bytes).
    Body(Bytes),
}

/// Brent's checkpoint: a loop of length λ starting after μ pages is found by page
/// 2·max(μ, λ) + λ (the checkpoint reaches the loop by the first power of two past μ and λ,
/// and meets itself one loop later).
#[derive(Debug)]
pub(crate) struct Repeats {
    checkpoint: Option<Fingerprint>,
    /// Pages until the checkpoint moves, and pages since it last did.
    power: u64,
    steps: u64,
}

impl Default for Repeats {
    fn default() -> Self {
        Repeats {
            checkpoint: None,
            power: 1,
            steps: 0,
        }
    }
}

impl Repeats {
    /// Records the next page's fingerprint: `true` when it repeats an earlier one (a loop).
    pub(crate) fn repeats(&mut self, next: Fingerprint) -> bool {
        if self.checkpoint.as_ref() == Some(&next) {
            return true;
        }
        self.steps += 1;
        if self.steps >= self.power {
            self.checkpoint = Some(next);
            self.power = self.power.saturating_mul(2);
            self.steps = 0;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page at which a sequence that enters a cycle of `cycle` tokens after `lead`
    /// distinct ones is caught.
    fn caught_at(lead: u64, cycle: u64) -> u64 {
        let mut repeats = Repeats::default();
        for page in 0.. {
            let token = if page < lead {
                format!("lead-{page}")
            } else {
                format!("loop-{}", (page - lead) % cycle)
            };
            if repeats.repeats(Fingerprint::Token(token)) {
                return page;
            }
            assert!(page < 10 * (lead + cycle) + 10, "never caught");
        }
        unreachable!()
    }

    #[test]
    fn every_loop_is_caught_within_three_times_the_lead_in_and_the_loop() {
        for lead in [0, 1, 2, 7, 100] {
            for cycle in [1, 2, 3, 5, 64, 1000] {
                let page = caught_at(lead, cycle);
                assert!(
                    page >= lead + cycle,
                    "a repeat needs a cycle: {lead} {cycle}"
                );
                assert!(
                    page <= 2 * lead.max(cycle) + cycle,
                    "caught late: lead {lead}, cycle {cycle}, page {page}"
                );
            }
        }
    }

    #[test]
    fn a_listing_without_loops_is_never_stopped() {
        let mut repeats = Repeats::default();
        for page in 0..100_000u64 {
            assert!(!repeats.repeats(Fingerprint::Token(page.to_string())));
        }
    }

    #[test]
    fn the_same_body_twice_is_a_loop() {
        let mut repeats = Repeats::default();
        let body = Bytes::from_static(br#"{"entities":[1],"pageCount":1000000}"#);
        assert!(!repeats.repeats(Fingerprint::Body(body.clone())));
        assert!(repeats.repeats(Fingerprint::Body(body)));
    }
}
