"""The ridge path (_ridge): the numpy definition, its torch twin, and sklearn."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import Ridge

from sktime_patches._ridge import (
    ALPHAS,
    gram,
    gram_torch,
    path_errors,
    path_errors_torch,
    ridge_path,
    ridge_path_torch,
)


def problem(n=120, n_features=6, n_targets=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features)) * rng.uniform(0.1, 10, n_features)
    Y = X @ rng.normal(size=(n_features, n_targets)) + rng.normal(size=(n, n_targets))
    return X, Y + rng.normal(size=n_targets)


@pytest.mark.parametrize("seed", range(4))
def test_numpy_and_torch_twins_agree(seed):
    X, Y = problem(seed=seed)
    g, c = gram(X, Y)
    gt, ct = gram_torch(torch.from_numpy(X), torch.from_numpy(Y))
    np.testing.assert_allclose(gt.numpy(), g, rtol=1e-12)
    np.testing.assert_allclose(ct.numpy(), c, rtol=1e-12)
    path = ridge_path(g, c, ALPHAS)
    path_t = ridge_path_torch(gt, ct, ALPHAS)
    for (coef, intercept), (coef_t, intercept_t) in zip(path, path_t, strict=True):
        np.testing.assert_allclose(coef_t.numpy(), coef, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(
            intercept_t.numpy(), intercept, rtol=1e-8, atol=1e-10
        )
    scale, loc = np.array([2.0, 0.5, 1.0]), np.array([1.0, -3.0, 0.0])
    errors = path_errors(X, Y, path, scale, loc)
    errors_t = path_errors_torch(
        torch.from_numpy(X), torch.from_numpy(Y), path_t, torch.from_numpy(scale),
        torch.from_numpy(loc),
    )  # fmt: skip
    assert errors_t.dtype == torch.float64 and errors.shape == (len(ALPHAS),)
    np.testing.assert_allclose(errors_t.numpy(), errors, rtol=1e-8)


@pytest.mark.parametrize("alpha", [1e-3, 1.0, 1e3])
def test_path_equals_sklearn_ridge_with_an_intercept(alpha):
    X, Y = problem()
    [(coef, intercept)] = ridge_path(*gram(X, Y), [alpha])
    reference = Ridge(alpha=alpha).fit(X, Y)
    np.testing.assert_allclose(coef.T, reference.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(intercept, reference.intercept_, rtol=1e-8, atol=1e-10)


def test_gram_of_chunks_adds_up_to_the_gram_of_all_rows():
    X, Y = problem()
    parts = [gram(X[i : i + 25], Y[i : i + 25]) for i in range(0, len(X), 25)]
    whole = gram(X, Y)
    np.testing.assert_allclose(sum(p[0] for p in parts), whole[0], rtol=1e-12)
    np.testing.assert_allclose(sum(p[1] for p in parts), whole[1], rtol=1e-12)


def test_path_errors_are_the_squared_errors_of_each_solution():
    X, Y = problem()
    path = ridge_path(*gram(X[:80], Y[:80]), [0.1, 100.0])
    errors = path_errors(X[80:], Y[80:], path)
    for (coef, intercept), error in zip(path, errors, strict=True):
        assert error == pytest.approx(((X[80:] @ coef + intercept - Y[80:]) ** 2).sum())
