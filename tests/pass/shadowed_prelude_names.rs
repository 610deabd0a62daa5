//! User code that shadows `Result`, `Option`, `Box`, `Send`, `Future`, `core`, `std` and the
//! runtime crate's name still expands and compiles.
#![allow(dead_code, non_camel_case_types)]

use ::genesys_runtime::{Api, endpoint};

type Result<T> = ::genesys_runtime::Result<T>;
struct Option;
struct Box;
struct Send;
struct Future;
mod core {}
mod std {}
mod genesys_runtime {}
mod http {}
mod serde {}

#[derive(::serde::Deserialize, ::serde::Serialize)]
pub struct User {
    pub id: ::core::option::Option<::std::string::String>,
}

pub trait UsersApi: Api {
    #[endpoint(method = "GET", path = "/api/v2/users/{userId}")]
    async fn get_user(
        &self,
        user_id: &str,
        #[query] expand: ::core::option::Option<&[&str]>,
    ) -> Result<User>;

    #[endpoint(method = "PUT", path = "/api/v2/users/{userId}")]
    async fn put_user(
        &self,
        user_id: &str,
        #[body] body: ::core::option::Option<&User>,
    ) -> Result<()>;
}

impl<T: Api + ?::core::marker::Sized> UsersApi for T {}

fn main() {}
