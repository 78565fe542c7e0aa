"""The writing half: records -> Markdown pages (one URL authority in urls)."""
