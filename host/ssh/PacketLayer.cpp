#include "ssh/PacketLayer.h"

#include <openssl/rand.h>

#include "ssh/SshMessages.h"

namespace rportd::ssh {

namespace {
constexpr size_t kMinPadding = 4;
// Buffers grown by a burst are given back once drained (idle connections).
constexpr size_t kKeepCapacity = 4096;
}  // namespace

PacketLayer::PacketLayer(uint32_t maxPacketLength)
    : _maxPacketLength(maxPacketLength),
      _inCipher(makeNullCipher()),
      _outCipher(makeNullCipher()) {}

void PacketLayer::append(std::string_view bytes) { _in.append(bytes); }

void PacketLayer::compact() {
    if (_inStart == _in.size()) {
        if (_in.capacity() > kKeepCapacity)
            std::string().swap(_in);
        else
            _in.clear();
        _inStart = 0;
    } else if (_inStart > _in.size() / 2) {
        _in.erase(0, _inStart);
        _inStart = 0;
    }
}

bool PacketLayer::next(std::string& payload) {
    size_t available = _in.size() - _inStart;
    if (available < 4) return false;
    auto* wire = reinterpret_cast<unsigned char*>(_in.data() + _inStart);
    uint32_t length = _inCipher->readLength(_inSeq, wire);
    // Checked before waiting for the rest, so a huge claimed length is
    // refused at once instead of being buffered.
    if (length < 1 + kMinPadding + 1 || length > _maxPacketLength)
        throw ProtocolError(kProtocolError,
                            "packet length " + std::to_string(length) + " out of bounds");
    size_t alignedPart = length + (_inCipher->alignmentCountsLength() ? 4 : 0);
    if (alignedPart % _inCipher->blockSize() != 0)
        throw ProtocolError(kProtocolError, "packet length " + std::to_string(length) +
                                                " not a multiple of the block size");
    size_t total = 4 + size_t(length) + _inCipher->tagSize();
    if (available < total) return false;
    if (!_inCipher->open(_inSeq, wire, total))
        throw ProtocolError(kMacError, "packet authentication failed");
    uint8_t padding = wire[4];
    if (padding < kMinPadding || size_t(padding) + 1 >= length)
        throw ProtocolError(kProtocolError, "bad padding length " + std::to_string(padding));
    payload.assign(reinterpret_cast<const char*>(wire + 5), length - 1 - padding);
    _inStart += total;
    _bytesIn += total;
    ++_inSeq;  // wraps at 2^32 as RFC 4253 §6.4 says
    compact();
    return true;
}

std::string PacketLayer::seal(std::string_view payload) {
    size_t block = _outCipher->blockSize();
    size_t unpadded = 1 + payload.size() + (_outCipher->alignmentCountsLength() ? 4 : 0);
    size_t padding = block - unpadded % block;
    if (padding < kMinPadding) padding += block;
    size_t length = 1 + payload.size() + padding;
    if (length > UINT32_MAX) throw std::length_error("SSH payload too large");
    std::string packet;
    packet.reserve(4 + length + _outCipher->tagSize());
    packet.push_back(static_cast<char>(length >> 24));
    packet.push_back(static_cast<char>(length >> 16));
    packet.push_back(static_cast<char>(length >> 8));
    packet.push_back(static_cast<char>(length));
    packet.push_back(static_cast<char>(padding));
    packet.append(payload);
    unsigned char randomPadding[2 * 16];
    if (RAND_bytes(randomPadding, static_cast<int>(padding)) != 1)
        throw std::runtime_error("no random bytes for padding");
    packet.append(reinterpret_cast<const char*>(randomPadding), padding);
    _outCipher->seal(_outSeq, packet);
    ++_outSeq;
    _bytesOut += packet.size();
    return packet;
}

}  // namespace rportd::ssh
