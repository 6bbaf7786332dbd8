"""beatclassifier: which artists' sound does my beat fit?"""

__version__ = "0.1.0"
