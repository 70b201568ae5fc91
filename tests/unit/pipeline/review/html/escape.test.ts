// The HTML report's escaping and number formatting, and the chart helpers' thinning and ticks.
import { describe, expect, it } from 'vitest';
import { esc, num, pct, signed } from '../../../../../src/lib/pipeline/review/html/escape.ts';
import { cut, intervalGlyph, scatterChart, thin, ticks } from '../../../../../src/lib/pipeline/review/html/svg-charts.ts';
import { HOSTILE } from './fixtures.ts';

describe('esc', () => {
  it('turns markup into text for element content and quoted attributes', () => {
    expect(esc(HOSTILE)).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(esc(`"a" & 'b' \`c\``)).toBe('&quot;a&quot; &amp; &#39;b&#39; &#96;c&#96;');
    expect(esc('</style><script>x</script>')).not.toMatch(/[<>]/);
    expect(esc('a\u0000b\u0007c\td\ne')).toBe('abc\td\ne');
    expect(esc(null)).toBe('');
    expect(esc(undefined)).toBe('');
    expect(esc(12)).toBe('12');
  });
});

describe('num', () => {
  it('formats every number one way: 4 significant digits, separators, a dash for missing', () => {
    expect(num(0.951234)).toBe('0.9512');
    expect(num(0.95)).toBe('0.95');
    expect(num(123.456)).toBe('123.5');
    expect(num(12345.678)).toBe('12,346');
    expect(num(200000)).toBe('200,000');
    expect(num(-0.5)).toBe('−0.5');
    expect(num(0)).toBe('0');
    expect(num(2.22e-16)).toBe('≈0');
    expect(num(3e-8)).toBe('3.000e-8');
    for (const missing of [NaN, null, undefined, Infinity, 'x']) expect(num(missing)).toBe('—');
    expect(pct(0.4737)).toBe('47.4%');
    expect(signed(0.0123)).toBe('+0.0123');
    expect(signed(-0.0123)).toBe('−0.0123');
  });
});

describe('chart helpers', () => {
  it('thins evenly, keeping the ends', () => {
    const items = Array.from({ length: 1001 }, (_, i) => i);
    const thinned = thin(items, 200);
    expect(thinned).toHaveLength(200);
    expect(thinned[0]).toBe(0);
    expect(thinned.at(-1)).toBe(1000);
    expect(thin([1, 2], 200)).toEqual([1, 2]);
  });

  it('picks round ticks', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(-10, 30)).toEqual([-10, 0, 10, 20, 30]);
    expect(ticks(5, 5)).toEqual([5]);
  });

  it('cuts long labels before escaping them', () => {
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(esc(cut('<&<&<&', 3))).toBe('&lt;&amp;…');
  });

  it('draws a scatter as one path of dots, at most maxPoints', () => {
    const points = Array.from({ length: 5000 }, (_, i): [number, number] => [i, i % 7]);
    const svg = scatterChart({ title: 't', x: { label: 'x' }, y: { label: 'y' }, points, maxPoints: 300 });
    expect(svg.match(/h0/g)).toHaveLength(300);
    expect(svg).toContain('300 of 5,000 points drawn');
  });

  it('colours an interval glyph by the side of 0 it lies on', () => {
    expect(intervalGlyph(0.1, 0.05, 0.2)).toContain('glyph good');
    expect(intervalGlyph(0.1, 0.05, 0.2, { higherIsBetter: false })).toContain('glyph bad');
    expect(intervalGlyph(0.1, -0.05, 0.2)).toContain('glyph neutral');
    expect(intervalGlyph(null, 0, 1)).toBe('');
  });
});
