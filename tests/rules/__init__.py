"""Tests of the rules under sim/rules/, one module each, with known answers (REFERENCES.md)."""
