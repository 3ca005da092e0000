"""Publishing: the founder's disclosure rules applied once, what a reader can work out (attack/), exports, the
terminal table."""
