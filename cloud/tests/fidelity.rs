//! Model fidelity against the official SDK: for every model the operations reach, the JSON
//! the official Python SDK sends for it with every field set (built by its own model classes,
//! serialized by its own serializer: `cloud/fidelity/payloads.py`, regenerated and compared
//! in CI) decodes with the generated model and encodes to the same JSON; a string enum value
//! the SDK does not know survives the round trip; a field it does not know is tolerated and
//! dropped. Prints the figures.

mod support;

use std::io::Read;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `payload` decoded as `T` and encoded again.
fn round_trip<T: DeserializeOwned + Serialize>(payload: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(payload.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

/// The paths of `sent` that `back` lacks or holds differently.
fn lost(sent: &Value, back: &Value, path: &str, out: &mut Vec<String>) {
    match (sent, back) {
        (Value::Object(sent), Value::Object(back)) => {
            for (key, value) in sent {
                let here = format!("{path}.{key}");
                match back.get(key) {
                    Some(other) => lost(value, other, &here, out),
                    None => out.push(here),
                }
            }
        }
        (Value::Array(sent), Value::Array(back)) if sent.len() == back.len() => {
            for (value, other) in sent.iter().zip(back) {
                lost(value, other, &format!("{path}[]"), out);
            }
        }
        _ if sent == back => {}
        _ => out.push(format!("{path} (sent {sent}, got {back})")),
    }
}

fn payloads() -> Value {
    let file = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fidelity/payloads.json.gz"
    ))
    .expect("cloud/fidelity/payloads.json.gz (python3 cloud/fidelity/payloads.py)");
    let mut json = String::new();
    flate2::read::GzDecoder::new(&file[..])
        .read_to_string(&mut json)
        .expect("gzip");
    serde_json::from_str(&json).expect("JSON")
}

#[test]
fn every_model_decodes_and_re_encodes_what_the_official_sdk_sends() {
    let all = payloads();
    let payloads = all["payloads"].as_object().expect("payloads");
    let catalog = genesys_catalog::catalog();
    let (mut equal, mut fields, mut problems) = (0, 0, Vec::new());
    let mut enums = (0, 0);
    let mut unknown = (0, 0);
    for (name, payload) in payloads {
        let Some(result) = support::models::decode_encode(name, payload) else {
            problems.push(format!("{name}: no generated model"));
            continue;
        };
        fields += payload.as_object().map_or(0, |o| o.len());
        match result {
            Err(error) => problems.push(format!("{name}: does not decode: {error}")),
            Ok(back) => {
                let mut missing = Vec::new();
                lost(payload, &back, name, &mut missing);
                if missing.is_empty() {
                    equal += 1;
                } else {
                    problems.extend(missing.into_iter().map(|m| format!("lost {m}")));
                }
            }
        }
        // A field this SDK version does not know: decoding tolerates it and drops it, as
        // every official SDK's deserializer does (a documented decision: README, "Models").
        if let Some(object) = payload.as_object() {
            let mut newer = object.clone();
            newer.insert(
                "aFieldFromANewerRelease".into(),
                serde_json::json!({"nested": [1, "two"]}),
            );
            unknown.0 += 1;
            match support::models::decode_encode(name, &Value::Object(newer)) {
                Some(Ok(back)) if back == *payload => unknown.1 += 1,
                other => problems.push(format!(
                    "{name}: an unknown field is not tolerated and dropped: {other:?}"
                )),
            }
        }
        // A value this SDK version does not know, in each string enum field.
        let model = catalog.model(name).expect("a catalog model");
        for (wire, field) in model.fields() {
            // String enums keep what they do not know; an integer enum is a number.
            if field.values().is_none() || field.ty() != "str" {
                continue;
            }
            enums.0 += 1;
            let mut changed = payload.clone();
            changed[wire] = Value::from("A_VALUE_FROM_A_NEWER_RELEASE");
            match support::models::decode_encode(name, &changed) {
                Some(Ok(back)) if back[wire] == changed[wire] => enums.1 += 1,
                other => problems.push(format!(
                    "{name}.{wire}: an unknown enum value is not kept: {other:?}"
                )),
            }
        }
    }
    let figure = format!(
        "fidelity against {}: {equal} models equal of {} checked ({fields} top-level fields, nested models included), 0 fields lost{}; {} string enum fields keep an unknown value of {}; {} models of {} tolerate an unknown field (and drop it, as the official SDKs do); fields the official SDK's own setters refuse every value for (left unset): {}",
        all["source"],
        payloads.len(),
        if problems.is_empty() {
            ""
        } else {
            " expected, but see the problems"
        },
        enums.1,
        enums.0,
        unknown.1,
        unknown.0,
        all["unset"].as_array().map_or(0, Vec::len),
    );
    println!("{figure}");
    // For CI to print (`target/tmp/cloud-fidelity.txt`).
    std::fs::write(
        concat!(env!("CARGO_TARGET_TMPDIR"), "/cloud-fidelity.txt"),
        format!("{figure}\n"),
    )
    .expect("write the figure");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(equal, payloads.len());
    assert!(payloads.len() >= 4_992);
}
