//! The census: for every operation in the catalog, decide how it is declared (plain call or
//! listing and its paging style, item field, retry rule, `Accept`, body media type, every
//! parameter), describe that declaration as the `#[endpoint]` macro would, and check it
//! against the catalog. Prints the operations that cannot be declared, and fails unless
//! there are none.
//!
//! ```text
//! cargo run -p genesys-catalog --example census
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use genesys_catalog::{CatalogParam, Operation, catalog, check};
use genesys_runtime::http::Method;
use genesys_runtime::{ApiGroup, Endpoint, Paging, Param, ParamKind, RetryRule};

fn main() -> ExitCode {
    let catalog = catalog();
    let mut styles: BTreeMap<String, usize> = BTreeMap::new();
    let mut inexpressible = Vec::new();
    let mut total = 0;
    let mut named = 0;
    let mut links = 0;
    for (group, name, operation) in catalog.operations() {
        total += 1;
        match declare(name, operation) {
            Err(why) => inexpressible.push(format!("{group}.{name}: {why}")),
            Ok(endpoint) => {
                let table = ApiGroup::new(leak(group.to_owned()), leak(vec![endpoint]));
                let table: &'static ApiGroup = Box::leak(Box::new(table));
                let mismatches = check(table);
                if mismatches.is_empty() {
                    let style = match operation.shape.paging() {
                        Some(paging) => format!("listing, paging = \"{paging}\""),
                        None => "one call".to_owned(),
                    };
                    *styles.entry(style).or_default() += 1;
                    if operation
                        .params
                        .iter()
                        .any(|p| !p.required && p.kind != "path")
                    {
                        named += 1;
                    }
                    if !operation.shape.links.is_empty() {
                        links += 1;
                    }
                } else {
                    for mismatch in mismatches {
                        inexpressible.push(mismatch.to_string());
                    }
                }
            }
        }
    }
    println!(
        "census of {}",
        catalog.sources().collect::<Vec<_>>().join(" and ")
    );
    for (style, count) in &styles {
        println!("  {count:>5}  {style}");
    }
    println!("  {named:>5}  with optional parameters (named when called)");
    println!("  {links:>5}  answering with a download link (read with Client::download_link)");
    for line in &inexpressible {
        println!("inexpressible: {line}");
    }
    println!("{total} operations, {} inexpressible", inexpressible.len());
    if inexpressible.is_empty() && total == catalog.len() && total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The declaration of `operation`, described as the macro describes one, or why the macro
/// would refuse every declaration of it.
fn declare(name: &str, operation: &Operation) -> Result<&'static Endpoint, String> {
    let method = Method::from_bytes(operation.method.as_bytes())
        .map_err(|_| format!("method `{}`", operation.method))?;
    let paging = match operation.shape.paging_name() {
        None => None,
        Some(style) => Some(
            Paging::from_name(style)
                .ok_or_else(|| format!("paging style `{style}` unknown to the runtime"))?,
        ),
    };
    let has_body = operation.params.iter().any(|p| p.kind == "body");
    if let Some(paging) = paging {
        // The macro's own rules for a listing.
        if method != Method::GET && method != Method::POST {
            return Err(format!("a {method} listing (the macro pages GET and POST)"));
        }
        if paging.in_body() && !has_body {
            return Err(format!("`paging = \"{paging}\"` without a body"));
        }
    }
    let mut params = Vec::new();
    for param in &operation.params {
        if paging.is_some_and(|p| {
            param.kind == "query" && p.query_params().contains(&param.name.as_str())
        }) {
            continue;
        }
        params.push(declared(param)?);
    }
    let mut endpoint = Endpoint::new(leak(name.to_owned()), method, leak(operation.path.clone()))
        .params(leak(params))
        .returns(leak(
            operation.returns.clone().unwrap_or_else(|| "()".to_owned()),
        ));
    if let Some(paging) = paging {
        let items = operation
            .shape
            .items
            .clone()
            .unwrap_or_else(|| paging.default_items().to_owned());
        endpoint = endpoint.paging(paging, leak(items));
    }
    if operation.shape.read_only {
        endpoint = endpoint.retry(RetryRule::Safe);
    }
    let json = |types: &[String]| types.is_empty() || types.iter().any(|t| t == "application/json");
    if !json(&operation.accept) {
        let accept = &operation.accept[0];
        // A non-JSON answer is read as text or bytes, not as a model.
        if operation.returns.as_deref().is_some_and(|r| r != "str") {
            return Err(format!(
                "a `{}` model answered as `{accept}`",
                operation.returns.as_deref().unwrap_or_default()
            ));
        }
        endpoint = endpoint.accept(leak(accept.clone()));
    }
    if has_body && !json(&operation.content_type) {
        endpoint = endpoint.content_type(leak(operation.content_type[0].clone()));
    }
    Ok(Box::leak(Box::new(endpoint)))
}

/// A parameter as declared: a list of `csv` format is one string the caller joins.
fn declared(param: &CatalogParam) -> Result<Param, String> {
    let kind = match param.kind.as_str() {
        "path" => ParamKind::Path,
        "query" => ParamKind::Query,
        "header" => ParamKind::Header,
        "body" => ParamKind::Body,
        other => return Err(format!("parameter `{}` in `{other}`", param.name)),
    };
    if kind == ParamKind::Path && param.list {
        return Err(format!("path parameter `{}` is a list", param.name));
    }
    let list = param.list && param.format.as_deref() != Some("csv");
    let optional = list || !param.required;
    Ok(Param::new(leak(param.name.clone()), kind, optional, list))
}

fn leak<T: ?Sized>(value: impl Into<Box<T>>) -> &'static T {
    Box::leak(value.into())
}
