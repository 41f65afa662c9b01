//! Personal data (user, machine and domain names, and later more) is typed: it goes into the
//! report the user reviews before sending, but `Debug` never shows it and there is no `Display`,
//! so it cannot reach a log by accident.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Personal<T>(T);

impl<T> Personal<T> {
    pub fn new(value: T) -> Self {
        Personal(value)
    }

    /// The value itself, for the report and for redaction; never for logs.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Personal<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Personal(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value_and_serde_keeps_it() {
        let name = Personal::new("joao.silva".to_owned());
        assert_eq!(format!("{name:?}"), "Personal(<hidden>)");
        assert_eq!(serde_json::to_string(&name).unwrap(), "\"joao.silva\"");
    }
}
