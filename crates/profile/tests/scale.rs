//! A profile with many problems is checked in time proportional to its size, and no text makes
//! the parser panic.

use chamado_profile::parse;
use proptest::prelude::*;

const HEAD: &str = r##"[vendor]
name = "Fornecedor"
phone = "(31) 3271-0322"
hours = { pt-BR = "8h às 18h", en = "8 am to 6 pm" }

[branding]
product = "Sistema"

[[topics]]
id = "erro"
label = { pt-BR = "Reportar erro", en = "Report an error" }
description = { pt-BR = "Algo deu errado", en = "Something went wrong" }
osticket_topic = 10
"##;

/// A profile whose `n` checks all have the same id: `n - 1` duplicates.
fn duplicated_checks(n: usize) -> String {
    let mut src = HEAD.to_owned();
    for _ in 0..n {
        src.push_str(
            "\n[[checks]]\nid = \"servidor\"\nlabel = { pt-BR = \"Servidor\", en = \"Server\" }\ntcp = \"servidor:3050\"\n",
        );
    }
    src
}

/// Fastest of a few runs (the machine may be busy): seconds to check `src`, and its problems.
fn check_time(src: &str) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let problems = parse(src, "perfil.toml", None).unwrap_err().problems;
        best = best.min(t.elapsed().as_secs_f64());
        count = problems.len();
    }
    (best, count)
}

#[test]
fn ten_thousand_duplicate_checks_are_checked_in_linear_time() {
    let (small, small_count) = check_time(&duplicated_checks(1_000));
    let (large, large_count) = check_time(&duplicated_checks(10_000));
    // One problem per duplicate (and the same few others in both).
    assert_eq!(large_count - small_count, 9_000);
    eprintln!("1,000 checks: {small:.3} s; 10,000: {large:.3} s");
    // Ten times the problems: about ten times the time when linear, a hundred when quadratic.
    assert!(
        large < small * 30.0,
        "1,000 checks: {small:.3} s; 10,000: {large:.3} s (ratio {:.0})",
        large / small
    );
    assert!(large < 5.0, "10,000 duplicate checks took {large:.1} s");
}

/// TOML-looking text: keys, tables, arrays, strings with any character, numbers.
fn toml_like() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("[[topics]]\n".to_owned()),
        Just("[[checks]]\n".to_owned()),
        Just("[vendor]\n".to_owned()),
        Just("[[topics.fields]]\n".to_owned()),
        Just("[requirements]\n".to_owned()),
        "[a-z_.]{1,12} = \"[^\"\\\\\n]{0,20}\"\n",
        "[a-z_]{1,12} = -?[0-9]{1,12}\n",
        "[a-z_]{1,12} = \\[\"[a-z]{0,5}\", [0-9]{1,3}\\]\n",
        "[a-z_]{1,8} = \\{ pt-BR = \"[^\"\\\\\n]{0,10}\", en = \"x\" \\}\n",
        any::<String>(),
    ];
    prop::collection::vec(atom, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_a_profile_or_problems_never_a_panic(src in toml_like()) {
        let _ = parse(&src, "perfil.toml", None);
    }

    #[test]
    fn any_edit_of_the_builtin_profile_never_panics(
        at in 0usize..10_000,
        cut in 0usize..200,
        insert in "[^\u{0}]{0,30}",
    ) {
        let base = chamado_profile::DEFAULT_TOML;
        let mut at = at.min(base.len());
        while !base.is_char_boundary(at) { at -= 1; }
        let mut end = (at + cut).min(base.len());
        while !base.is_char_boundary(end) { end -= 1; }
        let src = format!("{}{}{}", &base[..at], insert, &base[end..]);
        let _ = parse(&src, "perfil.toml", None);
    }
}
