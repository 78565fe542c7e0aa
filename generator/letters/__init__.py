"""The reading half: letters as published -> records."""
