"""Anonymise Dutch interview transcripts into ROCK sources, with consistent pseudonyms and a locked key."""
