#!/usr/bin/python3
"""Reference values for the review metrics (tests/unit/pipeline/review/*.test.ts), computed by scikit-learn.

Run once with Debian's packages (apt-get install -y python3-sklearn python3-scipy python3-pandas):

    /usr/bin/python3 tests/unit/pipeline/review/reference/make_reference.py

It writes classification.json, calibration.json and regression.json beside itself. The data are seeded numpy draws.
Probabilities are drawn as float32 (what the app's models give) and handed to scikit-learn as float64 holding the same
values, so both sides compute on identical numbers (scikit-learn on float32 arrays would compute in float32, and
`log_loss(eps="auto")` would clip at float32's epsilon instead of float64's).
"""

import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    log_loss,
    max_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    precision_recall_curve,
    precision_recall_fscore_support,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)
from sklearn.preprocessing import label_binarize

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = {"sklearn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__, "python": sys.version.split()[0]}


def floats(a):
    return [float(x) for x in np.asarray(a, dtype=np.float64).ravel()]


def ints(a):
    return [int(x) for x in np.asarray(a).ravel()]


def calibration(y01, scores, n_bins, strategy):
    """calibration_curve, with the count per bin and the bin edges, computed the way scikit-learn 1.2 bins."""
    prob_true, prob_pred = calibration_curve(y01, scores, n_bins=n_bins, strategy=strategy)
    if strategy == "quantile":
        bins = np.percentile(scores, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        bins = np.linspace(0.0, 1.0, n_bins + 1)
    binids = np.searchsorted(bins[1:-1], scores)
    total = np.bincount(binids, minlength=len(bins))
    nonzero = total != 0
    counts = total[nonzero]
    assert total[-1] == 0  # scikit-learn counts into n_bins + 1 slots; the last one never fills
    # Our own recount must give back scikit-learn's curve, or the counts would not belong to it.
    assert np.array_equal(np.bincount(binids, weights=y01, minlength=len(bins))[nonzero] / counts, prob_true)
    assert np.array_equal(np.bincount(binids, weights=scores, minlength=len(bins))[nonzero] / counts, prob_pred)
    ece = float(np.sum(counts / counts.sum() * np.abs(prob_true - prob_pred)))
    return {
        "strategy": strategy,
        "bins": n_bins,
        "probTrue": floats(prob_true),
        "probPred": floats(prob_pred),
        "counts": ints(counts),
        "from": floats(bins[:-1][nonzero[:-1]]),
        "to": floats(bins[1:][nonzero[:-1]]),
        "ece": ece,
    }


def threshold_rows(y01, scores, thresholds):
    rows = []
    for t in thresholds:
        pred = (scores >= t).astype(int)
        rows.append({
            "threshold": float(t),
            "precision": float(precision_score(y01, pred, zero_division=0)),
            "recall": float(recall_score(y01, pred, zero_division=0)),
            "f1": float(f1_score(y01, pred, zero_division=0)),
            "selectionRate": float(pred.mean()),
        })
    return rows


def headline(y, probs, k, positive, threshold):
    """The headline numbers, as scikit-learn computes them on these rows."""
    if k == 2:
        pred = np.where(probs[:, positive] >= threshold, positive, 1 - positive)
        y01 = (y == positive).astype(int)
        auc = roc_auc_score(y01, probs[:, positive])
        ap = average_precision_score(y01, probs[:, positive])
        brier = brier_score_loss(y01, probs[:, positive])
        cal = calibration(y01, probs[:, positive], 10, "uniform")
    else:
        pred = np.argmax(probs, axis=1)
        auc = roc_auc_score(y, probs, multi_class="ovr", average="macro", labels=list(range(k)))
        ap = average_precision_score(label_binarize(y, classes=list(range(k))), probs, average="macro")
        # scikit-learn 1.2 has no multiclass Brier score: the mean over rows of the squared distance to the one-hot label.
        brier = np.mean(np.sum((probs - np.eye(k)[y]) ** 2, axis=1))
        cal = calibration((pred == y).astype(int), probs[np.arange(len(y)), pred], 10, "uniform")
    return pred, {
        "n": int(len(y)),
        "accuracy": float(accuracy_score(y, pred)),
        "balancedAccuracy": float(balanced_accuracy_score(y, pred)),
        "macroF1": float(f1_score(y, pred, average="macro", zero_division=0)),
        "weightedF1": float(f1_score(y, pred, average="weighted", zero_division=0)),
        "rocAuc": float(auc),
        "averagePrecision": float(ap),
        "logLoss": float(log_loss(y, probs, labels=list(range(k)))),
        "brier": float(brier),
        "ece": cal["ece"],
    }


def classification_case(name, y, probs32, positive=None, threshold=0.5, resample_seed=None):
    k = probs32.shape[1]
    probs = probs32.astype(np.float64)
    positive = k - 1 if positive is None and k == 2 else positive
    pred, head = headline(y, probs, k, positive, threshold)
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=list(range(k)), zero_division=0)
    macro = precision_recall_fscore_support(y, pred, average="macro", zero_division=0)
    weighted = precision_recall_fscore_support(y, pred, average="weighted", zero_division=0)
    columns = [positive] if k == 2 else list(range(k))
    curves = []
    for c in columns:
        y01 = (y == c).astype(int)
        fpr, tpr, _ = roc_curve(y01, probs[:, c])
        precision, recall, _ = precision_recall_curve(y01, probs[:, c])
        curves.append({
            "class": c,
            "rocAuc": float(roc_auc_score(y01, probs[:, c])),
            "averagePrecision": float(average_precision_score(y01, probs[:, c])),
            "fpr": floats(fpr),
            "tpr": floats(tpr),
            "precision": floats(precision),
            "recall": floats(recall),
        })
    if k == 2:
        y01, scores = (y == positive).astype(int), probs[:, positive]
    else:
        y01, scores = (pred == y).astype(int), probs[np.arange(len(y)), pred]
    case = {
        "name": name,
        "k": k,
        "labels": ints(y),
        "probs": floats(probs32),
        "positive": positive,
        "threshold": threshold,
        "expected": {
            **head,
            "perClass": [{"precision": float(p[c]), "recall": float(r[c]), "f1": float(f[c]), "support": int(s[c])} for c in range(k)],
            "macro": {"precision": float(macro[0]), "recall": float(macro[1]), "f1": float(macro[2])},
            "weighted": {"precision": float(weighted[0]), "recall": float(weighted[1]), "f1": float(weighted[2])},
            "confusion": confusion_matrix(y, pred, labels=list(range(k))).tolist(),
            "curves": curves,
            "calibration": {s: calibration(y01, scores, 10, s) for s in ("uniform", "quantile")},
            "thresholds": threshold_rows(y01, scores, np.arange(101) / 100) if k == 2 else None,
        },
    }
    if resample_seed is not None:
        rows = np.random.RandomState(resample_seed).randint(0, len(y), len(y))
        case["rows"] = ints(rows)
        case["resampled"] = headline(y[rows], probs[rows], k, positive, threshold)[1]
    return case


def binary_data(rng, n):
    y = (rng.rand(n) < 0.4).astype(np.int64)
    logit = 1.2 * (2 * y - 1) + rng.randn(n) * 1.3
    p = 1 / (1 + np.exp(-logit))
    # Round a third of the scores to two decimals: many tied scores, and scores exactly on the bin edges.
    tied = rng.rand(n) < 0.33
    p[tied] = np.round(p[tied], 2)
    p1 = p.astype(np.float32)
    return y, np.stack([np.float32(1) - p1, p1], axis=1)


def multiclass_data(rng, n, k):
    y = rng.randint(0, k, n)
    logits = rng.randn(n, k) * 1.1
    logits[np.arange(n), y] += 1.0
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    p = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    # Round some rows to two decimals (renormalized in float32): ties within each class column.
    tied = rng.rand(n) < 0.25
    p[tied] = np.round(p[tied], 2)
    p[tied] /= p[tied].sum(axis=1, keepdims=True)
    return y, p


def regression_case(name, actual, predicted, resample_seed=None):
    def head(a, p):
        out = {
            "n": int(len(a)),
            "rmse": float(mean_squared_error(a, p, squared=False)),
            "mae": float(mean_absolute_error(a, p)),
            "r2": float(r2_score(a, p)),
            "maxError": float(max_error(a, p)),
        }
        crosses = np.any(a == 0) or (a.min() < 0 and a.max() > 0)
        out["mape"] = None if crosses else float(mean_absolute_percentage_error(a, p))
        return out

    deciles, edges = pd.qcut(predicted, 10, labels=False, retbins=True)
    assert len(np.unique(edges)) == 11
    frame = pd.DataFrame({"decile": deciles, "abs": np.abs(actual - predicted), "err": actual - predicted})
    groups = frame.groupby("decile")
    by_decile = [
        {"decile": int(d) + 1, "from": float(edges[d]), "to": float(edges[d + 1]), "n": int(groups.size()[d]),
         "mae": float(groups["abs"].mean()[d]), "meanError": float(groups["err"].mean()[d])}
        for d in range(10)
    ]
    case = {"name": name, "actual": floats(actual), "predicted": floats(predicted),
            "expected": {**head(actual, predicted), "byDecile": by_decile}}
    if resample_seed is not None:
        rows = np.random.RandomState(resample_seed).randint(0, len(actual), len(actual))
        case["rows"] = ints(rows)
        case["resampled"] = head(actual[rows], predicted[rows])
    return case


def docstring_examples():
    """The examples of scikit-learn's docstrings, run here; the tests also check the values the docs print."""
    out = {}
    y, s = np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])
    out["average_precision_score"] = {"y": ints(y), "scores": floats(s), "value": float(average_precision_score(y, s))}
    out["roc_auc_score_binary"] = {"y": ints(y), "scores": floats(s), "value": float(roc_auc_score(y, s))}
    fpr, tpr, _ = roc_curve(np.array([1, 1, 2, 2]) == 2, s)
    out["roc_curve"] = {"y": [0, 0, 1, 1], "scores": floats(s), "fpr": floats(fpr), "tpr": floats(tpr)}
    precision, recall, _ = precision_recall_curve(y, s)
    out["precision_recall_curve"] = {"y": ints(y), "scores": floats(s), "precision": floats(precision), "recall": floats(recall)}
    y, p = np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.8, 0.3])
    out["brier_score_loss"] = {"y": ints(y), "probs": floats(p), "value": float(brier_score_loss(y, p))}
    # log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]): classes sorted ham, spam.
    probs = np.array([[.1, .9], [.9, .1], [.8, .2], [.35, .65]])
    out["log_loss"] = {"y": [1, 0, 0, 1], "probs": floats(probs), "value": float(log_loss(["spam", "ham", "ham", "spam"], probs))}
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0])
    t, q = calibration_curve(y, p, n_bins=3)
    out["calibration_curve"] = {"y": ints(y), "probs": floats(p), "probTrue": floats(t), "probPred": floats(q)}
    yt, yp = np.array([3, -0.5, 2, 7]), np.array([2.5, 0.0, 2, 8])
    out["regression"] = {"actual": floats(yt), "predicted": floats(yp), "r2": float(r2_score(yt, yp)),
                         "mae": float(mean_absolute_error(yt, yp)), "rmse": float(mean_squared_error(yt, yp, squared=False)),
                         "mape": float(mean_absolute_percentage_error(yt, yp))}
    yt, yp = np.array([3, 2, 7, 1]), np.array([4, 2, 7, 1])
    out["max_error"] = {"actual": floats(yt), "predicted": floats(yp), "value": float(max_error(yt, yp))}
    # balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]) and the precision_recall_fscore_support example.
    out["balanced_accuracy_score"] = {"y": [0, 1, 0, 0, 1, 0], "pred": [0, 1, 0, 0, 0, 1],
                                      "value": float(balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]))}
    yt = np.array(['cat', 'dog', 'pig', 'cat', 'dog', 'pig'])
    yp = np.array(['cat', 'pig', 'dog', 'cat', 'cat', 'dog'])
    out["precision_recall_fscore_support"] = {
        "classes": ["cat", "dog", "pig"],
        "y": [["cat", "dog", "pig"].index(v) for v in yt],
        "pred": [["cat", "dog", "pig"].index(v) for v in yp],
        "macro": floats(precision_recall_fscore_support(yt, yp, average="macro", zero_division=0)[:3]),
        "weighted": floats(precision_recall_fscore_support(yt, yp, average="weighted", zero_division=0)[:3]),
    }
    return out


