#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (corpus/ssh, corpus/ws).

The seeds are small inputs that walk each target's main paths, in the input
formats ServerConnectionFuzz.cpp and FrameDecoderFuzz.cpp describe; libFuzzer
mutates from there, and test_fuzz_corpus replays them on every CTest run.
Run it again after changing an input format.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def string(b):
    if isinstance(b, str):
        b = b.encode()
    return struct.pack(">I", len(b)) + b


def names(*items):
    return string(",".join(items))


def plain_packet(payload):
    # Null protection: the 4 length bytes count towards the 8-byte alignment.
    pad = 8 - (4 + 1 + len(payload)) % 8
    if pad < 4:
        pad += 8
    return struct.pack(">IB", 1 + len(payload) + pad, pad) + payload + b"\0" * pad


def kexinit(kex="curve25519-sha256,kex-strict-c-v00@openssh.com", cipher="aes128-gcm@openssh.com", guess=0):
    return (bytes([20]) + b"\x11" * 16 + names(kex) + names("ecdsa-sha2-nistp256") + names(cipher) +
            names(cipher) + names("hmac-sha2-256") + names("hmac-sha2-256") + names("none") + names("none") +
            names() + names() + bytes([guess]) + b"\0\0\0\0")


def raw_seed(*chunks):
    # Mode byte 0 (even: raw), then chunks: a size byte (0: the rest) and the bytes.
    out = b"\0"
    for c in chunks:
        out += bytes([len(c) if len(c) < 256 else 0]) + c
    return out


def op(code, data=b""):
    assert len(data) < 256
    return bytes([code, len(data)]) + data


def keyed_seed(setup, *ops):
    return b"\x01" + bytes([setup]) + b"".join(ops)


def write(directory, name, data):
    os.makedirs(os.path.join(HERE, "corpus", directory), exist_ok=True)
    with open(os.path.join(HERE, "corpus", directory, name), "wb") as f:
        f.write(data)


def ssh_seeds():
    version = b"SSH-2.0-seed\r\n"
    write("ssh", "raw-version-only", raw_seed(b"SSH-2.0-", b"seed\r\n"))
    write("ssh", "raw-not-ssh", raw_seed(b"GET / HTTP/1.1\r\n\r\n"))
    write("ssh", "raw-kexinit", raw_seed(version, plain_packet(kexinit())))
    write("ssh", "raw-x25519", raw_seed(version + plain_packet(kexinit()) +
                                        plain_packet(bytes([30]) + string(b"\x09" + b"\0" * 31))))
    write("ssh", "raw-p256-bad-point", raw_seed(version + plain_packet(kexinit("ecdh-sha2-nistp256")) +
                                                plain_packet(bytes([30]) + string(b"\x04" + b"\x01" * 64))))
    write("ssh", "raw-wrong-guess", raw_seed(version + plain_packet(
        kexinit("ecdh-sha2-nistp256,curve25519-sha256", guess=1)) + plain_packet(bytes([30]) + string(b"\0" * 65))))
    write("ssh", "raw-no-common-cipher", raw_seed(version, plain_packet(kexinit(cipher="3des-cbc"))))
    write("ssh", "raw-huge-length", raw_seed(version + struct.pack(">I", 0x7FFFFFFF) + b"\0" * 16))
    write("ssh", "raw-message-before-kex", raw_seed(version + plain_packet(bytes([5]) + string("ssh-userauth"))))

    service = bytes([5]) + string("ssh-userauth")
    login = op(2, b"1234")
    new_connection = bytes([80]) + string("new_connection") + b"\x01" + b'{"ID":"fuzz"}'
    confirm = bytes([91]) + struct.pack(">IIII", 0, 5, 100000, 32768)
    data = bytes([94]) + struct.pack(">I", 0) + string(b"hello")
    adjust = bytes([93]) + struct.pack(">II", 0, 4096)
    eof = bytes([96]) + struct.pack(">I", 0)
    close = bytes([97]) + struct.pack(">I", 0)
    for setup, cipher in ((0x10, "aes128"), (0x11, "aes256"), (0x12, "chacha20"), (0x00, "aes128-lax")):
        write("ssh", "keyed-login-" + cipher, keyed_seed(setup, login, op(0, new_connection), op(83, b"[]")))
    userauth = bytes([50]) + string("clientAuth1") + string("ssh-connection") + string("password") + b"\0" + string("1234")
    write("ssh", "keyed-wrong-password", keyed_seed(0x10, op(132, b"nope"), op(0, userauth), op(133)))
    write("ssh", "keyed-channel", keyed_seed(0x10, login, op(4, b"\0\0\0\x0elocalhost:8080"), op(0, confirm),
                                             op(5, b"\x03"), op(0, data), op(45, b"\x80"), op(0, adjust),
                                             op(0, eof), op(85), op(0, close), op(125)))
    write("ssh", "keyed-channel-refused", keyed_seed(0x10, login, op(4, b"x"),
                                                     op(0, bytes([92]) + struct.pack(">II", 0, 1) + string("no") +
                                                        string(""))))
    write("ssh", "keyed-rekeys", keyed_seed(0x12, login, op(8), op(46, b""), op(7), op(0, bytes([81])), op(8)))
    write("ssh", "keyed-unknown-message", keyed_seed(0x10, op(0, bytes([200, 1, 2])), op(0, service)))
    write("ssh", "keyed-raw-garbage", keyed_seed(0x10, login, op(1, b"\0\0\0\x10garbage")))
    write("ssh", "keyed-disconnect", keyed_seed(0x10, login, op(249, b"bye")))


