//! Runs the compile-fail suite of `tests/user-declarations`: a user's crate outside this
//! workspace that checks its own declaration mistakes with trybuild, against the runtime by
//! path under another name. Its snapshots hold only its own files and the runtime's words, so
//! they pass unchanged when the runtime comes from a registry (CI runs this test again on a
//! copy made by `.ci/registry.sh`: `GENESYS_USER_CRATES`).
//! Part of `cargo test --workspace`, so of CI.

use genesys_tests::cargo_test_outside;

// The snapshots belong to one rustc, as `ui.rs`'s do; CI fails when this did not run.
#[rustversion::attr(not(stable(1.95)), ignore = "UI expectations are for stable 1.95")]
#[test]
fn a_users_own_compile_fail_snapshots_pass() {
    let run = cargo_test_outside("user-declarations", &["--locked", "--", "--nocapture"]);
    let (stdout, stderr) = (&run.stdout, &run.stderr);
    assert!(
        run.success,
        "the user crate's compile-fail snapshots failed:\n{stdout}\n{stderr}"
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = std::fs::read_dir(root.join("user-declarations/tests/compile-fail"))
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "rs"))
        })
        .count();
    // trybuild names each case it checked, with `ok` when it failed as recorded.
    let checked = stdout
        .lines()
        .chain(stderr.lines())
        .filter(|line| line.contains("tests/compile-fail/") && line.ends_with("ok"))
        .count();
    assert_eq!(checked, cases, "every case ran:\n{stdout}\n{stderr}");
    assert!(cases >= 11, "{cases} cases");
}
