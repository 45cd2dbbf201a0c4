"""Operations: health and readiness, Prometheus metrics, the in-process scheduler, workers."""
