"""Privacy kernels: vectorized identifier checksums and column detectors (pure, no database)."""
