"""Development-only tools: the synthetic invoice generator, the demo, benchmark tallies.

The production image installs `facturas_assets` alone (see .dockerignore); nothing in it
imports this package except the CLI, which offers `generate` and `demo` when it is present.
"""
