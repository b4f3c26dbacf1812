"""Plumbing shared by the integration tests and the benchmarks: real brokers, real Celery
worker processes, a loopback webhook receiver, and the checks that nothing was lost."""
