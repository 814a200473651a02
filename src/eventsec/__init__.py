"""eventsec: the security protocol of a major football tournament, kept as code.

Data flows one way: load → validate → resolve → assess → render. Each stage is a module
of its own; the command line (``eventsec.cli``) is a thin shell over them.
"""

__version__ = "0.1.0"
