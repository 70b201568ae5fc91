// Escaping and number formatting for the HTML report: every string from the data goes through `esc`, every number through `num`.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * Any value as HTML text, safe in element content and in a quoted attribute value: & < > " ' and ` become entities,
 * and control characters other than tab and newline are dropped. null and undefined give ''.
 */
export function esc(value: unknown): string {
  if (value === null || value === undefined) return '';
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c] as string).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** A finite number, or null: JSON turns NaN into null, so stored reports hold null where a metric is undefined. */
export function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The text shown for a missing or undefined number. */
export const NONE = '—';

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The one number format of the report: '—' for null, NaN and ±∞; whole numbers with thousands separators; others
 * with `digits` significant digits (4 by default), trailing zeros dropped, never in exponent form above 1e-6.
 */
export function num(value: unknown, digits = 4): string {
  const v = finite(value);
  if (v === null) return NONE;
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return (v < 0 ? '−' : '') + group(String(Math.abs(v)));
  const abs = Math.abs(v);
  // Rounding noise around 0 (an R² of 2e-16) reads as zero.
  if (abs < 1e-12) return '≈0';
  let text: string;
  if (abs >= 10 ** digits) text = group(abs.toFixed(0));
  else if (abs >= 1e-6) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
    text = abs.toFixed(Math.min(decimals, 20)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
    const [whole = '', fraction] = text.split('.');
    text = group(whole) + (fraction ? `.${fraction}` : '');
  } else text = abs.toExponential(digits - 1);
  return (v < 0 && text !== '0' ? '−' : '') + text;
}

/** A share as a percentage with one decimal ('—' when missing). */
export function pct(value: unknown): string {
  const v = finite(value);
  return v === null ? NONE : `${num(v * 100, 3)}%`;
}

/** An SVG coordinate: one decimal, no exponent (out-of-range values are clamped by the caller). */
export function coord(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** A signed difference ('+0.0123', '−0.0045'). */
export function signed(value: unknown, digits = 4): string {
  const v = finite(value);
  if (v === null) return NONE;
  return v > 0 ? `+${num(v, digits)}` : num(v, digits);
}
