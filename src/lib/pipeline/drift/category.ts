// Drift figures of a category column from level counts: PSI and Jensen–Shannon over the union of levels, the chi-square test of homogeneity, new and vanished levels.
import { chiSquareSf } from './gamma.ts';
import { jensenShannon, psi } from './numeric.ts';
import type { CategoryFigures } from './types.ts';

/** Level counts of one side (levels with a zero count are ignored). */
export interface LevelCounts {
  levels: readonly string[];
  counts: ArrayLike<number>;
}

export interface CategoryComparison extends CategoryFigures {
  /** The union of levels seen on either side (reference's order, then new ones), and each side's counts over it. */
  levels: string[];
  referenceCounts: number[];
  currentCounts: number[];
  dof: number;
}

/**
 * Every category figure between two sides with at least one counted value each. The chi-square statistic and p are
 * scipy.stats.chi2_contingency([ref, cur], correction=False) on the 2 × k table over the levels either side has
 * (a test of homogeneity: both sides are samples). One level in all: statistic 0, p 1, as scipy.
 */
export function categoryFigures(reference: LevelCounts, current: LevelCounts): CategoryComparison {
  const index = new Map<string, number>();
  const levels: string[] = [];
  const referenceCounts: number[] = [];
  const currentCounts: number[] = [];
  const add = (side: LevelCounts, own: number[], other: number[]) => {
    for (let i = 0; i < side.levels.length; i++) {
      const count = side.counts[i] as number;
      if (!(count > 0)) continue;
      const level = side.levels[i] as string;
      let at = index.get(level);
      if (at === undefined) {
        at = levels.length;
        index.set(level, at);
        levels.push(level);
        own.push(0);
        other.push(0);
      }
      own[at] = (own[at] as number) + count;
    }
  };
  add(reference, referenceCounts, currentCounts);
  add(current, currentCounts, referenceCounts);
  const n1 = referenceCounts.reduce((a, b) => a + b, 0);
  const n2 = currentCounts.reduce((a, b) => a + b, 0);
  const total = n1 + n2;
  let chi2 = 0;
  for (let k = 0; k < levels.length; k++) {
    const column = (referenceCounts[k] as number) + (currentCounts[k] as number);
    const e1 = (n1 * column) / total;
    const e2 = (n2 * column) / total;
    chi2 += ((referenceCounts[k] as number) - e1) ** 2 / e1 + ((currentCounts[k] as number) - e2) ** 2 / e2;
  }
  const dof = levels.length - 1;
  const p = referenceCounts.map((c) => c / n1);
  const q = currentCounts.map((c) => c / n2);
  return {
    psi: psi(p, q),
    chi2: dof === 0 ? 0 : chi2,
    chi2P: dof === 0 ? 1 : chiSquareSf(chi2, dof),
    jensenShannon: jensenShannon(p, q),
    newCategories: levels.filter((_, k) => referenceCounts[k] === 0),
    vanishedCategories: levels.filter((_, k) => currentCounts[k] === 0),
    levels,
    referenceCounts,
    currentCounts,
    dof,
  };
}
