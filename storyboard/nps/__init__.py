"""NPS: survey answers in (import), honest numbers out (math with a margin of error)."""
