"""Formation: the muhasasa convention as data, and the model of government formation."""
