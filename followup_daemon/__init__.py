"""followup-daemon: follow up on job interviews, on the right day, in your calendar."""

__version__ = "0.1.0"
