"""Routes of the desk (/desk/, staff only) and the public site (/)."""

urlpatterns: list = []
