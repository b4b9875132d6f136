"""The Jupyter/Voilà user interfaces. The only part of ``sim`` that imports ipywidgets.

Widgets render what the doors (``sim.app``) return and forward events; they decide nothing. May import only
``sim.app.*``, ``sim.errors`` and ``sim.ui.*``.
"""
