#pragma once
// A one-connection SSH server for tests: ServerConnection driven by a
// blocking loopback socket in a thread, so that real clients (OpenSSH's ssh,
// Node's ssh2) can talk to the protocol engine without the event loop.
// Passwords are checked against one fixed pair; what the client did is
// recorded for the test to inspect after stop().
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ssh/HostKey.h"
#include "ssh/ServerConnection.h"

namespace rport::test {

class LoopbackSshServer : public rportd::ssh::ServerConnection::Events {
public:
    struct Options {
        std::string user = "clientAuth1";
        std::string password = "1234";
        rportd::ssh::ServerSettings settings;
        // Runs on the server thread once the client is authenticated.
        std::function<void(rportd::ssh::ServerConnection&)> onAuthenticated;
        // Runs for each global request, after it was recorded; default:
        // answer failure when a reply is wanted.
        std::function<void(rportd::ssh::ServerConnection&, const std::string& name, bool wantReply)>
            onRequest;
    };

    LoopbackSshServer(const rportd::ssh::HostKey& key, Options options);
    ~LoopbackSshServer();

    uint16_t port() const { return _port; }
    // Waits for the connection to end (or timeoutMs), then joins.
    void stop(int timeoutMs = 20000);

    // After stop():
    bool authenticated() const { return _authenticated; }
    int passwordAttempts() const { return _passwordAttempts; }
    std::string endReason() const { return _endReason; }
    bool endedByViolation() const { return _violation; }
    std::vector<std::string> requests() const;
    std::string clientVersion() const { return _clientVersion; }

private:
    void run();
    void send(std::string&& bytes) override;
    void onPasswordAttempt(std::string_view user, std::string_view password) override;
    void onGlobalRequest(std::string_view name, bool wantReply, std::string_view payload) override;
    void onEnded(std::string_view reason, bool protocolViolation) override;

    const rportd::ssh::HostKey& _key;
    Options _options;
    int _listenFd = -1;
    int _fd = -1;
    uint16_t _port = 0;
    std::unique_ptr<rportd::ssh::ServerConnection> _connection;
    std::thread _thread;
    std::atomic<bool> _done{false};
    mutable std::mutex _mutex;
    std::vector<std::string> _requests;
    bool _authenticated = false;
    bool _announcedAuth = false;
    int _passwordAttempts = 0;
    std::string _endReason;
    bool _violation = false;
    std::string _clientVersion;
};

}  // namespace rport::test
