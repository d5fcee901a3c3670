"""Client work: finding clients, what we know before a contact, the pre-call brief, the call log, the morning digest."""
