"""Nämndtool: kallelser, handlingar, protokoll och diarium för en kommunal nämnd.

The core package. It never imports Qt: the desktop app lives in ``nämndtool.ui``
(the ``ui/`` folder of the checkout) and is imported lazily by the CLI.
"""

__version__ = "0.1.0"
