"""Field notes: what delegates record during the trip, the raw material of the report."""
