//! Runs the tests of `tests/user-cloud`: a user's crate outside this workspace that enables
//! three groups of `genesys-cloud` (routing, analytics, recording) and tests a small
//! integration against `Stubs`: a listing, a body-paged analytics query and a recording's
//! download link. Part of `cargo test --workspace`, so of CI.

use genesys_tests::cargo_test_outside;

#[test]
fn the_user_crate_on_three_generated_groups_passes_its_tests() {
    let run = cargo_test_outside("user-cloud", &["--locked"]);
    let (stdout, stderr) = (&run.stdout, &run.stderr);
    assert!(
        run.success,
        "the user crate's tests failed:\n{stdout}\n{stderr}"
    );
    assert!(stderr.contains("tests/stubs.rs"), "{stderr}");
    assert!(
        stdout.contains("test queues_conversations_and_a_recording ... ok"),
        "{stdout}"
    );
}
