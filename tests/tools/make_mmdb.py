#!/usr/bin/env python3
"""Writes a small MaxMind DB (.mmdb) country database, for tests: no network, no pip.

The layout follows the MaxMind DB File Format Specification v2.0: a binary search tree of
128-bit IPv6 prefixes (IPv4 networks live at ::a.b.c.d/96+len, where readers look them up),
24-bit records, a 16-byte zero separator, the data section (one map per country, shaped like
GeoLite2-Country's {"country": {"iso_code", "names": {"en"}}}), then "\\xab\\xcd\\xefMaxMind.com"
and the metadata map.

    make_mmdb.py OUT.mmdb [CIDR=CC ...]      (default: the networks in DEFAULT_NETWORKS)

The tests' networks are the documentation ranges (RFC 5737, RFC 3849), never real clients.
"""
import ipaddress
import struct
import sys
import time

DEFAULT_NETWORKS = {
    "192.0.2.0/24": "DE",  # TEST-NET-1
    "198.51.100.0/24": "FR",  # TEST-NET-2
    "203.0.113.128/25": "JP",  # half of TEST-NET-3
    "127.0.0.0/8": "NZ",  # loopback, so a test server's own clients have a country
    "2001:db8::/48": "BR",
    "2001:db8:1::/48": "CA",
    "::1/128": "NZ",
}

NAMES = {"DE": "Germany", "FR": "France", "JP": "Japan", "NZ": "New Zealand", "BR": "Brazil",
         "CA": "Canada", "US": "United States"}

RECORD_BITS = 24
DATA_SEPARATOR = b"\x00" * 16
METADATA_MARKER = b"\xab\xcd\xefMaxMind.com"

# Data section types (the spec's numbers).
T_POINTER, T_STRING, T_DOUBLE, T_BYTES, T_UINT16, T_UINT32, T_MAP = 1, 2, 3, 4, 5, 6, 7
T_INT32, T_UINT64, T_UINT128, T_ARRAY, T_BOOLEAN = 8, 9, 10, 11, 14


def control(type_, size):
    """The control byte(s) for a field of `type_` whose payload is `size` (bytes or entries)."""
    if size < 29:
        head, extra = size, b""
    elif size < 29 + 256:
        head, extra = 29, bytes([size - 29])
    elif size < 285 + 65536:
        head, extra = 30, struct.pack(">H", size - 285)
    else:
        head, extra = 31, struct.pack(">I", size - 65821)[1:]
    if type_ <= 7:
        return bytes([(type_ << 5) | head]) + extra
    return bytes([head, type_ - 7]) + extra  # extended type: type 0, then type - 7


def encode_uint(type_, value, width):
    payload = value.to_bytes(width, "big").lstrip(b"\x00")
    return control(type_, len(payload)) + payload


def encode(value, kind=None):
    """Encodes a Python value; `kind` picks the integer type ("uint16", "uint32", "uint64")."""
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return control(T_STRING, len(raw)) + raw
    if isinstance(value, bool):
        return control(T_BOOLEAN, int(value))
    if isinstance(value, int):
        type_, width = {"uint16": (T_UINT16, 2), "uint32": (T_UINT32, 4),
                        "uint64": (T_UINT64, 8)}[kind or "uint32"]
        return encode_uint(type_, value, width)
    if isinstance(value, dict):
        out = control(T_MAP, len(value))
        for k, v in value.items():
            sub = kind.get(k) if isinstance(kind, dict) else None
            out += encode(k) + encode(v, sub)
        return out
    if isinstance(value, list):
        return control(T_ARRAY, len(value)) + b"".join(encode(v, kind) for v in value)
    raise TypeError(f"cannot encode {value!r}")


class Node:
    __slots__ = ("children",)

    def __init__(self):
        self.children = [None, None]  # each: None (no data), Node, or ("data", offset)


def insert(root, bits, prefix_len, leaf):
    node = root
    for i in range(prefix_len - 1):
        b = bits[i]
        child = node.children[b]
        if not isinstance(child, Node):
            # Split a leaf (or empty) into a subtree that keeps it on both sides.
            new = Node()
            new.children = [child, child]
            node.children[b] = new
            child = new
        node = child
    node.children[bits[prefix_len - 1]] = leaf


def network_bits(net):
    if net.version == 4:
        # IPv4 in an IPv6 tree: the first 96 bits are zero.
        return [0] * 96 + [int(c) for c in format(int(net.network_address), "032b")], \
            96 + net.prefixlen
    return [int(c) for c in format(int(net.network_address), "0128b")], net.prefixlen


def build(networks):
    data = bytearray()
    offsets = {}
    for cc in sorted(set(networks.values())):
        offsets[cc] = len(data)
        data += encode({"country": {"iso_code": cc, "names": {"en": NAMES.get(cc, cc)}}})
    root = Node()
    # Shorter prefixes first, so longer ones refine them.
    for cidr, cc in sorted(networks.items(), key=lambda kv: ipaddress.ip_network(kv[0]).prefixlen):
        bits, plen = network_bits(ipaddress.ip_network(cidr))
        if plen == 0:
            raise ValueError("a /0 network is not supported")
        insert(root, bits, plen, ("data", offsets[cc]))

    nodes = []  # breadth-first numbering: the root is node 0, as the spec requires
    queue = [root]
    while queue:
        node = queue.pop(0)
        nodes.append(node)
        queue.extend(c for c in node.children if isinstance(c, Node))
    index = {id(n): i for i, n in enumerate(nodes)}
    node_count = len(nodes)

    def record(child):
        if child is None:
            return node_count  # "no data"
        if isinstance(child, Node):
            return index[id(child)]
        return node_count + 16 + child[1]  # a pointer into the data section

    tree = bytearray()
    for node in nodes:
        left, right = (record(c) for c in node.children)
        if max(left, right) >= 1 << RECORD_BITS:
            raise ValueError("too big for 24-bit records")
        tree += left.to_bytes(3, "big") + right.to_bytes(3, "big")

    metadata = encode(
        {
            "node_count": node_count,
            "record_size": RECORD_BITS,
            "ip_version": 6,
            "database_type": "Kinora-Test-Country",
            "languages": ["en"],
            "binary_format_major_version": 2,
            "binary_format_minor_version": 0,
            "build_epoch": int(time.time()),
            "description": {"en": "Kinora test country database (documentation networks)"},
        },
        {"node_count": "uint32", "record_size": "uint16", "ip_version": "uint16",
         "binary_format_major_version": "uint16", "binary_format_minor_version": "uint16",
         "build_epoch": "uint64"},
    )
    return bytes(tree) + DATA_SEPARATOR + bytes(data) + METADATA_MARKER + metadata


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    networks = DEFAULT_NETWORKS
    if len(argv) > 2:
        networks = dict(arg.split("=", 1) for arg in argv[2:])
    with open(argv[1], "wb") as f:
        f.write(build(networks))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
