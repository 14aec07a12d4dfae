"""The running mock: which store is served, its clock, journal and fault rules."""
