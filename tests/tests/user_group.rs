//! Runs the tests of `tests/user-group`: a user's crate outside this workspace that depends
//! on the runtime by path under another name (`genesys`), declares its own group with
//! `#[api(crate = "genesys")]`, and tests it over loopback (listings in the three paging
//! styles, every body kind, `Accept`, a 100 MiB streamed download, `202` as `Response<()>`,
//! serde enums as values), and its business logic with in-process stubs (no socket), with
//! the loopback fake, and with hooks. Part of `cargo test --workspace`, so of CI.

use std::path::Path;
use std::process::Command;

#[test]
fn the_user_crate_outside_the_workspace_passes_its_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = root.join("user-group/Cargo.toml");
    let target = root.join("../target/user-group");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["test", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        // This test's own build settings are not the user crate's.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the user crate's tests failed:\n{stdout}\n{stderr}"
    );
    // Every test binary ran, with every test in it.
    for binary in ["download", "fake", "group", "hooks", "stubs"] {
        // Cargo names each binary it runs on stderr.
        assert!(
            stderr.contains(&format!("tests/{binary}.rs")),
            "{binary}: {stderr}"
        );
    }
    let passed: usize = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(passed, 15, "{stdout}");
}
