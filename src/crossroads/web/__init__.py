"""Server-rendered pages, navigation and static assets."""
