"""Recognition: kudos for stories and the notifications that tell their authors."""
