"""The suggestion card for a client's message: type, situation, script and the drafted reply."""
