"""Robustness of RO projections: random valid designs either converge or state why not.

Run: ``.venv/bin/python benchmarks/robustness_ro.py [--n 1000] [--seed 0]``

The designs and their classification come from :mod:`osmolab.ro.random_designs`: each is drawn at random (feed 0.5-45 g/kg seawater or NaCl, 5-35 degC, recovery
10-80 %, 1-3 stages of 1-8 elements per vessel, library elements of the type that suits the
salinity, random vessel counts, energy recovery and water source), validated through the
design-file schema and projected with :func:`osmolab.project`. Outcomes:

* converged: feasible, every reported number finite;
* stated reason: the engine returns the case infeasible with a reason, or raises
  ``InputError`` with one line (e.g. the concentrate osmotic pressure exceeds the maximum
  pressure);
* NaN: a feasible result with a non-finite number (must be 0);
* crash: any other exception (must be 0).

WaterTAP's RO flowsheets often fail to initialise for such designs (its issues #91, #132,
#951); here no initial guess is ever asked for.
"""

from __future__ import annotations

import argparse

from osmolab.ro.design import project
from osmolab.ro.random_designs import run


def _track(designs):
    try:
        from rich.progress import track  # lazy: optional progress bar
    except ImportError:  # pragma: no cover
        return designs
    return track(designs, description="projecting random designs")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    project("seawater_px")  # compile / load caches before timing
    out = run(args.n, args.seed, progress=_track)
    c = out["counts"]
    print(f"random RO designs: {out['n']} in {out['seconds']:.1f} s "
          f"({1e3 * out['seconds'] / max(out['n'], 1):.1f} ms each)")
    print(f"  converged:      {c['converged']}")
    print(f"  stated reason:  {c['reason']}")
    print(f"  NaN:            {c['nan']}")
    print(f"  crash:          {c['crash']}")
    if out["reasons"]:
        print("  reasons given:")
        for text, count in out["reasons"].most_common(8):
            print(f"    {count:5d}  {text}")
    for design, detail in out["failures"][:5]:
        print(f"  FAILURE: {detail}\n    design: {design}")
    return out


if __name__ == "__main__":
    main()
