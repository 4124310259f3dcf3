"""Coding interviews: editing sources, suggestions, agreement between coders, codebook refactors."""
