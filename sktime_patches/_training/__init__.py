"""How PatchForecaster trains: the skorch net, its callbacks, the two kinds of
training input, and where it runs (device, threads, seeding). Private: the
estimator is the public face."""
