#include "LoopbackSshServer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace rport::test {

LoopbackSshServer::LoopbackSshServer(const rportd::ssh::HostKey& key, Options options)
    : _key(key), _options(std::move(options)) {
    _listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (_listenFd < 0 || ::bind(_listenFd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::listen(_listenFd, 1) != 0 ||
        ::getsockname(_listenFd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
        throw std::runtime_error("cannot listen on loopback");
    _port = ntohs(address.sin_port);
    _thread = std::thread([this] { run(); });
}

LoopbackSshServer::~LoopbackSshServer() { stop(0); }

void LoopbackSshServer::stop(int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!_done && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    _done = true;
    if (_thread.joinable()) _thread.join();
    if (_listenFd >= 0) ::close(_listenFd);
    _listenFd = -1;
}

void LoopbackSshServer::run() {
    pollfd accepting{_listenFd, POLLIN, 0};
    while (!_done && ::poll(&accepting, 1, 50) == 0) {
    }
    if (_done) return;
    _fd = ::accept4(_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (_fd < 0) return;
    _connection = std::make_unique<rportd::ssh::ServerConnection>(_key, _options.settings, *this);
    char buffer[16384];
    while (!_done && !_connection->ended()) {
        pollfd readable{_fd, POLLIN, 0};
        if (::poll(&readable, 1, 50) <= 0) continue;
        ssize_t got = ::read(_fd, buffer, sizeof buffer);
        if (got <= 0) {
            std::lock_guard<std::mutex> lock(_mutex);
            if (_endReason.empty()) _endReason = "peer closed the socket";
            break;
        }
        _connection->receive(std::string_view(buffer, static_cast<size_t>(got)));
        if (_connection->authenticated() && !_announcedAuth) {
            _announcedAuth = true;
            if (_options.onAuthenticated) _options.onAuthenticated(*_connection);
        }
    }
    _clientVersion = _connection->clientVersion();
    ::close(_fd);
    _connection.reset();
    _done = true;
}

void LoopbackSshServer::send(std::string&& bytes) {
    size_t offset = 0;
    while (offset < bytes.size()) {
        ssize_t wrote = ::send(_fd, bytes.data() + offset, bytes.size() - offset, MSG_NOSIGNAL);
        if (wrote <= 0) return;
        offset += static_cast<size_t>(wrote);
    }
}

void LoopbackSshServer::onPasswordAttempt(std::string_view user, std::string_view password) {
    bool ok = user == _options.user && password == _options.password;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        ++_passwordAttempts;
        _authenticated = _authenticated || ok;
    }
    _connection->answerPassword(ok);
}

void LoopbackSshServer::onGlobalRequest(std::string_view name, bool wantReply, std::string_view) {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _requests.emplace_back(name);
    }
    if (_options.onRequest)
        _options.onRequest(*_connection, std::string(name), wantReply);
    else if (wantReply)
        _connection->answerGlobalRequest(false);
}

void LoopbackSshServer::onEnded(std::string_view reason, bool protocolViolation) {
    std::lock_guard<std::mutex> lock(_mutex);
    _endReason = std::string(reason);
    _violation = protocolViolation;
}

std::vector<std::string> LoopbackSshServer::requests() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _requests;
}

}  // namespace rport::test
