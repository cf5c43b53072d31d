"""Django glue shared by every app: middleware, error pages, message storage, the CLI verb base, caches."""
