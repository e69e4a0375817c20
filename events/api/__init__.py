"""The public read-only API, v1 (Django REST Framework)."""
