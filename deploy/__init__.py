"""The pyinfra deploy of the platform: one module per step, run in order by deploy.py.

Pure layer (no host, unit-tested by exact output): appenv, sizing, plan, configs, render, lock,
buildctx's file list. Thin layer (touches hosts): ops (facts and operations), hostdata, and the
step modules preflight, base, docker, postgres, redis, app, nginx, certificates.
"""
