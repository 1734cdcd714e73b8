"""Building: loading files, rules, validation, analytics, export and push."""
