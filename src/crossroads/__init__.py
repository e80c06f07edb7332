"""Crossroads: joint anti-trafficking case platform for the Western Balkans."""
