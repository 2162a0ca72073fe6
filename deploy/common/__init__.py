"""Plumbing every concern shares: where the deploy keeps its things on a server (paths), rendering
templates (render), host data and the operator's values (hostdata, operator), server-side secrets
(secrets), the facts and operations for root-only files (facts, operations), content hashing."""
