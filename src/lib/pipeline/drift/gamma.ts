// The chi-square distribution's upper tail (scipy.stats.chi2.sf) through the regularized upper incomplete gamma function Q(a, x).
//
// Q(a, x) = Γ(a, x) / Γ(a): the series for P = 1 − Q below x = a + 1 and the continued fraction (modified Lentz) above
// it, as in Numerical Recipes §6.2 and Cephes igam.c. The common factor x^a e^−x / Γ(a) is computed for a ≥ 15 as
// exp(a·log1pmx((x − a)/a) − stirlerr(a)) · √(a / 2π) (Temme's form, no cancellation between a·log x and x), so a
// p-value keeps ~1e-13 relative precision down to the smallest doubles and for thousands of degrees of freedom;
// below ~1e-308 it underflows to 0, as scipy's does.

const LANCZOS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 3.399464998481189e-05,
  4.652362892704858e-05, -9.837447530487956e-05, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-05, -2.6190838401581408e-05,
  3.6899182659531625e-06,
];

/** log Γ(x) for x > 0 (Numerical Recipes 3rd ed., Lanczos g = 671/128; ~1e-15 relative). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  let y = x;
  let tmp = x + 5.2421875;
  tmp = (x + 0.5) * Math.log(tmp) - tmp;
  let ser = 0.9999999999999971;
  for (const c of LANCZOS) ser += c / ++y;
  return tmp + Math.log((2.5066282746310002 * ser) / x);
}

/** log(1 + t) − t without cancellation near 0. */
function log1pmx(t: number): number {
  if (Math.abs(t) > 0.1) return Math.log1p(t) - t;
  const r = t / (2 + t);
  const r2 = r * r;
  let power = r * r2;
  let sum = 0;
  for (let k = 3; k < 80; k += 2) {
    const term = power / k;
    sum += term;
    if (Math.abs(term) < 1e-18 * Math.abs(sum)) break;
    power *= r2;
  }
  return (-t * t) / (2 + t) + 2 * sum;
}

/** log Γ(a) − ((a − ½) log a − a + ½ log 2π), Stirling's series for a ≥ 15. */
function stirlingError(a: number): number {
  const a2 = a * a;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * a2)) / a2) / a2) / a2) / a;
}

/** log(x^a e^−x / Γ(a)). */
function logFactor(a: number, x: number): number {
  if (a < 15) return a * Math.log(x) - x - logGamma(a);
  return a * log1pmx((x - a) / a) - stirlingError(a) + 0.5 * Math.log(a / (2 * Math.PI));
}

/** The regularized lower incomplete gamma P(a, x) by its series (for x < a + 1). */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 100_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return sum * Math.exp(logFactor(a, x));
}

/** The regularized upper incomplete gamma Q(a, x) by its continued fraction (for x ≥ a + 1). */
function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const log = logFactor(a, x) + Math.log(h);
  return log < -745.2 ? 0 : Math.exp(log);
}

/** Q(a, x) = Γ(a, x) / Γ(a) (scipy.special.gammaincc). */
export function upperGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) return Math.max(0, 1 - lowerSeries(a, x));
  return upperFraction(a, x);
}

/** scipy.stats.chi2.sf(x, dof): the probability of a chi-square value of at least x. */
export function chiSquareSf(x: number, dof: number): number {
  if (x <= 0) return 1;
  return upperGamma(dof / 2, x / 2);
}
