"""Solution thermodynamics: water, seawater, Pitzer, osmotic pressure and tonicity."""
