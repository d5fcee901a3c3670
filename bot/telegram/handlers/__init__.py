"""One router per feature; factory.py includes them in order."""
