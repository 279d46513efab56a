"""Particle simulations (Numba): mixing gases, osmosis and reverse osmosis at molecular level."""
