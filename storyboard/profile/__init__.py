"""Each person's own settings: the weekly digest e-mail and their private feed address."""
