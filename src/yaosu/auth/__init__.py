"""Parties, users, roles, tokens and the authorization of every action."""
