"""Local stand-ins for outside services, used by the tests and the end-to-end run."""
