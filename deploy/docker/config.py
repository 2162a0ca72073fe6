"""Docker on a web host (pure): the app's bridge network."""

NETWORK = "rsm"
BRIDGE = "rsm0"
# Services that listen on the network's gateway (PostgreSQL, Redis) start after Docker, which
# creates that address: templates/docker/after-docker.conf.j2 is their systemd drop-in.
AFTER_DOCKER_DROPIN = "docker/after-docker.conf.j2"
