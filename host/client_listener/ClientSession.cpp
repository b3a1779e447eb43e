#include "client_listener/ClientSession.h"

#include <openssl/crypto.h>

#include "auth/CredentialVerifier.h"
#include "client_listener/LiveClients.h"
#include "clients/ConnectionRequest.h"
#include "net/Connection.h"
#include "net/ConnectionSet.h"
#include "net/MonotonicClock.h"
#include "ssh/SshMessages.h"
#include "util/JsonWriter.h"
#include "util/QuotedText.h"

namespace rportd::client_listener {

ClientSession::ClientSession(ListenerContext& context) : _context(context) {}

ClientSession::~ClientSession() { cancelTimers(); }

std::string ClientSession::describe() const {
    std::string who =
        _clientAuthId.empty() ? "client" : "client auth id " + util::quotedForLog(_clientAuthId);
    if (!_clientId.empty()) who += " client id " + util::quotedForLog(_clientId);
    return who + " (" + _address + ")";
}

bool ClientSession::offload(std::function<void()> work, std::function<void()> done) {
    net::ConnectionRef ref(_stream->connection());
    std::weak_ptr<int> alive = _alive;
    return _context.pool.submit(
        [work = std::move(work), done = std::move(done), ref, alive]() mutable {
            work();
            ref.post([done = std::move(done), alive](net::Connection&) {
                if (!alive.expired()) done();
            });
        });
}

// ---- stream ----

void ClientSession::onStart(ws::ByteStream& stream) {
    _stream = &stream;
    _loop = &stream.connection().loop();
    _address = stream.connection().peer().address;
    stream.connection().setDeadline(net::monotonicMillis() + _context.timings.handshakeMillis);
    // Clients sit behind slow, lossy links for days: a minute without any
    // progress on output, not the HTTP listener's ten seconds, ends one.
    stream.connection().setWriteStallTimeout(60 * 1000);
    _ssh = std::make_unique<ssh::ServerConnection>(_context.hostKey, _context.ssh, *this);
}

void ClientSession::onData(ws::ByteStream& stream, std::string_view bytes) {
    _ssh->receive(bytes);
    // While a password or a connection request is being checked, the client
    // must wait: TCP holds what it sends meanwhile.
    if (_ssh && !_ssh->ended() && (_ssh->waitingForApplication() || _requestPending))
        stream.pauseInput();
}

void ClientSession::onDeadline(ws::ByteStream& stream) {
    _context.log.information(
        "closing %s: %s", describe(),
        std::string(_ssh && _ssh->authenticated() ? "no connection request in time"
                                                  : "SSH handshake not finished in time"));
    stream.abort();
}

void ClientSession::onProtocolError(ws::ByteStream&, uint16_t closeCode) {
    // Said here because the WebSocket layer does not know whose connection it is.
    _context.log.information("closing %s: WebSocket protocol error (close code %s)", describe(),
                             std::to_string(closeCode));
}

void ClientSession::onShutdownRequested(ws::ByteStream&) { endByServer("server is shutting down"); }

void ClientSession::endByServer(std::string_view reason) {
    if (_ssh && !_ssh->ended())
        _ssh->disconnect(ssh::kByApplication, reason);
    else if (_stream)
        _stream->close();
}

void ClientSession::onEnd() {
    cancelTimers();
    _ticket.reset();
    // The transport went away under SSH (a reset, a timeout): the channels
    // and pending replies still hear that the connection ended.
    if (_ssh && !_ssh->ended()) {
        _transportGone = true;
        _ssh->disconnect(ssh::kByApplication, "connection lost");
    }
    if (_registered) {
        _context.live.remove(_clientId, this);
        _context.log.information("client %s disconnected (%s)", util::quotedForLog(_clientId),
                                 _address);
        // Recorded even though the session is gone: the work holds copies.
        clients::ClientRegistry& registry = _context.registry;
        std::string id = _clientId;
        uint64_t connection = _registryConnection;
        if (!_context.pool.submit(
                [&registry, id, connection] { registry.disconnect(id, connection); })) {
            // A full pool must not lose the disconnect; it is a short write.
            registry.disconnect(id, connection);
        }
        _registered = false;
    }
    _alive.reset();
    _stream = nullptr;
}

void ClientSession::send(std::string&& bytes) {
    if (_stream && !_transportGone) _stream->write(bytes);
}

void ClientSession::onEnded(std::string_view reason, bool protocolViolation) {
    if (protocolViolation)
        _context.log.information("SSH error from %s: %s", describe(),
                                 util::quotedForLog(reason, 256));
    else
        _context.log.debug("SSH connection of %s ended: %s", describe(),
                           util::quotedForLog(reason, 256));
    if (_stream && !_transportGone) _stream->close();
}

size_t ClientSession::queuedOutput() const { return _stream ? _stream->queuedBytes() : 0; }

ssh::Channel* ClientSession::openRportChannel(std::string_view hostPort,
                                              ssh::ChannelHandler& handler) {
    if (!_registered || !_ssh) return nullptr;
    return _ssh->openChannel("rport", hostPort, handler);
}

// ---- authentication ----

void ClientSession::onPasswordAttempt(std::string_view user, std::string_view password) {
    std::string clientAuthId(user);
    int64_t now = net::monotonicMillis();
    if (int64_t wait = _context.throttle.waitFor(clientAuthId, _address, now); wait > 0) {
        _context.log.information(
            "Failed login attempt for client auth id %s, forcing to wait for %ss (%s)",
            util::quotedForLog(clientAuthId), std::to_string((wait + 999) / 1000), _address);
        return _ssh->answerPassword(false);
    }
    // max_concurrent_ssh_handshakes bounds the credential checks running at
    // once (bcrypt and database round trips are what a reconnect storm
    // costs). Only the check holds a slot: a peer that stalls on the network
    // holds none, so slow or silent connections cannot keep others out.
    _pendingUser = std::move(clientAuthId);
    _pendingPassword.assign(password);
    net::ConnectionRef ref(_stream->connection());
    std::weak_ptr<int> alive = _alive;
    _ticket = _context.gate.enter([ref, alive, this] {
        ref.post([alive, this](net::Connection&) {
            if (!alive.expired()) checkPassword();
        });
    });
    if (_ticket->granted()) checkPassword();
}

void ClientSession::checkPassword() {
    std::string clientAuthId = std::move(_pendingUser);
    std::string password = std::move(_pendingPassword);
    _pendingUser.clear();
    OPENSSL_cleanse(_pendingPassword.data(), _pendingPassword.size());
    _pendingPassword.clear();
    if (!_ssh || _ssh->ended()) {
        _ticket.reset();
        return;
    }
    std::shared_ptr<plugin_host::AuthBackend> backend = _context.currentAuth();
    if (!backend) {
        _context.log.error("no client-auth backend: refusing %s", util::quotedForLog(clientAuthId));
        _ticket.reset();
        return _ssh->answerPassword(false);
    }
    auto result = std::make_shared<plugin_host::VerifyResult>(plugin_host::VerifyResult::Error);
    auto failure = std::make_shared<std::string>();
    auth::VerificationCache* cache = _context.verificationCache;
    bool queued = offload(
        [backend, cache, clientAuthId, secret = std::string(password), result, failure] {
            try {
                auth::CredentialVerifier verifier(*backend, cache);
                *result = verifier.verify(clientAuthId, secret);
            } catch (const std::exception& e) {
                *failure = e.what();
                *result = plugin_host::VerifyResult::Error;
            }
        },
        [this, clientAuthId, result, failure] {
            finishPasswordCheck(clientAuthId, *result, *failure);
        });
    OPENSSL_cleanse(password.data(), password.size());
    if (!queued) {
        _ticket.reset();
        _context.log.warning("login of %s refused: the blocking pool is full", describe());
        _ssh->answerPassword(false);
    }
}

void ClientSession::finishPasswordCheck(const std::string& clientAuthId,
                                        plugin_host::VerifyResult result,
                                        const std::string& failure) {
    _ticket.reset();  // the slot goes to the next check in line
    if (!_ssh || _ssh->ended()) return;
    using plugin_host::VerifyResult;
    int64_t now = net::monotonicMillis();
    if (result == VerifyResult::Match) {
        _clientAuthId = clientAuthId;
        _context.throttle.recordSuccess(_address);
        _stream->connection().setDeadline(now + _context.timings.connectionRequestMillis);
        _ssh->answerPassword(true);
    } else if (result == VerifyResult::Mismatch || result == VerifyResult::UnknownId) {
        // The throttle logs the failure (and a ban) in the form fail2ban reads.
        _context.throttle.recordFailure(clientAuthId, _address, now);
        _ssh->answerPassword(false);
    } else {
        // Down or broken backend: fail closed, and do not count it against
        // the client, whose password may well be right.
        _context.log.error(
            "cannot check client auth id %s (%s): %s%s", util::quotedForLog(clientAuthId), _address,
            std::string(plugin_host::toString(result)), failure.empty() ? "" : ": " + failure);
        _ssh->answerPassword(false);
    }
    if (_stream && _ssh && !_ssh->ended() && !_ssh->waitingForApplication()) _stream->resumeInput();
}

// ---- requests ----

void ClientSession::onGlobalRequest(std::string_view name, bool wantReply,
                                    std::string_view payload) {
    if (!_registered) {
        if (_requestPending) {
            if (wantReply) _ssh->answerGlobalRequest(false);
            return;
        }
        if (name != "new_connection") {
            _context.log.information("closing %s: expected a connection request, got %s",
                                     describe(), util::quotedForLog(name));
            return _ssh->disconnect(ssh::kProtocolError, "expecting connection request");
        }
        return onConnectionRequest(payload);
    }
    if (name == "ping") {
        _context.registry.heartbeat(_clientId);  // memory only: fine on the loop
        if (wantReply) _ssh->answerGlobalRequest(true);
        return;
    }
    if (wantReply) _ssh->answerGlobalRequest(false);
}

void ClientSession::onConnectionRequest(std::string_view payload) {
    if (payload.size() > _context.maxRequestBytes) {
        _context.log.information(
            "closing %s: connection request of %s bytes exceeds max_request_bytes_client",
            describe(), std::to_string(payload.size()));
        return refuseConnectionRequest("request too big");
    }
    clients::ConnectionRequest request;
    try {
        request = clients::parseConnectionRequest(payload);
    } catch (const clients::ConnectionRequestError& e) {
        _context.log.information("closing %s: %s", describe(), util::quotedForLog(e.detail(), 256));
        return refuseConnectionRequest(e.what());
    }
    _requestPending = true;
    auto result = std::make_shared<clients::ConnectResult>();
    clients::ClientRegistry& registry = _context.registry;
    clients::ConnectPolicy policy = _context.policy;
    bool queued = offload(
        [&registry, policy, request = std::move(request), result, clientAuthId = _clientAuthId,
         address = _address] {
            try {
                *result = registry.connect(request, clientAuthId, address, policy);
            } catch (const std::exception& e) {
                result->accepted = false;
                result->refusal = std::string("server error: ") + e.what();
            }
        },
        [this, result] { finishConnectionRequest(*result); });
    if (!queued) {
        _requestPending = false;
        _context.log.warning("connection request of %s refused: the blocking pool is full",
                             describe());
        refuseConnectionRequest("server busy");
    }
}

void ClientSession::refuseConnectionRequest(const std::string& text) {
    _ssh->answerGlobalRequest(false, text);
    _ssh->disconnect(ssh::kByApplication, text);
}

void ClientSession::finishConnectionRequest(const clients::ConnectResult& result) {
    _requestPending = false;
    if (!_ssh || _ssh->ended()) {
        // The client left while it was being registered: record that too.
        if (result.accepted) _context.registry.disconnect(result.clientId, result.connection);
        return;
    }
    if (!result.accepted) {
        _context.log.information("refused %s: %s", describe(),
                                 util::quotedForLog(result.refusal, 256));
        return refuseConnectionRequest(result.refusal);
    }
    _clientId = result.clientId;
    _registryConnection = result.connection;
    _registered = true;
    _context.live.add(
        _clientId, {net::ConnectionRef(_stream->connection()), this, _alive, _registryConnection});
    _stream->connection().setDeadline(0);
    // Tunnels the client asks for come with the tunnels issue; none is
    // started, so the list of established remotes is empty.
    _ssh->answerGlobalRequest(true, "[]");
    util::JsonWriter capabilities;
    capabilities.beginObject();
    capabilities.key("ServerVersion").value(_context.serverVersion);
    capabilities.key("MonitoringVersion").value(0);
    capabilities.key("IPAddressesVersion").value(0);
    capabilities.endObject();
    _ssh->sendGlobalRequest("put_capabilities", capabilities.take(), nullptr);
    _context.log.information("client %s connected: %s", util::quotedForLog(_clientId), describe());
    schedulePing();
    if (_stream) _stream->resumeInput();
}

// ---- timers and keep-alive ----

net::EventLoop::TimerId ClientSession::runAfter(std::chrono::milliseconds delay,
                                                std::function<void()> f) {
    // A bare loop timer is no I/O event: output it queued would wait for the
    // next one. Going through the connection flushes it at once.
    net::ConnectionRef ref(_stream->connection());
    std::weak_ptr<int> alive = _alive;
    return _loop->runAfter(delay, [ref, alive, f = std::move(f)] {
        if (alive.expired()) return;
        ref.runNow([alive, &f](net::Connection&) {
            if (!alive.expired()) f();
        });
    });
}

void ClientSession::schedulePing() {
    _pingTimer = runAfter(std::chrono::milliseconds(_context.timings.pingIntervalMillis), [this] {
        _pingTimer = {};
        sendPing();
        schedulePing();
    });
}

void ClientSession::sendPing() {
    if (!_ssh || _ssh->ended()) return;
    _ssh->rekeyIfDue();  // idle connections re-key on time too
    if (_pingOutstanding) return;
    _pingOutstanding = true;
    std::weak_ptr<int> alive = _alive;
    _pingTimeoutTimer =
        runAfter(std::chrono::milliseconds(_context.timings.pingTimeoutMillis), [this] {
            _pingTimeoutTimer = {};
            _context.log.information("closing %s: no answer to ping within %sms", describe(),
                                     std::to_string(_context.timings.pingTimeoutMillis));
            if (_stream) _stream->abort();
        });
    _ssh->sendGlobalRequest("ping", {}, [this, alive](bool, std::string_view) {
        if (alive.expired()) return;
        // Any answer, even "unknown request", proves the client is there.
        _pingOutstanding = false;
        if (_pingTimeoutTimer) _loop->cancel(_pingTimeoutTimer);
        _pingTimeoutTimer = {};
    });
}

void ClientSession::cancelTimers() {
    if (!_loop) return;
    if (_pingTimer) _loop->cancel(_pingTimer);
    if (_pingTimeoutTimer) _loop->cancel(_pingTimeoutTimer);
    _pingTimer = _pingTimeoutTimer = {};
}

}  // namespace rportd::client_listener
