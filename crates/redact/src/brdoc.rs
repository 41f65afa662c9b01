//! CPF and CNPJ check digits (Receita Federal's modulo-11 rules), so that only numbers that really
//! are CPFs or CNPJs are replaced and other 11- and 14-digit numbers (orders, phones, timestamps)
//! survive.

/// Whether `s` is a CPF with valid check digits. Punctuation (`.`, `-`, spaces) is ignored; there
/// must be exactly 11 digits, and the eleven-equal-digits numbers (`111.111.111-11`), which pass
/// the arithmetic but are not issued, are refused.
pub fn cpf_is_valid(s: &str) -> bool {
    let mut d = [0u32; 11];
    let mut n = 0;
    for c in s.chars() {
        match c {
            '0'..='9' => {
                if n == 11 {
                    return false;
                }
                d[n] = c as u32 - '0' as u32;
                n += 1;
            }
            '.' | '-' | ' ' => {}
            _ => return false,
        }
    }
    if n != 11 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |len: usize| {
        let sum: u32 = (0..len).map(|i| d[i] * (len as u32 + 1 - i as u32)).sum();
        match sum % 11 {
            0 | 1 => 0,
            r => 11 - r,
        }
    };
    check(9) == d[9] && check(10) == d[10]
}

/// Whether `s` is a CNPJ with valid check digits: 14 characters once `.`, `/`, `-` and spaces are
/// set aside, the first 12 digits or (alphanumeric CNPJ, issued since July 2026) upper-case letters,
/// the last 2 digits. A letter counts as its ASCII code minus 48, as the Receita specifies.
/// Fourteen equal digits are refused.
pub fn cnpj_is_valid(s: &str) -> bool {
    let mut v = [0u32; 14];
    let mut n = 0;
    for c in s.chars() {
        match c {
            '0'..='9' | 'A'..='Z' => {
                if n == 14 || (n >= 12 && !c.is_ascii_digit()) {
                    return false;
                }
                v[n] = c as u32 - '0' as u32;
                n += 1;
            }
            '.' | '/' | '-' | ' ' => {}
            _ => return false,
        }
    }
    if n != 14 || v.iter().all(|&x| x == v[0]) {
        return false;
    }
    const WEIGHTS: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    let check = |len: usize| {
        let weights = &WEIGHTS[13 - len..];
        let sum: u32 = (0..len).map(|i| v[i] * weights[i]).sum();
        match sum % 11 {
            0 | 1 => 0,
            r => 11 - r,
        }
    };
    check(12) == v[12] && check(13) == v[13]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_cpfs_with_and_without_punctuation() {
        for cpf in [
            "529.982.247-25",
            "52998224725",
            "111.444.777-35",
            "11144477735",
        ] {
            assert!(cpf_is_valid(cpf), "{cpf}");
        }
    }

    #[test]
    fn invalid_cpfs() {
        for cpf in [
            "529.982.247-24", // last digit off
            "529.982.247-15", // first check digit off
            "11111111111",    // equal digits pass the arithmetic but are not CPFs
            "00000000000",
            "5299822472",   // 10 digits
            "529982247255", // 12 digits
            "11987654321",  // a mobile phone number
            "529.982.247-2a",
            "",
        ] {
            assert!(!cpf_is_valid(cpf), "{cpf}");
        }
    }

    #[test]
    fn valid_cnpjs_numeric_and_alphanumeric() {
        for cnpj in [
            "11.222.333/0001-81",
            "11222333000181",
            "45.723.174/0001-10",
            "12.ABC.345/01DE-35", // the Receita's alphanumeric example
            "12ABC34501DE35",
        ] {
            assert!(cnpj_is_valid(cnpj), "{cnpj}");
        }
    }

    #[test]
    fn invalid_cnpjs() {
        for cnpj in [
            "11.222.333/0001-82",
            "11.222.333/0001-91",
            "20261124153000", // a timestamp
            "00000000000000",
            "11111111111111",
            "12.abc.345/01de-35", // letters are upper-case only
            "12.ABC.345/01DE-3A", // check digits are digits
            "1122233300018",
            "",
        ] {
            assert!(!cnpj_is_valid(cnpj), "{cnpj}");
        }
    }
}
