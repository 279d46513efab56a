"""Reverse-osmosis systems: elements, vessels, stages, passes, energy and design files."""
