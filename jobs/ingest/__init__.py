"""Getting catalogs, audio features and beats into the database."""