def ws_frame(payload, opcode=2, fin=True, mask=b"\x01\x02\x03\x04", rsv=0):
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    n = len(payload)
    if n < 126:
        head = bytes([first, 0x80 | n])
    elif n < 65536:
        head = bytes([first, 0x80 | 126]) + struct.pack(">H", n)
    else:
        head = bytes([first, 0x80 | 127]) + struct.pack(">Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def ws_seed(limits, pauses, data, chunk=63):
    # Limits byte, pause pattern, then chunks: a size byte (size = 1 + b % 64) and the bytes.
    out = bytes([limits, pauses])
    i = 0
    while i < len(data):
        piece = data[i:i + chunk]
        out += bytes([len(piece) - 1]) + piece
        i += chunk
    return out


def ws_seeds():
    write("ws", "binary", ws_seed(0x0A, 0, ws_frame(b"SSH-2.0-x\r\n")))
    write("ws", "fragmented", ws_seed(0x0A, 0x55, ws_frame(b"abc", fin=False) + ws_frame(b"\x8a", opcode=9) +
                                      ws_frame(b"def", opcode=0)))
    write("ws", "close", ws_seed(0x0A, 0, ws_frame(b"\x03\xe8bye", opcode=8)))
    write("ws", "close-bad-utf8", ws_seed(0x0A, 0, ws_frame(b"\x03\xe8\xff", opcode=8)))
    write("ws", "too-big", ws_seed(0x04, 0, ws_frame(b"x" * 300) + ws_frame(b"", opcode=10)))
    write("ws", "medium-length", ws_seed(0x0F, 0x81, ws_frame(b"y" * 200), chunk=7))
    write("ws", "long-length", ws_seed(0x0F, 0, ws_frame(b"z" * 70000)[:200]))
    write("ws", "unmasked", ws_seed(0x0A, 0, b"\x82\x03abc"))
    write("ws", "unmasked-allowed", ws_seed(0x1A, 0, b"\x82\x03abc"))
    write("ws", "rsv", ws_seed(0x0A, 0, ws_frame(b"abc", rsv=4)))
    write("ws", "text", ws_seed(0x0A, 0, ws_frame(b"hi", opcode=1)))
    write("ws", "one-byte-chunks", ws_seed(0x0A, 0xFF, ws_frame(b"hello") + ws_frame(b"", opcode=9), chunk=1))


if __name__ == "__main__":
    ssh_seeds()
    ws_seeds()
