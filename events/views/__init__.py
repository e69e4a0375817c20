"""Views: the desk (``desk``, staff only) and the public site (``public``)."""
