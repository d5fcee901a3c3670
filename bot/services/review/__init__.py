"""Supervisors and quality: review decisions and queue, corrections and labels, stats, survey, audit."""
