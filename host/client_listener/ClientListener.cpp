#include "client_listener/ClientListener.h"

#include "client_listener/ClientSession.h"
#include "net/MonotonicClock.h"
#include "util/QuotedText.h"
#include "ws/Handshake.h"

namespace rportd::client_listener {
namespace {

constexpr std::string_view kProtocol = "rport-v1";

}  // namespace

ClientListener::ClientListener(const ssh::HostKey& hostKey, clients::ClientRegistry& registry,
                               ClientListenerSettings settings)
    : _settings(std::move(settings)),
      _log(Poco::Logger::get("client-listener")),
      _throttle(_settings.throttle),
      _gate(_settings.maxConcurrentHandshakes),
      _pool(net::defaultBlockingThreads(), 4096),
      _context{hostKey,
               _settings.ssh,
               _settings.timings,
               _settings.maxRequestBytes,
               _settings.serverVersion,
               _settings.currentAuth,
               _settings.verificationCache,
               _throttle,
               _gate,
               _pool,
               registry,
               _settings.policy,
               _live,
               _log} {
    // Go's WebSocket client writes each SSH packet as one message; the SSH
    // layer bounds packets anyway, so this only stops absurd frames early.
    _webSocket.maxMessageBytes = 2 * ssh::PacketLayer::kDefaultMaxPacketLength;
    registry.setCloser([this](const std::string& clientId, uint64_t connection) {
        _live.close(clientId, connection);
    });

    http::HttpServerOptions options;
    options.loops = _settings.loops;
    options.threads = 1;  // every answer is made inline
    options.maxBodyBytes = _settings.maxRequestBytes;
    options.maxConnections = _settings.maxConnections;
    options.errorLog = [](const std::string& message) {
        Poco::Logger::get("client-listener").error(message);
    };
    options.warningLog = [](const std::string& message) {
        Poco::Logger::get("client-listener").warning(message);
    };
    options.debugLog = [](const std::string& message) {
        Poco::Logger::get("client-listener").debug(message);
    };
    _http = std::make_unique<http::HttpServer>(
        options, [this](http::HttpRequest& rq, http::HttpResponse& rs) { answer(rq, rs); },
        [this](http::HttpRequest& rq, http::HttpResponse& rs) { return answer(rq, rs); });
}

ClientListener::~ClientListener() { stop(); }

uint16_t ClientListener::listen(const std::string& hostPort, http::TransportFactory transport) {
    return _http->listen(hostPort, std::move(transport));
}

void ClientListener::start() { _http->start(); }

void ClientListener::stop() {
    // The registry outlives the listener: it must not call back into it.
    _context.registry.setCloser({});
    if (_http) _http->stop(std::chrono::milliseconds(2000));
    _pool.stop();
}

bool ClientListener::answer(http::HttpRequest& request, http::HttpResponse& response) {
    if (int64_t banned = _throttle.bannedFor(request.peerAddress, net::monotonicMillis());
        banned > 0) {
        response.status = 423;
        response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
        response.body = "Too many bad attempts. Please try later.\n";
        response.closeConnection = true;
        return true;
    }
    ws::UpgradeRequest upgrade = ws::inspectUpgrade(request);
    bool rportClient = false;
    for (const auto& protocol : upgrade.protocols)
        rportClient = rportClient || protocol.rfind("rport-", 0) == 0;
    if (upgrade.verdict != ws::UpgradeRequest::Verdict::NotWebSocket && rportClient) {
        if (!upgrade.offers(kProtocol)) {
            _log.information(
                "refused a client from %s: unsupported protocol %s", request.peerAddress,
                util::quotedForLog(upgrade.protocols.empty() ? "" : upgrade.protocols.front()));
        } else if (!upgrade.valid()) {
            _log.information("refused a client from %s: %s", request.peerAddress,
                             util::quotedForLog(upgrade.problem));
            ws::rejectUpgrade(response, upgrade);
            return true;
        } else {
            // No subprotocol is echoed: the original does not, and its
            // clients do not expect one.
            ListenerContext* context = &_context;
            const ws::WebSocketOptions* options = &_webSocket;
            ws::acceptUpgrade(response, upgrade, [context, options] {
                return std::make_unique<ws::WebSocketSession>(
                    std::make_unique<ClientSession>(*context), *options);
            });
            return true;
        }
    }
    response.status = 404;
    response.closeConnection = false;
    return true;
}

}  // namespace rportd::client_listener
