// The frame decoder and encoder on RFC 6455's own examples (5.7), fed whole
// and one byte at a time, and every framing rule the decoder enforces, each
// with the close code it earns; a message beyond the size bound is reported
// and skipped.
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "ws/FrameDecoder.h"
#include "ws/FrameEncoder.h"

using namespace rportd::ws;

namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out += static_cast<char>(v);
    return out;
}

// Writes every event as text: "start:1", "data:Hel", "end", "ping:Hello".
class RecordingSink : public FrameSink {
public:
    std::vector<std::string> events;
    std::string data;
    std::vector<size_t> pieces;  // the size of each onMessageData call
    int stopAfter = -1;          // return false from the event with this index

    bool onMessageStart(Opcode op) override {
        return note("start:" + std::to_string(static_cast<int>(op)));
    }
    bool onMessageData(std::string_view bytes) override {
        data.append(bytes);
        pieces.push_back(bytes.size());
        return note("data:" + std::string(bytes.substr(0, 16)));
    }
    bool onMessageEnd() override { return note("end"); }
    bool onMessageTooBig() override { return note("toobig"); }
    bool onControl(Opcode op, std::string_view payload) override {
        const char* name = op == Opcode::Ping ? "ping:" : op == Opcode::Pong ? "pong:" : "close:";
        return note(name + std::string(payload));
    }

    // Events with adjacent data pieces merged, so a byte-wise feed compares
    // equal to a whole one.
    std::vector<std::string> merged() const {
        std::vector<std::string> out;
        for (const std::string& e : events) {
            if (e.rfind("data:", 0) == 0 && !out.empty() && out.back().rfind("data:", 0) == 0) {
                out.back() += e.substr(5);
            } else {
                out.push_back(e);
            }
        }
        return out;
    }

private:
    bool note(const std::string& event) {
        events.push_back(event);
        return stopAfter < 0 || static_cast<int>(events.size()) - 1 != stopAfter;
    }
};

DecoderLimits unmaskedAllowed() {
    DecoderLimits limits;
    limits.requireMask = false;
    return limits;
}

// Feeds everything at once; the decoder must take it all.
std::vector<std::string> decodeWhole(const std::string& input,
                                     DecoderLimits limits = DecoderLimits()) {
    FrameDecoder decoder(limits);
    RecordingSink sink;
    const size_t used = decoder.feed(input.data(), input.size(), sink);
    CPPUNIT_ASSERT_EQUAL(input.size(), used);
    CPPUNIT_ASSERT_EQUAL(0, static_cast<int>(decoder.error()));
    return sink.merged();
}

std::vector<std::string> decodeBytewise(const std::string& input,
                                        DecoderLimits limits = DecoderLimits()) {
    FrameDecoder decoder(limits);
    RecordingSink sink;
    for (char c : input) CPPUNIT_ASSERT_EQUAL(size_t(1), decoder.feed(&c, 1, sink));
    CPPUNIT_ASSERT_EQUAL(0, static_cast<int>(decoder.error()));
    return sink.merged();
}

// The close code the decoder ends up with on this input (0: none).
int errorFor(const std::string& input, DecoderLimits limits = DecoderLimits()) {
    FrameDecoder decoder(limits);
    RecordingSink sink;
    decoder.feed(input.data(), input.size(), sink);
    return decoder.error();
}

std::string masked(Opcode op, const std::string& payload, bool fin = true) {
    const MaskKey key{0x37, 0xfa, 0x21, 0x3d};
    std::string out;
    appendFrame(out, op, payload, fin, &key);
    return out;
}

const std::string kMaskedHello =
    bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});

}  // namespace

class FrameCodecTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FrameCodecTest);
    CPPUNIT_TEST(rfcUnmaskedHello);
    CPPUNIT_TEST(rfcMaskedHello);
    CPPUNIT_TEST(rfcFragmentedHello);
    CPPUNIT_TEST(rfcPingAndMaskedPong);
    CPPUNIT_TEST(rfcExtendedLengths);
    CPPUNIT_TEST(encoderWritesTheRfcBytes);
    CPPUNIT_TEST(controlFramesMayComeBetweenFragments);
    CPPUNIT_TEST(largePayloadIsHandedOutInPieces);
    CPPUNIT_TEST(maskingRunsAcrossPieces);
    CPPUNIT_TEST(sinkCanStopAndResume);
    CPPUNIT_TEST(closePayloads);
    CPPUNIT_TEST(unmaskedClientFrameIs1002);
    CPPUNIT_TEST(reservedBitsAre1002);
    CPPUNIT_TEST(unknownOpcodesAre1002);
    CPPUNIT_TEST(badControlFramesAre1002);
    CPPUNIT_TEST(continuationRulesAre1002);
    CPPUNIT_TEST(oversizeIsReportedAndSkipped);
    CPPUNIT_TEST(badClosePayloads);
    CPPUNIT_TEST(errorIsFinal);
    CPPUNIT_TEST_SUITE_END();

