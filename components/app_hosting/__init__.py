"""Application hosting: container apps, web apps, their data services, the public WAF entrance and `App`."""
