"""Local stand-ins for outside services, used by the unit tests and by the end-to-end run."""
