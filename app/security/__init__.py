"""Passwords, server-side sessions, CSRF and login throttling."""
