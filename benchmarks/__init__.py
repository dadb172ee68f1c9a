"""Benchmarks: whiteboard against the library a user would otherwise pick."""
