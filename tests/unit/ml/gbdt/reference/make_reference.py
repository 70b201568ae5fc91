# Reference scores of scikit-learn's HistGradientBoosting on the vega-datasets files, for tests/unit/ml/gbdt/quality.test.ts.
# Run with Debian's python (scikit-learn 1.2): /usr/bin/python3 tests/unit/ml/gbdt/reference/make_reference.py
# Two recipes: "baselines" (docs/baselines.md: median-impute, standardize, one-hot with levels seen < 5 times pooled)
# and "native" (what our trainer sees: numbers with NaN, categories as codes of their sorted levels, split natively).
# Both use an 80/20 split, seed 42, stratified for classification, on the rows with a target, in file order.
import json, sys
import numpy as np, pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder
from sklearn.metrics import accuracy_score, f1_score, r2_score, mean_squared_error

DATA = 'node_modules/vega-datasets/data/'

def load(name):
    if name == 'penguins':
        df = pd.DataFrame(json.load(open(DATA + 'penguins.json')))
        return df, 'Species', 'multiclass'
    if name == 'cars':
        df = pd.DataFrame(json.load(open(DATA + 'cars.json'))).drop(columns=['Name'])
        df['Year'] = pd.to_datetime(df['Year']).dt.year.astype(float)
        return df, 'Miles_per_Gallon', 'regression'
    if name == 'movies':
        df = pd.DataFrame(json.load(open(DATA + 'movies.json'))).drop(columns=['Title'])
        date = pd.to_datetime(df.pop('Release Date'), format='%b %d %Y', errors='coerce')
        df['Release Year'] = date.dt.year
        df['Release Month'] = date.dt.month
        return df, 'IMDB Rating', 'regression'
    df = pd.read_csv(DATA + 'seattle-weather.csv')
    date = pd.to_datetime(df.pop('date'))
    df['year'] = date.dt.year.astype(float)
    df['month'] = date.dt.month.astype(float)
    return df, 'weather', 'multiclass'

def score(task, y_test, pred):
    if task == 'regression':
        return {'r2': r2_score(y_test, pred), 'rmse': mean_squared_error(y_test, pred) ** 0.5}
    return {'accuracy': accuracy_score(y_test, pred), 'macroF1': f1_score(y_test, pred, average='macro')}

out = {}
for name in ['penguins', 'cars', 'movies', 'seattle']:
    df, target, task = load(name)
    df = df[df[target].notna()].reset_index(drop=True)
    y = df.pop(target)
    cats = [c for c in df.columns if df[c].dtype == object]
    nums = [c for c in df.columns if c not in cats]
    strat = y if task != 'regression' else None
    X_train, X_test, y_train, y_test = train_test_split(df, y, test_size=0.2, random_state=42, stratify=strat)
    Model = HistGradientBoostingRegressor if task == 'regression' else HistGradientBoostingClassifier
    pre = ColumnTransformer([
        ('num', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), nums),
        ('cat', make_pipeline(SimpleImputer(strategy='constant', fill_value='(missing)'),
                              OneHotEncoder(handle_unknown='infrequent_if_exist', min_frequency=5, sparse_output=False)), cats),
    ])
    baselines = make_pipeline(pre, Model(random_state=0)).fit(X_train, y_train)
    # Native: categories as codes of their sorted training levels (unseen → NaN), numbers as they are.
    Xn_train, Xn_test = X_train.copy(), X_test.copy()
    for c in cats:
        levels = sorted(X_train[c].dropna().unique())
        code = {v: i for i, v in enumerate(levels)}
        if len(levels) > 255:
            top = X_train[c].value_counts().index[:254]
            levels = sorted(top)
            code = {v: i for i, v in enumerate(levels)}
            other = {v: 254 for v in X_train[c].dropna().unique() if v not in code}
            code = {**code, **other}
        Xn_train[c] = X_train[c].map(code).astype(float)
        Xn_test[c] = X_test[c].map(code).astype(float)
    native = Model(random_state=0, categorical_features=[c in cats for c in df.columns]).fit(Xn_train, y_train)
    out[name] = {
        'rows': len(df), 'train': len(X_train), 'task': task,
        'baselines': score(task, y_test, baselines.predict(X_test)),
        'native': score(task, y_test, native.predict(Xn_test)),
        'nativeIterations': int(native.n_iter_),
    }
json.dump(out, sys.stdout, indent=2)
print()
