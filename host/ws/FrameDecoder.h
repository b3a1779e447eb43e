#pragma once
// Incremental RFC 6455 frame parsing, server side, without I/O: bytes go in
// as they arrive (any split, down to one byte at a time), events come out.
//
// Nothing is buffered but a frame header (at most 14 bytes) and a control
// frame's payload (at most 125): data payload is unmasked on the fly and
// handed out in pieces as soon as it arrives, so a large frame costs no
// memory and the caller can always take all the input it is offered. That
// is also why the state is a few hundred bytes for an idle connection.
//
// The decoder checks the framing rules (RFC 6455 5.2-5.5): no RSV bits (no
// extension is ever negotiated), known opcodes, masking when required,
// control frames short and unfragmented, continuation frames only inside a
// fragmented message and a well-formed close payload. A violation stops it
// for good; error() then names the close code to send. A message beyond the
// configured size is not a violation of framing: it is reported once and the
// rest of it skipped, so the decoder stays in step and the peer's answer to
// our close frame can still be read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ws/Frame.h"

namespace rportd::ws {

struct DecoderLimits {
    // A data message (all its frames together) longer than this is refused
    // (FrameSink::onMessageTooBig) as soon as a frame header announces it.
    uint64_t maxMessageBytes = 1 << 20;
    // Clients must mask every frame (RFC 6455 5.1); a server's frames are not masked.
    bool requireMask = true;
};

// What the decoder reports. Every call may return false to make feed()
// return at once (the caller paused, or closed); the decoder resumes where it
// stopped at the next feed().
class FrameSink {
public:
    virtual ~FrameSink() = default;
    // The first frame of a data message arrived (op is Text or Binary).
    virtual bool onMessageStart(Opcode op) = 0;
    // Unmasked payload bytes of the current message, in order. Valid during the call only.
    virtual bool onMessageData(std::string_view bytes) = 0;
    // The final frame of the message is complete.
    virtual bool onMessageEnd() = 0;
    // The current message would exceed DecoderLimits::maxMessageBytes (the
    // caller closes with 1009). Nothing more of it is handed out: its
    // remaining payload is skipped, and no onMessageEnd follows.
    virtual bool onMessageTooBig() = 0;
    // A complete control frame (Ping, Pong or Close), payload unmasked. A
    // close payload has been checked (FrameDecoder::closeCode reads it).
    virtual bool onControl(Opcode op, std::string_view payload) = 0;
};

class FrameDecoder {
public:
    explicit FrameDecoder(const DecoderLimits& limits = DecoderLimits()) : _limits(limits) {}

    // Parses what it can of [data, data+size) and returns how many bytes it
    // used: all of them unless a sink call returned false or the input broke
    // the protocol. After a stop, a call even with no bytes delivers what
    // needs none (the end of a message whose last byte was already used).
    size_t feed(const char* data, size_t size, FrameSink& sink);

    // 0 while the input is well-formed; otherwise the close code it earned
    // (1002 protocol error, 1007 a close reason that is not UTF-8).
    uint16_t error() const { return _error; }

    // The status code of a checked close payload (1005 when it has none) and its reason.
    static uint16_t closeCode(std::string_view payload);
    static std::string_view closeReason(std::string_view payload);

private:
    enum class State : uint8_t { Header, Data, Control };

    bool parseHeader();  // _header complete: validates and sets up the frame
    bool finishControl(FrameSink& sink);
    size_t headerLength() const;  // the full header length, once two bytes are in
    bool fail(uint16_t code);

    DecoderLimits _limits;
    State _state = State::Header;
    uint16_t _error = 0;

    // The header being collected.
    uint8_t _header[14] = {};
    uint8_t _headerSize = 0;

    // The frame being read.
    Opcode _opcode = Opcode::Continuation;
    bool _fin = false;
    bool _masked = false;
    uint8_t _mask[4] = {};
    uint8_t _maskOffset = 0;  // position in the mask of the next payload byte
    uint64_t _remaining = 0;  // payload bytes of this frame still to come

    // The message being read.
    bool _inMessage = false;  // a data message has started and not ended
    bool _skipping = false;   // the message is too big: its payload is dropped
    uint8_t _pending = 0;     // events due before the payload (kStartPending, kTooBigPending)
    uint64_t _messageBytes = 0;

    // A control frame's payload, collected whole (it is at most 125 bytes).
    uint8_t _controlSize = 0;
    char _control[kMaxControlPayload] = {};
};

}  // namespace rportd::ws
