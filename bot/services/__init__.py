"""Use cases of the product, one package per feature (see docs/ARCHITECTURE.md). Nothing here imports aiogram, the
composition root or a presenter: Telegram, the terminal chat and the CLI share them, and import-linter checks it."""
