"""Cross-cutting parts every feature uses: who may do what, the clock, notifications, periods, charts, LLM spending."""
