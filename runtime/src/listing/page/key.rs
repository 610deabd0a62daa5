//! A page envelope's keys, told apart without allocating: serde's `Cow<str>` always copies
//! the key into a `String`, which cost one allocation per envelope field on every page.

use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};

/// Which envelope field a key names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Key {
    /// The declared items field.
    Items,
    /// The declared cursor field (`cursor`, `after`).
    Cursor,
    PageNumber,
    PageSize,
    Total,
    TotalHits,
    PageCount,
    StartIndex,
    NextUri,
    NextPage,
    Cursors,
    /// Any other: skipped.
    Other,
}

/// Reads one key, knowing the declared items and cursor fields.
pub(super) struct KeySeed {
    pub(super) items: &'static str,
    pub(super) cursor: Option<&'static str>,
}

impl KeySeed {
    fn key(&self, name: &str) -> Key {
        if name == self.items {
            return Key::Items;
        }
        if Some(name) == self.cursor {
            return Key::Cursor;
        }
        match name {
            "pageNumber" => Key::PageNumber,
            "pageSize" | "itemsPerPage" => Key::PageSize,
            "total" | "totalResults" => Key::Total,
            "totalHits" => Key::TotalHits,
            "pageCount" => Key::PageCount,
            "startIndex" => Key::StartIndex,
            "nextUri" => Key::NextUri,
            "nextPage" => Key::NextPage,
            "cursors" => Key::Cursors,
            _ => Key::Other,
        }
    }
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key, E> {
        Ok(self.key(name))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Key, E> {
        Ok(std::str::from_utf8(name).map_or(Key::Other, |name| self.key(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::Error;

    #[test]
    fn declared_fields_come_first_and_escaped_keys_are_read_too() {
        let seed = || KeySeed {
            items: "results",
            cursor: Some("cursor"),
        };
        let key = |name: &str| {
            seed()
                .deserialize(IntoDeserializer::<Error>::into_deserializer(name))
                .unwrap()
        };
        assert_eq!(key("results"), Key::Items);
        assert_eq!(key("cursor"), Key::Cursor);
        assert_eq!(key("itemsPerPage"), Key::PageSize);
        assert_eq!(key("entities"), Key::Other);
        let escaped: Key = seed()
            .deserialize(&mut serde_json::Deserializer::from_str(
                r#""page\u0043ount""#,
            ))
            .unwrap();
        assert_eq!(escaped, Key::PageCount);
    }
}
