//! Prints the size of each contender's call future (a large future costs copies when it is
//! spawned and moved): `cargo run -p genesys-benchmarks --example future_sizes`.

use genesys_api_tokens::TokensApi;
use genesys_benchmarks::{BareHyper, HandWritten, generated_client};

fn main() {
    let addr = "127.0.0.1:9".parse().expect("address");
    let generated = generated_client(addr);
    let hand = HandWritten::new(addr);
    let hyper = BareHyper::new(addr);
    println!(
        "generated    get_tokens_me: {} bytes",
        std::mem::size_of_val(&generated.get_tokens_me(None))
    );
    println!(
        "hand-written get_tokens_me: {} bytes",
        std::mem::size_of_val(&hand.get_tokens_me(None))
    );
    println!(
        "bare hyper   get_tokens_me: {} bytes",
        std::mem::size_of_val(&hyper.get_tokens_me())
    );
}
