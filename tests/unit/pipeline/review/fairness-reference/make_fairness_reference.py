#!/usr/bin/python3
"""Reference values for tests/unit/pipeline/review/{bootstrap,fairness,sensitive}.test.ts.

Run once with Debian's interpreter (numpy 1.24, pandas 1.5, scikit-learn 1.2):
    apt-get install -y python3-sklearn python3-scipy python3-pandas
    /usr/bin/python3 tests/unit/pipeline/review/fairness-reference/make_fairness_reference.py
It writes bootstrap.json, sensitive.json and fairness.json beside itself.

Fairlearn is not installable here (no PyPI), so its definitions are written out with pandas, as Fairlearn's
MetricFrame computes them between groups:
    selection_rate             = mean of predicted positives
    demographic_parity_diff    = max - min selection rate over the groups
    demographic_parity_ratio   = min / max selection rate
    equalized_odds_difference  = max(TPR gap, FPR gap)        (gap = max - min over the groups)
    equalized_odds_ratio       = min(TPR ratio, FPR ratio)    (ratio = min / max over the groups)
Two documented choices of the app are applied here too: only groups with at least 30 rows are compared, and a group
whose TPR (or FPR) is undefined (no positives, or no negatives) takes no part in that gap (Fairlearn would count 0).
"""
import json
import math
import os

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, mean_squared_error, precision_score, recall_score

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..', '..'))
PENGUINS = os.path.join(ROOT, 'node_modules', 'vega-datasets', 'data', 'penguins.json')
MIN_ROWS = 30
RESAMPLES = 1000
MISSING = '(missing)'


