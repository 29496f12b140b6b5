"""bench_env.py: what the Python benchmarks do before their imports.

Imported first by each of them.  It takes bench/ off sys.path, since
bench/ holds a timeit.py of its own, which would shadow the standard
module that scikit-learn's imports reach; need() re-runs the script with
Debian's /usr/bin/python3 (which has python3-numpy and python3-sklearn)
when the interpreter it was started with, such as a pyenv python3 first
on PATH, lacks a module it needs.
"""

import importlib
import os
import sys

_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path = [p for p in sys.path if os.path.realpath(p or ".") != _HERE]


def need(*modules):
    """Import each module, or re-run the script under /usr/bin/python3."""
    try:
        for name in modules:
            importlib.import_module(name)
    except ImportError:
        if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
                and os.access("/usr/bin/python3", os.X_OK):
            os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
        raise
