use genesys_runtime::api;

#[api]
pub struct NotAnApi;

fn main() {}
