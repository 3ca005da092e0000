"""Publishing: the founder's disclosure rules applied once, what readers can recompute, exports and the terminal table."""
