"""The Jupyter/Voilà user interfaces. The only part of ``sim`` that imports ipywidgets."""
