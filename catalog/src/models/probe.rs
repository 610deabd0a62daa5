//! A deserializer over a sample JSON value that records what the type being decoded reads:
//! each struct's field names (serde hands them to `deserialize_struct`), and where the first
//! error happened.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// One step of a path in the sample: a field, or a list's items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index,
}

/// What a decode read: each struct's path and field names, once per path.
#[derive(Default)]
pub(crate) struct Trace {
    pub(crate) structs: Vec<(Vec<Seg>, &'static [&'static str])>,
}

/// An error, with the path of the field it happened at.
#[derive(Debug)]
pub(crate) struct ProbeError {
    pub(crate) path: Vec<Seg>,
    /// Whether `path` is final (set by the innermost field).
    placed: bool,
    pub(crate) message: String,
}

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProbeError {}

impl de::Error for ProbeError {
    fn custom<M: fmt::Display>(message: M) -> Self {
        ProbeError {
            path: Vec::new(),
            placed: false,
            message: message.to_string(),
        }
    }
}

/// The deserializer for one value at `path`.
pub(crate) struct Probe<'a> {
    value: &'a Value,
    path: Vec<Seg>,
    trace: &'a RefCell<Trace>,
}

impl<'a> Probe<'a> {
    pub(crate) fn new(value: &'a Value, trace: &'a RefCell<Trace>) -> Self {
        Probe {
            value,
            path: Vec::new(),
            trace,
        }
    }

    fn child(&self, seg: Seg, value: &'a Value) -> Probe<'a> {
        let mut path = self.path.clone();
        path.push(seg);
        Probe {
            value,
            path,
            trace: self.trace,
        }
    }
}

/// Gives an error without a place the path of the field it came from.
fn placed(mut error: ProbeError, path: &[Seg]) -> ProbeError {
    if !error.placed {
        error.path = path.to_vec();
        error.placed = true;
    }
    error
}

impl<'de> de::Deserializer<'de> for Probe<'_> {
    type Error = ProbeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        let path = self.path.clone();
        let result = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or_default()),
            },
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visitor.visit_seq(Items {
                items: items.iter(),
                probe: &self,
            }),
            Value::Object(map) => visitor.visit_map(Fields {
                fields: map.iter(),
                value: None,
                probe: &self,
            }),
        };
        result.map_err(|e| placed(e, &path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ProbeError> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        {
            let mut trace = self.trace.borrow_mut();
            if !trace.structs.iter().any(|(p, _)| *p == self.path) {
                trace.structs.push((self.path.clone(), fields));
            }
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        let path = self.path.clone();
        match self.value {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => self.deserialize_any(visitor),
        }
        .map_err(|e| placed(e, &path))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

struct Items<'p, 'a> {
    items: std::slice::Iter<'a, Value>,
    probe: &'p Probe<'a>,
}

impl<'de> SeqAccess<'de> for Items<'_, '_> {
    type Error = ProbeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, ProbeError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let child = self.probe.child(Seg::Index, item);
        let path = child.path.clone();
        seed.deserialize(child)
            .map(Some)
            .map_err(|e| placed(e, &path))
    }
}

struct Fields<'p, 'a> {
    fields: serde_json::map::Iter<'a>,
    value: Option<(&'a String, &'a Value)>,
    probe: &'p Probe<'a>,
}

impl<'de> MapAccess<'de> for Fields<'_, '_> {
    type Error = ProbeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ProbeError> {
        let Some((key, value)) = self.fields.next() else {
            return Ok(None);
        };
        self.value = Some((key, value));
        seed.deserialize(key.as_str().into_deserializer()).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, ProbeError> {
        let (key, value) = self
            .value
            .take()
            .ok_or_else(|| <ProbeError as de::Error>::custom("a value without its key"))?;
        let child = self.probe.child(Seg::Key(key.clone()), value);
        let path = child.path.clone();
        seed.deserialize(child).map_err(|e| placed(e, &path))
    }
}
