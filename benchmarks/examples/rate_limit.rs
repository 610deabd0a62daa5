//! A bulk job against a server that limits requests per token the way Genesys does: a
//! token bucket (50 requests a second, 50 at once after a quiet spell), and `429` with
//! `Retry-After` (whole seconds) when it is empty.
//!
//! ```sh
//! cargo run --release -p genesys-benchmarks --example rate_limit -- [CONTENDER...]
//! ```
//!
//! Each contender makes `RATE_JOB_CALLS` (3,000) `get_tokens_me` calls with 64 concurrent
//! tasks, under the default retry policy: `off` (no shared budget: each call finds the limit
//! with its own `429`, as before issue 22), `shared` (the default budget: one `429`'s
//! `Retry-After` holds every call) and `paced` (`ClientBuilder::rate_limit` at the known
//! 50 a second), and `python`, the official Python SDK with its own retry and 64 threads
//! (`benchmarks/rate_limit_python.py`, in its own process). The server runs in a child
//! process (`rate_limit serve`), so the CPU time and peak memory are the client's. One line per contender: completion time against the
//! minimum the limit allows, the share of requests answered `429`, failed calls, CPU time
//! and peak resident memory. Exits with an error if a call failed with the budget on
//! (`shared`, `paced`): the client claims none do under the default policy.

use std::io::BufRead;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use genesys_api_tokens::TokensApi;
use genesys_benchmarks::ChildServer;
use genesys_runtime::{BudgetState, Client, RateBudget, RateLimit};

/// Requests a second the server allows per token, and its bucket.
const RATE: u32 = 50;
const BURST: u32 = 50;
const TASKS: usize = 64;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("serve") {
        return serve();
    }
    let calls: usize = std::env::var("RATE_JOB_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3_000);
    let contenders = if args.is_empty() {
        ["off", "shared", "paced", "python"]
            .map(str::to_owned)
            .to_vec()
    } else {
        args
    };
    // The minimum: the bucket's burst at once, then the rest at the rate.
    let minimum =
        Duration::from_secs_f64(calls.saturating_sub(BURST as usize) as f64 / f64::from(RATE));
    println!(
        "{calls} GETs, {TASKS} tasks, server limit {RATE}/s (bucket of {BURST}): at least {:.1} s",
        minimum.as_secs_f64()
    );
    let mut lost = Vec::new();
    for contender in contenders {
        // A fresh server (a full bucket) for each contender.
        let mut server = ChildServer::start();
        let outcome = match contender.as_str() {
            "python" => python(server.addr, calls),
            "off" | "shared" | "paced" => rust(&contender, server.addr, calls),
            other => {
                eprintln!("unknown contender `{other}`: off, shared, paced or python");
                std::process::exit(2);
            }
        };
        let (sent, limited) = counts(&mut server);
        println!(
            "{contender}: {:.1} s ({:.3}x the minimum), {sent} requests, {limited} answered 429 ({:.2}%), {} calls failed, CPU {:.2} s, peak RSS {} KiB{}",
            outcome.elapsed.as_secs_f64(),
            outcome.elapsed.as_secs_f64() / minimum.as_secs_f64(),
            100.0 * limited as f64 / sent.max(1) as f64,
            outcome.failed,
            outcome.cpu.as_secs_f64(),
            outcome.peak_rss_kib,
            outcome.budget,
        );
        if outcome.failed > 0 && (contender == "shared" || contender == "paced") {
            lost.push(contender);
        }
    }
    // What this client claims: with its budget, no call is lost under the default policy.
    if !lost.is_empty() {
        eprintln!(
            "error: calls failed with the rate budget on ({}): it must lose none",
            lost.join(", ")
        );
        std::process::exit(1);
    }
}

/// What a contender's job came to.
struct Outcome {
    elapsed: Duration,
    failed: usize,
    cpu: Duration,
    peak_rss_kib: u64,
    /// What the client's budget reports, if it has one.
    budget: String,
}

/// This client: `off` (no shared budget), `shared` (the default) or `paced`.
fn rust(contender: &str, addr: SocketAddr, calls: usize) -> Outcome {
    let client = match contender {
        "off" => builder(addr).rate_budget(Arc::new(Off)),
        "paced" => builder(addr).rate_limit(RateLimit::per_second(RATE)),
        _ => builder(addr),
    }
    .build()
    .expect("client");
    let cpu_before = cpu_time();
    let started = Instant::now();
    let failed = run_job(&client, calls);
    let elapsed = started.elapsed();
    Outcome {
        elapsed,
        failed,
        cpu: cpu_time().saturating_sub(cpu_before),
        peak_rss_kib: peak_rss_kib(),
        budget: format!(", budget: {}", describe(&client.rate_budget())),
    }
}