public:
    void rfcUnmaskedHello() {
        const std::string frame = bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
        const std::vector<std::string> expected{"start:1", "data:Hello", "end"};
        CPPUNIT_ASSERT(expected == decodeWhole(frame, unmaskedAllowed()));
        CPPUNIT_ASSERT(expected == decodeBytewise(frame, unmaskedAllowed()));
    }

    void rfcMaskedHello() {
        const std::vector<std::string> expected{"start:1", "data:Hello", "end"};
        CPPUNIT_ASSERT(expected == decodeWhole(kMaskedHello));
        CPPUNIT_ASSERT(expected == decodeBytewise(kMaskedHello));
    }

    void rfcFragmentedHello() {
        const std::string frames =
            bytes({0x01, 0x03, 0x48, 0x65, 0x6c}) + bytes({0x80, 0x02, 0x6c, 0x6f});
        const std::vector<std::string> expected{"start:1", "data:Hello", "end"};
        CPPUNIT_ASSERT(expected == decodeWhole(frames, unmaskedAllowed()));
        CPPUNIT_ASSERT(expected == decodeBytewise(frames, unmaskedAllowed()));
        // The same, masked, as a binary message.
        const std::string maskedFrames = masked(Opcode::Binary, "Hel", false) +
                                         masked(Opcode::Continuation, "", false) +
                                         masked(Opcode::Continuation, "lo");
        const std::vector<std::string> binary{"start:2", "data:Hello", "end"};
        CPPUNIT_ASSERT(binary == decodeWhole(maskedFrames));
        CPPUNIT_ASSERT(binary == decodeBytewise(maskedFrames));
    }

    void rfcPingAndMaskedPong() {
        const std::string ping = bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
        CPPUNIT_ASSERT(std::vector<std::string>{"ping:Hello"} ==
                       decodeBytewise(ping, unmaskedAllowed()));
        const std::string pong =
            bytes({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
        CPPUNIT_ASSERT(std::vector<std::string>{"pong:Hello"} == decodeBytewise(pong));
        CPPUNIT_ASSERT(std::vector<std::string>{"ping:"} == decodeWhole(masked(Opcode::Ping, "")));
    }

    void rfcExtendedLengths() {
        // 256 bytes: a 16-bit length; 64 KiB: a 64-bit length (RFC 6455 5.7).
        for (size_t size : {size_t(126), size_t(256), size_t(65535), size_t(65536)}) {
            std::string payload(size, '\0');
            for (size_t i = 0; i < size; ++i) payload[i] = static_cast<char>(i * 7);
            std::string frame;
            appendFrame(frame, Opcode::Binary, payload);
            FrameDecoder decoder(unmaskedAllowed());
            RecordingSink sink;
            CPPUNIT_ASSERT_EQUAL(frame.size(), decoder.feed(frame.data(), frame.size(), sink));
            CPPUNIT_ASSERT(payload == sink.data);
            CPPUNIT_ASSERT_EQUAL(std::string("end"), sink.events.back());
            // Masked and one byte at a time.
            const std::string maskedFrame = masked(Opcode::Binary, payload);
            FrameDecoder bytewise;
            RecordingSink sink2;
            for (char c : maskedFrame) bytewise.feed(&c, 1, sink2);
            CPPUNIT_ASSERT(payload == sink2.data);
            CPPUNIT_ASSERT_EQUAL(std::string("end"), sink2.events.back());
        }
    }

    void encoderWritesTheRfcBytes() {
        std::string out;
        appendFrame(out, Opcode::Text, "Hello");
        CPPUNIT_ASSERT(bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}) == out);
        CPPUNIT_ASSERT(kMaskedHello == masked(Opcode::Text, "Hello"));
        out.clear();
        appendFrameHeader(out, Opcode::Binary, 256);
        CPPUNIT_ASSERT(bytes({0x82, 0x7E, 0x01, 0x00}) == out);
        out.clear();
        appendFrameHeader(out, Opcode::Binary, 65536);
        CPPUNIT_ASSERT(bytes({0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00}) == out);
        out.clear();
        appendFrameHeader(out, Opcode::Binary, 125, false);
        CPPUNIT_ASSERT(bytes({0x02, 0x7D}) == out);
        CPPUNIT_ASSERT(bytes({0x03, 0xE8, 'b', 'y', 'e'}) == closePayload(1000, "bye"));
        CPPUNIT_ASSERT(closePayload(1005).empty());
        CPPUNIT_ASSERT_EQUAL(size_t(125), closePayload(1000, std::string(200, 'r')).size());
    }

    void controlFramesMayComeBetweenFragments() {
        const std::string frames = masked(Opcode::Binary, "ab", false) + masked(Opcode::Ping, "p") +
                                   masked(Opcode::Continuation, "cd", false) +
                                   masked(Opcode::Pong, "q") + masked(Opcode::Continuation, "e");
        const std::vector<std::string> expected{"start:2", "data:ab", "ping:p", "data:cd",
                                                "pong:q",  "data:e",  "end"};
        CPPUNIT_ASSERT(expected == decodeWhole(frames));
        CPPUNIT_ASSERT(expected == decodeBytewise(frames));
    }

    void largePayloadIsHandedOutInPieces() {
        // Delivered as it arrives: half a frame gives half the payload.
        const std::string payload(100000, 'z');
        const std::string frame = masked(Opcode::Binary, payload);
        FrameDecoder decoder;
        RecordingSink sink;
        const size_t half = frame.size() / 2;
        CPPUNIT_ASSERT_EQUAL(half, decoder.feed(frame.data(), half, sink));
        CPPUNIT_ASSERT_EQUAL(half - 14, sink.data.size());  // 14: the header with its mask
        CPPUNIT_ASSERT(sink.events.back() != "end");
        CPPUNIT_ASSERT_EQUAL(frame.size() - half,
                             decoder.feed(frame.data() + half, frame.size() - half, sink));
        CPPUNIT_ASSERT(payload == sink.data);
        CPPUNIT_ASSERT_EQUAL(std::string("end"), sink.events.back());
        // No piece is larger than the decoder's scratch buffer.
        CPPUNIT_ASSERT(sink.pieces.size() >= 100000 / 16384);
        for (size_t piece : sink.pieces) CPPUNIT_ASSERT(piece <= 16384);
    }

    void maskingRunsAcrossPieces() {
        // Pieces that split the payload at every offset into the mask.
        std::string payload;
        for (int i = 0; i < 40; ++i) payload += static_cast<char>('A' + i % 26);
        const std::string frame = masked(Opcode::Binary, payload);
        for (size_t split = 1; split < frame.size(); ++split) {
            FrameDecoder decoder;
            RecordingSink sink;
            decoder.feed(frame.data(), split, sink);
            decoder.feed(frame.data() + split, frame.size() - split, sink);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(split), payload, sink.data);
        }
    }

    void sinkCanStopAndResume() {
        const std::string frames = masked(Opcode::Binary, "abc") + masked(Opcode::Ping, "p") +
                                   masked(Opcode::Binary, "de");
        // Stopping after every single event: each feed returns what it used
        // and the next one goes on from there. The last message's end needs
        // no bytes: a feed of nothing delivers it.
        FrameDecoder decoder;
        RecordingSink sink;
        size_t offset = 0;
        for (int calls = 0; calls < 100; ++calls) {
            const size_t before = sink.events.size();
            sink.stopAfter = static_cast<int>(before);
            offset += decoder.feed(frames.data() + offset, frames.size() - offset, sink);
            if (offset == frames.size() && sink.events.size() == before) break;
        }
        const std::vector<std::string> expected{"start:2", "data:abc", "end", "ping:p",
                                                "start:2", "data:de",  "end"};
        CPPUNIT_ASSERT(expected == sink.events);
        CPPUNIT_ASSERT_EQUAL(0, static_cast<int>(decoder.error()));
    }

    void closePayloads() {
        CPPUNIT_ASSERT(std::vector<std::string>{"close:"} ==
                       decodeWhole(masked(Opcode::Close, "")));
        const std::string payload = closePayload(1001, "going");
        CPPUNIT_ASSERT(std::vector<std::string>{"close:" + payload} ==
                       decodeBytewise(masked(Opcode::Close, payload)));
        CPPUNIT_ASSERT_EQUAL(uint16_t(1001), FrameDecoder::closeCode(payload));
        CPPUNIT_ASSERT(FrameDecoder::closeReason(payload) == "going");
        CPPUNIT_ASSERT_EQUAL(uint16_t(1005), FrameDecoder::closeCode(""));
        // Application and library codes, and UTF-8 reasons, are fine.
        decodeWhole(
            masked(Opcode::Close, closePayload(4000, "gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80")));
        decodeWhole(masked(Opcode::Close, closePayload(3000)));
    }

    void unmaskedClientFrameIs1002() {
        CPPUNIT_ASSERT_EQUAL(1002, errorFor(bytes({0x82, 0x01, 0x41})));
        CPPUNIT_ASSERT_EQUAL(1002, errorFor(bytes({0x89, 0x00})));
        // Rejected at the second byte, before any payload.
        FrameDecoder decoder;
        RecordingSink sink;
        const std::string start = bytes({0x82, 0x7E});
        CPPUNIT_ASSERT_EQUAL(size_t(2), decoder.feed(start.data(), start.size(), sink));
        CPPUNIT_ASSERT_EQUAL(1002, static_cast<int>(decoder.error()));
        CPPUNIT_ASSERT(sink.events.empty());
    }

    void reservedBitsAre1002() {
        for (int rsv : {0x40, 0x20, 0x10}) {
            std::string frame = masked(Opcode::Binary, "x");
            frame[0] = static_cast<char>(frame[0] | rsv);
            CPPUNIT_ASSERT_EQUAL(1002, errorFor(frame));
        }
    }

    void unknownOpcodesAre1002() {
        for (int op : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            std::string frame = masked(Opcode::Binary, "x");
            frame[0] = static_cast<char>(0x80 | op);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(op), 1002, errorFor(frame));
        }
    }

    void badControlFramesAre1002() {
        // Fragmented control frames.
        CPPUNIT_ASSERT_EQUAL(1002, errorFor(masked(Opcode::Ping, "x", false)));
        CPPUNIT_ASSERT_EQUAL(1002, errorFor(masked(Opcode::Close, "", false)));
        // Longer than 125 bytes.
        CPPUNIT_ASSERT_EQUAL(1002, errorFor(masked(Opcode::Ping, std::string(126, 'p'))));
        CPPUNIT_ASSERT_EQUAL(1002, errorFor(masked(Opcode::Pong, std::string(70000, 'p'))));
        CPPUNIT_ASSERT(std::vector<std::string>{"ping:" + std::string(125, 'p')} ==
                       decodeWhole(masked(Opcode::Ping, std::string(125, 'p'))));
    }

    void continuationRulesAre1002() {
        // A continuation with no message started.
        CPPUNIT_ASSERT_EQUAL(1002, errorFor(masked(Opcode::Continuation, "x")));
        // A new message while a fragmented one is open.
        CPPUNIT_ASSERT_EQUAL(
            1002, errorFor(masked(Opcode::Binary, "a", false) + masked(Opcode::Binary, "b")));
        CPPUNIT_ASSERT_EQUAL(
            1002, errorFor(masked(Opcode::Binary, "a", false) + masked(Opcode::Text, "b")));
        // After the final frame, a continuation is out of place again.
        CPPUNIT_ASSERT_EQUAL(
            1002, errorFor(masked(Opcode::Binary, "a", false) + masked(Opcode::Continuation, "b") +
                           masked(Opcode::Continuation, "c")));
    }

    void oversizeIsReportedAndSkipped() {
        DecoderLimits limits;
        limits.maxMessageBytes = 1000;
        const std::vector<std::string> fits{"start:2", "data:" + std::string(16, 'a'), "end"};
        CPPUNIT_ASSERT(fits == decodeWhole(masked(Opcode::Binary, std::string(1000, 'a')), limits));
        // Reported at its header, before any payload.
        {
            FrameDecoder decoder(limits);
            RecordingSink sink;
            std::string header;
            const MaskKey key{1, 2, 3, 4};
            appendFrameHeader(header, Opcode::Binary, 1001, true, &key);
            decoder.feed(header.data(), header.size(), sink);
            const std::vector<std::string> expected{"start:2", "toobig"};
            CPPUNIT_ASSERT(expected == sink.events);
        }
        // Its payload is skipped, whatever the split, and the frames behind
        // it (the peer's close) are read as usual.
        const std::string stream = masked(Opcode::Binary, std::string(1500, 'a')) +
                                   masked(Opcode::Close, closePayload(1009));
        const std::vector<std::string> skipped{"start:2", "toobig", "close:" + closePayload(1009)};
        CPPUNIT_ASSERT(skipped == decodeWhole(stream, limits));
        CPPUNIT_ASSERT(skipped == decodeBytewise(stream, limits));
        // The bound is on the whole message, not only a frame; the frames
        // after the one that broke it are skipped too.
        const std::string fragmented =
            masked(Opcode::Binary, std::string(600, 'a'), false) +
            masked(Opcode::Continuation, std::string(401, 'b'), false) + masked(Opcode::Ping, "p") +
            masked(Opcode::Continuation, "c") + masked(Opcode::Binary, "next");
        const std::vector<std::string> partly{
            "start:2", "data:" + std::string(16, 'a'), "toobig", "ping:p", "start:2", "data:next",
            "end"};
        CPPUNIT_ASSERT(partly == decodeWhole(fragmented, limits));
        // Huge lengths do not overflow the check.
        FrameDecoder decoder(limits);
        RecordingSink sink;
        std::string header;
        const MaskKey key{1, 2, 3, 4};
        appendFrameHeader(header, Opcode::Binary, (uint64_t(1) << 63) - 1, true, &key);
        decoder.feed(header.data(), header.size(), sink);
        CPPUNIT_ASSERT_EQUAL(std::string("toobig"), sink.events.back());
        // A 64-bit length with the top bit set is not a length at all.
        CPPUNIT_ASSERT_EQUAL(
            1002, errorFor(bytes({0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}), limits));
    }

    void badClosePayloads() {
        CPPUNIT_ASSERT_EQUAL(1002, errorFor(masked(Opcode::Close, "x")));  // one byte
        for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
            const std::string payload = bytes({code >> 8, code & 0xFF});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(code), 1002,
                                         errorFor(masked(Opcode::Close, payload)));
        }
        for (const char* reason :
             {"\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
            CPPUNIT_ASSERT_EQUAL(1007, errorFor(masked(Opcode::Close, closePayload(1000, reason))));
        }
    }

    void errorIsFinal() {
        FrameDecoder decoder;
        RecordingSink sink;
        const std::string bad = bytes({0x82, 0x01, 0x41});
        decoder.feed(bad.data(), bad.size(), sink);
        CPPUNIT_ASSERT_EQUAL(1002, static_cast<int>(decoder.error()));
        CPPUNIT_ASSERT_EQUAL(size_t(0),
                             decoder.feed(kMaskedHello.data(), kMaskedHello.size(), sink));
        CPPUNIT_ASSERT(sink.events.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FrameCodecTest);
