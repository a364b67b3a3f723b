"""One package per calendar and mail service (local, google, outlook, caldav, ...).

Providers import the core; the core reaches them only through its registry.
The first provider arrives with the sync engine.
"""
