"""Figure functions, one module per notebook; each registers its figures with camlo.charts.style."""
