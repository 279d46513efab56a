"""Studies of RO designs: parameter sweeps, Monte Carlo uncertainty and optimisation.

They run the vectorised engine (:func:`osmolab.ro.project`) over many cases, locally by
default and on a Dask cluster when asked (``client=``).
"""
