//! The model check, on hand-written models: the Tokens crate's own models conform, and a
//! wrong field name, a wrong type and a missing enum value are each named with what Genesys
//! sends.

use genesys_catalog::{MismatchKind, assert_model, catalog, check_model};
use serde::Deserialize;

#[test]
fn the_catalog_ships_every_model_the_operations_reach() {
    let catalog = catalog();
    let reachable = catalog.reachable_models();
    let fields: usize = reachable
        .iter()
        .map(|name| catalog.model(name).map_or(0, |m| m.fields().count()))
        .sum();
    println!("{} models reachable, {fields} fields", reachable.len());
    assert!(reachable.len() >= 4_992, "{}", reachable.len());
    assert!(fields >= 27_000, "{fields}");
    let user = catalog.model("User").expect("User");
    let state = user.field("state").expect("User.state");
    assert_eq!(state.ty(), "str");
    assert_eq!(
        state.values(),
        Some(
            &[
                "active".to_owned(),
                "inactive".to_owned(),
                "deleted".to_owned()
            ][..]
        )
    );
    assert_eq!(
        state.description(),
        Some("The current state for this user.")
    );
    assert!(user.field("version").expect("User.version").required());
    assert!(!user.field("name").expect("User.name").required());
    assert_eq!(user.field("dateLastLogin").expect("date").ty(), "datetime");
}

#[test]
fn the_tokens_crate_models_conform() {
    assert_model::<genesys_api_tokens::models::TokenInfo>("TokenInfo");
    assert_model::<genesys_api_tokens::models::IdleTokenTimeout>("IdleTokenTimeout");
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct User {
    id: Option<String>,
    name: Option<String>,
    /// Misspelled: Genesys sends `email`.
    emial: Option<String>,
    /// Genesys sends an integer.
    version: Option<String>,
    /// Genesys also sends `deleted`.
    state: Option<State>,
    division: Option<Division>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum State {
    Active,
    Inactive,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Division {
    id: Option<String>,
    /// Genesys sends a string.
    name: Option<u64>,
}

#[test]
fn a_wrong_name_a_wrong_type_and_a_missing_enum_value_are_named() {
    let found = check_model::<User>("User");
    let problems: Vec<String> = found
        .iter()
        .filter(|m| m.kind != MismatchKind::Dropped)
        .map(ToString::to_string)
        .collect();
    println!("{}", problems.join("\n"));
    let find = |path: &str, kind| {
        found
            .iter()
            .find(|m| m.path == path && m.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} at {path}: {problems:#?}"))
    };
    let name = find("User.emial", MismatchKind::UnknownField);
    assert!(
        name.message.contains("did you mean `email`"),
        "{}",
        name.message
    );
    let ty = find("User.version", MismatchKind::WrongType);
    assert!(ty.message.contains("an integer"), "{}", ty.message);
    let nested = find("User.division.name", MismatchKind::WrongType);
    assert!(nested.message.contains("a string"), "{}", nested.message);
    let value = find("User.state", MismatchKind::MissingEnumValue);
    assert!(value.message.contains("\"deleted\""), "{}", value.message);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    // What the model leaves out is listed, not counted as a mistake.
    assert!(
        found
            .iter()
            .any(|m| m.path == "User.email" && m.kind == MismatchKind::Dropped)
    );
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Strict {
    /// Required, and Genesys's `IdleTokenTimeout` has no such field.
    seconds: i64,
}

#[test]
fn a_required_field_genesys_does_not_send_is_named() {
    let found = check_model::<Strict>("IdleTokenTimeout");
    assert!(
        found.iter().any(|m| m.path == "IdleTokenTimeout.seconds"
            && m.kind == MismatchKind::UnknownField
            && m.message.contains("requires `seconds`")),
        "{found:#?}"
    );
}
