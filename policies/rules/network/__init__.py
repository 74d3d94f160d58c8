"""Network: NSG rules open to the internet, subnets without NSG, public IPs and IP forwarding outside connectivity."""
