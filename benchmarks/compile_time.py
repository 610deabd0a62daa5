#!/usr/bin/env python3
"""Compile-time cost of #[endpoint]: a crate declaring N endpoints with the macro against the
same N endpoints written by hand with reqwest, clean build of that crate alone.

Generates a scratch workspace under target/compile-bench/ whose crates depend on this
repository's runtime by path, builds every dependency once, then for each crate runs
`cargo clean -p <crate>` + `cargo build -p <crate>` several times and reports the median.

Usage: python3 benchmarks/compile_time.py [--runs 3]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "compile-bench")
SIZES = [20, 200]

MODELS = """
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thing {
    pub id: Option<String>,
    pub name: Option<String>,
    pub version: Option<i32>,
    pub tags: Option<Vec<String>>,
}
"""


def macro_endpoint(i):
    """Four shapes in rotation: GET with path+query, POST with body, PUT with path+body, DELETE."""
    kind = i % 4
    if kind == 0:
        return f"""
    /// Get thing {i}.
    #[endpoint(method = "GET", path = "/api/v2/group{i}/things/{{thingId}}")]
    async fn get_thing_{i}(&self, thing_id: &str, #[query] expand: &[&str], #[query] page_size: Option<i32>) -> Result<Thing>;
"""
    if kind == 1:
        return f"""
    /// Create thing {i}.
    #[endpoint(method = "POST", path = "/api/v2/group{i}/things")]
    async fn post_thing_{i}(&self, #[body] body: &Thing) -> Result<Thing>;
"""
    if kind == 2:
        return f"""
    /// Replace thing {i}.
    #[endpoint(method = "PUT", path = "/api/v2/group{i}/things/{{thingId}}")]
    async fn put_thing_{i}(&self, thing_id: &str, #[body] body: Option<&Thing>) -> Result<Thing>;
"""
    return f"""
    /// Delete thing {i}.
    #[endpoint(method = "DELETE", path = "/api/v2/group{i}/things/{{thingId}}")]
    async fn delete_thing_{i}(&self, thing_id: &str) -> Result<()>;
"""


def call(i, kind_prefix=""):
    """One call of endpoint i, as a future boxed into the exercise list."""
    kind = i % 4
    args = {0: '"id", &["a"], Some(1)', 1: "&thing", 2: '"id", Some(&thing)', 3: '"id"'}[kind]
    name = {0: "get", 1: "post", 2: "put", 3: "delete"}[kind]
    return f"        calls.push(Box::pin(async move {{ let _ = client.{name}_thing_{i}({args}).await; }}));\n"


def exercise(n, client_type):
    """A function that instantiates every endpoint on a concrete client, so that both crates
    generate the code of every call (trait default methods are otherwise generic)."""
    calls = "".join(call(i) for i in range(n))
    return f"""
/// Every endpoint, instantiated for a concrete client.
pub fn exercise<'a>(client: &'a {client_type}, thing: &'a Thing) -> Vec<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>> {{
    let mut calls: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>> = Vec::new();
{calls}    calls
}}
"""


def macro_crate(n):
    body = "".join(macro_endpoint(i) for i in range(n))
    return f"""//! {n} endpoints declared with #[endpoint].
#![allow(missing_docs)]
use genesys_runtime::{{Api, Result, endpoint}};
{MODELS}
pub trait ThingsApi: Api {{{body}}}
impl<T: Api + ?Sized> ThingsApi for T {{}}
{exercise(n, "genesys_runtime::Client")}
"""


def hand_endpoint(i):
    """The same four shapes with reqwest: URL with encoding, query, headers, status, decode."""
    kind = i % 4
    if kind == 0:
        return f"""
    /// Get thing {i}.
    pub async fn get_thing_{i}(&self, thing_id: &str, expand: &[&str], page_size: Option<i32>) -> Result<Thing, Error> {{
        if thing_id.is_empty() {{ return Err(Error::EmptyArgument("thingId")); }}
        let mut url = format!("{{}}/api/v2/group{i}/things/{{}}", self.base, enc(thing_id));
        let mut sep = '?';
        for value in expand {{ url.push(sep); sep = '&'; url.push_str("expand="); url.push_str(&enc(value).to_string()); }}
        if let Some(size) = page_size {{ url.push(sep); url.push_str(&format!("pageSize={{size}}")); }}
        let response = self.http.get(url).header(AUTHORIZATION, self.auth.clone()).send().await?;
        decode(response).await
    }}
"""
    if kind == 1:
        return f"""
    /// Create thing {i}.
    pub async fn post_thing_{i}(&self, body: &Thing) -> Result<Thing, Error> {{
        let url = format!("{{}}/api/v2/group{i}/things", self.base);
        let response = self.http.post(url).header(AUTHORIZATION, self.auth.clone())
            .header(CONTENT_TYPE, "application/json").body(serde_json::to_vec(body)?).send().await?;
        decode(response).await
    }}
"""
    if kind == 2:
        return f"""
    /// Replace thing {i}.
    pub async fn put_thing_{i}(&self, thing_id: &str, body: Option<&Thing>) -> Result<Thing, Error> {{
        if thing_id.is_empty() {{ return Err(Error::EmptyArgument("thingId")); }}
        let url = format!("{{}}/api/v2/group{i}/things/{{}}", self.base, enc(thing_id));
        let mut request = self.http.put(url).header(AUTHORIZATION, self.auth.clone());
        if let Some(body) = body {{ request = request.header(CONTENT_TYPE, "application/json").body(serde_json::to_vec(body)?); }}
        decode(request.send().await?).await
    }}
"""
    return f"""
    /// Delete thing {i}.
    pub async fn delete_thing_{i}(&self, thing_id: &str) -> Result<(), Error> {{
        if thing_id.is_empty() {{ return Err(Error::EmptyArgument("thingId")); }}
        let url = format!("{{}}/api/v2/group{i}/things/{{}}", self.base, enc(thing_id));
        let response = self.http.delete(url).header(AUTHORIZATION, self.auth.clone()).send().await?;
        if !response.status().is_success() {{ return Err(Error::Status(response.status().as_u16(), response.text().await.unwrap_or_default())); }}
        Ok(())
    }}
"""


HAND_PRELUDE = """
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
fn enc(text: &str) -> percent_encoding::PercentEncode<'_> { utf8_percent_encode(text, COMPONENT) }

#[derive(Debug)]
pub enum Error { EmptyArgument(&'static str), Status(u16, String), Http(reqwest::Error), Json(serde_json::Error) }
impl From<reqwest::Error> for Error { fn from(e: reqwest::Error) -> Self { Error::Http(e) } }
impl From<serde_json::Error> for Error { fn from(e: serde_json::Error) -> Self { Error::Json(e) } }

async fn decode<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> Result<T, Error> {
    let status = response.status();
    let body = response.bytes().await?;
    if !status.is_success() { return Err(Error::Status(status.as_u16(), String::from_utf8_lossy(&body).into_owned())); }
    Ok(serde_json::from_slice(&body)?)
}

pub struct Client { http: reqwest::Client, base: String, auth: HeaderValue }
impl Client {
    pub fn new(base: &str, token: &str) -> Self {
        Client { http: reqwest::Client::new(), base: base.to_owned(), auth: HeaderValue::from_str(&format!("Bearer {token}")).unwrap() }
    }
}
"""


def hand_crate(n):
    body = "".join(hand_endpoint(i) for i in range(n))
    return f"""//! {n} endpoints written by hand with reqwest.
#![allow(missing_docs, clippy::all)]
{HAND_PRELUDE}
{MODELS}
impl Client {{{body}}}
{exercise(n, "Client")}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def generate():
    crates = []
    for n in SIZES:
        for style, source in (("macro", macro_crate(n)), ("hand", hand_crate(n))):
            name = f"{style}-{n}"
            crates.append(name)
            write(os.path.join(WORK, name, "src", "lib.rs"), source)
            write(
                os.path.join(WORK, name, "Cargo.toml"),
                f"""[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
genesys-runtime = {{ path = "{ROOT}/runtime" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
reqwest = {{ version = "0.13", default-features = false, features = ["rustls"] }}
percent-encoding = "2"
""",
            )
    members = ", ".join(f'"{c}"' for c in crates)
    write(
        os.path.join(WORK, "Cargo.toml"),
        f'[workspace]\nresolver = "3"\nmembers = [{members}]\n',
    )
    # Reuse the main workspace's lock file so that versions match what CI builds.
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(WORK, "Cargo.lock"))
    return crates


def cargo(*args):
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(WORK, "target"))
    subprocess.run(["cargo", *args], cwd=WORK, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    crates = generate()
    print("building dependencies once...", file=sys.stderr)
    cargo("build", "--workspace")
    results = {}
    for crate in crates:
        times = []
        for _ in range(args.runs):
            cargo("clean", "-p", crate)
            started = time.perf_counter()
            cargo("build", "-p", crate)
            times.append(time.perf_counter() - started)
        results[crate] = statistics.median(times)
        print(f"{crate:10} median {results[crate]:6.2f} s  runs {', '.join(f'{t:.2f}' for t in times)}")
    for n in SIZES:
        ratio = results[f"macro-{n}"] / results[f"hand-{n}"]
        print(f"{n} endpoints: macro / hand-written = {ratio:.2f}")
    grow = (results["macro-200"] - results["macro-20"]) / 180
    hand_grow = (results["hand-200"] - results["hand-20"]) / 180
    print(f"per extra endpoint: macro {grow * 1000:.1f} ms, hand-written {hand_grow * 1000:.1f} ms")


if __name__ == "__main__":
    main()
