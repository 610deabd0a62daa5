#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod groups;
pub mod models;
mod types;

pub use genesys_runtime as runtime;
pub use genesys_runtime::{
    Api, ByteStream, CallOptions, Client, ClientBuilder, Error, Listing, Page, PlainText, Region,
    Result, RetryPolicy,
};
#[allow(unused_imports)]
pub use groups::*;
pub use types::{Date, DateTime};
