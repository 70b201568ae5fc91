# Reference values for performance.test.ts: scikit-learn's metrics and a numpy transcription of NannyML's CBPE on seeded samples.
#
# Run with Debian's Python (numpy 1.24, scipy 1.10, scikit-learn 1.2):
#   /usr/bin/python3 tests/unit/pipeline/monitor/make-performance-expected.py
# It writes tests/fixtures/monitor/performance/expected.json. The samples are not stored: the test draws the same
# numbers from numpy's RandomState(seed).random_sample (the samples at the top of performance.test.ts), and
# `checksum` catches a mismatch.
#
# CBPE as in NannyML (github.com/NannyML/nannyml, nannyml/performance_estimation/confidence_based/metrics.py:
# estimate_accuracy, estimate_f1, estimate_roc_auc, MulticlassClassification{Accuracy,F1,AUROC}._estimate) and its
# calibration (nannyml/calibration.py: needs_calibration, _get_bin_index_edges, _calculate_expected_calibration_error,
# IsotonicCalibrator; nannyml/performance_estimation/confidence_based/cbpe.py: _fit_calibrators,
# _calibrate_predicted_probabilities). Two departures, the same as the TypeScript's: the ECE sorts with
# kind='stable', and estimate_roc_auc is given without its np.round(…, 5) (the rounded value is written too).
import json
import os

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import (accuracy_score, auc, balanced_accuracy_score, f1_score, mean_absolute_error,
                             mean_squared_error, r2_score, roc_auc_score)
from sklearn.model_selection import StratifiedShuffleSplit

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', '..', 'fixtures', 'monitor', 'performance', 'expected.json')


# --- samples (mirrored at the top of performance.test.ts) ---

def binary_sample(seed, n, squash):
    """True P(1) uniform; the model's P(1) squashed toward 0.5 by `squash` (1: calibrated), float32 rows [1 - p, p]."""
    rs = np.random.RandomState(seed)
    t = rs.random_sample(n)
    u = rs.random_sample(n)
    p = (0.5 + squash * (t - 0.5)).astype(np.float32)
    rows = np.stack([np.float32(1) - p, p], axis=1).astype(np.float64)
    labels = (u < t).astype(np.int64)
    return rows, labels


def multiclass_sample(seed, n, k, squash):
    """True probabilities w³ / Σw³ of uniform w; the model's mixed with the uniform 1/k by 1 - squash, float32."""
    rs = np.random.RandomState(seed)
    w = rs.random_sample((n, k))
    w = w * w * w
    total = w[:, 0].copy()
    for c in range(1, k):
        total = total + w[:, c]
    true = w / total[:, None]
    u = rs.random_sample(n)
    cum = np.zeros(n)
    labels = np.zeros(n, dtype=np.int64)
    for c in range(k):
        cum = cum + true[:, c]
        labels += (u >= cum).astype(np.int64)
    labels = np.minimum(labels, k - 1)
    rows = ((1 - squash) / k + squash * true).astype(np.float32).astype(np.float64)
    return rows, labels


def checksum(rows, labels):
    return float(np.sum(rows[:, -1])) + float(np.sum(labels))


# --- NannyML's CBPE, transcribed ---

def estimate_accuracy(y_pred, p):
    tp = np.where(y_pred == 1, p, 0)
    tn = np.where(y_pred == 0, 1 - p, 0)
    return (np.sum(tp) + np.sum(tn)) / len(y_pred)


def estimate_f1(y_pred, p):
    tp = np.where(y_pred == 1, p, 0)
    fp = np.where(y_pred == 1, 1 - p, 0)
    fn = np.where(y_pred == 0, p, 0)
    TP, FP, FN = np.sum(tp), np.sum(fp), np.sum(fn)
    denominator = TP + 0.5 * (FP + FN)
    return TP / denominator if denominator != 0 else 0


