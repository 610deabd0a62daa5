//! A user's own code that reacts to events: a board of agents' presence kept from a
//! notifications stream. After a gap it marks every agent unknown until their next event: it
//! never shows a presence whose change it may have missed.

use std::collections::BTreeMap;

use events::{Notification, Notifications, Topic};
use futures_util::StreamExt as _;

/// Each agent's last known presence (`None`: unknown since a gap).
#[derive(Debug, Default)]
pub struct Board {
    /// By user id.
    pub presence: BTreeMap<String, Option<String>>,
    /// The gaps seen.
    pub gaps: usize,
}

#[derive(serde::Deserialize)]
struct PresenceEvent {
    #[serde(rename = "presenceDefinition")]
    definition: Definition,
}

#[derive(serde::Deserialize)]
struct Definition {
    #[serde(rename = "systemPresence")]
    system_presence: String,
}

impl Board {
    /// The topics to subscribe to for these agents.
    pub fn topics(users: &[&str]) -> Result<Vec<Topic>, events::Error> {
        users.iter().map(|u| Topic::user_presence(u)).collect()
    }

    /// Applies one item of the stream.
    pub fn apply(&mut self, item: Notification) {
        match item {
            Notification::Event(event) => {
                let Some(user) = event
                    .topic
                    .strip_prefix("v2.users.")
                    .and_then(|t| t.strip_suffix(".presence"))
                else {
                    return;
                };
                if let Ok(p) = event.decode::<PresenceEvent>() {
                    self.presence
                        .insert(user.to_owned(), Some(p.definition.system_presence));
                }
            }
            Notification::Gap(_) => {
                self.gaps += 1;
                for presence in self.presence.values_mut() {
                    *presence = None;
                }
            }
            _ => {}
        }
    }

    /// Reads `count` items from the stream into the board.
    pub async fn follow(
        &mut self,
        stream: &mut Notifications,
        count: usize,
    ) -> Result<(), events::Error> {
        for _ in 0..count {
            match stream.next().await {
                Some(item) => self.apply(item?),
                None => return Err(events::Error::Closed),
            }
        }
        Ok(())
    }
}
