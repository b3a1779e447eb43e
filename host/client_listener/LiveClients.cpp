#include "client_listener/LiveClients.h"

#include "client_listener/ClientSession.h"

namespace rportd::client_listener {

void LiveClients::add(const std::string& clientId, Entry entry) {
    std::lock_guard<std::mutex> lock(_mutex);
    _entries[clientId] = std::move(entry);
}

void LiveClients::remove(const std::string& clientId, const ClientSession* session) {
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _entries.find(clientId);
    if (it != _entries.end() && it->second.session == session) _entries.erase(it);
}

bool LiveClients::post(std::string_view clientId, std::function<void(ClientSession&)> f) const {
    Entry entry;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _entries.find(std::string(clientId));
        if (it == _entries.end()) return false;
        entry = it->second;
    }
    entry.connection.post([entry, f = std::move(f)](net::Connection&) {
        // Checked on the loop thread, where the session ends: no race.
        if (!entry.alive.expired()) f(*entry.session);
    });
    return true;
}

void LiveClients::close(std::string_view clientId, uint64_t registryConnection) const {
    Entry entry;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        auto it = _entries.find(std::string(clientId));
        if (it == _entries.end() || it->second.registryConnection != registryConnection) return;
        entry = it->second;
    }
    entry.connection.post([entry](net::Connection&) {
        if (!entry.alive.expired()) entry.session->endByServer("client removed");
    });
}

size_t LiveClients::size() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _entries.size();
}

}  // namespace rportd::client_listener
