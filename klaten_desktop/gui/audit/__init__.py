"""The Audit screen: the hash-chained audit trail, filtered and exported for an auditor (a tab of Pengaturan)."""
