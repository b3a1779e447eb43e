#include "ws/FrameEncoder.h"

namespace rportd::ws {

void appendFrameHeader(std::string& out, Opcode op, uint64_t payloadSize, bool fin,
                       const MaskKey* mask) {
    char header[14];
    size_t size = 0;
    header[size++] = static_cast<char>((fin ? 0x80 : 0x00) | static_cast<uint8_t>(op));
    const uint8_t maskBit = mask ? 0x80 : 0x00;
    // RFC 6455 5.2: the shortest length encoding.
    if (payloadSize < 126) {
        header[size++] = static_cast<char>(maskBit | payloadSize);
    } else if (payloadSize <= 0xFFFF) {
        header[size++] = static_cast<char>(maskBit | 126);
        header[size++] = static_cast<char>(payloadSize >> 8);
        header[size++] = static_cast<char>(payloadSize);
    } else {
        header[size++] = static_cast<char>(maskBit | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            header[size++] = static_cast<char>(payloadSize >> shift);
    }
    if (mask) {
        for (uint8_t byte : *mask) header[size++] = static_cast<char>(byte);
    }
    out.append(header, size);
}

void appendFrame(std::string& out, Opcode op, std::string_view payload, bool fin,
                 const MaskKey* mask) {
    appendFrameHeader(out, op, payload.size(), fin, mask);
    if (!mask) {
        out.append(payload.data(), payload.size());
        return;
    }
    const size_t start = out.size();
    out.append(payload.data(), payload.size());
    for (size_t i = 0; i < payload.size(); ++i)
        out[start + i] = static_cast<char>(out[start + i] ^ (*mask)[i & 3]);
}

std::string closePayload(uint16_t code, std::string_view reason) {
    if (code == close_code::kNoStatus) return {};
    std::string payload;
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xFF);
    // A reason cut in the middle of a UTF-8 sequence would be invalid; the
    // reasons we send are ASCII, so a plain cut is enough.
    payload.append(reason.substr(0, kMaxControlPayload - 2));
    return payload;
}

}  // namespace rportd::ws
