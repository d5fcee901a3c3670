"""What an operator watches: Prometheus metrics, the /healthz probe and log hygiene (no client data in logs)."""
