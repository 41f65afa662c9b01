//! From TOML text to a validated `Profile`, or to every problem with its line, column and path.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::model::Profile;
use crate::problem::{FieldPath, Problem, ProblemKind, ProfileError, Seg};
use crate::validate::validate;

/// Parses and validates a profile. `file` names it in problems; `base_dir` is where relative
/// paths in it (the logo) are looked for, `None` for the built-in profile.
pub fn parse(src: &str, file: &str, base_dir: Option<&Path>) -> Result<Profile, ProfileError> {
    let fail = |problems: Vec<Problem>| ProfileError {
        file: file.to_owned(),
        problems,
    };
    let doc = Doc::new(src);
    let (root, syntax) = DeTable::parse_recoverable(src);
    if !syntax.is_empty() {
        let problems = syntax
            .iter()
            .map(|e| doc.problem_at(e.span(), FieldPath::default(), syntax_kind(e)))
            .collect();
        return Err(fail(problems));
    }

    // A value of the wrong type stops serde; drop it and go again, so that one typo does not hide
    // the rest. Unknown keys are collected, not fatal.
    let mut tree = root.clone();
    let mut found: Vec<(FieldPath, ProblemKind)> = Vec::new();
    let mut dropped: Vec<FieldPath> = Vec::new();
    let (profile, unknown) = loop {
        let mut unknown: Vec<FieldPath> = Vec::new();
        let mut on_unknown = |p: serde_ignored::Path<'_>| unknown.push(ignored_path(&p));
        let de = toml::de::Deserializer::from(tree.clone());
        let ignored = serde_ignored::Deserializer::new(de, &mut on_unknown);
        let parsed: Result<Profile, _> = serde_path_to_error::deserialize(ignored);
        match parsed {
            Ok(profile) => break (Some(profile), unknown),
            Err(e) => {
                let path = error_path(e.path());
                let kind = type_error_kind(e.into_inner().message());
                let removed = remove(&mut tree, &path);
                found.push((path.clone(), kind));
                dropped.push(path);
                if !removed || dropped.len() >= MAX_TYPE_ERRORS {
                    break (None, unknown);
                }
            }
        }
    };
    for path in unknown {
        let key = match path.0.last() {
            Some(Seg::Key(k)) => k.clone(),
            _ => String::new(),
        };
        found.push((path, ProblemKind::UnknownKey { key }));
    }
    if let Some(profile) = &profile {
        let locate_line = |p: &FieldPath| doc.line_of(locate(&root, p, false).start);
        // A dropped value is already reported; its default must not be reported again.
        let under_dropped = |p: &FieldPath| dropped.iter().any(|d| p.0.starts_with(&d.0));
        found.extend(
            validate(profile, base_dir, &locate_line)
                .into_iter()
                .filter(|(p, _)| !under_dropped(p)),
        );
    }

    let mut problems: Vec<Problem> = found
        .into_iter()
        .map(|(path, kind)| {
            let at_key = matches!(kind, ProblemKind::UnknownKey { .. });
            let span = locate(&root, &path, at_key);
            doc.problem_at(Some(span), path, kind)
        })
        .collect();
    problems.sort_by_key(|p| (p.line, p.column));
    match profile {
        Some(profile) if problems.is_empty() => Ok(profile),
        _ => Err(fail(problems)),
    }
}

/// Past this many values of the wrong type the file is likely not a profile at all.
const MAX_TYPE_ERRORS: usize = 50;

/// Removes the value at `path` (the whole array when the path ends in an index: arrays cannot
/// lose one element). False when nothing could be removed.
fn remove(root: &mut Spanned<DeTable<'_>>, path: &FieldPath) -> bool {
    let mut segs = path.0.as_slice();
    while let [rest @ .., Seg::Index(_)] = segs {
        segs = rest;
    }
    let [parents @ .., Seg::Key(last)] = segs else {
        return false;
    };
    let table: &mut DeTable<'_> = root.get_mut();
    let mut value: Option<&mut DeValue<'_>> = None;
    for seg in parents {
        let next = match (seg, value) {
            (Seg::Key(k), None) => table.get_mut(k.as_str()).map(|v| v.get_mut()),
            (Seg::Key(k), Some(DeValue::Table(t))) => t.get_mut(k.as_str()).map(|v| v.get_mut()),
            (Seg::Index(n), Some(DeValue::Array(a))) => a.get_mut(*n).map(|v| v.get_mut()),
            _ => None,
        };
        match next {
            Some(v) => value = Some(v),
            None => return false,
        }
    }
    match value {
        None => table.remove(last.as_str()).is_some(),
        Some(DeValue::Table(t)) => t.remove(last.as_str()).is_some(),
        Some(_) => false,
    }
}

