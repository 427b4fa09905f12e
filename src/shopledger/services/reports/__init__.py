"""The accountant's month (docs/reports.md): reports, VAT settlement, statements, exports, PDFs.

Every figure comes from the journal and the documents; sums over accounts read the balances
kept per account and day (adapters/db/balances.py)."""
