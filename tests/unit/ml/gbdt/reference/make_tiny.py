# Reference values for tests/unit/ml/gbdt/sklearn-match.test.ts: scikit-learn 1.2's HistGradientBoosting on small
# seeded tables made by the same formulas as the test (numbers with missing values, one categorical column).
# Run: /usr/bin/python3 tests/unit/ml/gbdt/reference/make_tiny.py > tests/unit/ml/gbdt/reference/tiny.json
# Also prints the bin edges of one column for the binning test.
import json
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.ensemble._hist_gradient_boosting.binning import _find_binning_thresholds

N = 600
i = np.arange(N)
a = ((i * 7919) % 1000) / 10.0                 # 0 … 99.9, 1000 distinct values
b = np.where(i % 11 == 0, np.nan, ((i * 104729) % 97) / 3.0)   # missing every 11th row
c = (i * 31) % 5                                  # a category 0 … 4
score = np.sin(a / 9.0) + 0.05 * np.nan_to_num(b, nan=20.0) - 0.6 * (c == 2) + 0.4 * (c == 4)
X = np.column_stack([a, b, c]).astype(float)
out = {}
y_reg = score * 3
reg = HistGradientBoostingRegressor(max_iter=30, categorical_features=[False, False, True]).fit(X, y_reg)
out['regression'] = reg.predict(X[:40]).tolist()
y_bin = (score > np.median(score)).astype(int)
clf = HistGradientBoostingClassifier(max_iter=30, categorical_features=[False, False, True]).fit(X, y_bin)
out['binary'] = clf.decision_function(X[:40]).tolist()
y_multi = np.digitize(score, np.quantile(score, [0.33, 0.66]))
mc = HistGradientBoostingClassifier(max_iter=30, categorical_features=[False, False, True]).fit(X, y_multi)
out['multiclass'] = mc.decision_function(X[:40]).tolist()
out['edges'] = _find_binning_thresholds(a, 255).tolist()
out['edgesFew'] = _find_binning_thresholds(np.array([3.0, 1.0, 1.0, 2.0, np.nan][:4]), 255).tolist()
print(json.dumps(out))
