"""Quarterly steering-group reports: compiled by Celery from every app into a frozen, versioned
snapshot (with its PDF and XLSX), reviewed and published by a programme manager."""