def estimate_roc_auc(calibrated, raw, rounded=False, ties=True):
    """NannyML's estimate_roc_auc; with `ties`, one ROC point per distinct raw score (scikit-learn's roc_curve way)."""
    order = np.argsort(raw, kind='stable')[::-1]
    calibrated = calibrated[order]
    tps = np.cumsum(calibrated)
    fps = 1 + np.arange(len(calibrated)) - tps
    if ties:
        last = np.r_[np.where(np.diff(raw[order]))[0], len(raw) - 1]
        tps, fps = tps[last], fps[last]
    tps = np.r_[0, tps]
    fps = np.r_[0, fps]
    if rounded:
        tps = np.round(tps, 5)
        fps = np.round(fps, 5)
    return auc(fps / fps[-1], tps / tps[-1])


def cbpe_binary(raw_rows, calibrated_rows, threshold=0.5):
    y_pred = (raw_rows[:, 1] >= threshold).astype(int)
    p = calibrated_rows[:, 1]
    return {
        'accuracy': estimate_accuracy(y_pred, p),
        'f1': estimate_f1(y_pred, p),
        'rocAuc': estimate_roc_auc(p, raw_rows[:, 1]),
        # NannyML's own code: ties in arbitrary order, sums rounded to 5 decimals.
        'rocAucNannyml': estimate_roc_auc(p, raw_rows[:, 1], rounded=True, ties=False),
    }


def cbpe_multiclass(raw_rows, calibrated_rows):
    k = raw_rows.shape[1]
    predicted = np.argmax(raw_rows, axis=1)
    y_preds = [(predicted == c).astype(int) for c in range(k)]
    accuracy = np.mean(np.max(np.asarray(y_preds).T * calibrated_rows, axis=1))
    f1 = np.mean([estimate_f1(y_preds[c], calibrated_rows[:, c]) for c in range(k)])
    aucs = [estimate_roc_auc(calibrated_rows[:, c], raw_rows[:, c]) for c in range(k)]
    return {'accuracy': accuracy, 'f1': f1, 'rocAuc': np.mean(aucs)}


def bin_index_edges(m, bin_count):
    if m <= 2 * bin_count:
        bin_count = m // 2
        assert bin_count >= 2
    width = m // bin_count
    edges = np.asarray(range(0, m + 1, width))
    edges[-1] = m
    return list(zip(edges[:-1], edges[1:]))


def ece(y_true, p, edges):
    order = np.argsort(p, kind='stable')
    p, y_true = p[order], y_true[order]
    terms = [(r - l) / len(p) * abs(np.mean(p[l:r]) - np.mean(y_true[l:r])) for l, r in edges]
    return np.sum(terms)


def needs_calibration(y_true, p, seed=42):
    """NannyML's needs_calibration, returning the ECEs it compares (assumes two classes and AUC <= 0.999)."""
    assert len(np.unique(y_true)) == 2 and roc_auc_score(y_true, p) <= 0.999
    sss = StratifiedShuffleSplit(n_splits=10, test_size=0.1, random_state=seed)
    ys, before, after = [], [], []
    for train, test in sss.split(p, y_true):
        iso = IsotonicRegression(out_of_bounds='clip', increasing=True)
        iso.fit(p[train], y_true[train])
        ys.append(y_true[test])
        before.append(p[test])
        after.append(iso.predict(p[test]))
    ys, before, after = np.concatenate(ys), np.concatenate(before), np.concatenate(after)
    edges = bin_index_edges(len(before), 10)
    b, a = ece(ys, before, edges), ece(ys, after, edges)
    return {'used': bool(b > a), 'eceBefore': b, 'eceAfter': a}


def isotonic(p, y):
    iso = IsotonicRegression(out_of_bounds='clip', increasing=True)
    iso.fit(p, y)
    return iso


# --- the cases ---

out = {}

rows, labels = binary_sample(1, 1000, 1.0)
pred = (rows[:, 1] >= 0.5).astype(int)
rs = np.random.RandomState(0)
accs = [accuracy_score(labels[idx], pred[idx]) for idx in (rs.randint(0, 1000, size=1000) for _ in range(1000))]
low, high = np.percentile(accs, [2.5, 97.5])
out['measuredBinary'] = {
    'seed': 1, 'n': 1000, 'squash': 1.0, 'checksum': checksum(rows, labels),
    'accuracy': accuracy_score(labels, pred), 'balancedAccuracy': balanced_accuracy_score(labels, pred),
    'macroF1': f1_score(labels, pred, average='macro'), 'weightedF1': f1_score(labels, pred, average='weighted'),
    'rocAuc': roc_auc_score(labels, rows[:, 1]), 'accuracyLow': low, 'accuracyHigh': high,
}

