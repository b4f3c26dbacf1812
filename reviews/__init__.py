"""The work: human loops, task slots and their assignment, answers and outputs."""
