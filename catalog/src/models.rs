//! The vendor's models ([`Model`], [`Field`]) and the check of a user's model against one
//! ([`check_model`]).
//!
//! The check builds the payload Genesys would send for the model, every field set (nested
//! models too, to a depth of [`DEPTH`]), and decodes it with the user's type through a probe
//! deserializer that records what the type reads. From that it reports, each naming the
//! field and what Genesys sends:
//!
//! - a field the model reads that the catalog's model does not have (a misspelled name);
//! - a field whose type does not decode what Genesys sends;
//! - an enum value Genesys sends that the model refuses (each value is tried);
//! - a field Genesys sends that the model does not read (reported as dropped, which a model
//!   that keeps only what it needs does on purpose).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

mod probe;
mod sample;

use probe::{Probe, Seg, Trace};
use sample::{model_at, remove_at, sample_at, sample_model, set_at, type_at, words};

/// How deep the sample payload nests models; a field past it is not checked.
pub const DEPTH: usize = 4;

/// One model of the official SDKs: its fields by wire name.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Model {
    fields: BTreeMap<String, Field>,
}

impl Model {
    /// The fields, by wire name, in order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &Field)> {
        self.fields
            .iter()
            .map(|(name, field)| (name.as_str(), field))
    }

    /// A field by wire name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.get(name)
    }
}

/// One field of a [`Model`].
#[derive(Debug, Deserialize)]
#[non_exhaustive]
pub struct Field {
    #[serde(rename = "type")]
    ty: String,
    required: bool,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, rename = "enum")]
    values: Option<Vec<String>>,
}

impl Field {
    /// The SDK's type: `str`, `int`, `float`, `bool`, `datetime`, `date`, `object`,
    /// `list[T]`, `dict(str, T)` or a model name.
    pub fn ty(&self) -> &str {
        &self.ty
    }

    /// Whether the JavaScript SDK declares it required.
    pub fn required(&self) -> bool {
        self.required
    }

    /// The vendor's description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The enum values the SDKs know, for a string enum.
    pub fn values(&self) -> Option<&[String]> {
        self.values.as_deref()
    }
}

/// The model names a type string refers to: `list[User]` gives `User`.
pub(crate) fn referenced(ty: &str) -> impl Iterator<Item = &str> {
    ty.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|word| word.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// One difference between a user's model and the catalog's.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ModelMismatch {
    /// Where: `User.division.name`, `User.addresses[].type`.
    pub path: String,
    /// What kind of difference.
    pub kind: MismatchKind,
    /// What differs and what Genesys sends.
    pub message: String,
}

/// The kind of a [`ModelMismatch`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MismatchKind {
    /// The model reads a field the catalog's model does not have.
    UnknownField,
    /// The field's type does not decode what Genesys sends.
    WrongType,
    /// The model refuses an enum value Genesys sends.
    MissingEnumValue,
    /// Genesys sends the field and the model does not read it (on purpose, in a model that
    /// keeps only what it needs).
    Dropped,
}

impl fmt::Display for ModelMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.path, self.message)
    }
}