/// serde's words for a wrong value, made into something a vendor's admin can act on.
fn type_error_kind(message: &str) -> ProblemKind {
    let message = message.trim();
    // "unknown variant `texto`, expected one of `text`, `multiline`, ..."
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some((value, expected)) = rest.split_once('`') {
            let allowed = expected
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect();
            return ProblemKind::UnknownValue {
                value: value.to_owned(),
                allowed,
            };
        }
    }
    ProblemKind::WrongType {
        detail: message.to_owned(),
    }
}

fn syntax_kind(e: &toml::de::Error) -> ProblemKind {
    ProblemKind::Syntax {
        detail: e.message().trim().to_owned(),
    }
}

fn ignored_path(p: &serde_ignored::Path<'_>) -> FieldPath {
    use serde_ignored::Path as P;
    let mut segs = Vec::new();
    let mut cur = p;
    loop {
        match cur {
            P::Root => break,
            P::Seq { parent, index } => {
                segs.push(Seg::Index(*index));
                cur = parent;
            }
            P::Map { parent, key } => {
                segs.push(Seg::Key(key.clone()));
                cur = parent;
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                cur = parent
            }
        }
    }
    segs.reverse();
    FieldPath(segs)
}

fn error_path(p: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment as S;
    FieldPath(
        p.iter()
            .filter_map(|s| match s {
                S::Seq { index } => Some(Seg::Index(*index)),
                S::Map { key } => Some(Seg::Key(key.clone())),
                S::Enum { .. } | S::Unknown => None,
            })
            .collect(),
    )
}

/// The span of the value at `path` (of its key with `at_key`, so that an unknown key points at
/// itself); when the path goes further than the document, the span of the deepest part that
/// exists (a missing value is reported where it should be).
fn locate(root: &Spanned<DeTable<'_>>, path: &FieldPath, at_key: bool) -> Range<usize> {
    let mut span = root.span();
    let mut cur: Option<&DeValue<'_>> = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    for (i, seg) in path.0.iter().enumerate() {
        let last = i + 1 == path.0.len();
        let next = match (seg, table, cur) {
            (Seg::Key(k), Some(t), _) => t
                .iter()
                .find(|(key, _)| key.get_ref() == k)
                .map(|(key, v)| (if last && at_key { key.span() } else { v.span() }, v)),
            (Seg::Index(n), _, Some(DeValue::Array(a))) => a.get(*n).map(|v| (v.span(), v)),
            _ => None,
        };
        let Some((s, v)) = next else { break };
        span = s;
        cur = Some(v.get_ref());
        table = v.get_ref().as_table();
    }
    span
}

/// Byte offsets to 1-based line and column (columns count characters, not bytes). The lines'
/// starts are found once: each problem's position is a binary search, not a scan from the top
/// (10,000 problems in a long file were quadratic).
struct Doc<'a> {
    src: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Doc<'a> {
    fn new(src: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Doc { src, line_starts }
    }

    fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(self.src, offset.min(self.src.len()));
        // The last line starting at or before the offset.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let col = self.src[line_start..offset].chars().count() + 1;
        (line as u32, col as u32)
    }

    fn line_of(&self, offset: usize) -> u32 {
        self.line_col(offset).0
    }

    fn problem_at(
        &self,
        span: Option<Range<usize>>,
        path: FieldPath,
        kind: ProblemKind,
    ) -> Problem {
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = self.line_col(s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        Problem::new(line, column, path.to_string(), kind)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
