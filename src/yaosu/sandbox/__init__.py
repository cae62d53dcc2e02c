"""The sandbox: buyers' SQL checked against analysis rules and run next to data they never see; verification (核验)."""
