"""Running it all: processing steps and notebooks in one cached pool, add-data and refresh, lineage, the book builds."""
