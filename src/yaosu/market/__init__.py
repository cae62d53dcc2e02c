"""The market: products, listing review, pricing models, negotiation, auctions, demands and contracts."""
