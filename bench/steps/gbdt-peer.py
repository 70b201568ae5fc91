# The train-gbdt step's peer: scikit-learn's HistGradientBoostingClassifier on the 1M-row benchmark table, one thread.
# Same rows as ours: exact duplicate rows dropped (first kept), the date as year, month and day of week, categories as
# codes of their sorted levels, stratified 80/20 split with seed 42; 100 rounds, 31 leaves, no early stopping.
# Usage: OMP_NUM_THREADS=1 /usr/bin/python3 bench/steps/gbdt-peer.py bench/out/reference.csv  → one JSON line on stdout.
import json, sys, time
import numpy as np, pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

df = pd.read_csv(sys.argv[1])
df = df.drop_duplicates(keep='first').reset_index(drop=True)
date = pd.to_datetime(df.pop('d_signup'))
df['d_signup.year'] = date.dt.year
df['d_signup.month'] = date.dt.month
df['d_signup.dayOfWeek'] = date.dt.dayofweek
cats = ['c_tier', 'c_region', 'c_product']
for c in cats:
    df[c] = df[c].astype('category').cat.codes.replace(-1, np.nan)
y = df.pop('label').to_numpy()
X = df.to_numpy(dtype=np.float64)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42, stratify=y)
model = HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, early_stopping=False,
                                       categorical_features=[c in cats for c in df.columns], random_state=0)
start = time.perf_counter()
model.fit(X_train, y_train)
fit_s = time.perf_counter() - start
start = time.perf_counter()
p = model.predict_proba(X_test)[:, 1]
predict_s = time.perf_counter() - start
print(json.dumps({'fitSeconds': fit_s, 'auc': roc_auc_score(y_test, p), 'predictSeconds': predict_s,
                  'rowsPerSecond': len(X_test) / predict_s, 'trainRows': len(X_train), 'testRows': len(X_test),
                  'rounds': int(model.n_iter_)}))
