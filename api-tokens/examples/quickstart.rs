//! The quickstart: all six Tokens endpoints, end to end.
//!
//! ```sh
//! cargo run -p genesys-api-tokens --features fake --example quickstart
//! ```
//!
//! With no `GENESYSCLOUD_*` variables set, it starts the bundled local Genesys fake, logs in
//! with client credentials and walks through every endpoint. With `GENESYSCLOUD_REGION` and
//! `GENESYSCLOUD_ACCESS_TOKEN` (or `GENESYSCLOUD_OAUTHCLIENT_ID` and `_SECRET`) set, it runs
//! against your org, read-only unless you pass `--allow-writes` (which changes the idle
//! timeout to the value it already has, and revokes the token it used).

use std::process::ExitCode;

use genesys_api_tokens::fake::{DEFAULT_USER_ID, FakeGenesys};
use genesys_api_tokens::{Client, IdleTokenTimeout, TokenInfo, TokensApi};
use genesys_runtime::{ENV_ACCESS_TOKEN, ENV_OAUTHCLIENT_ID, Error, Result};

#[tokio::main]
async fn main() -> ExitCode {
    let allow_writes = std::env::args().any(|arg| arg == "--allow-writes");
    let real_org = [ENV_ACCESS_TOKEN, ENV_OAUTHCLIENT_ID]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
    let outcome = if real_org {
        against_your_org(allow_writes).await
    } else {
        against_the_fake().await
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nquickstart failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Every endpoint against the bundled fake: no account needed.
async fn against_the_fake() -> Result<()> {
    let fake = FakeGenesys::start().await;
    println!(
        "No GENESYSCLOUD_* variables set: using the local Genesys fake at {}\n",
        fake.url()
    );
    let client = fake.client_builder().build()?;

    step("GET /api/v2/tokens/me", "who does this token belong to?");
    let me = client.get_tokens_me(None).await?;
    describe(&me);

    step(
        "GET /api/v2/tokens/me?preserveIdleTTL=true",
        "look without resetting the idle timer",
    );
    let again = client.get_tokens_me(Some(true)).await?;
    println!(
        "  idles at {} (unchanged: {})",
        show_date(&again),
        again.date_token_idles == me.date_token_idles
    );

    step(
        "GET /api/v2/tokens/timeout",
        "the organization's idle token timeout",
    );
    let before = client.get_tokens_timeout().await?;
    println!("  before: {}", show_timeout(&before));

    step("PUT /api/v2/tokens/timeout", "change it to one hour");
    let change = IdleTokenTimeout::new()
        .with_idle_token_timeout_seconds(3600)
        .with_enable_idle_token_timeout(true);
    let after = client.put_tokens_timeout(Some(&change)).await?;
    println!("  after:  {}", show_timeout(&after));
    let too_short = IdleTokenTimeout::new().with_idle_token_timeout_seconds(60);
    match client.put_tokens_timeout(Some(&too_short)).await {
        Err(Error::Api(refused)) => println!("  60 s is refused: {refused}"),
        other => println!("  unexpected: {other:?}"),
    }

    step("HEAD /api/v2/tokens/me", "verify a user's token");
    let ada_token = fake
        .issue_user_token(DEFAULT_USER_ID)
        .expect("the fake has this user");
    let ada = Client::builder()
        .base_url(fake.url())
        .access_token(ada_token)
        .build()?;
    ada.head_tokens_me().await?;
    println!("  Ada's token is valid");

    step(
        "DELETE /api/v2/tokens/me",
        "Ada signs out: her token revokes itself",
    );
    ada.delete_tokens_me().await?;
    report_rejected(ada.head_tokens_me().await, "Ada's revoked token");

    step(
        "DELETE /api/v2/tokens/{userId}",
        "an admin revokes every token of a user",
    );
    let session_1 = fake.issue_user_token(DEFAULT_USER_ID).expect("user");
    let session_2 = fake.issue_user_token(DEFAULT_USER_ID).expect("user");
    client.delete_token(DEFAULT_USER_ID).await?;
    for (name, token) in [("session 1", session_1), ("session 2", session_2)] {
        let session = Client::builder()
            .base_url(fake.url())
            .access_token(token)
            .build()?;
        report_rejected(session.head_tokens_me().await, &format!("Ada's {name}"));
    }

    println!(
        "\nDone: 6 endpoints, {} requests served by the fake, each with an ININ-Correlation-Id.",
        fake.requests().len()
    );
    Ok(())
}

/// Against a real org: read-only unless `--allow-writes`.
async fn against_your_org(allow_writes: bool) -> Result<()> {
    let client = Client::from_env()?;
    println!(
        "Using your org at {} (read-only{})\n",
        client.base_url(),
        if allow_writes {
            " off: --allow-writes"
        } else {
            ""
        }
    );

    step("GET /api/v2/tokens/me", "who does this token belong to?");
    let me = client.get_tokens_me(Some(true)).await?;
    describe(&me);

    step(
        "GET /api/v2/tokens/timeout",
        "the organization's idle token timeout",
    );
    let timeout = client.get_tokens_timeout().await?;
    println!("  {}", show_timeout(&timeout));

    step("HEAD /api/v2/tokens/me", "verify the token");
    client.head_tokens_me().await?;
    println!("  the token is valid");

    if !allow_writes {
        println!(
            "\nRead-only run done. Pass --allow-writes to also PUT the timeout (same value) and revoke this token."
        );
        return Ok(());
    }
    step(
        "PUT /api/v2/tokens/timeout",
        "write back the current setting",
    );
    let stored = client.put_tokens_timeout(Some(&timeout)).await?;
    println!("  stored: {}", show_timeout(&stored));

    step("DELETE /api/v2/tokens/me", "revoke the token this run used");
    client.delete_tokens_me().await?;
    println!("  revoked");
    Ok(())
}

fn step(route: &str, what: &str) {
    println!("\n> {route}  ({what})");
}

fn describe(info: &TokenInfo) {
    let org = info.organization.as_ref();
    println!(
        "  organization: {} ({})",
        org.and_then(|o| o.name.as_deref()).unwrap_or("?"),
        org.and_then(|o| o.id.as_deref()).unwrap_or("?")
    );
    if let Some(client) = &info.oauth_client {
        println!(
            "  OAuth client: {} ({}), grant {}",
            client.name.as_deref().unwrap_or("?"),
            client.id.as_deref().unwrap_or("?"),
            client
                .authorized_grant_type
                .as_ref()
                .map_or("?", |g| g.as_str())
        );
    }
    println!(
        "  scopes: {}",
        info.authorized_scope
            .as_deref()
            .unwrap_or_default()
            .join(", ")
    );
    println!("  idles at {}", show_date(info));
}

fn show_date(info: &TokenInfo) -> String {
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    info.date_token_idles
        .and_then(|date| date.format(rfc3339).ok())
        .unwrap_or_else(|| "never (no idle timeout)".to_owned())
}

fn show_timeout(timeout: &IdleTokenTimeout) -> String {
    format!(
        "{} s, enforced: {}",
        timeout
            .idle_token_timeout_seconds
            .map_or("?".to_owned(), |s| s.to_string()),
        timeout
            .enable_idle_token_timeout
            .map_or("?".to_owned(), |e| e.to_string())
    )
}

fn report_rejected(outcome: Result<()>, whose: &str) {
    match outcome {
        Err(Error::Api(error)) if error.status() == 401 => {
            println!("  {whose} is now rejected: {}", error.status());
        }
        other => println!("  unexpected for {whose}: {other:?}"),
    }
}
