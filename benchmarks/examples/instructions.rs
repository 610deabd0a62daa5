//! A fixed workload for instruction counting under callgrind, which is repeatable where
//! wall-clock time on a shared machine is not:
//!
//! ```sh
//! cargo build --release -p genesys-benchmarks --example instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/instructions generated
//! ```
//!
//! The argument picks the contender: `generated`, `hand_written`, `cloud` (the same
//! operation from `genesys_cloud`'s generated Tokens group), `cloud_hand_written` (reqwest by
//! hand, decoding `genesys_cloud`'s model) or `bare_hyper`; `none`
//! runs only the server start-up and warm-up, to subtract. Each run makes 500 sequential
//! calls and 10 rounds of 64 concurrent calls.

use genesys_api_tokens::TokensApi;
use genesys_benchmarks::{BareHyper, HandWritten, generated_client, start_server, token_info_json};

const SEQUENTIAL: usize = 500;
const ROUNDS: usize = 10;
const CALLERS: usize = 64;

fn main() {
    let contender = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "generated".to_owned());
    let addr = start_server(token_info_json());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        match contender.as_str() {
            "generated" => {
                let client = generated_client(addr);
                workload(move || {
                    let client = client.clone();
                    async move { client.get_tokens_me(None).await.map(drop).expect("call") }
                })
                .await;
            }
            "hand_written" => {
                let client = HandWritten::new(addr);
                workload(move || {
                    let client = client.clone();
                    async move { client.get_tokens_me(None).await.map(drop).expect("call") }
                })
                .await;
            }
            "cloud" => {
                use genesys_cloud::TokensApi;
                let client = generated_client(addr);
                workload(move || {
                    let client = client.clone();
                    async move {
                        TokensApi::get_tokens_me(&client)
                            .send()
                            .await
                            .map(drop)
                            .expect("call")
                    }
                })
                .await;
            }
            "cloud_hand_written" => {
                let client = HandWritten::new(addr);
                workload(move || {
                    let client = client.clone();
                    async move {
                        client
                            .get_tokens_me_into::<genesys_cloud::models::TokenInfo>(None)
                            .await
                            .map(drop)
                            .expect("call")
                    }
                })
                .await;
            }
            "bare_hyper" => {
                let client = BareHyper::new(addr);
                workload(move || {
                    let client = client.clone();
                    async move { client.get_tokens_me().await.map(drop).expect("call") }
                })
                .await;
            }
            _ => {}
        }
    });
}

/// The same calls for every contender: sequential, then rounds of concurrent callers.
async fn workload<F, Fut>(call: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    for _ in 0..SEQUENTIAL {
        call().await;
    }
    for _ in 0..ROUNDS {
        let tasks: Vec<_> = (0..CALLERS).map(|_| tokio::spawn(call())).collect();
        for task in tasks {
            task.await.expect("task");
        }
    }
}
