"""The bundled fictional sample council (Northbridge Borough Council)."""
