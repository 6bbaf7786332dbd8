"""The batch jobs: ingest -> db <- train -> predict; reports read the views."""
