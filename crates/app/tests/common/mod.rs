//! What the app's tests share: a real chamado-central in the test process.
pub use chamado_testkit::central::Central;
