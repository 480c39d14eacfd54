"""The field kit: the emergency card, per-member itineraries, contact cards."""
