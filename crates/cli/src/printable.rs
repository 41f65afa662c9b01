//! Text from outside (central's answers and messages, what the outbox and the history hold)
//! printed on a terminal: its control characters removed, so a ticket's summary or a message
//! from central can neither move the cursor, recolour or clear the terminal, ring, nor fake
//! another line of the output. JSON output needs none of this (serde escapes them).

use std::borrow::Cow;

/// `s` as it may be printed: line breaks and tabs as one space, other control characters
/// (escape sequences' ESC, BEL, C1 controls, DEL) and bidirectional overrides dropped.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unprintable) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\n' | '\r' | '\t') {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !unprintable(c) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_are_removed_and_plain_text_is_untouched() {
        assert_eq!(
            printable("Sistema não abre (1º caixa)"),
            "Sistema não abre (1º caixa)"
        );
        // A colour, a clear screen, a bell, a title change.
        assert_eq!(
            printable("\u{1b}[31mvermelho\u{1b}[0m\u{1b}[2J\u{7}\u{1b}]0;x\u{7}"),
            "[31mvermelho[0m[2J]0;x"
        );
        // A faked line of output, a carriage return over the line, a C1 CSI, DEL.
        assert_eq!(
            printable("Ana\nChamado 999 enviado\rX\u{9b}2J\u{7f}"),
            "Ana Chamado 999 enviado X2J"
        );
        // Right-to-left override: "exe.txt" shown for "txt.exe".
        assert_eq!(printable("nota\u{202E}txt.exe"), "notatxt.exe");
        assert_eq!(printable("a\t\tb"), "a b");
    }
}
