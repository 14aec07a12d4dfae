"""The wire: protocol limits, reading bodies, auth, rate limits, CORS, trace ids, logs."""
