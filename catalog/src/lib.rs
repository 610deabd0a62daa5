#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

use genesys_runtime::Paging;
use serde::Deserialize;

mod check;
mod models;

pub use check::{Mismatch, assert_conforms, assert_model, check};
pub use models::{DEPTH, Field, MismatchKind, Model, ModelMismatch, check_model};

/// The gzipped catalog `generate.py` writes.
static DATA: &[u8] = include_bytes!("../data/catalog.json.gz");

/// Every Genesys Cloud operation, by SDK group (`TokensApi`) and operation
/// (`get_tokens_me`).
#[derive(Debug, Deserialize)]
pub struct Catalog {
    sources: BTreeMap<String, String>,
    groups: BTreeMap<String, BTreeMap<String, Operation>>,
    models: BTreeMap<String, Model>,
}

/// One operation, as the official SDKs describe it.
#[derive(Debug, Deserialize)]
#[non_exhaustive]
pub struct Operation {
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template, such as `/api/v2/users/{userId}`.
    pub path: String,
    /// The parameters.
    pub params: Vec<CatalogParam>,
    /// The response model's name, when there is a body.
    pub returns: Option<String>,
    /// The SDKs' summary of the operation (`Get user.`).
    #[serde(default)]
    pub summary: String,
    /// The media types the SDKs accept in the answer (`application/json`,
    /// `application/scim+json`, `text/plain`, ...), in their order.
    pub accept: Vec<String>,
    /// The media types the SDKs send a body as, in their order.
    pub content_type: Vec<String>,
    /// How the operation is declared: paging, items, read-only.
    pub shape: Shape,
}

/// The shape of an [`Operation`], as `shape.py` decides it from the operation and its models.
#[derive(Debug, Deserialize)]
#[non_exhaustive]
pub struct Shape {
    paging: Option<String>,
    /// The listing's item field (`entities`, `results`, `Resources`, ...), for a listing.
    pub items: Option<String>,
    /// A POST that only reads (its path ends in `/query`, `/search` or `/suggest`), so it
    /// may be repeated: declared with `retry = "safe"`.
    pub read_only: bool,
    /// The answer's fields that hold a link to content on another host (`downloadUrl`,
    /// `mediaUri`, `signedUrl`, ...): Genesys answers recordings, exports and reports with
    /// such links, read with `Client::download_link`.
    pub links: Vec<String>,
}

impl Shape {
    /// How the operation pages, when it is a listing.
    pub fn paging(&self) -> Option<Paging> {
        self.paging.as_deref().and_then(Paging::from_name)
    }

    /// The paging style's name as the catalog records it (one the runtime may not know).
    pub fn paging_name(&self) -> Option<&str> {
        self.paging.as_deref()
    }
}

/// One parameter of an [`Operation`].
#[derive(Debug, Deserialize)]
#[non_exhaustive]
pub struct CatalogParam {
    /// The wire name (`body` for the body).
    pub name: String,
    /// `path`, `query`, `header` or `body`.
    #[serde(rename = "in")]
    pub kind: String,
    /// Whether the SDKs refuse a call without it.
    pub required: bool,
    /// The SDK's type, such as `str`, `bool`, `list[str]`, `IdleTokenTimeout`.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it is a list.
    pub list: bool,
    /// The SDKs' description of the parameter.
    #[serde(default)]
    pub description: Option<String>,
    /// For a query list: `multi` (repeated keys, as this crate's runtime sends lists) or `csv`
    /// (one comma-separated value); `None` when the JavaScript SDK did not say.
    #[serde(default)]
    pub format: Option<String>,
}

/// The catalog, decoded on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(DATA)
            .read_to_end(&mut json)
            .expect("the bundled catalog is valid gzip");
        serde_json::from_slice(&json).expect("the bundled catalog is valid JSON")
    })
}

impl Catalog {
    /// The SDK packages it was generated from, such as
    /// `PureCloudPlatformClientV2 269.0.0 (PyPI)`.
    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.sources.values().map(String::as_str)
    }

    /// How many operations it holds.
    pub fn len(&self) -> usize {
        self.groups.values().map(BTreeMap::len).sum()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The SDK groups (`TokensApi`, `UsersApi`, ...).
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.groups.keys().map(String::as_str)
    }

    /// The operations, with their SDK group and name, in order.
    pub fn operations(&self) -> impl Iterator<Item = (&str, &str, &Operation)> {
        self.groups.iter().flat_map(|(group, operations)| {
            operations
                .iter()
                .map(move |(name, operation)| (group.as_str(), name.as_str(), operation))
        })
    }

    /// A model by name (`User`), as the official SDKs describe it.
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.models.get(name)
    }

    /// Every model, by name.
    pub fn models(&self) -> impl Iterator<Item = (&str, &Model)> {
        self.models
            .iter()
            .map(|(name, model)| (name.as_str(), model))
    }

    /// The models the operations reach (their bodies and answers, and every model those
    /// reach through their fields), by name.
    pub fn reachable_models(&self) -> std::collections::BTreeSet<&str> {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<&str> = Vec::new();
        for (_, _, operation) in self.operations() {
            let types = operation
                .params
                .iter()
                .map(|p| p.ty.as_str())
                .chain(operation.returns.as_deref());
            stack.extend(types.flat_map(models::referenced));
        }
        while let Some(name) = stack.pop() {
            let Some((name, model)) = self.models.get_key_value(name) else {
                continue;
            };
            if seen.insert(name.as_str()) {
                stack.extend(model.fields().flat_map(|(_, f)| models::referenced(f.ty())));
            }
        }
        seen
    }

    /// An operation by SDK group and operation name (`"TokensApi"`, `"get_tokens_me"`).
    pub fn operation(&self, group: &str, operation: &str) -> Option<&Operation> {
        self.groups.get(group)?.get(operation)
    }

    /// The operation with this method and path template, and its SDK group and name.
    pub fn find(&self, method: &str, path: &str) -> Option<(&str, &str, &Operation)> {
        self.groups.iter().find_map(|(group, operations)| {
            operations
                .iter()
                .find(|(_, op)| op.method == method && op.path == path)
                .map(|(name, op)| (group.as_str(), name.as_str(), op))
        })
    }

    fn source(&self) -> String {
        self.sources().collect::<Vec<_>>().join(" and ")
    }
}
