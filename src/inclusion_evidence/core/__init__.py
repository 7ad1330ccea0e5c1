"""The ground floor: folders, errors, country and region codes, YAML, atomic writes, code hashes, processed tables."""
