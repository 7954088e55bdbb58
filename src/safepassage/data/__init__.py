"""Data shipped with SafePassage (the Afghanistan gazetteer); read it with importlib.resources."""
