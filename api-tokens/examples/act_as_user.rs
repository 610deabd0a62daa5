//! Acting as a user: the refresh-token grant after an authorization-code (or PKCE) sign-in.
//!
//! ```sh
//! cargo run -p genesys-api-tokens --features fake --example act_as_user
//! ```
//!
//! An app that signs users in gets an access token and a refresh token from the
//! authorization-code exchange. Given both, [`RefreshTokenGrant`] uses the access token until
//! it expires or the API refuses it, then asks `/oauth/token` for a new one
//! (`grant_type=refresh_token`) and replays the call, with the client's caching,
//! single-flight renewal, retries and timeouts. This runs against the bundled fake, which
//! plays the sign-in with `sign_in_user`; against your org, the two tokens come from your
//! sign-in page and the client is built the same way with `.region(..)`.

use std::process::ExitCode;
use std::sync::Arc;

use genesys_api_tokens::fake::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_USER_ID, FakeGenesys,
};
use genesys_api_tokens::{Client, TokensApi};
use genesys_runtime::Result;
use genesys_runtime::auth::{RefreshTokenGrant, Token};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nact_as_user failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<()> {
    let fake = FakeGenesys::start().await;
    println!("Local Genesys fake at {}\n", fake.url());

    // What the authorization-code exchange returned for the user who signed in.
    let signed_in = fake
        .sign_in_user(DEFAULT_CLIENT_ID, DEFAULT_USER_ID)
        .expect("the fake has this client and user");
    let grant = Arc::new(
        RefreshTokenGrant::new(DEFAULT_CLIENT_ID, signed_in.refresh_token.as_str())
            .client_secret(DEFAULT_CLIENT_SECRET)
            .first_token(
                Token::new(signed_in.access_token.as_str()).expires_in(signed_in.expires_in),
            ),
    );
    let client = Client::builder()
        .base_url(fake.url())
        .token_source(grant.clone())
        .build()?;

    let me = client.get_tokens_me(None).await?;
    let user = me.cloned_user.and_then(|u| u.id).unwrap_or_default();
    println!("> GET /api/v2/tokens/me as the signed-in user {user}: no token request needed");

    fake.expire_token(&signed_in.access_token);
    println!("> the access token expires early (the client still thinks it fresh)");
    let before = fake.requests().len();
    client.head_tokens_me().await?;
    println!("> HEAD /api/v2/tokens/me, as the fake saw it:");
    for request in &fake.requests()[before..] {
        println!(
            "    {} {} -> {}",
            request.method, request.path, request.status
        );
    }

    // Keep the (possibly rotated) refresh token for the user's next session.
    let _store_me = grant.refresh_token();
    println!("\nDone: the refresh token to store for next time is at hand (never printed).");
    Ok(())
}
