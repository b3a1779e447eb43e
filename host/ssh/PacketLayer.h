#pragma once
// The SSH binary packet protocol (RFC 4253 §6) for one connection: cuts the
// incoming byte stream into packets, checks each one's length, padding and
// tag, and frames outgoing payloads. Sequence numbers and the byte counts
// that trigger re-keying live here too, because every packet touches them.
//
// Memory: the input buffer holds at most one packet plus what arrived with
// it and is released when empty, so an idle connection keeps no buffer.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ssh/PacketCipher.h"

namespace rportd::ssh {

// A violation of the protocol by the peer; the connection ends with a
// DISCONNECT carrying `reason` and a log line with the text.
struct ProtocolError : std::runtime_error {
    ProtocolError(uint32_t reasonCode, const std::string& text)
        : std::runtime_error(text), reason(reasonCode) {}
    uint32_t reason;
};

class PacketLayer {
public:
    // Largest packet_length accepted; what Go's x/crypto/ssh (the original
    // server) accepts, so that anything its clients send gets through.
    static constexpr uint32_t kDefaultMaxPacketLength = 256 * 1024;

    explicit PacketLayer(uint32_t maxPacketLength = kDefaultMaxPacketLength);

    // Incoming: append bytes, then take payloads one by one.
    void append(std::string_view bytes);
    // The next whole packet's payload into `payload`; false when more bytes
    // are needed. Throws ProtocolError on a bad length, padding or tag.
    bool next(std::string& payload);
    size_t buffered() const { return _in.size() - _inStart; }

    // Outgoing: a framed, protected packet ready for the wire.
    std::string seal(std::string_view payload);

    void setIncomingCipher(std::unique_ptr<PacketCipher> cipher) { _inCipher = std::move(cipher); }
    void setOutgoingCipher(std::unique_ptr<PacketCipher> cipher) { _outCipher = std::move(cipher); }
    // Strict key exchange restarts both counters at every NEWKEYS.
    void resetIncomingSequence() { _inSeq = 0; }
    void resetOutgoingSequence() { _outSeq = 0; }
    uint32_t incomingSequence() const { return _inSeq; }

    // Bytes since the counters were last cleared (at each key exchange).
    uint64_t bytesIn() const { return _bytesIn; }
    uint64_t bytesOut() const { return _bytesOut; }
    void clearByteCounts() { _bytesIn = _bytesOut = 0; }

private:
    void compact();

    uint32_t _maxPacketLength;
    std::unique_ptr<PacketCipher> _inCipher;
    std::unique_ptr<PacketCipher> _outCipher;
    std::string _in;
    size_t _inStart = 0;
    uint32_t _inSeq = 0;
    uint32_t _outSeq = 0;
    uint64_t _bytesIn = 0;
    uint64_t _bytesOut = 0;
};

}  // namespace rportd::ssh