rows, labels = multiclass_sample(2, 600, 3, 1.0)
pred = np.argmax(rows, axis=1)
out['measuredMulticlass'] = {
    'seed': 2, 'n': 600, 'k': 3, 'squash': 1.0, 'checksum': checksum(rows, labels),
    'accuracy': accuracy_score(labels, pred), 'macroF1': f1_score(labels, pred, average='macro'),
    'weightedF1': f1_score(labels, pred, average='weighted'),
    'rocAuc': roc_auc_score(labels, rows, multi_class='ovr', average='macro'),
}

rs = np.random.RandomState(3)
actual = rs.random_sample(500) * 10
predicted = actual + (rs.random_sample(500) - 0.5) * 2
out['measuredRegression'] = {
    'seed': 3, 'n': 500, 'checksum': float(np.sum(actual) + np.sum(predicted)),
    'rmse': mean_squared_error(actual, predicted, squared=False), 'mae': mean_absolute_error(actual, predicted),
    'r2': r2_score(actual, predicted),
}

rows, labels = binary_sample(4, 1000, 1.0)
out['cbpeBinary'] = {'seed': 4, 'n': 1000, 'squash': 1.0, 'checksum': checksum(rows, labels), **cbpe_binary(rows, rows)}
rows, labels = multiclass_sample(5, 800, 3, 1.0)
out['cbpeMulticlass'] = {'seed': 5, 'n': 800, 'k': 3, 'squash': 1.0, 'checksum': checksum(rows, labels), **cbpe_multiclass(rows, rows)}

# A model squashed toward 0.5: calibration on its test split, then the estimate on a batch.
for name, seed, squash in [('calibrationSquashed', 6, 0.4), ('calibrationCalibrated', 8, 1.0)]:
    rows, labels = binary_sample(seed, 3000, squash)
    decision = needs_calibration(labels, rows[:, 1])
    iso = isotonic(rows[:, 1], labels)
    batch, batch_labels = binary_sample(seed + 1, 1000, squash)
    calibrated = batch.copy()
    if decision['used']:
        calibrated[:, 1] = iso.predict(batch[:, 1])
        calibrated[:, 0] = 1 - calibrated[:, 1]
    out[name] = {
        'seed': seed, 'n': 3000, 'squash': squash, 'checksum': checksum(rows, labels),
        'batchSeed': seed + 1, 'batchN': 1000, 'batchChecksum': checksum(batch, batch_labels),
        **decision, 'x': iso.X_thresholds_.tolist(), 'y': iso.y_thresholds_.tolist(),
        'calibratedBatch': calibrated[:, 1].tolist(), 'estimate': cbpe_binary(batch, calibrated),
    }

rows, labels = multiclass_sample(9, 2000, 3, 0.5)
per_class = []
calibrated_cols = []
batch, batch_labels = multiclass_sample(10, 300, 3, 0.5)
for c in range(3):
    y01 = (labels == c).astype(int)
    decision = needs_calibration(y01, rows[:, c])
    iso = isotonic(rows[:, c], y01)
    per_class.append({**decision, 'x': iso.X_thresholds_.tolist() if decision['used'] else None, 'y': iso.y_thresholds_.tolist() if decision['used'] else None})
    calibrated_cols.append(iso.predict(batch[:, c]) if decision['used'] else batch[:, c])
calibrated = np.stack(calibrated_cols, axis=1)
calibrated = calibrated / np.sum(calibrated, axis=1)[:, np.newaxis]
out['calibrationMulticlass'] = {
    'seed': 9, 'n': 2000, 'k': 3, 'squash': 0.5, 'checksum': checksum(rows, labels),
    'batchSeed': 10, 'batchN': 300, 'batchChecksum': checksum(batch, batch_labels),
    'classes': per_class, 'calibratedBatch': calibrated.reshape(-1).tolist(), 'estimate': cbpe_multiclass(batch, calibrated),
}


def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump(plain(out), f, indent=1)
    f.write('\n')
print('wrote', os.path.relpath(OUT))
