// Derives the CSS colours from the vendor's accent so that text stays
// readable whatever colour the vendor picked.

export const DEFAULT_ACCENT = '#0b5cad';

function luminance(colour: string): number | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour.trim());
  if (!m || !m[1]) return null;
  let hex = m[1];
  if (hex.length === 3) hex = hex.replace(/./g, (c) => c + c);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export type AccentColours = {
  /** buttons, bars, focus ring */
  accent: string;
  /** text drawn on the accent */
  onAccent: string;
  /** the accent as text on white, or a dark fallback if too light */
  ink: string;
};

export function accentColours(accent: string | null): AccentColours {
  const colour = accent?.trim() || DEFAULT_ACCENT;
  const lum = luminance(colour);
  if (lum === null) {
    // Named or rgb() colours: trust the vendor, keep the default pairing.
    return { accent: colour, onAccent: '#ffffff', ink: colour };
  }
  const vsWhite = 1.05 / (lum + 0.05);
  const vsDark = (lum + 0.05) / 0.0557; // #111111
  return {
    accent: colour,
    onAccent: vsWhite >= vsDark ? '#ffffff' : '#111111',
    ink: vsWhite >= 4.5 ? colour : '#1f2933',
  };
}