def main():
    rng = np.random.RandomState(20261204)
    y2, p2 = binary_data(rng, 400)
    y3, p3 = multiclass_data(rng, 300, 3)
    cases = [
        classification_case("binary", y2, p2, resample_seed=7),
        classification_case("binary, threshold 0.3, positive class 0", y2, p2, positive=0, threshold=0.3),
        classification_case("3 classes", y3, p3, resample_seed=11),
    ]
    with open(os.path.join(HERE, "classification.json"), "w") as f:
        json.dump({"versions": VERSIONS, "cases": cases, "docstrings": docstring_examples()}, f, allow_nan=False)

    cal_y = (rng.rand(500) < 0.3).astype(int)
    cal_s = np.clip(rng.beta(2, 5, 500) + 0.2 * cal_y, 0, 1)
    cal_s[::7] = np.round(cal_s[::7], 1)  # scores exactly on uniform edges
    calib = {"y": ints(cal_y), "scores": floats(cal_s),
             "curves": [calibration(cal_y, cal_s, b, s) for b in (5, 10, 15) for s in ("uniform", "quantile")]}
    with open(os.path.join(HERE, "calibration.json"), "w") as f:
        json.dump({"versions": VERSIONS, **calib}, f, allow_nan=False)

    n = 300
    actual = np.exp(rng.randn(n) * 0.5 + 3)
    predicted = actual * (1 + rng.randn(n) * 0.15) + rng.randn(n)
    crossing = rng.randn(n) * 10
    cases = [
        regression_case("positive target", actual, predicted, resample_seed=3),
        regression_case("target crossing zero", crossing, crossing + rng.randn(n) * 2, resample_seed=5),
        # Predictions rounded to one decimal: tied predictions, and decile edges equal to predictions.
        regression_case("tied predictions", actual, np.round(predicted, 1)),
    ]
    with open(os.path.join(HERE, "regression.json"), "w") as f:
        json.dump({"versions": VERSIONS, "cases": cases}, f, allow_nan=False)


if __name__ == "__main__":
    main()
