-- Hand-written (drizzle-kit does not model FTS5): the chunk index of messaging knowledge sources.
-- title + body are searched (porter stemming, Unicode folding); the rest rides along unindexed.
-- Queries always filter by profile_id and agent_id next to MATCH.
CREATE VIRTUAL TABLE `knowledge_fts` USING fts5(
	title,
	body,
	answer UNINDEXED,
	profile_id UNINDEXED,
	agent_id UNINDEXED,
	source_id UNINDEXED,
	kind UNINDEXED,
	tokenize = 'porter unicode61 remove_diacritics 2'
);
