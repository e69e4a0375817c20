"""The desk: pages where reporters and editors write, review and publish."""
