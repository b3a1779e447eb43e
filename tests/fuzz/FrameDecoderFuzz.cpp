// Fuzzing ws::FrameDecoder, which reads every byte a client sends after the
// WebSocket upgrade. The first byte sets the limits and how often the sink
// pauses the decoder; the rest is fed in chunks whose sizes come from the
// input too, so that a frame header split anywhere is exercised. Besides the
// sanitizers, the checks are the decoder's promises: it never uses more than
// it was given, hands out no more payload than a message may have, and stays
// stopped once it has reported an error.
#include <cstdlib>
#include <string_view>

#include "FuzzEntry.h"
#include "ws/FrameDecoder.h"

using namespace rportd::ws;

namespace {

class CountingSink : public FrameSink {
public:
    explicit CountingSink(uint8_t pausePattern) : _pattern(pausePattern) {}

    bool onMessageStart(Opcode op) override {
        if (inMessage || (op != Opcode::Text && op != Opcode::Binary)) abort();
        inMessage = true;
        messageBytes = 0;
        return next();
    }
    bool onMessageData(std::string_view bytes) override {
        if (!inMessage) abort();
        messageBytes += bytes.size();
        return next();
    }
    bool onMessageEnd() override {
        if (!inMessage) abort();
        inMessage = false;
        return next();
    }
    bool onMessageTooBig() override {
        if (!inMessage) abort();
        inMessage = false;  // nothing more of it, and no end
        return next();
    }
    bool onControl(Opcode op, std::string_view payload) override {
        if (payload.size() > kMaxControlPayload) abort();
        if (op == Opcode::Close) {
            FrameDecoder::closeCode(payload);
            FrameDecoder::closeReason(payload);
        }
        return next();
    }

    bool inMessage = false;
    uint64_t messageBytes = 0;

private:
    // A set bit pauses: the decoder must resume where it stopped.
    bool next() { return !((_pattern >> (_calls++ % 8)) & 1); }

    uint8_t _pattern;
    unsigned _calls = 0;
};

}  // namespace

int rportFuzzFrameDecoder(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    DecoderLimits limits;
    limits.maxMessageBytes = 1u << (data[0] & 15);  // 1 B .. 32 KB
    limits.requireMask = (data[0] & 0x10) == 0;
    CountingSink sink(data[1]);
    FrameDecoder decoder(limits);
    data += 2;
    size -= 2;
    while (size > 0) {
        size_t chunk = 1 + data[0] % 64;
        ++data;
        --size;
        if (chunk > size) chunk = size;
        size_t offset = 0;
        // What a paused decoder left is offered again, as the session does.
        for (int rounds = 0; offset < chunk && rounds < 1000; ++rounds) {
            size_t used =
                decoder.feed(reinterpret_cast<const char*>(data) + offset, chunk - offset, sink);
            if (used > chunk - offset) abort();
            offset += used;
            if (decoder.error() != 0) break;
        }
        if (decoder.error() != 0) {
            // Stopped for good: nothing more is taken.
            if (decoder.feed(reinterpret_cast<const char*>(data), chunk, sink) != 0) abort();
            return 0;
        }
        if (sink.inMessage && sink.messageBytes > limits.maxMessageBytes) abort();
        data += chunk;
        size -= chunk;
    }
    return 0;
}

#ifdef RPORT_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return rportFuzzFrameDecoder(data, size);
}
#endif
