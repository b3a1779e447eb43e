#pragma once
// What the WebSocket tests share: an HttpServer on 127.0.0.1 whose requests
// to /ws become WebSocket streams run by a recording echo handler, and the
// client's side of the protocol over a RawClient (masked frames out, the
// server's frames read back).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "../http/RawClient.h"
#include "http/HttpServer.h"
#include "net/ConnectionSet.h"
#include "ws/FrameEncoder.h"
#include "ws/Handshake.h"
#include "ws/WebSocketSession.h"

namespace rportd::ws::test {

// RFC 6455 1.3's sample key and the accept value it gives.
inline const std::string kSampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
inline const std::string kSampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

inline std::string upgradeRequest(const std::string& extraHeaders = "") {
    return "GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: " +
           kSampleKey + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
}

// A frame as a client sends it: masked (with a fixed key, so failures repeat).
inline std::string clientFrame(Opcode op, const std::string& payload, bool fin = true) {
    const MaskKey key{0x37, 0xfa, 0x21, 0x3d};
    std::string out;
    appendFrame(out, op, payload, fin, &key);
    return out;
}

inline std::string unmaskedFrame(Opcode op, const std::string& payload, bool fin = true) {
    std::string out;
    appendFrame(out, op, payload, fin);
    return out;
}

struct ServerFrame {
    Opcode op = Opcode::Continuation;
    bool fin = false;
    bool masked = false;
    std::string payload;

    uint16_t closeCode() const { return FrameDecoder::closeCode(payload); }
};

// Reads one frame the server sent; throws on timeout or close.
inline ServerFrame readFrame(http::test::RawClient& client, int timeoutMs = 5000) {
    ServerFrame frame;
    const std::string start = client.readExactly(2, timeoutMs);
    const auto b0 = static_cast<uint8_t>(start[0]);
    const auto b1 = static_cast<uint8_t>(start[1]);
    frame.fin = b0 & 0x80;
    frame.op = static_cast<Opcode>(b0 & 0x0F);
    frame.masked = b1 & 0x80;
    uint64_t length = b1 & 0x7F;
    if (length >= 126) {
        const std::string ext = client.readExactly(length == 126 ? 2 : 8, timeoutMs);
        length = 0;
        for (char c : ext) length = (length << 8) | static_cast<uint8_t>(c);
    }
    if (frame.masked)
        client.readExactly(4, timeoutMs);  // a server must not mask: checked by callers
    frame.payload = client.readExactly(static_cast<size_t>(length), timeoutMs);
    return frame;
}

// Reads binary frames until `size` payload bytes have arrived; their concatenation.
inline std::string readStream(http::test::RawClient& client, size_t size, int timeoutMs = 5000) {
    std::string got;
    while (got.size() < size) {
        ServerFrame frame = readFrame(client, timeoutMs);
        if (frame.op != Opcode::Binary || frame.masked)
            throw std::runtime_error("expected an unmasked binary frame, got opcode " +
                                     std::to_string(static_cast<int>(frame.op)));
        got += frame.payload;
    }
    return got;
}

// What the handlers of one server saw (any loop thread writes, the test reads).
struct StreamLog {
    std::mutex mutex;
    std::string data;                 // every byte onData delivered, in order
    std::vector<size_t> chunks;       // the size of each onData call
    std::vector<std::string> events;  // "start", "writable", "deadline", "shutdown", "end"

    void note(const std::string& event) {
        std::lock_guard<std::mutex> lock(mutex);
        events.push_back(event);
    }
    size_t count(const std::string& event) {
        std::lock_guard<std::mutex> lock(mutex);
        return static_cast<size_t>(std::count(events.begin(), events.end(), event));
    }
    size_t received() {
        std::lock_guard<std::mutex> lock(mutex);
        return data.size();
    }
};

// Echoes every byte as it comes; a few magic inputs make it act instead:
// "close" closes the stream, "abort" drops it, "throw" throws, "pause"
// holds input back for 300 ms, "deadline" sets one 50 ms ahead.
class EchoHandler : public StreamHandler {
public:
    explicit EchoHandler(std::shared_ptr<StreamLog> log) : _log(std::move(log)) {}

