"""The weekly digest: numbers and stories of one ISO week, on the web, by e-mail, as a feed."""
