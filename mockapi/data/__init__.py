"""Where data comes from: fixture files, generation, the default dataset."""
