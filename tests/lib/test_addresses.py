"""The client address that per-address limits count by (newsreader/lib/addresses.py)."""

import pytest

from newsreader.lib.addresses import counted_address


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:DB8:1:3::1", "2001:db8:1:3::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_ipv6_counts_by_its_64_and_ipv4_as_is(address, counted):
    assert counted_address(address) == counted
