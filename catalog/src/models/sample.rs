//! The payload Genesys sends for a model, every field set, and paths into it.

use serde_json::Value;

use super::probe::Seg;
use super::{DEPTH, Model};

/// The payload Genesys sends for `model`: every field set, nested models to [`DEPTH`]
/// (a model already on `stack` is left out); records each enum field's path and values.
pub(super) fn sample_model(
    model: &Model,
    stack: &mut Vec<String>,
    path: &mut Vec<Seg>,
    enums: &mut Vec<(Vec<Seg>, Vec<String>)>,
) -> Value {
    let mut object = serde_json::Map::new();
    for (wire, field) in model.fields() {
        path.push(Seg::Key(wire.to_owned()));
        if let Some(values) = field.values().filter(|v| !v.is_empty()) {
            enums.push((path.clone(), values.to_vec()));
            object.insert(wire.to_owned(), Value::String(values[0].clone()));
        } else if let Some(value) = sample_type(field.ty(), stack, path, enums) {
            object.insert(wire.to_owned(), value);
        }
        path.pop();
    }
    Value::Object(object)
}

pub(super) fn sample_type(
    ty: &str,
    stack: &mut Vec<String>,
    path: &mut Vec<Seg>,
    enums: &mut Vec<(Vec<Seg>, Vec<String>)>,
) -> Option<Value> {
    Some(match ty {
        "str" => Value::from("text"),
        "int" => Value::from(7),
        "float" => Value::from(1.5),
        "bool" => Value::from(true),
        "datetime" => Value::from("2026-01-02T03:04:05.678Z"),
        "date" => Value::from("2026-01-02"),
        "object" => serde_json::json!({ "key": "value" }),
        _ => {
            if let Some(inner) = ty.strip_prefix("list[").and_then(|t| t.strip_suffix(']')) {
                path.push(Seg::Index);
                let item = sample_type(inner, stack, path, enums);
                path.pop();
                return Some(Value::Array(item.into_iter().collect()));
            }
            if let Some(inner) = ty
                .strip_prefix("dict(str, ")
                .and_then(|t| t.strip_suffix(')'))
            {
                path.push(Seg::Key("key".to_owned()));
                let value = sample_type(inner, stack, path, enums);
                path.pop();
                return value.map(|v| Value::Object([("key".to_owned(), v)].into_iter().collect()));
            }
            let model = crate::catalog().model(ty)?;
            if stack.len() >= DEPTH || stack.iter().any(|m| m == ty) {
                return None;
            }
            stack.push(ty.to_owned());
            let value = sample_model(model, stack, path, enums);
            stack.pop();
            value
        }
    })
}

/// The catalog type of the field at `path` under `model`.
pub(super) fn type_at(model: &str, path: &[Seg]) -> Option<String> {
    let catalog = crate::catalog();
    let mut ty = model.to_owned();
    for seg in path {
        let inner = strip(&ty);
        ty = match seg {
            Seg::Index => inner.to_owned(),
            Seg::Key(key) => match catalog.model(inner) {
                Some(m) => m.field(key)?.ty().to_owned(),
                // A map's value.
                None => ty.strip_prefix("dict(str, ")?.strip_suffix(')')?.to_owned(),
            },
        };
    }
    Some(ty)
}

/// The model at `path` under `model`, when there is one.
pub(super) fn model_at(model: &str, path: &[Seg]) -> Option<String> {
    let ty = type_at(model, path)?;
    let name = strip(&ty);
    crate::catalog().model(name).map(|_| name.to_owned())
}

/// `list[X]` and `list[list[X]]` give `X`.
pub(super) fn strip(ty: &str) -> &str {
    let mut ty = ty;
    while let Some(inner) = ty.strip_prefix("list[").and_then(|t| t.strip_suffix(']')) {
        ty = inner;
    }
    ty
}

/// `User.addresses[].type`.
pub(super) fn words(model: &str, path: &[Seg]) -> String {
    let mut text = model.to_owned();
    for seg in path {
        match seg {
            Seg::Key(key) => {
                text.push('.');
                text.push_str(key);
            }
            Seg::Index => text.push_str("[]"),
        }
    }
    text
}

pub(super) fn sample_at<'v>(sample: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    path.iter().try_fold(sample, |value, seg| match seg {
        Seg::Key(key) => value.get(key),
        Seg::Index => value.get(0),
    })
}

pub(super) fn set_at(sample: &mut Value, path: &[Seg], new: Value) {
    let target = path.iter().try_fold(sample, |value, seg| match seg {
        Seg::Key(key) => value.get_mut(key),
        Seg::Index => value.get_mut(0),
    });
    if let Some(target) = target {
        *target = new;
    }
}

/// Leaves the field at `path` out of the sample; `false` when there is nothing to remove.
pub(super) fn remove_at(sample: &mut Value, path: &[Seg]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    let parent = parent.iter().try_fold(sample, |value, seg| match seg {
        Seg::Key(key) => value.get_mut(key),
        Seg::Index => value.get_mut(0),
    });
    match (parent, last) {
        (Some(Value::Object(map)), Seg::Key(key)) => map.remove(key).is_some(),
        (Some(Value::Array(items)), Seg::Index) if !items.is_empty() => {
            items.clear();
            true
        }
        _ => false,
    }
}
