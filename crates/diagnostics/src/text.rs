//! Small text helpers the decoders share.

/// A value as read, trimmed; `None` when missing or blank (Windows pads some values with spaces,
/// and an empty registry string means "not set").
pub(crate) fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}
