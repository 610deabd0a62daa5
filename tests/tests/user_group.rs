//! Runs the tests of `tests/user-group`: a user's crate outside this workspace that depends
//! on the runtime by path under another name (`genesys`), declares its own group with
//! `#[api(crate = "genesys")]`, and tests it over loopback (listings in the three paging
//! styles, every body kind, `Accept`, a 100 MiB streamed download, `202` as `Response<()>`,
//! serde enums as values; every listing shape of the catalog, named optional parameters, a
//! pre-signed download from another host), and its business logic with in-process stubs (no socket), with
//! the loopback fake, and with hooks; two OAuth clients used in turn (`pool.rs`); and its
//! own code fed real-time events by the fake (`notifications.rs`, the runtime and
//! `genesys-notifications` both renamed). Part of `cargo test --workspace`, so of CI, which
//! runs it again with our crates from a (vendored) registry (`.ci/registry.sh`).

use genesys_tests::cargo_test_outside;

#[test]
fn the_user_crate_outside_the_workspace_passes_its_tests() {
    let run = cargo_test_outside("user-group", &["--locked"]);
    let (stdout, stderr) = (&run.stdout, &run.stderr);
    assert!(
        run.success,
        "the user crate's tests failed:\n{stdout}\n{stderr}"
    );
    // Every test binary ran, with every test in it.
    for binary in [
        "download",
        "fake",
        "group",
        "hooks",
        "notifications",
        "pool",
        "shapes",
        "stubs",
    ] {
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
    assert_eq!(passed, 26, "{stdout}");
}