/// Every difference between the user's model `T` and the catalog's model `model` (such as
/// `"User"`); the [`MismatchKind::Dropped`] ones only say what `T` leaves out.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Token {
///     #[serde(rename = "idleTokenTimeoutSeconds")]
///     seconds: Option<i64>,
///     #[serde(rename = "enableIdleTokenTimeout")]
///     enabled: Option<bool>,
/// }
/// let found = genesys_catalog::check_model::<Token>("IdleTokenTimeout");
/// assert!(found.iter().all(|m| m.kind == genesys_catalog::MismatchKind::Dropped), "{found:?}");
/// ```
///
/// # Panics
///
/// When the catalog has no model `model`.
pub fn check_model<T: DeserializeOwned>(model: &str) -> Vec<ModelMismatch> {
    let catalog = crate::catalog();
    let root = catalog
        .model(model)
        .unwrap_or_else(|| panic!("the catalog has no model `{model}`"));
    let mut enums = Vec::new();
    let mut sample = sample_model(
        root,
        &mut vec![model.to_owned()],
        &mut Vec::new(),
        &mut enums,
    );
    let mut found = Vec::new();
    // Decode, and after each type error leave that field out and decode again.
    let trace = loop {
        let (trace, error) = decode::<T>(&sample);
        let Some((path, message)) = error else {
            break trace;
        };
        if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
        {
            // A field the model requires and the payload lacks: the catalog has no such
            // field. Nothing more can be decoded without it.
            let name = model_at(model, &path).unwrap_or_else(|| model.to_owned());
            let known = catalog.model(&name);
            let close = known.and_then(|k| nearest(field, k.fields().map(|(n, _)| n)));
            let mut at = path.clone();
            at.push(Seg::Key(field.to_owned()));
            found.push(ModelMismatch {
                path: words(model, &at),
                kind: MismatchKind::UnknownField,
                message: format!(
                    "the model requires `{field}`, but Genesys's `{name}` has no such field{}",
                    close
                        .map(|c| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default()
                ),
            });
            return found;
        }
        let enum_values = enums
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, values)| values);
        let sent = &sample_at(&sample, &path).cloned().unwrap_or(Value::Null);
        let ty = describe(type_at(model, &path).as_deref());
        found.push(match enum_values {
            Some(_) => ModelMismatch {
                path: words(model, &path),
                kind: MismatchKind::MissingEnumValue,
                message: format!(
                    "Genesys sends the enum value {sent}, which the model refuses ({message}): add it, or a catch-all variant for values it does not know"
                ),
            },
            None => ModelMismatch {
                path: words(model, &path),
                kind: MismatchKind::WrongType,
                message: format!(
                    "Genesys sends {ty} (like {sent}), which the model's type does not decode: {message}"
                ),
            },
        });
        if !remove_at(&mut sample, &path) || found.len() > 200 {
            return found;
        }
    };
    // Each struct the model read: names it reads that the catalog lacks, and fields dropped.
    for (path, fields) in &trace.structs {
        let Some(name) = model_at(model, path) else {
            continue;
        };
        let Some(known) = catalog.model(&name) else {
            continue;
        };
        for field in fields.iter() {
            if known.field(field).is_none() {
                let mut at = path.clone();
                at.push(Seg::Key((*field).to_owned()));
                let close = nearest(field, known.fields().map(|(n, _)| n));
                found.push(ModelMismatch {
                    path: words(model, &at),
                    kind: MismatchKind::UnknownField,
                    message: format!(
                        "the model reads `{field}`, but Genesys's `{name}` has no such field{}",
                        close
                            .map(|c| format!(
                                " (did you mean `{c}`, {}?)",
                                describe(known.field(c).map(Field::ty))
                            ))
                            .unwrap_or_default()
                    ),
                });
            }
        }
        for (wire, field) in known.fields() {
            if !fields.contains(&wire) && sample_at(&sample, path).is_some() {
                let mut at = path.clone();
                at.push(Seg::Key(wire.to_owned()));
                found.push(ModelMismatch {
                    path: words(model, &at),
                    kind: MismatchKind::Dropped,
                    message: format!(
                        "Genesys sends it ({}); the model does not read it",
                        describe(Some(field.ty()))
                    ),
                });
            }
        }
    }
    // Every enum value Genesys sends, one at a time.
    for (path, values) in &enums {
        let Some(original) = sample_at(&sample, path).cloned() else {
            continue;
        };
        for value in values.iter().skip(1) {
            set_at(&mut sample, path, Value::String(value.clone()));
            if let (_, Some((at, message))) = decode::<T>(&sample) {
                if at == *path {
                    found.push(ModelMismatch {
                        path: words(model, path),
                        kind: MismatchKind::MissingEnumValue,
                        message: format!(
                            "Genesys sends the enum value \"{value}\", which the model refuses ({message}): add it, or a catch-all variant for values it does not know"
                        ),
                    });
                }
            }
        }
        set_at(&mut sample, path, original);
    }
    found
}

/// Decodes `sample` as `T` through the probe: what it read, and the first error with where.
fn decode<T: DeserializeOwned>(sample: &Value) -> (Trace, Option<(Vec<Seg>, String)>) {
    let trace = RefCell::new(Trace::default());
    let result = T::deserialize(Probe::new(sample, &trace));
    let error = result.err().map(|e| (e.path, e.message));
    (trace.into_inner(), error)
}

/// A catalog type in words.
fn describe(ty: Option<&str>) -> String {
    match ty {
        Some("str") => "a string".to_owned(),
        Some("int") => "an integer".to_owned(),
        Some("float") => "a number".to_owned(),
        Some("bool") => "a boolean".to_owned(),
        Some("datetime") => "a date-time string (ISO 8601)".to_owned(),
        Some("date") => "a date string (ISO 8601)".to_owned(),
        Some("object") => "any JSON object".to_owned(),
        Some(other) => format!("`{other}`"),
        None => "a value".to_owned(),
    }
}

/// The catalog name closest to `name`: the same ignoring case and `_`, or one or two edits
/// away.
fn nearest<'n>(name: &str, names: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    let fold = |s: &str| s.replace('_', "").to_ascii_lowercase();
    let folded = fold(name);
    names
        .map(|candidate| {
            let distance = if fold(candidate) == folded {
                0
            } else {
                edit_distance(&folded, &fold(candidate))
            };
            (distance, candidate)
        })
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}
