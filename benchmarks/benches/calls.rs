//! Generated endpoints against hand-written reqwest calls and a bare hyper client.
//!
//! Run with `cargo bench -p genesys-benchmarks --bench calls` (or `bash benchmarks/run.sh`
//! for everything). The counting allocator reports allocations per iteration.

use std::sync::OnceLock;

use genesys_api_tokens::{IdleTokenTimeout, InactivityTimeoutUnit, TokenInfo, TokensApi};
use genesys_benchmarks::{BareHyper, HandWritten, generated_client, start_server, token_info_json};
use genesys_runtime::__private::{Method, RawResponse};
use genesys_runtime::{FromResponse, Route};

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

fn server() -> std::net::SocketAddr {
    static ADDR: OnceLock<std::net::SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| start_server(token_info_json()))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// One call at a time over a kept-alive connection: `GET /api/v2/tokens/me`, decoded.
#[divan::bench_group(sample_count = 300, sample_size = 20)]
mod latency {
    use super::*;

    #[divan::bench]
    fn generated(bencher: divan::Bencher) {
        let rt = runtime();
        let client = generated_client(server());
        rt.block_on(client.get_tokens_me(None)).expect("warm-up");
        bencher.bench_local(|| rt.block_on(client.get_tokens_me(None)).expect("call"));
    }

    #[divan::bench]
    fn hand_written(bencher: divan::Bencher) {
        let rt = runtime();
        let client = HandWritten::new(server());
        rt.block_on(client.get_tokens_me(None)).expect("warm-up");
        bencher.bench_local(|| rt.block_on(client.get_tokens_me(None)).expect("call"));
    }

    #[divan::bench]
    fn bare_hyper(bencher: divan::Bencher) {
        let rt = runtime();
        let client = BareHyper::new(server());
        rt.block_on(client.get_tokens_me()).expect("warm-up");
        bencher.bench_local(|| rt.block_on(client.get_tokens_me()).expect("call"));
    }
}

/// 64 concurrent callers sharing one client; one iteration is 64 calls.
#[divan::bench_group(sample_count = 60, sample_size = 1)]
mod throughput_64 {
    use super::*;

    const CALLERS: usize = 64;

    fn run<F, Fut>(bencher: divan::Bencher, call: F)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let rt = runtime();
        rt.block_on(async {
            let warm: Vec<_> = (0..CALLERS).map(|_| tokio::spawn(call())).collect();
            for task in warm {
                task.await.expect("warm-up");
            }
        });
        bencher
            .counter(divan::counter::ItemsCount::new(CALLERS))
            .bench_local(|| {
                rt.block_on(async {
                    let tasks: Vec<_> = (0..CALLERS).map(|_| tokio::spawn(call())).collect();
                    for task in tasks {
                        task.await.expect("call");
                    }
                })
            });
    }

    #[divan::bench]
    fn generated(bencher: divan::Bencher) {
        let client = generated_client(server());
        run(bencher, move || {
            let client = client.clone();
            async move {
                client.get_tokens_me(None).await.expect("call");
            }
        });
    }

    #[divan::bench]
    fn hand_written(bencher: divan::Bencher) {
        let client = HandWritten::new(server());
        run(bencher, move || {
            let client = client.clone();
            async move {
                client.get_tokens_me(None).await.expect("call");
            }
        });
    }

    #[divan::bench]
    fn bare_hyper(bencher: divan::Bencher) {
        let client = BareHyper::new(server());
        run(bencher, move || {
            let client = client.clone();
            async move {
                client.get_tokens_me().await.expect("call");
            }
        });
    }
}

/// Building a request without sending it: the URL (path encoding, query) and the body.
///
/// A generated method encodes its arguments when it is called; the returned future is
/// dropped here without being polled, so nothing is sent.
#[divan::bench_group(sample_count = 500, sample_size = 200)]
mod build {
    use super::*;

    const HOSTILE_ID: &str = "../jane doe/?#%日本";

    fn body() -> IdleTokenTimeout {
        IdleTokenTimeout::new()
            .with_idle_token_timeout_seconds(3600)
            .with_enable_idle_token_timeout(true)
            .with_inactivity_timeout_unit(InactivityTimeoutUnit::Hours)
    }

    #[divan::bench]
    fn generated_get_with_query(bencher: divan::Bencher) {
        let client = generated_client(server());
        bencher.bench_local(|| drop(divan::black_box(client.get_tokens_me(Some(true)))));
    }

    #[divan::bench]
    fn hand_written_get_with_query(bencher: divan::Bencher) {
        let base = generated_client(server()).base_url().to_owned();
        bencher.bench_local(|| HandWritten::tokens_me_url(divan::black_box(&base), Some(true)));
    }

    #[divan::bench]
    fn generated_path_segment(bencher: divan::Bencher) {
        let client = generated_client(server());
        bencher.bench_local(|| drop(divan::black_box(client.delete_token(HOSTILE_ID))));
    }

    #[divan::bench]
    fn hand_written_path_segment(bencher: divan::Bencher) {
        let base = generated_client(server()).base_url().to_owned();
        bencher.bench_local(|| HandWritten::delete_token_url(divan::black_box(&base), HOSTILE_ID));
    }

    #[divan::bench]
    fn generated_json_body(bencher: divan::Bencher) {
        let client = generated_client(server());
        let body = body();
        bencher.bench_local(|| drop(divan::black_box(client.put_tokens_timeout(Some(&body)))));
    }

    #[divan::bench]
    fn hand_written_json_body(bencher: divan::Bencher) {
        let base = generated_client(server()).base_url().to_owned();
        let body = body();
        bencher
            .bench_local(|| HandWritten::put_tokens_timeout_parts(divan::black_box(&base), &body));
    }
}

/// Decoding a realistic `TokenInfo` body.
#[divan::bench_group(sample_count = 500, sample_size = 50)]
mod decode {
    use super::*;

    #[divan::bench]
    fn generated(bencher: divan::Bencher) {
        let body = token_info_json();
        let route = Route {
            method: Method::GET,
            template: "/api/v2/tokens/me",
        };
        bencher.bench_local(|| {
            let raw = RawResponse::from_parts(
                route.clone(),
                http::StatusCode::OK,
                http::HeaderMap::new(),
                body.clone(),
            );
            <TokenInfo as FromResponse>::from_response(raw).expect("decodes")
        });
    }

    #[divan::bench]
    fn hand_written(bencher: divan::Bencher) {
        let body = token_info_json();
        bencher.bench_local(|| serde_json::from_slice::<TokenInfo>(&body).expect("decodes"));
    }
}
