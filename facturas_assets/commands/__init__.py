"""The `facturas` command's subcommands, one module each."""
