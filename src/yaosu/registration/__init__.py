"""Registration (登记): notice, objections, and signed certificates."""
