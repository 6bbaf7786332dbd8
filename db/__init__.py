"""Everything that touches PostgreSQL: models, connections, named SQL queries."""