def clean(value):
    """JSON without NaN: NaN becomes null."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def write(name, data):
    with open(os.path.join(HERE, name), 'w') as f:
        json.dump(clean(data), f, indent=1)
        f.write('\n')


def interval(values, level=0.95):
    values = np.asarray(values, dtype=np.float64)
    valid = values[~np.isnan(values)]
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(valid, [tail, 100 - tail]) if len(valid) else (math.nan, math.nan)
    return {'low': low, 'high': high, 'skipped': int(np.isnan(values).sum())}


def bootstrap(n, statistic, seed, resamples=RESAMPLES, level=0.95):
    """Resample r is the r-th RandomState(seed).randint(0, n, size=n); percentiles of the statistic (NaN skipped)."""
    rs = np.random.RandomState(seed)
    values = [statistic(rs.randint(0, n, size=n)) for _ in range(resamples)]
    return {'estimate': statistic(np.arange(n)), **interval(values, level), 'seed': seed, 'resamples': resamples, 'level': level}


df = pd.DataFrame(json.load(open(PENGUINS)))
N = len(df)
mass = df['Body Mass (g)'].astype('float64').to_numpy()
flipper = df['Flipper Length (mm)'].astype('float64').to_numpy()
beak = df['Beak Length (mm)'].astype('float64').to_numpy()
depth = df['Beak Depth (mm)'].astype('float64').to_numpy()
species = df['Species'].to_numpy()

# ---------------------------------------------------------------------------------------------------------------
# Predictions (deterministic rules; NaN > x is False)
gentoo_actual = np.where(species == 'Gentoo', 'Gentoo', 'other')
heavy_4200 = np.where(mass > 4200, 'Gentoo', 'other')
heavy_4700 = np.where(mass > 4700, 'Gentoo', 'other')
species_rule = np.where(flipper > 206, 'Gentoo', np.where(beak > 43, 'Chinstrap', 'Adelie'))
mass_rule = 50 * flipper - 5800

# ---------------------------------------------------------------------------------------------------------------
# Bootstrap
correct_4200 = (heavy_4200 == gentoo_actual).astype(np.float64)
correct_4700 = (heavy_4700 == gentoo_actual).astype(np.float64)
present_mass = mass[~np.isnan(mass)]
tiny_labels = np.array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
tiny_pred = np.array([1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0])


def tiny_tpr(idx):
    pos = tiny_labels[idx] == 1
    return math.nan if pos.sum() == 0 else tiny_pred[idx][pos].mean()


def draws(n, seed, which):
    rs = np.random.RandomState(seed)
    out = {}
    for r in range(max(which) + 1):
        sample = rs.randint(0, n, size=n)
        if r in which:
            out[str(r)] = {'first': sample[:8].tolist(), 'last': sample[-8:].tolist()}
    return out


write('bootstrap.json', {
    'correct4200': correct_4200.tolist(),
    'correct4700': correct_4700.tolist(),
    'mass': present_mass.tolist(),
    'tinyLabels': tiny_labels.tolist(),
    'tinyPredicted': tiny_pred.tolist(),
    'accuracy': bootstrap(N, lambda i: correct_4200[i].mean(), 42),
    'accuracySeed7Level90': bootstrap(N, lambda i: correct_4200[i].mean(), 7, level=0.9),
    'paired': bootstrap(N, lambda i: correct_4200[i].mean() - correct_4700[i].mean(), 42),
    'meanMass': bootstrap(len(present_mass), lambda i: present_mass[i].mean(), 3, resamples=500),
    'tinyTpr': bootstrap(len(tiny_labels), tiny_tpr, 5),
    'draws': {
        'n344seed42': draws(344, 42, [0, 999]),
        'n200000seed7': draws(200000, 7, [0, 1]),
        'n1seed0': draws(1, 0, [0]),
        'n5seed0': draws(5, 0, [0, 3]),
    },
    'percentiles': {
        'values': [3.0, 1.0, 10.0, 4.0, 2.0],
        'p2.5': np.percentile([3.0, 1.0, 10.0, 4.0, 2.0], 2.5),
        'p97.5': np.percentile([3.0, 1.0, 10.0, 4.0, 2.0], 97.5),
        'p50': np.percentile([3.0, 1.0, 10.0, 4.0, 2.0], 50),
    },
})

# ---------------------------------------------------------------------------------------------------------------
# Sensitive groups


def qcut_codes(values, q):
    codes, bins = pd.qcut(pd.Series(values), q, labels=False, retbins=True, duplicates='drop')
    return codes.fillna(-1).astype(int).tolist(), bins[1:-1].tolist()


def cut_codes(values, cuts):
    codes = pd.cut(pd.Series(values), [-np.inf, *cuts, np.inf], labels=False, right=True)
    return codes.fillna(-1).astype(int).tolist()


even = np.arange(0, N, 2)
sensitive = {'cases': []}
for column, values, q, rows in [
    ('Body Mass (g)', mass, 4, None),
    ('Body Mass (g)', mass, 4, even),
    ('Flipper Length (mm)', flipper, 10, None),
    ('Beak Depth (mm)', depth, 7, None),
    ('Beak Length (mm)', beak, 3, None),
]:
    v = values if rows is None else values[rows]
    codes, cuts = qcut_codes(v, q)
    sensitive['cases'].append({'column': column, 'quantiles': q, 'rows': None if rows is None else rows.tolist(), 'codes': codes, 'cuts': cuts})
for column, values, cuts in [('Body Mass (g)', mass, [3500, 4500]), ('Flipper Length (mm)', flipper, [190])]:
    sensitive['cases'].append({'column': column, 'cuts': cuts, 'rows': None, 'codes': cut_codes(values, cuts)})
# Repeated quantile edges are merged (duplicates="drop"): edges 1, 1, 1, 2.25, 5 become 1, 2.25, 5.
hand = np.array([1, 1, 1, 1, 1, 2, 3, np.nan, 5], dtype=np.float64)
codes, cuts = qcut_codes(hand, 4)
sensitive['repeatedEdges'] = {'values': [None if math.isnan(v) else v for v in hand.tolist()], 'quantiles': 4, 'codes': codes, 'cuts': cuts}
sex = df['Sex'].fillna(MISSING)
sensitive['sexSizes'] = sex.value_counts().to_dict()
write('sensitive.json', sensitive)

# ---------------------------------------------------------------------------------------------------------------
# Fairness


def rate(num, den):
    return num / den if den > 0 else math.nan


def binary_group_metrics(y, p):
    """y, p: booleans (actual positive, predicted positive) of one group; scikit-learn where the rate is defined."""
    n = len(y)
    if n == 0:
        return {'n': 0, 'baseRate': math.nan, 'selectionRate': math.nan, 'tpr': math.nan, 'fpr': math.nan, 'precision': math.nan}
    tn, fp, fn, tp = confusion_matrix(y, p, labels=[False, True]).ravel()
    return {
        'n': n,
        'baseRate': y.mean(),
        'selectionRate': p.mean(),  # Fairlearn's selection_rate
        'tpr': recall_score(y, p, zero_division=0) if tp + fn > 0 else math.nan,
        'fpr': rate(fp, fp + tn),  # Fairlearn's false_positive_rate where defined
        'precision': precision_score(y, p, zero_division=0) if tp + fp > 0 else math.nan,
    }


def between_groups(series):
    """MetricFrame.difference()/ratio() between groups, NaN groups left out; NaN when fewer than two remain."""
    s = series.dropna()
    if len(s) < 2:
        return math.nan, math.nan
    return s.max() - s.min(), (s.min() / s.max() if s.max() > 0 else math.nan)


def nanmax(a, b):
    return b if math.isnan(a) else a if math.isnan(b) else max(a, b)


def nanmin(a, b):
    return b if math.isnan(a) else a if math.isnan(b) else min(a, b)


def disparities(frame, judged):
    """frame: columns g, y (actual positive), p (predicted positive); judged: the compared group names."""
    f = frame[frame['g'].isin(judged)]
    by = f.groupby('g')
    sel = by['p'].mean()
    tpr = f[f['y']].groupby('g')['p'].mean().reindex(judged)
    fpr = f[~f['y']].groupby('g')['p'].mean().reindex(judged)
    dpd, dpr = between_groups(sel)
    tpd, tpr_ratio = between_groups(tpr)
    fpd, fpr_ratio = between_groups(fpr)
    return {
        'demographicParityRatio': dpr,
        'demographicParityDifference': dpd,
        'equalizedOddsDifference': nanmax(tpd, fpd),
        'equalizedOddsRatio': nanmin(tpr_ratio, fpr_ratio),
    }


def disparity_intervals(frame, judged, seed):
    n = len(frame)
    rs = np.random.RandomState(seed)
    values = {k: [] for k in ['demographicParityRatio', 'demographicParityDifference', 'equalizedOddsDifference', 'equalizedOddsRatio']}
    codes = frame['g'].to_numpy()
    y = frame['y'].to_numpy()
    p = frame['p'].to_numpy()
    for _ in range(RESAMPLES):
        idx = rs.randint(0, n, size=n)
        d = disparities(pd.DataFrame({'g': codes[idx], 'y': y[idx], 'p': p[idx]}), judged)
        for k in values:
            values[k].append(d[k])
    estimate = disparities(frame, judged)
    return {k: {'estimate': estimate[k], **interval(values[k])} for k in values}


def group_names(groups):
    return sorted(set(groups) - {MISSING}) + ([MISSING] if MISSING in set(groups) else [])


def binary_case(name, groups, actual, predicted, classes, positive, seed, rows=None, multiclass=False):
    rows = np.arange(N) if rows is None else rows
    g = np.asarray(groups)[rows]
    a = np.asarray(actual)[rows]
    pr = np.asarray(predicted)[rows]
    y = a == positive
    p = pr == positive
    names = group_names(g)
    out_groups = []
    for name_g in names:
        m = g == name_g
        row = {'group': name_g, **binary_group_metrics(y[m], p[m]), 'accuracy': accuracy_score(a[m], pr[m])}
        if multiclass:
            row['macroF1'] = f1_score(a[m], pr[m], average='macro', zero_division=0)
        row['tooFew'] = bool(m.sum() < MIN_ROWS)
        out_groups.append(row)
    judged = [r['group'] for r in out_groups if not r['tooFew']]
    frame = pd.DataFrame({'g': g, 'y': y, 'p': p})
    d = disparity_intervals(frame, judged, seed)
    sel = {r['group']: r['selectionRate'] for r in out_groups if not r['tooFew']}
    top = max(sel.values())
    return {
        'name': name, 'classes': classes, 'positive': positive, 'seed': seed, 'rows': rows.tolist(),
        'labels': [classes.index(v) for v in a], 'predicted': [classes.index(v) for v in pr],
        'groups': out_groups, 'compared': judged, 'disparities': d,
        'fourFifths': d['demographicParityRatio']['estimate'] >= 0.8,
        'belowFourFifths': [k for k, v in sel.items() if v < 0.8 * top],
    }


sex_groups = sex.to_numpy()
island = df['Island'].to_numpy()
mass_quartile_codes, _ = qcut_codes(mass, 4)
mass_quartile = np.array([MISSING if c < 0 else f'q{c}' for c in mass_quartile_codes])

cases = [
    binary_case('sex-binary-default-positive', sex_groups, gentoo_actual, heavy_4200, ['Gentoo', 'other'], 'other', 42),
    binary_case('island-binary-gentoo', island, gentoo_actual, heavy_4200, ['Gentoo', 'other'], 'Gentoo', 11),
    binary_case('mass-quartiles-multiclass-chinstrap', mass_quartile, species, species_rule, ['Adelie', 'Chinstrap', 'Gentoo'], 'Chinstrap', 3, multiclass=True),
]

# Multiclass without a positive class: accuracy and macro-F1 per group only.
multi = []
for name_g in group_names(sex_groups):
    m = sex_groups == name_g
    multi.append({'group': name_g, 'n': int(m.sum()), 'accuracy': accuracy_score(species[m], species_rule[m]),
                  'macroF1': f1_score(species[m], species_rule[m], average='macro', zero_division=0), 'tooFew': bool(m.sum() < MIN_ROWS)})

# Regression: rows where both the body mass and the flipper length are present.
reg_rows = np.where(~np.isnan(mass) & ~np.isnan(flipper))[0]
reg_groups = []
for name_g in group_names(sex_groups[reg_rows]):
    m = sex_groups[reg_rows] == name_g
    a = mass[reg_rows][m]
    p = mass_rule[reg_rows][m]
    reg_groups.append({'group': name_g, 'n': int(m.sum()), 'rmse': mean_squared_error(a, p, squared=False), 'meanError': (a - p).mean(), 'tooFew': bool(m.sum() < MIN_ROWS)})

write('fairness.json', {
    'binary': cases,
    'multiclass': {'classes': ['Adelie', 'Chinstrap', 'Gentoo'], 'labels': [['Adelie', 'Chinstrap', 'Gentoo'].index(v) for v in species],
                   'predicted': [['Adelie', 'Chinstrap', 'Gentoo'].index(v) for v in species_rule], 'groups': multi},
    'regression': {'rows': reg_rows.tolist(), 'actual': mass[reg_rows].tolist(), 'predicted': mass_rule[reg_rows].tolist(), 'groups': reg_groups},
})
print('wrote bootstrap.json, sensitive.json, fairness.json')
