"""Settlement: money in integer fen, a double-entry journal, escrow, and exact revenue splits."""
