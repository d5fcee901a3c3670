"""Internal task briefs: reading the request, drafting the brief, tone, commitments, delivery and follow-up."""
