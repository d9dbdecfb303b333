"""Licence, transfer and pledge deals (转让/许可/质押): offers, agreement terms, the status
workflow, milestones and payments, each signed version and milestone deposited in the evidence log."""
