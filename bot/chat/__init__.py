"""The terminal chat: a transport-neutral dialogue over the same services Telegram uses."""
