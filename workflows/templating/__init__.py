"""Worker task templates: Liquid in A2I's dialect, and the URLs `grant_read_access` makes."""
