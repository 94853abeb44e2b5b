"""Data shipped with the package (the default campaign calendar)."""
