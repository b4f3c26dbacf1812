"""Configuration: work teams, human task UIs, flow definitions."""
