// WebSocketSession behind a real HttpServer on 127.0.0.1, driven by a raw
// socket client that writes frames byte for byte: the upgrade with the
// client's first bytes in the same packet (inline and on the pool), the echo
// of a byte stream, pings, both closing handshakes (and ours timing out), every protocol error's
// close code, handler closes, pauses, deadlines, aborts and exceptions, incremental delivery
// of a large frame, and the server stopping.
#include <cppunit/extensions/HelperMacros.h>

#include <thread>

#include "WsTestSupport.h"

using namespace rportd;
using namespace rportd::ws;
using namespace rportd::ws::test;
using rportd::http::test::RawClient;
using rportd::http::test::RawResponse;

namespace {

template <typename F>
bool eventually(F condition, int timeoutMs = 5000) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

// Upgrades `client` and checks the 101; `first` goes out in the same send.
RawResponse upgrade(RawClient& client, const std::string& first = "",
                    const std::string& extraHeaders = "Sec-WebSocket-Protocol: rport-v1\r\n") {
    client.send(upgradeRequest(extraHeaders) + first);
    RawResponse response = client.readResponse(false);
    CPPUNIT_ASSERT_EQUAL(101, response.status);
    CPPUNIT_ASSERT_EQUAL(kSampleAccept, response.header("sec-websocket-accept"));
    return response;
}

void expectClose(RawClient& client, uint16_t code) {
    ServerFrame frame = readFrame(client);
    CPPUNIT_ASSERT_EQUAL(static_cast<int>(Opcode::Close), static_cast<int>(frame.op));
    CPPUNIT_ASSERT(!frame.masked);
    CPPUNIT_ASSERT_EQUAL(code, frame.closeCode());
}

std::string pattern(size_t size) {
    std::string out(size, '\0');
    for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 31 + i / 251) & 0xFF);
    return out;
}

}  // namespace

class WebSocketSessionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebSocketSessionTest);
    CPPUNIT_TEST(upgradeCarriesTheBytesAfterTheRequest);
    CPPUNIT_TEST(upgradeOnThePoolCarriesTheBytesAfterTheRequest);
    CPPUNIT_TEST(chosenSubprotocolIsEchoed);
    CPPUNIT_TEST(badUpgradesAreRefused);
    CPPUNIT_TEST(streamIsEchoedAcrossFragmentsAndSizes);
    CPPUNIT_TEST(largeFrameIsDeliveredAsItArrives);
    CPPUNIT_TEST(pingIsAnsweredWithPong);
    CPPUNIT_TEST(peerCloseIsEchoedThenTheConnectionCloses);
    CPPUNIT_TEST(peerCloseWithoutCodeIsEchoedWithout);
    CPPUNIT_TEST(textMessageCloses1003);
    CPPUNIT_TEST(unmaskedFrameCloses1002);
    CPPUNIT_TEST(reservedBitsClose1002);
    CPPUNIT_TEST(oversizeFrameCloses1009);
    CPPUNIT_TEST(handlerCloseSends1000);
    CPPUNIT_TEST(unansweredCloseTimesOut);
    CPPUNIT_TEST(pausedInputWaitsForResume);
    CPPUNIT_TEST(deadlineReachesTheHandler);
    CPPUNIT_TEST(handlerAbortDropsTheConnection);
    CPPUNIT_TEST(handlerExceptionCloses1011);
    CPPUNIT_TEST(peerHangUpEndsTheStream);
    CPPUNIT_TEST(serverStopSaysGoingAway);
    CPPUNIT_TEST(idleSessionIsSmall);
    CPPUNIT_TEST_SUITE_END();

