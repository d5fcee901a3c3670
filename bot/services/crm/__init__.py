"""CRM data getting in: importing files into storage."""
