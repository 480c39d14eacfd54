"""Schedule changes: the published log, the effective itinerary, diffs, notices and broadcasts."""
