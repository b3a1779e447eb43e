#pragma once
// Writing RFC 6455 frames. A server's frames go out unmasked; the masked
// form is here for the client side of tests and tools.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ws/Frame.h"

namespace rportd::ws {

using MaskKey = std::array<uint8_t, 4>;

// Appends the header of one frame carrying payloadSize bytes. With a mask
// the key goes into the header and the caller masks the payload itself
// (appendFrame does both).
void appendFrameHeader(std::string& out, Opcode op, uint64_t payloadSize, bool fin = true,
                       const MaskKey* mask = nullptr);

// Appends a whole frame: header and payload (masked when a key is given).
void appendFrame(std::string& out, Opcode op, std::string_view payload, bool fin = true,
                 const MaskKey* mask = nullptr);

// A close frame's payload: the code, big-endian, then the reason (cut to
// fit the 125 bytes a control frame may carry). 1005 means "no code" and
// gives an empty payload.
std::string closePayload(uint16_t code, std::string_view reason = {});

}  // namespace rportd::ws
