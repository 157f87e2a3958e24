"""Data files shipped with the planner (historical market returns)."""
