#pragma once
// One rport client on the line: the SSH server engine over the client's
// WebSocket, and what RPort does on top of it (rport-behaviour §6.2-6.3):
// the password checked against the client-auth backend on the blocking pool
// (waiting its turn for a check slot), the login wait and address bans,
// the new_connection request that registers the client, put_capabilities,
// keep-alive pings both ways, and the disconnect recorded when it ends.
//
// Everything runs on the connection's loop thread. Work done elsewhere (a
// bcrypt check, a clients.db write) comes back through ConnectionRef::post
// and is dropped if the session ended meanwhile (_alive expired).
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "client_listener/HandshakeGate.h"
#include "client_listener/ListenerContext.h"
#include "net/EventLoop.h"
#include "plugin_host/SecretCheck.h"
#include "ssh/ServerConnection.h"
#include "ws/StreamHandler.h"

namespace rportd::client_listener {

class ClientSession final : public ws::StreamHandler, public ssh::ServerConnection::Events {
public:
    explicit ClientSession(ListenerContext& context);
    ~ClientSession() override;

    // Ends the connection from the server's side (client deleted, server stopping).
    void endByServer(std::string_view reason);
    // Opens a channel of type "rport" to "host:port" on the client's side
    // (rport-behaviour §7.5); nullptr when the client cannot take one now.
    ssh::Channel* openRportChannel(std::string_view hostPort, ssh::ChannelHandler& handler);
    // Output waiting for the client's link: a tunnel stops feeding channels
    // while this is high.
    size_t queuedOutput() const;
    const std::string& clientId() const { return _clientId; }
    // Runs f on this client's loop after `delay`, the way an I/O event runs
    // (what it sends is flushed, a close it asks for happens), unless the
    // session has ended by then. Returns the timer, for cancelling.
    net::EventLoop::TimerId runAfter(std::chrono::milliseconds delay, std::function<void()> f);

private:
    // ws::StreamHandler
    void onStart(ws::ByteStream& stream) override;
    void onData(ws::ByteStream& stream, std::string_view bytes) override;
    void onDeadline(ws::ByteStream& stream) override;
    void onProtocolError(ws::ByteStream& stream, uint16_t closeCode) override;
    void onShutdownRequested(ws::ByteStream& stream) override;
    void onEnd() override;

    // ssh::ServerConnection::Events
    void send(std::string&& bytes) override;
    void onPasswordAttempt(std::string_view user, std::string_view password) override;
    void onGlobalRequest(std::string_view name, bool wantReply, std::string_view payload) override;
    void onEnded(std::string_view reason, bool protocolViolation) override;

    void checkPassword();
    void finishPasswordCheck(const std::string& clientAuthId, plugin_host::VerifyResult result,
                             const std::string& failure);
    void onConnectionRequest(std::string_view payload);
    void finishConnectionRequest(const clients::ConnectResult& result);
    void refuseConnectionRequest(const std::string& text);
    void schedulePing();
    void sendPing();
    void cancelTimers();
    // Runs `work` on the pool, then `done` back on this loop if the session
    // is still alive. False when the pool is full.
    bool offload(std::function<void()> work, std::function<void()> done);
    std::string describe() const;  // "client auth id "x" (1.2.3.4)" for log lines

    ListenerContext& _context;
    ws::ByteStream* _stream = nullptr;
    std::unique_ptr<ssh::ServerConnection> _ssh;
    std::unique_ptr<HandshakeGate::Ticket> _ticket;
    std::shared_ptr<int> _alive = std::make_shared<int>(0);
    std::string _address;
    // A login waiting for a check slot (max_concurrent_ssh_handshakes).
    std::string _pendingUser;
    std::string _pendingPassword;
    std::string _clientAuthId;
    std::string _clientId;
    uint64_t _registryConnection = 0;
    bool _requestPending = false;
    bool _transportGone = false;  // onEnd came: nothing more goes out
    bool _registered = false;
    bool _pingOutstanding = false;
    net::EventLoop* _loop = nullptr;
    net::EventLoop::TimerId _pingTimer{};
    net::EventLoop::TimerId _pingTimeoutTimer{};
};

}  // namespace rportd::client_listener
