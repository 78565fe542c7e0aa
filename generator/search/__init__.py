"""The two search indexes and the search page."""
