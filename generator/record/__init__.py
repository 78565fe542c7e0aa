"""The record: its model, vocabularies and files."""
