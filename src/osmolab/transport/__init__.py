"""Transport laws: gas and liquid diffusivities, Fick diffusion, membrane transport."""
