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
//! hand, decoding `genesys_cloud`'s model), `hook` (`generated` with one no-op hook),
//! `bare_hyper`, or `listing` and `hand_written_listing` (a 4-page listing of 100 users, a
//! "call" being one listing: 285 of them, 1,140 requests); `stub` makes a client over
//! `Stubs` and completes one stubbed call (what a test pays per stub client); `none`
//! runs only the server start-up, to subtract from `stub`. Each contender's figure per call
//! is its run minus its own run with `INSTRUCTIONS_CALLS=0` (the same program making its
//! client and no call), divided by the calls. Each run makes 500 sequential
//! calls and 10 rounds of 64 concurrent calls. The loopback server runs in a child process
//! (`instructions serve`), which callgrind does not follow, so the counts are the client's.

use genesys_api_tokens::TokensApi;
use genesys_runtime::StatusCode;
use genesys_runtime::testing::{Reply, Stubs};
use std::io::Read;

use genesys_benchmarks::{
    BareHyper, ChildServer, HandWritten, PAGE_COUNT, PAGE_SIZE, generated_client, start_server,
    token_info_json,
};

const SEQUENTIAL: usize = 500;
const ROUNDS: usize = 10;
const CALLERS: usize = 64;

fn main() {
    let contender = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "generated".to_owned());
    if contender == "serve" {
        return serve();
    }
    // The server runs in a child process, which callgrind does not follow: the counts are
    // the client's alone.
    let server = ChildServer::start();
    let addr = server.addr;
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
            "hook" => {
                // The generated call with one hook that does nothing.
                struct Noop;
                impl genesys_runtime::Hook for Noop {}
                let client = genesys_runtime::Client::builder()
                    .base_url(format!("http://{addr}"))
                    .access_token(genesys_benchmarks::TOKEN)
                    .hook(Noop)
                    .build()
                    .expect("client");
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
            "stub" => {
                let stubs = Stubs::new();
                stubs
                    .on(&genesys_api_tokens::TOKENS_API, "get_tokens_me")
                    .reply(Reply::status(StatusCode::OK).with_body(token_info_json()));
                let client = stubs.client();
                client.get_tokens_me(None).await.map(drop).expect("call");
            }
            "listing" => {
                use genesys_benchmarks::UsersApi;
                let client = generated_client(addr);
                listings(move || {
                    let client = client.clone();
                    async move {
                        let mut users = client.list_users().page_size(PAGE_SIZE).items();
                        let mut listed = 0;
                        while let Some(user) = users.try_next().await.expect("page") {
                            std::hint::black_box(user);
                            listed += 1;
                        }
                        assert_eq!(listed, LISTED);
                    }
                })
                .await;
            }
            "hand_written_listing" => {
                let client = HandWritten::new(addr);
                listings(move || {
                    let client = client.clone();
                    async move {
                        let listed = client
                            .list_users(PAGE_SIZE, |user| {
                                std::hint::black_box(user);
                            })
                            .await
                            .expect("page");
                        assert_eq!(listed, LISTED);
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
            "none" => {}
            other => {
                eprintln!("unknown contender `{other}`: see this file's first comment");
                std::process::exit(2);
            }
        }
    });
}

/// Users in one listing.
const LISTED: usize = (PAGE_SIZE * PAGE_COUNT) as usize;

/// The listing workload: `workload`'s shape with a listing of `PAGE_COUNT` pages as the
/// call, a quarter as many times (1,140 requests, 28,500 users).
async fn listings<F, Fut>(list: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    runs(list, PAGE_COUNT as usize).await
}

/// The same calls for every contender: sequential, then rounds of concurrent callers; or
/// only one kind (`INSTRUCTIONS_WORKLOAD=sequential`: 1,140 sequential calls;
/// `concurrent`: 1,140 calls in rounds of 64 and one of 52), the same number of calls.
async fn workload<F, Fut>(call: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    runs(call, 1).await
}

/// `workload`, each call being `requests` requests: as many calls divided by that.
async fn runs<F, Fut>(call: F, requests: usize)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    // `INSTRUCTIONS_CALLS=0` makes the client and no call: what to subtract from a run, so
    // that the figures per call hold the calls alone (not the client's TLS roots, say).
    let calls = std::env::var("INSTRUCTIONS_CALLS")
        .ok()
        .and_then(|calls| calls.parse().ok())
        .unwrap_or(SEQUENTIAL + ROUNDS * CALLERS);
    let total = calls / requests;
    let (sequential, mut concurrent) = match std::env::var("INSTRUCTIONS_WORKLOAD").as_deref() {
        Ok("sequential") => (total, 0),
        Ok("concurrent") => (0, total),
        _ => {
            let sequential = (SEQUENTIAL / requests).min(total);
            (sequential, total - sequential)
        }
    };
    for _ in 0..sequential {
        call().await;
    }
    while concurrent > 0 {
        let round = concurrent.min(CALLERS);
        concurrent -= round;
        let tasks: Vec<_> = (0..round).map(|_| tokio::spawn(call())).collect();
        for task in tasks {
            task.await.expect("task");
        }
    }
}

/// `instructions serve`: the loopback server, printing its address, until stdin closes (the
/// client exited or dropped its `Server`).
fn serve() {
    let addr = start_server(token_info_json());
    println!("{addr}");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}
