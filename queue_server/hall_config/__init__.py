"""Hall configuration files: schema, validation with places, and import."""
