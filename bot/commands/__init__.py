"""The command-line commands, one module each. Every module exposes `register(subparsers)`; the parser
(bot/cli.py) calls them in COMMAND_MODULES order, and each sets `func(args, settings) -> int` on its parser."""