    void onStart(ByteStream&) override { _log->note("start"); }
    void onData(ByteStream& stream, std::string_view bytes) override {
        {
            std::lock_guard<std::mutex> lock(_log->mutex);
            _log->data.append(bytes);
            _log->chunks.push_back(bytes.size());
        }
        if (bytes == "close") return stream.close();
        if (bytes == "abort") return stream.abort();
        if (bytes == "throw") throw std::runtime_error("asked to throw");
        if (bytes == "pause") return pauseFor(stream, std::chrono::milliseconds(300));
        if (bytes == "deadline") {
            net::Connection& connection = stream.connection();
            return connection.setDeadline(connection.loop().now() + 50);
        }
        stream.write(bytes);
    }
    void onWritable(ByteStream&) override { _log->note("writable"); }
    void onDeadline(ByteStream& stream) override {
        _log->note("deadline");
        stream.close();
    }
    void onShutdownRequested(ByteStream& stream) override {
        _log->note("shutdown");
        StreamHandler::onShutdownRequested(stream);
    }
    void onEnd() override { _log->note("end"); }

private:
    // Holds input back for a while, as a handler waiting for its other side would.
    void pauseFor(ByteStream& stream, std::chrono::milliseconds delay) {
        stream.pauseInput();
        net::ConnectionRef ref(stream.connection());
        ByteStream* target = &stream;  // lives as long as the connection; post checks that
        stream.connection().loop().runAfter(delay, [ref, target] {
            ref.post([target](net::Connection&) { target->resumeInput(); });
        });
    }

    std::shared_ptr<StreamLog> _log;
};

// An HTTP server on 127.0.0.1:0 that upgrades GET /ws to a WebSocket stream
// run by EchoHandler (inline on the loop, or on the blocking pool).
class WsServer {
public:
    // The options are set before the loops start: sessions read them on the loop threads.
    explicit WsServer(uint64_t maxMessageBytes = 1 << 20, bool onPool = false,
                      const std::string& echoProtocol = "", int64_t closeTimeoutMillis = 5000)
        : _protocol(echoProtocol),
          server(serverOptions(), poolHandler(onPool), inlineHandler(onPool)) {
        wsOptions.maxMessageBytes = maxMessageBytes;
        wsOptions.closeTimeoutMillis = closeTimeoutMillis;
        wsOptions.errorLog = [log = _errors](const std::string& line) {
            std::lock_guard<std::mutex> lock(log->mutex);
            log->lines.push_back(line);
        };
        port = server.listen("127.0.0.1:0");
        server.start();
    }
    ~WsServer() { server.stop(std::chrono::milliseconds(2000)); }

    std::vector<std::string> errors() {
        std::lock_guard<std::mutex> lock(_errors->mutex);
        return _errors->lines;
    }

    std::shared_ptr<StreamLog> log = std::make_shared<StreamLog>();
    WebSocketOptions wsOptions;  // before `server`: its sessions refer to it

private:
    struct Errors {
        std::mutex mutex;
        std::vector<std::string> lines;
    };
    std::shared_ptr<Errors> _errors = std::make_shared<Errors>();
    std::string _protocol;

    static http::HttpServerOptions serverOptions() {
        http::HttpServerOptions options;
        options.loops = 1;
        options.threads = 1;
        return options;
    }

    void answer(http::HttpRequest& request, http::HttpResponse& response) {
        UpgradeRequest upgrade = inspectUpgrade(request);
        if (!upgrade.valid()) return rejectUpgrade(response, upgrade);
        auto streamLog = log;
        const WebSocketOptions* options = &wsOptions;
        acceptUpgrade(
            response, upgrade,
            [streamLog, options] {
                return std::make_unique<WebSocketSession>(std::make_unique<EchoHandler>(streamLog),
                                                          *options);
            },
            upgrade.offers(_protocol) ? _protocol : "");
    }
    http::HttpHandler poolHandler(bool onPool) {
        return [this, onPool](http::HttpRequest& request, http::HttpResponse& response) {
            if (onPool) answer(request, response);
        };
    }
    http::InlineHttpHandler inlineHandler(bool onPool) {
        return [this, onPool](http::HttpRequest& request, http::HttpResponse& response) {
            if (onPool) return false;
            answer(request, response);
            return true;
        };
    }

public:
    http::HttpServer server;
    uint16_t port = 0;
};

}  // namespace rportd::ws::test
