#!/usr/bin/python3
# Writes tests/fixtures/drift/expected.json: the figures scipy 1.10 / numpy compute for the drift tests' inputs.
# Run with Debian's /usr/bin/python3 (scipy 1.10.1, numpy, pandas): /usr/bin/python3 tests/unit/drift/make-expected.py
import json
import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

rng = np.random.RandomState(7)
DECILES = [k / 10 for k in range(1, 10)]


def psi_bins(ref, cur):
    edges = np.unique(np.quantile(ref, DECILES))
    k = len(edges) + 1
    p = np.bincount(np.searchsorted(edges, ref, side='right'), minlength=k) / len(ref)
    q = np.bincount(np.searchsorted(edges, cur, side='right'), minlength=k) / len(cur)
    return p, q


def psi(p, q):
    p = np.where(p == 0, 1e-4, p)
    q = np.where(q == 0, 1e-4, q)
    return float(np.sum((p - q) * np.log(p / q)))


def numeric(ref, cur):
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    p, q = psi_bins(ref, cur)
    ks = stats.ks_2samp(ref, cur)
    w = stats.wasserstein_distance(ref, cur)
    return {
        'psi': psi(p, q), 'ks': float(ks.statistic), 'ksP': float(ks.pvalue), 'wasserstein': float(w),
        'wassersteinNormed': float(w / np.std(ref)), 'jensenShannon': float(distance.jensenshannon(p, q, base=2)),
    }


def r6(a):
    return [float(x) for x in np.round(a, 6)]


numeric_cases = []
def add(name, ref, cur):
    ref, cur = r6(ref), r6(cur)
    numeric_cases.append({'name': name, 'reference': ref, 'current': cur, 'expected': numeric(ref, cur)})

add('exact, equal sizes (20 vs 20)', rng.normal(0, 1, 20), rng.normal(0.8, 1, 20))
add('exact, unequal sizes (20 vs 30)', rng.normal(0, 1, 20), rng.normal(0.3, 1.5, 30))
add('exact, integers with ties (40 vs 55)', rng.randint(0, 6, 40), rng.randint(1, 7, 55))
add('exact, 1000 vs 1200 shifted', rng.normal(0, 1, 1000), rng.normal(0.1, 1, 1200))
add('exact, 3000 vs 2500 unchanged', rng.exponential(1, 3000), rng.exponential(1, 2500))
add('exact, tiny p (2000 vs 2000, shift 1)', rng.normal(0, 1, 2000), rng.normal(1, 1, 2000))
add('asymptotic, 12000 vs 15000 small shift', rng.normal(0, 1, 12000), rng.normal(0.03, 1, 15000))
add('asymptotic, 5 vs 11000 (small effective n)', rng.normal(0, 1, 11000), rng.normal(0.5, 1, 5))
add('asymptotic, 11000 vs 200 integers', rng.poisson(3, 11000), rng.poisson(3.4, 200))

kstwo = []
for n, x in [(5, 0.3), (5, 0.7), (50, 0.1), (50, 0.2), (50, 0.3), (100, 0.05), (140, 0.2), (141, 0.2), (300, 0.03),
             (5000, 0.01), (5000, 0.02), (5000, 0.05), (20000, 0.004), (500000, 0.001), (500000, 0.003),
             (500000, 0.01), (500000, 0.02), (200000, 0.0005), (1000, 0.5), (1000, 0.9)]:
    kstwo.append({'n': n, 'x': x, 'sf': float(stats.kstwo.sf(x, n))})

chi2 = []
for x, k in [(3.84, 1), (0.1, 1), (100, 3), (2000, 2), (1400, 2), (1380, 2), (10500, 9999), (9500, 9999), (20000, 9999),
             (5, 10), (30, 4), (1e-5, 5), (700, 500), (1.5e6, 1e6), (1.001e6, 1e6), (50, 49), (400, 100)]:
    chi2.append({'x': x, 'dof': k, 'sf': float(stats.chi2.sf(x, k))})

category_cases = []
def add_cat(name, ref_levels, ref_counts, cur_levels, cur_counts):
    levels = list(dict.fromkeys([l for l, c in zip(ref_levels, ref_counts) if c > 0] + [l for l, c in zip(cur_levels, cur_counts) if c > 0]))
    r = dict(zip(ref_levels, ref_counts))
    c = dict(zip(cur_levels, cur_counts))
    table = np.array([[r.get(l, 0) for l in levels], [c.get(l, 0) for l in levels]], dtype=float)
    stat, p, dof, _ = stats.chi2_contingency(table, correction=False)
    ps, qs = table[0] / table[0].sum(), table[1] / table[1].sum()
    category_cases.append({
        'name': name, 'reference': {'levels': ref_levels, 'counts': ref_counts}, 'current': {'levels': cur_levels, 'counts': cur_counts},
        'expected': {'psi': psi(ps, qs), 'chi2': float(stat), 'chi2P': float(p), 'jensenShannon': float(distance.jensenshannon(ps, qs, base=2)),
                     'newCategories': [l for l in levels if r.get(l, 0) == 0], 'vanishedCategories': [l for l in levels if c.get(l, 0) == 0]},
    })

add_cat('three levels, mild change', ['a', 'b', 'c'], [50, 30, 20], ['a', 'b', 'c'], [45, 35, 20])
add_cat('a new and a vanished level', ['a', 'b', 'c'], [500, 300, 200], ['b', 'a', 'd'], [310, 480, 40])
add_cat('two levels', ['yes', 'no'], [120, 80], ['yes', 'no'], [90, 110])
lv = ['L%d' % i for i in range(2000)]
w = 1 / np.arange(1, 2001) ** 0.8
add_cat('2,000 levels, tiny p', lv, [int(x) for x in rng.multinomial(200000, w / w.sum())], lv[::-1], [int(x) for x in rng.multinomial(150000, w / w.sum())])
add_cat('2,000 levels, unchanged', lv, [int(x) for x in rng.multinomial(200000, w / w.sum())], lv, [int(x) for x in rng.multinomial(150000, w / w.sum())])

d = pd.read_csv('node_modules/vega-datasets/data/seattle-weather.csv')
year = d.date.str[:4]
a, b = d[year == '2012'], d[year == '2015']
seattle = {col: numeric(a[col].values, b[col].values) for col in ['temp_max', 'temp_min', 'wind', 'precipitation']}
levels = sorted(set(a.weather) | set(b.weather))
table = np.array([[int((a.weather == l).sum()) for l in levels], [int((b.weather == l).sum()) for l in levels]], dtype=float)
stat, p, _, _ = stats.chi2_contingency(table, correction=False)
ps, qs = table[0] / table[0].sum(), table[1] / table[1].sum()
seattle['weather'] = {'psi': psi(ps, qs), 'chi2': float(stat), 'chi2P': float(p), 'jensenShannon': float(distance.jensenshannon(ps, qs, base=2))}

with open('tests/fixtures/drift/expected.json', 'w') as f:
    json.dump({'numeric': numeric_cases, 'kstwo': kstwo, 'chi2': chi2, 'category': category_cases, 'seattle': seattle}, f)
print('wrote tests/fixtures/drift/expected.json')