public:
    void upgradeCarriesTheBytesAfterTheRequest() {
        WsServer server;
        RawClient client(server.port);
        // An rport client sends its SSH banner right behind the request.
        RawResponse response = upgrade(client, clientFrame(Opcode::Binary, "SSH-2.0-test\r\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("websocket"), response.header("upgrade"));
        CPPUNIT_ASSERT_EQUAL(std::string("Upgrade"), response.header("connection"));
        // Offered but not chosen: no subprotocol in the answer, like the original.
        CPPUNIT_ASSERT_EQUAL(std::string(), response.header("sec-websocket-protocol"));
        CPPUNIT_ASSERT_EQUAL(std::string("SSH-2.0-test\r\n"), readStream(client, 14));
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.log->count("start"));
    }

    void upgradeOnThePoolCarriesTheBytesAfterTheRequest() {
        WsServer server(1 << 20, /*onPool=*/true);
        RawClient client(server.port);
        upgrade(client,
                clientFrame(Opcode::Binary, "first") + clientFrame(Opcode::Binary, "second"));
        CPPUNIT_ASSERT_EQUAL(std::string("firstsecond"), readStream(client, 11));
    }

    void chosenSubprotocolIsEchoed() {
        WsServer server(1 << 20, false, "rport-v1");
        RawClient client(server.port);
        RawResponse response = upgrade(client, "", "Sec-WebSocket-Protocol: chat, rport-v1\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("rport-v1"), response.header("sec-websocket-protocol"));
    }

    void badUpgradesAreRefused() {
        WsServer server;
        {
            RawClient client(server.port);
            std::string request = upgradeRequest();
            request.replace(request.find("Version: 13"), 11, "Version: 8");
            client.send(request);
            RawResponse response = client.readResponse();
            CPPUNIT_ASSERT_EQUAL(426, response.status);
            CPPUNIT_ASSERT_EQUAL(std::string("13"), response.header("sec-websocket-version"));
        }
        {
            RawClient client(server.port);
            std::string request = upgradeRequest();
            request.replace(request.find(kSampleKey), kSampleKey.size(), "c2hvcnQ=");
            client.send(request);
            CPPUNIT_ASSERT_EQUAL(400, client.readResponse().status);
        }
        CPPUNIT_ASSERT_EQUAL(size_t(0), server.log->count("start"));
    }

    void streamIsEchoedAcrossFragmentsAndSizes() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        for (size_t size :
             {size_t(1), size_t(125), size_t(126), size_t(65535), size_t(65536), size_t(300000)}) {
            const std::string data = pattern(size);
            client.send(clientFrame(Opcode::Binary, data));
            CPPUNIT_ASSERT_MESSAGE(std::to_string(size), data == readStream(client, size));
        }
        // One message in three frames, the middle one empty.
        client.send(clientFrame(Opcode::Binary, "ab", false) +
                    clientFrame(Opcode::Continuation, "", false) +
                    clientFrame(Opcode::Continuation, "cd"));
        CPPUNIT_ASSERT_EQUAL(std::string("abcd"), readStream(client, 4));
        // Frames split across sends at awkward places.
        const std::string frames =
            clientFrame(Opcode::Binary, pattern(1000)) + clientFrame(Opcode::Binary, "tail");
        for (size_t at = 0; at < frames.size(); at += 3) {
            client.send(frames.substr(at, 3));
            if (at % 300 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        CPPUNIT_ASSERT(pattern(1000) + "tail" == readStream(client, 1004));
    }

    void largeFrameIsDeliveredAsItArrives() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        const std::string data = pattern(600000);
        const std::string frame = clientFrame(Opcode::Binary, data);
        client.send(frame.substr(0, 300000));
        // Half the frame is in: the handler has (nearly) half the payload,
        // although the frame is far from complete.
        CPPUNIT_ASSERT(eventually([&] { return server.log->received() >= 290000; }));
        client.send(frame.substr(300000));
        CPPUNIT_ASSERT(data == readStream(client, data.size()));
        std::lock_guard<std::mutex> lock(server.log->mutex);
        for (size_t chunk : server.log->chunks) CPPUNIT_ASSERT(chunk <= 16384);
    }

    void pingIsAnsweredWithPong() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        // Between two fragments of a message.
        client.send(
            clientFrame(Opcode::Binary, "a", false) + clientFrame(Opcode::Ping, "keepalive") +
            clientFrame(Opcode::Pong, "unsolicited") + clientFrame(Opcode::Continuation, "b"));
        CPPUNIT_ASSERT_EQUAL(std::string("a"), readStream(client, 1));
        ServerFrame pong = readFrame(client);
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(Opcode::Pong), static_cast<int>(pong.op));
        CPPUNIT_ASSERT_EQUAL(std::string("keepalive"), pong.payload);
        CPPUNIT_ASSERT_EQUAL(std::string("b"), readStream(client, 1));
    }

    void peerCloseIsEchoedThenTheConnectionCloses() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Close, closePayload(4001, "bye")) +
                    clientFrame(Opcode::Binary, "ignored after close"));
        expectClose(client, 4001);
        CPPUNIT_ASSERT(client.waitForClose(3000));
        CPPUNIT_ASSERT(eventually([&] { return server.log->count("end") == 1; }));
        CPPUNIT_ASSERT_EQUAL(size_t(0), server.log->received());
    }

    void peerCloseWithoutCodeIsEchoedWithout() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Close, ""));
        ServerFrame frame = readFrame(client);
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(Opcode::Close), static_cast<int>(frame.op));
        CPPUNIT_ASSERT(frame.payload.empty());
        CPPUNIT_ASSERT(client.waitForClose(3000));
    }

    void textMessageCloses1003() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Text, "hello"));
        expectClose(client, 1003);
        client.send(clientFrame(Opcode::Close, closePayload(1003)));
        CPPUNIT_ASSERT(client.waitForClose(3000));
        CPPUNIT_ASSERT_EQUAL(size_t(0), server.log->received());
        CPPUNIT_ASSERT(eventually([&] { return server.log->count("end") == 1; }));
    }

    void unmaskedFrameCloses1002() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(unmaskedFrame(Opcode::Binary, "plain"));
        expectClose(client, 1002);
        CPPUNIT_ASSERT(client.waitForClose(3000));
        CPPUNIT_ASSERT_EQUAL(size_t(0), server.log->received());
    }

    void reservedBitsClose1002() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        std::string frame = clientFrame(Opcode::Binary, "compressed?");
        frame[0] = static_cast<char>(frame[0] | 0x40);  // RSV1: permessage-deflate was never agreed
        client.send(frame);
        expectClose(client, 1002);
        CPPUNIT_ASSERT(client.waitForClose(3000));
    }

    void oversizeFrameCloses1009() {
        WsServer server(1000);
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Binary, pattern(1000)));
        CPPUNIT_ASSERT(pattern(1000) == readStream(client, 1000));
        // Only the header of the long one: the answer comes before its payload.
        std::string header;
        const MaskKey key{9, 8, 7, 6};
        appendFrameHeader(header, Opcode::Binary, 1001, true, &key);
        client.send(header);
        expectClose(client, 1009);
        // Its payload is skipped; the client's close behind it ends the stream.
        std::string rest(1001, 'z');
        client.send(rest + clientFrame(Opcode::Close, closePayload(1009)));
        CPPUNIT_ASSERT(client.waitForClose(3000));
        CPPUNIT_ASSERT_EQUAL(size_t(1000), server.log->received());
    }

    void handlerCloseSends1000() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Binary, "close"));
        expectClose(client, 1000);
        // Until the peer's close frame comes, its data is read but no longer
        // delivered, and pings are not answered; then the server closes at once.
        client.send(clientFrame(Opcode::Binary, "late") + clientFrame(Opcode::Ping, "p"));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const auto sent = std::chrono::steady_clock::now();
        client.send(clientFrame(Opcode::Close, closePayload(1000)));
        CPPUNIT_ASSERT(client.waitForClose(3000));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - sent < std::chrono::milliseconds(800));
        CPPUNIT_ASSERT(eventually([&] { return server.log->count("end") == 1; }));
        CPPUNIT_ASSERT_EQUAL(size_t(5), server.log->received());
    }

    void unansweredCloseTimesOut() {
        WsServer server(1 << 20, false, "", /*closeTimeoutMillis=*/200);
        RawClient client(server.port);
        upgrade(client);
        const auto start = std::chrono::steady_clock::now();
        client.send(clientFrame(Opcode::Binary, "close"));
        expectClose(client, 1000);
        CPPUNIT_ASSERT(client.waitForClose(3000));
        const auto waited = std::chrono::steady_clock::now() - start;
        CPPUNIT_ASSERT(waited >= std::chrono::milliseconds(150));
        CPPUNIT_ASSERT(waited < std::chrono::milliseconds(2000));
        CPPUNIT_ASSERT(eventually([&] { return server.log->count("end") == 1; }));
    }

    void pausedInputWaitsForResume() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Binary, "pause") + clientFrame(Opcode::Binary, "abc"));
        CPPUNIT_ASSERT(eventually([&] { return server.log->received() == 5; }));
        std::this_thread::sleep_for(std::chrono::milliseconds(60));
        CPPUNIT_ASSERT_EQUAL(size_t(5), server.log->received());  // still held back
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), readStream(client, 3));
        CPPUNIT_ASSERT_EQUAL(size_t(8), server.log->received());
    }

    void deadlineReachesTheHandler() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Binary, "deadline"));
        expectClose(client, 1000);  // EchoHandler closes when its deadline passes
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.log->count("deadline"));
        client.send(clientFrame(Opcode::Close, closePayload(1000)));
        CPPUNIT_ASSERT(client.waitForClose(3000));
    }

    void handlerAbortDropsTheConnection() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Binary, "abort"));
        CPPUNIT_ASSERT(client.waitForClose(3000));
        CPPUNIT_ASSERT(eventually([&] { return server.log->count("end") == 1; }));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.log->count("end"));
    }

    void handlerExceptionCloses1011() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Binary, "throw"));
        expectClose(client, 1011);
        client.send(clientFrame(Opcode::Close, closePayload(1011)));
        CPPUNIT_ASSERT(client.waitForClose(3000));
        CPPUNIT_ASSERT(eventually([&] { return !server.errors().empty(); }));
        CPPUNIT_ASSERT(server.errors().front().find("asked to throw") != std::string::npos);
    }

    void peerHangUpEndsTheStream() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        client.send(clientFrame(Opcode::Binary, "x"));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), readStream(client, 1));
        client.shutdownWrite();
        CPPUNIT_ASSERT(client.waitForClose(3000));
        CPPUNIT_ASSERT(eventually([&] { return server.log->count("end") == 1; }));
    }

    void serverStopSaysGoingAway() {
        WsServer server;
        RawClient client(server.port);
        upgrade(client);
        std::thread stopper([&] { server.server.stop(std::chrono::milliseconds(3000)); });
        expectClose(client, 1001);
        client.send(clientFrame(Opcode::Close, closePayload(1001)));
        CPPUNIT_ASSERT(client.waitForClose(3000));
        stopper.join();
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.log->count("shutdown"));
        CPPUNIT_ASSERT_EQUAL(size_t(1), server.log->count("end"));
    }

    void idleSessionIsSmall() {
        // Thousands of clients stay connected for days: between frames a
        // session is its own object and nothing else (no buffer is allocated).
        CPPUNIT_ASSERT_MESSAGE(std::to_string(sizeof(WebSocketSession)),
                               sizeof(WebSocketSession) <= 320);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebSocketSessionTest);
