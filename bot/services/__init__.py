"""Use cases of the product. Nothing here imports aiogram: Telegram, the terminal chat and the CLI share them."""
