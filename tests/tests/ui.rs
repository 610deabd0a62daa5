//! Compile-fail and compile-pass cases for `#[endpoint]` declarations.
//!
//! `.stderr` files belong to one compiler: on any other rustc this test is ignored, not failed.
//! Regenerate with `TRYBUILD=overwrite cargo test -p genesys-tests --test ui` and read every
//! changed `.stderr` before committing.

#[rustversion::attr(not(stable(1.95)), ignore = "UI expectations are for stable 1.95")]
#[test]
fn declarations() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*/*.rs");
    cases.pass("pass/*.rs");
}
