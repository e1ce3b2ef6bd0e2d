"""Pictures, clips and sounds sent with reports: checked, stripped, hashed and read."""
