"""The client address that per-address limits count by.

An IPv4 address is one client. An IPv6 client is usually given a whole /64 (a
home or a server gets one, and picks addresses in it at will), so counting IPv6
addresses one by one would give an attacker endless fresh addresses: they are
counted by their /64. An IPv4-mapped IPv6 address counts as its IPv4 address.
"""

import ipaddress

IPV6_PREFIX = 64


def counted_address(address):
    """`address` as the limits count it: IPv4 as is, IPv6 as its /64, anything else as is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # without a zone (fe80::1%eth0)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