/// The official Python SDK with its own retry, `TASKS` threads, in its own process
/// (`benchmarks/rate_limit_python.py`, which installs the pinned SDK on first use).
fn python(addr: SocketAddr, calls: usize) -> Outcome {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/rate_limit_python.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(format!("http://{addr}"))
        .arg(genesys_benchmarks::TOKEN)
        .arg(calls.to_string())
        .arg(TASKS.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()
        .unwrap_or_else(|e| {
            eprintln!("the python contender needs python3 (and pip, to install the SDK): {e}");
            std::process::exit(1);
        });
    let line = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<f64> = line
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [elapsed, failed, cpu, rss] = fields[..] else {
        eprintln!("the python contender failed ({}): {line:?}", output.status);
        std::process::exit(1);
    };
    Outcome {
        elapsed: Duration::from_secs_f64(elapsed),
        failed: failed as usize,
        cpu: Duration::from_secs_f64(cpu),
        peak_rss_kib: rss as u64,
        budget: String::new(),
    }
}

fn builder(addr: SocketAddr) -> genesys_runtime::ClientBuilder {
    Client::builder()
        .base_url(format!("http://{addr}"))
        .access_token(genesys_benchmarks::TOKEN)
}

/// The job: `calls` calls spread over `TASKS` tasks; returns how many failed.
fn run_job(client: &Client, calls: usize) -> usize {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let next = Arc::new(AtomicU64::new(0));
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let client = client.clone();
                let next = next.clone();
                tokio::spawn(async move {
                    let mut failed = 0;
                    while next.fetch_add(1, Ordering::Relaxed) < calls as u64 {
                        if client.get_tokens_me(None).await.is_err() {
                            failed += 1;
                        }
                    }
                    failed
                })
            })
            .collect();
        let mut failed = 0;
        for task in tasks {
            failed += task.await.expect("task");
        }
        failed
    })
}

fn describe(state: &BudgetState) -> String {
    format!(
        "{} 429s seen, {} attempts delayed for {:.1} s in all",
        state.limited,
        state.delayed,
        state.delay.as_secs_f64()
    )
}

/// No shared budget: every call finds the limit itself (the client before issue 22).
#[derive(Debug)]
struct Off;

impl RateBudget for Off {
    fn admit(&self) -> Option<Instant> {
        None
    }

    fn limited(&self, _until: Instant) {}

    fn state(&self) -> BudgetState {
        BudgetState::default()
    }
}

/// This process's CPU time, user and system (Linux: `/proc/self/stat`, 100 ticks a second).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // After the command name: state is field 0, utime 11, stime 12.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// Peak resident memory, in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .expect("a response of static parts")
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// `rate_limit serve`: the limiting server, printing its address, then the counts
/// (`sent limited`) on each line read from stdin, until stdin closes.
fn serve() {
    let (addr, counts) = limiting_server();
    println!("{addr}");
    let stdin = std::io::stdin();
    let mut line = String::new();
    while stdin.lock().read_line(&mut line).is_ok_and(|n| n > 0) {
        println!(
            "{} {}",
            counts.0.load(Ordering::Relaxed),
            counts.1.load(Ordering::Relaxed)
        );
        line.clear();
    }
}

/// Requests received, and those answered 429.
type Counts = Arc<(AtomicU64, AtomicU64)>;

/// The server: one token bucket (the benchmark has one token).
fn limiting_server() -> (SocketAddr, Counts) {
    use http_body_util::Full;
    use std::sync::Mutex;

    let counts: Counts = Arc::default();
    let bucket = Mutex::new((f64::from(BURST), Instant::now()));
    let body = genesys_benchmarks::token_info_json();
    let server_counts = counts.clone();
    let addr = genesys_benchmarks::serve(move |_request| {
        server_counts.0.fetch_add(1, Ordering::Relaxed);
        let builder = hyper::Response::builder().header("content-type", "application/json");
        match take(&bucket) {
            None => builder.body(Full::new(body.clone())),
            Some(wait) => {
                server_counts.1.fetch_add(1, Ordering::Relaxed);
                builder
                    .status(429)
                    .header("retry-after", wait.to_string())
                    .body(Full::new(bytes::Bytes::from_static(
                        br#"{"message":"Rate limit exceeded the maximum","code":"too.many.requests","status":429}"#,
                    )))
            }
        }
        .expect("a response of static parts")
    });
    (addr, counts)
}

/// Takes a token from the bucket, or says how many whole seconds until one is there.
fn take(bucket: &std::sync::Mutex<(f64, Instant)>) -> Option<u64> {
    let mut bucket = bucket.lock().unwrap_or_else(|e| e.into_inner());
    let now = Instant::now();
    let refill = now.duration_since(bucket.1).as_secs_f64() * f64::from(RATE);
    bucket.0 = (bucket.0 + refill).min(f64::from(BURST));
    bucket.1 = now;
    if bucket.0 >= 1.0 {
        bucket.0 -= 1.0;
        None
    } else {
        let seconds = (1.0 - bucket.0) / f64::from(RATE);
        Some(seconds.ceil().max(1.0) as u64)
    }
}

/// Requests the server received, and those it answered 429.
fn counts(server: &mut ChildServer) -> (u64, u64) {
    let line = server.ask();
    let mut numbers = line.split_whitespace().map(|n| n.parse().unwrap_or(0));
    (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0))
}
