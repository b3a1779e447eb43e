#include "http/ConnectionRegistry.h"

#include "http/Connection.h"

namespace rportd::http {

bool ConnectionRegistry::add(Connection* connection) {
    std::lock_guard<std::mutex> lock(_mutex);
    if (_refusing || _connections.size() >= _max) return false;
    _connections.insert(connection);
    return true;
}

void ConnectionRegistry::remove(Connection* connection) {
    std::lock_guard<std::mutex> lock(_mutex);
    _connections.erase(connection);
    if (_connections.empty() && _refusing) _emptied.notify_all();
}

void ConnectionRegistry::expireOverdue(int64_t nowMillis) {
    std::lock_guard<std::mutex> lock(_mutex);
    for (Connection* connection : _connections) connection->expireIfOverdue(nowMillis);
}

void ConnectionRegistry::refuseNew() {
    std::lock_guard<std::mutex> lock(_mutex);
    _refusing = true;
}

void ConnectionRegistry::expireWaitingForInput() {
    std::lock_guard<std::mutex> lock(_mutex);
    for (Connection* connection : _connections) connection->expireIfWaitingForInput();
}

bool ConnectionRegistry::waitUntilEmpty(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(_mutex);
    return _emptied.wait_until(lock, deadline, [this] { return _connections.empty(); });
}

void ConnectionRegistry::interruptAll() {
    std::lock_guard<std::mutex> lock(_mutex);
    for (Connection* connection : _connections) connection->interrupt();
}

std::vector<Connection*> ConnectionRegistry::takeAll() {
    std::lock_guard<std::mutex> lock(_mutex);
    std::vector<Connection*> all(_connections.begin(), _connections.end());
    _connections.clear();
    return all;
}

}  // namespace rportd::http
