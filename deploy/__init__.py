"""The pyinfra deploy of the platform, grouped by concern; deploy.py runs the steps in order.

Each concern is a package: `__init__.py` holds its `@deploy("Verb object")` step(s), the inventory
`GROUPS` whose hosts run them and the Debian `PACKAGES` they need; `config.py` its pure builders (host data and facts in, template context or
command out, unit-tested by exact output); `facts.py` and `operations.py` what it reads from and
does to a host beyond pyinfra's own. Its config files are Jinja2 templates under templates/<concern>/.

- preflight  refuse to start, naming every missing item
- base       packages every role needs, /etc/rsm, rsm-render
- docker     Docker and the app's network (web)
- postgres   PostgreSQL sized for the app, the app role and master database (db)
- redis      Redis with a password (db)
- app        env file, image, migrations, Compose release (web)
- nginx      one systemd nginx: the redirect, then HTTPS (web)
- certbot    the DNS-01 wildcard certificate and its renewal (web)

roles.py finds the concerns and says which run on a host; common/ holds the shared plumbing.
"""
