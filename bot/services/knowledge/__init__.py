"""Scripts library and knowledge base: corpus, ingestion, retrieval, situations, answers with sources."""
