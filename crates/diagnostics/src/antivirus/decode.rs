//! Security Center's `productState`, as the community decoded it (it is undocumented).

use super::ProductState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodedState {
    pub state: Option<ProductState>,
    pub up_to_date: bool,
    pub microsoft: bool,
}

/// Bits 12–15 the state (0 off, 1 on, 2 snoozed, 3 expired), bits 8–11 the owner (1
/// Microsoft), bits 4–7 the signatures (0 up to date, 1 out of date).
pub fn decode_product_state(v: u32) -> DecodedState {
    let state = match v & 0xF000 {
        0x0000 => Some(ProductState::Off),
        0x1000 => Some(ProductState::On),
        0x2000 => Some(ProductState::Snoozed),
        0x3000 => Some(ProductState::Expired),
        _ => None,
    };
    DecodedState {
        state,
        up_to_date: v & 0x00F0 == 0,
        microsoft: v & 0x0F00 == 0x0100,
    }
}
