def loopback(url):
    """Whether url is on this machine: the sandbox, never AWS. The client
    and the server share this one definition (vpclab writes it into both)."""
    import ipaddress
    from urllib.parse import urlparse
    try:
        host = urlparse(url).hostname or ""
        return host.lower() == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
