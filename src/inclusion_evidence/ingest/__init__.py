"""Data in: the catalogue and fetch, one reader per publisher, table schemas, the Action Plan facts and syntheses."""
