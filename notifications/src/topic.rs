//! Topic names, built from their parts so that an id cannot change which topic is meant.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// The longest topic name accepted.
const MAX_LEN: usize = 512;
/// The longest id accepted in a topic.
const MAX_ID_LEN: usize = 128;

/// A notification topic, such as `v2.users.{id}.presence`, checked.
///
/// Build one from a template and ids ([`Topic::new`], or a named constructor such as
/// [`Topic::user_presence`]), or parse a whole name (`"v2.users.abc.presence".parse()`). Every
/// part is letters, digits, `-` or `_`: an id holding a `.`, a space or a `{` is refused, so
/// an id from outside input cannot name another topic.
///
/// ```
/// use genesys_notifications::Topic;
///
/// let topic = Topic::user_presence("3f4b7a2c-1d2e-4f5a-8b9c-0d1e2f3a4b5c")?;
/// assert_eq!(topic.as_str(), "v2.users.3f4b7a2c-1d2e-4f5a-8b9c-0d1e2f3a4b5c.presence");
/// assert!(Topic::user_presence("a.b").is_err());
/// let queue = Topic::new("v2.routing.queues.{id}.conversations", &["q-1"])?;
/// assert_eq!(queue.to_string(), "v2.routing.queues.q-1.conversations");
/// # Ok::<(), genesys_notifications::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Topic(String);

impl Topic {
    /// Fills the `{...}` placeholders of `template` with `ids`, in order.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidTopic`] when the number of ids differs from the placeholders', when
    /// an id is empty, longer than 128 characters or holds anything but letters, digits, `-`
    /// and `_`, or when the result is not a topic name.
    pub fn new(template: &str, ids: &[&str]) -> Result<Topic, Error> {
        let mut out = String::with_capacity(template.len() + 40 * ids.len());
        let mut ids = ids.iter();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            let end = rest[start..]
                .find('}')
                .map(|e| start + e)
                .ok_or_else(|| invalid(template, "a `{` without its `}`"))?;
            out.push_str(&rest[..start]);
            let id = ids
                .next()
                .ok_or_else(|| invalid(template, "fewer ids than placeholders"))?;
            check_id(template, id)?;
            out.push_str(id);
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        if ids.next().is_some() {
            return Err(invalid(template, "more ids than placeholders"));
        }
        out.parse()
    }

    /// `v2.users.{id}.presence`: a user's presence.
    pub fn user_presence(user_id: &str) -> Result<Topic, Error> {
        Topic::new("v2.users.{id}.presence", &[user_id])
    }

    /// `v2.users.{id}.routingStatus`: a user's routing status.
    pub fn user_routing_status(user_id: &str) -> Result<Topic, Error> {
        Topic::new("v2.users.{id}.routingStatus", &[user_id])
    }

    /// `v2.users.{id}.conversations`: a user's conversations.
    pub fn user_conversations(user_id: &str) -> Result<Topic, Error> {
        Topic::new("v2.users.{id}.conversations", &[user_id])
    }

    /// `v2.routing.queues.{id}.conversations`: a queue's conversations.
    pub fn queue_conversations(queue_id: &str) -> Result<Topic, Error> {
        Topic::new("v2.routing.queues.{id}.conversations", &[queue_id])
    }

    /// `v2.analytics.queues.{id}.observations`: a queue's observations.
    pub fn queue_observations(queue_id: &str) -> Result<Topic, Error> {
        Topic::new("v2.analytics.queues.{id}.observations", &[queue_id])
    }

    /// The topic name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Topic {
    type Err = Error;

    /// Parses a whole topic name: dot-separated parts of letters, digits, `-` and `_`.
    fn from_str(name: &str) -> Result<Topic, Error> {
        if name.is_empty() || name.len() > MAX_LEN {
            return Err(invalid(name, "a topic name is 1 to 512 characters"));
        }
        for part in name.split('.') {
            if part.is_empty() {
                return Err(invalid(
                    name,
                    "an empty part (two dots, or a dot at an end)",
                ));
            }
            if !part.bytes().all(allowed) {
                return Err(invalid(
                    name,
                    "a part holds something besides letters, digits, `-` and `_`",
                ));
            }
        }
        Ok(Topic(name.to_owned()))
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Topic {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn allowed(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn check_id(template: &str, id: &str) -> Result<(), Error> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(invalid(template, "an id is 1 to 128 characters"));
    }
    if !id.bytes().all(allowed) {
        return Err(invalid(
            template,
            "an id holds something besides letters, digits, `-` and `_`",
        ));
    }
    Ok(())
}

fn invalid(topic: &str, reason: &'static str) -> Error {
    // Bounded: the name may come from outside input.
    let shown: String = topic.chars().take(80).collect();
    Error::InvalidTopic {
        topic: shown,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_cannot_reach_outside_their_part() {
        for bad in ["", "a.b", "a b", "{x}", "a/b", "é", &"x".repeat(129)] {
            assert!(Topic::user_presence(bad).is_err(), "{bad:?}");
        }
        assert!(Topic::new("v2.users.{id}", &[]).is_err());
        assert!(Topic::new("v2.users.{id}", &["a", "b"]).is_err());
        assert!("v2..x".parse::<Topic>().is_err());
        assert!("v2.x.".parse::<Topic>().is_err());
        assert_eq!(
            Topic::new("v2.detail.events.conversation.{id}.customer.start", &["c1"])
                .unwrap()
                .as_str(),
            "v2.detail.events.conversation.c1.customer.start"
        );
    }
}
