//! This crate's declaration mistakes, each a compile error in the runtime's words: the
//! snapshots hold this crate's files and those words only.

#[test]
fn declaration_mistakes_are_compile_errors() {
    trybuild::TestCases::new().compile_fail("tests/compile-fail/*.rs");
}
