// Rectangles in the captured image's pixels (what Rust applies), from a preview that may be scaled.
import type { Rect } from '../../lib/bindings';

export interface Point {
  x: number;
  y: number;
}

/** A pointer position over the shown image, in the image's own pixels (clamped to it). */
export function toImagePoint(
  clientX: number,
  clientY: number,
  shown: { left: number; top: number; width: number; height: number },
  width: number,
  height: number,
): Point {
  const sx = shown.width > 0 ? width / shown.width : 1;
  const sy = shown.height > 0 ? height / shown.height : 1;
  const clamp = (v: number, max: number) => Math.min(Math.max(Math.round(v), 0), max);
  return { x: clamp((clientX - shown.left) * sx, width), y: clamp((clientY - shown.top) * sy, height) };
}

/** The rectangle between two corners, whichever way it was dragged. */
export function rectBetween(a: Point, b: Point): Rect {
  return {
    x: Math.min(a.x, b.x),
    y: Math.min(a.y, b.y),
    width: Math.abs(a.x - b.x),
    height: Math.abs(a.y - b.y),
  };
}

/** Moved (or, with `resize`, grown) by dx, dy, kept inside a `width`×`height` image and at least 1×1. */
export function nudge(r: Rect, dx: number, dy: number, resize: boolean, width: number, height: number): Rect {
  if (resize) {
    return {
      ...r,
      width: Math.min(Math.max(r.width + dx, 1), width - r.x),
      height: Math.min(Math.max(r.height + dy, 1), height - r.y),
    };
  }
  return {
    ...r,
    x: Math.min(Math.max(r.x + dx, 0), width - r.width),
    y: Math.min(Math.max(r.y + dy, 0), height - r.height),
  };
}

/** A rectangle as percentages of the image, for placing it over a preview of any size. */
export function percent(r: Rect, width: number, height: number) {
  return {
    left: `${(r.x / width) * 100}%`,
    top: `${(r.y / height) * 100}%`,
    width: `${(r.width / width) * 100}%`,
    height: `${(r.height / height) * 100}%`,
  };
}
