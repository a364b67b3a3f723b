"""Running as a service: talking to systemd, the unit and launchd agent, the daemon loop."""
