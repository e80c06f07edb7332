"""Pages of oversight: alerts, their triage and the access reports (`alerts`); the inquiries
(`inquiries`)."""
