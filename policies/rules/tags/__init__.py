"""Tags and the algorithm register: who owns a resource, what it costs, how sensitive its data is."""
