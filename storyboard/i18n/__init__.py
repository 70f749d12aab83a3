"""Dutch and English: which language a page speaks, and the switch in the footer."""
