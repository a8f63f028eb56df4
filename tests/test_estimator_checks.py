"""scikit-learn's estimator checks over every estimator of the package."""

from helpers import tiny
from sklearn.linear_model import Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

from sktime_patches import PatchForecaster, SpacetimePatcher
from sktime_patches.conformal import ConformalForecaster

# Tiny settings so the ~50 checks stay fast; patch_len=2 makes sklearn's
# one-feature check meet our "patch_len is longer than the lookback" error, which
# names "1 feature(s)" as that check requires.
ESTIMATORS = [
    # the defaults fit sklearn's short windows: patch_len follows the lookback
    SpacetimePatcher(),
    SpacetimePatcher(patch_len=2, stride=1),
    SpacetimePatcher(patch_len=2, features="stats"),
    PatchForecaster(**tiny(patch_len=2, stride=1, max_epochs=3, batch_size=64)),
    PatchForecaster(max_epochs=2, random_state=0),
    PatchForecaster(**tiny(head="recurrent", cell="gru", max_epochs=3)),
    # a quantile head: predict is its median
    PatchForecaster(quantiles=(0.1, 0.9), max_epochs=2, random_state=0),
    ConformalForecaster(Ridge()),
    ConformalForecaster(Ridge(), method="scaled", refit=True),
    ConformalForecaster(
        PatchForecaster(quantiles=(0.05, 0.95), max_epochs=2, random_state=0),
        method="cqr",
    ),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
