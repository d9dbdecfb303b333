"""Evidence deposit (存证): a tamper-evident, offline-verifiable log in the design of Certificate
Transparency (RFC 6962/9162): Merkle tree, Ed25519-signed tree heads, receipts, audit."""
