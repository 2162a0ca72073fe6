"""Which studio a request is for, and that studio's database."""
