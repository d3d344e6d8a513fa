"""The parts of bench/generate.py: synthetic text, and the records of each kind."""
