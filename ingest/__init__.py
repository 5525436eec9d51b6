"""Loaders that turn real source files into graph batches, validated before anything is written."""
