"""The company profile: reading YAML with positions, the schema and its validation, the starter."""
