#include "ws/FrameDecoder.h"

#include <algorithm>
#include <cstring>

namespace rportd::ws {

namespace {

// Unmasked payload goes to the sink from here, in pieces of at most this
// size; one buffer per thread, so a connection owns none.
constexpr size_t kScratchSize = 16384;

// Bits of FrameDecoder::_pending: events a frame header owes the sink. They
// are kept, rather than sent straight away, so that a sink that stops at the
// first still gets the second at the next feed().
constexpr uint8_t kStartPending = 1;
constexpr uint8_t kTooBigPending = 2;

char* scratch() {
    static thread_local char buffer[kScratchSize];
    return buffer;
}

// XORs n bytes with the mask, starting `offset` bytes into it; advances offset.
void unmask(const char* in, char* out, size_t n, const uint8_t mask[4], uint8_t& offset) {
    size_t i = 0;
    for (; i < n && offset != 0; ++i) {
        out[i] = static_cast<char>(in[i] ^ mask[offset]);
        offset = (offset + 1) & 3;
    }
    // Aligned with the mask now: eight bytes at a time.
    const uint8_t twice[8] = {mask[0], mask[1], mask[2], mask[3],
                              mask[0], mask[1], mask[2], mask[3]};
    uint64_t key;
    std::memcpy(&key, twice, sizeof key);
    for (; i + 8 <= n; i += 8) {
        uint64_t word;
        std::memcpy(&word, in + i, sizeof word);
        word ^= key;
        std::memcpy(out + i, &word, sizeof word);
    }
    for (; i < n; ++i) {
        out[i] = static_cast<char>(in[i] ^ mask[offset]);
        offset = (offset + 1) & 3;
    }
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool isUtf8(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        size_t extra;
        uint32_t lowest;
        uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1, lowest = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, lowest = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, lowest = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size()) return false;  // cut short
        for (size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (next & 0x3F);
        }
        if (cp < lowest || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += extra + 1;
    }
    return true;
}

bool knownOpcode(uint8_t op) {
    switch (static_cast<Opcode>(op)) {
        case Opcode::Continuation:
        case Opcode::Text:
        case Opcode::Binary:
        case Opcode::Close:
        case Opcode::Ping:
        case Opcode::Pong:
            return true;
    }
    return false;
}

// What the first two bytes already tell is checked before the rest arrives,
// so a peer breaking the rules is stopped at once.
uint16_t checkStart(const uint8_t header[2], bool requireMask, bool inMessage) {
    const bool fin = header[0] & 0x80;
    const uint8_t op = header[0] & 0x0F;
    if (header[0] & 0x70) return close_code::kProtocolError;  // RSV bits: no extension was agreed
    if (!knownOpcode(op)) return close_code::kProtocolError;
    if (requireMask && !(header[1] & 0x80)) return close_code::kProtocolError;
    const auto opcode = static_cast<Opcode>(op);
    if (isControl(opcode)) {
        if (!fin || (header[1] & 0x7F) > kMaxControlPayload) return close_code::kProtocolError;
    } else if ((opcode == Opcode::Continuation) != inMessage) {
        // A continuation outside a message, or a new message inside one.
        return close_code::kProtocolError;
    }
    return 0;
}

}  // namespace

bool FrameDecoder::fail(uint16_t code) {
    _error = code;
    return false;
}

size_t FrameDecoder::headerLength() const {
    const uint8_t length7 = _header[1] & 0x7F;
    size_t length = 2;
    if (length7 == 126) length += 2;
    if (length7 == 127) length += 8;
    if (_header[1] & 0x80) length += 4;
    return length;
}

bool FrameDecoder::parseHeader() {
    _fin = _header[0] & 0x80;
    _opcode = static_cast<Opcode>(_header[0] & 0x0F);
    _masked = _header[1] & 0x80;
    const uint8_t length7 = _header[1] & 0x7F;
    size_t at = 2;
    uint64_t length = length7;
    if (length7 == 126 || length7 == 127) {
        const size_t bytes = length7 == 126 ? 2 : 8;
        length = 0;
        for (size_t k = 0; k < bytes; ++k) length = (length << 8) | _header[at + k];
        at += bytes;
        if (length >> 63) return fail(close_code::kProtocolError);  // RFC 6455 5.2: MSB is 0
    }
    if (_masked) std::memcpy(_mask, _header + at, 4);
    _maskOffset = 0;
    _remaining = length;
    _headerSize = 0;
    if (isControl(_opcode)) {
        _controlSize = 0;
        _state = State::Control;
        return true;
    }
    if (_opcode != Opcode::Continuation) {
        _inMessage = true;
        _skipping = false;
        _messageBytes = 0;
        _pending |= kStartPending;
    }
    if (!_skipping && length > _limits.maxMessageBytes - _messageBytes) {
        _skipping = true;
        _pending |= kTooBigPending;
    }
    if (!_skipping) _messageBytes += length;
    _state = State::Data;
    return true;
}

bool FrameDecoder::finishControl(FrameSink& sink) {
    _state = State::Header;
    const std::string_view payload(_control, _controlSize);
    if (_opcode == Opcode::Close && !payload.empty()) {
        if (payload.size() < 2 || !isSendableCloseCode(closeCode(payload)))
            return fail(close_code::kProtocolError);
        if (!isUtf8(closeReason(payload))) return fail(close_code::kInvalidPayload);
    }
    return sink.onControl(_opcode, payload);
}

size_t FrameDecoder::feed(const char* data, size_t size, FrameSink& sink) {
    size_t used = 0;
    while (_error == 0) {
        switch (_state) {
            case State::Header: {
                if (used == size) return used;
                size_t need = _headerSize < 2 ? 2 : headerLength();
                while (_headerSize < need && used < size) {
                    _header[_headerSize++] = static_cast<uint8_t>(data[used++]);
                    if (_headerSize == 2) {
                        if (uint16_t code = checkStart(_header, _limits.requireMask, _inMessage)) {
                            fail(code);
                            return used;
                        }
                        need = headerLength();
                    }
                }
                if (_headerSize < need) return used;
                if (!parseHeader()) return used;
                break;
            }
            case State::Data: {
                if (_pending & kStartPending) {
                    _pending &= static_cast<uint8_t>(~kStartPending);
                    if (!sink.onMessageStart(_opcode)) return used;
                    break;
                }
                if (_pending & kTooBigPending) {
                    _pending &= static_cast<uint8_t>(~kTooBigPending);
                    if (!sink.onMessageTooBig()) return used;
                    break;
                }
                if (_remaining == 0) {
                    _state = State::Header;
                    if (_fin) {
                        _inMessage = false;
                        if (_skipping) {
                            _skipping = false;
                            break;
                        }
                        if (!sink.onMessageEnd()) return used;
                    }
                    break;
                }
                if (used == size) return used;
                if (_skipping) {
                    const size_t n =
                        static_cast<size_t>(std::min<uint64_t>(_remaining, size - used));
                    used += n;
                    _remaining -= n;
                    break;
                }
                const size_t n = static_cast<size_t>(
                    std::min<uint64_t>(_remaining, std::min(size - used, kScratchSize)));
                const char* bytes = data + used;
                if (_masked) {
                    unmask(bytes, scratch(), n, _mask, _maskOffset);
                    bytes = scratch();
                }
                used += n;
                _remaining -= n;
                if (!sink.onMessageData(std::string_view(bytes, n))) return used;
                break;
            }
            case State::Control: {
                const size_t n = static_cast<size_t>(std::min<uint64_t>(_remaining, size - used));
                if (n > 0 && _masked) {
                    unmask(data + used, _control + _controlSize, n, _mask, _maskOffset);
                } else if (n > 0) {
                    std::memcpy(_control + _controlSize, data + used, n);
                }
                _controlSize = static_cast<uint8_t>(_controlSize + n);
                used += n;
                _remaining -= n;
                if (_remaining > 0) return used;
                if (!finishControl(sink)) return used;
                break;
            }
        }
    }
    return used;
}

uint16_t FrameDecoder::closeCode(std::string_view payload) {
    if (payload.size() < 2) return close_code::kNoStatus;
    return static_cast<uint16_t>((static_cast<uint8_t>(payload[0]) << 8) |
                                 static_cast<uint8_t>(payload[1]));
}

std::string_view FrameDecoder::closeReason(std::string_view payload) {
    return payload.size() < 2 ? std::string_view() : payload.substr(2);
}

}  // namespace rportd::ws
