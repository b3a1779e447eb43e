#pragma once
// The vocabulary of RFC 6455 frames: opcodes and the close codes rportd
// sends or checks. The decoder (FrameDecoder.h) and the encoder
// (FrameEncoder.h) speak it; the session (WebSocketSession.h) decides.
#include <cstddef>
#include <cstdint>

namespace rportd::ws {

enum class Opcode : uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

inline bool isControl(Opcode op) { return (static_cast<uint8_t>(op) & 0x8) != 0; }

// Close status codes (RFC 6455 7.4.1).
namespace close_code {
constexpr uint16_t kNormal = 1000;
constexpr uint16_t kGoingAway = 1001;
constexpr uint16_t kProtocolError = 1002;
constexpr uint16_t kUnsupportedData = 1003;  // e.g. a text frame on a binary stream
constexpr uint16_t kNoStatus = 1005;         // never on the wire: a close frame without a code
constexpr uint16_t kInvalidPayload = 1007;   // a close reason that is not UTF-8
constexpr uint16_t kTooBig = 1009;
constexpr uint16_t kInternalError = 1011;
}  // namespace close_code

// Whether a peer may send this code in a close frame: the registered codes
// meant for the wire and the ranges for libraries (3000-3999) and
// applications (4000-4999). 1005, 1006 and 1015 only describe closes locally.
bool isSendableCloseCode(uint16_t code);

// The largest payload a control frame may carry.
constexpr size_t kMaxControlPayload = 125;

}  // namespace rportd::ws
