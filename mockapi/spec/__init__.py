"""The whole official document: its routes, values from its schemas, and the generic memory
of the resources it pairs. Knows no backup rule."""
