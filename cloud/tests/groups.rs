//! Every generated group against the catalog: 3,508 operations of 3,508 conform, and the
//! generated Tokens group's route table is the hand-written `genesys-api-tokens` one.

use genesys_catalog::{catalog, check};
use genesys_runtime::Endpoint;

#[test]
fn every_generated_group_conforms_to_the_catalog() {
    let tables = genesys_cloud::groups::route_tables();
    assert_eq!(
        tables.len(),
        catalog().groups().count(),
        "one table per SDK group"
    );
    let mut operations = 0;
    let mut differences = Vec::new();
    for table in &tables {
        operations += table.endpoints().len();
        differences.extend(check(table).iter().map(ToString::to_string));
    }
    println!("{operations} operations in {} groups checked", tables.len());
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    assert_eq!(operations, catalog().len());
    assert_eq!(operations, 3_508);
}

/// What two declarations of one endpoint must share.
fn key(endpoint: &Endpoint) -> String {
    format!(
        "{} {} {:?} {:?} {:?} {:?} {:?}",
        endpoint.operation,
        endpoint,
        endpoint.params,
        endpoint.paging,
        endpoint.retry,
        endpoint.accept,
        endpoint.content_type
    )
}

#[test]
fn the_generated_tokens_group_has_the_hand_written_route_table() {
    let generated: Vec<String> = genesys_cloud::TOKENS_API
        .endpoints()
        .iter()
        .map(|e| key(e))
        .collect();
    let written: Vec<String> = genesys_api_tokens::TOKENS_API
        .endpoints()
        .iter()
        .map(|e| key(e))
        .collect();
    assert_eq!(generated, written);
}
