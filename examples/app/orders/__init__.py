"""Orders: placing them, confirming them by email, and asking for a review later."""
