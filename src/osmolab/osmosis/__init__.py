"""Osmotic systems: the two-compartment osmometer and living cells."""
